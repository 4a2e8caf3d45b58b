/**
 * One suite for every backend: `forEachBackend(name => ...)` runs the body once per backend that this run
 * tests. CI tests both, and a WebGPU context that cannot be created fails the run (never skips it).
 * NDGPU_TEST_BACKENDS=cpu (or =webgpu) narrows a local run explicitly.
 */

import { afterAll, beforeAll, describe } from 'vitest';
import { init, type Context } from '../src/index.js';

export type BackendName = 'cpu' | 'webgpu';

export function testedBackends(): BackendName[] {
  const env = (process.env.NDGPU_TEST_BACKENDS ?? 'cpu,webgpu').split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of env) if (name !== 'cpu' && name !== 'webgpu') throw new Error(`NDGPU_TEST_BACKENDS: unknown backend '${name}'`);
  return env as BackendName[];
}

/** Declares `describe(backend)` blocks; `get()` returns that backend's context inside tests. */
export function forEachBackend(body: (backend: BackendName, get: () => Context) => void): void {
  for (const backend of testedBackends()) {
    describe(backend, () => {
      let np: Context | undefined;
      beforeAll(async () => {
        np = await init({ backend }); // throws (fails the suite) when WebGPU has no adapter
      });
      afterAll(() => np?.dispose());
      body(backend, () => {
        if (!np) throw new Error(`the ${backend} context was not created`);
        return np;
      });
    });
  }
}
