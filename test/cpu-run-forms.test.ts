/**
 * The CPU backend's run forms (`chunk`) of sign, signbit, left_shift, right_shift, copysign, power,
 * logical_and and integer round, and the staged loops' conversions of inputs and results, against a
 * one-element-at-a-time definition written here (BigInt arithmetic for the integers, sign bits read from
 * the operands' raw bits): every dtype each operation takes, edge values first (NaN of both signs, ±0, ±∞,
 * the integers' extremes, shift counts -1, 0, bits-1, bits and 100), over contiguous, scalar, broadcast,
 * strided and transposed operands and runs longer than a stage. Each case runs on the WebAssembly context
 * and the JavaScript-loops context, whose bytes must agree too.
 */

import { describe, expect, it } from 'vitest';
import type { Context, NDArray } from '../src/index.js';
import { dtypeInfo, type DType } from '../src/ndarray/core/dtype.js';
import { cpuKernelPair } from './backends.js';
import { mulberry32 } from './random.js';

const cpu = cpuKernelPair();

const INTEGERS: DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const FLOATS: DType[] = ['float16', 'float32', 'float64'];
const EVERY: DType[] = ['bool', ...INTEGERS, ...FLOATS];

const isFloat = (dtype: string) => dtype.startsWith('float');
const bitsOf = (dtype: string) => 8 * dtypeInfo(dtype as DType).itemsize;

/** Raw items of `dtype`: edge values first, then random bits. */
function itemBytes(dtype: DType, count: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const size = dtypeInfo(dtype).itemsize;
  const bytes = new Uint8Array(count * size);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  const view = new DataView(bytes.buffer);
  const bits = 8 * size;
  if (dtype === 'bool') {
    for (let i = 0; i < count; i++) bytes[i] &= 1;
    return bytes;
  }
  if (isFloat(dtype)) {
    // NaN, -NaN, 0, -0, ∞, -∞ and ordinary values, as raw bits of each width.
    const specials16 = [0x7e00, 0xfe00, 0, 0x8000, 0x7c00, 0xfc00, 0x3c00, 0xbc00, 0x4100, 0xc100, 0x3800, 0x0001, 0x7bff, 0x4000];
    const specials: number[] = [NaN, -NaN, 0, -0, Infinity, -Infinity, 1, -1, 2.5, -2.5, 0.5, 1e-40, 3e38, 2];
    specials.forEach((v, i) => {
      if (i >= count) return;
      if (dtype === 'float16') view.setUint16(i * 2, specials16[i], true);
      else if (dtype === 'float32') view.setFloat32(i * 4, v, true);
      else view.setFloat64(i * 8, v, true);
    });
    // -NaN as bits (whatever the engine's -NaN is) and a NaN with a payload.
    if (dtype === 'float32') view.setUint32(4, 0xffc00000, true);
    if (dtype === 'float64') view.setUint32(8 + 4, 0xfff80000, true);
    if (dtype === 'float32' && count > 20) view.setUint32(20 * 4, 0xffa00001, true);
    if (dtype === 'float64' && count > 20) view.setUint32(20 * 8 + 4, 0x7ff80123, true);
    return bytes;
  }
  const signed = dtype.startsWith('int');
  const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
  const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
  const specials = [0n, -1n, 1n, 2n, BigInt(bits - 1), BigInt(bits), 100n, min, max, min + 1n, max - 1n, 7n, 8n, 31n, 32n, 33n, 63n, 64n];
  const roundings = [5n, 15n, 25n, -25n, 35n, -45n, 150n, 250n, -250n, 1500000000n, 2500000000n, -2500000000n];
  [...specials, ...roundings].forEach((v, i) => {
    if (i >= count) return;
    const wrapped = BigInt.asUintN(bits, v);
    if (size === 8) view.setBigUint64(i * 8, wrapped, true);
    else if (size === 4) view.setUint32(i * 4, Number(wrapped), true);
    else if (size === 2) view.setUint16(i * 2, Number(wrapped), true);
    else view.setUint8(i, Number(wrapped));
  });
  return bytes;
}

function operand(np: Context, dtype: DType, shape: number[], seed: number): NDArray {
  const count = shape.reduce((p, n) => p * n, 1);
  return np
    .array(itemBytes(dtype, count, seed), { dtype: 'uint8' })
    .view(dtype)
    .reshape(...shape);
}

type Value = number | bigint | boolean;

