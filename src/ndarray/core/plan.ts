/**
 * What a copy or fill must do, reduced to its simplest equivalent: size-1 axes dropped, 8-byte items
 * split into word pairs, the destination walked forwards, axes ordered by destination stride and merged
 * where they are contiguous in every operand, and narrow items widened to whole words where alignment
 * allows. The result is in units (the bytes one kernel invocation moves), ready for any backend.
 *
 * Plans assume source and destination do not overlap: the caller stages overlapping sources through a
 * temporary first (see `needsStaging`).
 */

import { itemsizeOf, type DType } from './dtype.js';
import { type Layout } from './layout.js';

/** Bytes moved per element of a plan: narrow items, words, or two or four aligned words (GPU vector moves). */
export type UnitSize = 1 | 2 | 4 | 8 | 16;

/** One operand of a plan, in units of the plan's `unit`. */
export interface PlanOperand {
  readonly offset: number;
  readonly strides: readonly number[];
}

export interface CopyPlan {
  readonly unit: UnitSize;
  /** Vector units only: the source walks its rows backwards, so each unit's lanes come reversed. */
  readonly reversedLanes: boolean;
  /** Iteration shape, outermost first; never empty (a single element is shape [1]). */
  readonly shape: readonly number[];
  readonly count: number;
  readonly dst: PlanOperand;
  readonly src: PlanOperand;
}

export interface FillPlan {
  readonly unit: UnitSize;
  readonly shape: readonly number[];
  readonly count: number;
  readonly dst: PlanOperand;
  /** The 8 bytes a contiguous run of the value shows at addresses ≡ 0..7 (mod 8), as two words
   * (little-endian). A unit at byte address A takes its bytes from the pattern at A mod 8. */
  readonly pattern: readonly [number, number];
}

/**
 * The axes of an iteration over several operands (operand 0 is the destination), kept as flat arrays
 * with a live length `rank`. Plans are made for every `set` (2,000 small sets take a few milliseconds),
 * so the axes live in scratch arrays that every plan reuses: planning allocates only the plan it returns
 * (growing arrays cost ~0.9 KB per plan, a third of a small set's garbage). Planning is synchronous and
 * never re-entered, so one scratch serves every call.
 */
interface Axes {
  /** How many axes are live (the arrays below are longer). */
  rank: number;
  /** How many operands are live. */
  ops: number;
  /** Length of each axis, outermost first. */
  n: Float64Array;
  /** strides[op][axis], in bytes. */
  strides: Float64Array[];
  /** Byte offset of each operand's first element. */
  offsets: Float64Array;
  /** Set by `widen`: the source's wide units come with their lanes reversed. */
  reversedLanes: boolean;
}

const scratch: Axes = { rank: 0, ops: 0, n: new Float64Array(0), strides: [], offsets: new Float64Array(0), reversedLanes: false };

/** The scratch axes, with room for `rank` axes (plus the one `splitWidth` may add) of `ops` operands. */
function scratchAxes(rank: number, ops: number): Axes {
  const capacity = rank + 1;
  if (scratch.n.length < capacity) {
    scratch.n = new Float64Array(capacity);
    scratch.strides = [];
  }
  const width = scratch.n.length;
  while (scratch.strides.length < ops) scratch.strides.push(new Float64Array(width));
  if (scratch.offsets.length < ops) scratch.offsets = new Float64Array(ops);
  scratch.rank = 0;
  scratch.ops = ops;
  return scratch;
}

/** The axes of `shape` longer than 1, walked so the destination goes forwards (an axis the destination
 * walks backwards is flipped in every operand); null when an axis is empty. */
function gatherAxes(shape: readonly number[], layouts: readonly Layout[]): Axes | null {
  const ops = layouts.length;
  for (let k = 0; k < shape.length; k++) if (shape[k] === 0) return null;
  const axes = scratchAxes(shape.length, ops);
  const { n, strides, offsets } = axes;
  for (let op = 0; op < ops; op++) offsets[op] = layouts[op].offset;
  let rank = 0;
  for (let k = 0; k < shape.length; k++) {
    const len = shape[k];
    if (len === 1) continue;
    n[rank] = len;
    const flip = layouts[0].strides[k] < 0;
    for (let op = 0; op < ops; op++) {
      const stride = layouts[op].strides[k];
      if (flip) offsets[op] += (len - 1) * stride;
      strides[op][rank] = flip ? -stride : stride;
    }
    rank++;
  }
  axes.rank = rank;
  return axes;
}

/** Orders axes by destination stride, largest outermost, so the innermost axis is the densest write
 * (a stable insertion sort: ranks are small). */
