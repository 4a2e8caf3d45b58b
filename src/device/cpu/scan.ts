/**
 * Scans (cumulative sums and products) on the CPU, in the order ndarray/core/scan-plan.ts defines, which
 * is the WebGPU kernels' order: chunks of SCAN_CHUNK elements combined one after another, the chunk
 * totals scanned the same way, and each later chunk's elements combined with the carry before it. Like
 * the GPU, a row is read twice (once for the chunk totals, once for the results), so no row-sized
 * temporary is needed. Float64 (which the GPU does not compute) keeps NumPy's order: one element after
 * another. 64-bit integers wrap as bigints.
 */

import { castValue } from '../../ndarray/core/casting.js';
import { dtypeInfo, type DType } from '../../ndarray/core/dtype.js';
import { SCAN_CHUNK, chunkedScan, type ScanPlan } from '../../ndarray/core/scan-plan.js';
import { readItem, writeItem, type Scalar } from '../../ndarray/core/scalars.js';
import { converter, numberView, reader, rounder, wrapper, writer } from './number-loops.js';

type Combine = (a: number, b: number) => number;

/** How the accumulator combines two values, rounding or wrapping as its dtype does. */
function combineFor(op: ScanPlan['op'], dtype: DType): Combine {
  const sum = op === 'sum';
  switch (dtype) {
    case 'int32':
      return sum ? (a, b) => (a + b) | 0 : (a, b) => Math.imul(a, b);
    case 'uint32':
      return sum ? (a, b) => (a + b) >>> 0 : (a, b) => Math.imul(a, b) >>> 0;
    case 'float32':
      return sum ? (a, b) => Math.fround(a + b) : (a, b) => Math.fround(a * b);
    case 'float16': {
      // NumPy's float16 loops compute in float32 and round to float16 at every step.
      const half = rounder('float16');
      return sum ? (a, b) => half(Math.fround(a + b)) : (a, b) => half(Math.fround(a * b));
    }
    case 'float64':
      return sum ? (a, b) => a + b : (a, b) => a * b;
    case 'int8':
    case 'uint8':
    case 'int16':
    case 'uint16':
    case 'bool': {
      const wrap = wrapper(dtype);
      return sum ? (a, b) => wrap(a + b) : (a, b) => wrap(Math.imul(a, b));
    }
    default:
      throw new TypeError(`internal error: no number scan accumulates in ${dtype}`);
  }
}

/** Visits every row of a scan: its source and destination offsets, in items. */
export function forEachScanRow(plan: ScanPlan, visit: (src: number, dst: number) => void): void {
  const { shape, src, dst } = plan.rows;
  const rank = shape.length;
  if (shape.some((n) => n === 0)) return;
  const counter = new Array<number>(rank).fill(0);
  let s = plan.src.offset;
  let d = plan.dst.offset;
  for (;;) {
    visit(s, d);
    let k = rank - 1;
    for (; k >= 0; k--) {
      counter[k]++;
      s += src[k];
      d += dst[k];
      if (counter[k] < shape[k]) break;
      s -= src[k] * shape[k];
      d -= dst[k] * shape[k];
      counter[k] = 0;
    }
    if (k < 0) return;
  }
}

