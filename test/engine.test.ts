/**
 * Which WebGPU engine this run tests. CI runs the suite twice: under Node, where the 'webgpu' backend is
 * Dawn (the npm `webgpu` package), and under Deno (scripts/test-deno.sh), where it must be Deno's own
 * `navigator.gpu` (wgpu) — never Dawn. NDGPU_TEST_RUNTIME (set by the Deno config) names the runtime
 * the run expects; the test also prints the device's limits that differ between engines.
 */

import { describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../src/device/webgpu/webgpu-backend.js';
import { init, type Context } from '../src/index.js';
import { testedBackends } from './backends.js';

const runtime = 'Deno' in globalThis ? 'deno' : 'node';
const engine = runtime === 'deno' ? "Deno's navigator.gpu (wgpu)" : 'the npm webgpu package (Dawn)';

/** Limits ndgpu reads; the engines' defaults and adapters differ in several of them. */
const LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxUniformBufferBindingSize',
  'minStorageBufferOffsetAlignment',
  'minUniformBufferOffsetAlignment',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
] as const;

describe.runIf(testedBackends().includes('webgpu'))('the WebGPU engine under test', () => {
  it(`is ${engine}`, async () => {
    const expected = process.env.NDGPU_TEST_RUNTIME;
    if (expected) expect(runtime).toBe(expected);
    const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
    let np: Context;
    if (runtime === 'deno') {
      // init() must take its adapter from navigator.gpu: count the calls that reach it.
      expect(gpu, 'Deno has navigator.gpu').toBeDefined();
      const target = gpu as GPU;
      const original = target.requestAdapter;
      let calls = 0;
      Object.defineProperty(target, 'requestAdapter', {
        configurable: true,
        writable: true,
        value(this: GPU, options?: GPURequestAdapterOptions) {
          calls++;
          return original.call(this, options);
        },
      });
      try {
        np = await init({ backend: 'webgpu' });
      } finally {
        delete (target as { requestAdapter?: unknown }).requestAdapter;
      }
      expect(calls).toBe(1);
      const device = (np.backendImpl as WebGpuBackend).device;
      // Deno's own GPUDevice class: a Dawn device would not be an instance of it.
      expect(device).toBeInstanceOf((globalThis as unknown as { GPUDevice: new () => GPUDevice }).GPUDevice);
    } else {
      // Node has no navigator.gpu: init() loads Dawn from the npm webgpu package.
      expect(gpu).toBeUndefined();
      np = await init({ backend: 'webgpu' });
    }
    try {
      expect(np.backend).toBe('webgpu');
      const limits = (np.backendImpl as WebGpuBackend).device.limits;
      console.log(`${engine}: ${np.device}\n` + LIMITS.map((name) => `  ${name} = ${limits[name]}`).join('\n'));
      // The limits ndgpu depends on are at least the specification's defaults on every engine.
      expect(limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(134217728);
      expect(limits.maxBufferSize).toBeGreaterThanOrEqual(268435456);
      expect(limits.minStorageBufferOffsetAlignment).toBeLessThanOrEqual(256);
      expect(limits.minUniformBufferOffsetAlignment).toBeLessThanOrEqual(256);
    } finally {
      np.dispose();
    }
  });

  it('checks allocations against maxBufferSize in whole 4-byte words (wgpu reports 2^31 - 1, Dawn 2^32 - 1)', async () => {
    const np = await init({ backend: 'webgpu' });
    try {
      const reported = (np.backendImpl as WebGpuBackend).device.limits.maxBufferSize;
      const usable = np.backendImpl.capabilities.maxBufferSize;
      expect(usable % 4).toBe(0);
      expect(reported - usable).toBeLessThan(4);
      const before = np.memory();
      // One byte past the last whole word that fits: an error at the call, not a failed createBuffer later.
      expect(() => np.zeros([usable + 1], { dtype: 'uint8' })).toThrow(/cannot allocate/);
      expect(np.memory()).toEqual(before);
    } finally {
      np.dispose();
    }
  });

  it('keeps the sign of zero results (mod, floorDivide) as the CPU does', async () => {
    // WGSL lets a compiler drop the sign of a -0.0 constant (Tint did, naga did not): kernels build -0 from bits.
    const gpu = await init({ backend: 'webgpu' });
    const cpu = await init({ backend: 'cpu' });
    try {
      const a = [6, -6, 0, -0, 1, -1, 3, -3];
      const b = [-3, 3, -3, 3, 7, -7, -5, 5];
      for (const op of ['mod', 'floorDivide'] as const) {
        const bits = async (np: Context) => {
          const r = np[op](np.array(new Float32Array(a)), np.array(new Float32Array(b)));
          return Array.from(new Uint32Array(((await r.data()) as Float32Array).buffer));
        };
        expect(await bits(gpu), op).toEqual(await bits(cpu));
      }
    } finally {
      gpu.dispose();
      cpu.dispose();
    }
  });
});
