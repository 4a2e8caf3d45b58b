/**
 * Recording scans and mask compactions (shaders/scan.ts) in the order of ndarray/core/scan-plan.ts:
 * chunk totals level by level (each level's partials a temporary of rows × chunks words) until a row
 * fits one chunk, that top level scanned in place, each level below scanned in place with the carries of
 * the level above, and finally the items (or, for a mask, the keys) written with the carries of level 1.
 * The items may span several binding windows (the work is split with `splitOperands`, each piece's
 * chunks whole in its windows); partials are at most a chunk-th of them.
 */

import type { Window } from './batch.js';
import { foldedGrid } from './batch.js';
import type { GpuBuffer } from './buffer.js';
import { recordStrided, type KernelContext } from './strided.js';
import type { KernelUnit } from '../../shaders/strided.js';
import { dtypeInfo, type DType } from '../../ndarray/core/dtype.js';
import type { MaskPlan } from '../../ndarray/core/index-plan.js';
import { operandRange, splitOperands, type ItemPlan, type PlanOperand } from '../../ndarray/core/plan.js';
import { SCAN_CHUNK, scanLevels, type ScanOp, type ScanPlan } from '../../ndarray/core/scan-plan.js';
import { SCAN_WORKGROUP, scanKernelSource, scanKey, scanParams, type ScanKernelSpec } from '../../shaders/scan.js';
import { rankCapacity, type UniformSchema } from '../../shaders/uniforms.js';

const WORD = 4;

const schemas = new Map<number, UniformSchema>();
function schema(capacity: number): UniformSchema {
  let s = schemas.get(capacity);
  if (!s) schemas.set(capacity, (s = scanParams(capacity)));
  return s;
}

/** C-order strides (in words) of a packed temporary of `shape`. */
function packed(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = step;
    step *= shape[k];
  }
  return strides;
}

interface Pass {
  spec: ScanKernelSpec;
  /** Work items: [rows..., chunks], with the source, destination and partials operands over it. */
  work: ItemPlan;
  length: number;
  chunks: number;
  srcStride: number;
  dstStride: number;
  dst: GpuBuffer;
  /** A second written buffer (the count of a compaction). */
  aux?: GpuBuffer;
  /** The source, unless the pass works in place on `dst`. */
  src: GpuBuffer | null;
  carry: GpuBuffer | null;
  /** Units of the source and destination operands. */
  units: [number, number];
  /** Compaction: the keys' capacity. */
  capacity?: number;
}

