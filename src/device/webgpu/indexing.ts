/**
 * Recording the kernels of advanced indexing (shaders/indexing.ts). Buffers larger than one storage
 * binding go through windows: operands addressed by the plan (keys, the result, a scatter's values)
 * are split into pieces with `splitOperands`; the array a key addresses (a gather's source, a
 * scatter's target, the winners) is bound in chunks of its address range, each dispatch handling the
 * addresses that fall in its chunk, so every element is still read or written exactly once.
 */

import type { CheckToken } from '../backend.js';
import type { CommandBatch, Window } from './batch.js';
import { foldedGrid } from './batch.js';
import type { GpuBuffer } from './buffer.js';
import type { CheckSlots } from './checks.js';
import type { KernelContext } from './strided.js';
import { dtypeInfo } from '../../ndarray/core/dtype.js';
import type { GatherPlan, KeyPlan, KeySpace, ScatterPlan } from '../../ndarray/core/index-plan.js';
import { operandRange, splitOperands, type ItemPlan, type PlanOperand } from '../../ndarray/core/plan.js';
import {
  CHECK_COUNT_KERNEL,
  INDEX_ELEMS,
  INDEX_WORKGROUP,
  RESOLVE_KERNEL,
  SPREAD_KEY_KERNEL,
  WINNERS_KERNEL,
  gatherKernelKey,
  gatherKernelSource,
  gatherParams,
  keyKernelKey,
  keyKernelSource,
  keyParams,
  scatterKernelKey,
  scatterKernelSource,
  smallParams,
} from '../../shaders/indexing.js';
import type { Width } from '../../shaders/access.js';
import { rankCapacity, type UniformSchema } from '../../shaders/uniforms.js';

const KEY_BYTES = 4;

/** Schemas by rank capacity (pure descriptions, built once). */
const schemas = new Map<string, UniformSchema>();
function schema(name: 'keys' | 'gather' | 'small', capacity: number): UniformSchema {
  const key = `${name}/${capacity}`;
  let s = schemas.get(key);
  if (!s) {
    s = name === 'keys' ? keyParams(capacity) : name === 'gather' ? gatherParams(capacity) : smallParams();
    schemas.set(key, s);
  }
  return s;
}

/** The window over `buffer` holding units [low, high) of `unit` bytes. */
function windowOf(batch: CommandBatch, buffer: GpuBuffer, [low, high]: readonly [number, number], unit: number): Window {
  return batch.window(buffer, [low * unit, high * unit]);
}

/** A plan operand moved onto its window (offsets travel as uniforms, so any window start works). */
function rebase(operand: PlanOperand, window: Window, unit: number): PlanOperand {
  return { offset: operand.offset - window.start / unit, strides: operand.strides };
}

/** Splits `plan` until the range of each of its first `buffers.length` operands fits one binding window
 * (later operands, addressed through chunks of their own, follow the split). */
function pieces(batch: CommandBatch, plan: ItemPlan, buffers: readonly GpuBuffer[], units: readonly number[]): ItemPlan[] {
  if (buffers.every((b) => b.size <= batch.maxBindingSize)) return [plan];
  return splitOperands(plan, (piece) =>
    buffers.every((b, k) => windowOf(batch, b, operandRange(piece.shape, piece.operands[k]), units[k]).size <= batch.maxBindingSize),
  );
}

/** Chunks of the units [low, high) of `buffer` that each fit one binding window (one chunk when the
 * buffer fits whole). */
function addressChunks(
  batch: CommandBatch,
  buffer: GpuBuffer,
  [low, high]: readonly [number, number],
  unit: number,
): { lo: number; hi: number; window: Window }[] {
  if (buffer.size <= batch.maxBindingSize) return [{ lo: 0, hi: 0xffffffff, window: batch.whole(buffer) }];
  // A window may start up to one alignment before its chunk.
  const span = Math.floor((batch.maxBindingSize - batch.storageOffsetAlignment) / unit);
  if (span < 1) throw new RangeError('internal error: an item does not fit one binding window');
  const chunks: { lo: number; hi: number; window: Window }[] = [];
  for (let lo = low; lo < high; lo += span) {
    const hi = Math.min(lo + span, high);
    chunks.push({ lo, hi, window: windowOf(batch, buffer, [lo, hi], unit) });
  }
  return chunks;
}

