/**
 * Recording a reduction: short ones in one serial pass (an invocation per output); long ones as
 * workgroup trees over chunks, whose partial results are reduced again until one per output remains.
 * The source is read through one window covering what the plan touches (the semantic layer splits
 * sources larger than a binding into blocks).
 */

import type { Window } from './batch.js';
import type { GpuBuffer } from './buffer.js';
import type { KernelContext } from './strided.js';
import { dtypeInfo } from '../../ndarray/core/dtype.js';
import type { ReduceAxes, ReducePlan } from '../../ndarray/core/reduce-plan.js';
import { classDType, computeClass } from '../../ndarray/ops/ufuncs.js';
import { REDUCE_GROUP, reduceKernelSource, reduceKey, type ReduceKernelSpec } from '../../shaders/reduce.js';
import type { KernelTuning } from '../../shaders/tuning.js';
import { rankCapacity } from '../../shaders/uniforms.js';

/** Reductions this long or shorter run one invocation per output; longer ones run workgroup trees. */
const SERIAL_REDUCTION = 256;

/** Whether a long reduction runs down columns: enough outputs to fill workgroups, neighbouring outputs
 * neighbours in memory, and the reduced elements of one output far apart (a tree would read them with a
 * large stride; serial spans read neighbouring outputs' elements together). */
function downColumns(plan: ReducePlan): boolean {
  const keptStride = plan.kept.strides[plan.kept.strides.length - 1];
  const reducedStride = plan.reduced.strides[plan.reduced.strides.length - 1];
  return plan.outputs >= REDUCE_GROUP && Math.abs(keptStride) === 1 && Math.abs(reducedStride) > 1;
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

export function recordReduction(ctx: KernelContext, to: GpuBuffer, from: GpuBuffer, plan: ReducePlan): void {
  const { batch } = ctx;
  const accumulatorClass = computeClass(plan.accumulator);
  if (!accumulatorClass) throw new TypeError(`${plan.op} over ${plan.accumulator} needs the CPU backend (WGSL has no 64-bit types)`);
  const itemsize = dtypeInfo(plan.input).itemsize;
  const extents = [
    ...plan.kept.shape.map((n, k) => (n - 1) * plan.kept.strides[k]),
    ...plan.reduced.shape.map((n, k) => (n - 1) * plan.reduced.strides[k]),
  ];
  const low = plan.offset + extents.reduce((sum, e) => sum + Math.min(0, e), 0);
  const high = plan.offset + extents.reduce((sum, e) => sum + Math.max(0, e), 0) + 1;
  const sourceWindow = batch.window(from, [low * itemsize, high * itemsize]);
  if (sourceWindow.size > batch.maxBindingSize) {
    throw new RangeError(
      `${plan.op}() reads ${(high - low) * itemsize} bytes through one storage binding, more than this device allows (${batch.maxBindingSize}); reduce it in parts`,
    );
  }
  if (plan.outputs === 0) return;
  const capacity = rankCapacity(Math.max(plan.kept.shape.length, plan.reduced.shape.length, 1));
  const record = (p: Pass) => {
    const axes: number[][] = Array.from({ length: 2 * capacity }, () => [1, 0, 0, 0]);
    p.kept.shape.forEach((n, k) => (axes[k] = [n, p.kept.strides[k], 0, 0]));
    p.reduced.shape.forEach((n, k) => (axes[capacity + k] = [n, p.reduced.strides[k], 0, 0]));
    batch.dispatch({
      pipeline: ctx.pipelines.compile(reduceKey(p.spec, capacity), () => reduceKernelSource(p.spec, capacity), 1),
      dst: batch.whole(p.target),
      reads: [p.source],
      params: batch.schema('reduce', capacity),
      values: {
        outputs: plan.outputs,
        length: p.length,
        offset: p.offset,
        kept_rank: p.kept.shape.length,
        reduced_rank: p.reduced.shape.length,
        chunks: p.chunks,
        span: p.span,
      },
      axes,
      grid: gridOf(p),
    });
  };
  const gridOf = (p: Pass): [number, number, number] => {
    if (p.spec.shape === 'tree') return [p.chunks, Math.min(plan.outputs, 65535), Math.ceil(plan.outputs / 65535)];
    const blocks = Math.ceil(plan.outputs / REDUCE_GROUP); // serial: blocks of outputs × spans
    return [Math.min(blocks, 65535), p.chunks, Math.ceil(blocks / 65535)];
  };
  const base = { op: plan.op, source: plan.input, accumulator: plan.accumulator } as const;
  const offset = plan.offset - sourceWindow.start / itemsize;
  if (plan.length <= SERIAL_REDUCTION) {
    record({ spec: { ...base, from: 'items', to: 'values', shape: 'serial' }, target: to, source: sourceWindow, offset, length: plan.length, kept: plan.kept, reduced: plan.reduced, chunks: 1, span: plan.length });
    return;
  }
  // Tree passes (the first may be serial spans down columns): items → partials → ... → values.
  const shape = downColumns(plan) ? 'serial' : 'tree';
  const { tuning } = ctx;
  const first = shape === 'serial' ? columnWork(plan.length, plan.outputs, tuning) : treeWork(plan.length, plan.outputs, tuning);
  let chunks = first.chunks;
  const temporaries: GpuBuffer[] = [];
  let pass: Pass = {
    spec: { ...base, from: 'items', to: chunks > 1 ? 'partials' : 'values', shape },
    target: to,
    source: sourceWindow,
    offset,
    length: plan.length,
    kept: plan.kept,
    reduced: plan.reduced,
    chunks,
    span: first.span,
  };
  try {
    for (;;) {
      if (pass.spec.to === 'partials') {
        pass.target = ctx.allocator.alloc(plan.outputs * chunks * 8); // (value, position) word pairs
        temporaries.push(pass.target);
      }
      record(pass);
      if (pass.spec.to === 'values') break;
      // The next pass reduces each output's `chunks` partials, laid out output by output.
      const length = chunks;
      const work = treeWork(length, plan.outputs, tuning);
      chunks = work.chunks;
      pass = {
        spec: { ...base, source: classDType(accumulatorClass), from: 'partials', to: chunks > 1 ? 'partials' : 'values', shape: 'tree' },
        target: to,
        source: batch.whole(pass.target),
        offset: 0,
        length,
        kept: { shape: [plan.outputs], strides: [length] },
        reduced: { shape: [length], strides: [1] },
        chunks,
        span: work.span,
      };
    }
  } finally {
    for (const t of temporaries) ctx.allocator.release(t);
  }
}