function recordPass(ctx: KernelContext, pass: Pass): void {
  const { batch } = ctx;
  const capacity = rankCapacity(pass.work.shape.length);
  const pipeline = ctx.pipelines.compile(
    scanKey(pass.spec, capacity),
    () => scanKernelSource(pass.spec, capacity),
    ((pass.src ? 1 : 0) + (pass.carry ? 1 : 0)) as 0 | 1 | 2,
    {},
    pass.aux !== undefined,
  );
  const [srcUnit, dstUnit] = pass.units;
  const inner = Math.min(SCAN_CHUNK, pass.length) - 1;
  // The units a piece touches: its chunks' first elements, and the rest of each chunk.
  const extent = (shape: readonly number[], o: PlanOperand, stride: number): [number, number] => {
    const [low, high] = operandRange(shape, o);
    return stride >= 0 ? [low, high + inner * stride] : [low + inner * stride, high];
  };
  const fits = (w: Window) => w.size <= batch.maxBindingSize;
  const windowsOf = (piece: ItemPlan) => {
    const src = pass.src ? batch.window(pass.src, scale(extent(piece.shape, piece.operands[0], pass.srcStride), srcUnit)) : null;
    // Scans write along the destination operand; totals and compactions where their partials or keys say.
    const dst =
      pass.spec.mode === 'scan'
        ? batch.window(pass.dst, scale(extent(piece.shape, piece.operands[1], pass.dstStride), dstUnit))
        : batch.whole(pass.dst);
    return { src, dst };
  };
  const big = (pass.src !== null && pass.src.size > batch.maxBindingSize) || pass.dst.size > batch.maxBindingSize;
  if (big && pass.spec.mode === 'totals' && pass.dst.size > batch.maxBindingSize) {
    throw new RangeError('internal error: scan partials beyond one binding window');
  }
  const pieces = big
    ? splitOperands(pass.work, (piece) => {
        const w = windowsOf(piece);
        return (!w.src || fits(w.src)) && (pass.spec.mode !== 'scan' || fits(w.dst));
      })
    : [pass.work];
  const carryWindow = pass.carry ? batch.whole(pass.carry) : null;
  if (carryWindow && !fits(carryWindow)) throw new RangeError('internal error: scan partials beyond one binding window');
  for (const piece of pieces) {
    const w = windowsOf(piece);
    // In place, the source is the destination (read through its binding).
    const srcWindow = w.src ?? w.dst;
    const srcOffset = piece.operands[0].offset - srcWindow.start / srcUnit;
    const dstOffset = piece.operands[1].offset - (pass.spec.mode === 'scan' ? w.dst.start / dstUnit : 0);
    const keyChunks =
      pass.spec.mode === 'compact' ? keyWindows(ctx, pass.dst, pass.capacity ?? 0) : [{ lo: 0, hi: 0xffffffff, window: w.dst }];
    for (const chunk of keyChunks) {
      batch.dispatch({
        pipeline,
        dst: chunk.window,
        ...(pass.aux ? { aux: batch.whole(pass.aux) } : {}),
        reads: [...(w.src ? [w.src] : []), ...(carryWindow ? [carryWindow] : [])],
        params: schema(capacity),
        values: {
          count: piece.count,
          rank: piece.shape.length,
          src_offset: srcOffset,
          dst_offset: dstOffset,
          part_offset: piece.operands[2].offset,
          length: pass.length,
          chunks: pass.chunks,
          src_stride: pass.srcStride,
          dst_stride: pass.dstStride,
          capacity: pass.capacity ?? 0,
          lo: chunk.lo,
          hi: chunk.hi,
          window: chunk.window.start / WORD,
        },
        axes: piece.shape.map((n, k) => [n, piece.operands[0].strides[k], piece.operands[1].strides[k], piece.operands[2].strides[k]]),
        grid: foldedGrid(Math.ceil(piece.count / SCAN_WORKGROUP), batch.maxWorkgroupsPerDimension),
      });
    }
  }
}

function scale([low, high]: [number, number], unit: number): [number, number] {
  return [Math.max(0, low) * unit, high * unit];
}

/** The keys' windows of a compaction (its writes are data-dependent: each dispatch writes its own). */
function keyWindows(ctx: KernelContext, keys: GpuBuffer, capacity: number): { lo: number; hi: number; window: Window }[] {
  const { batch } = ctx;
  if (keys.size <= batch.maxBindingSize) return [{ lo: 0, hi: 0xffffffff, window: batch.whole(keys) }];
  const span = Math.floor((batch.maxBindingSize - batch.storageOffsetAlignment) / WORD);
  const out: { lo: number; hi: number; window: Window }[] = [];
  for (let lo = 0; lo < capacity; lo += span) {
    const hi = Math.min(lo + span, capacity);
    out.push({ lo, hi, window: batch.window(keys, [lo * WORD, hi * WORD]) });
  }
  return out;
}

interface Rows {
  readonly shape: readonly number[];
  readonly src: readonly number[];
  readonly dst: readonly number[];
}

/** The level-0 work space: [rows..., chunks], with the source, destination and partials operands. */
function levelZero(rows: Rows, chunks: number, src: { offset: number; stride: number }, dst: { offset: number; stride: number }): ItemPlan {
  const shape = [...rows.shape, chunks];
  return {
    shape,
    count: shape.reduce((p, n) => p * n, 1),
    operands: [
      { offset: src.offset, strides: [...rows.src, SCAN_CHUNK * src.stride] },
      { offset: dst.offset, strides: [...rows.dst, SCAN_CHUNK * dst.stride] },
      { offset: 0, strides: packed(shape) },
    ],
  };
}

