/**
 * Integer sums and means (bools and 8- to 32-bit integers) against an exact reference computed here, on
 * every backend: the CPU's WebAssembly kernels (which sum in 64-bit words, in whatever order reads memory
 * best) and its JavaScript loops must both give these bits, as the GPU does. The reference sums each
 * output's items as bigints from the host's values and a small model of the views (so it uses nothing of
 * the library), wraps sums to 32 bits, and rounds means as NumPy's float64 mean cast to float32 — the
 * exact sum divided with one rounding to float64, found here by comparing neighbouring doubles exactly.
 * Cases: every layout the kernels choose between (runs, outputs innermost, blocks of two axes, reversed,
 * strided, transposed, broadcast and length-1 axes, several axes, keepdims, empty arrays), runs of
 * extreme items long enough to fill the kernels' narrow lanes, and sums beyond ±2^53.
 */

import { expect, it } from 'vitest';
import type { Context, DType, NDArray } from '../src/index.js';
import { forEachBackend } from './backends.js';
import { mulberry32 } from './random.js';
import { RESERVED_BYTES } from '../src/device/cpu/heap.js';
import { EXACT_SUMS_ADDRESS, EXACT_SUMS_COUNT } from '../src/device/cpu/wasm/exact-sum.js';

type IntDType = 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32';
const INT_DTYPES: IntDType[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'];
const RANGE: Record<IntDType, [number, number]> = {
  bool: [0, 1],
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
};
const TYPED = {
  bool: Uint8Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
} as const;

// ----- a model of strided views (shape, strides and offset in items over the host's values) -----

interface Layout {
  shape: number[];
  strides: number[];
  offset: number;
}

const contiguous = (shape: number[]): Layout => {
  const strides = shape.map(() => 0);
  for (let k = shape.length - 1, s = 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k];
  }
  return { shape, strides, offset: 0 };
};

/** NumPy's `slice.indices` for `start:stop:step` texts (parts may be empty). */
function sliceOf(text: string, n: number): { start: number; step: number; count: number } {
  const [a, b, c] = text.split(':').map((p) => (p === undefined || p === '' ? null : Number(p)));
  const step = c ?? 1;
  const clamp = (v: number | null, fallback: number, low: number, high: number) =>
    v === null ? fallback : Math.min(Math.max(v < 0 ? v + n : v, low), high);
  const start = step > 0 ? clamp(a, 0, 0, n) : clamp(a, n - 1, -1, n - 1);
  const stop = step > 0 ? clamp(b ?? null, n, 0, n) : clamp(b ?? null, -1, -1, n - 1);
  const count = Math.max(0, Math.ceil((stop - start) / step));
  return { start, step, count };
}

/** A view step: `get` with one slice per axis, a transpose, or a reshape of a contiguous layout. */
type ViewStep = { get: string } | { transpose: number[] } | { reshape: number[] };

function applyToLayout(layout: Layout, step: ViewStep): Layout {
  if ('get' in step) {
    const parts = step.get.split(',').map((p) => p.trim());
    const shape: number[] = [];
    const strides: number[] = [];
    let offset = layout.offset;
    layout.shape.forEach((n, k) => {
      const s = sliceOf(parts[k] ?? ':', n);
      offset += s.start * layout.strides[k];
      shape.push(s.count);
      strides.push(s.step * layout.strides[k]);
    });
    return { shape, strides, offset };
  }
  if ('transpose' in step)
    return {
      shape: step.transpose.map((k) => layout.shape[k]),
      strides: step.transpose.map((k) => layout.strides[k]),
      offset: layout.offset,
    };
  return { ...contiguous(step.reshape), offset: layout.offset }; // only of contiguous layouts here
}

function applyToArray(a: NDArray, step: ViewStep): NDArray {
  if ('get' in step) return a.get(step.get);
  if ('transpose' in step) return a.transpose(step.transpose);
  return a.reshape(step.reshape);
}

// ----- the exact reference -----

/** x = num / den exactly (den a power of two), for a finite double x >= 0. */
function fraction(x: number): [bigint, bigint] {
  const bits = new BigUint64Array(new Float64Array([x]).buffer)[0];
  const exponent = Number(bits >> 52n);
  const mantissa = bits & ((1n << 52n) - 1n);
  const m = exponent === 0 ? mantissa : mantissa | (1n << 52n);
  const e = (exponent === 0 ? 1 : exponent) - 1075;
  return e >= 0 ? [m << BigInt(e), 1n] : [m, 1n << BigInt(-e)];
}

/** The double nearest to s / n (ties to even), n > 0: the float quotient is within a few units in the last
 * place, so the nearest of it and its neighbours, compared exactly, is the answer. */