function sortByDestination(axes: Axes): void {
  const { n, strides, rank, ops } = axes;
  const dst = strides[0];
  for (let i = 1; i < rank; i++) {
    for (let j = i; j > 0 && Math.abs(dst[j - 1]) < Math.abs(dst[j]); j--) {
      swap(n, j, j - 1);
      for (let op = 0; op < ops; op++) swap(strides[op], j, j - 1);
    }
  }
}

function swap(values: Float64Array, i: number, j: number): void {
  const t = values[i];
  values[i] = values[j];
  values[j] = t;
}

/** Merges neighbours that are contiguous in every operand (CuPy's `_reduce_dims`), in place. */
function mergeContiguous(axes: Axes): void {
  const { n, strides, rank, ops } = axes;
  let kept = 0;
  for (let a = 0; a < rank; a++) {
    const outer = kept - 1;
    let contiguous = outer >= 0;
    for (let op = 0; contiguous && op < ops; op++) contiguous = strides[op][outer] === n[a] * strides[op][a];
    if (contiguous) {
      n[outer] *= n[a];
      for (let op = 0; op < ops; op++) strides[op][outer] = strides[op][a];
    } else {
      n[kept] = n[a];
      for (let op = 0; op < ops; op++) strides[op][kept] = strides[op][a];
      kept++;
    }
  }
  axes.rank = kept;
}

/** 8-byte items move as two 4-byte words: an extra innermost axis of length 2, stride 4. */
function splitWidth(itemsize: number, axes: Axes): UnitSize {
  if (itemsize !== 8) return itemsize as UnitSize;
  appendAxis(axes, 2, 4);
  return 4;
}

/** Adds an innermost axis of length `length` with the same `stride` in every operand. */
function appendAxis(axes: Axes, length: number, stride: number): void {
  axes.n[axes.rank] = length;
  for (let op = 0; op < axes.ops; op++) axes.strides[op][axes.rank] = stride;
  axes.rank++;
}

/**
 * Widens units when the innermost axis is contiguous in every operand and everything else is aligned to
 * the wider unit: 1- and 2-byte items to whole words (then no two invocations share a word), and on the
 * GPU words to vec2/vec4 moves. With `reversible`, a source walking the row backwards also qualifies:
 * it is read in wide units whose lanes come reversed. Returns the unit (`unit` itself when nothing
 * widens); `axes.reversedLanes` tells whether the lanes come reversed.
 */
function widen(unit: UnitSize, axes: Axes, to: 4 | 8 | 16, reversible: boolean): UnitSize {
  const { n, strides, offsets, ops } = axes;
  const inner = axes.rank - 1;
  if (unit >= to || inner < 0) return unit;
  const factor = to / unit;
  if (n[inner] % factor !== 0 || strides[0][inner] !== unit) return unit;
  let reversed = false;
  for (let op = 1; op < ops; op++) if (strides[op][inner] === -unit) reversed = reversible;
  for (let op = 1; op < ops; op++) {
    const s = strides[op][inner];
    if (!(s === unit || (reversed && s === -unit))) return unit;
  }
  for (let op = 0; op < ops; op++) {
    if (wideStart(axes, op, inner, factor * unit - unit) % to !== 0) return unit;
    for (let a = 0; a < inner; a++) if (strides[op][a] % to !== 0) return unit;
  }
  for (let op = 0; op < ops; op++) {
    offsets[op] = wideStart(axes, op, inner, factor * unit - unit);
    strides[op][inner] = strides[op][inner] < 0 ? -to : to;
  }
  n[inner] /= factor;
  axes.reversedLanes = reversed;
  return to;
}

/** Where operand `op`'s first wide unit starts: a reversed operand's starts at the lowest address of its
 * group, `back` bytes (the group's other items) before its first item. */
function wideStart(axes: Axes, op: number, inner: number, back: number): number {
  return axes.strides[op][inner] < 0 ? axes.offsets[op] - back : axes.offsets[op];
}

/** A one-element iteration when every axis had length 1. */
function atLeastOneAxis(axes: Axes): void {
  if (axes.rank === 0) appendAxis(axes, 1, 0);
}

function count(axes: Axes): number {
  let c = 1;
  for (let a = 0; a < axes.rank; a++) c *= axes.n[a];
  return c;
}

/**
 * `value` as an int32 when it is one. Plans are what the CPU's loops index with, and V8 keeps a number
 * that was once a double (a shape computed as `2 ** 12`, a stride of -0 from a flip) as a double: every
 * index computed from it then costs a float conversion, which makes strided loops twice as slow.
 */
export function int32IfExact(value: number): number {
  const int = value | 0;
  return int === value ? int : value;
}

/** Operand `op` of `axes` in units of `unit` bytes, in new arrays of their own (of exact length, made of
 * small integers where the values are: see `int32IfExact`). */
