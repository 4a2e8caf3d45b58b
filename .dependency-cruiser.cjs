/**
 * The layers of src/ (see docs/design.md), checked by `npm run lint` (part of `npm test`): imports point
 * one way, pure ← operations as data ← executors and shaders ← semantics ← entry points, and no module
 * takes part in a cycle. test/layers.test.ts shows a wrong import failing these rules.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle hides which module is the lower one; break it by moving the shared piece down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'src/ndarray/core is the pure view algebra and NumPy rules: it imports nothing outside itself.',
      from: { path: '^src/ndarray/core/' },
      to: { pathNot: '^src/ndarray/core/' },
    },
    {
      name: 'ops-are-data',
      severity: 'error',
      comment: 'src/ndarray/ops describes operations (dtype rules, kernel forms) on top of core only.',
      from: { path: '^src/ndarray/ops/' },
      to: { pathNot: '^src/ndarray/(core|ops)/' },
    },
    {
      name: 'shaders-know-kernels',
      severity: 'error',
      comment: 'WGSL sources are built from core concepts (dtypes, compute classes, plans), never from operations or arrays.',
      from: { path: '^src/shaders/' },
      to: { pathNot: '^src/(shaders/|ndarray/core/)' },
    },
    {
      name: 'executors-know-devices-not-numpy',
      severity: 'error',
      comment: 'Backends execute plans: they import core, shaders and each other, never the semantic layer or the operation tables.',
      from: { path: '^src/device/' },
      to: { pathNot: '^src/(device/|shaders/|ndarray/core/)' },
    },
    {
      name: 'backends-stay-apart',
      severity: 'error',
      comment: 'The CPU and WebGPU backends share only device/backend.ts and device/pool.ts.',
      from: { path: '^src/device/cpu/' },
      to: { path: '^src/device/webgpu/' },
    },
    {
      name: 'backends-stay-apart-too',
      severity: 'error',
      from: { path: '^src/device/webgpu/' },
      to: { path: '^src/device/cpu/' },
    },
    {
      name: 'semantics-use-the-backend-interface',
      severity: 'error',
      comment: 'NDArray, Context and the routines talk to a backend through device/backend.ts only; only src/init.ts picks one.',
      from: { path: '^src/ndarray/array/' },
      to: { path: '^src/(device/(cpu|webgpu)/|shaders/|init\\.ts|index\\.ts)' },
    },
    {
      name: 'entry-points-on-top',
      severity: 'error',
      comment: 'src/index.ts and src/init.ts are the top: nothing in the library imports them.',
      from: { path: '^src/', pathNot: '^src/index\\.ts$' },
      to: { path: '^src/(index|init)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
