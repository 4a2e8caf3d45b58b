/** The WebGPU backend's handle to device memory, and the small helpers about buffers it shares. */

import type { DeviceBuffer } from '../backend.js';

export class GpuBuffer implements DeviceBuffer {
  readonly byteLength: number;
  readonly gpu: GPUBuffer;
  /** `gpu.size`, read once: in Node that getter is a native call, and kernels ask for it per dispatch. */
  readonly size: number;
  /** An application's buffer (np.fromGPUBuffer): never destroyed, pooled or counted as ndgpu's memory. */
  readonly external: boolean;
  released = false;
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
