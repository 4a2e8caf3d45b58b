/** Compute on views: issue 7's acceptance examples, your own WGSL, and interop with GPUBuffers. */

import { describe, expect, it } from 'vitest';
import { init, ValueError, type DType } from '../src/index.js';
import type { WebGpuBackend } from '../src/device/webgpu/webgpu-backend.js';
import { forEachBackend, testedBackends } from './backends.js';

type Comparison = 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';
/** The six comparisons as JavaScript makes them on numbers and bigints: exact, the reference for NumPy's
 * (which compares integers with Python numbers, and across kinds, exactly). */
const COMPARISONS: Record<Comparison, (a: number | bigint, b: number | bigint) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  less: (a, b) => a < b,
  lessEqual: (a, b) => a <= b,
  greater: (a, b) => a > b,
  greaterEqual: (a, b) => a >= b,
};

forEachBackend((backend, get) => {
  it('adds a transposed view to a reversed one into a strided view of another array', async () => {
    const np = get();
    const a = np.arange(12, { dtype: 'float32' }).reshape(3, 4);
    const b = np.arange(3, { dtype: 'float32' });
    const c = np.zeros([4, 4], { dtype: 'float32' });
    np.add(a.T, b.get('::-1'), { out: c.get(':, 1:') });
    expect(await c.toArray()).toEqual([
      [0, 2, 5, 8],
      [0, 3, 6, 9],
      [0, 4, 7, 10],
      [0, 5, 8, 11],
    ]);
    expect(await np.tidy(() => a.get(':, ::2').sum(0).toArray())).toEqual([12, 18]);
  });

  it('computes over transposed operands larger than a cache tile, with ragged edges and outer axes', async () => {
    const np = get();
    // a: an array with its last two axes swapped, b: C-ordered. The CPU walks these in 64 x 64 tiles;
    // the GPU hands out runs in blocks of 64 rows where rows are whole runs (136, 64 columns: partial
    // last blocks), and in plain order where they are not (130 columns).
    for (const [d0, d1, d2] of [
      [3, 70, 130],
      [3, 70, 136],
      [1, 100, 64],
    ]) {
      const size = d0 * d1 * d2;
      const aData = Float32Array.from({ length: size }, (_, i) => (i * 37) % 101);
      const bData = Float32Array.from({ length: size }, (_, i) => (i * 11) % 29);
      const a = np.array(aData, { shape: [d0, d2, d1] }).transpose(0, 2, 1);
      const b = np.array(bData, { shape: [d0, d1, d2] });
      const got = (await np.tidy(() => np.multiply(np.add(a, b), b.get('..., ::-1'))).data()) as Float32Array;
      let mismatches = 0;
      for (let i = 0; i < d0; i++) {
        for (let j = 0; j < d1; j++) {
          for (let k = 0; k < d2; k++) {
            const x = aData[(i * d2 + k) * d1 + j];
            const y = bData[(i * d1 + j) * d2 + k];
            const z = bData[(i * d1 + j) * d2 + (d2 - 1 - k)];
            if (got[(i * d1 + j) * d2 + k] !== Math.fround((x + y) * z)) mismatches++;
          }
        }
      }
      expect(mismatches, `(${d0}, ${d1}, ${d2})`).toBe(0);
      a.dispose();
      b.dispose();
    }
  });

  it('multiplies 32-bit integers modulo 2^32 even where the exact product exceeds 2^53', async () => {
    const np = get();
    // Expected values from NumPy: (a * b) for int32 and for the same bits as uint32.
    const a = np.array([2147483647, -2147483647, 123456789, -98765432], { dtype: 'int32' });
    const b = np.array([2147483647, 2147483646, 987654321, 12345679], { dtype: 'int32' });
    expect(await np.tidy(() => np.multiply(a, b)).toArray()).toEqual([1, 2147483646, -67153019, 2010664184]);
    expect(await np.tidy(() => np.multiply(a.astype('uint32'), b.astype('uint32'))).toArray()).toEqual([
      1, 2147483646, 4227814277, 2010664184,
    ]);
    // Strided operands take the staged path on the CPU.
    expect(await np.tidy(() => np.multiply(a.get('::2'), b.get('::-2'))).toArray()).toEqual([
      Number(BigInt.asIntN(32, 2147483647n * 12345679n)),
      Number(BigInt.asIntN(32, 123456789n * 2147483646n)),
    ]);
    a.dispose();
    b.dispose();
  });

  it('computes into an out that overlaps its inputs as if they were copied first', async () => {
    const np = get();
    const x = np.arange(6);
    np.add(x.get(':-1'), x.get('1:'), { out: x.get('1:') });
    expect(await x.toArray()).toEqual([0, 1, 3, 5, 7, 9]);
    const m = np.arange(9).reshape(3, 3);
    np.subtract(m, m.T, { out: m });
    expect(await m.toArray()).toEqual([
      [0, -2, -4],
      [2, 0, -2],
      [4, 2, 0],
    ]);
  });

  it('compares integer arrays with integers their dtype cannot hold, as NumPy 2 does', async () => {
    const np = get();
    const arrays: [DType, number[]][] = [
      ['int8', [-128, -1, 0, 5, 127]],
      ['uint8', [0, 1, 255]],
      ['int16', [-32768, 7, 32767]],
      ['uint32', [0, 4294967295]],
      ['int32', [-2147483648, 0, 2147483647]],
    ];
    const scalars: (number | bigint)[] = [1000, -1000, 256, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 10n ** 30n];
    const failures: string[] = [];
    for (const [dtype, values] of arrays) {
      const a = np.array(values, { dtype });
      for (const s of scalars) {
        for (const [name, op] of Object.entries(COMPARISONS)) {
          for (const scalarFirst of [false, true]) {
            const got = await np.tidy(() => (scalarFirst ? np[name as Comparison](s, a) : np[name as Comparison](a, s))).toArray();
            const want = values.map((v) => (scalarFirst ? op(BigInt(s), BigInt(v)) : op(BigInt(v), BigInt(s))));
            if (JSON.stringify(got) !== JSON.stringify(want))
              failures.push(`${scalarFirst ? `${s} ${name} ${dtype}` : `${dtype} ${name} ${s}`}: ${JSON.stringify(got)}`);
          }
        }
      }
      a.dispose();
    }
    expect(failures.slice(0, 5)).toEqual([]);
    // Arithmetic still refuses them, as NumPy's does.
    expect(() => np.tidy(() => np.add(np.zeros([2], { dtype: 'int8' }), 1000))).toThrow('Python integer 1000 out of bounds for int8');
  });

  it('compares integer arrays with floats exactly, as NumPy does in float64', async () => {
    const np = get();
    const arrays: [DType, number[]][] = [
      ['int32', [16777217, -16777217, 2147483647, -2147483648, 0, 3, -3]],
      ['uint32', [4294967295, 16777217, 0, 3]],
      ['int8', [-128, -3, 0, 2, 3, 127]],
      ['uint16', [0, 2, 3, 65535]],
    ];
    const floats = [16777216.5, -16777216.5, 2.5, -2.5, 0.5, -0.5, NaN, Infinity, -Infinity, 4294967294.5, 1e300];
    const failures: string[] = [];
    for (const [dtype, values] of arrays) {
      const a = np.array(values, { dtype });
      for (const f of floats) {
        for (const [name, op] of Object.entries(COMPARISONS)) {
          for (const scalarFirst of [false, true]) {
            const fn = np[name as Comparison].bind(np);
            const got = await np.tidy(() => (scalarFirst ? fn(f, a) : fn(a, f))).toArray();
            const want = values.map((v) => (scalarFirst ? op(f, v) : op(v, f))); // JS compares these exactly
            if (JSON.stringify(got) !== JSON.stringify(want))
              failures.push(`${scalarFirst ? `${f} ${name} ${dtype}` : `${dtype} ${name} ${f}`}: ${JSON.stringify(got)}`);
          }
        }
      }
      a.dispose();
    }
    expect(failures.slice(0, 6)).toEqual([]);
  });

  it('compares 32-bit integer arrays with float arrays exactly, as NumPy does in float64', async () => {
    const np = get();
    const ints: [DType, number[]][] = [
      ['int32', [16777217, -16777217, 16777216, 2147483647, -2147483648, 0, 3, -3]],
      ['uint32', [16777217, 4294967295, 0, 3, 2147483648]],
    ];
    // Exactly representable in their dtypes, so the reference compares the very values the arrays hold.
    const floats: [DType, number[]][] = [
      ['float32', [16777216, 16777218, 2147483648, -2147483648, 4294967296, 2.5, -0.5, 1e-45, -1e-45, -0, NaN, Infinity, -Infinity]],
      ['float16', [2.5, -0.5, 65504, 0, NaN, -Infinity]],
    ];
    const failures: string[] = [];
    for (const [intType, intValues] of ints) {
      const column = np.array(intValues, { dtype: intType }).reshape(intValues.length, 1);
      for (const [floatType, floatValues] of floats) {
        const row = np.array(floatValues, { dtype: floatType }).reshape(1, floatValues.length);
        const held = floatType === 'float32' ? floatValues.map(Math.fround) : floatValues;
        for (const [name, op] of Object.entries(COMPARISONS)) {
          for (const intFirst of [true, false]) {
            const fn = np[name as Comparison].bind(np);
            const got = (await np.tidy(() => (intFirst ? fn(column, row) : fn(row, column))).toArray()) as boolean[][];
            intValues.forEach((x, i) =>
              held.forEach((y, j) => {
                const want = intFirst ? op(x, y) : op(y, x);
                const value = got[i][j]; // (n, 1) against (1, m) broadcasts to (n, m) in either order
                if (value !== want)
                  failures.push(
                    `${intFirst ? `${intType} ${x} ${name} ${floatType} ${y}` : `${floatType} ${y} ${name} ${intType} ${x}`}: ${value}`,
                  );
              }),
            );
          }
        }
        row.dispose();
      }
      column.dispose();
    }
    expect(failures.slice(0, 8)).toEqual([]);
  });

  it('compares signed integer arrays with uint32 arrays exactly, as NumPy does in int64', async () => {
    const np = get();
    const signed: [DType, number[]][] = [
      ['int32', [-1, -2147483648, 0, 2147483647, 5, -7]],
      ['int8', [-1, -128, 0, 127, 5, -7]],
      ['int16', [-1, -32768, 0, 32767, 5, -7]],
    ];
    const unsigned = [4294967295, 2147483648, 0, 2147483647, 5, 3000000000];
    const u = np.array(unsigned, { dtype: 'uint32' });
    const failures: string[] = [];
    for (const [dtype, values] of signed) {
      const s = np.array(values, { dtype });
      for (const [name, op] of Object.entries(COMPARISONS)) {
        for (const signedFirst of [true, false]) {
          const f = np[name as Comparison].bind(np);
          const got = await np.tidy(() => (signedFirst ? f(s, u) : f(u, s))).toArray();
          const want = values.map((v, i) => (signedFirst ? op(BigInt(v), BigInt(unsigned[i])) : op(BigInt(unsigned[i]), BigInt(v))));
          if (JSON.stringify(got) !== JSON.stringify(want))
            failures.push(`${signedFirst ? `${dtype} ${name} uint32` : `uint32 ${name} ${dtype}`}: ${JSON.stringify(got)}`);
        }
      }
      s.dispose();
    }
    u.dispose();
    expect(failures.slice(0, 6)).toEqual([]);
  });

  it('reports NumPy errors before computing anything', () => {
    const np = get();
    const out = np.zeros([2, 3], { dtype: 'int32' });
    expect(() => np.add(np.zeros([2, 3]), np.zeros([4]))).toThrow(
      new ValueError('operands could not be broadcast together with shapes (2,3) (4,) '),
    );
    expect(() => np.add(np.zeros([2, 3]), 1, { out })).toThrow(
      "Cannot cast ufunc 'add' output from dtype('float32') to dtype('int32') with casting rule 'same_kind'",
    );
    expect(() => np.add(out, 1, { out: np.broadcastTo(out, [2, 2, 3]) })).toThrow('output array is read-only');
    expect(() => np.zeros([0]).max()).toThrow('zero-size array to reduction operation maximum which has no identity');
    const negative = new ValueError('Integers to negative integer powers are not allowed.');
    expect(() => np.power(out, -1, { out })).toThrow(negative);
    expect(() => np.power(2, -3)).toThrow(negative);
    expect(np.power(np.ones([2], { dtype: 'float32' }), -1).dtype).toBe('float32'); // floats may
  });
});

