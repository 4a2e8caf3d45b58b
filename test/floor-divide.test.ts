/**
 * floor_divide, remainder and fmod against their element-by-element definition (NumPy's), on every backend:
 * every integer dtype and float32/float64 (the 64-bit ones on the CPU only), over all pairs of each
 * dtype's edge values (zero divisors, MIN // -1, every sign combination; NaN, ±inf, ±0 for floats; 64-bit
 * items on both sides of 2^52, where the JavaScript loops leave doubles for BigInts) and random ones, as
 * contiguous arrays (the CPU's WebAssembly vectors and their scalar tails), broadcast rows and columns,
 * scalars, strided and reversed views, transposes (the kernels' tiled paths) and an `out` that is an
 * input or overlaps one.
 */

import { describe, expect, it } from 'vitest';
import type { Context, DType, NDArray } from '../src/index.js';
import { forEachBackend } from './backends.js';
import { mulberry32 } from './random.js';

type Op = 'floorDivide' | 'mod' | 'fmod';
type Value = number | bigint;

const INTEGERS = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'] as const;
const FLOATS = ['float32', 'float64'] as const;
/** What WebGPU computes (no 64-bit types). */
const GPU_DTYPES: readonly DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32'];

const BITS: Record<string, number> = { int8: 8, uint8: 8, int16: 16, uint16: 16, int32: 32, uint32: 32, int64: 64, uint64: 64 };
const isBig = (dtype: DType) => dtype === 'int64' || dtype === 'uint64';
const isFloat = (dtype: DType) => dtype === 'float32' || dtype === 'float64';

// ------------------------------------------------------------------------------------------------
// The definition, one element at a time

/** Integers exactly (as bigints), wrapped into the dtype as its stores wrap. */
function intReference(op: Op, dtype: DType, x: bigint, y: bigint): bigint {
  if (y === 0n) return 0n;
  let q = x / y;
  let r = x % y; // truncated: fmod's
  if (op !== 'fmod' && r !== 0n && r < 0n !== y < 0n) {
    q -= 1n;
    r += y;
  }
  const value = op === 'floorDivide' ? q : r;
  const bits = BITS[dtype];
  return dtype.startsWith('u') ? BigInt.asUintN(bits, value) : BigInt.asIntN(bits, value);
}

/** NumPy's npy_divmod on doubles (float32 results rounded once: the test's float values divide exactly);
 * fmod is C's, which JavaScript's % is. */
function floatReference(op: Op, dtype: DType, a: number, b: number): number {
  const round = dtype === 'float32' ? Math.fround : (v: number) => v;
  if (op === 'fmod') return round(a % b);
  if (b === 0) return round(op === 'floorDivide' ? a / b : NaN);
  let mod = a % b; // C's fmod
  let div = (a - mod) / b;
  if (mod !== 0) {
    if (b < 0 !== mod < 0) {
      mod += b;
      div -= 1;
    }
  } else mod = b < 0 || Object.is(b, -0) ? -0 : 0;
  if (op === 'mod') return round(mod);
  if (div === 0) return round(a / b < 0 || Object.is(a / b, -0) ? -0 : 0);
  let floor = Math.floor(div);
  if (div - floor > 0.5) floor += 1;
  return round(floor);
}

function reference(op: Op, dtype: DType, x: Value, y: Value): Value {
  if (isFloat(dtype)) return floatReference(op, dtype, Number(x), Number(y));
  const r = intReference(op, dtype, BigInt(x), BigInt(y));
  return isBig(dtype) ? r : Number(r);
}

// ------------------------------------------------------------------------------------------------
// Inputs

function edgeValues(dtype: DType): Value[] {
  if (isFloat(dtype)) return [0, -0, 1, -1, 2.5, -2.5, 3, -3, 7.25, -7.25, 0.5, -0.5, 1e6, NaN, Infinity, -Infinity];
  const bits = BigInt(BITS[dtype]);
  const values: bigint[] = dtype.startsWith('u')
    ? [0n, 1n, 2n, 3n, 7n, 100n, 2n ** (bits - 1n), 2n ** (bits - 1n) + 1n, 2n ** bits - 2n, 2n ** bits - 1n]
    : [0n, 1n, -1n, 2n, -2n, 3n, -3n, 7n, -7n, 100n, -100n, -(2n ** (bits - 1n)), -(2n ** (bits - 1n)) + 1n, 2n ** (bits - 1n) - 1n];
  // 64 bits: around 2^52 and 2^53, where the JavaScript loops leave doubles for BigInts (division64.ts).
  if (bits === 64n)
    values.push(
      2n ** 52n - 1n,
      2n ** 52n,
      2n ** 53n + 1n,
      ...(dtype === 'int64' ? [-(2n ** 52n), -(2n ** 52n) - 1n, -(2n ** 53n) - 3n] : []),
    );
  return values.map((v) => (isBig(dtype) ? v : Number(v)));
}

