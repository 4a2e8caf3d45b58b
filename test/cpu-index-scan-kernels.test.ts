/**
 * The CPU backend's WebAssembly kernels for advanced indexing and scans against its JavaScript loops
 * (`init({ cpuKernels: 'js' })`), bit for bit: random gathers, scatters with repeated indices (the last
 * wins), key passes of every index dtype, mask selections, and cumulative sums and products over every
 * dtype, on contiguous and strided views. The same program runs on both contexts and every result's
 * bytes are compared.
 */

import { describe, expect, it } from 'vitest';
import { slice, type Context, type NDArray } from '../src/index.js';
import { cpuKernelPair } from './backends.js';
import { mulberry32 } from './random.js';

const cpu = cpuKernelPair();

type Program = (np: Context) => (NDArray | Promise<NDArray>)[];

/** The bytes of every result of `program` on a context. */
async function run(np: Context, program: Program): Promise<Uint8Array[]> {
  const results = await Promise.all(program(np));
  const bytes = await Promise.all(results.map(async (r) => new Uint8Array(((await r.data()) as Uint8Array).slice().buffer)));
  for (const r of results) r.dispose();
  return bytes;
}

/** Runs `program` on both contexts and expects the same bytes, result by result. */
async function expectSameBits(program: Program): Promise<void> {
  const [a, b] = await Promise.all([run(cpu.wasm, program), run(cpu.js, program)]);
  expect(a.length).toBe(b.length);
  // The first differing byte of each result (a short failure message, even for long results).
  const firstDifference = (x: Uint8Array, y: Uint8Array) => {
    if (x.length !== y.length) return `lengths ${x.length} and ${y.length}`;
    const at = x.findIndex((value, k) => value !== y[k]);
    return at < 0 ? null : `byte ${at}: ${x[at]} (WebAssembly) and ${y[at]} (JavaScript)`;
  };
  const differences = a.map((x, i) => [i, firstDifference(x, b[i])]).filter(([, d]) => d !== null);
  expect(differences).toEqual([]);
}

