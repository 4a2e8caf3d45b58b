/**
 * Makes a CPU backend: its arrays in a WebAssembly memory where the engine has WebAssembly, else in
 * ArrayBuffers of their own, served by the JavaScript loops.
 */

import { CpuBackend } from './cpu-backend.js';
import { RESERVED_BYTES, WasmHeap } from './heap.js';
import { instantiateKernels, type Kernels } from './wasm/kernels.js';

/** Which loops the CPU backend runs: 'auto' WebAssembly where the engine has it, 'wasm' WebAssembly or
 * an error, 'js' the JavaScript loops over ArrayBuffers (what engines without WebAssembly get). */
export type CpuKernels = 'auto' | 'wasm' | 'js';

export interface CpuBackendSetup {
  poolLimit?: number;
  kernels?: CpuKernels;
  /** The most bytes the WebAssembly memory grows to (default: the engine's limit); arrays beyond it get
   * ArrayBuffers of their own. */
  memoryLimit?: number;
}

/** Pages the memory starts with: the reserved area and 1 MiB for arrays. */
const INITIAL_BYTES = RESERVED_BYTES + (1 << 20);

export async function createCpuBackend(setup: CpuBackendSetup = {}): Promise<CpuBackend> {
  const wanted = setup.kernels ?? 'auto';
  const missing = wanted === 'js' ? null : webAssemblyMissing();
  if (wanted === 'wasm' && missing) throw new Error(`init({ cpuKernels: 'wasm' }): ${missing}`);
  if (wanted === 'js' || missing) return new CpuBackend({ poolLimit: setup.poolLimit });
  const memory = new WebAssembly.Memory({ initial: INITIAL_BYTES / 65536 });
  let kernels: Kernels;
  try {
    kernels = await instantiateKernels(memory);
  } catch (error) {
    // A CompileError: the engine has WebAssembly without what the kernels use (128-bit SIMD).
    if (wanted === 'wasm')
      throw new Error(`init({ cpuKernels: 'wasm' }): this engine cannot compile the WebAssembly SIMD kernels (${String(error)})`);
    return new CpuBackend({ poolLimit: setup.poolLimit });
  }
  return new CpuBackend({ poolLimit: setup.poolLimit, heap: new WasmHeap(memory, setup.memoryLimit), kernels });
}

/** Why this engine cannot run the WebAssembly kernels, or null. */
function webAssemblyMissing(): string | null {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Memory !== 'function') return 'this engine has no WebAssembly';
  return null;
}