function nearestQuotient(s: bigint, n: bigint): number {
  if (s < 0n) return -nearestQuotient(-s, n);
  if (s === 0n) return 0;
  const guess = new Float64Array([Number(s) / Number(n)]);
  const bits = new BigInt64Array(guess.buffer);
  const center = bits[0];
  let best = 0;
  let bestError: [bigint, bigint] = [0n, 0n];
  let bestBits = 0n;
  for (let d = -3n; d <= 3n; d++) {
    bits[0] = center + d;
    const x = guess[0];
    const [num, den] = fraction(x);
    const diff = num * n - s * den;
    const error: [bigint, bigint] = [diff < 0n ? -diff : diff, den]; // |x - s/n| = error[0] / (error[1] n)
    const compare = bestBits === 0n ? -1n : error[0] * bestError[1] - bestError[0] * error[1];
    if (compare < 0n || (compare === 0n && (bits[0] & 1n) === 0n)) {
      best = x;
      bestError = error;
      bestBits = bits[0];
    }
  }
  return best;
}

const SAFE = 2n ** 53n;

interface Expected {
  sums: number[];
  means: number[];
  shape: number[];
}

/** Every output's exact sum (C order over the kept axes) of the view `layout` of `values`. */
function exactSums(values: ArrayLike<number>, layout: Layout, axes: number[]): { sums: bigint[]; count: number } {
  const { shape, strides, offset } = layout;
  const rank = shape.length;
  const outStrides = shape.map(() => 0);
  for (let k = rank - 1, s = 1; k >= 0; k--) {
    if (axes.includes(k)) continue;
    outStrides[k] = s;
    s *= shape[k];
  }
  const outputs = shape.reduce((p, n, k) => (axes.includes(k) ? p : p * n), 1);
  const count = axes.reduce((p, k) => p * shape[k], 1);
  const small = new Float64Array(outputs);
  const big = new Array<bigint>(outputs).fill(0n);
  const total = shape.reduce((p, n) => p * n, 1);
  const index = shape.map(() => 0);
  let at = offset;
  let out = 0;
  for (let i = 0; i < total; i++) {
    // Numbers while they are exact (items below 2^32), bigints beyond.
    if (Math.abs(small[out]) > 2 ** 52) {
      big[out] += BigInt(small[out]);
      small[out] = 0;
    }
    small[out] += values[at];
    for (let k = rank - 1; k >= 0; k--) {
      index[k]++;
      at += strides[k];
      out += outStrides[k];
      if (index[k] < shape[k]) break;
      at -= strides[k] * shape[k];
      out -= outStrides[k] * shape[k];
      index[k] = 0;
    }
  }
  return { sums: big.map((b, o) => b + BigInt(small[o])), count };
}

function expected(dtype: IntDType, values: ArrayLike<number>, layout: Layout, axes: number[], keepdims: boolean): Expected {
  const { sums, count } = exactSums(values, layout, axes);
  const signed = dtype === 'bool' || dtype.startsWith('int');
  return {
    sums: sums.map((s) => Number(signed ? BigInt.asIntN(32, s) : BigInt.asUintN(32, s))),
    // Up to 2^53 the sum is an exact double, and IEEE division rounds the quotient once.
    means: sums.map((s) =>
      count === 0 ? NaN : Math.fround(s <= SAFE && s >= -SAFE ? Number(s) / count : nearestQuotient(s, BigInt(count))),
    ),
    shape: layout.shape.flatMap((n, k) => (axes.includes(k) ? (keepdims ? [1] : []) : [n])),
  };
}

// ----- the cases -----

interface Source {
  name: string;
  dtype: IntDType;
  shape: number[];
  values: ArrayLike<number>;
}

interface Reduction {
  view: ViewStep[];
  /** null: all axes. */
  axis: number | number[] | null;
  keepdims?: boolean;
}

function randomSource(dtype: IntDType, shape: number[], seed: number): Source {
  const [low, high] = RANGE[dtype];
  const random = mulberry32(seed);
  const n = shape.reduce((p, k) => p * k, 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = random();
    // Extremes often (runs of them too), else anything in range.
    values[i] = r < 0.2 ? high : r < 0.4 ? low : low + Math.floor(random() * (high - low + 1));
  }
  return { name: `random ${dtype} ${JSON.stringify(shape)}`, dtype, shape, values };
}

/** Every item at an extreme but a few: fills the narrow lanes of contiguous runs as far as they go. */
function extremeSource(dtype: IntDType, shape: number[], which: 'low' | 'high'): Source {
  const [low, high] = RANGE[dtype];
  const n = shape.reduce((p, k) => p * k, 1);
  const values = new Float64Array(n).fill(which === 'low' ? low : high);
  for (let i = 0; i < n; i += 997) values[i] = which === 'low' ? low + 1 : high - 1;
  return { name: `${which} ${dtype} ${JSON.stringify(shape)}`, dtype, shape, values };
}

