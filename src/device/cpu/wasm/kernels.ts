/**
 * The CPU backend's WebAssembly kernels: one module, emitted from TypeScript (./module.ts, with the
 * emitter ./emit.ts) by `npm run gen:cpu-loops` into ../generated/kernels-wasm.ts, compiled once per
 * process, instantiated per backend over that backend's memory. Their JavaScript signatures are below.
 */

import { KERNELS_WASM_BASE64 } from '../generated/kernels-wasm.js';

/** Copies and fills of one 2-D block: addresses and strides in bytes (see copy-kernels.ts). */
export interface CopyKernels {
  copy_u8(dst: number, src: number, n0: number, n1: number, d0: number, d1: number, s0: number, s1: number): void;
  copy_u16(dst: number, src: number, n0: number, n1: number, d0: number, d1: number, s0: number, s1: number): void;
  copy_u32(dst: number, src: number, n0: number, n1: number, d0: number, d1: number, s0: number, s1: number): void;
  fill_u8(dst: number, n0: number, n1: number, d0: number, d1: number, value: number): void;
  fill_u16(dst: number, n0: number, n1: number, d0: number, d1: number, value: number): void;
  fill_u32(dst: number, n0: number, n1: number, d0: number, d1: number, value: number): void;
  fill_pair(dst: number, n0: number, n1: number, d0: number, d1: number, low: number, high: number): void;
}

/** Float sums in NumPy's order (see reduce-kernels.ts): addresses and steps in bytes. */
export interface ReduceKernels {
  pairwise_f32(p: number, n: number, step: number): number;
  pairwise_f64(p: number, n: number, step: number): number;
  sum_outputs_f32(dst: number, src: number, count: number, keptStep: number, n: number, step: number): void;
  sum_outputs_f64(dst: number, src: number, count: number, keptStep: number, n: number, step: number): void;
  add_rows_f32(sums: number, src: number, count: number, keptStep: number, rows: number, rowStep: number, fresh: number): void;
  add_rows_f64(sums: number, src: number, count: number, keptStep: number, rows: number, rowStep: number, fresh: number): void;
  store_f32(address: number, value: number): void;
  store_f64(address: number, value: number): void;
}

/** Elementwise lane kernels by name (`laneKernelName` in elementwise-kernels.ts), and the scalar slot store. */
export interface ElementwiseKernels {
  store_i32(address: number, value: number): void;
  [name: `ew_${string}`]: (...args: number[]) => void;
  [name: `cmp_${string}`]: (...args: number[]) => void;
  [name: `cls_${string}`]: (...args: number[]) => void;
}

/** Casts by name (`castKernelName` in cast-kernels.ts), over one 2-D block like the copy kernels. */
export type CastKernels = Record<
  `cast_${string}`,
  (dst: number, src: number, n0: number, n1: number, d0: number, d1: number, s0: number, s1: number) => void
>;

/** One matrix product (see gemm-kernels.ts): C (m × n, rows `ldc` bytes apart) = A (m × k) · B (k × n), addresses
 * and strides in bytes. */
export type GemmKernel = (
  a: number,
  b: number,
  c: number,
  m: number,
  n: number,
  k: number,
  rsA: number,
  csA: number,
  rsB: number,
  csB: number,
  ldc: number,
) => void;

/** Matrix products by item type, one signature. */
export type GemmKernels = Record<'gemm_f32' | 'gemm_f64', GemmKernel>;

/** Folds of one run by name (`fold_<op>_<items>`, see fold-kernels.ts): (p, n, step) in bytes. */
export type FoldKernels = Record<`fold_${string}`, (p: number, n: number, step: number) => number>;

/** Advanced indexing (see index-kernels.ts): addresses and steps in bytes, keys as 32-bit words. */
export type IndexKernels = Record<
  `gather_${1 | 2 | 4 | 8}` | `scatter_${1 | 2 | 4 | 8}`,
  (dst: number, src: number, keys: number, n: number, dStep: number, sStep: number, kStep: number, keyStride: number) => void
> &
  Record<
    `keys_${string}`,
    (keys: number, index: number, n: number, kStep: number, iStep: number, size: number, multiplier: number, flags: number) => number
  > & {
    compact_mask(keys: number, count: number, mask: number, n: number): void;
    keep_last(keys: number, count: number, seen: number, seenBytes: number): void;
  };

/** Scans of one row (see scan-kernels.ts): addresses and steps in bytes. */
export type ScanKernels = Record<`scan_${string}`, (dst: number, src: number, n: number, sStep: number, dStep: number) => void> &
  Record<`scan_${string}_carry`, (dst: number, carries: number, n: number, dStep: number) => void>;

/** Exact sums of integer items (see exact-sum-kernels.ts): addresses and steps in bytes, sums as 64-bit words. */
export type ExactSumKernels = Record<
  `xsum_block_${string}`,
  (sum: number, p: number, rows: number, rowStep: number, n: number, step: number) => void
> &
  Record<`xsum_rows_${string}`, (sums: number, src: number, count: number, keptStep: number, rows: number, rowStep: number) => void> & {
    xsum_wrap(dst: number, sums: number, count: number): void;
    /** Returns how many sums lie beyond ±2^53 (their means are not written). */
    xsum_mean(dst: number, sums: number, count: number, divisor: number): number;
  };

/** Many outputs of the reductions other than sums at once (see fold-rows-kernels.ts): `rows_<op>_<items>`,
 * addresses and steps in bytes. */
export type FoldRowsKernels = Record<
  `rows_${string}`,
  (dst: number, values: number, src: number, count: number, keptStep: number, rows: number, rowStep: number, first: number) => void
>;

export type Kernels = CopyKernels &
  ReduceKernels &
  ElementwiseKernels &
  CastKernels &
  GemmKernels &
  FoldKernels &
  IndexKernels &
  ScanKernels &
  ExactSumKernels &
  FoldRowsKernels;

let compiled: Promise<WebAssembly.Module> | null = null;

/** The compiled module (compiled once; asynchronously, as browsers require for modules this size on
 * their main thread). Rejects where the engine lacks what the kernels use (SIMD). */
export function compileKernels(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(decodeBase64(KERNELS_WASM_BASE64));
  return compiled;
}

/** The kernels over `memory`. */
export async function instantiateKernels(memory: WebAssembly.Memory): Promise<Kernels> {
  const instance = await WebAssembly.instantiate(await compileKernels(), { env: { memory } });
  return instance.exports as unknown as Kernels;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 (no line breaks) to bytes: every engine, no `atob` needed. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const values = new Uint8Array(128);
  for (let i = 0; i < BASE64.length; i++) values[BASE64.charCodeAt(i)] = i;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n =
      (values[text.charCodeAt(i)] << 18) |
      (values[text.charCodeAt(i + 1)] << 12) |
      (values[text.charCodeAt(i + 2)] << 6) |
      values[text.charCodeAt(i + 3)];
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}
