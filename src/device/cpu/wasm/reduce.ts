/**
 * Float sums on the WebAssembly kernels (./reduce-kernels.ts), in the order the JavaScript loops follow
 * (../sum-order.ts): float32 and float64 items summed in their own type, results written at `dst`.
 */

import type { ReducePlan } from '../../../ndarray/core/reduce-plan.js';
import { positions, type SumOrder } from '../sum-order.js';
import type { CopyKernels, ExactSumKernels, FoldKernels, FoldRowsKernels, ReduceKernels } from './kernels.js';

/** The kernels and the byte addresses of a reduction's blocks. */
export interface ReduceInMemory {
  readonly kernels: ReduceKernels & CopyKernels & FoldKernels & ExactSumKernels & FoldRowsKernels;
  readonly dst: number;
  readonly src: number;
}

/**
 * A float32 or float64 sum (or mean's sum) of items of the accumulator's own type, written at `at.dst`
 * in that type; false where the kernels do not serve the plan (the JavaScript loops then run).
 * `order` is what `numpySumOrder` says. The outputs' positions are listed only where their order needs
 * them (runs over several axes): a table of millions of short outputs cost more than their sums.
 */
export function sumFloatsInMemory(at: ReduceInMemory, plan: ReducePlan, order: SumOrder | null): boolean {
  const t = plan.accumulator;
  if ((plan.op !== 'sum' && plan.op !== 'mean') || plan.input !== t || plan.temp !== t) return false;
  if (t !== 'float32' && t !== 'float64') return false;
  const k = at.kernels;
  const b = t === 'float32' ? 4 : 8;
  const pairwise = t === 'float32' ? k.pairwise_f32 : k.pairwise_f64;
  const round = t === 'float32' ? Math.fround : (x: number) => x;
  const count = plan.outputs;
  const keptRank = plan.kept.shape.length;
  const keptStep = keptRank === 1 ? plan.kept.strides[0] * b : 0;
  const rank = plan.reduced.shape.length;
  const inner = rank > 0 ? plan.reduced.shape[rank - 1] : 1;
  const step = rank > 0 ? plan.reduced.strides[rank - 1] : 0;
  const results = () => (t === 'float32' ? k.store_f32 : k.store_f64);
  if (order?.kind === 'elements') {
    if (keptRank !== 1) return false;
    const addRows = t === 'float32' ? k.add_rows_f32 : k.add_rows_f64;
    const first = at.src + plan.offset * b;
    // The innermost of the reduced axes (in NumPy's order) as rows of one call, the others around it.
    const axes = order.axes;
    const last = axes[axes.length - 1];
    const rows = plan.reduced.shape[last];
    const rowStep = plan.reduced.strides[last] * b;
    const outer = positions(
      axes.slice(0, -1).map((a) => plan.reduced.shape[a]),
      axes.slice(0, -1).map((a) => plan.reduced.strides[a]),
      0,
    );
    for (let r = 0; r < outer.length; r++) addRows(at.dst, first + outer[r] * b, count, keptStep, rows, rowStep, r === 0 ? 1 : 0);
    return true;
  }
  if (order?.kind === 'runs') {
    const n = plan.reduced.shape[order.inner];
    const runStep = plan.reduced.strides[order.inner] * b;
    const starts = positions(
      order.outer.map((a) => plan.reduced.shape[a]),
      order.outer.map((a) => plan.reduced.strides[a]),
      0,
    );
    const store = results();
    const outputs = positions(plan.kept.shape, plan.kept.strides, plan.offset);
    for (let o = 0; o < count; o++) {
      let sum = 0;
      for (let r = 0; r < starts.length; r++) sum = round(sum + pairwise(at.src + (outputs[o] + starts[r]) * b, n, runStep));
      store(at.dst + o * b, sum);
    }
    return true;
  }
  if (order === null && rank <= 1) {
    // One run per output: the runs of the last kept axis in one call each (short runs summed in the call
    // itself), for each position of the kept axes around it.
    const sumOutputs = t === 'float32' ? k.sum_outputs_f32 : k.sum_outputs_f64;
    const run = keptRank > 0 ? plan.kept.shape[keptRank - 1] : 1;
    const runStep = keptRank > 0 ? plan.kept.strides[keptRank - 1] * b : 0;
    const outer = positions(plan.kept.shape.slice(0, -1), plan.kept.strides.slice(0, -1), plan.offset);
    for (let g = 0; g < outer.length; g++) sumOutputs(at.dst + g * run * b, at.src + outer[g] * b, run, runStep, inner, step * b);
    return true;
  }
  return false;
}
