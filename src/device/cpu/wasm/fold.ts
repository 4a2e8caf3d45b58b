/**
 * Reductions other than float sums on the WebAssembly fold kernels (./fold-kernels.ts): each output's
 * runs folded by a kernel call per run, and the runs' results combined here by the rules the JavaScript
 * fold (../reduce.ts `foldRuns`) applies, so that the result is the value it gives.
 */

import { dtypeInfo } from '../../../ndarray/core/dtype.js';
import type { ReducePlan } from '../../../ndarray/core/reduce-plan.js';
import type { Scalar } from '../../../ndarray/core/scalars.js';
import type { NumberArray } from '../../../ndarray/core/kernel-forms.js';
import { foldKey } from './fold-kernels.js';
import type { FoldKernels } from './kernels.js';

type RunKernel = (p: number, n: number, step: number) => number;

/**
 * A function folding one output (its runs: `rows` item positions after `base`, `inner` items `step`
 * apart each) as `foldRuns` does, for the reductions the kernels serve; null for the others.
 * `src` is the source block's byte address, `items` a view of it in the input's type.
 */
export function folderInMemory(
  kernels: FoldKernels,
  plan: ReducePlan,
  src: number,
  items: NumberArray,
): ((base: number, rows: Float64Array, inner: number, step: number) => Scalar) | null {
  const { op, input, accumulator } = plan;
  const key = foldKey(input);
  if (!key) return null;
  const kind = dtypeInfo(accumulator).kind;
  const size = dtypeInfo(input).itemsize;
  const kernel = kernels[`fold_${op}_${key}` as keyof FoldKernels] as RunKernel | undefined;
  if (!kernel) return null;
  const run = (base: number, row: number, inner: number, step: number) => kernel(src + (base + row) * size, inner, step * size);
  switch (op) {
    case 'any':
    case 'all': {
      const decided = op === 'any';
      return (base, rows, inner, step) => {
        for (let r = 0; r < rows.length; r++) if ((run(base, rows[r], inner, step) !== 0) === decided) return decided;
        return !decided;
      };
    }
    case 'prod': {
      // (Integer sums are exact sums: ./exact-sum.ts.)
      if (kind !== 'i' && kind !== 'u') return null;
      if (dtypeInfo(input).kind === 'f') return null;
      return (base, rows, inner, step) => {
        let acc = 1;
        for (let r = 0; r < rows.length; r++) acc = Math.imul(acc, run(base, rows[r], inner, step));
        return kind === 'i' ? acc | 0 : acc >>> 0;
      };
    }
    case 'min':
    case 'max':
    case 'argmin':
    case 'argmax': {
      if (input !== accumulator) return null;
      const lowest = op === 'min' || op === 'argmin';
      const arg = op === 'argmin' || op === 'argmax';
      const unsigned32 = input === 'uint32';
      return (base, rows, inner, step) => {
        let acc = 0;
        let best = -1;
        for (let r = 0; r < rows.length; r++) {
          const result = run(base, rows[r], inner, step);
          // The run's extreme: the kernel's value, or the item at the kernel's position.
          const at = arg ? result : 0;
          let v = arg ? items[base + rows[r] + at * step] : result;
          if (unsigned32 && !arg) v = v >>> 0;
          if (best < 0 || (lowest ? v < acc : v > acc) || v !== v) {
            acc = v;
            best = r * inner + at;
          }
          if (acc !== acc) break; // a NaN decides
        }
        if (arg) return best;
        return kind === 'b' ? acc !== 0 : acc;
      };
    }
    default:
      return null;
  }
}