function operandIn(axes: Axes, op: number, unit: number): PlanOperand {
  const source = axes.strides[op];
  const strides = new Array<number>(axes.rank);
  for (let a = 0; a < axes.rank; a++) strides[a] = int32IfExact(source[a] / unit);
  return { offset: int32IfExact(axes.offsets[op] / unit), strides };
}

/** The plan's iteration shape, in small integers where they are (see `int32IfExact`). */
function planShape(axes: Axes): number[] {
  const shape = new Array<number>(axes.rank);
  for (let a = 0; a < axes.rank; a++) shape[a] = int32IfExact(axes.n[a]);
  return shape;
}

/**
 * Simplifies a copy or fill of `shape` over `layouts` (the destination first) into the scratch axes
 * (`reversedLanes` set) and returns the unit they count in; null when nothing moves.
 */
function simplify(shape: readonly number[], layouts: readonly Layout[], itemsize: number, maxUnit: 4 | 16): UnitSize | null {
  const axes = gatherAxes(shape, layouts);
  if (!axes) return null;
  sortByDestination(axes);
  const itemUnit = splitWidth(itemsize, axes);
  mergeContiguous(axes);
  let unit = widen(itemUnit, axes, 4, false);
  if (unit !== itemUnit) mergeContiguous(axes);
  axes.reversedLanes = false;
  if (maxUnit === 16 && unit === 4) {
    const vector = widen(unit, axes, 16, true);
    unit = vector !== unit ? vector : widen(unit, axes, 8, true);
    if (unit !== 4) mergeContiguous(axes);
  }
  atLeastOneAxis(axes);
  return unit;
}

/**
 * Plans `dst[...] = src` where `src` is already broadcast to `dst`'s shape; null when nothing moves.
 * `maxUnit` is the widest unit the executing backend moves (16: four-word vectors on the GPU).
 */
export function planCopy(dst: Layout, src: Layout, itemsize: number, maxUnit: 4 | 16 = 4): CopyPlan | null {
  const unit = simplify(dst.shape, [dst, src], itemsize, maxUnit);
  if (unit === null) return null;
  const axes = scratch;
  return {
    unit,
    reversedLanes: axes.reversedLanes,
    shape: planShape(axes),
    count: count(axes),
    dst: operandIn(axes, 0, unit),
    src: operandIn(axes, 1, unit),
  };
}

/** Plans `dst[...] = value` given the value's 8-byte pattern (see `scalarPattern`); null when nothing
 * is written. */
export function planFill(dst: Layout, pattern: readonly [number, number], itemsize: number, maxUnit: 4 | 16 = 4): FillPlan | null {
  const unit = simplify(dst.shape, [dst], itemsize, maxUnit);
  if (unit === null) return null;
  const axes = scratch;
  return { unit, shape: planShape(axes), count: count(axes), dst: operandIn(axes, 0, unit), pattern: [pattern[0], pattern[1]] };
}

/**
 * A plan over operands of possibly different item sizes (casts, elementwise operations): operand 0 is
 * the destination; each operand's offset and strides are in items of its own dtype.
 */
export interface ItemPlan {
  readonly shape: readonly number[];
  readonly count: number;
  readonly operands: readonly PlanOperand[];
}

/**
 * Plans an element-by-element operation: `layouts[0]` is the destination, the rest are sources already
 * broadcast to its shape; `itemsizes` gives each operand's item size. Null when there is nothing to do.
 */
export function planItems(layouts: readonly Layout[], itemsizes: readonly number[]): ItemPlan | null {
  const axes = gatherAxes(layouts[0].shape, layouts);
  if (!axes) return null;
  sortByDestination(axes);
  mergeContiguous(axes);
  atLeastOneAxis(axes);
  const operands = new Array<PlanOperand>(layouts.length);
  for (let op = 0; op < layouts.length; op++) operands[op] = operandIn(axes, op, itemsizes[op]);
  return { shape: planShape(axes), count: count(axes), operands };
}

/** A conversion between dtypes: operands in items of their own dtype. */
export interface CastPlan {
  readonly from: DType;
  readonly to: DType;
  readonly shape: readonly number[];
  readonly count: number;
  readonly dst: PlanOperand;
  readonly src: PlanOperand;
}

/** Plans `dst[...] = src.astype(dst.dtype)`, `src` already broadcast to `dst`'s shape; null when empty. */
export function planCast(dst: Layout, to: DType, src: Layout, from: DType): CastPlan | null {
  const plan = planItems([dst, src], [itemsizeOf(to), itemsizeOf(from)]);
  if (!plan) return null;
  return { from, to, shape: plan.shape, count: plan.count, dst: plan.operands[0], src: plan.operands[1] };
}

/**
 * Whether an operand walks two axes transposed: a larger stride along the inner axis than along the outer
 * one (and more than one item), so a walk along rows reads it one element per row. Every backend asks
 * this one question before it walks in tiles or blocks of rows instead.
 */