/** The work of a pass over partials of `rows` × `length` words producing or using `chunks` per row. */
function partialWork(rowCount: number, length: number, chunks: number): ItemPlan {
  const shape = [rowCount, chunks];
  return {
    shape,
    count: rowCount * chunks,
    operands: [
      { offset: 0, strides: [length, SCAN_CHUNK] },
      { offset: 0, strides: [length, SCAN_CHUNK] },
      { offset: 0, strides: [chunks, 1] },
    ],
  };
}

/**
 * Records every level below the final pass: chunk totals up, the top scanned, the levels below scanned
 * with their carries. Returns level 1's scanned partials (the final pass's carries), or null when a row
 * fits one chunk; `release` frees the temporaries once the final pass is recorded.
 */
function recordUpAndDown(
  ctx: KernelContext,
  op: ScanOp,
  input: DType,
  accumulator: DType,
  rowCount: number,
  length: number,
  levelZeroWork: ItemPlan,
  src: GpuBuffer,
  srcStride: number,
): { carry: GpuBuffer | null; release: () => void } {
  const counts = scanLevels(length); // partials per row at levels 1, 2, ...
  if (counts.length === 0) return { carry: null, release: () => {} };
  const temporaries = counts.map((n) => ctx.allocator.alloc(rowCount * n * WORD));
  const release = () => temporaries.forEach((t) => ctx.allocator.release(t));
  try {
    const base = { op, accumulator } as const;
    const itemUnit = dtypeInfo(input).itemsize;
    // Level 0 → 1: chunk totals of the items.
    recordPass(ctx, {
      spec: { ...base, mode: 'totals', from: 'items', input, carry: false },
      work: levelZeroWork,
      length,
      chunks: counts[0],
      srcStride,
      dstStride: 1,
      dst: temporaries[0],
      src,
      carry: null,
      units: [itemUnit, WORD],
    });
    // Level j → j + 1.
    for (let j = 1; j < counts.length; j++) {
      recordPass(ctx, {
        spec: { ...base, mode: 'totals', from: 'partials', input: accumulator, carry: false },
        work: partialWork(rowCount, counts[j - 1], counts[j]),
        length: counts[j - 1],
        chunks: counts[j],
        srcStride: 1,
        dstStride: 1,
        dst: temporaries[j],
        src: temporaries[j - 1],
        carry: null,
        units: [WORD, WORD],
      });
    }
    // The top level fits one chunk per row: scanned in place; then each level below, with its carries.
    for (let j = counts.length - 1; j >= 0; j--) {
      const chunks = j + 1 < counts.length ? counts[j + 1] : 1;
      recordPass(ctx, {
        spec: { ...base, mode: 'scan', from: 'partials', input: accumulator, carry: chunks > 1 || j + 1 < counts.length },
        work: partialWork(rowCount, counts[j], chunks),
        length: counts[j],
        chunks,
        srcStride: 1,
        dstStride: 1,
        dst: temporaries[j],
        src: null,
        carry: j + 1 < counts.length ? temporaries[j + 1] : null,
        units: [WORD, WORD],
      });
    }
  } catch (error) {
    release();
    throw error;
  }
  return { carry: temporaries[0], release };
}

/** Whether one chunk of a row (its SCAN_CHUNK elements `stride` units apart) fits a binding window. */
function chunkFits(ctx: KernelContext, length: number, stride: number, unit: number): boolean {
  const span = ((Math.min(SCAN_CHUNK, length) - 1) * Math.abs(stride) + 1) * unit;
  return span <= ctx.batch.maxBindingSize - ctx.batch.storageOffsetAlignment;
}

