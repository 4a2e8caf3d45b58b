/**
 * Recording a reduction: short ones in one serial pass (an invocation per output); long ones as
 * workgroup trees over chunks, whose partial results are reduced again until one per output remains.
 * Sources larger than one storage binding are reduced in pieces read through windows.
 */

import type { Window } from './batch.js';
import type { GpuBuffer } from './buffer.js';
import type { KernelContext } from './strided.js';
import { dtypeInfo, type DType } from '../../ndarray/core/dtype.js';
import { splitReduction, type ReduceAxes, type ReducePiece, type ReducePlan } from '../../ndarray/core/reduce-plan.js';
import { classDType, computeClass } from '../../ndarray/core/kernel-forms.js';
import { REDUCE_GROUP, isWordPairAccumulator, reduceKernelSource, reduceKey, type ReduceKernelSpec } from '../../shaders/reduce.js';
import type { KernelTuning } from '../../shaders/tuning.js';
import { rankCapacity } from '../../shaders/uniforms.js';

/** Reductions this long or shorter run one invocation per output; longer ones run workgroup trees. */
const SERIAL_REDUCTION = 256;

/** Whether a long reduction runs down columns: enough outputs to fill workgroups, neighbouring outputs
 * neighbours in memory, and the reduced elements of one output far apart (a tree would read them with a
 * large stride; serial spans read neighbouring outputs' elements together). */
function downColumns(piece: { kept: ReduceAxes; reduced: ReduceAxes }, outputs: number): boolean {
  const keptStride = piece.kept.strides[piece.kept.strides.length - 1];
  const reducedStride = piece.reduced.strides[piece.reduced.strides.length - 1];
  return outputs >= REDUCE_GROUP && Math.abs(keptStride) === 1 && Math.abs(reducedStride) > 1;
}

interface Pass {
  spec: ReduceKernelSpec;
  target: GpuBuffer;
  source: Window;
  offset: number;
  length: number;
  kept: ReduceAxes;
  reduced: ReduceAxes;
  chunks: number;
  /** Elements per invocation (see the kernel's `span`). */
  span: number;
}

/** Most workgroups (or spans) per output: one grid dimension. */
const MAX_CHUNKS = 65535;

/**
 * A tree pass over `length` elements for each of `outputs`: elements per invocation and workgroups per
 * output. Spans are as long as the tuning allows (fewer workgroup trees and passes) while the pass still
 * has the tuning's workgroups in flight (GPUs hide memory latency with them), and longer where needed to
 * stay within MAX_CHUNKS workgroups per output.
 */
function treeWork(length: number, outputs: number, tuning: KernelTuning): { span: number; chunks: number } {
  const wanted = Math.ceil(tuning.reduceWorkgroups / outputs);
  const span = Math.max(
    Math.min(tuning.reduceMaxSpan, Math.ceil(length / (REDUCE_GROUP * wanted))),
    Math.ceil(length / (REDUCE_GROUP * MAX_CHUNKS)),
    1,
  );
  return { span, chunks: Math.ceil(length / (REDUCE_GROUP * span)) };
}

/** A serial pass down columns (a workgroup per REDUCE_GROUP outputs and span), sized like treeWork. */
function columnWork(length: number, outputs: number, tuning: KernelTuning): { span: number; chunks: number } {
  const wanted = Math.ceil(tuning.reduceWorkgroups / Math.ceil(outputs / REDUCE_GROUP));
  const span = Math.max(Math.min(tuning.reduceMaxSpan, Math.ceil(length / wanted)), Math.ceil(length / MAX_CHUNKS), 1);
  return { span, chunks: Math.ceil(length / span) };
}

/** Where a reduction's last pass writes: values (or positions) for every output, or the partial
 * result of one part of a split reduction, at slot `base + output × stride`. */
interface Destination {
  readonly buffer: GpuBuffer;
  readonly to: 'values' | 'partials';
  readonly slotBase: number;
  readonly slotStride: number;
}

/**
 * Records `plan` (over items of `plan.input`, or over the (value, position) partials of an earlier
 * reduction). A source that spans more than one storage binding is reduced in pieces
 * (`splitReduction`), each read through a window of its own: pieces that hold all of their outputs'
 * elements write their results in place; otherwise each piece leaves a partial result per output and
 * part, and a last reduction combines the parts.
 */