/** The INTERLEAVED pipeline constant of the tuning (see shaders/tuning.ts). */
const interleaved = (ctx: KernelContext) => ({ INTERLEAVED: ctx.tuning.interleaved ? 1 : 0 });

const gridFor = (batch: CommandBatch, invocations: number) =>
  foldedGrid(Math.ceil(invocations / INDEX_WORKGROUP), batch.maxWorkgroupsPerDimension);

/** Axis table entries: (extent, strides...) per axis, padded to four lanes. */
function axesOf(shape: readonly number[], operands: readonly PlanOperand[]): number[][] {
  return shape.map((n, k) => [n, ...operands.map((o) => o.strides[k])]);
}

// ------------------------------------------------------------------------------------------------
// Key passes

export function recordKeys(
  ctx: KernelContext,
  checks: CheckSlots,
  keys: GpuBuffer,
  index: GpuBuffer,
  plan: KeyPlan,
  token: CheckToken,
): void {
  const { batch } = ctx;
  const itemsize = dtypeInfo(plan.dtype).itemsize;
  const units = [KEY_BYTES, itemsize];
  const whole: ItemPlan = { shape: plan.shape, count: plan.count, operands: [plan.keys, plan.index] };
  const capacity = rankCapacity(plan.shape.length);
  const pipeline = ctx.pipelines.compile(
    keyKernelKey(plan.dtype, capacity),
    () => keyKernelSource(plan.dtype, capacity),
    1,
    interleaved(ctx),
    true,
  );
  const flags = (plan.accumulate ? 1 : 0) | (plan.passInvalid ? 2 : 0);
  for (const piece of pieces(batch, whole, [keys, index], units)) {
    const keysWindow = windowOf(batch, keys, operandRange(piece.shape, piece.operands[0]), KEY_BYTES);
    const indexWindow = windowOf(batch, index, operandRange(piece.shape, piece.operands[1]), itemsize);
    const k = rebase(piece.operands[0], keysWindow, KEY_BYTES);
    const i = rebase(piece.operands[1], indexWindow, itemsize);
    const values = {
      count: piece.count,
      rank: piece.shape.length,
      keys_offset: k.offset,
      index_offset: i.offset,
      size: plan.size,
      multiplier: plan.multiplier,
      slot: token.id,
      position_base: keysWindow.start / KEY_BYTES,
    };
    const dispatch = (mode: number, invocations: number) =>
      batch.dispatch({
        pipeline,
        dst: keysWindow,
        aux: checks.window,
        reads: [indexWindow],
        params: schema('keys', capacity),
        values: { ...values, flags: flags | mode },
        axes: axesOf(piece.shape, [k, i]),
        grid: gridFor(batch, invocations),
      });
    dispatch(0, Math.ceil(piece.count / INDEX_ELEMS));
    dispatch(4, 1); // capture the failing value, if this piece holds the smallest failing position
  }
}

// ------------------------------------------------------------------------------------------------
// Gather

function keyAxes(space: KeySpace, capacity: number): number[][] {
  const axes: number[][] = Array.from({ length: capacity }, () => [1, 0, 0, 0]);
  space.shape.forEach((n, k) => (axes[k] = [n, space.strides[k], 0, 0]));
  return axes;
}

