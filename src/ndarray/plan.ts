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
 * The axes of an iteration over several operands (operand 0 is the destination), kept as flat arrays:
 * plans are made for every `set`, and per-axis objects cost more than the arithmetic on them.
 */
interface Axes {
  /** Length of each axis, outermost first. */
  n: number[];
  /** strides[op][axis], in bytes. */
  strides: number[][];
  /** Byte offset of each operand's first element. */
  offsets: number[];
}

/** The axes of `shape` longer than 1, walked so the destination goes forwards (an axis the destination
 * walks backwards is flipped in every operand); null when an axis is empty. */
function gatherAxes(shape: readonly number[], layouts: readonly Layout[]): Axes | null {
  const ops = layouts.length;
  const n: number[] = [];
  const strides: number[][] = [];
  const offsets: number[] = [];
  for (let op = 0; op < ops; op++) {
    strides.push([]);
    offsets.push(layouts[op].offset);
  }
  for (let k = 0; k < shape.length; k++) {
    const len = shape[k];
    if (len === 0) return null;
    if (len === 1) continue;
    n.push(len);
    const flip = layouts[0].strides[k] < 0;
    for (let op = 0; op < ops; op++) {
      const stride = layouts[op].strides[k];
      if (flip) offsets[op] += (len - 1) * stride;
      strides[op].push(flip ? -stride : stride);
    }
  }
  return { n, strides, offsets };
}

/** Orders axes by destination stride, largest outermost, so the innermost axis is the densest write
 * (a stable insertion sort: ranks are small). */
function sortByDestination(axes: Axes): void {
  const { n, strides } = axes;
  const dst = strides[0];
  for (let i = 1; i < n.length; i++) {
    for (let j = i; j > 0 && Math.abs(dst[j - 1]) < Math.abs(dst[j]); j--) {
      swap(n, j, j - 1);
      for (const s of strides) swap(s, j, j - 1);
    }
  }
}

function swap(values: number[], i: number, j: number): void {
  const t = values[i];
  values[i] = values[j];
  values[j] = t;
}

/** Merges neighbours that are contiguous in every operand (CuPy's `_reduce_dims`), in place. */
function mergeContiguous(axes: Axes): void {
  const { n, strides } = axes;
  let kept = 0;
  for (let a = 0; a < n.length; a++) {
    const outer = kept - 1;
    let contiguous = outer >= 0;
    for (let op = 0; contiguous && op < strides.length; op++) contiguous = strides[op][outer] === n[a] * strides[op][a];
    if (contiguous) {
      n[outer] *= n[a];
      for (const s of strides) s[outer] = s[a];
    } else {
      n[kept] = n[a];
      for (const s of strides) s[kept] = s[a];
      kept++;
    }
  }
  if (kept === n.length) return; // (setting length is a slow runtime call)
  n.length = kept;
  for (const s of strides) s.length = kept;
}

/** 8-byte items move as two 4-byte words: an extra innermost axis of length 2, stride 4. */
function splitWidth(itemsize: number, axes: Axes): UnitSize {
  if (itemsize !== 8) return itemsize as UnitSize;
  axes.n.push(2);
  for (const s of axes.strides) s.push(4);
  return 4;
}

/**
 * Widens units when the innermost axis is contiguous in every operand and everything else is aligned to
 * the wider unit: 1- and 2-byte items to whole words (then no two invocations share a word), and on the
 * GPU words to vec2/vec4 moves. With `reversible`, a source walking the row backwards also qualifies:
 * it is read in wide units whose lanes come reversed (the plan's `reversedLanes`).
 */
function widen(unit: UnitSize, axes: Axes, to: 4 | 8 | 16, reversible: boolean): { unit: UnitSize; reversed: boolean } | null {
  const { n, strides, offsets } = axes;
  const inner = n.length - 1;
  if (unit >= to || inner < 0) return null;
  const factor = to / unit;
  if (n[inner] % factor !== 0 || strides[0][inner] !== unit) return null;
  let reversed = false;
  for (let op = 1; op < strides.length; op++) if (strides[op][inner] === -unit) reversed = reversible;
  for (let op = 1; op < strides.length; op++) {
    const s = strides[op][inner];
    if (!(s === unit || (reversed && s === -unit))) return null;
  }
  // A reversed operand's wide unit starts at the lowest address of its group, factor - 1 items back.
  const start = (op: number) => (strides[op][inner] < 0 ? offsets[op] - (factor - 1) * unit : offsets[op]);
  for (let op = 0; op < strides.length; op++) {
    if (start(op) % to !== 0) return null;
    for (let a = 0; a < inner; a++) if (strides[op][a] % to !== 0) return null;
  }
  for (let op = 0; op < strides.length; op++) {
    offsets[op] = start(op);
    strides[op][inner] = strides[op][inner] < 0 ? -to : to;
  }
  n[inner] /= factor;
  return { unit: to as UnitSize, reversed };
}