export function recordReduction(ctx: KernelContext, to: GpuBuffer, from: GpuBuffer, plan: ReducePlan, source: Source = 'items'): void {
  if (plan.outputs === 0) return;
  const partialDType = partialsOf(plan);
  const { batch } = ctx;
  const itemsize = sourceItemsize(plan, source);
  const whole: ReducePiece = { ...plan, outputBase: 0, positionBase: 0, part: 0 };
  const fitsWhole = sourceWindow(ctx, from, whole, itemsize).size <= batch.maxBindingSize && to.size <= batch.maxBindingSize;
  if (fitsWhole) {
    recordPasses(ctx, plan, from, whole, { buffer: to, to: 'values', slotBase: 0, slotStride: 1 }, source);
    return;
  }
  // Window starts are aligned down, so a window may begin that much before what it covers.
  const room = batch.maxBindingSize - batch.storageOffsetAlignment;
  const { pieces, parts } = splitReduction(plan, Math.floor(room / itemsize), (parts) =>
    Math.floor(room / (parts > 1 ? PAIR_BYTES * parts : VALUE_BYTES)),
  );
  if (parts === 1) {
    for (const piece of pieces)
      recordPasses(ctx, plan, from, piece, { buffer: to, to: 'values', slotBase: piece.outputBase, slotStride: 1 }, source);
    return;
  }
  const partials = ctx.allocator.alloc(plan.outputs * parts * PAIR_BYTES);
  try {
    for (const piece of pieces) {
      const destination: Destination = {
        buffer: partials,
        to: 'partials',
        slotBase: piece.outputBase * parts + piece.part,
        slotStride: parts,
      };
      recordPasses(ctx, plan, from, piece, destination, source);
    }
    const combine: ReducePlan = {
      ...plan,
      input: partialDType,
      offset: 0,
      length: parts,
      kept: { shape: [plan.outputs], strides: [parts] },
      reduced: { shape: [parts], strides: [1] },
    };
    recordReduction(ctx, to, partials, combine, 'partials');
  } finally {
    ctx.allocator.release(partials);
  }
}

/** The dtype of a reduction's partial results: its accumulator's 32-bit class, or the 64-bit integer
 * accumulator itself as word pairs (the exact sums of integer means). */
function partialsOf(plan: ReducePlan): DType {
  if (isWordPairAccumulator(plan.accumulator)) return plan.accumulator;
  const accumulatorClass = computeClass(plan.accumulator);
  if (!accumulatorClass) throw new TypeError(`${plan.op} over ${plan.accumulator} needs the CPU backend (WGSL has no 64-bit types)`);
  return classDType(accumulatorClass);
}

type Source = 'items' | 'partials';

/** Bytes of one result: a 32-bit value (or position), or a (value, position) pair of words. */
const VALUE_BYTES = 4;
const PAIR_BYTES = 8;

const sourceItemsize = (plan: ReducePlan, source: Source) => (source === 'items' ? dtypeInfo(plan.input).itemsize : PAIR_BYTES);

/** The binding window over the source elements of `piece`. */
function sourceWindow(ctx: KernelContext, from: GpuBuffer, piece: ReducePiece, itemsize: number): Window {
  const extents = [
    ...piece.kept.shape.map((n, k) => (n - 1) * piece.kept.strides[k]),
    ...piece.reduced.shape.map((n, k) => (n - 1) * piece.reduced.strides[k]),
  ];
  const low = piece.offset + extents.reduce((sum, e) => sum + Math.min(0, e), 0);
  const high = piece.offset + extents.reduce((sum, e) => sum + Math.max(0, e), 0) + 1;
  return ctx.batch.window(from, [low * itemsize, high * itemsize]);
}

/**
 * The passes of one reduction (or piece): short ones in one serial pass; long ones as workgroup trees
 * (the first possibly serial spans down columns) whose partial results are reduced again until one per
 * output remains, written to `destination`. `from` holds items of `plan.input`, or (value, position)
 * partials of an earlier reduction.
 */
