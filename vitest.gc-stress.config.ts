import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The Node suite with the garbage collector running every few milliseconds (test/gc-stress/setup.ts):
 * `npm run test:gc-stress`. It finds tests whose memory counts depend on when the collector frees arrays
 * that earlier tests dropped. The browser tests are left out (their pages' collectors are the browsers').
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, 'test/e2e/**'],
      setupFiles: ['test/gc-stress/setup.ts'],
      // Collections every few milliseconds make the WebGPU tests several times slower.
      testTimeout: 300_000,
    },
  }),
);