/** An operand broadcast to the result's shape, element by element: its values and the sign bits of its raw items. */
interface Items {
  readonly dtype: string;
  readonly values: Value[];
  readonly signs: boolean[];
}

const UNSIGNED_OF: Record<number, DType> = { 1: 'uint8', 2: 'uint16', 4: 'uint32', 8: 'uint64' };

async function itemsOf(np: Context, x: NDArray | number, shape: readonly number[]): Promise<Items> {
  if (typeof x === 'number') {
    const count = shape.reduce((p, n) => p * n, 1);
    return { dtype: 'scalar', values: new Array<Value>(count).fill(x), signs: new Array<boolean>(count).fill(x < 0 || Object.is(x, -0)) };
  }
  const flat = np.broadcastTo(x, [...shape]).flatten();
  const values = (await flat.toArray()) as Value[];
  let signs: boolean[];
  if (isFloat(x.dtype)) {
    const size = dtypeInfo(x.dtype).itemsize;
    const raw = await flat.view(UNSIGNED_OF[size]).data();
    signs = Array.from(raw as ArrayLike<number | bigint>, (bits) => BigInt(bits) >> BigInt(8 * size - 1) === 1n);
    // The CPU reads a float16 NaN as the engine's NaN, whose sign bit is clear (NumPy keeps it).
    if (x.dtype === 'float16') signs = signs.map((sign, i) => sign && !Number.isNaN(values[i]));
  } else signs = values.map((v) => (typeof v === 'boolean' ? false : v < 0));
  flat.dispose();
  return { dtype: x.dtype, values, signs };
}

/** C's truth of a value: NaN is true. */
const truth = (v: Value) => (typeof v === 'number' ? v !== 0 : Boolean(v));
const big = (v: Value) => (typeof v === 'boolean' ? (v ? 1n : 0n) : typeof v === 'bigint' ? v : BigInt(v));
const wrap = (dtype: string, v: bigint) => (dtype.startsWith('u') ? BigInt.asUintN(bitsOf(dtype), v) : BigInt.asIntN(bitsOf(dtype), v));

/** What each result element must be, given the operands' items at that element and the result's dtype. */
type Definition = (dtype: string, x: Items[], i: number) => Value;

const DEFINITIONS: Record<string, Definition> = {
  sign: (dtype, [a], i) => {
    const v = a.values[i];
    if (!isFloat(dtype)) return big(v) > 0n ? 1n : big(v) < 0n ? -1n : 0n;
    const x = Number(v);
    return Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0;
  },
  signbit: (_dtype, [a], i) => a.signs[i],
  left_shift: (dtype, [a, b], i) => {
    const count = big(b.values[i]);
    return count < 0n || count >= BigInt(bitsOf(dtype)) ? 0n : wrap(dtype, big(a.values[i]) << count);
  },
  right_shift: (dtype, [a, b], i) => {
    const count = big(b.values[i]);
    const x = big(a.values[i]);
    return count < 0n || count >= BigInt(bitsOf(dtype)) ? (x < 0n ? -1n : 0n) : x >> count;
  },
  copysign: (_dtype, [a, b], i) => {
    const magnitude = Math.abs(Number(a.values[i]));
    return b.signs[i] ? -magnitude : magnitude;
  },
  power: (dtype, [a, b], i) => {
    if (isFloat(dtype)) {
      const [x, y] = [Number(a.values[i]), Number(b.values[i])];
      const p = y === 0 || x === 1 ? 1 : Math.pow(x, y);
      return dtype === 'float32' ? Math.fround(p) : p;
    }
    const [x, e] = [big(a.values[i]), big(b.values[i])];
    if (e < 0n) return x === 1n ? 1n : x === -1n ? (e % 2n === 0n ? 1n : -1n) : 0n;
    let [result, base] = [1n, wrap(dtype, x)];
    for (let n = e; n > 0n; n >>= 1n) {
      if (n & 1n) result = wrap(dtype, result * base);
      base = wrap(dtype, base * base);
    }
    return result;
  },
  logical_and: (_dtype, [a, b], i) => truth(a.values[i]) && truth(b.values[i]),
  // round(a, -k) of integers: half to even at multiples of 10^k, wrapped to the dtype.
  round: (dtype, [a, k], i) => {
    const p = 10n ** big(k.values[i]);
    const x = big(a.values[i]);
    const q = x / p;
    const r = x - q * p;
    const twice = 2n * (r < 0n ? -r : r);
    const away = twice > p || (twice === p && q % 2n !== 0n);
    return wrap(dtype, (away ? q + (r < 0n ? -1n : 1n) : q) * p);
  },
};

