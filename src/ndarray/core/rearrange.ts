/**
 * The layouts of NumPy's rearranging views: split pieces, moved and rolled axes, diagonals, 90° rotations,
 * sliding windows, `atleast_*d` and `as_strided`. Pure functions of a layout and already-checked arguments
 * (axes normalised, lengths valid); the NumPy argument rules and messages live in array/rearrange.ts.
 * Each function is written as NumPy's Python composes it (a swapaxes and a slice for a split piece, a flip
 * and a transpose for rot90), so the strides and offsets are NumPy's own, zero-length quirks included.
 */

import { Slice, resolveSlice } from './indexing.js';
import { byteBounds, flipAxis, insertNewAxis, makeLayout, permute, reshapeNoCopy, sizeOf, sliceAxis, type Layout } from './layout.js';

/** Where `np.array_split(a, n)` cuts an axis of `length`: the first `length % n` pieces are one longer. */
export function sectionBoundaries(length: number, sections: number): number[] {
  const each = Math.floor(length / sections);
  const extras = length % sections;
  const bounds = [0];
  for (let k = 0; k < sections; k++) bounds.push(bounds[k] + (k < extras ? each + 1 : each));
  return bounds;
}

/**
 * The pieces of a split along `axis` at `bounds` (`[0, ...indices, length]`): piece k is the Python slice
 * `bounds[k]:bounds[k + 1]` of the axis, so negative, unsorted and out-of-range indices act as NumPy's
 * (clipped; an empty piece keeps the source's offset).
 */
export function splitLayouts(layout: Layout, axis: number, bounds: readonly number[]): Layout[] {
  const n = layout.shape[axis];
  const pieces: Layout[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const { start, length, step } = resolveSlice(new Slice(bounds[k], bounds[k + 1], null), n);
    pieces.push(sliceAxis(layout, axis, start, length, step));
  }
  return pieces;
}

/** `np.moveaxis`'s permutation: the other axes keep their order, each source axis lands at its destination
 * (pairs inserted by ascending destination). Axes are normalised and distinct. */
export function moveAxisOrder(ndim: number, source: readonly number[], destination: readonly number[]): number[] {
  const order = [...Array(ndim).keys()].filter((k) => !source.includes(k));
  const pairs = destination.map((d, k) => [d, source[k]] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  for (const [d, s] of pairs) order.splice(d, 0, s);
  return order;
}

/** `np.rollaxis`'s permutation (`axis` normalised, `start` in [0, ndim]): null when the axis stays put. */
export function rollAxisOrder(ndim: number, axis: number, start: number): number[] | null {
  const at = axis < start ? start - 1 : start;
  if (at === axis) return null;
  const order = [...Array(ndim).keys()].filter((k) => k !== axis);
  order.splice(at, 0, axis);
  return order;
}

/**
 * `a.diagonal(offset, axis1, axis2)` (distinct, normalised axes): the other axes in order, then the
 * diagonal with stride `s1 + s2`. NumPy moves the data pointer by the offset even when the diagonal has
 * exactly zero elements, but not when the offset lies beyond the array (a negative length).
 */
export function diagonalLayout(layout: Layout, offset: number, axis1: number, axis2: number): Layout {
  const n1 = layout.shape[axis1];
  const n2 = layout.shape[axis2];
  const s1 = layout.strides[axis1];
  const s2 = layout.strides[axis2];
  let length = offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2);
  let start = layout.offset;
  if (length < 0) length = 0;
  else start += offset >= 0 ? offset * s2 : -offset * s1;
  const shape: number[] = [];
  const strides: number[] = [];
  layout.shape.forEach((n, k) => {
    if (k !== axis1 && k !== axis2) {
      shape.push(n);
      strides.push(layout.strides[k]);
    }
  });
  shape.push(length);
  strides.push(s1 + s2);
  return makeLayout(shape, strides, start);
}

/**
 * `np.rot90(a, k, axes)` for two distinct normalised axes: k = 1 flips `axis1` then swaps the two axes,
 * k = 2 flips both, k = 3 swaps then flips `axis1` (NumPy's own steps, whose strides it returns).
 */
export function rot90Layout(layout: Layout, k: number, axis0: number, axis1: number): Layout {
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return layout;
  if (turns === 2) return flipAxis(flipAxis(layout, axis0), axis1);
  const order = [...Array(layout.shape.length).keys()];
  [order[axis0], order[axis1]] = [order[axis1], order[axis0]];
  if (turns === 1) return permute(flipAxis(layout, axis1), order);
  return flipAxis(permute(layout, order), axis1);
}

/**
 * `sliding_window_view(a, window, axis)` for checked arguments: every windowed axis shrinks by
 * `window - 1`, and one new trailing axis per window entry walks the window with the axis' stride (an axis
 * may be windowed more than once).
 */
export function slidingWindowLayout(layout: Layout, window: readonly number[], axes: readonly number[]): Layout {
  const shape = [...layout.shape];
  axes.forEach((axis, k) => (shape[axis] -= window[k] - 1));
  return makeLayout([...shape, ...window], [...layout.strides, ...axes.map((axis) => layout.strides[axis])], layout.offset);
}

/**
 * `np.atleast_1d/2d/3d` of one array: a 0-d array reshaped to `(1,)`, `(1, 1)` or `(1, 1, 1)` (contiguous
 * strides), a 1-D one indexed `[None, :]` or `[None, :, None]`, a 2-D one `[:, :, None]` (new axes get
 * stride 0); null when the array already has `ndim` axes or more (NumPy returns it unchanged).
 */
export function atLeastLayout(layout: Layout, ndim: 1 | 2 | 3, itemsize: number): Layout | null {
  const have = layout.shape.length;
  if (have >= ndim) return null;
  if (have === 0) return reshapeNoCopy(layout, new Array<number>(ndim).fill(1), 'C', itemsize);
  if (have === 1) return ndim === 2 ? insertNewAxis(layout, 0) : insertNewAxis(insertNewAxis(layout, 0), 2);
  return insertNewAxis(layout, 2);
}

/** Whether a view's elements all lie in `[0, byteLength)` of its buffer (a size-0 view touches nothing). */
export function layoutFitsBuffer(layout: Layout, itemsize: number, byteLength: number): boolean {
  if (sizeOf(layout.shape) === 0) return true;
  const [low, high] = byteBounds(layout, itemsize);
  return low >= 0 && high <= byteLength;
}

/**
 * NumPy's broadcast of several shapes, or the pair of arguments it reports when they do not broadcast:
 * walking the result's axes outermost first and the arguments in order, the argument that fixed the
 * axis' length and the first one that disagrees with it (NumPy's `PyArray_Broadcast`).
 */
export function broadcastOrMismatch(shapes: readonly (readonly number[])[]): { shape: number[] } | { mismatch: [number, number] } {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const shape = new Array<number>(ndim).fill(1);
  for (let axis = 0; axis < ndim; axis++) {
    let from = -1;
    for (let j = 0; j < shapes.length; j++) {
      const k = axis + shapes[j].length - ndim;
      if (k < 0) continue;
      const n = shapes[j][k];
      if (n === 1) continue;
      if (shape[axis] === 1) {
        shape[axis] = n;
        from = j;
      } else if (shape[axis] !== n) {
        return { mismatch: [from, j] };
      }
    }
  }
  return { shape };
}