const LAYOUTS_2D: Reduction[] = [
  { view: [], axis: null },
  { view: [], axis: 0 },
  { view: [], axis: 1 },
  { view: [], axis: -1, keepdims: true },
  { view: [], axis: [0, 1], keepdims: true },
  { view: [{ get: '::2, ::-3' }], axis: 0 },
  { view: [{ get: '::2, ::-3' }], axis: 1 },
  { view: [{ get: '::-1, ::-1' }], axis: null },
  { view: [{ get: '::-1, 3:' }], axis: 1 },
  { view: [{ transpose: [1, 0] }], axis: 0 },
  { view: [{ transpose: [1, 0] }], axis: 1, keepdims: true },
  { view: [{ transpose: [1, 0] }], axis: null },
  { view: [{ get: ':, 5:6' }], axis: 0 },
  { view: [{ get: '4:5' }], axis: 0, keepdims: true },
];

const LAYOUTS_4D: Reduction[] = [
  { view: [], axis: [0, 2] },
  { view: [], axis: [1, 3], keepdims: true },
  { view: [], axis: [0, 1, 3] },
  { view: [], axis: 2 },
  { view: [], axis: 3 },
  { view: [], axis: null },
  { view: [{ transpose: [2, 0, 3, 1] }], axis: [1, 3] },
  { view: [{ transpose: [2, 0, 3, 1] }], axis: 0 },
  { view: [{ transpose: [3, 2, 1, 0] }], axis: [0, 2] },
  { view: [{ get: ':, ::-2, 1::3, ::2' }], axis: [0, 3] },
  { view: [{ get: ':, ::-2, 1::3, ::2' }], axis: [1, 2] },
];

/** Runs long enough for the kernels' chunks (2048 bytes, 65536 16-bit items), with row and column tails. */
const LAYOUTS_LONG: Reduction[] = [
  { view: [], axis: null },
  { view: [{ reshape: [139, 1009] }], axis: 0 },
  { view: [{ reshape: [139, 1009] }], axis: 1 },
  { view: [{ reshape: [139, 1009] }, { get: '::-1' }], axis: 0 },
];

interface Case {
  source: Source;
  reductions: Reduction[];
}

function cases(): Case[] {
  const out: Case[] = [];
  INT_DTYPES.forEach((dtype, d) => {
    out.push({ source: randomSource(dtype, [37, 41], 10 + d), reductions: LAYOUTS_2D });
    out.push({ source: randomSource(dtype, [3, 5, 7, 9], 20 + d), reductions: LAYOUTS_4D });
    out.push({ source: extremeSource(dtype, [139 * 1009], 'high'), reductions: LAYOUTS_LONG });
    if (RANGE[dtype][0] < 0) out.push({ source: extremeSource(dtype, [139 * 1009], 'low'), reductions: LAYOUTS_LONG });
    // Length-1 axes (nothing left to reduce, or only them) and empty arrays.
    out.push({
      source: randomSource(dtype, [7, 1, 9], 30 + d),
      reductions: [
        { view: [], axis: 1 },
        { view: [], axis: [0, 1], keepdims: true },
        { view: [{ get: '::-1, :, 3:3' }], axis: 0 },
        { view: [{ get: '::-1, :, 3:3' }], axis: 2 },
        { view: [{ get: '::-1, :, 3:3' }], axis: null },
      ],
    });
  });
  return out;
}

/** Sums beyond ±2^53: 2^21 items near 2^32 (row 0 of the uint32 array; row 1 sums below), 2^22 near -2^31. */
function bigCases(): Case[] {
  const n = 2 ** 21 + 7;
  const unsigned = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    unsigned[i] = 2 ** 32 - 1 - (i % 1000);
    unsigned[n + i] = (i * 7919) % 65536;
  }
  const m = 2 ** 22 + 9;
  const signed = new Float64Array(m);
  for (let i = 0; i < m; i++) signed[i] = -(2 ** 31) + (i % 5);
  return [
    {
      source: { name: 'uint32 beyond 2^53', dtype: 'uint32', shape: [2, n], values: unsigned },
      reductions: [
        { view: [], axis: null },
        { view: [], axis: 1 },
        { view: [{ transpose: [1, 0] }], axis: 0, keepdims: true },
      ],
    },
    {
      source: { name: 'int32 beyond -2^53', dtype: 'int32', shape: [m], values: signed },
      reductions: [
        { view: [], axis: null },
        { view: [{ get: '::-1' }], axis: 0, keepdims: true },
      ],
    },
  ];
}

function upload(np: Context, source: Source): NDArray {
  if (source.dtype === 'bool') return np.array(Array.from(source.values, Boolean), { shape: source.shape });
  return np.array(TYPED[source.dtype].from(source.values), { dtype: source.dtype as DType, shape: source.shape });
}