const DTYPES = ['float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'bool'] as const;

/** `count` random values of a dtype's range (floats of both signs, with ±0 and halves). */
function randomValues(dtype: (typeof DTYPES)[number], count: number, random: () => number): number[] {
  return Array.from({ length: count }, () => {
    if (dtype === 'bool') return random() < 0.5 ? 0 : 1;
    if (dtype.startsWith('float')) return Math.round((random() * 2 - 1) * 64) / 32;
    const bits = dtype === 'int64' ? 31 : Number(dtype.replace(/\D/g, ''));
    const span = 2 ** bits;
    const low = dtype.startsWith('u') ? 0 : -span / 2;
    return low + Math.floor(random() * span);
  });
}

/** A (rows, cols) array of `dtype` from a seed, and three views of it: itself, strided, transposed. */
function arrays(np: Context, dtype: (typeof DTYPES)[number], seed: number, rows: number, cols: number): NDArray[] {
  const random = mulberry32(seed);
  const a = np.array(randomValues(dtype, rows * cols, random), { dtype, shape: [rows, cols] });
  return [a, a.get([slice(null, null, 2), slice(null, null, -3)]), a.T];
}

const INDEX_DTYPES = ['int32', 'uint32', 'int16', 'uint16', 'uint8', 'int8', 'int64', 'uint64'] as const;

function randomIndices(np: Context, dtype: (typeof INDEX_DTYPES)[number], count: number, length: number, seed: number): NDArray {
  const random = mulberry32(seed);
  const signed = !dtype.startsWith('u');
  const values = Array.from({ length: count }, () => {
    const i = Math.floor(random() * length);
    return signed && random() < 0.3 ? i - length : i; // negative indices count from the end
  });
  return np.array(values, { dtype });
}

describe('CPU WebAssembly kernels against the JavaScript loops, bit for bit', () => {
  it('the two contexts run the two paths', () => {
    expect(cpu.wasm.device).toContain('WebAssembly');
    expect(cpu.js.device).toContain('JavaScript');
  });

  it('gathers of every dtype by every index dtype, along each axis, from strided and transposed views', async () => {
    await expectSameBits((np) =>
      DTYPES.flatMap((dtype, d) =>
        arrays(np, dtype, 100 + d, 9, 37).flatMap((view, v) => {
          const [rows, cols] = view.shape;
          return INDEX_DTYPES.flatMap((indexDtype, k) => {
            const seed = 1000 * d + 100 * v + k;
            const size = indexDtype.endsWith('8') ? Math.min(rows, 100) : rows;
            const i0 = randomIndices(np, indexDtype, 23, size, seed);
            const i1 = randomIndices(np, indexDtype, 11, Math.min(cols, indexDtype.endsWith('8') ? 100 : cols), seed + 7);
            return [view.get([i0]), view.get([slice(), i1]), view.take(i1, 1), view.take(i0.get([slice(0, 5)]), null)];
          });
        }),
      ),
    );
  });

  it('gathers by two index arrays (keys over two axes) and through 2-D index arrays', async () => {
    await expectSameBits((np) =>
      (['float32', 'int16', 'float64', 'uint8'] as const).flatMap((dtype, d) =>
        arrays(np, dtype, 200 + d, 12, 30).flatMap((view, v) => {
          const [rows, cols] = view.shape;
          const i0 = randomIndices(np, 'int32', 40, rows, 10 * d + v);
          const i1 = randomIndices(np, 'int32', 40, cols, 10 * d + v + 5);
          return [view.get([i0, i1]), view.get([i0.reshape(5, 8)]), view.get([slice(null, null, -1), i1.reshape(8, 5)])];
        }),
      ),
    );
  });

  it('scatters with repeated indices (the last occurrence wins) into contiguous and strided targets', async () => {
    await expectSameBits((np) =>
      DTYPES.flatMap((dtype, d) => {
        const random = mulberry32(300 + d);
        return (['int32', 'uint16', 'int8', 'int64'] as const).flatMap((indexDtype, k) => {
          const target = np.array(randomValues(dtype, 24 * 31, random), { dtype, shape: [24, 31] });
          const views = [target, target.get([slice(1, null, 2), slice(null, null, -2)]), target.T];
          for (const [v, view] of views.entries()) {
            const [rows, cols] = view.shape;
            // Few distinct indices, many values: every index repeats with different values.
            const i0 = randomIndices(np, indexDtype, 60, Math.min(rows, 6), 40 * d + 10 * k + v);
            const values = np.array(randomValues(dtype, 60 * cols, random), { dtype, shape: [60, cols] });
            view.set([i0], values);
            const i1 = randomIndices(np, indexDtype, 50, Math.min(cols, 5), 40 * d + 10 * k + v + 3);
            view.set([slice(), i1], np.array(randomValues(dtype, 50, random), { dtype }));
            values.dispose();
          }
          const flat = np.array(randomValues(dtype, 100, random), { dtype });
          flat.put(randomIndices(np, indexDtype, 30, 7, 9 * d + k), np.array(randomValues(dtype, 30, random), { dtype }));
          return [target, flat];
        });
      }),
    );
  });

  it('mask selections and compress of every dtype, random and all-true masks, strided views', async () => {
    await expectSameBits((np) =>
      DTYPES.flatMap((dtype, d) =>
        arrays(np, dtype, 400 + d, 19, 41).flatMap((view, v) => {
          const random = mulberry32(40 * d + v);
          const mask = np.array(
            Array.from({ length: view.size }, () => random() < 0.4),
            { shape: view.shape },
          );
          const allTrue = np.array(
            Array.from({ length: view.size }, () => true),
            { shape: view.shape },
          );
          const rowMask = np.array(Array.from({ length: view.shape[0] }, () => random() < 0.5));
          return [view.get(mask) as Promise<NDArray>, view.get(allTrue) as Promise<NDArray>, view.compress(rowMask, 0) as Promise<NDArray>];
        }),
      ),
    );
  });

  it('cumsum and cumprod of every dtype, rows shorter and longer than a chunk, along each axis of strided views', async () => {
    await expectSameBits((np) =>
      DTYPES.flatMap((dtype, d) =>
        [1, 5, 128, 129, 700, 1030].flatMap((length, l) => {
          const random = mulberry32(500 + 10 * d + l);
          const a = np.array(randomValues(dtype, 3 * length, random), { dtype, shape: [3, length] });
          const strided = a.get([slice(null, null, -1), slice(null, null, -2)]);
          const results = [a.cumsum(1), a.cumprod(1), a.cumsum(0), strided.cumsum(1), strided.T.cumsum(0), a.cumsum()];
          if (dtype !== 'bool') results.push(a.cumprod(null));
          return results;
        }),
      ),
    );
  });

  it('scans into other accumulator dtypes, and float32 rows of more than SCAN_CHUNK² elements (two carry levels)', async () => {
    await expectSameBits((np) => {
      const random = mulberry32(600);
      const ints = np.array(randomValues('int32', 2000, random), { dtype: 'int32' });
      const bytes = np.array(randomValues('uint8', 2000, random), { dtype: 'uint8' });
      const floats = np.array(
        Array.from({ length: 20000 }, () => random() * 2 - 1),
        { dtype: 'float32' },
      );
      const near1 = np.array(
        Array.from({ length: 20000 }, () => 0.999 + random() * 0.002),
        { dtype: 'float32' },
      );
      return [
        ints.cumsum(null, { dtype: 'int8' }),
        ints.cumprod(null, { dtype: 'uint16' }),
        bytes.cumsum(null, { dtype: 'int32' }),
        bytes.cumsum(null, { dtype: 'float32' }),
        ints.cumsum(null, { dtype: 'float64' }),
        floats.cumsum(),
        near1.cumprod(),
        floats.get([slice(null, null, -3)]).cumsum(),
        floats.cumsum(null, { dtype: 'float64' }),
      ];
    });
  });

  /** What `[1, 2, 3, 4, 5][idx]` gives on each context (WebAssembly, JavaScript): 'no error' or the error. */
  const gatherMessages = (values: number[] | bigint[], dtype: (typeof INDEX_DTYPES)[number]) =>
    Promise.all(
      [cpu.wasm, cpu.js].map(async (np) => {
        const a = np.array([1, 2, 3, 4, 5], { dtype: 'float32' });
        const idx = np.array(values, { dtype });
        try {
          const r = a.get([idx]) as NDArray;
          await r.data();
          r.dispose();
          return 'no error';
        } catch (error) {
          return String(error);
        } finally {
          a.dispose();
          idx.dispose();
          await np.sync().catch(() => undefined);
        }
      }),
    );

  it('out-of-range indices of every index dtype raise the same error (the first one in C order)', async () => {
    for (const indexDtype of INDEX_DTYPES) {
      const messages = await gatherMessages(indexDtype.startsWith('u') ? [1, 2, 120, 100, 7] : [1, -2, 120, -100, 7], indexDtype);
      expect(messages[0]).toBe(messages[1]);
      expect(messages[0]).toMatch(/IndexError/);
    }
  });

  it('64-bit indices are checked on all their bits, not on the low word a key keeps', async () => {
    const cases: [string, 'int64' | 'uint64', bigint[]][] = [
      ['4294967297', 'int64', [1n, 2n ** 32n + 1n]],
      ['-4294967294', 'int64', [0n, -(2n ** 32n) + 2n]],
      ['-9223372036854775808', 'int64', [-(2n ** 63n), 3n]],
      ['18446744073709551615', 'uint64', [2n, 2n ** 64n - 1n]],
      ['4294967296', 'uint64', [2n ** 32n]],
    ];
    for (const [offending, dtype, values] of cases) {
      const messages = await gatherMessages(values, dtype);
      expect(messages[0]).toBe(messages[1]);
      expect(messages[0]).toBe(`IndexError: index ${offending} is out of bounds for axis 0 with size 5`);
    }
  });
});
