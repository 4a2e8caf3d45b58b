/**
 * `init()`: picks a backend. 'auto' uses WebGPU when an adapter is found, else the CPU; forcing
 * 'webgpu' fails with a message naming what is missing. Each backend's module is imported when it is
 * picked (bundlers split these imports into chunks of their own), so that an application loads one.
 */

import { findGPU, requestDevice, tuningOfDevice } from './device/webgpu/adapter.js';
import { Context } from './ndarray/array/context.js';
import type { Backend, Tuning } from './device/backend.js';

export interface InitOptions {
  /** 'auto' (default), 'webgpu' or 'cpu'. */
  backend?: 'auto' | 'webgpu' | 'cpu';
  /** Use this device (a browser app's own); ndgpu then never destroys it. */
  device?: GPUDevice;
  /** Most bytes of released memory kept for reuse (default 256 MiB); `np.trim()` frees it. */
  poolLimit?: number;
  /** Record where every array is made, for `np.liveArrays()` (leak hunting; costs a stack per array). */
  trackArrays?: boolean;
  /** Report lifetime traps (a small view keeping a much larger buffer alive): `true` for
   * `console.warn`, or a function that receives each message. */
  warnings?: boolean | ((message: string) => void);
  /** What the WebGPU kernels are tuned for: 'auto' (default) picks 'software' for CPU implementations of
   * WebGPU (lavapipe, SwiftShader, WARP) and 'gpu' otherwise. The results are the same either way. */
  tuning?: 'auto' | Tuning;
  /** WebGPU: bind buffers through windows of at most this many bytes (a multiple of 256), as if the device's
   * `maxStorageBufferBindingSize` were this low. The results are the same; tests use it to run the paths
   * for arrays larger than one binding on small arrays. */
  maxBindingSize?: number;
  /** Say which backend was picked and why (`console.info`). */
  verbose?: boolean;
  /** The CPU backend's loops: 'auto' (default) runs WebAssembly SIMD kernels over arrays in a
   * WebAssembly memory where the engine has them, else the JavaScript loops; 'wasm' requires WebAssembly
   * (init fails without it); 'js' forces the JavaScript loops over ArrayBuffers. The results are the same. */
  cpuKernels?: 'auto' | 'wasm' | 'js';
  /** CPU backend: the most bytes its WebAssembly memory grows to (default: the engine's limit, 4 GiB in
   * current engines on 64-bit hosts). Arrays that do not fit get ArrayBuffers of their own and the
   * JavaScript loops; tests use a low limit to run that path on small arrays. */
  cpuMemoryLimit?: number;
}

export async function init(options: InitOptions = {}): Promise<Context> {
  const wanted = options.backend ?? (options.device ? 'webgpu' : 'auto');
  if (wanted !== 'auto' && wanted !== 'webgpu' && wanted !== 'cpu') {
    throw new TypeError(`init(): backend must be 'auto', 'webgpu' or 'cpu', got '${String(wanted)}'`);
  }
  const engine = {
    trackArrays: options.trackArrays ?? false,
    warn: options.warnings === true ? (m: string) => console.warn(m) : options.warnings || null,
  };
  const poolLimit = options.poolLimit;
  const tuning = options.tuning ?? 'auto';
  if (tuning !== 'auto' && tuning !== 'gpu' && tuning !== 'software') {
    throw new TypeError(`init(): tuning must be 'auto', 'gpu' or 'software', got '${String(tuning)}'`);
  }
  const binding = options.maxBindingSize;
  if (binding !== undefined && !(Number.isInteger(binding) && binding >= 1024 && binding % 256 === 0)) {
    throw new TypeError(`init(): maxBindingSize must be a multiple of 256 bytes, at least 1024, got ${String(binding)}`);
  }
  const cpuKernels = options.cpuKernels ?? 'auto';
  if (cpuKernels !== 'auto' && cpuKernels !== 'wasm' && cpuKernels !== 'js') {
    throw new TypeError(`init(): cpuKernels must be 'auto', 'wasm' or 'js', got '${String(cpuKernels)}'`);
  }
  const memoryLimit = options.cpuMemoryLimit;
  if (memoryLimit !== undefined && !(Number.isInteger(memoryLimit) && memoryLimit >= 0)) {
    throw new TypeError(`init(): cpuMemoryLimit must be a whole number of bytes, got ${String(memoryLimit)}`);
  }
  const verbose = options.verbose ?? false;
  const picked = (backend: Backend, why: string) => {
    if (verbose) console.info(`ndgpu: ${backend.kind} backend (${backend.description}): ${why}`);
    return new Context(backend, engine);
  };
  const cpu = async () => (await import('./device/cpu/create.js')).createCpuBackend({ poolLimit, kernels: cpuKernels, memoryLimit });
  if (wanted === 'cpu') return picked(await cpu(), "init({ backend: 'cpu' })");
  if (options.device !== undefined) {
    if (!isGPUDevice(options.device)) {
      throw new TypeError(`init({ device }): device must be a GPUDevice (from adapter.requestDevice()), got ${describe(options.device)}`);
    }
    const { WebGpuBackend } = await import('./device/webgpu/webgpu-backend.js');
    const backend = new WebGpuBackend(options.device, {
      ownsDevice: false,
      description: 'WebGPU (application device)',
      poolLimit,
      tuning: tuning === 'auto' ? tuningOfDevice(options.device) : tuning,
      maxBindingSize: options.maxBindingSize,
    });
    return picked(backend, 'the device given to init()');
  }
  const found = await findGPU();
  const device = 'gpu' in found ? await requestDevice(found.gpu) : found;
  if ('device' in device) {
    const { WebGpuBackend } = await import('./device/webgpu/webgpu-backend.js');
    const backend = new WebGpuBackend(device.device, {
      ownsDevice: true,
      description: device.adapterDescription,
      poolLimit,
      tuning: tuning === 'auto' ? device.tuning : tuning,
      maxBindingSize: options.maxBindingSize,
    });
    return picked(backend, 'a WebGPU adapter was found');
  }
  if (wanted === 'webgpu') throw new Error(`init({ backend: 'webgpu' }): ${device.missing}`);
  const context = picked(await cpu(), `no WebGPU: ${device.missing}`);
  context.fallbackReason = device.missing;
  return context;
}

/** Whether `value` has what ndgpu uses of a GPUDevice (engines differ in whether the class is global). */
function isGPUDevice(value: unknown): value is GPUDevice {
  if (typeof value !== 'object' || value === null) return false;
  const device = value as Partial<Record<keyof GPUDevice, unknown>>;
  return (
    typeof device.createBuffer === 'function' &&
    typeof device.createComputePipeline === 'function' &&
    typeof device.limits === 'object' &&
    device.limits !== null &&
    typeof device.queue === 'object' &&
    device.queue !== null &&
    typeof (device.lost as { then?: unknown } | undefined)?.then === 'function'
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'a plain object';
}