describe.runIf(testedBackends().includes('webgpu'))('webgpu: your own kernels and buffers', () => {
  it('runs a custom WGSL expression over transposed views without copying them', async () => {
    const np = await init({ backend: 'webgpu' });
    const x = np.arange(6, { dtype: 'float32' }).reshape(2, 3);
    const y = np.arange(3, { dtype: 'int32' });
    const before = np.memory().buffers;
    const r = np.elementwise('a * 2.0 + f32(b)', { a: x.T, b: y.get('::-1').reshape(3, 1) });
    expect(np.memory().buffers).toBe(before + 1); // only the result: no staged copies of the views
    expect(r.dtype).toBe('float32');
    expect(await r.toArray()).toEqual([
      [2, 8],
      [3, 9],
      [4, 10],
    ]);
    const out = np.zeros([3, 4], { dtype: 'float32' });
    np.elementwise('x0 * x0', [x.T], { out: out.get(':, ::2') });
    expect(await out.toArray()).toEqual([
      [0, 0, 9, 0],
      [1, 0, 16, 0],
      [4, 0, 25, 0],
    ]);
    np.dispose();
  });

  it("wraps the application's buffer and hands out its own", async () => {
    const np = await init({ backend: 'webgpu' });
    const device = (np.backendImpl as WebGpuBackend).device;
    const buffer = device.createBuffer({ size: 64, usage: 0x80 | 0x4 | 0x8 });
    device.queue.writeBuffer(buffer, 0, new Float32Array(Array.from({ length: 16 }, (_, i) => i)));
    const w = np.fromGPUBuffer(buffer, { shape: [4, 4], dtype: 'float32' });
    expect(w.gpuBuffer).toBe(buffer);
    expect(await w.T.get('::2').toArray()).toEqual([
      [0, 4, 8, 12],
      [2, 6, 10, 14],
    ]);
    w.get(':, 0').fill(-1);
    np.flush();
    const staging = device.createBuffer({ size: 64, usage: 0x1 | 0x8 });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, 64);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(0x1);
    expect(Array.from(new Float32Array(staging.getMappedRange().slice(0)))).toEqual([
      -1, 1, 2, 3, -1, 5, 6, 7, -1, 9, 10, 11, -1, 13, 14, 15,
    ]);
    w.dispose();
    np.dispose();
    expect(buffer.size).toBe(64); // ndgpu never destroys the application's buffer
    expect(() => np.fromGPUBuffer(buffer, { shape: [4], dtype: 'float32' })).toThrow(/disposed/);
  });

  it('refuses views reaching past the buffer or 64-bit arithmetic on the GPU', async () => {
    const np = await init({ backend: 'webgpu' });
    const device = (np.backendImpl as WebGpuBackend).device;
    const buffer = device.createBuffer({ size: 16, usage: 0x80 | 0x4 | 0x8 });
    expect(() => np.fromGPUBuffer(buffer, { shape: [5], dtype: 'float32' })).toThrow(ValueError);
    expect(() => np.add(np.zeros([2], { dtype: 'float64' }), 1)).toThrow(/WebGPU cannot/);
    np.dispose();
  });
});

describe('cpu: your own kernels need a JavaScript form', () => {
  it('runs the cpu function, or says what is missing', async () => {
    const np = await init({ backend: 'cpu' });
    const x = np.arange(3, { dtype: 'float32' });
    expect(() => np.elementwise('a + 1.0', { a: x })).toThrow(/needs the WebGPU backend/);
    expect(await np.elementwise('a + 1.0', { a: x }, { cpu: (a) => Number(a) + 1 }).toArray()).toEqual([1, 2, 3]);
    expect(await np.add(np.ones([2], { dtype: 'float64' }), 0.5).toArray()).toEqual([1.5, 1.5]);
    np.dispose();
  });
});
