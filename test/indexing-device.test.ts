/**
 * Advanced indexing where the indices live on the device:
 *
 * - bad indices: an out-of-range index never reads or writes outside the array, the whole operation
 *   writes nothing (the valid indices neither), and the IndexError surfaces at the context's next read
 *   or sync, with NumPy's wording; values that would wrap around or be clamped (2**33 + 1, 0xffffffff,
 *   -n - 1) are errors too;
 * - repeated indices: the last occurrence's value is written, on every backend, at a size where
 *   parallel writes would race;
 * - results equal across backends, bit for bit: the CPU backend against WebGPU for gathers, scatters,
 *   masks and long float scans (whose order ndgpu defines, see src/ndarray/core/scan-plan.ts);
 * - buffers beyond one storage binding: WebGPU contexts with `init({ maxBindingSize: 4096 })` run every
 *   kernel of advanced indexing through windows, and must agree with the CPU backend.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexError, ValueError, init, type Context, type NDArray } from '../src/index.js';
import { forEachBackend, testedBackends, testedWebGpuVariants } from './backends.js';
import { mulberry32 } from './random.js';

function randomInts(seed: number, n: number, low: number, high: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => low + Math.floor(random() * (high - low)));
}

/** Expects `promise` to fail with an IndexError of `message`. */
async function rejects(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IndexError);
  expect((error as Error).message).toBe(message);
}

