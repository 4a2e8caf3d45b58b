/** The WebGPU backend's handle to device memory, and the small helpers about buffers it shares. */

import type { DeviceBuffer } from '../backend.js';
import type { KernelCheck } from './pipelines.js';

export class GpuBuffer implements DeviceBuffer {
  readonly byteLength: number;
  readonly gpu: GPUBuffer;
  /** `gpu.size`, read once: in Node that getter is a native call, and kernels ask for it per dispatch. */
  readonly size: number;
  /** An application's buffer (np.fromGPUBuffer): never destroyed, pooled or counted as ndgpu's memory. */
  readonly external: boolean;
  released = false;
  /** Checks of unconfirmed work that wrote this memory, directly or through what it read (user kernels
   * whose compilation WebGPU has not reported yet, or failed): reads of it await them. Null when none. */
  checks: KernelCheck[] | null = null;
  constructor(gpu: GPUBuffer, byteLength: number, external = false) {
    this.gpu = gpu;
    this.size = gpu.size;
    this.byteLength = byteLength;
    this.external = external;
  }
}

/** Gives memory to kernels that need scratch space (a staged source, partial results). */
export interface Allocator {
  alloc(byteLength: number): GpuBuffer;
  release(buffer: GpuBuffer): void;
}

export function alignTo(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

const ids = new WeakMap<GPUBuffer, number>();
let nextBufferId = 1;

/** A stable number per GPUBuffer, for cache keys. */
export function bufferId(gpu: GPUBuffer): number {
  let id = ids.get(gpu);
  if (id === undefined) {
    id = nextBufferId++;
    ids.set(gpu, id);
  }
  return id;
}

/** The checks of `a` and `b` together, without those that passed (null when none is left). */
export function mergeChecks(a: readonly KernelCheck[] | null, b: readonly KernelCheck[] | null): KernelCheck[] | null {
  const merged = new Set<KernelCheck>();
  for (const list of [a, b]) for (const check of list ?? []) if (!check.settled || check.error) merged.add(check);
  return merged.size > 0 ? [...merged] : null;
}
