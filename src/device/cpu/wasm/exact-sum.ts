/**
 * Integer sums and means on the WebAssembly kernels (./exact-sum-kernels.ts): each output's items summed
 * exactly in 64 bits, then wrapped to the 32-bit sum or divided into the float32 mean. These are the values
 * the JavaScript loops (../reduce.ts) give: an integer sum wrapped modulo 2^32 is the same whatever the order
 * of its additions, and a mean divides the exact sum (../../../ndarray/core/exact-mean.ts). Since no order
 * matters, the axes are walked in whichever order reads memory best: reduced axes forwards in memory,
 * merged where they meet, the closest-packed innermost; and the outputs innermost where they lie closer
 * together than the reduced items (`a.sum(0)` of a C-ordered array, `a.T.mean(1)`).
 */

import { dtypeInfo } from '../../../ndarray/core/dtype.js';
import { float32MeanOfSum } from '../../../ndarray/core/exact-mean.js';
import type { ReduceAxes, ReducePlan } from '../../../ndarray/core/reduce-plan.js';
import { positions } from '../sum-order.js';
import { exactSumKey } from './exact-sum-kernels.js';
import type { ReduceInMemory } from './reduce.js';

/** Where the sums of a group of outputs are kept: 64-bit words in the reserved area of the memory (see
 * ../heap.ts; above what the elementwise and gemm kernels use there). */
export const EXACT_SUMS_ADDRESS = 32 << 10;
/** Outputs summed together: their sums fill the rest of the reserved area. */
export const EXACT_SUMS_COUNT = 4096;

/** Outputs with fewer items than this go innermost even where the reduced items are closer together: a
 * kernel call per output would cost more than reading across. */
const SHORT_REDUCTION = 64;

const SAFE = 2n ** 53n;

/** Whether the kernels serve `plan`: a sum of 8- to 32-bit integers (or bools) into 32-bit words, or their
 * exact mean into float32. */
function served(plan: ReducePlan): boolean {
  if (exactSumKey(plan.input) === null) return false;
  if (plan.divisor !== undefined) return plan.op === 'mean' && plan.temp === 'float32';
  if (plan.op !== 'sum') return false;
  const acc = dtypeInfo(plan.accumulator);
  const temp = dtypeInfo(plan.temp);
  return (acc.kind === 'i' || acc.kind === 'u') && acc.itemsize === 4 && (temp.kind === 'i' || temp.kind === 'u') && temp.itemsize === 4;
}

/** Reduced axes in memory order: each walked forwards (`shift` moves every output's position to its
 * lowest element), by decreasing stride, neighbours that meet merged. */
function memoryOrder(axes: ReduceAxes): { shape: number[]; strides: number[]; shift: number } {
  let shift = 0;
  const sorted = axes.shape
    .map((n, k) => {
      const stride = axes.strides[k];
      if (stride < 0) shift += (n - 1) * stride;
      return { n, stride: Math.abs(stride) };
    })
    .sort((a, b) => b.stride - a.stride);
  const shape: number[] = [];
  const strides: number[] = [];
  for (const { n, stride } of sorted) {
    const last = shape.length - 1;
    if (last >= 0 && strides[last] === n * stride) {
      shape[last] *= n;
      strides[last] = stride;
    } else {
      shape.push(n);
      strides.push(stride);
    }
  }
  return { shape, strides, shift };
}

/**
 * An integer sum or mean written at `at.dst` (32-bit words, or float32 means); false where the kernels do
 * not serve the plan (the JavaScript loops then run). `memory` is the kernels' memory, where the few means
 * of sums beyond 2^53 are read back to be divided here.
 */
export function exactSumInMemory(at: ReduceInMemory, plan: ReducePlan, memory: ArrayBufferLike): boolean {
  if (!served(plan)) return false;
  const key = exactSumKey(plan.input) as string;
  const k = at.kernels;
  const size = dtypeInfo(plan.input).itemsize;
  const reduced = memoryOrder(plan.reduced);
  const rank = reduced.shape.length;
  const base = plan.offset + reduced.shift;
  const kept = plan.kept;
  const keptRank = kept.shape.length;
  const inner = rank > 0 ? reduced.shape[rank - 1] : 1;
  const step = rank > 0 ? reduced.strides[rank - 1] : 0;
  const keptStep = keptRank > 0 ? kept.strides[keptRank - 1] : 0;
  const sums = EXACT_SUMS_ADDRESS;
  const zero = (count: number) => k.fill_u8(sums, 1, count * 8, 0, 1, 0);
  const divisor = plan.divisor;
  /** Writes the results of `count` outputs from output `first` on. */
  const finish = (first: number, count: number) => {
    const dst = at.dst + first * 4;
    if (divisor === undefined) {
      k.xsum_wrap(dst, sums, count);
      return;
    }
    if (k.xsum_mean(dst, sums, count, divisor) === 0) return;
    const exact = new BigInt64Array(memory, sums, count);
    for (let j = 0; j < count; j++) {
      const sum = exact[j];
      if (sum > SAFE || sum < -SAFE) k.store_f32(dst + j * 4, float32MeanOfSum(sum, divisor));
    }
  };
  if (keptRank > 0 && (Math.abs(keptStep) < step || plan.length < SHORT_REDUCTION)) {
    // Outputs innermost: for each run of up to EXACT_SUMS_COUNT outputs along the last kept axis, the
    // closest-packed reduced axis as rows, the other reduced axes around the kernel.
    const run = kept.shape[keptRank - 1];
    const rows = k[`xsum_rows_${key}`];
    const outer = positions(kept.shape.slice(0, -1), kept.strides.slice(0, -1), base);
    const others = positions(reduced.shape.slice(0, -1), reduced.strides.slice(0, -1), 0);
    for (let g = 0; g < outer.length; g++) {
      for (let first = 0; first < run; first += EXACT_SUMS_COUNT) {
        const count = Math.min(EXACT_SUMS_COUNT, run - first);
        zero(count);
        const start = outer[g] + first * keptStep;
        for (let r = 0; r < others.length; r++) rows(sums, at.src + (start + others[r]) * size, count, keptStep * size, inner, step * size);
        finish(g * run + first, count);
      }
    }
    return true;
  }
  // Each output's items as blocks of the two closest-packed reduced axes, the others around the kernel.
  const block = k[`xsum_block_${key}`];
  const outputs = positions(kept.shape, kept.strides, base);
  const rows = rank > 1 ? reduced.shape[rank - 2] : 1;
  const rowStep = rank > 1 ? reduced.strides[rank - 2] : 0;
  const others = positions(reduced.shape.slice(0, -2), reduced.strides.slice(0, -2), 0);
  for (let first = 0; first < outputs.length; first += EXACT_SUMS_COUNT) {
    const count = Math.min(EXACT_SUMS_COUNT, outputs.length - first);
    zero(count);
    for (let j = 0; j < count; j++) {
      const start = outputs[first + j];
      for (let r = 0; r < others.length; r++)
        block(sums + j * 8, at.src + (start + others[r]) * size, rows, rowStep * size, inner, step * size);
    }
    finish(first, count);
  }
  return true;
}
