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

interface Axis {
  n: number;
  strides: number[]; // bytes, one per operand
}

function toAxes(shape: readonly number[], layouts: readonly Layout[]): { axes: Axis[]; offsets: number[] } {
  const axes: Axis[] = [];
  shape.forEach((n, k) => {
    if (n !== 1) axes.push({ n, strides: layouts.map((l) => l.strides[k]) });
  });
  return { axes, offsets: layouts.map((l) => l.offset) };
}

/** Walks the destination (operand 0) forwards: flips every axis it walks backwards, in all operands. */
function forwardDestination(axes: Axis[], offsets: number[]): void {
  for (const axis of axes) {
    if (axis.strides[0] < 0) {
      axis.strides.forEach((s, op) => {
        offsets[op] += (axis.n - 1) * s;
        axis.strides[op] = -s;
      });
    }
  }
}

/** Orders axes by destination stride, largest outermost, so the innermost axis is the densest write. */
function sortByDestination(axes: Axis[]): void {
  axes.sort((p, q) => Math.abs(q.strides[0]) - Math.abs(p.strides[0]));
}

/** Merges neighbours that are contiguous in every operand (CuPy's `_reduce_dims`). */
function mergeContiguous(axes: Axis[]): Axis[] {
  const merged: Axis[] = [];
  for (const axis of axes) {
    const outer = merged[merged.length - 1];
    if (outer && outer.strides.every((s, op) => s === axis.n * axis.strides[op])) {
      outer.n *= axis.n;
      outer.strides = axis.strides.slice();
    } else {
      merged.push({ n: axis.n, strides: axis.strides.slice() });
    }
  }
  return merged;
}

/** 8-byte items move as two 4-byte words: an extra innermost axis of length 2, stride 4. */
function splitWidth(itemsize: number, axes: Axis[], operands: number): { unit: UnitSize; axes: Axis[] } {
  if (itemsize === 8) return { unit: 4, axes: [...axes, { n: 2, strides: new Array<number>(operands).fill(4) }] };
  return { unit: itemsize as UnitSize, axes };
}

/**
 * Widens units when the innermost axis is contiguous in every operand and everything else is aligned to
 * the wider unit: 1- and 2-byte items to whole words (then no two invocations share a word), and on the
 * GPU words to vec2/vec4 moves. With `reversible`, a source walking the row backwards also qualifies:
 * it is read in wide units whose lanes come reversed (the plan's `reversedLanes`).
 */
function widen(
  unit: UnitSize,
  axes: Axis[],
  offsets: number[],
  to: 4 | 8 | 16,
  reversible: boolean,
): { unit: UnitSize; reversed: boolean } | null {
  if (unit >= to || axes.length === 0) return null;
  const inner = axes[axes.length - 1];
  const factor = to / unit;
  if (inner.n % factor !== 0 || inner.strides[0] !== unit) return null;
  const reversed = reversible && inner.strides.slice(1).some((s) => s === -unit);
  if (!inner.strides.slice(1).every((s) => s === unit || (reversed && s === -unit))) return null;
  // A reversed operand's wide unit starts at the lowest address of its group, factor - 1 items back.
  const starts = offsets.map((o, op) => (inner.strides[op] < 0 ? o - (factor - 1) * unit : o));
  const aligned = starts.every((o) => o % to === 0) && axes.slice(0, -1).every((a) => a.strides.every((s) => s % to === 0));
  if (!aligned) return null;
  starts.forEach((o, op) => (offsets[op] = o));
  inner.n /= factor;
  inner.strides = inner.strides.map((s) => (s < 0 ? -to : to));
  return { unit: to as UnitSize, reversed };
}

function simplify(
  shape: readonly number[],
  layouts: readonly Layout[],
  itemsize: number,
  maxUnit: 4 | 16,
): { unit: UnitSize; reversedLanes: boolean; shape: number[]; count: number; operands: PlanOperand[] } | null {
  if (shape.some((n) => n === 0)) return null;
  const { axes: raw, offsets } = toAxes(shape, layouts);
  forwardDestination(raw, offsets);
  sortByDestination(raw);
  const split = splitWidth(itemsize, raw, layouts.length);
  let axes = mergeContiguous(split.axes);
  let unit = split.unit;
  let reversedLanes = false;
  const words = widen(unit, axes, offsets, 4, false);
  if (words) {
    unit = words.unit;
    axes = mergeContiguous(axes);
  }
  if (maxUnit === 16 && unit === 4) {
    const vector = widen(unit, axes, offsets, 16, true) ?? widen(unit, axes, offsets, 8, true);
    if (vector) {
      unit = vector.unit;
      reversedLanes = vector.reversed;
      axes = mergeContiguous(axes);
    }
  }
  if (axes.length === 0) axes = [{ n: 1, strides: layouts.map(() => 0) }];
  const planShape = axes.map((a) => a.n);
  return {
    unit,
    reversedLanes,
    shape: planShape,    count: planShape.reduce((p, n) => p * n, 1),
    operands: layouts.map((_, op) => ({
      offset: offsets[op] / unit,
      strides: axes.map((a) => a.strides[op] / unit),
    })),
  };
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
  const dst = layouts[0];
  if (dst.shape.some((n) => n === 0)) return null;
  const { axes: raw, offsets } = toAxes(dst.shape, layouts);
  forwardDestination(raw, offsets);
  sortByDestination(raw);
  let axes = mergeContiguous(raw);
  if (axes.length === 0) axes = [{ n: 1, strides: layouts.map(() => 0) }];
  const shape = axes.map((a) => a.n);
  const operands = layouts.map((_, op) => ({
    offset: offsets[op] / itemsizes[op],
    strides: axes.map((a) => a.strides[op] / itemsizes[op]),
  }));
  return { shape, count: shape.reduce((p, n) => p * n, 1), operands };
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
