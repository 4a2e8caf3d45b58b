/**
 * Float sums and means with many short outputs (`a.sum(1)` of a tall array, `a.sum(0)` of a wide one):
 * against NumPy (test/fixtures/short-sums.json from scripts/gen-short-sum-fixtures.py) for rows of 1 to
 * 20 items and longer ones, contiguous, transposed, reversed and strided, with keepdims and `out` —
 * bit for bit on the CPU (its WebAssembly kernels and its JavaScript loops), within the GPU's rounding on
 * WebGPU, which sums in trees and has no float64. Then the two CPU paths against each other, bit for bit,
 * on random shapes and views.
 */

import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/short-sums.json';
import { slice, type Context, type NDArray } from '../src/index.js';
import { cpuKernelPair, forEachBackend } from './backends.js';
import { decodeScalar, type EncodedScalar } from './fixture-values.js';
import { mulberry32 } from './random.js';

interface ShortSumCase {
  dtype: 'float32' | 'float64';
  count: number;
  shape: number[];
  view: string;
  transpose: boolean;
  op: 'sum' | 'mean';
  axis: number;
  keepdims: boolean;
  out: boolean;
  resultShape: number[];
  scale: number;
  expected: EncodedScalar[];
}

const cases = (fixtures as { cases: ShortSumCase[] }).cases;

/** The fixture script's values, computed in float64 as NumPy computes them (powers of two are exact). */
function fixtureValues(count: number): number[] {
  return Array.from({ length: count }, (_, i) => (((i * 7919) % 10007) / 1013 - 5) * 2 ** (((i * 13) % 9) - 4));
}

function label(c: ShortSumCase): string {
  const view = `${c.view ? `[${c.view}]` : ''}${c.transpose ? '.T' : ''}`;
  const options = `${c.keepdims ? ', keepdims' : ''}${c.out ? ', out' : ''}`;
  return `${c.dtype} ${JSON.stringify(c.shape)}${view}.${c.op}(${c.axis}${options})`;
}

/** Issues a case's reduction (into a fresh `out` where the case has one). */
function reduce(np: Context, c: ShortSumCase): NDArray {
  return np.tidy(() => {
    let a = np.array(fixtureValues(c.count), { dtype: c.dtype }).reshape(c.shape);
    if (c.view) a = a.get(c.view);
    if (c.transpose) a = a.T;
    if (c.out) {
      const out = np.zeros(c.resultShape, { dtype: c.dtype });
      a[c.op](c.axis, { out });
      return out;
    }
    return a[c.op](c.axis, { keepdims: c.keepdims });
  });
}

forEachBackend((backend, get) => {
  // WebGPU has no float64.
  const tested = backend === 'cpu' ? cases : cases.filter((c) => c.dtype === 'float32');
  it(`sums and averages many short rows as NumPy does (${tested.length} cases)`, async () => {
    const np: Context = get();
    const results = tested.map((c) => reduce(np, c));
    const contents = await Promise.all(results.map((r) => r.data()));
    const failures: string[] = [];
    tested.forEach((c, k) => {
      const result = results[k];
      if (JSON.stringify(result.shape) !== JSON.stringify(c.resultShape) || result.dtype !== c.dtype) {
        failures.push(`${label(c)}: ${result.dtype} ${JSON.stringify(result.shape)}`);
        return;
      }
      const got = Array.from(contents[k] as Float32Array | Float64Array);
      const want = c.expected.map((v) => decodeScalar(v) as number);
      // The CPU adds in NumPy's order: the same bits (Object.is tells -0 from 0). The GPU adds in trees:
      // within a few roundings of the largest sum of magnitudes.
      const bad = got.findIndex((x, i) => (backend === 'cpu' ? !Object.is(x, want[i]) : !(Math.abs(x - want[i]) <= 1e-5 * c.scale)));
      if (bad >= 0) failures.push(`${label(c)}: output ${bad} is ${got[bad]}, NumPy's ${want[bad]}`);
    });
    for (const r of results) r.dispose();
    expect(failures).toEqual([]);
  });
});

describe('CPU float sums with many short outputs: WebAssembly kernels and JavaScript loops, bit for bit', () => {
  const cpu = cpuKernelPair();

  interface Trial {
    dtype: 'float32' | 'float64';
    shape: number[];
    values: number[];
    view: number;
    op: 'sum' | 'mean';
    axis: number;
  }

  /** Random shapes whose reduced axis is short (now and then long), values over many binades with some
   * ±0. */
  function trials(count: number, seed: number): Trial[] {
    const random = mulberry32(seed);
    const pick = (n: number) => Math.floor(random() * n);
    return Array.from({ length: count }, (_, t) => {
      const n = t % 10 === 9 ? 1 + pick(300) : 1 + pick(20);
      const outputs = 1 + pick(50);
      const shape = t % 4 === 3 ? [1 + pick(4), outputs, n] : [outputs, n];
      if (random() < 0.5) shape.reverse();
      const size = shape.reduce((p, k) => p * k, 1);
      const values = Array.from({ length: size }, () => {
        const u = random();
        if (u < 0.03) return -0;
        if (u < 0.05) return 0;
        return (random() * 2 - 1) * 2 ** (pick(24) - 12);
      });
      return {
        dtype: t % 2 === 0 ? 'float32' : 'float64',
        shape,
        values,
        view: pick(5),
        op: random() < 0.75 ? 'sum' : 'mean',
        axis: shape.indexOf(n),
      };
    });
  }

  /** A view of `a` with short runs: itself, transposed, reversed, every other column, the rows of every
   * other column reversed. */
  function viewOf(a: NDArray, view: number): NDArray {
    const rank = a.ndim;
    switch (view) {
      case 0:
        return a;
      case 1:
        return a.T;
      case 2:
        return a.get(Array.from({ length: rank }, () => slice(null, null, -1)));
      case 3:
        return a.get([...Array.from({ length: rank - 1 }, () => slice()), slice(null, null, 2)]);
      default:
        return a.get([slice(null, null, -1), ...Array.from({ length: rank - 1 }, () => slice(null, null, 2))]).T;
    }
  }

  async function run(np: Context, list: Trial[]): Promise<Uint8Array[]> {
    const results = list.map((t) =>
      np.tidy(() => {
        const a = viewOf(np.array(t.values, { dtype: t.dtype }).reshape(t.shape), t.view);
        // The short axis, where the view's transposition put it.
        return a[t.op](t.view === 1 || t.view === 4 ? a.ndim - 1 - t.axis : t.axis);
      }),
    );
    const bytes = await Promise.all(results.map(async (r) => new Uint8Array(((await r.data()) as Float32Array).slice().buffer)));
    for (const r of results) r.dispose();
    return bytes;
  }

  it('gives the same bits on random shapes and views', async () => {
    const list = trials(160, 7);
    const [a, b] = await Promise.all([run(cpu.wasm, list), run(cpu.js, list)]);
    const differences = list
      .map((t, i) => {
        const at = a[i].findIndex((x, k) => x !== b[i][k]);
        const what = `${t.dtype} ${JSON.stringify(t.shape)} view ${t.view} ${t.op}(${t.axis})`;
        return a[i].length !== b[i].length ? `${what}: lengths differ` : at >= 0 ? `${what}: byte ${at}` : null;
      })
      .filter((d) => d !== null);
    expect(differences).toEqual([]);
  });
});
