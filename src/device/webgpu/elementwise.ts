/**
 * Recording an elementwise operation. Array inputs in the destination's buffer must have exactly the
 * destination's layout (the semantic layer stages any other): they are read through its binding, each
 * element by the invocation that writes it. Buffers larger than one binding go through windows.
 */

import type { Window } from './batch.js';
import { foldedGrid } from './batch.js';
import type { GpuBuffer } from './buffer.js';
import type { ReadBindings } from './pipelines.js';
import { byteRange, type KernelContext } from './strided.js';
import { dtypeInfo } from '../../ndarray/core/dtype.js';
import type { MapPlan } from '../../ndarray/core/elementwise-plan.js';
import { splitOperands, walksInnerAxesTransposed, type ItemPlan } from '../../ndarray/core/plan.js';
import { classBits } from '../../ndarray/ops/ufuncs.js';
import {
  ELEMENTWISE_ELEMS,
  ELEMENTWISE_WORKGROUP,
  elementwiseKernelSource,
  elementwiseKey,
  readBindings,
  type ElementwiseSpec,
} from '../../shaders/elementwise.js';
import { rankCapacity } from '../../shaders/uniforms.js';

export function recordMap(ctx: KernelContext, to: GpuBuffer, buffers: readonly (GpuBuffer | null)[], plan: MapPlan): void {
  const { batch } = ctx;
  if (plan.wgsl === null) throw new TypeError(`'${plan.name}' has no WebGPU kernel (a JavaScript function runs on the CPU backend only)`);
  const spec: ElementwiseSpec = {
    expression: plan.wgsl,
    helpers: plan.helpers,
    result: plan.result,
    out: plan.out,
    inputs: plan.inputs.map((input, k) =>
      input.kind === 'array' ? { kind: 'array', dtype: input.dtype, loop: input.loop, aliased: buffers[k] === to } : { kind: 'scalar', loop: input.loop },
    ),
  };
  const arrays = plan.inputs.flatMap((input, k) => (input.kind === 'array' ? [{ k, operand: input.operand, dtype: input.dtype, buffer: buffers[k] as GpuBuffer }] : []));
  const units = [dtypeInfo(plan.out).itemsize, ...arrays.map((a) => dtypeInfo(a.dtype).itemsize)];
  // Windows of a piece: one per array input (the destination's for aliased ones), then the destination's.
  const windowsOf = (piece: ItemPlan): Window[] => {
    const dstWindow = batch.window(to, byteRange(piece.shape, piece.operands[0], units[0]));
    const inputs = arrays.map((a, j) => (a.buffer === to ? dstWindow : batch.window(a.buffer, byteRange(piece.shape, piece.operands[j + 1], units[j + 1]))));
    return [...inputs, dstWindow];
  };
  const maxBinding = batch.maxBindingSize;
  const item: ItemPlan = { shape: plan.shape, count: plan.count, operands: [plan.dst, ...arrays.map((a) => a.operand)] };
  const whole = [to, ...arrays.map((a) => a.buffer)].every((b) => b.size <= maxBinding);
  const pieces = whole ? [item] : splitOperands(item, (piece) => windowsOf(piece).every((w) => w.size <= maxBinding));
  const capacity = rankCapacity(plan.shape.length);
  const pipeline = ctx.pipelines.elementwise(elementwiseKey(spec, capacity), () => elementwiseKernelSource(spec, capacity), readBindings(spec) as ReadBindings);
  const scalars = plan.inputs.map((input) => (input.kind === 'scalar' ? classBits(input.value, input.loop) : 0));
  for (const piece of pieces) {
    const windows = windowsOf(piece);
    const dstWindow = windows[windows.length - 1];
    const rebased = piece.operands.map((o, j) => o.offset - (j === 0 ? dstWindow : windows[j - 1]).start / units[j]);
    // Per input k: its offset and strides (scalars: zeros), in the kernel's fixed slots in0..in2.
    const offsets = [0, 0, 0];
    const strides = [0, 1, 2].map(() => piece.shape.map(() => 0));
    arrays.forEach((a, j) => {
      offsets[a.k] = rebased[j + 1];
      strides[a.k] = [...piece.operands[j + 1].strides];
    });
    const rowBlocks = inRowBlocks(piece);
    const rowLength = piece.shape[piece.shape.length - 1];
    const groups = rowBlocks
      ? Math.ceil(piece.count / rowLength / ELEMENTWISE_WORKGROUP) * (rowLength / ELEMENTWISE_ELEMS)
      : Math.ceil(piece.count / (ELEMENTWISE_WORKGROUP * ELEMENTWISE_ELEMS));
    batch.dispatch({
      pipeline,
      dst: dstWindow,
      reads: arrays.flatMap((a, j) => (a.buffer === to ? [] : [windows[j]])),
      params: batch.schema('elementwise', capacity),
      values: { count: piece.count, rank: piece.shape.length, dst_offset: rebased[0], offsets, scalars, row_blocks: rowBlocks ? 1 : 0 },
      axes: piece.shape.flatMap((n, axis) => [
        [n, piece.operands[0].strides[axis], strides[0][axis], strides[1][axis]],
        [strides[2][axis], 0, 0, 0],
      ]),
      grid: foldedGrid(groups, batch.maxWorkgroupsPerDimension),
    });
  }
}

/**
 * Whether to hand out runs in blocks of rows: some input walks the two innermost axes transposed (a
 * larger stride along the inner one), rows are whole runs, and there are rows enough to fill a workgroup.
 */
function inRowBlocks(piece: ItemPlan): boolean {
  const rank = piece.shape.length;
  if (rank < 2) return false;
  const rowLength = piece.shape[rank - 1];
  if (rowLength % ELEMENTWISE_ELEMS !== 0 || piece.count / rowLength < ELEMENTWISE_WORKGROUP) return false;
  return piece.operands.slice(1).some((o) => walksInnerAxesTransposed(o.strides));
}
