/**
 * Cast plans on the WebAssembly cast kernels (./cast-kernels.ts): the plan's two innermost axes per call,
 * outer axes an odometer around it, positions in bytes of each operand's own item size.
 */

import { dtypeInfo } from '../../../ndarray/core/dtype.js';
import type { CastPlan } from '../../../ndarray/core/plan.js';
import { forEachBlock } from '../copy.js';
import { castKernelName } from './cast-kernels.js';
import type { CastKernels } from './kernels.js';

/** Runs the plan and returns true, or false where there is no kernel for its pair of dtypes. */
export function castInMemory(kernels: CastKernels, dst: number, src: number, plan: CastPlan): boolean {
  const kernel = kernels[castKernelName(plan.from, plan.to) as keyof CastKernels];
  if (!kernel) return false;
  const dSize = dtypeInfo(plan.to).itemsize;
  const sSize = dtypeInfo(plan.from).itemsize;
  const { shape } = plan;
  const rank = shape.length;
  const n0 = rank >= 2 ? shape[rank - 2] : 1;
  const n1 = shape[rank - 1];
  const d0 = rank >= 2 ? plan.dst.strides[rank - 2] * dSize : 0;
  const s0 = rank >= 2 ? plan.src.strides[rank - 2] * sSize : 0;
  const d1 = plan.dst.strides[rank - 1] * dSize;
  const s1 = plan.src.strides[rank - 1] * sSize;
  const dBase = dst + plan.dst.offset * dSize;
  const sBase = src + plan.src.offset * sSize;
  if (rank <= 2) {
    kernel(dBase, sBase, n0, n1, d0, d1, s0, s1);
    return true;
  }
  forEachBlock(
    shape,
    dBase,
    plan.dst.strides.map((s) => s * dSize),
    sBase,
    plan.src.strides.map((s) => s * sSize),
    (d, s) => kernel(d, s, n0, n1, d0, d1, s0, s1),
  );
  return true;
}
