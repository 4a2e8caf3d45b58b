/**
 * Scans on the WebAssembly kernels (./scan-kernels.ts), row by row in the order of
 * ndarray/core/scan-plan.ts, as the JavaScript loops (../scan.ts) compute them: integer accumulators of
 * at most 32 bits from integer inputs of at most 32 bits (wrapping, so any order gives the same bits),
 * float64 from float64 one element after another, float32 from float32 in chunks (each chunk's running
 * results, the chunk totals scanned in JavaScript by `chunkedScan`, then the carries combined in). Other
 * dtype pairs (64-bit integers, float16, conversions to floats) stay in JavaScript.
 */

import { SCAN_CHUNK, chunkedScan, type ScanPlan } from '../../../ndarray/core/scan-plan.js';
import { forEachScanRow } from '../scan.js';
import type { ScanKernels } from './kernels.js';
import type { ScanIntInput } from './scan-kernels.js';

const INT_INPUTS: Partial<Record<ScanPlan['input'], ScanIntInput>> = {
  bool: 'u8',
  int8: 's8',
  uint8: 'u8',
  int16: 's16',
  uint16: 'u16',
  int32: 'i32',
  uint32: 'i32',
};

const INT_ACCUMULATORS: Partial<Record<ScanPlan['accumulator'], 1 | 2 | 4>> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
};

const SIZES: Partial<Record<ScanPlan['input'], number>> = { bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4 };

/** What the kernels do for a plan: null where they do not serve it. */
export function scanKernelFor(plan: ScanPlan): 'int' | 'f64' | 'f32' | null {
  const { input, accumulator } = plan;
  if (INT_INPUTS[input] && INT_ACCUMULATORS[accumulator]) return 'int';
  if (input === 'float64' && accumulator === 'float64') return 'f64';
  if (input === 'float32' && accumulator === 'float32') return 'f32';
  return null;
}

/** Bytes of scratch a float32 plan needs for its carries (0 for the other kinds). */
export function scanScratchBytes(plan: ScanPlan): number {
  return scanKernelFor(plan) === 'f32' && plan.length > SCAN_CHUNK ? Math.ceil(plan.length / SCAN_CHUNK) * 4 : 0;
}

/**
 * Executes a plan that `scanKernelFor` serves, at byte addresses `dst` and `src`; `dstBytes` is a view of
 * the memory from `dst` on (the float32 chunk totals are read there), `scratch` the address of
 * `scanScratchBytes(plan)` bytes.
 */
export function scanInMemory(kernels: ScanKernels, dst: number, src: number, plan: ScanPlan, dstBytes: Uint8Array, scratch: number): void {
  const kind = scanKernelFor(plan);
  const n = plan.length;
  if (kind === 'int') {
    const size = SIZES[plan.input] as number;
    const out = INT_ACCUMULATORS[plan.accumulator] as 1 | 2 | 4;
    const kernel = kernels[`scan_${plan.op}_${INT_INPUTS[plan.input] as ScanIntInput}_${out}`];
    const sStep = plan.src.stride * size;
    const dStep = plan.dst.stride * out;
    forEachScanRow(plan, (s, d) => kernel(dst + d * out, src + s * size, n, sStep, dStep));
    return;
  }
  if (kind === 'f64') {
    const kernel = kernels[`scan_${plan.op}_f64`];
    forEachScanRow(plan, (s, d) => kernel(dst + d * 8, src + s * 8, n, plan.src.stride * 8, plan.dst.stride * 8));
    return;
  }
  if (kind !== 'f32') throw new TypeError(`internal error: no scan kernel for ${plan.input} into ${plan.accumulator}`);
  const local = kernels[`scan_${plan.op}_f32_local`];
  const carry = kernels[`scan_${plan.op}_f32_carry`];
  const sStep = plan.src.stride * 4;
  const dStep = plan.dst.stride * 4;
  const chunks = Math.ceil(n / SCAN_CHUNK);
  const out = new Float32Array(dstBytes.buffer, dstBytes.byteOffset, dstBytes.byteLength >> 2);
  const carries = chunks > 1 ? new Float32Array(dstBytes.buffer, scratch, chunks) : null;
  const totals = new Float64Array(chunks);
  const combine = plan.op === 'sum' ? (a: number, b: number) => Math.fround(a + b) : (a: number, b: number) => Math.fround(a * b);
  forEachScanRow(plan, (s, d) => {
    local(dst + d * 4, src + s * 4, n, sStep, dStep);
    if (!carries) return;
    // Each chunk's total is its last running result, before the carries change it.
    for (let k = 0; k < chunks; k++) totals[k] = out[d + (Math.min((k + 1) * SCAN_CHUNK, n) - 1) * plan.dst.stride];
    carries.set(chunkedScan(totals, combine));
    carry(dst + d * 4, scratch, n, dStep);
  });
}
