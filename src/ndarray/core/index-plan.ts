/**
 * What the backends execute for advanced indexing, ready for any backend (operands in units of their own
 * items; 32-bit keys, see advanced-index.ts):
 *
 * - a key pass turns one index array into keys over B (`keys = value × multiplier`, or added to the keys
 *   of earlier entries), checking every value against its axis on the device;
 * - a gather reads `src` at each result element's basic position plus its key's offset;
 * - a scatter writes each value at its key's element — only where no check of the same operation failed,
 *   and where keys repeat, only the last occurrence's value (found on the device when it cannot be
 *   known on the host);
 * - a mask compaction lists the flat positions of a boolean array's true elements (its keys) and their
 *   count.
 */

import type { DType, ItemSize } from './dtype.js';
import type { Layout } from './layout.js';
import { int32IfExact, operandRange, planItems, type PlanOperand } from './plan.js';

export interface KeySpace {
  /** The indexed axes' lengths (C order of keys) and their strides in items of the indexed array. */
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/** `keys[b] = normalise(index[b]) × multiplier`, or `+=` with `accumulate`; an index out of range makes
 * the key invalid and fails the check. The positions of B are the keys' (packed, C order). */
export interface KeyPlan {
  readonly shape: readonly number[];
  readonly count: number;
  readonly keys: PlanOperand;
  readonly index: PlanOperand;
  /** The index array's dtype (an integer dtype). */
  readonly dtype: DType;
  /** The length of the axis its values index: −size ≤ value < size. */
  readonly size: number;
  readonly multiplier: number;
  readonly accumulate: boolean;
  /** Index values equal to INVALID_KEY (the unused places of a mask's keys) make invalid keys without
   * failing the check. */
  readonly passInvalid: boolean;
}

/** `dst = src[basic + offset(key)]` over the result space, zero where the key is invalid. */
export interface GatherPlan {
  readonly itemsize: ItemSize;
  readonly shape: readonly number[];
  readonly count: number;
  readonly dst: PlanOperand;
  readonly src: PlanOperand;
  readonly keys: PlanOperand;
  readonly keySpace: KeySpace;
  /** The items of `src` that keys can reach (the indexed view's range), `[low, high)`. */
  readonly srcRange: readonly [number, number];
}

/** `dst[basic + offset(key)] = value` over the result space, skipping invalid keys. */
export interface ScatterPlan {
  readonly itemsize: ItemSize;
  readonly shape: readonly number[];
  readonly count: number;
  readonly dst: PlanOperand;
  readonly value: PlanOperand;
  readonly keys: PlanOperand;
  readonly keySpace: KeySpace;
  readonly dstRange: readonly [number, number];
  /**
   * Set when keys may repeat with different values: each element must end with the value of its key's
   * last occurrence (the largest position among the `keys` packed keys), over a key space of `space`
   * keys. Parallel writes need a pass that makes the other occurrences invalid, in place; a sequential
   * walk that keeps the keys' order needs none (`walkKeepsKeyOrder`).
   */
  readonly lastWins: { readonly keys: number; readonly space: number } | null;
}

/** The flat positions of the true elements of a packed boolean array of `length` items at `offset`: into
 * `keys` (capacity `length`; unused places invalid) and their number into `count` (one 32-bit word). */
export interface MaskPlan {
  readonly length: number;
  readonly offset: number;
}

const unitsOf = (layout: Layout, itemsize: number) => ({
  shape: layout.shape,
  strides: layout.strides.map((s) => s / itemsize),
  offset: layout.offset / itemsize,
});

/** The item range `[low, high)` of a layout (all of it when empty). */
export function itemRange(layout: Layout, itemsize: number): [number, number] {
  const units = unitsOf(layout, itemsize);
  if (units.shape.some((n) => n === 0)) return [units.offset, units.offset + 1];
  return operandRange(units.shape, units);
}

/** The key pass over B: `keys` (packed 32-bit keys, C order) and the index array broadcast to B. */
export function planKeys(
  keys: Layout,
  index: Layout,
  dtype: DType,
  itemsize: number,
  size: number,
  multiplier: number,
  accumulate: boolean,
  passInvalid = false,
): KeyPlan | null {
  const plan = planItems([keys, index], [4, itemsize]);
  if (!plan) return null;
  return {
    shape: plan.shape,
    count: plan.count,
    keys: plan.operands[0],
    index: plan.operands[1],
    dtype,
    size,
    multiplier,
    accumulate,
    passInvalid,
  };
}

/** A gather of the result space: `dst` (a fresh array over R), the basic part and keys over R. */
export function planGather(
  dst: Layout,
  basic: Layout,
  keys: Layout,
  view: Layout,
  itemsize: ItemSize,
  keySpace: KeySpace,
): GatherPlan | null {
  const plan = planItems([dst, basic, keys], [itemsize, itemsize, 4]);
  if (!plan) return null;
  return {
    itemsize,
    shape: plan.shape,
    count: plan.count,
    dst: plan.operands[0],
    src: plan.operands[1],
    keys: plan.operands[2],
    keySpace: itemKeySpace(keySpace, itemsize),
    srcRange: itemRange(view, itemsize),
  };
}

/** A scatter of the result space: the basic part of the target, the value and keys over R. */
export function planScatter(
  basic: Layout,
  value: Layout,
  keys: Layout,
  view: Layout,
  itemsize: ItemSize,
  keySpace: KeySpace,
  lastWins: ScatterPlan['lastWins'],
): ScatterPlan | null {
  const plan = planItems([basic, value, keys], [itemsize, itemsize, 4]);
  if (!plan) return null;
  return {
    itemsize,
    shape: plan.shape,
    count: plan.count,
    dst: plan.operands[0],
    value: plan.operands[1],
    keys: plan.operands[2],
    keySpace: itemKeySpace(keySpace, itemsize),
    dstRange: itemRange(view, itemsize),
    lastWins,
  };
}

/**
 * Whether walking the plan row by row visits, for each position of the target's basic axes, the keys in
 * their packed order (every axis that moves the keys moves nothing else, forward, nested as C order):
 * then a sequential executor's writes themselves leave each element the value of its key's last
 * occurrence, and the last-occurrence pass (a bitset of the whole key space) can be skipped.
 *
 * `planScatter` makes such plans: the keys move only along the index axes, where the basic part's
 * strides are 0, and sorting the axes by the target's strides moves those axes inward together in their
 * order. The question stays a check, not an assumption, so that a plan built otherwise still gets the pass.
 */
export function walkKeepsKeyOrder(plan: ScatterPlan): boolean {
  const { shape } = plan;
  const keys = plan.keys.strides;
  let extent = 0; // the largest keys offset the axes inside this one reach
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (shape[axis] === 1 || keys[axis] === 0) continue;
    if (plan.dst.strides[axis] !== 0 || keys[axis] <= extent) return false;
    extent += keys[axis] * (shape[axis] - 1);
  }
  return true;
}

/** The key space with strides in items, kept small integers where they are (see `int32IfExact`: the
 * CPU's loops multiply by them per element). */
function itemKeySpace(keySpace: KeySpace, itemsize: number): KeySpace {
  return { shape: keySpace.shape.map(int32IfExact), strides: keySpace.strides.map((s) => int32IfExact(s / itemsize)) };
}

/** The item offset of a key: its coordinates over the key space times the strides. */
export function keyOffset(key: number, keySpace: KeySpace): number {
  let rest = key;
  let offset = 0;
  for (let k = keySpace.shape.length - 1; k >= 0; k--) {
    const n = keySpace.shape[k];
    offset += (rest % n) * keySpace.strides[k];
    rest = Math.floor(rest / n);
  }
  return offset;
}