forEachBackend((backend, get) => {
  describe('indices on the device', () => {
    it('an out-of-range index writes nothing, anywhere, and surfaces at the next read', async () => {
      const np = get();
      // Neighbours in memory: a stray write past the target would land in one of them.
      const before = np.arange(64, { dtype: 'float32' });
      const a = np.arange(64, { dtype: 'float32' });
      const after = np.arange(64, { dtype: 'float32' });
      const idx = np.array([3, 5, 100000, 7, 3], { dtype: 'int32' });
      expect(a.set(idx, 1)).toBe(a); // queued: the call returns at once
      await rejects(after.toArray(), 'index 100000 is out of bounds for axis 0 with size 64');
      const untouched = Array.from({ length: 64 }, (_, i) => i);
      expect(await a.toArray()).toEqual(untouched);
      expect(await before.toArray()).toEqual(untouched);
      expect(await after.toArray()).toEqual(untouched);
      // With values that vary (the repeated-index path) and at np.sync().
      a.set(idx, np.arange(5, { dtype: 'float32' }));
      await expect(np.sync()).rejects.toThrow('index 100000 is out of bounds for axis 0 with size 64');
      expect(await a.toArray()).toEqual(untouched);
      for (const x of [before, a, after, idx]) x.dispose();
    });

    it('never wraps or clamps: 2**33 + 1, 0xffffffff, -n - 1 and the first bad index in C order', async () => {
      const np = get();
      const a = np.arange(10, { dtype: 'int16' });
      const cases: [NDArray, string][] = [
        [np.array([1n, 2n ** 33n + 1n], { dtype: 'int64' }), 'index 8589934593 is out of bounds for axis 0 with size 10'],
        [np.array([0xffffffff], { dtype: 'uint32' }), 'index 4294967295 is out of bounds for axis 0 with size 10'],
        [np.array([-10, -11], { dtype: 'int8' }), 'index -11 is out of bounds for axis 0 with size 10'],
        [
          np.array(
            [
              [0, 12],
              [11, 3],
            ],
            { dtype: 'int32' },
          ).T,
          'index 11 is out of bounds for axis 0 with size 10',
        ],
      ];
      for (const [idx, message] of cases) {
        const got = a.get(idx) as NDArray;
        await rejects(got.toArray(), message);
        got.dispose();
        a.set(idx, -1);
        await rejects(np.sync(), message);
      }
      expect(await a.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // In range at the edges.
      const edges = np.array([-10, 9, -1, 0], { dtype: 'int32' });
      expect(await (a.get(edges) as NDArray).toArray()).toEqual([0, 9, 9, 0]);
      for (const [idx] of cases) idx.dispose();
      edges.dispose();
      a.dispose();
    });

    it('reports the first failed operation, and the context carries on', async () => {
      const np = get();
      const a = np.arange(6, { dtype: 'int32' });
      a.set(np.array([9]), 0);
      a.set(np.array([0, -8]), 0);
      a.set(np.array([1]), 42); // a good one, after the bad ones: written
      await rejects(np.sync(), 'index 9 is out of bounds for axis 0 with size 6');
      await np.sync(); // reported once
      expect(await a.toArray()).toEqual([0, 42, 2, 3, 4, 5]);
      a.dispose();
    });

    it('checks pile up over thousands of operations between reads, and the first failure still surfaces', async () => {
      const np = get();
      const a = np.arange(16, { dtype: 'int32' });
      const good = np.array([3]);
      const bad = np.array([16]);
      const results: NDArray[] = [];
      for (let i = 0; i < 4500; i++) results.push(a.take(i === 10 ? bad : good));
      await rejects(np.sync(), 'index 16 is out of bounds for axis 0 with size 16');
      expect(await results[4499].toArray()).toEqual([3]);
      for (const x of [a, good, bad, ...results]) x.dispose();
    });

    it('a mask whose count does not match the value writes nothing', async () => {
      const np = get();
      const a = np.arange(8, { dtype: 'float32' });
      a.set(a.greater(5), [1, 2, 3]);
      await expect(np.sync()).rejects.toThrow(ValueError);
      expect(await a.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      a.set(a.greater(5), [1, 2]);
      expect(await a.toArray()).toEqual([0, 1, 2, 3, 4, 5, 1, 2]);
      a.dispose();
    });

    it('repeated indices write the last occurrence, on every backend', async () => {
      const np = get();
      const n = 300;
      const indices = randomInts(7, 20000, -n, n);
      const last = new Map<number, number>();
      indices.forEach((v, i) => last.set(v < 0 ? v + n : v, i));
      for (const dtype of ['int32', 'uint8', 'float64'] as const) {
        const a = np.zeros([n], { dtype });
        const idx = np.array(indices, { dtype: 'int32' });
        const values = np.arange(indices.length, { dtype: 'int32' });
        a.set(idx, values); // int32 values cast to the target on the way
        const got = (await a.toArray()) as number[];
        const want = Array.from({ length: n }, (_, k) => (last.has(k) ? last.get(k)! : 0)).map((v) => (dtype === 'uint8' ? v % 256 : v));
        expect(got, dtype).toEqual(want);
        for (const x of [a, idx, values]) x.dispose();
      }
      // Rows through a 2-d target: the last row's values whole.
      const m = np.zeros([4, 3], { dtype: 'int16' });
      m.set([np.array([1, 3, 1, 1, 3])], np.arange(15, { dtype: 'int16' }).reshape(5, 3));
      expect(await m.toArray()).toEqual([
        [0, 0, 0],
        [9, 10, 11],
        [0, 0, 0],
        [12, 13, 14],
      ]);
      m.dispose();
    });

    if (backend === 'webgpu' && testedBackends().includes('cpu')) {
      it('gives the CPU backend’s results bit for bit (gathers, scatters, masks, long float scans)', async () => {
        const gpu = get();
        const cpu = await init({ backend: 'cpu' });
        try {
          const program = (np: Context) => {
            const random = mulberry32(11);
            const src = Float32Array.from({ length: 6000 }, () => (random() - 0.5) * 1e3);
            const a = np.array(src);
            const idx = np.array(randomInts(3, 4000, -6000, 6000), { dtype: 'int32' });
            const gathered = a.get(idx) as NDArray;
            const target = np.zeros([6000]);
            target.set(idx, a.get(':4000'));
            const rows = a.reshape(60, 100);
            const cols = rows.get(':, [99, 0, 50]');
            return [gathered, target, cols, a.cumsum(), rows.cumsum(0), rows.T.cumprod(1), a.astype('float16').cumsum()];
          };
          const results = await Promise.all([program(gpu), program(cpu)].map((list) => Promise.all(list.map((x) => x.data()))));
          results[0].forEach((g, k) =>
            expect(Array.from(g as Float32Array), `result ${k}`).toEqual(Array.from(results[1][k] as Float32Array)),
          );
          const masked = async (np: Context) => {
            const a = np.array(Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i)));
            const selected = await a.get(a.greater(0.3));
            a.set(a.less(-0.5), np.arange(sizeOfLess(), { dtype: 'float32' }));
            return [await selected.data(), await a.data()];
          };
          const sizeOfLess = () => Array.from({ length: 5000 }, (_, i) => Math.fround(Math.sin(i))).filter((v) => v < -0.5).length;
          const [g, c] = await Promise.all([masked(gpu), masked(cpu)]);
          expect(Array.from(g[0] as Float32Array)).toEqual(Array.from(c[0] as Float32Array));
          expect(Array.from(g[1] as Float32Array)).toEqual(Array.from(c[1] as Float32Array));
        } finally {
          cpu.dispose();
        }
      });
    }
  });
});

