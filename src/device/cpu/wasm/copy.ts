/**
 * Copy and fill plans on the WebAssembly kernels: the plan's two innermost axes are one call of a block
 * kernel (./copy-kernels.ts), outer axes an odometer around it, as for the JavaScript block kernels
 * (../copy.ts). Positions become byte addresses in the memory: the operand's block address plus its
 * offset, strides times the unit.
 */

import type { CopyPlan, FillPlan, PlanOperand } from '../../../ndarray/core/plan.js';
import { forEachBlock } from '../copy.js';
import type { CopyKernels } from './kernels.js';

type CopyKernel = CopyKernels['copy_u32'];

function copyKernel(kernels: CopyKernels, unit: number): CopyKernel {
  if (unit === 4) return kernels.copy_u32;
  if (unit === 2) return kernels.copy_u16;
  if (unit === 1) return kernels.copy_u8;
  throw new RangeError(`internal error: no copy kernel for ${unit}-byte units`);
}

/** The byte strides of an operand's two innermost axes (0 for a missing outer one). */
function innerStrides(operand: PlanOperand, rank: number, unit: number): [number, number] {
  return [rank >= 2 ? operand.strides[rank - 2] * unit : 0, operand.strides[rank - 1] * unit];
}

/** Executes a copy plan between blocks at byte addresses `dst` and `src` of the kernels' memory. */
export function copyInMemory(kernels: CopyKernels, dst: number, src: number, plan: CopyPlan): void {
  const { unit, shape } = plan;
  const kernel = copyKernel(kernels, unit);
  const rank = shape.length;
  const n0 = rank >= 2 ? shape[rank - 2] : 1;
  const n1 = shape[rank - 1];
  const [d0, d1] = innerStrides(plan.dst, rank, unit);
  const [s0, s1] = innerStrides(plan.src, rank, unit);
  const dBase = dst + plan.dst.offset * unit;
  const sBase = src + plan.src.offset * unit;
  if (rank <= 2) {
    kernel(dBase, sBase, n0, n1, d0, d1, s0, s1);
    return;
  }
  const bytes = (operand: PlanOperand) => operand.strides.map((s) => s * unit);
  forEachBlock(shape, dBase, bytes(plan.dst), sBase, bytes(plan.src), (d, s) => kernel(d, s, n0, n1, d0, d1, s0, s1));
}

/** Executes a fill plan into the block at byte address `dst`; `value` is one unit's bits where every
 * unit takes the same, null for 8-byte items whose halves differ (`plan.pattern` then says which). */
export function fillInMemory(kernels: CopyKernels, dst: number, plan: FillPlan, value: number | null): void {
  const { unit, shape } = plan;
  const rank = shape.length;
  const n0 = rank >= 2 ? shape[rank - 2] : 1;
  const n1 = shape[rank - 1];
  const [d0, d1] = innerStrides(plan.dst, rank, unit);
  const base = dst + plan.dst.offset * unit;
  const block =
    value === null
      ? (d: number) => kernels.fill_pair(d, n0, n1, d0, d1, plan.pattern[0], plan.pattern[1])
      : unit === 4
        ? (d: number) => kernels.fill_u32(d, n0, n1, d0, d1, value)
        : unit === 2
          ? (d: number) => kernels.fill_u16(d, n0, n1, d0, d1, value)
          : (d: number) => kernels.fill_u8(d, n0, n1, d0, d1, value);
  if (rank <= 2) {
    block(base);
    return;
  }
  const strides = plan.dst.strides.map((s) => s * unit);
  forEachBlock(
    shape,
    base,
    strides,
    0,
    strides.map(() => 0),
    block,
  );
}
