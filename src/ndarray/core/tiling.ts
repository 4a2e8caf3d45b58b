/**
 * `np.tile`, `np.repeat` and `np.roll` as strided copies into views of their result: the pure layouts.
 * Each function returns (target, source) pairs of the same shape, where the target is a view of the new
 * array and the source a view of the input (zero strides where one source element fills several target
 * elements), so that each pair is one copy plan and the whole routine records a handful of copies
 * whatever the shapes.
 */

import { freshLayout, isCContiguous, isFContiguous, makeLayout, reshapeNoCopy, sizeOf, sliceAxis, type Layout } from './layout.js';

/** A copy from `source` into `target` (equal shapes). */
export interface CopyPiece {
  readonly target: Layout;
  readonly source: Layout;
}

/**
 * `np.array(a, ndmin=n)`'s leading length-1 axes: their stride is the item size for a Fortran-ordered
 * (F and not C) or 0-d array, else the first axis' extent `strides[0]·shape[0]` (NumPy's `_prepend_ones`).
 */
export function prependUnitAxes(layout: Layout, count: number, itemsize: number): Layout {
  if (count <= 0) return layout;
  const fortran = isFContiguous(layout, itemsize) && !isCContiguous(layout, itemsize);
  const stride = fortran || layout.shape.length === 0 ? itemsize : layout.strides[0] * layout.shape[0];
  return makeLayout(
    [...new Array<number>(count).fill(1), ...layout.shape],
    [...new Array<number>(count).fill(stride), ...layout.strides],
    layout.offset,
  );
}

/**
 * `np.tile` into `result` (shape `reps[k]·n[k]` per axis): the result's axis k split into (reps[k], n[k])
 * and the source (already with as many axes as `reps`) read with stride 0 along every repetition axis.
 * One piece; axes that are not repeated stay whole.
 */
export function tilePiece(result: Layout, source: Layout, reps: readonly number[]): CopyPiece {
  const targetShape: number[] = [];
  const targetStrides: number[] = [];
  const sourceStrides: number[] = [];
  source.shape.forEach((n, k) => {
    const stride = result.strides[k];
    if (reps[k] !== 1) {
      targetShape.push(reps[k]);
      targetStrides.push(n * stride);
      sourceStrides.push(0);
    }
    targetShape.push(n);
    targetStrides.push(stride);
    sourceStrides.push(source.strides[k]);
  });
  return {
    target: makeLayout(targetShape, targetStrides, result.offset),
    source: makeLayout(targetShape, sourceStrides, source.offset),
  };
}

/**
 * The strides NumPy's `tile` gives an empty result (reps not all 1; `source` already with as many axes as
 * `reps`): its loop reshapes and repeats while the input has elements, each repeat making a new array,
 * and the last array is reshaped to the result's shape (the same strides when the shape did not change,
 * else contiguous ones).
 */
export function emptyTileLayout(source: Layout, reps: readonly number[], shape: readonly number[], itemsize: number): Layout {
  let current = source;
  let n = sizeOf(source.shape);
  if (n > 0) {
    source.shape.forEach((length, k) => {
      if (reps[k] !== 1) current = freshLayout([(sizeOf(current.shape) / n) * reps[k], n], itemsize);
      n = Math.floor(n / length);
    });
  }
  return reshapeNoCopy(current, shape, 'C', itemsize) as Layout;
}

/**
 * Elements `[from, from + length)` of the source's `axis`, each repeated `count` times, written from
 * element `at` of the result's axis: the result's slice split into (length, count), the source's with a
 * zero-stride repetition axis.
 */
export function repeatPiece(
  result: Layout,
  source: Layout,
  axis: number,
  from: number,
  length: number,
  count: number,
  at: number,
): CopyPiece {
  const target = sliceAxis(result, axis, at, length * count, 1);
  const stride = target.strides[axis];
  const targetShape = [...target.shape];
  const targetStrides = [...target.strides];
  targetShape.splice(axis, 1, length, count);
  targetStrides.splice(axis, 1, count * stride, stride);
  const src = sliceAxis(source, axis, from, length, 1);
  const sourceStrides = [...src.strides];
  sourceStrides.splice(axis + 1, 0, 0);
  return {
    target: makeLayout(targetShape, targetStrides, target.offset),
    source: makeLayout(targetShape, sourceStrides, src.offset),
  };
}

/**
 * `np.roll` with `shifts[k]` already reduced to `[0, n)` on every axis: element i of the source goes to
 * (i + shift) mod n. Each shifted axis splits into two ranges, so 2^m pieces for m shifted axes (one piece,
 * the whole array, when nothing moves).
 */
export function rollPieces(result: Layout, source: Layout, shifts: readonly number[]): CopyPiece[] {
  let pieces: CopyPiece[] = [{ target: result, source }];
  shifts.forEach((shift, axis) => {
    if (shift === 0) return;
    const n = source.shape[axis];
    pieces = pieces.flatMap(({ target, source: from }) => [
      { target: sliceAxis(target, axis, shift, n - shift, 1), source: sliceAxis(from, axis, 0, n - shift, 1) },
      { target: sliceAxis(target, axis, 0, shift, 1), source: sliceAxis(from, axis, n - shift, shift, 1) },
    ]);
  });
  return pieces;
}
