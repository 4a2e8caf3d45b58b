/**
 * Recording the strided kernels (copy, fill, cast, transpose) of a plan. Buffers larger than one storage
 * binding are bound through windows: the plan is split (pure `splitPlan`) until each piece's byte range
 * fits a window, and each piece's offsets are rebased onto its window (offsets travel as uniforms, so any
 * window start works).
 */

import type { CommandBatch, Window } from './batch.js';
import { foldedGrid } from './batch.js';
import type { Allocator, GpuBuffer } from './buffer.js';
import type { PipelineCache } from './pipelines.js';
import { dtypeInfo } from '../../ndarray/core/dtype.js';
import { operandRange, splitPlan, type PlanOperand, type SplittablePlan } from '../../ndarray/core/plan.js';
import { WORKGROUP_SIZE, elementsPerInvocation, type KernelSpec, type KernelUnit } from '../../shaders/strided.js';
import { BLOCK_GROUP, TILE } from '../../shaders/transpose.js';
import type { KernelTuning } from '../../shaders/tuning.js';
import { rankCapacity } from '../../shaders/uniforms.js';

export interface KernelContext {
  readonly batch: CommandBatch;
  readonly pipelines: PipelineCache;
  readonly allocator: Allocator;
  /** What the kernels are tuned for (chosen per adapter; see shaders/tuning.ts). */
  readonly tuning: KernelTuning;
}

/** Bytes per unit of the destination and the source operand. */
function unitBytes(spec: KernelSpec): [number, number] {
  if (spec.kind === 'cast') return [dtypeInfo(spec.to).itemsize, dtypeInfo(spec.from).itemsize];
  if (spec.kind === 'transpose') return [4, 4];
  return [spec.unit, spec.unit];
}

export function byteRange(shape: readonly number[], operand: PlanOperand, unit: number): [number, number] {
  const [low, high] = operandRange(shape, operand);
  return [low * unit, high * unit];
}

/** C-order strides in units for a packed temporary of `shape`. */
export function contiguousUnitStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = step;
    step *= shape[k];
  }
  return strides;
}

/** Records one strided kernel over `plan` (`src` null: a fill, or a source in the destination's buffer). */
export function recordStrided(
  ctx: KernelContext,
  spec: KernelSpec,
  plan: SplittablePlan,
  dst: GpuBuffer,
  src: GpuBuffer | null,
  pattern: readonly [number, number] = [0, 0],
): void {
  const { batch } = ctx;
  const [dstUnit, srcUnit] = unitBytes(spec);
  const maxBinding = batch.maxBindingSize;
  const aliasedSource = spec.kind !== 'fill' && src === null;
  const whole = dst.size <= maxBinding && (!src || src.size <= maxBinding);
  // Buffers that fit one binding are bound whole (the usual case): no ranges to work out per piece.
  const wholeWindows = whole ? { dst: batch.whole(dst), src: src ? batch.whole(src) : null } : null;
  const windowsOf = (piece: SplittablePlan): { dst: Window; src: Window | null } => {
    if (wholeWindows) return wholeWindows;
    const dstRange = byteRange(piece.shape, piece.dst, dstUnit);
    if (aliasedSource && piece.src) {
      const srcRange = byteRange(piece.shape, piece.src, srcUnit);
      return { dst: batch.window(dst, [Math.min(dstRange[0], srcRange[0]), Math.max(dstRange[1], srcRange[1])]), src: null };
    }
    return {
      dst: batch.window(dst, dstRange),
      src: src && piece.src ? batch.window(src, byteRange(piece.shape, piece.src, srcUnit)) : null,
    };
  };
  if (!whole && aliasedSource && windowsOf(plan).dst.size > maxBinding) {
    // Source and destination lie further apart in one buffer than a binding reaches, and one buffer
    // cannot be bound twice when one binding writes: move the source through a temporary.
    recordThroughTemporary(ctx, spec, plan, dst, srcUnit);
    return;
  }
  const pieces = whole
    ? [plan]
    : splitPlan(plan, (piece) => {
        const w = windowsOf(piece);
        return w.dst.size <= maxBinding && (!w.src || w.src.size <= maxBinding);
      });
  for (const piece of pieces) {
    // A transpose split down to single rows is an ordinary copy.
    const pieceSpec: KernelSpec = spec.kind === 'transpose' && piece.shape.length < 2 ? { kind: 'copy', unit: 4, aliased: false } : spec;
    const windows = windowsOf(piece);
    // Operands are rebased onto their windows; an aliased source shares the destination's window.
    const rebase = (operand: PlanOperand, window: Window, unit: number): PlanOperand => ({
      offset: operand.offset - window.start / unit,
      strides: operand.strides,
    });
    const dstOperand = rebase(piece.dst, windows.dst, dstUnit);
    const srcOperand = piece.src
      ? rebase(piece.src, windows.src ?? windows.dst, srcUnit)
      : { offset: 0, strides: piece.shape.map(() => 0) };
    const rank = piece.shape.length;
    const capacity = rankCapacity(rank);
    batch.dispatch({
      pipeline: ctx.pipelines.get(pieceSpec, capacity),
      dst: windows.dst,
      reads: windows.src ? [windows.src] : [],
      params: batch.schema('strided', capacity),
      values: { count: piece.count, rank, dst_offset: dstOperand.offset, src_offset: srcOperand.offset, pattern },
      axes: piece.shape.map((n, k) => [n, dstOperand.strides[k], srcOperand.strides[k], 0]),
      grid: grid(pieceSpec, piece, batch.maxWorkgroupsPerDimension),
    });
  }
}