// ------------------------------------------------------------------------------------------------
// Binding windows

const WINDOW = 4096;

if (testedWebGpuVariants().length === 0) {
  describe.skip('advanced indexing through binding windows (no WebGPU backend selected)', () => {
    it('needs a WebGPU backend', () => {});
  });
}

for (const [name, options] of testedWebGpuVariants()) {
  describe(`${name}, advanced indexing through bindings of ${WINDOW} bytes`, () => {
    let gpu: Context;
    let cpu: Context;
    beforeAll(async () => {
      gpu = await init({ ...options, maxBindingSize: WINDOW });
      cpu = await init({ backend: 'cpu' });
    });
    afterAll(() => {
      gpu?.dispose();
      cpu?.dispose();
    });

    it('gathers, scatters, masks, scans and checks like the CPU backend', async () => {
      const program = async (np: Context) => {
        const out: NDArray[] = [];
        const f = np.arange(3000, { dtype: 'float32' }).multiply(0.5);
        const idx = np.array(randomInts(5, 2500, -3000, 3000), { dtype: 'int32' });
        out.push(f.get(idx) as NDArray);
        const m = np.arange(40 * 80, { dtype: 'float32' }).reshape(40, 80);
        out.push(m.get([np.array(randomInts(6, 30, 0, 40))]) as NDArray);
        out.push(m.get('::-1, [79, 0, 3, 3]'));
        const t = np.zeros([3000], { dtype: 'float32' });
        t.set(idx, np.arange(2500, { dtype: 'float32' }));
        out.push(t);
        const u8 = np.arange(9000, { dtype: 'uint8' });
        const wide = np.array(randomInts(8, 3000, 0, 9000).map(BigInt), { dtype: 'int64' });
        out.push(u8.get(wide) as NDArray);
        u8.set(wide, np.arange(3000, { dtype: 'uint8' }));
        out.push(u8);
        // Exact values (a GPU's sin would differ in the last bits): -50..50 with a fraction.
        const s = np.arange(3000, { dtype: 'float32' }).multiply(7).mod(101).subtract(50.25);
        out.push(await s.get(s.greater(20)));
        s.set(s.less(-40), -1);
        out.push(s);
        out.push(np.arange(3000, { dtype: 'int32' }).cumsum());
        out.push(s.cumsum());
        out.push(m.cumsum(0));
        out.push((await np.nonzero(s.greater(30)))[0]);
        return Promise.all(out.map((x) => x.toArray()));
      };
      const [g, c] = [await program(gpu), await program(cpu)];
      g.forEach((x, k) => expect(x, `result ${k}`).toEqual(c[k]));
    });

    it('checks indices through windows: an error, and nothing written', async () => {
      const a = gpu.arange(3000, { dtype: 'int32' });
      a.set(gpu.array([5, 2999, 3000, 7]), 0);
      await expect(gpu.sync()).rejects.toThrow('index 3000 is out of bounds for axis 0 with size 3000');
      const values = (await a.toArray()) as number[];
      expect(values.every((v, i) => v === i)).toBe(true);
      a.dispose();
    });
  });
}