function same(actual: Value, expected: Value, dtype: string): boolean {
  if (dtype === 'bool') return actual === expected;
  if (isFloat(dtype))
    return Object.is(Number(actual), Number(expected)) || (Number.isNaN(Number(actual)) && Number.isNaN(Number(expected)));
  return big(actual) === big(expected);
}

async function bytesOf(a: NDArray): Promise<Uint8Array> {
  const data = await a.data();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

type Operands = (NDArray | number)[];
/** Each layout picks the operands from the uploaded arrays: a (9, 13), b (9, 13), c (13, 9), long (1100,), longB (1100,): runs across a stage of 1024. */
type Layout = (a: NDArray, b: NDArray, c: NDArray, long: NDArray, longB: NDArray) => Operands;

const UNARY_LAYOUTS: [string, Layout][] = [
  ['contiguous', (a) => [a]],
  ['strided', (a) => [a.get('::2, ::-3')]],
  ['transposed', (_a, _b, c) => [c.T]],
  ['long', (_a, _b, _c, long) => [long]],
];

const BINARY_LAYOUTS: [string, Layout][] = [
  ['contiguous', (a, b) => [a, b]],
  ['broadcast column', (a, b) => [a, b.get(':, 2:3')]],
  ['broadcast row', (a, b) => [a.get('1:2'), b]],
  ['strided', (a, b) => [a.get('::2, ::3'), b.get('::-2, ::-3')]],
  ['transposed', (a, _b, c) => [a, c.T]],
  ['long', (_a, _b, _c, long, longB) => [long, longB]],
  ['long reversed', (_a, _b, _c, long, longB) => [long.get('::-1'), longB]],
];

type Op = (np: Context, operands: Operands) => NDArray;

/** Runs `op` on both CPU contexts over every layout (and `scalars` on either side), checks each result against
 * `definition` and the two contexts' bytes against each other. */
async function check(
  name: string,
  op: Op,
  dtypes: readonly [DType, DType?][],
  layouts: [string, Layout][],
  scalars: readonly number[] = [],
): Promise<void> {
  const definition = DEFINITIONS[name];
  for (const [dtypeA, dtypeB = dtypeA] of dtypes) {
    const cases: [string, Layout][] = [...layouts];
    for (const s of scalars) {
      cases.push([`scalar ${s} right`, (a) => [a, s]]);
      if (name !== 'round') cases.push([`scalar ${s} left`, (a) => [s, a]]);
    }
    for (const [layoutName, layout] of cases) {
      const label = `${name} ${dtypeA} ${dtypeB} ${layoutName}`;
      const results = await Promise.all(
        [cpu.wasm, cpu.js].map(async (np) => {
          const arrays = [
            operand(np, dtypeA, [9, 13], 1),
            operand(np, dtypeB, [9, 13], 2),
            operand(np, dtypeB, [13, 9], 3),
            operand(np, dtypeA, [1100], 4),
            operand(np, dtypeB, [1100], 5),
          ] as const;
          const operands = layout(...arrays);
          const out = op(np, operands);
          const items = await Promise.all(operands.map((x) => itemsOf(np, x, out.shape)));
          const values = (await out.flatten().toArray()) as Value[];
          const bytes = await bytesOf(out);
          const dtype = out.dtype;
          out.dispose();
          arrays.forEach((x) => x.dispose());
          return { items, values, bytes, dtype };
        }),
      );
      const [wasm, js] = results;
      expect(js.dtype, label).toBe(wasm.dtype);
      expect(js.bytes, `${label}: the JavaScript loops against the WebAssembly context`).toEqual(wasm.bytes);
      const wrong: string[] = [];
      wasm.values.forEach((actual, i) => {
        const expected = definition(wasm.dtype, wasm.items, i);
        if (!same(actual, expected, wasm.dtype) && wrong.length < 5)
          wrong.push(`[${i}] ${wasm.items.map((x) => String(x.values[i])).join(', ')} -> ${String(actual)}, expected ${String(expected)}`);
      });
      expect(wrong, `${label} (${wasm.dtype})`).toEqual([]);
    }
  }
}

const pairs = (dtypes: readonly DType[]): [DType][] => dtypes.map((d) => [d]);

describe('CPU run forms against an element-by-element definition, on both CPU paths', () => {
  it('sign', async () => {
    const numbers = EVERY.filter((d) => d !== 'bool');
    await check('sign', (np, [a]) => np.sign(a as NDArray), pairs(numbers), UNARY_LAYOUTS);
  });

  it('signbit', async () => {
    await check('signbit', (np, [a]) => np.signbit(a as NDArray), pairs([...FLOATS, 'int8', 'int16', 'int32', 'uint32']), UNARY_LAYOUTS);
  });

  it('left_shift and right_shift, counts outside [0, bits) included', async () => {
    const dtypes: [DType, DType?][] = [...pairs(INTEGERS), ['int8', 'uint8'], ['bool']];
    for (const [name, op] of [
      ['left_shift', (np: Context, [a, b]: Operands) => np.leftShift(a, b)],
      ['right_shift', (np: Context, [a, b]: Operands) => np.rightShift(a, b)],
    ] as const) {
      await check(name, op, dtypes, BINARY_LAYOUTS, [0, 1, 7, 8, 100]);
      await check(name, op, pairs(['int8', 'int16', 'int32', 'int64']), [], [-1, 15, 16, 31, 32, 63, 64]);
    }
  });

  it('copysign, the sign bits of -0 and NaN included', async () => {
    const dtypes: [DType, DType?][] = [...pairs(FLOATS), ['float32', 'float16'], ['int16'], ['uint8', 'float32']];
    await check('copysign', (np, [a, b]) => np.copysign(a, b), dtypes, BINARY_LAYOUTS, [-1, 0, -0, 2.5, NaN, -Infinity]);
  });

  it('power', async () => {
    const dtypes: [DType, DType?][] = [...pairs(INTEGERS), ['int8', 'uint8'], ['float32'], ['float64']];
    await check('power', (np, [a, b]) => np.power(a, b), dtypes, BINARY_LAYOUTS, [0, 1, 2, 3, 7, 100]);
  });

  it('logical_and of every dtype (each converted to bool)', async () => {
    const dtypes: [DType, DType?][] = [...pairs(EVERY), ['int32', 'float32'], ['float16', 'uint8']];
    await check('logical_and', (np, [a, b]) => np.logicalAnd(a, b), dtypes, BINARY_LAYOUTS, [0, 1, NaN]);
  });

  it('round of integers to negative decimals', async () => {
    for (const decimals of [-1, -2, -9])
      await check(
        'round',
        (np, [a]) => np.round(a as NDArray, decimals),
        pairs(INTEGERS),
        UNARY_LAYOUTS.map(([n, l]) => [n, (...x) => [...l(...x), -decimals]]),
      );
  });
});

describe('CPU staged loops: results converted into an out of another dtype, as a cast of the result', () => {
  type OutOp = (np: Context, a: NDArray, b: NDArray, options?: { out: NDArray }) => NDArray;
  const CASES: [string, OutOp, DType, DType[]][] = [
    ['power', (np, a, b, o) => np.power(a, b, o), 'int32', ['int8', 'int16', 'float32']],
    ['power', (np, a, b, o) => np.power(a, b, o), 'float64', ['float32', 'float16']],
    ['sign', (np, a, _b, o) => np.sign(a, o), 'float64', ['float16', 'float32']],
    ['copysign', (np, a, b, o) => np.copysign(a, b, o), 'float64', ['float16']],
    ['left_shift', (np, a, b, o) => np.leftShift(a, b, o), 'uint16', ['uint8', 'int32', 'float32']],
    ['logical_and', (np, a, b, o) => np.logicalAnd(a, b, o), 'float16', ['float16', 'int32', 'uint8', 'float64']],
  ];
  for (const [name, op, dtype, outs] of CASES) {
    it(`${name} of ${dtype} into ${outs.join(', ')}`, async () => {
      for (const outDType of outs) {
        const results = await Promise.all(
          [cpu.wasm, cpu.js].map(async (np) => {
            const [a, b] = [operand(np, dtype, [2500], 6), operand(np, dtype, [2500], 7)];
            const cast = np.tidy(() => op(np, a, b).astype(outDType));
            const out = np.zeros([2500], { dtype: outDType });
            op(np, a, b, { out });
            const [direct, viaCast] = await Promise.all([bytesOf(out), bytesOf(cast)]);
            [a, b, out, cast].forEach((x) => x.dispose());
            return { direct, viaCast };
          }),
        );
        const label = `${name} ${dtype} into ${outDType}`;
        expect(results[0].direct, label).toEqual(results[0].viaCast);
        expect(results[1].direct, `${label}: the JavaScript loops`).toEqual(results[0].direct);
      }
    });
  }
});
