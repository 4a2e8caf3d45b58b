/**
 * Kernel tuning (src/shaders/tuning.ts): which adapters count as CPU implementations of WebGPU, the
 * `init({ tuning })` option, and `np.tuning`. That both tunings compute the same results is tested by
 * the whole suite, which runs WebGPU once per tuning (test/backends.ts).
 */

import { describe, expect, it } from 'vitest';
import { tuningFor } from '../src/device/webgpu/adapter.js';
import { init } from '../src/index.js';
import { testedBackends } from './backends.js';

describe('tuningFor', () => {
  it('tunes CPU implementations of WebGPU for software, by the names their adapters report', () => {
    // Dawn on lavapipe (as seen on this project's CI machine), Chrome's SwiftShader, WARP, wgpu's CPU types.
    expect(
      tuningFor({
        vendor: 'mesa',
        architecture: 'software',
        device: 'llvmpipe-llvm-15-0-6-256-bits-',
        description: 'llvmpipe: Mesa 25.0.7',
      }),
    ).toBe('software');
    expect(tuningFor({ vendor: 'google', architecture: 'swiftshader', device: '', description: '' })).toBe('software');
    expect(tuningFor({ description: 'Microsoft Basic Render Driver' })).toBe('software');
    expect(tuningFor({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe('software');
    expect(tuningFor({ vendor: 'nvidia', isFallbackAdapter: true })).toBe('software');
  });

  it('tunes hardware GPUs, and adapters that say nothing, for GPUs', () => {
    // The H200 that measured the tuning (README, Speed), and other vendors' usual reports.
    expect(tuningFor({ vendor: 'nvidia', architecture: '', device: 'nvidia-h200', description: 'NVIDIA: 580.159.04 580.159.4.0' })).toBe(
      'gpu',
    );
    expect(tuningFor({ vendor: 'apple', architecture: 'metal-3' })).toBe('gpu');
    expect(tuningFor({ vendor: 'amd', architecture: 'rdna-3' })).toBe('gpu');
    expect(tuningFor({ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 770' })).toBe('gpu');
    expect(tuningFor({ vendor: '', architecture: '', device: '', description: '' })).toBe('gpu');
    expect(tuningFor(undefined)).toBe('gpu');
  });
});

describe('init({ tuning })', () => {
  it('rejects unknown tunings with a TypeError', async () => {
    await expect(init({ backend: 'cpu', tuning: 'fast' as never })).rejects.toThrow(TypeError);
    await expect(init({ backend: 'cpu', tuning: 'fast' as never })).rejects.toThrow(
      /tuning must be 'auto', 'gpu' or 'software', got 'fast'/,
    );
  });

  it('has no tuning on the CPU backend', async () => {
    const np = await init({ backend: 'cpu', tuning: 'gpu' });
    expect(np.tuning).toBeNull();
    np.dispose();
  });

  describe.runIf(testedBackends().includes('webgpu'))('webgpu', () => {
    it('takes the tuning asked for, and picks one from the adapter by default', async () => {
      for (const tuning of ['gpu', 'software'] as const) {
        const np = await init({ backend: 'webgpu', tuning });
        expect(np.tuning).toBe(tuning);
        np.dispose();
      }
      const np = await init({ backend: 'webgpu' });
      // This project's CI runs WebGPU on lavapipe: its kernels must get the software tuning there.
      if (/llvmpipe|lavapipe|swiftshader/i.test(np.device)) expect(np.tuning).toBe('software');
      else expect(['gpu', 'software']).toContain(np.tuning);
      np.dispose();
    });
  });
});
