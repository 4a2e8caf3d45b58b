/**
 * `init()`: picks a backend. 'auto' uses WebGPU when an adapter is found, else the CPU; forcing
 * 'webgpu' fails with a message naming what is missing.
 */

import { findGPU, requestDevice } from './device/adapter.js';
import { CpuBackend } from './device/cpu.js';
import { WebGpuBackend } from './device/webgpu.js';
import { Context } from './ndarray/context.js';

export interface InitOptions {
  /** 'auto' (default), 'webgpu' or 'cpu'. */
  backend?: 'auto' | 'webgpu' | 'cpu';
  /** Use this device (a browser app's own); ndgpu then never destroys it. */
  device?: GPUDevice;
}

export async function init(options: InitOptions = {}): Promise<Context> {
  const wanted = options.backend ?? (options.device ? 'webgpu' : 'auto');
  if (wanted !== 'auto' && wanted !== 'webgpu' && wanted !== 'cpu') {
    throw new TypeError(`init(): backend must be 'auto', 'webgpu' or 'cpu', got '${String(wanted)}'`);
  }
  if (wanted === 'cpu') return new Context(new CpuBackend());
  if (options.device) {
    return new Context(new WebGpuBackend(options.device, { ownsDevice: false, description: 'WebGPU (application device)' }));
  }
  const found = await findGPU();
  const device = 'gpu' in found ? await requestDevice(found.gpu) : found;
  if ('device' in device) {
    return new Context(new WebGpuBackend(device.device, { ownsDevice: true, description: device.adapterDescription }));
  }
  if (wanted === 'webgpu') throw new Error(`init({ backend: 'webgpu' }): ${device.missing}`);
  const context = new Context(new CpuBackend());
  context.fallbackReason = device.missing;
  return context;
}
