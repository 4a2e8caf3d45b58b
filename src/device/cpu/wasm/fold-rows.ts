/**
 * Reductions other than sums with many outputs on the WebAssembly rows kernels (./fold-rows-kernels.ts):
 * outputs innermost, a kernel call serving up to ROWS_GROUP outputs, rather than a fold kernel call per
 * output (./fold.ts) or the JavaScript gathering (../reduce.ts). Each output's items are still read in C
 * order of the reduced axes — the kernel's rows are the last reduced axis, the other reduced axes are
 * walked around it in C order — so first occurrences, the first NaN and products come out as the
 * JavaScript loops give them.
 */

import { dtypeInfo } from '../../../ndarray/core/dtype.js';
import type { ReducePlan } from '../../../ndarray/core/reduce-plan.js';
import { positions } from '../sum-order.js';
import { EXACT_SUMS_ADDRESS } from './exact-sum.js';
import { foldKey } from './fold-kernels.js';
import { resultWidth, type RowsOp } from './fold-rows-kernels.js';
import type { ReduceInMemory } from './reduce.js';

/** Where argmin/argmax keep each output's extreme item between kernel calls: the reserved area the exact
 * sums use (../heap.ts), free while another reduction runs. */
export const ROWS_VALUES_ADDRESS = EXACT_SUMS_ADDRESS;
/** Outputs per kernel call: their items (at most 8 bytes each, `valueWidth`) fill that area. */
export const ROWS_GROUP = 4096;
/** Outputs with fewer items than this go innermost even where the reduced items are closer together: a
 * fold kernel call per output would cost more than reading across. */
const SHORT_REDUCTION = 64;

/** Whether the rows kernels give `plan`'s results, in its `temp` words. */
function served(plan: ReducePlan): boolean {
  const { op, input, accumulator, temp } = plan;
  const key = foldKey(input);
  if (key === null || op === 'sum' || op === 'mean') return false;
  const acc = dtypeInfo(accumulator);
  const t = dtypeInfo(temp);
  switch (op) {
    case 'min':
    case 'max':
      // Narrow items widened into 32-bit words of their own kind (bools are 0 or 1).
      return input === accumulator && t.itemsize === resultWidth(op, key) && (t.kind === acc.kind || (acc.kind === 'b' && t.kind === 'u'));
    case 'argmin':
    case 'argmax':
      return input === accumulator && temp === 'int32';
    case 'any':
    case 'all':
      return t.itemsize === 4 && t.kind !== 'f';
    case 'prod':
      if (dtypeInfo(input).kind === 'f') return accumulator === input && temp === input;
      return (acc.kind === 'i' || acc.kind === 'u') && acc.itemsize === 4 && (t.kind === 'i' || t.kind === 'u') && t.itemsize === 4;
  }
}

/**
 * A reduction other than a sum over several outputs (many short ones, outputs closer together than their
 * items, or items over several reduced axes), written at `at.dst`; false where the kernels do not serve
 * the plan or the fold kernels read it better (they, or the JavaScript loops, then run).
 */
export function foldRowsInMemory(at: ReduceInMemory, plan: ReducePlan): boolean {
  const kept = plan.kept;
  const keptRank = kept.shape.length;
  if (keptRank === 0 || plan.outputs < 2 || !served(plan)) return false;
  const reduced = plan.reduced;
  const rank = reduced.shape.length;
  const inner = rank > 0 ? reduced.shape[rank - 1] : 1;
  const step = rank > 0 ? reduced.strides[rank - 1] : 0;
  const keptStep = kept.strides[keptRank - 1];
  // Each output one long contiguous run, the outputs further apart: a fold kernel call per output reads
  // it by vectors (./fold.ts). Everything else comes here (the JavaScript loops would gather it).
  const oneRunEach = rank <= 1 && Math.abs(step) <= 1;
  if (oneRunEach && Math.abs(keptStep) >= Math.abs(step) && plan.length >= SHORT_REDUCTION) return false;
  const op = plan.op as RowsOp;
  const key = foldKey(plan.input) as NonNullable<ReturnType<typeof foldKey>>;
  const kernel = at.kernels[`rows_${op}_${key}`];
  const size = dtypeInfo(plan.input).itemsize;
  const width = resultWidth(op, key);
  const run = kept.shape[keptRank - 1];
  const outer = positions(kept.shape.slice(0, -1), kept.strides.slice(0, -1), plan.offset);
  const others = positions(reduced.shape.slice(0, -1), reduced.strides.slice(0, -1), 0);
  for (let g = 0; g < outer.length; g++) {
    for (let first = 0; first < run; first += ROWS_GROUP) {
      const count = Math.min(ROWS_GROUP, run - first);
      const start = outer[g] + first * keptStep;
      const dst = at.dst + (g * run + first) * width;
      for (let r = 0; r < others.length; r++)
        kernel(dst, ROWS_VALUES_ADDRESS, at.src + (start + others[r]) * size, count, keptStep * size, inner, step * size, r * inner);
    }
  }
  return true;
}
