/**
 * Visits the rows of a strided iteration space: every combination of the outer axes, giving the start
 * position of the innermost run in each operand. An odometer, so no division per element; the caller
 * moves the elements of each run (where contiguous runs become `TypedArray.set`, `copyWithin`, `fill`).
 */

import { walksInnerAxesTransposed } from '../../ndarray/core/plan.js';

export type RowVisitor = (starts: Int32Array | Float64Array, length: number) => void;

/** Row length of the tiles `walkRows` uses with `tiled` (64 rows of 64 items stay in cache on both sides). */
const TILE = 64;

/**
 * `offsets[op]` and `strides[op][axis]` are in units; `shape` outermost first, never empty. `visit` gets
 * a reused array of each operand's start position for one row of at most `shape[last]` elements.
 *
 * With `tiled`, the two innermost axes are walked in TILE × TILE blocks (rows of at most TILE elements),
 * so that an operand walking them transposed reuses each cache line it loads; only for visits whose
 * order does not matter (no operand overlaps another).
 */
export function walkRows(
  shape: readonly number[],
  offsets: readonly number[],
  strides: readonly (readonly number[])[],
  visit: RowVisitor,
  tiled = false,
): void {
  const rank = shape.length;
  const operands = offsets.length;
  // Int32 positions where they fit: a double-typed index costs a conversion at every access.
  const starts = positionsFit(shape, offsets, strides, 2 ** 31) ? new Int32Array(operands) : new Float64Array(operands);
  for (let op = 0; op < operands; op++) starts[op] = offsets[op];
  if (rank === 1) {
    visit(starts, shape[0]);
    return;
  }
  const blockAxes = tiled ? 2 : 1;
  const outer = rank - blockAxes;
  const counter = new Array<number>(outer).fill(0);
  const base = new Float64Array(operands);
  for (;;) {
    if (tiled) visitTiles(shape, strides, starts, base, visit);
    else visit(starts, shape[rank - 1]);
    // Advance the odometer over the outer axes.
    let axis = outer - 1;
    for (; axis >= 0; axis--) {
      counter[axis]++;
      for (let op = 0; op < operands; op++) starts[op] += strides[op][axis];
      if (counter[axis] < shape[axis]) break;
      for (let op = 0; op < operands; op++) starts[op] -= strides[op][axis] * shape[axis];
      counter[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/** The two innermost axes from `starts` in tiles; leaves `starts` as it found them. */
function visitTiles(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  starts: Int32Array | Float64Array,
  base: Float64Array,
  visit: RowVisitor,
): void {
  const rank = shape.length;
  const n0 = shape[rank - 2];
  const n1 = shape[rank - 1];
  const operands = starts.length;
  base.set(starts);
  for (let i0 = 0; i0 < n0; i0 += TILE) {
    const iEnd = Math.min(i0 + TILE, n0);
    for (let j0 = 0; j0 < n1; j0 += TILE) {
      const length = Math.min(TILE, n1 - j0);
      for (let i = i0; i < iEnd; i++) {
        for (let op = 0; op < operands; op++) starts[op] = base[op] + i * strides[op][rank - 2] + j0 * strides[op][rank - 1];
        visit(starts, length);
      }
    }
  }
  starts.set(base);
}

/** Whether every position a walk reaches, and every offset and stride, is an integer of magnitude below
 * `limit` (2^31: an int32; 2^30: a small integer in V8 on every platform). */
export function positionsFit(
  shape: readonly number[],
  offsets: readonly number[],
  strides: readonly (readonly number[])[],
  limit: number,
): boolean {
  for (let op = 0; op < offsets.length; op++) if (!operandFits(shape, offsets[op], strides[op], limit)) return false;
  return true;
}

/** `positionsFit` for one operand (allocates nothing: the CPU copies ask for every `set`). */
export function operandFits(shape: readonly number[], offset: number, strides: readonly number[], limit: number): boolean {
  if (!Number.isInteger(offset)) return false;
  let extent = Math.abs(offset);
  for (let axis = 0; axis < shape.length; axis++) {
    if (!Number.isInteger(strides[axis])) return false;
    extent += (shape[axis] - 1) * Math.abs(strides[axis]);
  }
  return extent < limit;
}

/** Whether some operand walks the two innermost axes transposed (a larger stride along the inner one),
 * so that tiling them keeps its reads in cache. */
export function walksTransposed(shape: readonly number[], strides: readonly (readonly number[])[]): boolean {
  const rank = shape.length;
  if (rank < 2 || shape[rank - 1] < TILE || shape[rank - 2] < 2) return false;
  return strides.some(walksInnerAxesTransposed);
}
