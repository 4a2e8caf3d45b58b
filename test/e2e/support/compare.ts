/** What test/e2e/pages/script.js reports (the same program on WebGPU and on the CPU), and its checks,
 * shared by the Chromium and Firefox tests. */

import { expect } from 'vitest';

export interface ArrayResult {
  name: string;
  dtype: string;
  text: string;
  bytes: number[];
}

export interface Comparison {
  failure?: string;
  hasGPU?: boolean;
  auto: { backend: string; fallbackReason: string | null };
  webgpu: { backend: string; device: string; results: ArrayResult[] };
  cpu: { backend: string; device: string; results: ArrayResult[]; compute: ArrayResult[] };
  cpuJs: { device: string; results: ArrayResult[]; compute: ArrayResult[] };
  error?: { isIndexError: boolean; message: string };
}

const TUTORIAL_A = '[[   0   10   10    3]\n [1234   10   10    7]\n [   8   10   10   11]]';

/** init() picked WebGPU by itself (no fallback: a run that finds no adapter fails), and every array has
 * the same metadata, text and bytes on WebGPU as on the CPU; the CPU ran its WebAssembly kernels, and
 * gives the same bytes forced to its JavaScript loops, for the copies and for computations. */
export function expectSameOnBothBackends(result: Comparison): void {
  expect(result.failure).toBeUndefined();
  expect(result.auto).toEqual({ backend: 'webgpu', fallbackReason: null });
  expect(result.webgpu.backend).toBe('webgpu');
  expect(result.cpu.backend).toBe('cpu');
  expect(result.webgpu.results.map((r) => r.name)).toEqual([
    'a',
    'c',
    'd',
    'x',
    't',
    'f',
    'u8',
    'h',
    'i64',
    'shifted',
    'b',
    'cast',
    'flipped',
    'left',
    'right',
    'diagonal',
    'rot',
    'joined',
    'padded',
    'rolled',
    'tiled',
    'mean',
    'rounded',
    'shifts',
    'variance',
    'gathered',
    'scattered',
    'masked',
    'cumsum',
    'product',
  ]);
  for (const [k, gpu] of result.webgpu.results.entries()) expect(gpu, `array '${gpu.name}'`).toEqual(result.cpu.results[k]);
  expect(result.cpu.device).toBe('CPU (WebAssembly SIMD)');
  expect(result.cpuJs.device).toBe('CPU (JavaScript)');
  expect(result.cpuJs.results).toEqual(result.cpu.results);
  expect(result.cpu.compute.map((r) => r.name)).toEqual(['sumall', 'sum0', 'sum1', 'addT', 'maxT', 'strided', 'reversed', 'filled']);
  for (const [k, wasm] of result.cpu.compute.entries()) expect(result.cpuJs.compute[k], `compute '${wasm.name}'`).toEqual(wasm);
  const byName = new Map(result.webgpu.results.map((r) => [r.name, r]));
  expect(byName.get('a')?.text).toBe(TUTORIAL_A);
  expect(byName.get('shifted')?.text).toBe('[0 0 1 2 3 4 5 6 7 8]');
  expect(byName.get('cast')?.text).toBe('[[  1   0]\n [255   0]]');
  expect(byName.get('h')).toMatchObject({ dtype: 'float16', text: '[9. 8. 7. 6. 5. 4. 3. 2. 1. 0.]' });
  expect(byName.get('left')).toMatchObject({ owndata: false, shape: [3, 2], strides: [16, 4] });
  expect(byName.get('diagonal')?.text).toBe('[ 0.  5. 10.]');
  expect(byName.get('mean')).toMatchObject({ dtype: 'float32', text: '[255. 255. 255. 255.]' });
  expect(byName.get('joined')).toMatchObject({ owndata: true, shape: [3, 7] });
  expect(byName.get('scattered')?.text).toBe('[2 1 2 3 4 5 6 3 8 9]');
  expect(byName.get('masked')).toMatchObject({ owndata: true, text: '[ 6.  7.  8.  9. 10. 11.]' });
  expect(byName.get('product')).toMatchObject({ owndata: true, shape: [3, 3] });
}
