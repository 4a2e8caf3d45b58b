/**
 * Advanced indexing on the WebAssembly kernels (./index-kernels.ts): the plans of
 * ndarray/core/index-plan.ts walked row by row as the JavaScript loops (../indexing.ts) walk them, each
 * row one kernel call on byte addresses in the memory. Same results, bit for bit; each function returns
 * false where the kernels do not serve the plan (the JavaScript loops then run).
 */

import { walkKeepsKeyOrder, type GatherPlan, type KeyPlan, type MaskPlan, type ScatterPlan } from '../../../ndarray/core/index-plan.js';
import { keysOnOneAxis } from '../indexing.js';
import { walkRows } from '../walk.js';
import type { IndexKernels } from './kernels.js';
import type { IndexWidth, KeyItems } from './index-kernels.js';

const KEY_ITEMS: Partial<Record<KeyPlan['dtype'], KeyItems>> = {
  int64: 'i64',
  uint64: 'u64',
  int32: 'i32',
  uint32: 'u32',
  int16: 'i16',
  uint16: 'u16',
  int8: 'i8',
  uint8: 'u8',
  bool: 'u8',
};

/** Whether the kernels serve a key pass of this index dtype, axis and multiplier. */
export function keysServed(plan: KeyPlan): boolean {
  return KEY_ITEMS[plan.dtype] !== undefined && plan.size < 2 ** 32 && plan.multiplier < 2 ** 32;
}

/**
 * The key pass at byte addresses `keys` and `index`; returns the keys position (in words) of the first
 * index out of range, or -1. Call only where `keysServed`.
 */
export function indexKeysInMemory(kernels: IndexKernels, keys: number, index: number, plan: KeyPlan): number {
  const items = KEY_ITEMS[plan.dtype] as KeyItems;
  const kernel = kernels[`keys_${items}`];
  const itemsize = Number(items.slice(1)) / 8;
  const last = plan.shape.length - 1;
  const kStep = plan.keys.strides[last];
  const iStep = plan.index.strides[last];
  const flags = (plan.accumulate ? 1 : 0) | (plan.passInvalid ? 2 : 0);
  let badAt = -1;
  walkRows(plan.shape, [plan.keys.offset, plan.index.offset], [plan.keys.strides, plan.index.strides], (starts, n) => {
    const j = kernel(keys + starts[0] * 4, index + starts[1] * itemsize, n, kStep * 4, iStep * itemsize, plan.size, plan.multiplier, flags);
    if (j >= 0 && badAt < 0) badAt = starts[0] + j * kStep;
  });
  return badAt;
}

export function gatherInMemory(kernels: IndexKernels, dst: number, src: number, keys: number, plan: GatherPlan): boolean {
  if (!keysOnOneAxis(plan.keySpace)) return false;
  const w = plan.itemsize as IndexWidth;
  const kernel = kernels[`gather_${w}`];
  const last = plan.shape.length - 1;
  const keyStride = plan.keySpace.strides[0] * w;
  const dStep = plan.dst.strides[last] * w;
  const sStep = plan.src.strides[last] * w;
  const kStep = plan.keys.strides[last] * 4;
  walkRows(
    plan.shape,
    [plan.dst.offset, plan.src.offset, plan.keys.offset],
    [plan.dst.strides, plan.src.strides, plan.keys.strides],
    (starts, n) => kernel(dst + starts[0] * w, src + starts[1] * w, keys + starts[2] * 4, n, dStep, sStep, kStep, keyStride),
  );
  return true;
}

/**
 * A scatter; `seen` is a block of at least `ceil(lastWins.space / 8)` bytes for the last-occurrence pass
 * (null where the plan has none). Returns false, having done nothing, where the kernels do not serve it.
 */
export function scatterInMemory(
  kernels: IndexKernels,
  dst: number,
  value: number,
  keys: number,
  plan: ScatterPlan,
  seen: number | null,
): boolean {
  if (!keysOnOneAxis(plan.keySpace)) return false;
  if (plan.lastWins && !walkKeepsKeyOrder(plan)) {
    if (seen === null) return false;
    kernels.keep_last(keys, plan.lastWins.keys, seen, Math.ceil(plan.lastWins.space / 8));
  }
  const w = plan.itemsize as IndexWidth;
  const kernel = kernels[`scatter_${w}`];
  const last = plan.shape.length - 1;
  const keyStride = plan.keySpace.strides[0] * w;
  const dStep = plan.dst.strides[last] * w;
  const vStep = plan.value.strides[last] * w;
  const kStep = plan.keys.strides[last] * 4;
  walkRows(
    plan.shape,
    [plan.dst.offset, plan.value.offset, plan.keys.offset],
    [plan.dst.strides, plan.value.strides, plan.keys.strides],
    (starts, n) => kernel(dst + starts[0] * w, value + starts[1] * w, keys + starts[2] * 4, n, dStep, vStep, kStep, keyStride),
  );
  return true;
}

/** Bytes of scratch a scatter needs on the kernels: the last-occurrence pass's bitset, or none. */
export function scatterScratchBytes(plan: ScatterPlan): number {
  return plan.lastWins && !walkKeepsKeyOrder(plan) ? Math.ceil(plan.lastWins.space / 8) : 0;
}

export function compactMaskInMemory(kernels: IndexKernels, keys: number, count: number, mask: number, plan: MaskPlan): void {
  kernels.compact_mask(keys, count, mask + plan.offset, plan.length);
}