export function recordGather(ctx: KernelContext, dst: GpuBuffer, src: GpuBuffer, keys: GpuBuffer, plan: GatherPlan): void {
  const { batch } = ctx;
  const itemsize = plan.itemsize;
  const capacity = rankCapacity(Math.max(plan.shape.length, plan.keySpace.shape.length, 1));
  const pipeline = ctx.pipelines.compile(
    gatherKernelKey(itemsize, capacity),
    () => gatherKernelSource(itemsize as Width, capacity),
    2,
    interleaved(ctx),
  );
  const whole: ItemPlan = { shape: plan.shape, count: plan.count, operands: [plan.dst, plan.keys, plan.src] };
  const chunks = addressChunks(batch, src, plan.srcRange, itemsize);
  for (const piece of pieces(batch, whole, [dst, keys], [itemsize, KEY_BYTES])) {
    const dstWindow = windowOf(batch, dst, operandRange(piece.shape, piece.operands[0]), itemsize);
    const keysWindow = windowOf(batch, keys, operandRange(piece.shape, piece.operands[1]), KEY_BYTES);
    const d = rebase(piece.operands[0], dstWindow, itemsize);
    const k = rebase(piece.operands[1], keysWindow, KEY_BYTES);
    const s = piece.operands[2]; // absolute: compared with the chunks' address ranges
    chunks.forEach((chunk, c) => {
      batch.dispatch({
        pipeline,
        dst: dstWindow,
        reads: [chunk.window, keysWindow],
        params: schema('gather', capacity),
        values: {
          count: piece.count,
          rank: piece.shape.length,
          dst_offset: d.offset,
          src_offset: s.offset,
          keys_offset: k.offset,
          key_rank: plan.keySpace.shape.length,
          lo: chunk.lo,
          hi: chunk.hi,
          window: chunk.window.start / itemsize,
          write_invalid: c === 0 ? 1 : 0,
        },
        axes: [
          ...axesOf(piece.shape, [d, s, k]),
          ...Array.from({ length: capacity - piece.shape.length }, () => [1, 0, 0, 0]),
          ...keyAxes(plan.keySpace, capacity),
        ],
        grid: gridFor(batch, Math.ceil(piece.count / INDEX_ELEMS)),
      });
    });
  }
}

// ------------------------------------------------------------------------------------------------
// Scatter

export interface Winners {
  /** A zeroed array of at least `words` 32-bit words (kept zeroed by the resolve pass). */
  ensure(words: number): GpuBuffer;
}

export function recordScatter(
  ctx: KernelContext,
  checks: CheckSlots,
  winners: Winners,
  dst: GpuBuffer,
  value: GpuBuffer,
  keys: GpuBuffer,
  plan: ScatterPlan,
  gates: readonly CheckToken[],
): void {
  const { batch } = ctx;
  if (plan.lastWins) recordLastWins(ctx, winners.ensure(plan.lastWins.space), keys, plan.lastWins.keys, plan.lastWins.space);
  const itemsize = plan.itemsize;
  const capacity = rankCapacity(Math.max(plan.shape.length, plan.keySpace.shape.length, 1));
  const pipeline = ctx.pipelines.compile(
    scatterKernelKey(itemsize, capacity),
    () => scatterKernelSource(itemsize as Width, capacity),
    3,
    interleaved(ctx),
  );
  const whole: ItemPlan = { shape: plan.shape, count: plan.count, operands: [plan.value, plan.keys, plan.dst] };
  const chunks = addressChunks(batch, dst, plan.dstRange, itemsize);
  const slots = gates.map((g) => g.id);
  const gateFirst = slots.length > 0 ? Math.min(...slots) : 0;
  const gateCount = slots.length > 0 ? Math.max(...slots) - gateFirst + 1 : 0;
  for (const piece of pieces(batch, whole, [value, keys], [itemsize, KEY_BYTES])) {
    const valueWindow = windowOf(batch, value, operandRange(piece.shape, piece.operands[0]), itemsize);
    const keysWindow = windowOf(batch, keys, operandRange(piece.shape, piece.operands[1]), KEY_BYTES);
    const v = rebase(piece.operands[0], valueWindow, itemsize);
    const k = rebase(piece.operands[1], keysWindow, KEY_BYTES);
    const d = piece.operands[2]; // absolute: compared with the chunks' address ranges
    for (const chunk of chunks) {
      batch.dispatch({
        pipeline,
        dst: chunk.window,
        reads: [valueWindow, keysWindow, checks.window],
        params: schema('gather', capacity),
        values: {
          count: piece.count,
          rank: piece.shape.length,
          dst_offset: d.offset,
          src_offset: v.offset,
          keys_offset: k.offset,
          key_rank: plan.keySpace.shape.length,
          lo: chunk.lo,
          hi: chunk.hi,
          window: chunk.window.start / itemsize,
          gate_first: gateFirst,
          gate_count: gateCount,
        },
        axes: [
          ...axesOf(piece.shape, [d, v, k]),
          ...Array.from({ length: capacity - piece.shape.length }, () => [1, 0, 0, 0]),
          ...keyAxes(plan.keySpace, capacity),
        ],
        grid: gridFor(batch, Math.ceil(piece.count / INDEX_ELEMS)),
      });
    }
  }
}