function recordPasses(
  ctx: KernelContext,
  plan: ReducePlan,
  from: GpuBuffer,
  piece: ReducePiece,
  destination: Destination,
  source: Source,
): void {
  const { batch, tuning } = ctx;
  const itemsize = sourceItemsize(plan, source);
  const window = sourceWindow(ctx, from, piece, itemsize);
  // The last pass writes the piece's slots through a window of the destination.
  const slotBytes = destination.to === 'partials' ? PAIR_BYTES : VALUE_BYTES;
  const lastSlot = destination.slotBase + (piece.outputs - 1) * destination.slotStride;
  const destinationWindow = batch.window(destination.buffer, [destination.slotBase * slotBytes, (lastSlot + 1) * slotBytes]);
  const outputs = piece.outputs;
  const capacity = rankCapacity(Math.max(piece.kept.shape.length, piece.reduced.shape.length, 1));
  const record = (p: Pass, last: boolean) => {
    const axes: number[][] = Array.from({ length: 2 * capacity }, () => [1, 0, 0, 0]);
    p.kept.shape.forEach((n, k) => (axes[k] = [n, p.kept.strides[k], 0, 0]));
    p.reduced.shape.forEach((n, k) => (axes[capacity + k] = [n, p.reduced.strides[k], 0, 0]));
    batch.dispatch({
      pipeline: ctx.pipelines.compile(reduceKey(p.spec, capacity), () => reduceKernelSource(p.spec, capacity), 1),
      dst: last ? destinationWindow : batch.whole(p.target),
      reads: [p.source],
      params: batch.schema('reduce', capacity),
      values: {
        outputs,
        length: p.length,
        offset: p.offset,
        kept_rank: p.kept.shape.length,
        reduced_rank: p.reduced.shape.length,
        chunks: p.chunks,
        span: p.span,
        slot_base: last ? destination.slotBase - destinationWindow.start / slotBytes : 0,
        slot_stride: last ? destination.slotStride : p.chunks,
        position_base: p.spec.from === 'items' ? piece.positionBase : 0,
        divisor: plan.divisor ?? 0,
      },
      axes,
      grid: gridOf(p),
    });
  };
  const gridOf = (p: Pass): [number, number, number] => {
    if (p.spec.shape === 'tree') return [p.chunks, Math.min(outputs, 65535), Math.ceil(outputs / 65535)];
    const blocks = Math.ceil(outputs / REDUCE_GROUP); // serial: blocks of outputs × spans
    return [Math.min(blocks, 65535), p.chunks, Math.ceil(blocks / 65535)];
  };
  const base = { op: plan.op, source: plan.input, accumulator: plan.accumulator, from: source } as const;
  const offset = piece.offset - window.start / itemsize;
  if (piece.length <= SERIAL_REDUCTION) {
    const spec: ReduceKernelSpec = { ...base, to: destination.to, shape: 'serial' };
    record(
      {
        spec,
        target: destination.buffer,
        source: window,
        offset,
        length: piece.length,
        kept: piece.kept,
        reduced: piece.reduced,
        chunks: 1,
        span: piece.length,
      },
      true,
    );
    return;
  }
  // Tree passes (the first may be serial spans down columns): items → partials → ... → destination.
  // Columns so long that their spans would pass the tuning's (one grid dimension of spans) go as trees, so
  // that no invocation adds more than about a thousand elements one at a time (float sums stay pairwise).
  const columns = downColumns(piece, outputs) && Math.ceil(piece.length / MAX_CHUNKS) <= tuning.reduceMaxSpan;
  const shape = columns ? 'serial' : 'tree';
  const first = shape === 'serial' ? columnWork(piece.length, outputs, tuning) : treeWork(piece.length, outputs, tuning);
  let chunks = first.chunks;
  const temporaries: GpuBuffer[] = [];
  let pass: Pass = {
    spec: { ...base, to: chunks > 1 ? 'partials' : destination.to, shape },
    target: destination.buffer,
    source: window,
    offset,
    length: piece.length,
    kept: piece.kept,
    reduced: piece.reduced,
    chunks,
    span: first.span,
  };
  try {
    for (;;) {
      const last = chunks === 1;
      if (!last) {
        pass.target = ctx.allocator.alloc(outputs * chunks * 8); // (value, position) word pairs
        temporaries.push(pass.target);
      }
      record(pass, last);
      if (last) break;
      // The next pass reduces each output's `chunks` partials, laid out output by output.
      const length = chunks;
      const work = treeWork(length, outputs, tuning);
      chunks = work.chunks;
      pass = {
        spec: {
          ...base,
          source: partialsOf(plan),
          from: 'partials',
          to: chunks > 1 ? 'partials' : destination.to,
          shape: 'tree',
        },
        target: destination.buffer,
        source: batch.whole(pass.target),
        offset: 0,
        length,
        kept: { shape: [outputs], strides: [length] },
        reduced: { shape: [length], strides: [1] },
        chunks,
        span: work.span,
      };
    }
  } finally {
    for (const t of temporaries) ctx.allocator.release(t);
  }
}
