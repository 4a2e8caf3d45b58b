/**
 * NumPy's limits on arrays, checked in one place for every shape ndgpu makes: at most 64 dimensions
 * (NPY_MAXDIMS), and sizes and byte extents that are exact integers. NumPy's bound is the largest intp
 * (2^63 - 1); ndgpu's is the largest integer a JavaScript number holds exactly (2^53 - 1), so that every
 * size, offset and extent it computes is exact.
 */

import { IndexError, ValueError } from './errors.js';

/** NumPy's NPY_MAXDIMS: arrays have at most 64 axes. */
export const MAX_DIMS = 64;

/** The largest size, length or byte count ndgpu computes with (exact in a JavaScript number). */
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** At most 64 axes: NumPy's ValueError for a shape. */
export function checkRank(ndim: number): void {
  if (ndim > MAX_DIMS) {
    throw new ValueError(`maximum supported dimension for an ndarray is currently ${MAX_DIMS}, found ${ndim}`);
  }
}

/** At most 64 axes in the result of indexing: NumPy's IndexError. */
export function checkIndexingRank(ndim: number): void {
  if (ndim > MAX_DIMS) {
    throw new IndexError(`number of dimensions must be within [0, ${MAX_DIMS}], indexing result would have ${ndim}`);
  }
}

/** One length of a requested shape that NumPy cannot even hold (beyond intp). Lengths it holds but
 * ndgpu's size bound does not are `checkArraySize`'s "array is too big", as NumPy says for sizes. */
export function checkDimension(n: number): void {
  if (n >= 2 ** 63) throw new ValueError('Maximum allowed dimension exceeded');
}

/**
 * The check NumPy makes of every array it creates, views included: at most 64 axes, and
 * `itemsize × (product of the non-zero lengths)` exact — a zero length does not hide lengths whose
 * product is too large (`zeros((0, 2**62, 2**62))` raises).
 */
export function checkArraySize(shape: readonly number[], itemsize: number): void {
  checkRank(shape.length);
  let bytes = itemsize;
  for (let k = 0; k < shape.length; k++) {
    const n = shape[k];
    if (n === 0) continue;
    bytes *= n;
    // Products are rounded to the nearest double, monotonically: one past the bound stays past it.
    if (bytes > MAX_EXACT) {
      throw new ValueError('array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.');
    }
  }
}

/**
 * The check NumPy's iterator makes of a broadcast shape: its size, multiplied in order (a zero makes it
 * 0), within intp. NumPy's bound, not ndgpu's: an iteration between the two can only be a broadcast that
 * no array can hold, which the result's own size check then refuses, in NumPy's words too ("array is
 * too big"). The comparison is exact although the product may not be: rounding is monotonic and 2^63 a
 * double.
 */
export function checkIterationSize(shape: readonly number[]): void {
  let size = 1;
  for (let k = 0; k < shape.length; k++) {
    size *= shape[k];
    if (size >= 2 ** 63) throw new ValueError('iterator is too large');
  }
}
