/**
 * One suite for every backend: `forEachBackend(name => ...)` runs the body once per backend that this run
 * tests. CI tests both, and a WebGPU context that cannot be created fails the run (never skips it).
 *
 * WebGPU runs twice: with the tuning `init()` picks for the adapter ('webgpu': 'software' on lavapipe)
 * and forced to the kernels tuned for hardware GPUs ('webgpu:gpu', lanes interleaved; see
 * src/shaders/tuning.ts), so that both kernel orders are tested on any machine.
 * The CPU runs twice too: on its WebAssembly kernels ('cpu', which fails where WebAssembly is missing)
 * and forced to the JavaScript loops over ArrayBuffers ('cpu:js', what engines without WebAssembly get).
 * NDGPU_TEST_BACKENDS narrows a local run explicitly: a list of cpu, cpu:js, webgpu, webgpu:gpu,
 * webgpu:software.
 */

import { afterAll, beforeAll, describe } from 'vitest';
import { init, type Context, type InitOptions } from '../src/index.js';

export type BackendName = 'cpu' | 'webgpu';

const VARIANTS = {
  cpu: { backend: 'cpu', options: { backend: 'cpu', cpuKernels: 'wasm' } },
  'cpu:js': { backend: 'cpu', options: { backend: 'cpu', cpuKernels: 'js' } },
  webgpu: { backend: 'webgpu', options: { backend: 'webgpu' } },
  'webgpu:gpu': { backend: 'webgpu', options: { backend: 'webgpu', tuning: 'gpu' } },
  'webgpu:software': { backend: 'webgpu', options: { backend: 'webgpu', tuning: 'software' } },
} as const satisfies Record<string, { backend: BackendName; options: InitOptions }>;

type VariantName = keyof typeof VARIANTS;

function testedVariants(): VariantName[] {
  const env = (process.env.NDGPU_TEST_BACKENDS ?? 'cpu,cpu:js,webgpu,webgpu:gpu')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of env)
    if (!(name in VARIANTS)) throw new Error(`NDGPU_TEST_BACKENDS: unknown backend '${name}' (${Object.keys(VARIANTS).join(', ')})`);
  return env as VariantName[];
}

/** The backends this run tests (each once, however many tunings). */
export function testedBackends(): BackendName[] {
  return [...new Set(testedVariants().map((name) => VARIANTS[name].backend))];
}

/** Declares `describe(variant)` blocks; `get()` returns that variant's context inside tests. */
export function forEachBackend(body: (backend: BackendName, get: () => Context) => void): void {
  for (const name of testedVariants()) {
    const variant = VARIANTS[name];
    describe(name, () => {
      let np: Context | undefined;
      beforeAll(async () => {
        np = await init(variant.options); // throws (fails the suite) when WebGPU has no adapter
      });
      afterAll(() => np?.dispose());
      body(variant.backend, () => {
        if (!np) throw new Error(`the ${name} context was not created`);
        return np;
      });
    });
  }
}

/** The WebGPU variants this run tests, as `[name, init options]` (for suites that make their own contexts). */
export function testedWebGpuVariants(): [string, InitOptions][] {
  return testedVariants()
    .filter((name) => VARIANTS[name].backend === 'webgpu')
    .map((name) => [name, VARIANTS[name].options]);
}

/** The CPU backend's two paths side by side: its WebAssembly kernels and its JavaScript loops. */
export interface CpuKernelPair {
  readonly wasm: Context;
  readonly js: Context;
}

/**
 * Makes both CPU contexts before the tests of the enclosing scope and disposes them after, for tests
 * that run one program on each path and compare the bits. Read `wasm`/`js` inside tests.
 */
export function cpuKernelPair(): CpuKernelPair {
  let wasm: Context | undefined;
  let js: Context | undefined;
  beforeAll(async () => {
    wasm = await init(VARIANTS.cpu.options);
    js = await init(VARIANTS['cpu:js'].options);
  });
  afterAll(() => {
    wasm?.dispose();
    js?.dispose();
  });
  const made = (np: Context | undefined, name: string): Context => {
    if (!np) throw new Error(`the ${name} CPU context was not created`);
    return np;
  };
  return {
    get wasm() {
      return made(wasm, 'WebAssembly');
    },
    get js() {
      return made(js, 'JavaScript');
    },
  };
}