/** Runs the cases' reductions (all issued before any is read) and lists what differs from the reference. */
async function check(np: Context, all: Case[]): Promise<{ failures: string[]; checked: number }> {
  const failures: string[] = [];
  const reads: Promise<void>[] = [];
  let checked = 0;
  for (const c of all) {
    const source = upload(np, c.source);
    for (const r of c.reductions) {
      const layout = r.view.reduce(applyToLayout, contiguous(c.source.shape));
      const rank = layout.shape.length;
      const axes =
        r.axis === null ? [...Array(rank).keys()] : (Array.isArray(r.axis) ? r.axis : [r.axis]).map((a) => (a < 0 ? a + rank : a));
      const want = expected(c.source.dtype, c.source.values, layout, axes, Boolean(r.keepdims));
      const [sum, mean] = np.tidy(() => {
        const view = r.view.reduce(applyToArray, source);
        const options = { keepdims: Boolean(r.keepdims) };
        const axis = r.axis === null ? undefined : (r.axis as number);
        return [view.sum(axis, options), view.mean(axis, options)];
      });
      const label = `${c.source.name}${r.view.length ? ` ${JSON.stringify(r.view)}` : ''} axis=${JSON.stringify(r.axis)}${r.keepdims ? ' keepdims' : ''}`;
      const sumDtype = c.source.dtype === 'bool' || c.source.dtype.startsWith('int') ? 'int32' : 'uint32';
      if (sum.dtype !== sumDtype || mean.dtype !== 'float32') failures.push(`${label}: dtypes ${sum.dtype}, ${mean.dtype}`);
      if (JSON.stringify(sum.shape) !== JSON.stringify(want.shape) || JSON.stringify(mean.shape) !== JSON.stringify(want.shape))
        failures.push(`${label}: shapes ${JSON.stringify(sum.shape)}, ${JSON.stringify(mean.shape)}, want ${JSON.stringify(want.shape)}`);
      checked++;
      reads.push(
        Promise.all([sum.data(), mean.data()]).then(([sums, means]) => {
          const gotSums = Array.from(sums as ArrayLike<number>);
          const gotMeans = Array.from(means as ArrayLike<number>);
          const sumAt = gotSums.findIndex((v, o) => v !== want.sums[o]);
          const meanAt = gotMeans.findIndex((v, o) => !Object.is(v, want.means[o]));
          if (gotSums.length !== want.sums.length || sumAt >= 0)
            failures.push(`${label}: sum[${sumAt}] ${gotSums[sumAt]}, want ${want.sums[sumAt]} (${gotSums.length} outputs)`);
          if (gotMeans.length !== want.means.length || meanAt >= 0)
            failures.push(`${label}: mean[${meanAt}] ${gotMeans[meanAt]}, want ${want.means[meanAt]} (${gotMeans.length} outputs)`);
          sum.dispose();
          mean.dispose();
        }),
      );
    }
    source.dispose();
  }
  await Promise.all(reads);
  return { failures, checked };
}

forEachBackend((backend, get) => {
  const all = cases();
  const reductions = all.reduce((p, c) => p + c.reductions.length, 0);
  it(`integer sums and means are exact over every layout (${reductions} reductions of ${all.length} arrays, ${INT_DTYPES.length} dtypes)`, async () => {
    const { failures, checked } = await check(get(), all);
    expect(failures.slice(0, 10), `${failures.length} failures on ${backend}`).toEqual([]);
    expect(checked).toBe(reductions);
  });

  it('integer means of sums beyond ±2^53 divide the exact sum (one rounding to float64, then to float32)', async () => {
    const big = bigCases();
    const { failures } = await check(get(), big);
    expect(failures).toEqual([]);
  }, 60_000);
});

it('the reference: sums beyond ±2^53 where meant, and quotients as IEEE division gives them below', () => {
  const [unsigned, signed] = bigCases().map((c) => c.source);
  const rows = exactSums(unsigned.values, contiguous(unsigned.shape), [1]).sums;
  expect([rows[0] > 2n ** 53n, rows[1] < 2n ** 53n]).toEqual([true, true]);
  expect(exactSums(signed.values, contiguous(signed.shape), [0]).sums[0] < -(2n ** 53n)).toBe(true);
  const random = mulberry32(5);
  for (let k = 0; k < 1000; k++) {
    const s = Math.floor((random() - 0.5) * 2 ** 53);
    const n = 1 + Math.floor(random() * 2 ** (k % 33));
    expect(nearestQuotient(BigInt(s), BigInt(n)), `${s} / ${n}`).toBe(s / n);
  }
});

it("the CPU's exact sums lie in the memory's reserved area (../src/device/cpu/heap.ts lists its users)", () => {
  expect(EXACT_SUMS_ADDRESS + EXACT_SUMS_COUNT * 8).toBeLessThanOrEqual(RESERVED_BYTES);
});
