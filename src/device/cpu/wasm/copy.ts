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

/** Executes a copy plan between blocks at byte addresses `dst` and `src` of the kernels' memory. Allocates
 * nothing for plans of one block (most, after merging): small sets run this thousands of times. */
export function copyInMemory(kernels: CopyKernels, dst: number, src: number, plan: CopyPlan): void {
  const { unit, shape } = plan;
  const kernel = copyKernel(kernels, unit);
  const rank = shape.length;
  const n1 = shape[rank - 1];
  const d1 = plan.dst.strides[rank - 1] * unit;
  const s1 = plan.src.strides[rank - 1] * unit;
  const dBase = dst + plan.dst.offset * unit;
  const sBase = src + plan.src.offset * unit;
  if (rank === 1) return kernel(dBase, sBase, 1, n1, 0, d1, 0, s1);
  const n0 = shape[rank - 2];
  const d0 = plan.dst.strides[rank - 2] * unit;
  const s0 = plan.src.strides[rank - 2] * unit;
  if (rank === 2) return kernel(dBase, sBase, n0, n1, d0, d1, s0, s1);
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
  const d0 = rank >= 2 ? plan.dst.strides[rank - 2] * unit : 0;
  const d1 = plan.dst.strides[rank - 1] * unit;
  const base = dst + plan.dst.offset * unit;
  if (rank <= 2) return fillBlock(kernels, unit, base, n0, n1, d0, d1, value, plan.pattern);
  const strides = plan.dst.strides.map((s) => s * unit);
  forEachBlock(
    shape,
    base,
    strides,
    0,
    strides.map(() => 0),
    (d) => fillBlock(kernels, unit, d, n0, n1, d0, d1, value, plan.pattern),
  );
}

function fillBlock(
  kernels: CopyKernels,
  unit: number,
  d: number,
  n0: number,
  n1: number,
  d0: number,
  d1: number,
  value: number | null,
  pattern: readonly [number, number],
): void {
  if (value === null) kernels.fill_pair(d, n0, n1, d0, d1, pattern[0], pattern[1]);
  else if (unit === 4) kernels.fill_u32(d, n0, n1, d0, d1, value);
  else if (unit === 2) kernels.fill_u16(d, n0, n1, d0, d1, value);
  else kernels.fill_u8(d, n0, n1, d0, d1, value);
}
