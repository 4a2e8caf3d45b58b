/**
 * NumPy's rules for joining arrays, as pure functions: the dtype of several arrays together
 * (`np.result_type`), the casting rules of `concatenate(..., casting=)`, the memory layout NumPy gives a
 * concatenation (the inputs' common memory order), and the slabs of the result each input fills.
 */

import { dtypeInfo, type DType } from './dtype.js';
import { freshLayout, makeLayout, sizeOf, sliceAxis, type Layout } from './layout.js';
import { narrowTo32, numpyResultType } from './promotion.js';

/** NumPy's casting rules, from strictest to loosest. */
export type Casting = 'no' | 'equiv' | 'safe' | 'same_kind' | 'unsafe';
export const CASTINGS: readonly Casting[] = ['no', 'equiv', 'safe', 'same_kind', 'unsafe'];

/**
 * NumPy's type numbers order the built-in dtypes from least to most general (float16 last, as NumPy
 * numbers it): `np.result_type` of several arrays starts from the highest one and promotes it with every
 * other in turn. This is not the left-to-right pairwise promotion: `result_type(int8, uint8, float16)` is
 * float16, where `(int8 + uint8) + float16` would be float32.
 */
const TYPE_NUMBER: Record<DType, number> = {
  bool: 0,
  int8: 1,
  uint8: 2,
  int16: 3,
  uint16: 4,
  int32: 5,
  uint32: 6,
  int64: 7,
  uint64: 8,
  float32: 11,
  float64: 12,
  float16: 23,
};

/** NumPy 2's `result_type` of several array dtypes (no 32-bit narrowing). */
export function numpyResultTypeOf(dtypes: readonly DType[]): DType {
  let main = 0;
  for (let k = 1; k < dtypes.length; k++) if (TYPE_NUMBER[dtypes[k]] > TYPE_NUMBER[dtypes[main]]) main = k;
  let result = dtypes[main];
  dtypes.forEach((d, k) => {
    if (k !== main) result = numpyResultType(result, d);
  });
  return result;
}

/** The dtype of a concatenation of arrays: NumPy's `result_type`, narrowed to 32 bits when no input is
 * 64-bit (ndgpu's rule for every operation). */
export function joinedDType(dtypes: readonly DType[]): DType {
  return narrowTo32(numpyResultTypeOf(dtypes), dtypes);
}

const KIND_ORDER = { b: 0, u: 1, i: 2, f: 3 } as const;

/** NumPy's `can_cast(from, to, casting)` between array dtypes. */
export function canCast(from: DType, to: DType, casting: Casting): boolean {
  if (from === to || casting === 'unsafe') return true;
  if (casting === 'no' || casting === 'equiv') return false;
  if (numpyResultType(from, to) === to) return true; // safe: `to` holds every value of `from`
  return casting === 'same_kind' && KIND_ORDER[dtypeInfo(from).kind] <= KIND_ORDER[dtypeInfo(to).kind];
}

/**
 * The strides NumPy gives a new concatenation of `inputs` into `shape`: the axes ordered as the inputs
 * lay them out in memory (largest |stride| outermost; a stable insertion sort in which an axis of length
 * 1 in an input says nothing, and where inputs disagree the first that compares wins, C order on ties:
 * `PyArray_CreateMultiSortedStridePerm`), then contiguous in that order. A size-0 result has all-zero
 * strides, as every newly allocated empty array.
 */
export function concatenationStrides(inputs: readonly Layout[], shape: readonly number[], itemsize: number): number[] {
  const ndim = shape.length;
  if (sizeOf(shape) === 0) return shape.map(() => 0);
  const perm = [...Array(ndim).keys()];
  for (let i0 = 1; i0 < ndim; i0++) {
    let ipos = i0;
    const axis0 = perm[i0];
    for (let i1 = i0 - 1; i1 >= 0; i1--) {
      const axis1 = perm[i1];
      let ambiguous = true;
      let shouldSwap = false;
      for (const input of inputs) {
        if (input.shape[axis0] === 1 || input.shape[axis1] === 1) continue;
        if (Math.abs(input.strides[axis0]) <= Math.abs(input.strides[axis1])) shouldSwap = false;
        else if (ambiguous) shouldSwap = true;
        ambiguous = false;
      }
      if (ambiguous) continue;
      if (!shouldSwap) break;
      ipos = i1;
    }
    if (ipos !== i0) {
      perm.splice(i0, 1);
      perm.splice(ipos, 0, axis0);
    }
  }
  const strides = new Array<number>(ndim);
  let step = itemsize;
  for (let t = ndim - 1; t >= 0; t--) {
    strides[perm[t]] = step;
    step *= shape[perm[t]];
  }
  return strides;
}

/** The slab of `target` (the whole result) that input k fills: consecutive ranges of `axis` of the given
 * lengths. */
export function concatenationSlabs(target: Layout, axis: number, lengths: readonly number[]): Layout[] {
  let start = 0;
  return lengths.map((n) => {
    const slab = sliceAxis(target, axis, start, n, 1);
    start += n;
    return slab;
  });
}

/** A 1-D layout's run `[start, start + shape-size)` described in `shape` (C order): where a flattening
 * concatenation (`axis=None`) writes an input of that shape. */
export function flatRunAs(target: Layout, start: number, shape: readonly number[], itemsize: number): Layout {
  const stride = target.strides[0];
  const inner = freshLayout(shape, itemsize);
  const size = sizeOf(shape);
  // A 1-D run of stride s is the C-contiguous layout scaled by s / itemsize: any shape views it.
  const strides = size === 0 ? inner.strides : inner.strides.map((s) => (s / itemsize) * stride);
  return makeLayout(shape, strides, target.offset + start * stride);
}
