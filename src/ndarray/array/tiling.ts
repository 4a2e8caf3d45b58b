/**
 * `np.tile`, `np.repeat` and `np.roll` on operands: NumPy's argument rules and messages, the result's
 * layout as NumPy makes it, then a few strided copies from the input into views of the new array (see
 * core/tiling.ts). Every result owns its memory, including where NumPy returns a view of a hidden
 * temporary (`roll` without an axis, `tile` with all repetitions 1).
 */

import { ValueError, normalizeAxis, shapeRepr } from '../core/errors.js';
import { contiguousStrides, freshLayout, isCContiguous, sizeOf } from '../core/layout.js';
import { keepOrderCopyStrides } from '../core/memory-order.js';
import { emptyTileLayout, prependUnitAxes, repeatPiece, rollPieces, tilePiece, type CopyPiece } from '../core/tiling.js';
import { moveElements, stagedCopy } from './assign.js';
import type { ArrayMemory } from './memory.js';
import { freshOperand, itemsizeOf, withLayout, type Operand } from './operand.js';
import { checkInteger, normalizeAxes } from './rearrange.js';

/** Copies every piece from `source`'s memory into `target`'s (new memory: nothing overlaps). */
function copyPieces(target: Operand, source: Operand, pieces: readonly CopyPiece[]): void {
  for (const piece of pieces) {
    if (sizeOf(piece.target.shape) > 0) moveElements(withLayout(target, piece.target), withLayout(source, piece.source));
  }
}

/** New memory of `shape` with explicit `strides`, filled by `fill`; freed if `fill` throws. */
function fresh(
  memory: ArrayMemory,
  source: Operand,
  shape: readonly number[],
  strides: readonly number[] | 'C',
  fill: (target: Operand) => void,
): Operand {
  const target = freshOperand(memory, shape, source.dtype, strides);
  try {
    fill(target);
  } catch (error) {
    target.storage.free();
    throw error;
  }
  return target;
}

/** The elements of `source` in C order as a 1-D operand: a view when it is C-contiguous, else a staged
 * copy (released by the returned function). */
function flattened(source: Operand): { operand: Operand; release: () => void } {
  const size = sizeOf(source.layout.shape);
  const itemsize = itemsizeOf(source);
  if (isCContiguous(source.layout, itemsize)) {
    return { operand: withLayout(source, { shape: [size], strides: [itemsize], offset: source.layout.offset }), release: () => {} };
  }
  const staged = stagedCopy(source);
  return { operand: withLayout(staged.operand, freshLayout([size], itemsize)), release: staged.release };
}

// ------------------------------------------------------------------------------------------------

/** `np.tile(a, reps)`. */
export function tileOperand(memory: ArrayMemory, source: Operand, reps: number | readonly number[]): Operand {
  const list = (typeof reps === 'number' ? [reps] : [...reps]).map((r) => checkInteger(r));
  if (list.some((r) => r < 0)) throw new ValueError('negative dimensions are not allowed');
  const itemsize = itemsizeOf(source);
  const d = list.length;
  const ndim = source.layout.shape.length;
  if (list.every((r) => r === 1)) {
    // NumPy: `np.array(a, copy=True, ndmin=d)`, an order-'K' copy with leading axes added.
    const copy = fresh(memory, source, source.layout.shape, keepOrderCopyStrides(source.layout, itemsize), (t) => moveElements(t, source));
    return withLayout(copy, prependUnitAxes(copy.layout, d - ndim, itemsize));
  }
  const c = withLayout(source, prependUnitAxes(source.layout, d - ndim, itemsize));
  const allReps = [...new Array<number>(Math.max(0, ndim - d)).fill(1), ...list];
  const shape = c.layout.shape.map((n, k) => n * allReps[k]);
  // An empty result is, in NumPy, a reshape of the input or of an empty intermediate: its strides.
  if (sizeOf(shape) === 0) return freshOperand(memory, shape, source.dtype, emptyTileLayout(c.layout, allReps, shape, itemsize).strides);
  return fresh(memory, source, shape, 'C', (target) => copyPieces(target, c, [tilePiece(target.layout, c.layout, allReps)]));
}

