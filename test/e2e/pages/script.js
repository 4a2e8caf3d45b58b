// One small program of views, copies and writes, run on a context; the browser tests run it on
// init({ backend: 'webgpu' }) and init({ backend: 'cpu' }) in the same page (or worker) and compare bytes.
// Plain JavaScript: this page loads the built package with no bundler.

/** Every array's metadata, NumPy's str() and its bytes (C order). */
async function describe(name, array) {
  const data = await array.data();
  return {
    name,
    dtype: array.dtype,
    shape: [...array.shape],
    strides: [...array.strides],
    offset: array.offset,
    owndata: array.flags.owndata,
    text: await array.format(),
    bytes: Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)),
  };
}

export async function program(np) {
  const arrays = {};
  // The tutorial
  const a = np.array([
    [0, 1, 2, 3],
    [4, 5, 6, 7],
    [8, 9, 10, 11],
  ]);
  const c = a.view().reshape(2, 6);
  c.set('0, 4', 1234);
  a.get(':, 1:3').set(':', 10);
  const d = a.copy();
  d.set('0, 0', 9999);
  Object.assign(arrays, { a, c, d, x: a.get('::-1, ::2'), t: a.T.copy() });

  // Copies in other orders, narrow and wide dtypes, overlapping writes, broadcasting, casts
  arrays.f = np.arange(24, { dtype: 'float32' }).reshape(2, 3, 4).transpose(2, 0, 1).copy('F');
  const u8 = np.arange(64, { dtype: 'uint8' }).reshape(8, 8);
  u8.set('1::2, ::3', u8.get('::2, 1::3'));
  arrays.u8 = u8;
  arrays.h = np.arange(10, { dtype: 'float16' }).get('::-1').copy();
  arrays.i64 = np.arange(6, { dtype: 'int64' }).reshape(2, 3).T.copy();
  const shifted = np.arange(10, { dtype: 'int16' });
  shifted.set('1:', shifted.get(':-1'));
  arrays.shifted = shifted;
  arrays.b = np.broadcastTo(np.arange(3, { dtype: 'int16' }), [2, 3]).copy();
  arrays.cast = np
    .array([
      [1.5, -2.7],
      [300, -1],
    ])
    .astype('uint8');
  arrays.flipped = np.arange(12).reshape(3, 4).flip().ravel();

  // Joining, splitting, rearranging (views and copies on the copy plans)
  const m = np.arange(12, { dtype: 'float32' }).reshape(3, 4);
  const [left, right] = np.split(m, 2, { axis: 1 });
  Object.assign(arrays, { left, right, diagonal: m.T.diagonal(), rot: np.rot90(m) });
  arrays.joined = np.concatenate([m, m.T.get(':3')], { axis: 1 });
  arrays.padded = np.pad(
    m,
    [
      [1, 1],
      [2, 0],
    ],
    { mode: 'reflect' },
  );
  arrays.rolled = np.roll(m, 1, { axis: 1 });
  arrays.tiled = np.tile(np.arange(3, { dtype: 'int8' }), [2, 2]);

  // Numerics: exact integer means, the common ufuncs, var
  arrays.mean = np.full([64, 48, 4], 255, { dtype: 'uint8' }).mean([0, 1]);
  const x = np.linspace(-2, 2, 9);
  arrays.rounded = np.stack([np.floor(x), x.ceil(), x.round(1), np.rint(x)]);
  arrays.shifts = np.leftShift(np.arange(8, { dtype: 'int16' }), 3);
  arrays.variance = m.var(0, { ddof: 1 });

  // Advanced indexing (gather, scatter with repeated indices, masks on the device) and products of views
  arrays.gathered = m.get('[2, 0], 1:');
  const scattered = np.arange(10, { dtype: 'int32' });
  scattered.set([[0, 0, 7]], [1, 2, 3]);
  arrays.scattered = scattered;
  arrays.masked = await m.get(m.greater(5));
  arrays.cumsum = m.cumsum(1);
  arrays.product = np.matmul(m.get(':, ::2'), m.T.get('1::2'));

  const results = [];
  for (const [name, array] of Object.entries(arrays)) results.push(await describe(name, array));
  return results;
}

/** Computations whose results the CPU gives bit for bit on its WebAssembly kernels and its JavaScript
 * loops (float sums in NumPy's pairwise order, which the GPU's trees do not follow). */
export async function computeProgram(np) {
  const a = np.arange(4096, { dtype: 'float32' }).reshape(64, 64);
  const b = np.arange(4096, { dtype: 'float64' }).reshape(64, 64);
  const arrays = {
    sumall: np.divide(a, 7).sum(),
    sum0: np.divide(a, 3).sum(0),
    sum1: np.sqrt(b).sum(1),
    addT: np.add(a.T, np.multiply(a, 0.5)),
    maxT: np.maximum(b.T, b.get('::-1')),
    strided: a.get('::2, ::-3').copy(),
    reversed: b.get('::-1').copy(),
    filled: np.full([5, 7], 2.5, { dtype: 'float64' }),
  };
  const results = [];
  for (const [name, array] of Object.entries(arrays)) results.push(await describe(name, array));
  return results;
}

/** The program on WebGPU and on the CPU (on its WebAssembly kernels where the engine has them, and forced
 * to its JavaScript loops), and what `init()` picks by itself. */
export async function compareBackends(init) {
  const auto = await init();
  const gpu = await init({ backend: 'webgpu' });
  const cpu = await init({ backend: 'cpu' });
  const cpuJs = await init({ backend: 'cpu', cpuKernels: 'js' });
  try {
    return {
      auto: { backend: auto.backend, fallbackReason: auto.fallbackReason },
      webgpu: { backend: gpu.backend, device: gpu.device, results: await program(gpu) },
      cpu: { backend: cpu.backend, device: cpu.device, results: await program(cpu), compute: await computeProgram(cpu) },
      cpuJs: { device: cpuJs.device, results: await program(cpuJs), compute: await computeProgram(cpuJs) },
    };
  } finally {
    for (const np of [auto, gpu, cpu, cpuJs]) np.dispose();
  }
}
