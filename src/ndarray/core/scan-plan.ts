/**
 * Scans (cumulative sums and products) along one axis, and the order in which every backend combines a
 * row's elements, so that the CPU's results are the GPU's bit for bit:
 *
 *   scan(x[0..n)) = x combined one element after another, left to right, when n ≤ SCAN_CHUNK;
 *   otherwise the row is cut into chunks of SCAN_CHUNK consecutive elements, each scanned one element
 *   after another (`local`), the chunks' totals are scanned by this same definition (`carry`), and
 *   element i of chunk k > 0 is `carry[k − 1] ⊕ local[i]` (chunk 0 keeps `local`).
 *
 * For rows of at most SCAN_CHUNK elements this is NumPy's own order (one element after another); longer
 * float rows differ from NumPy's only in rounding. Integer results are exact in any order (they wrap).
 * Float16 rows combine in float32 and round to float16 at every step, as NumPy's float16 loops do.
 */

import type { DType } from './dtype.js';

/** Elements combined one after another before a scan moves to chunk totals (see above). */
export const SCAN_CHUNK = 128;

export type ScanOp = 'sum' | 'prod';

export interface ScanRows {
  /** The kept axes (every axis but the scanned one), and each operand's strides along them, in items. */
  readonly shape: readonly number[];
  readonly src: readonly number[];
  readonly dst: readonly number[];
}

/** `dst = scan(src)` along one axis of `length` elements, for every row. */
export interface ScanPlan {
  readonly op: ScanOp;
  /** The source dtype; values are converted to the accumulator dtype (which is also the result's). */
  readonly input: DType;
  readonly accumulator: DType;
  readonly rows: ScanRows;
  readonly length: number;
  readonly src: { readonly offset: number; readonly stride: number };
  readonly dst: { readonly offset: number; readonly stride: number };
}

/** The number of chunk totals each level of a row of `length` elements has, down to one chunk. */
export function scanLevels(length: number): number[] {
  const levels: number[] = [];
  for (let n = length; n > SCAN_CHUNK;) {
    n = Math.ceil(n / SCAN_CHUNK);
    levels.push(n);
  }
  return levels;
}

/**
 * The scan of `values` by the definition above: `combine(a, b)` must round as the accumulator does.
 * The CPU's reference implementation (the WebGPU kernels compute the same expressions in passes).
 */
export function chunkedScan(values: ArrayLike<number>, combine: (a: number, b: number) => number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (n <= SCAN_CHUNK) {
    let acc = values[0];
    out[0] = acc;
    for (let i = 1; i < n; i++) out[i] = acc = combine(acc, values[i]);
    return out;
  }
  const chunks = Math.ceil(n / SCAN_CHUNK);
  const totals = new Float64Array(chunks);
  for (let k = 0; k < chunks; k++) {
    const start = k * SCAN_CHUNK;
    const end = Math.min(start + SCAN_CHUNK, n);
    let acc = values[start];
    out[start] = acc;
    for (let i = start + 1; i < end; i++) out[i] = acc = combine(acc, values[i]);
    totals[k] = acc;
  }
  const carry = chunkedScan(totals, combine);
  for (let k = 1; k < chunks; k++) {
    const c = carry[k - 1];
    for (let i = k * SCAN_CHUNK, end = Math.min(i + SCAN_CHUNK, n); i < end; i++) out[i] = combine(c, out[i]);
  }
  return out;
}
