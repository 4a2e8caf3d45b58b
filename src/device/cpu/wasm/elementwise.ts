/**
 * Elementwise plans on the WebAssembly lane kernels (./elementwise-kernels.ts), where the operation has
 * lanes for its loop dtype and nothing converts: every array input of the loop dtype, scalars already in
 * it, the result and the output of it too. Scalars are written once to the memory's reserved area and
 * read as a broadcast operand (stride 0).
 */

import type { ElementwisePlan } from '../../../ndarray/core/elementwise-plan.js';
import { dtypeInfo } from '../../../ndarray/core/dtype.js';
import { isComparisonLaneOp, isUnaryLaneOp, laneKernelName } from './elementwise-kernels.js';
import type { ElementwiseKernels, ReduceKernels } from './kernels.js';

/** Where scalar operands are written: the reserved area's first bytes, one 16-byte slot each. */
const SCALAR_SLOTS = 16;

type BlockKernel = (...args: number[]) => void;

/**
 * Runs the plan on the kernels and returns true, or returns false (having done nothing) where they do
 * not serve it. `dst` and `inputs` are byte addresses of the blocks (null for scalar inputs).
 */
export function elementwiseInMemory(
  kernels: ElementwiseKernels & ReduceKernels,
  dst: number,
  inputs: readonly (number | null)[],
  plan: ElementwisePlan,
): boolean {
  const op = plan.lanes;
  if (!op) return false;
  const loop = plan.inputs[0].loop;
  const comparison = isComparisonLaneOp(op);
  const result = comparison ? 'bool' : loop;
  if (plan.result !== result || plan.out !== result) return false;
  for (const input of plan.inputs) if (input.loop !== loop || (input.kind === 'array' && input.dtype !== loop)) return false;
  if (plan.inputs.length !== (isUnaryLaneOp(op) ? 1 : 2)) return false;
  const name = laneKernelName(op, loop);
  const kernel = name ? (kernels[name as `ew_${string}`] as BlockKernel | undefined) : undefined;
  if (!kernel) return false;
  const size = dtypeInfo(loop).itemsize;
  const { shape } = plan;
  const rank = shape.length;
  // Operands: the destination, then the inputs (scalars as a slot with no strides).
  const outSize = dtypeInfo(plan.out).itemsize;
  const bases: number[] = [dst + plan.dst.offset * outSize];
  const strides: number[][] = [plan.dst.strides.map((s) => s * outSize)];
  plan.inputs.forEach((input, k) => {
    if (input.kind === 'array') {
      bases.push((inputs[k] as number) + input.operand.offset * size);
      strides.push(input.operand.strides.map((s) => s * size));
      return;
    }
    const slot = SCALAR_SLOTS * (k + 1);
    const value = Number(input.value);
    if (loop === 'float32') kernels.store_f32(slot, value);
    else if (loop === 'float64') kernels.store_f64(slot, value);
    else kernels.store_i32(slot, value | 0);
    bases.push(slot);
    strides.push(shape.map(() => 0));
  });
  const n0 = rank >= 2 ? shape[rank - 2] : 1;
  const n1 = shape[rank - 1];
  const inner: number[] = [];
  for (const s of strides) inner.push(rank >= 2 ? s[rank - 2] : 0, s[rank - 1]);
  const run = (at: readonly number[]) => kernel(...at, n0, n1, ...inner);
  if (rank <= 2) run(bases);
  else forEachOuter(shape, bases, strides, run);
  return true;
}

/** Calls `block(positions)` for every combination of the outer axes (all but the last two) of several
 * operands. */
function forEachOuter(
  shape: readonly number[],
  bases: readonly number[],
  strides: readonly (readonly number[])[],
  block: (at: readonly number[]) => void,
): void {
  const outer = shape.length - 2;
  const counter = new Array<number>(outer).fill(0);
  const at = bases.slice();
  for (;;) {
    block(at);
    let axis = outer - 1;
    for (; axis >= 0; axis--) {
      counter[axis]++;
      for (let k = 0; k < at.length; k++) at[k] += strides[k][axis];
      if (counter[axis] < shape[axis]) break;
      for (let k = 0; k < at.length; k++) at[k] -= strides[k][axis] * shape[axis];
      counter[axis] = 0;
    }
    if (axis < 0) return;
  }
}
