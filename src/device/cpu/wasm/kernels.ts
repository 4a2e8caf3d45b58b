/**
 * The CPU backend's WebAssembly kernels: one module, emitted from TypeScript (./emit.ts) the first time a
 * backend asks for it, compiled once per process, instantiated per backend over that backend's memory.
 * Every kernel family adds its functions here; their JavaScript signatures are below.
 */

import { ModuleBuilder } from './emit.js';
import { addCopyKernels } from './copy-kernels.js';

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

export type Kernels = CopyKernels;

/** The module's bytes: every family's functions. */
export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  addCopyKernels(m);
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
