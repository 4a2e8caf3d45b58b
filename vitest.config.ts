import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Dawn (the WebGPU implementation for Node) is a native addon: one per process, not per thread.
    pool: 'forks',
    // lavapipe runs compute shaders on the CPU; the first compile of each kernel takes a moment.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