/** Keeps each key's last occurrence among the first `count` packed keys (see shaders/indexing.ts): a
 * winners pass, then a resolve pass, over every pair of a keys chunk and a winners chunk. */
function recordLastWins(ctx: KernelContext, winners: GpuBuffer, keys: GpuBuffer, count: number, space: number): void {
  const { batch } = ctx;
  const winnersPipeline = ctx.pipelines.compile('index-winners', () => WINNERS_KERNEL, 1);
  const resolvePipeline = ctx.pipelines.compile('index-resolve', () => RESOLVE_KERNEL, 0, {}, true);
  const range = (c: { lo: number; hi: number }, end: number) => (c.hi === 0xffffffff ? [0, end] : [c.lo, c.hi]);
  const keyChunks = addressChunks(batch, keys, [0, count], KEY_BYTES);
  const winnerChunks = addressChunks(batch, winners, [0, space], KEY_BYTES);
  for (const pass of ['winners', 'resolve'] as const) {
    for (const keyChunk of keyChunks) {
      const [first, end] = range(keyChunk, count);
      const keysBase = keyChunk.window.start / KEY_BYTES;
      for (const winnerChunk of winnerChunks) {
        const [lo, hi] = range(winnerChunk, space);
        batch.dispatch({
          pipeline: pass === 'winners' ? winnersPipeline : resolvePipeline,
          dst: pass === 'winners' ? winnerChunk.window : keyChunk.window,
          ...(pass === 'resolve' ? { aux: winnerChunk.window } : {}),
          reads: pass === 'winners' ? [keyChunk.window] : [],
          params: schema('small', 1),
          values: {
            count: end - first,
            offset: first - keysBase,
            position_base: keysBase,
            lo,
            hi,
            window: winnerChunk.window.start / KEY_BYTES,
          },
          axes: [],
          grid: gridFor(batch, end - first),
        });
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Count checks

export function recordCheckCount(
  ctx: KernelContext,
  checks: CheckSlots,
  count: GpuBuffer,
  expected: number | GpuBuffer,
  broadcast: boolean,
  token: CheckToken,
): void {
  const { batch } = ctx;
  const pipeline = ctx.pipelines.compile('index-check-count', () => CHECK_COUNT_KERNEL, 2);
  const other = typeof expected === 'number' ? count : expected;
  batch.dispatch({
    pipeline,
    dst: checks.window,
    reads: [batch.whole(count), batch.whole(other)],
    params: schema('small', 1),
    values: {
      slot: token.id,
      expected: typeof expected === 'number' ? expected : 0,
      flags: (typeof expected === 'number' ? 0 : 1) | (broadcast ? 2 : 0),
    },
    axes: [],
    grid: [1, 1, 1],
  });
}

export function recordSpreadKey(ctx: KernelContext, keys: GpuBuffer, count: GpuBuffer, length: number): void {
  const { batch } = ctx;
  const pipeline = ctx.pipelines.compile('index-spread-key', () => SPREAD_KEY_KERNEL, 1);
  if (length * KEY_BYTES > batch.maxBindingSize) throw new RangeError('internal error: spread keys beyond one binding window');
  batch.dispatch({
    pipeline,
    dst: windowOf(batch, keys, [0, length], KEY_BYTES),
    reads: [batch.whole(count)],
    params: schema('small', 1),
    values: { count: length },
    axes: [],
    grid: gridFor(batch, length),
  });
}
