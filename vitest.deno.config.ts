import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The same suite under Deno (scripts/test-deno.sh runs `deno run -A node_modules/vitest/vitest.mjs run
 * --config vitest.deno.config.ts`): vitest's forked workers are Deno processes too, and the 'webgpu'
 * backend is Deno's `navigator.gpu` (wgpu). Dawn must never stand in for it: the npm `webgpu` package
 * resolves to a module that throws, and a setup file fails every test file whose worker is not Deno.
 */
export default mergeConfig(
  base,
  defineConfig({
    resolve: { alias: { webgpu: new URL('./test/deno/no-dawn.ts', import.meta.url).pathname } },
    test: {
      // Excluded under Deno, on purpose: the browser tests drive headless Chromium through Playwright, so
      // the WebGPU they test is Chromium's (Dawn) whichever runtime launches them — the Node run covers
      // them, and running them here would test the same browser again, not wgpu.
      // test/layers.test.ts checks the repository's import rules and test/readme.test.ts runs the README's
      // examples in Node child processes, whatever runs the suite.
      exclude: [...configDefaults.exclude, 'test/e2e/**', 'test/layers.test.ts', 'test/readme.test.ts'],
      setupFiles: ['test/deno/setup.ts'],
      env: { NDGPU_TEST_RUNTIME: 'deno' },
    },
  }),
);