export function scanItems(dst: Uint8Array, src: Uint8Array, plan: ScanPlan): void {
  if (plan.length === 0) return;
  const acc = dtypeInfo(plan.accumulator);
  if (acc.kind !== 'f' && acc.itemsize === 8) return scanBigInts(dst, src, plan);
  if (plan.input === 'float32' && plan.accumulator === 'float32' && plan.op === 'sum') return sumFloat32(dst, src, plan);
  const items = numberView(src, plan.input);
  const out = numberView(dst, plan.accumulator);
  const read = reader(plan.input);
  const convert = converter(plan.input, plan.accumulator);
  const value = (raw: number) => {
    const x = read ? read(raw) : raw;
    return convert ? convert(x) : x;
  };
  const store = writer(plan.accumulator);
  const combine = combineFor(plan.op, plan.accumulator);
  const n = plan.length;
  const sStep = plan.src.stride;
  const dStep = plan.dst.stride;
  // Integers give the same results in any order, and float64 keeps NumPy's: one element after another.
  const sequential = acc.kind !== 'f' || plan.accumulator === 'float64' || n <= SCAN_CHUNK;
  const chunks = Math.ceil(n / SCAN_CHUNK);
  const totals = sequential ? null : new Float64Array(chunks);
  forEachScanRow(plan, (s0, d0) => {
    if (!totals) {
      let a = value(items[s0]);
      out[d0] = store ? store(a) : a;
      for (let i = 1, s = s0 + sStep, d = d0 + dStep; i < n; i++, s += sStep, d += dStep) {
        a = combine(a, value(items[s]));
        out[d] = store ? store(a) : a;
      }
      return;
    }
    // Chunk totals, their scan (the carries), then each chunk's elements with the carry before it.
    for (let k = 0; k < chunks; k++) {
      const start = k * SCAN_CHUNK;
      const end = Math.min(start + SCAN_CHUNK, n);
      let a = value(items[s0 + start * sStep]);
      for (let i = start + 1, s = s0 + i * sStep; i < end; i++, s += sStep) a = combine(a, value(items[s]));
      totals[k] = a;
    }
    const carry = chunkedScan(totals, combine);
    for (let k = 0; k < chunks; k++) {
      const start = k * SCAN_CHUNK;
      const end = Math.min(start + SCAN_CHUNK, n);
      let a = value(items[s0 + start * sStep]);
      const c = k > 0 ? carry[k - 1] : 0;
      let d = d0 + start * dStep;
      let r = k > 0 ? combine(c, a) : a;
      out[d] = store ? store(r) : r;
      for (let i = start + 1, s = s0 + i * sStep; i < end; i++, s += sStep) {
        a = combine(a, value(items[s]));
        d += dStep;
        r = k > 0 ? combine(c, a) : a;
        out[d] = store ? store(r) : r;
      }
    }
  });
}

/**
 * float32 sums (the common case) with no conversion or rounding functions per element: the same
 * order and roundings as the general path, on Float32Arrays (a store into one rounds as Math.fround).
 */
function sumFloat32(dst: Uint8Array, src: Uint8Array, plan: ScanPlan): void {
  const items = numberView(src, 'float32') as Float32Array;
  const out = numberView(dst, 'float32') as Float32Array;
  const n = plan.length;
  const sStep = plan.src.stride;
  const dStep = plan.dst.stride;
  const chunks = Math.ceil(n / SCAN_CHUNK);
  const totals = new Float64Array(chunks);
  const add = (a: number, b: number) => Math.fround(a + b);
  forEachScanRow(plan, (s0, d0) => {
    // Each chunk's running sums, one element after another (its total is the last of them).
    for (let k = 0; k < chunks; k++) {
      const start = k * SCAN_CHUNK;
      const end = Math.min(start + SCAN_CHUNK, n);
      let a = items[s0 + start * sStep];
      let d = d0 + start * dStep;
      out[d] = a;
      for (let i = start + 1, s = s0 + i * sStep; i < end; i++, s += sStep) {
        a = Math.fround(a + items[s]);
        d += dStep;
        out[d] = a;
      }
      totals[k] = a;
    }
    if (chunks === 1) return;
    const carry = chunkedScan(totals, add);
    for (let k = 1; k < chunks; k++) {
      const c = carry[k - 1];
      for (let i = k * SCAN_CHUNK, end = Math.min(i + SCAN_CHUNK, n), d = d0 + i * dStep; i < end; i++, d += dStep) out[d] = c + out[d];
    }
  });
}

/** int64/uint64 accumulators: bigints, wrapping at 64 bits, one element after another. */
function scanBigInts(dst: Uint8Array, src: Uint8Array, plan: ScanPlan): void {
  const from = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const to = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  const inSize = dtypeInfo(plan.input).itemsize;
  const outSize = dtypeInfo(plan.accumulator).itemsize;
  const unsigned = dtypeInfo(plan.accumulator).kind === 'u';
  const wrap = (x: bigint) => (unsigned ? BigInt.asUintN(64, x) : BigInt.asIntN(64, x));
  const big = (v: Scalar) => BigInt(castValue(v, plan.input, plan.accumulator) as bigint);
  forEachScanRow(plan, (s0, d0) => {
    let a = 0n;
    for (let i = 0; i < plan.length; i++) {
      const v = big(readItem(from, (s0 + i * plan.src.stride) * inSize, plan.input));
      a = i === 0 ? v : wrap(plan.op === 'sum' ? a + v : a * v);
      writeItem(to, (d0 + i * plan.dst.stride) * outSize, plan.accumulator, a);
    }
  });
}
