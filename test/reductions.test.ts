/**
 * Reductions on both backends against NumPy (test/fixtures/reductions.json from
 * scripts/gen-reduce-fixtures.py): every operation over bool, 8-32-bit integers and floats, 1-D to 4-D
 * arrays and their reversed, strided and transposed views, along every axis, several axes and all,
 * with keepdims. Integers, bools and positions must match exactly; float sums within a relative
 * tolerance (the GPU's tree and NumPy's pairwise order differ).
 */

import { expect, it } from 'vitest';
import fixtures from './fixtures/reductions.json';
import pairwiseFixtures from './fixtures/pairwise.json';
import type { Context, DType, NDArray } from '../src/index.js';
import { forEachBackend } from './backends.js';
import { decodeScalar } from './fixture-values.js';

interface ReductionCase {
  op: 'sum' | 'prod' | 'mean' | 'min' | 'max' | 'argmin' | 'argmax' | 'any' | 'all';
  dtype: DType;
  shape: number[];
  data: (number | boolean | string)[];
  view: string;
  axis: number | number[] | null;
  keepdims: boolean;
  resultDtype: DType;
  resultShape: number[];
  expected: (number | boolean | string)[];
}

const cases = (fixtures as { cases: ReductionCase[] }).cases;
function viewOf(a: NDArray, view: string): NDArray {
  if (view === 'T') return a.T;
  if (view === '') return a.view();
  return a.get(view);
}

function close(got: number, want: number, dtype: DType, op: string): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (got === want) return true;
  if (!dtype.startsWith('float') && op !== 'mean') return false;
  const tolerance = dtype === 'float16' ? 2e-2 : 2e-5;
  return Math.abs(got - want) <= tolerance * Math.max(1, Math.abs(want));
}