/** A one-element iteration when every axis had length 1. */
function atLeastOneAxis(axes: Axes): void {
  if (axes.n.length > 0) return;
  axes.n.push(1);
  for (const s of axes.strides) s.push(0);
}

function count(shape: readonly number[]): number {
  let c = 1;
  for (const n of shape) c *= n;
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

/** Operand `op` of `axes` in units of `unit` bytes. */
function operandIn(axes: Axes, op: number, unit: number): PlanOperand {
  // A new array: one that has held a double keeps double storage whatever is stored in it later.
  const strides = axes.strides[op].map((stride) => int32IfExact(stride / unit));
  return { offset: int32IfExact(axes.offsets[op] / unit), strides };
}

/** The plan's iteration shape, in small integers where they are (see `int32IfExact`). */
function planShape(axes: Axes): number[] {
  return axes.n.map(int32IfExact);
}

function simplify(
  shape: readonly number[],
  layouts: readonly Layout[],
  itemsize: number,
  maxUnit: 4 | 16,
): { unit: UnitSize; reversedLanes: boolean; shape: number[]; count: number; operands: PlanOperand[] } | null {
  const axes = gatherAxes(shape, layouts);
  if (!axes) return null;
  sortByDestination(axes);
  let unit = splitWidth(itemsize, axes);
  mergeContiguous(axes);
  let reversedLanes = false;
  const words = widen(unit, axes, 4, false);
  if (words) {
    unit = words.unit;
    mergeContiguous(axes);
  }
  if (maxUnit === 16 && unit === 4) {
    const vector = widen(unit, axes, 16, true) ?? widen(unit, axes, 8, true);
    if (vector) {
      unit = vector.unit;
      reversedLanes = vector.reversed;
      mergeContiguous(axes);
    }
  }
  atLeastOneAxis(axes);
  const operands: PlanOperand[] = [];
  for (let op = 0; op < layouts.length; op++) operands.push(operandIn(axes, op, unit));
  return { unit, reversedLanes, shape: planShape(axes), count: count(axes.n), operands };
}

/**
 * Plans `dst[...] = src` where `src` is already broadcast to `dst`'s shape; null when nothing moves.
 * `maxUnit` is the widest unit the executing backend moves (16: four-word vectors on the GPU).
 */
export function planCopy(dst: Layout, src: Layout, itemsize: number, maxUnit: 4 | 16 = 4): CopyPlan | null {
  const s = simplify(dst.shape, [dst, src], itemsize, maxUnit);
  if (!s) return null;
  return { unit: s.unit, reversedLanes: s.reversedLanes, shape: s.shape, count: s.count, dst: s.operands[0], src: s.operands[1] };
}

/** Plans `dst[...] = value` given the value's 8-byte pattern (see `scalarPattern`); null when nothing
 * is written. */
export function planFill(dst: Layout, pattern: readonly [number, number], itemsize: number, maxUnit: 4 | 16 = 4): FillPlan | null {
  const s = simplify(dst.shape, [dst], itemsize, maxUnit);
  if (!s) return null;
  return { unit: s.unit, shape: s.shape, count: s.count, dst: s.operands[0], pattern: [pattern[0], pattern[1]] };
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
  const operands = layouts.map((_, op) => operandIn(axes, op, itemsizes[op]));
  return { shape: planShape(axes), count: count(axes.n), operands };
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

/** Whether an operand walks the two innermost axes of a plan transposed: a larger stride along the inner
 * one (more than one item), so a walk along rows reads it one element per row. Backends then walk in
 * tiles or blocks of rows. */
export function walksInnerAxesTransposed(strides: readonly number[]): boolean {
  const rank = strides.length;
  return rank >= 2 && Math.abs(strides[rank - 1]) > Math.max(1, Math.abs(strides[rank - 2]));
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
    return splitOperands(piece(plan.shape.slice(1), (o) => ({ offset: o.offset, strides: o.strides.slice(1) })), fits);
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
  return (
    plan.dst.strides[inner] === 1 &&
    plan.src.strides[inner - 1] === 1 &&
    Math.abs(plan.src.strides[inner]) > 1 &&
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
