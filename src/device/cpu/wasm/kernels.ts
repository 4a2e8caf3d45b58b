/**
 * The CPU backend's WebAssembly kernels: one module, emitted from TypeScript (./emit.ts) the first time a
 * backend asks for it, compiled once per process, instantiated per backend over that backend's memory.
 * Every kernel family adds its functions here; their JavaScript signatures are below.
 */

import { ModuleBuilder } from './emit.js';
import { addCopyKernels } from './copy-kernels.js';
import { addReduceKernels } from './reduce-kernels.js';

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
  add_rows_f32(sums: number, src: number, count: number, keptStep: number, rows: number, rowStep: number): void;
  add_rows_f64(sums: number, src: number, count: number, keptStep: number, rows: number, rowStep: number): void;
  store_f32(address: number, value: number): void;
  store_f64(address: number, value: number): void;
}

export type Kernels = CopyKernels & ReduceKernels;

/** The module's bytes: every family's functions. */
export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  addCopyKernels(m);
  addReduceKernels(m);
  return m.encode();
}

let compiled: Promise<WebAssembly.Module> | null = null;

/** The compiled module (compiled once; asynchronously, as browsers require for modules this size on
 * their main thread). Rejects where the engine lacks what the kernels use (SIMD). */
export function compileKernels(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(kernelModuleBytes());
  return compiled;
}

/** The kernels over `memory`. */
export async function instantiateKernels(memory: WebAssembly.Memory): Promise<Kernels> {
  const instance = await WebAssembly.instantiate(await compileKernels(), { env: { memory } });
  return instance.exports as unknown as Kernels;
}