export function recordScan(ctx: KernelContext, dst: GpuBuffer, src: GpuBuffer, plan: ScanPlan): void {
  const rowCount = plan.rows.shape.reduce((p, n) => p * n, 1);
  if (rowCount === 0 || plan.length === 0) return;
  const inUnit = dtypeInfo(plan.input).itemsize;
  const outUnit = dtypeInfo(plan.accumulator).itemsize;
  if (!chunkFits(ctx, plan.length, plan.src.stride, inUnit) || !chunkFits(ctx, plan.length, plan.dst.stride, outUnit)) {
    recordScanPacked(ctx, dst, src, plan, rowCount);
    return;
  }
  const chunks = Math.ceil(plan.length / SCAN_CHUNK);
  const work = levelZero(plan.rows, chunks, plan.src, plan.dst);
  const { carry, release } = recordUpAndDown(ctx, plan.op, plan.input, plan.accumulator, rowCount, plan.length, work, src, plan.src.stride);
  try {
    recordPass(ctx, {
      spec: { mode: 'scan', op: plan.op, from: 'items', input: plan.input, accumulator: plan.accumulator, carry: carry !== null },
      work,
      length: plan.length,
      chunks,
      srcStride: plan.src.stride,
      dstStride: plan.dst.stride,
      dst,
      src,
      carry,
      units: [dtypeInfo(plan.input).itemsize, dtypeInfo(plan.accumulator).itemsize],
    });
  } finally {
    release();
  }
}

/**
 * A scan whose rows are too far apart element to element for a chunk to fit one binding window: through
 * packed temporaries with the scanned axis innermost (copies in, the scan, a copy out).
 */
function recordScanPacked(ctx: KernelContext, dst: GpuBuffer, src: GpuBuffer, plan: ScanPlan, rowCount: number): void {
  const shape = [...plan.rows.shape, plan.length];
  const count = rowCount * plan.length;
  const strides = packed(shape);
  const inUnit = dtypeInfo(plan.input).itemsize;
  const outUnit = dtypeInfo(plan.accumulator).itemsize;
  const packedIn = ctx.allocator.alloc(count * inUnit);
  const packedOut = ctx.allocator.alloc(count * outUnit);
  try {
    const inner = { offset: 0, strides };
    recordStrided(
      ctx,
      { kind: 'copy', unit: inUnit as KernelUnit, aliased: false },
      { shape, count, dst: inner, src: { offset: plan.src.offset, strides: [...plan.rows.src, plan.src.stride] } },
      packedIn,
      src,
    );
    const rows = { shape: plan.rows.shape, src: strides.slice(0, -1), dst: strides.slice(0, -1) };
    recordScan(ctx, packedOut, packedIn, { ...plan, rows, src: { offset: 0, stride: 1 }, dst: { offset: 0, stride: 1 } });
    recordStrided(
      ctx,
      { kind: 'copy', unit: outUnit as KernelUnit, aliased: false },
      { shape, count, dst: { offset: plan.dst.offset, strides: [...plan.rows.dst, plan.dst.stride] }, src: inner },
      dst,
      packedOut,
    );
  } finally {
    ctx.allocator.release(packedIn);
    ctx.allocator.release(packedOut);
  }
}

export function recordCompact(ctx: KernelContext, keys: GpuBuffer, count: GpuBuffer, mask: GpuBuffer, plan: MaskPlan): void {
  if (plan.length === 0) return;
  const chunks = Math.ceil(plan.length / SCAN_CHUNK);
  const rows: Rows = { shape: [], src: [], dst: [] };
  const work = levelZero(rows, chunks, { offset: plan.offset, stride: 1 }, { offset: 0, stride: 1 });
  const { carry, release } = recordUpAndDown(ctx, 'sum', 'bool', 'uint32', 1, plan.length, work, mask, 1);
  try {
    recordPass(ctx, {
      spec: { mode: 'compact', op: 'sum', from: 'items', input: 'bool', accumulator: 'uint32', carry: carry !== null },
      work,
      length: plan.length,
      chunks,
      srcStride: 1,
      dstStride: 1,
      dst: keys,
      aux: count,
      src: mask,
      carry,
      units: [1, WORD],
      capacity: plan.length,
    });
  } finally {
    release();
  }
}
