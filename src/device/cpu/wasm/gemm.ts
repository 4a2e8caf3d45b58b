/**
 * One matrix product on the WebAssembly gemm kernels (./gemm-kernels.ts), called by the CPU backend's
 * products (./product.ts) once per product of a batch. Positions are in items of the dtype; blocks are
 * byte addresses in the kernels' memory (`CpuBuffer.address`, for buffers with `inHeap`).
 */

import type { GemmKernels } from './kernels.js';

/** One product C = A · B: C is m × n with rows `cRowStride` items apart and items contiguous; A (m × k)
 * and B (k × n) at any item strides (negative ones too). */
export interface GemmOperands {
  readonly dtype: 'float32' | 'float64';
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Byte address of C[0, 0], A[0, 0], B[0, 0]. */
  readonly c: number;
  readonly a: number;
  readonly b: number;
  readonly cRowStride: number;
  /** [row stride, column stride] in items. */
  readonly aStrides: readonly [number, number];
  readonly bStrides: readonly [number, number];
}

/** C = A · B in the order gemm-kernels.ts documents (k in order from -0.0, no fused multiply-add). */
export function gemmInMemory(kernels: GemmKernels, g: GemmOperands): void {
  const size = g.dtype === 'float32' ? 4 : 8;
  const kernel = g.dtype === 'float32' ? kernels.gemm_f32 : kernels.gemm_f64;
  kernel(
    g.a,
    g.b,
    g.c,
    g.m,
    g.n,
    g.k,
    g.aStrides[0] * size,
    g.aStrides[1] * size,
    g.bStrides[0] * size,
    g.bStrides[1] * size,
    g.cRowStride * size,
  );
}