/** `n` values of the dtype: half over its whole range, half small (divisors that often divide evenly). */
function randomValues(dtype: DType, n: number, seed: number): Value[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    if (isFloat(dtype)) return Math.round((random() - 0.5) * 64) / 4;
    const small = BigInt(Math.floor(random() * 19) - 9);
    const word = (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32));
    const bits = BITS[dtype];
    const raw = i % 2 === 0 ? word : small;
    const v = dtype.startsWith('u') ? BigInt.asUintN(bits, raw) : BigInt.asIntN(bits, raw);
    return isBig(dtype) ? v : Number(v);
  });
}

function hostArray(dtype: DType, values: readonly Value[]) {
  switch (dtype) {
    case 'int64':
      return BigInt64Array.from(values as bigint[]);
    case 'uint64':
      return BigUint64Array.from(values as bigint[]);
    case 'float32':
      return Float32Array.from(values as number[]);
    case 'float64':
      return Float64Array.from(values as number[]);
    case 'int8':
      return Int8Array.from(values as number[]);
    case 'uint8':
      return Uint8Array.from(values as number[]);
    case 'int16':
      return Int16Array.from(values as number[]);
    case 'uint16':
      return Uint16Array.from(values as number[]);
    case 'int32':
      return Int32Array.from(values as number[]);
    default:
      return Uint32Array.from(values as number[]);
  }
}

/** The mismatches of `actual` against `expected` (NaN equals NaN; the sign of zero counts). */
function mismatches(label: string, actual: ArrayLike<Value>, expected: readonly Value[], inputs: readonly [Value, Value][]): string[] {
  const found: string[] = [];
  if (actual.length !== expected.length) return [`${label}: ${actual.length} items, expected ${expected.length}`];
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]))
      found.push(`${label} [${i}] ${inputs[i][0]}, ${inputs[i][1]}: ${actual[i]}, expected ${expected[i]}`);
  }
  return found.slice(0, 8);
}

// ------------------------------------------------------------------------------------------------
// The cases: each builds its operands, runs the operation, and names its inputs item by item (C order)

interface Case {
  label: string;
  run(np: Context, op: Op, dtype: DType): { result: NDArray; pairs: [Value, Value][]; temps: NDArray[] };
}

const CASES: Case[] = [
  {
    // Every pair of edge values, then random pairs: long enough for whole vectors of every item size
    // and a scalar tail (an odd length).
    label: 'contiguous',
    run(np, op, dtype) {
      const edges = edgeValues(dtype);
      const xs = [...edges.flatMap((x) => edges.map(() => x)), ...randomValues(dtype, 81, 1)];
      const ys = [...edges.flatMap(() => edges), ...randomValues(dtype, 81, 2)];
      const [a, b] = [np.array(hostArray(dtype, xs)), np.array(hostArray(dtype, ys))];
      return { result: np[op](a, b), pairs: xs.map((x, i) => [x, ys[i]]), temps: [a, b] };
    },
  },
  {
    // A column against a row: each input broadcast along one axis (a splatted operand in the kernels).
    label: 'broadcast',
    run(np, op, dtype) {
      const edges = [...edgeValues(dtype), ...randomValues(dtype, 19, 3)];
      const n = edges.length;
      const col = np.array(hostArray(dtype, edges), { shape: [n, 1] });
      const row = np.array(hostArray(dtype, [...edges].reverse()), { shape: [1, n] });
      const pairs: [Value, Value][] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pairs.push([edges[i], edges[n - 1 - j]]);
      return { result: np[op](col, row), pairs, temps: [col, row] };
    },
  },
  {
    // A scalar divisor and a scalar dividend (JS numbers, weak: the array's dtype).
    label: 'scalars',
    run(np, op, dtype) {
      const xs = [...edgeValues(dtype), ...randomValues(dtype, 40, 4)];
      const a = np.array(hostArray(dtype, xs));
      const divisors = dtype.startsWith('u') ? [0, 1, 7] : [0, -1, 7, -3];
      const results = divisors.map((s) => np[op](a, s));
      const dividend = np[op](5, a);
      const all = np.concatenate([...results, dividend]);
      const scalar = (s: number): Value => (isBig(dtype) ? BigInt(s) : s);
      const pairs: [Value, Value][] = [
        ...divisors.flatMap((s) => xs.map((x): [Value, Value] => [x, scalar(s)])),
        ...xs.map((x): [Value, Value] => [scalar(5), x]),
      ];
      return { result: all, pairs, temps: [a, ...results, dividend] };
    },
  },
  {
    // Strided and reversed views of longer arrays.
    label: 'strided',
    run(np, op, dtype) {
      const xs = randomValues(dtype, 150, 5);
      const ys = [...edgeValues(dtype), ...randomValues(dtype, 150, 6)];
      const [a, b] = [np.array(hostArray(dtype, xs)), np.array(hostArray(dtype, ys))];
      const [x, y] = [a.get('::-2'), b.get('3:153:2')];
      const pairs: [Value, Value][] = [];
      for (let i = 0; i < 75; i++) pairs.push([xs[149 - 2 * i], ys[3 + 2 * i]]);
      return { result: np[op](x, y), pairs, temps: [a, b, x, y] };
    },
  },
  {
    // A transposed operand: the kernels' tiles (whole 4 × 4 blocks of 4-byte items and the edges).
    label: 'transposed',
    run(np, op, dtype) {
      const [rows, cols] = [9, 13];
      const xs = randomValues(dtype, rows * cols, 7);
      const edges = edgeValues(dtype);
      const ys = Array.from({ length: rows * cols }, (_, i) => edges[i % edges.length]);
      const a = np.array(hostArray(dtype, xs), { shape: [cols, rows] });
      const b = np.array(hostArray(dtype, ys), { shape: [rows, cols] });
      const pairs: [Value, Value][] = [];
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) pairs.push([xs[j * rows + i], ys[i * cols + j]]);
      return { result: np[op](a.T, b), pairs, temps: [a, b] };
    },
  },
];