/** `np.repeat(a, repeats, axis)`: `repeats` one count for all, or one per element along the axis. */
export function repeatOperand(memory: ArrayMemory, source: Operand, repeats: number | readonly number[], axis: number | null): Operand {
  const counts = typeof repeats === 'number' ? null : [...repeats];
  let scalar = 0;
  if (counts === null) {
    if (typeof repeats !== 'number' || !Number.isFinite(repeats)) throw new TypeError("'float' object cannot be interpreted as an integer");
    scalar = Math.trunc(repeats); // NumPy casts the counts to intp
    if (scalar < 0) throw new ValueError('negative dimensions are not allowed');
  } else {
    for (let i = 0; i < counts.length; i++) {
      if (typeof counts[i] !== 'number' || !Number.isFinite(counts[i])) {
        throw new TypeError('repeats must be integers (a number, or a list of numbers)');
      }
      counts[i] = Math.trunc(counts[i]);
    }
  }
  // NumPy repeats a 0-d array (and any array without an axis) as its 1-D ravel.
  const flat = axis === null || source.layout.shape.length === 0;
  const input = flat ? flattened(source) : { operand: source, release: () => {} };
  try {
    const from = input.operand;
    const k = normalizeAxis(flat && axis === null ? 0 : (axis as number), from.layout.shape.length);
    const n = from.layout.shape[k];
    if (counts !== null) {
      if (counts.length !== n && counts.length !== 1) {
        throw new ValueError(`operands could not be broadcast together with shape ${shapeRepr([n])} ${shapeRepr([counts.length])}`);
      }
      if (counts.some((c) => c < 0)) throw new ValueError('repeats may not contain negative values.');
    }
    const countOf = (i: number) => (counts === null ? scalar : counts.length === 1 ? counts[0] : counts[i]);
    let total = 0;
    for (let i = 0; i < n; i++) total += countOf(i);
    const shape = [...from.layout.shape];
    shape[k] = total;
    return fresh(memory, from, shape, 'C', (target) => {
      if (sizeOf(shape) === 0) return;
      // Runs of elements with the same count are one copy each (the whole axis for a single count).
      const pieces: CopyPiece[] = [];
      let at = 0;
      for (let i = 0; i < n;) {
        const count = countOf(i);
        let j = i + 1;
        while (j < n && countOf(j) === count) j++;
        if (count > 0) pieces.push(repeatPiece(target.layout, from.layout, k, i, j - i, count, at));
        at += (j - i) * count;
        i = j;
      }
      copyPieces(target, from, pieces);
    });
  } finally {
    input.release();
  }
}

/** `np.roll(a, shift, axis)`: without an axis the flattened array rolls and keeps its shape. */
export function rollOperand(
  memory: ArrayMemory,
  source: Operand,
  shift: number | readonly number[],
  axis: number | readonly number[] | null,
): Operand {
  const shifts = typeof shift === 'number' ? [shift] : Array.isArray(shift) ? [...(shift as readonly unknown[])] : null;
  if (shifts === null || shifts.some((s) => Array.isArray(s))) throw new ValueError("'shift' and 'axis' should be scalars or 1D sequences");
  for (const s of shifts) if (typeof s !== 'number' || !Number.isFinite(s)) throw new TypeError('roll: shifts must be numbers');
  const ndim = source.layout.shape.length;
  const axes = axis === null ? [0] : normalizeAxes(axis, ndim, undefined, true);
  // np.broadcast(shift, axis): sequences pair up element by element; a scalar or a length-1 sequence
  // goes with every element of the other.
  const shiftIsList = typeof shift !== 'number';
  const axisIsList = axis !== null && typeof axis !== 'number';
  if (shiftIsList && axisIsList && shifts.length !== axes.length && shifts.length !== 1 && axes.length !== 1) {
    throw new ValueError(
      `shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg 0 with shape ${shapeRepr([shifts.length])} and arg 1 with shape ${shapeRepr([axes.length])}.`,
    );
  }
  const pairs = shifts.length === 0 || axes.length === 0 ? 0 : Math.max(shifts.length, axes.length);
  const itemsize = itemsizeOf(source);
  const flat = axis === null ? flattened(source) : { operand: source, release: () => {} };
  try {
    const from = flat.operand;
    const totals = new Array<number>(from.layout.shape.length).fill(0);
    for (let p = 0; p < pairs; p++) {
      const s = shifts[shifts.length === 1 ? 0 : p] as number;
      totals[axes[axes.length === 1 ? 0 : p]] += Math.trunc(s); // Python's int(shift)
    }
    const reduced = totals.map((t, k) => {
      const n = from.layout.shape[k] || 1;
      return ((t % n) + n) % n;
    });
    // The result: `empty_like(a)` (memory order of a); rolled flat, NumPy reshapes a new 1-D array, so C
    // order (C strides counting 0 as 1 when empty, as a reshape gives).
    const shape = source.layout.shape;
    const size = sizeOf(shape);
    let strides: readonly number[] | 'C' = keepOrderCopyStrides(source.layout, itemsize);
    if (axis === null) strides = size === 0 ? contiguousStrides(shape, itemsize, 'C') : 'C';
    return fresh(memory, source, shape, strides, (target) => {
      const view = axis === null ? withLayout(target, freshLayout([size], itemsize)) : target;
      copyPieces(view, from, rollPieces(view.layout, from.layout, reduced));
    });
  } finally {
    flat.release();
  }
}