/** `dst ← src` within one buffer, staged through a contiguous temporary (two non-aliased kernels). */
function recordThroughTemporary(ctx: KernelContext, spec: KernelSpec, plan: SplittablePlan, buffer: GpuBuffer, srcUnit: number): void {
  const src = plan.src as PlanOperand;
  const temporary = ctx.allocator.alloc(plan.count * srcUnit);
  const packed = { offset: 0, strides: contiguousUnitStrides(plan.shape) };
  try {
    // First a same-dtype move of the source into the temporary (lanes put in order), then the real
    // kernel from the temporary.
    const reversed = spec.kind === 'copy' && spec.reversed === true;
    recordStrided(
      ctx,
      { kind: 'copy', unit: srcUnit as KernelUnit, aliased: false, reversed },
      { ...plan, dst: packed, src },
      temporary,
      buffer,
    );
    const second = (spec.kind === 'copy' ? { ...spec, aliased: false, reversed: false } : { ...spec, aliased: false }) as KernelSpec;
    recordStrided(ctx, second, { ...plan, src: packed }, buffer, temporary);
  } finally {
    ctx.allocator.release(temporary);
  }
}

/** Workgroups for a plan: runs of ELEMS folded into two dimensions, or tiles (× batches) for transposes. */
function grid(spec: KernelSpec, plan: SplittablePlan, maxPerDimension: number): [number, number, number] {
  if (spec.kind === 'transpose') {
    const rank = plan.shape.length;
    const batches = plan.count / (plan.shape[rank - 2] * plan.shape[rank - 1]);
    const side = spec.blocked ? 4 * BLOCK_GROUP : TILE; // elements per workgroup along each axis
    const tiles: [number, number, number] = [Math.ceil(plan.shape[rank - 1] / side), Math.ceil(plan.shape[rank - 2] / side), batches];
    if (tiles.some((n) => n > maxPerDimension)) throw new RangeError('internal error: transpose grid exceeds the dispatch limits');
    return tiles;
  }
  return foldedGrid(Math.ceil(plan.count / (WORKGROUP_SIZE * elementsPerInvocation(spec))), maxPerDimension);
}