forEachBackend((backend, get) => {
  it(`reduces like NumPy (${cases.length} cases)`, async () => {
    const np: Context = get();
    const failures: string[] = [];
    // Issue every reduction first and read them together: reads in flight overlap on the device.
    const results = cases.map((c) =>
      np.tidy(() => {
        const data = c.data.map((v) => decodeScalar(v)) as number[];
        const a = np.array(c.dtype === 'bool' ? (data as unknown as boolean[]) : data, { dtype: c.dtype }).reshape(c.shape);
        return viewOf(a, c.view)[c.op](c.axis as number, { keepdims: c.keepdims });
      }),
    );
    const contents = await Promise.all(results.map((r) => r.toArray()));
    cases.forEach((c, k) => {
      const result = results[k];
      const label = `${c.op}(${c.dtype} ${JSON.stringify(c.shape)}${c.view ? `[${c.view}]` : ''}, axis=${JSON.stringify(c.axis)}, keepdims=${c.keepdims})`;
      if (result.dtype !== c.resultDtype) failures.push(`${label}: dtype ${result.dtype}, want ${c.resultDtype}`);
      if (JSON.stringify(result.shape) !== JSON.stringify(c.resultShape))
        failures.push(`${label}: shape ${JSON.stringify(result.shape)}, want ${JSON.stringify(c.resultShape)}`);
      const values = [contents[k]].flat(Infinity as 1).map((v) => Number(v));
      c.expected.forEach((w, i) => {
        const want = Number(decodeScalar(w));
        if (!close(values[i], want, c.resultDtype, c.op)) failures.push(`${label}[${i}]: ${values[i]}, want ${want}`);
      });
      result.dispose();
    });
    expect(failures.slice(0, 8), `${failures.length} mismatches on ${backend}`).toEqual([]);
  });

  it('reduces long columns (many neighbouring outputs, far-apart elements), values and positions', async () => {
    const np: Context = get();
    // (4, 700, 80): reducing axis 1 leaves 320 outputs, each over 700 elements 80 apart. Integer values,
    // so every order of summation gives the same float32 sums; distinct maxima so positions are unique.
    const [d0, d1, d2] = [4, 700, 80];
    const value = (i: number, j: number, k: number) => ((i * 31 + j * 17 + k * 7) % 101) - 50 + (j === (i * 13 + k * 29) % d1 ? 1000 : 0);
    const data = new Float32Array(d0 * d1 * d2);
    for (let i = 0; i < d0; i++) for (let j = 0; j < d1; j++) for (let k = 0; k < d2; k++) data[(i * d1 + j) * d2 + k] = value(i, j, k);
    const a = np.array(data, { shape: [d0, d1, d2] });
    const results = np.tidy(() => [a.sum(1), a.max(1), a.argmax(1), a.argmin(1), a.astype('int32').sum(1)]);
    const [sum, max, argmax, argmin, isum] = (await Promise.all(results.map((r) => r.data()))) as [
      Float32Array,
      Float32Array,
      Int32Array,
      Int32Array,
      Int32Array,
    ];
    let mismatches = 0;
    for (let i = 0; i < d0; i++) {
      for (let k = 0; k < d2; k++) {
        let s = 0;
        let best = 0;
        let worst = 0;
        for (let j = 0; j < d1; j++) {
          const v = value(i, j, k);
          s += v;
          if (v > value(i, best, k)) best = j;
          if (v < value(i, worst, k)) worst = j;
        }
        const o = i * d2 + k;
        if (sum[o] !== s || isum[o] !== s || max[o] !== value(i, best, k) || argmax[o] !== best || argmin[o] !== worst) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    for (const r of [...results, a]) r.dispose();
  });

  it('reduces long runs through several passes (partials of partials), values and positions', async () => {
    const np: Context = get();
    for (const n of [300_001, 5_000_000]) {
      // Small integers (exact sums in any order), one unique maximum and minimum.
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = (i * 7919) % 13;
      const peak = Math.floor(n * 0.77);
      const pit = Math.floor(n * 0.31);
      data[peak] = 100;
      data[pit] = -100;
      let total = 0;
      for (let i = 0; i < n; i++) total += data[i];
      const a = np.array(data);
      const f = np.tidy(() => a.astype('float32'));
      const [sum, fsum, argmax, argmin, max] = await Promise.all(
        np
          .tidy(() => [a.sum(), f.sum(), f.argmax(), a.argmin(), f.get('::-1').max()])
          .map(async (r) => {
            const value = await r.item();
            r.dispose();
            return Number(value);
          }),
      );
      expect([sum, argmax, argmin, max], `n = ${n}`).toEqual([total, peak, pit, 100]);
      // Past 2^24, float32 partial sums round, by how much depends on the order of the tree.
      expect(Math.abs(fsum - total), `n = ${n}`).toBeLessThanOrEqual(total * 2 ** -20);
      a.dispose();
      f.dispose();
    }
  });

  it("follows NumPy's NaN and tie rules over long runs: min/max propagate the first NaN, arg positions take the first", async () => {
    const np: Context = get();
    // 10,000 elements: several of the CPU's 4,096-element folds, and several GPU workgroups.
    const n = 10_000;
    const ties = new Float32Array(n);
    for (let i = 0; i < n; i++) ties[i] = (i * 37) % 5000; // 0 at 0 and 5000, 4999 at 2027 and 7027
    const withNaN = ties.slice();
    withNaN[6100] = NaN;
    withNaN[8200] = NaN;
    const decided = new Uint8Array(n);
    decided[9999] = 1;
    const a = np.array(ties);
    const b = np.array(withNaN);
    const flags = np.array(decided, { dtype: 'bool' });
    const got = await Promise.all(
      np
        .tidy(() => [
          a.min(),
          a.max(),
          a.argmin(),
          a.argmax(),
          b.min(),
          b.max(),
          b.argmin(),
          b.argmax(),
          b.get('::-1').argmax(),
          b.reshape([100, 100]).T.max(),
          b.reshape([100, 100]).T.argmin(),
          flags.any(),
          flags.all(),
          np.logicalNot(flags).any(),
          flags.get(':9999').any(),
        ])
        .map(async (r) => {
          const value = await r.item();
          r.dispose();
          return typeof value === 'boolean' ? value : Number(value);
        }),
    );
    // In the transposed (100, 100) view, flat position k is element (k % 100) * 100 + k / 100 of b:
    // b[6100] is at k = 61 (row 0, column 61), b[8200] at k = 82: the first NaN in C order is k = 61.
    expect(got).toEqual([0, 4999, 0, 2027, NaN, NaN, 6100, 6100, n - 1 - 8200, NaN, 61, true, false, true, false]);
    for (const r of [a, b, flags]) r.dispose();
  });

  it('sums integers in their 32-bit accumulator, wrapping as every addition would, over long runs', async () => {
    const np: Context = get();
    const n = 10_000;
    const big = new Int32Array(n);
    for (let i = 0; i < n; i++) big[i] = i % 7 === 0 ? -(2 ** 31) + i : 2 ** 30 + i;
    let want = 0;
    for (let i = 0; i < n; i++) want = (want + big[i]) | 0;
    const unsigned = Uint32Array.from(big, (v) => v >>> 0);
    let wantUnsigned = 0;
    for (let i = 0; i < n; i++) wantUnsigned = (wantUnsigned + unsigned[i]) >>> 0;
    const a = np.array(big);
    const u = np.array(unsigned);
    const sums = np.tidy(() => [a.sum(), u.sum(), a.reshape([100, 100]).T.sum()]);
    const got = await Promise.all(sums.map(async (r) => Number(await r.item())));
    expect(sums.map((r) => r.dtype)).toEqual(['int32', 'uint32', 'int32']);
    expect(got).toEqual([want, wantUnsigned, want]);
    for (const r of [...sums, a, u]) r.dispose();
  });

  it('multiplies long runs in order (a product over several folds)', async () => {
    const np: Context = get();
    const n = 9_000;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = i % 1000 === 0 ? 1.5 : i % 3 === 0 ? 0.999 : 1.001;
    let want = 1;
    for (let i = 0; i < n; i++) want = Math.fround(want * data[i]);
    const a = np.array(data);
    const product = np.tidy(() => a.prod());
    const value = Number(await product.item());
    // One rounding per multiplication in order on the CPU (NumPy's loop); the GPU multiplies in a tree.
    if (backend === 'cpu') expect(value).toBe(want);
    else expect(Math.abs(value - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-4);
    product.dispose();
    a.dispose();
  });

  // The GPU sums in workgroup trees (checked within tolerance above); the CPU must be NumPy's sum exactly.
  if (backend === 'cpu')
    it('sums floats bit for bit as NumPy does (pairwise runs; one at a time down columns and outer axes)', async () => {
      const np: Context = get();
      for (const c of (pairwiseFixtures as { cases: PairwiseCase[] }).cases) {
        const data = Array.from({ length: c.count }, (_, i) => ((i * 7919) % 10007) / 1013 - 5);
        const got = np.tidy(() => {
          let a = np.array(data, { dtype: c.dtype });
          if (c.shape) a = a.reshape(c.shape);
          if (c.view) a = a.get(c.view);
          if (c.transpose) a = a.transpose(...c.transpose);
          if (c.broadcast) a = np.broadcastTo(a, c.broadcast);
          return c.op === 'mean' ? a.mean(c.axis) : a.sum(c.axis);
        });
        const values = flatten(await got.toArray());
        got.dispose();
        const label = `${c.dtype} ${c.op ?? 'sum'}(${JSON.stringify(c.axis)}) of ${c.count}${c.shape ? ` as ${JSON.stringify(c.shape)}` : ''}${c.view ? `[${c.view}]` : ''}${c.transpose ? `.transpose(${c.transpose})` : ''}${c.broadcast ? ` broadcast to ${JSON.stringify(c.broadcast)}` : ''}`;
        expect(values, label).toEqual(c.expected);
      }
    });
});

/** test/fixtures/pairwise.json (scripts/gen-pairwise-fixtures.py): long float runs whose sums the CPU
 * backend must give exactly as NumPy's pairwise summation does. */
const flatten = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flatten) : [x as number]);

interface PairwiseCase {
  dtype: 'float16' | 'float32' | 'float64';
  count: number;
  shape?: number[];
  view: string;
  transpose?: number[];
  broadcast?: number[];
  axis: number | number[] | null;
  op?: 'sum' | 'mean';
  expected: number[];
}