forEachBackend((backend, get) => {
  const dtypes: readonly DType[] = backend === 'cpu' ? [...INTEGERS, ...FLOATS] : GPU_DTYPES;
  describe('floor_divide, remainder and fmod equal their definition', () => {
    for (const op of ['floorDivide', 'mod', 'fmod'] as const) {
      it(`${op}: every dtype, edge and random values, contiguous, broadcast, scalar, strided and transposed operands`, async () => {
        const np = get();
        const found: string[] = [];
        for (const dtype of dtypes) {
          const runs = CASES.map((c) => ({ c, ...c.run(np, op, dtype) }));
          const data = await Promise.all(runs.map((r) => r.result.data()));
          runs.forEach((r, k) => {
            expect(r.result.dtype).toBe(dtype);
            const expected = r.pairs.map(([x, y]) => reference(op, dtype, x, y));
            found.push(...mismatches(`${dtype} ${r.c.label}`, data[k] as ArrayLike<Value>, expected, r.pairs));
            for (const t of [r.result, ...r.temps]) t.dispose();
          });
        }
        expect(found).toEqual([]);
      });

      it(`${op}: an out that is an input, or overlaps one`, async () => {
        const np = get();
        const found: string[] = [];
        for (const dtype of dtypes) {
          const xs = [...edgeValues(dtype), ...randomValues(dtype, 40, 8)];
          const ys = randomValues(dtype, xs.length, 9).map((y, i) => (i % 5 === 0 ? edgeValues(dtype)[i % 7] : y));
          const n = xs.length;
          // In place: out is the dividend.
          const a = np.array(hostArray(dtype, xs));
          const b = np.array(hostArray(dtype, ys));
          np[op](a, b, { out: a });
          // Overlapping: out is the dividend reversed, so each item's result lands where another is read.
          const c = np.array(hostArray(dtype, xs));
          const reversed = c.get('::-1');
          np[op](c, b, { out: reversed });
          const [inPlace, overlapped] = await Promise.all([a.data(), c.data()]);
          const pairs = xs.map((x, i): [Value, Value] => [x, ys[i]]);
          const expected = pairs.map(([x, y]) => reference(op, dtype, x, y));
          found.push(...mismatches(`${dtype} out=a`, inPlace as ArrayLike<Value>, expected, pairs));
          const back = Array.from({ length: n }, (_, i) => (overlapped as ArrayLike<Value>)[n - 1 - i]);
          found.push(...mismatches(`${dtype} out=a[::-1]`, back, expected, pairs));
          for (const t of [a, b, c, reversed]) t.dispose();
        }
        expect(found).toEqual([]);
      });
    }
  });
});