export function isTransposedWalk(outerStride: number, innerStride: number): boolean {
  return Math.abs(innerStride) > Math.max(1, Math.abs(outerStride));
}

/** `isTransposedWalk` for the two innermost axes of a plan operand's strides. */
export function walksInnerAxesTransposed(strides: readonly number[]): boolean {
  const rank = strides.length;
  return rank >= 2 && isTransposedWalk(strides[rank - 2], strides[rank - 1]);
}

/** The unit range `[low, high)` an operand touches over `shape`. */
export function operandRange(shape: readonly number[], operand: PlanOperand): [number, number] {
  let low = operand.offset;
  let high = operand.offset;
  shape.forEach((n, k) => {
    const extent = (n - 1) * operand.strides[k];
    if (extent < 0) low += extent;
    else high += extent;
  });
  return [low, high + 1];
}

/** The parts of a plan that windowing needs: any of the plan kinds has them. */
export interface SplittablePlan {
  readonly shape: readonly number[];
  readonly count: number;
  readonly dst: PlanOperand;
  readonly src?: PlanOperand;
}

/**
 * Splits an iteration space into pieces for which `fits` holds (e.g. every operand's byte range fits
 * one storage binding), halving the outermost axis until it does, and stepping into the next axis where
 * the outer one is down to length 1. The pieces' union is exactly the original space.
 */
export function splitOperands(plan: ItemPlan, fits: (piece: ItemPlan) => boolean): ItemPlan[] {
  if (fits(plan)) return [plan];
  const n = plan.shape[0];
  if (plan.shape.length === 1 && n === 1) throw new RangeError('a single element does not fit one binding window');
  const piece = (shape: number[], move: (o: PlanOperand) => PlanOperand): ItemPlan => ({
    shape,
    count: shape.reduce((p, m) => p * m, 1),
    operands: plan.operands.map(move),
  });
  if (n === 1) {
    // Drop the outer axis (its only coordinate is 0) and split the rest.
    return splitOperands(
      piece(plan.shape.slice(1), (o) => ({ offset: o.offset, strides: o.strides.slice(1) })),
      fits,
    );
  }
  const half = Math.ceil(n / 2);
  const rest = plan.shape.slice(1);
  const at = (start: number, length: number) =>
    piece([length, ...rest], (o) => ({ offset: o.offset + start * o.strides[0], strides: o.strides }));
  return [...splitOperands(at(0, half), fits), ...splitOperands(at(half, n - half), fits)];
}

/** `splitOperands` for plans with a destination and an optional source, keeping the plan's kind. */
export function splitPlan<P extends SplittablePlan>(plan: P, fits: (piece: P) => boolean): P[] {
  const operands = plan.src ? [plan.dst, plan.src] : [plan.dst];
  const back = (piece: ItemPlan): P =>
    ({ ...plan, shape: piece.shape, count: piece.count, dst: piece.operands[0], ...(plan.src ? { src: piece.operands[1] } : {}) }) as P;
  return splitOperands({ shape: plan.shape, count: plan.count, operands }, (piece) => fits(back(piece))).map(back);
}

/**
 * Whether a copy is a transpose (batched over outer axes): 4-byte units, the destination contiguous along
 * the innermost axis, the source contiguous along the one before it and striding along the innermost.
 * Such plans are moved tile by tile through fast memory instead of element by element.
 */
export function isTransposeLike(plan: CopyPlan): boolean {
  const rank = plan.shape.length;
  if (plan.unit !== 4 || rank < 2) return false;
  const inner = rank - 1;
  // The tile kernels read the source's columns as rows: it must be contiguous along the outer axis.
  return (
    plan.dst.strides[inner] === 1 &&
    plan.src.strides[inner - 1] === 1 &&
    walksInnerAxesTransposed(plan.src.strides) &&
    plan.shape[inner] >= 8 &&
    plan.shape[inner - 1] >= 8
  );
}

/**
 * Whether a transpose-like plan is aligned for 4×4 vector blocks: both extents multiples of 4, and every
 * offset and stride other than the unit ones a multiple of 4 words (rows start on 16-byte boundaries).
 */
export function isBlockAligned(plan: CopyPlan): boolean {
  const rank = plan.shape.length;
  const quad = (n: number) => n % 4 === 0;
  const batchStrides = (o: PlanOperand) => o.strides.slice(0, rank - 2).every(quad);
  return (
    quad(plan.shape[rank - 1]) &&
    quad(plan.shape[rank - 2]) &&
    quad(plan.dst.offset) &&
    quad(plan.src.offset) &&
    quad(plan.dst.strides[rank - 2]) &&
    quad(plan.src.strides[rank - 1]) &&
    batchStrides(plan.dst) &&
    batchStrides(plan.src)
  );
}
