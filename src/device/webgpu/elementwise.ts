/**
 * Recording an elementwise operation. Array inputs in the destination's buffer are exactly the
 * destination's elements or disjoint from them (the semantic layer stages overlapping ones): they are
 * read through the destination's binding, each element of the first kind by the invocation that writes
 * it. Buffers larger than one binding go through windows.
 */

import type { Window } from './batch.js';
import { foldedGrid } from './batch.js';
import type { GpuBuffer } from './buffer.js';
import { KernelCheck, type ReadBindings } from './pipelines.js';
import { ValueError } from '../../ndarray/core/errors.js';
import { byteRange, contiguousUnitStrides, recordStrided, type KernelContext } from './strided.js';
import { dtypeInfo, type DType } from '../../ndarray/core/dtype.js';
import type { ElementwisePlan } from '../../ndarray/core/elementwise-plan.js';
import { splitOperands, walksInnerAxesTransposed, type ItemPlan, type PlanOperand } from '../../ndarray/core/plan.js';
import { classBits } from '../../ndarray/core/kernel-forms.js';
import {
  ELEMENTWISE_ELEMS,
  ELEMENTWISE_WORKGROUP,
  elementwiseKernelSource,
  elementwiseKey,
  readBindings,
  type ElementwiseSpec,
} from '../../shaders/elementwise.js';
import type { KernelUnit } from '../../shaders/strided.js';
import { rankCapacity } from '../../shaders/uniforms.js';

/**
 * Records an elementwise operation. Returns null, or for a user's kernel whose compilation WebGPU has not
 * confirmed yet, the check of the work (recorded in a submission of its own: see `recordPieces`).
 */
export function recordElementwise(
  ctx: KernelContext,
  to: GpuBuffer,
  buffers: readonly (GpuBuffer | null)[],
  plan: ElementwisePlan,
): KernelCheck | null {
  const { batch } = ctx;
  if (plan.wgsl === null) throw new TypeError(`'${plan.name}' has no WebGPU kernel (a JavaScript function runs on the CPU backend only)`);
  const arrays: ArrayInput[] = plan.inputs.flatMap((input, k) =>
    input.kind === 'array' ? [{ k, operand: input.operand, dtype: input.dtype, buffer: buffers[k] as GpuBuffer }] : [],
  );
  const units = [dtypeInfo(plan.out).itemsize, ...arrays.map((a) => dtypeInfo(a.dtype).itemsize)];
  const maxBinding = batch.maxBindingSize;
  const temporaries: GpuBuffer[] = [];
  try {
    if (to.size > maxBinding) {
      // An input in the destination's buffer may lie further from the destination's elements than one
      // binding reaches, and one buffer cannot be bound twice where one binding writes: move such an
      // input into a temporary first.
      const dstRange = byteRange(plan.shape, plan.dst, units[0]);
      arrays.forEach((a, j) => {
        if (a.buffer !== to) return;
        const range = byteRange(plan.shape, a.operand, units[j + 1]);
        if (batch.window(to, [Math.min(dstRange[0], range[0]), Math.max(dstRange[1], range[1])]).size <= maxBinding) return;
        const temporary = ctx.allocator.alloc(plan.count * units[j + 1]);
        temporaries.push(temporary);
        const packed = { offset: 0, strides: contiguousUnitStrides(plan.shape) };
        const unit = units[j + 1] as KernelUnit;
        recordStrided(
          ctx,
          { kind: 'copy', unit, aliased: false },
          { shape: plan.shape, count: plan.count, dst: packed, src: a.operand },
          temporary,
          to,
        );
        arrays[j] = { ...a, operand: packed, buffer: temporary };
      });
    }
    return recordPieces(ctx, to, plan, arrays, units);
  } finally {
    for (const t of temporaries) ctx.allocator.release(t);
  }
}

interface ArrayInput {
  readonly k: number;
  readonly operand: PlanOperand;
  readonly dtype: DType;
  readonly buffer: GpuBuffer;
}

/** A user's expression that WebGPU refused: the error of the calls that use it. */
function userKernelFailure(details: string): Error {
  return new ValueError(`elementwise(): the WGSL expression does not compile: ${details}`);
}

/**
 * Records the dispatches. A user's expression is WGSL that may not compile, which WebGPU reports only
 * asynchronously, and an invalid pipeline invalidates the whole command buffer it is recorded in: until
 * its compilation is confirmed, its dispatches go in a submission of their own (nothing else is lost,
 * and the failure belongs to what it writes); once known to fail, the call throws at once.
 */
function recordPieces(
  ctx: KernelContext,
  to: GpuBuffer,
  plan: ElementwisePlan,
  arrays: readonly ArrayInput[],
  units: readonly number[],
): KernelCheck | null {
  const { batch } = ctx;
  const spec: ElementwiseSpec = {
    expression: plan.wgsl as string,
    helpers: plan.helpers,
    result: plan.result,
    out: plan.out,
    inputs: plan.inputs.map((input, k) => {
      const array = arrays.find((a) => a.k === k);
      return array
        ? { kind: 'array', dtype: array.dtype, loop: (input as { loop: DType }).loop, aliased: array.buffer === to }
        : { kind: 'scalar', loop: input.loop };
    }),
  };
  // Windows of a piece: one per array input (the destination's for aliased ones), then the destination's,
  // which covers the aliased inputs' elements too (they are exactly the destination's, or disjoint).
  const windowsOf = (piece: ItemPlan): Window[] => {
    let [low, high] = byteRange(piece.shape, piece.operands[0], units[0]);
    arrays.forEach((a, j) => {
      if (a.buffer !== to) return;
      const [l, h] = byteRange(piece.shape, piece.operands[j + 1], units[j + 1]);
      low = Math.min(low, l);
      high = Math.max(high, h);
    });
    const dstWindow = batch.window(to, [low, high]);
    const inputs = arrays.map((a, j) =>
      a.buffer === to ? dstWindow : batch.window(a.buffer, byteRange(piece.shape, piece.operands[j + 1], units[j + 1])),
    );
    return [...inputs, dstWindow];
  };
  const maxBinding = batch.maxBindingSize;
  const item: ItemPlan = { shape: plan.shape, count: plan.count, operands: [plan.dst, ...arrays.map((a) => a.operand)] };
  const whole = [to, ...arrays.map((a) => a.buffer)].every((b) => b.size <= maxBinding);
  const pieces = whole ? [item] : splitOperands(item, (piece) => windowsOf(piece).every((w) => w.size <= maxBinding));
  const capacity = rankCapacity(plan.shape.length);
  const key = elementwiseKey(spec, capacity);
  const source = () => elementwiseKernelSource(spec, capacity);
  const reads = readBindings(spec) as ReadBindings;
  const record = (pipeline: GPUComputePipeline): void => {
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
  };
  if (!plan.userCode) {
    record(ctx.pipelines.elementwise(key, source, reads));
    return null;
  }
  const compiled = ctx.pipelines.userElementwise(key, source, reads, userKernelFailure);
  if (compiled.check.error) throw compiled.check.error;
  if (compiled.check.settled) {
    record(compiled.pipeline);
    return null;
  }
  const submitted = batch.isolated(() => record(compiled.pipeline));
  // The compiler's message where it has one; else the submission's (a pipeline that compiled may still
  // fail validation in use).
  return KernelCheck.all([compiled.check, submitted]);
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
