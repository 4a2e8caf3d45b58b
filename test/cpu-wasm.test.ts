/**
 * The CPU backend's WebAssembly kernels against its JavaScript loops, bit for bit: the same operations on
 * the same data (special values included: NaN with payloads, ±0, ±∞, subnormals, the integers' extremes)
 * over the layouts that pick each kernel path — contiguous rows, scalars and broadcast columns, strided
 * and transposed views, outer axes — run in a context on WebAssembly and one forced to the JavaScript
 * loops, and their bytes compared.
 */

import { describe, expect, it } from 'vitest';
import type { Context, NDArray } from '../src/index.js';
import type { DType } from '../src/ndarray/core/dtype.js';
import { cpuKernelPair } from './backends.js';
import { mulberry32 } from './random.js';

const cpu = cpuKernelPair();

const ITEMSIZE: Record<string, number> = { float32: 4, float64: 8, int32: 4, uint32: 4, int16: 2, uint16: 2, int8: 1, uint8: 1 };

/** `count` items of `dtype` as bytes: special values first, then random bits. */
function itemBytes(dtype: DType, count: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const bytes = new Uint8Array(count * ITEMSIZE[dtype]);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  const specials: number[] =
    dtype === 'float32' || dtype === 'float64'
      ? [NaN, -NaN, 0, -0, Infinity, -Infinity, 1e-40, -1e-310, 3.5, -2.25, 1e30, 65504]
      : dtype.startsWith('u')
        ? [0, 1, 2 ** (8 * ITEMSIZE[dtype]) - 1, 2 ** (8 * ITEMSIZE[dtype] - 1)]
        : [0, -1, 1, -(2 ** (8 * ITEMSIZE[dtype] - 1)), 2 ** (8 * ITEMSIZE[dtype] - 1) - 1];
  const view = new DataView(bytes.buffer);
  specials.forEach((v, i) => {
    if (i >= count) return;
    const at = i * ITEMSIZE[dtype];
    if (dtype === 'float32') view.setFloat32(at, v, true);
    else if (dtype === 'float64') view.setFloat64(at, v, true);
    else if (ITEMSIZE[dtype] === 4) view.setUint32(at, v >>> 0, true);
    else if (ITEMSIZE[dtype] === 2) view.setUint16(at, v & 0xffff, true);
    else view.setUint8(at, v & 0xff);
  });
  if (dtype === 'float32' && count > 20) view.setUint32(20 * 4, 0x7fa00001, true); // a NaN with a payload (signalling)
  if (dtype === 'float64' && count > 20) view.setUint32(20 * 8 + 4, 0xfff80123, true);
  return bytes;
}

const TYPED: Record<string, new (b: ArrayBuffer) => ArrayBufferView> = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
};

function upload(np: Context, dtype: DType, shape: number[], seed: number): NDArray {
  const count = shape.reduce((p, n) => p * n, 1);
  if (dtype === 'bool')
    return np
      .array(castSource('bool', count, seed), { dtype: 'uint8' })
      .view('bool')
      .reshape(...shape);
  const bytes = itemBytes(dtype, count, seed);
  return np.array(new TYPED[dtype](bytes.buffer as ArrayBuffer) as Float32Array, { shape });
}

async function bytesOf(a: NDArray): Promise<Uint8Array> {
  const view = await a.data();
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

/** Each case builds its operands from the uploaded arrays (x: (37, 41), y: (41, 37), z: (3, 5, 7, 9)). */
type Build = (np: Context, x: NDArray, y: NDArray, z: NDArray) => NDArray;

const BINARY_LAYOUTS: [string, (op: (a: NDArray | number, b: NDArray | number) => NDArray) => Build][] = [
  ['contiguous', (op) => (_np, x) => op(x, x.get('::-1'))],
  ['scalar right', (op) => (_np, x) => op(x, 3)],
  ['scalar left', (op) => (_np, x) => op(2, x)],
  ['broadcast column', (op) => (_np, x) => op(x, x.get(':, 5:6'))],
  ['strided', (op) => (_np, x) => op(x.get('::2, ::3'), x.get('::-2, 1::3'))],
  ['transposed', (op) => (_np, x, y) => op(x, y.T)],
  ['both transposed', (op) => (_np, x, y) => op(y.T, y.get('::-1').T)],
  ['outer axes', (op) => (_np, _x, _y, z) => op(z.transpose(2, 0, 3, 1), z.get('::-1').transpose(2, 0, 3, 1))],
];

const UNARY_LAYOUTS: [string, (op: (a: NDArray) => NDArray) => Build][] = [
  ['contiguous', (op) => (_np, x) => op(x)],
  ['strided', (op) => (_np, x) => op(x.get('::2, ::-3'))],
  ['transposed', (op) => (_np, _x, y) => op(y.T)],
  ['outer axes', (op) => (_np, _x, _y, z) => op(z.transpose(1, 3, 0, 2))],
];

const NUMBER_DTYPES: DType[] = ['float32', 'float64', 'int32', 'uint32', 'int16', 'uint16', 'int8', 'uint8'];

type BinaryName = 'add' | 'subtract' | 'multiply' | 'divide' | 'maximum' | 'minimum';
type UnaryName = 'negative' | 'abs' | 'sqrt';

type Operands = (np: Context, dtype: DType, shape: number[], seed: number) => NDArray;

/** `build` on both contexts, over three operands of `dtype` that `operand` makes; the bytes must agree. */
async function compare(label: string, dtype: DType, build: Build, operand: Operands = upload): Promise<void> {
  const results = await Promise.all(
    [cpu.wasm, cpu.js].map(async (np) => {
      const out = np.tidy(() =>
        build(np, operand(np, dtype, [37, 41], 1), operand(np, dtype, [41, 37], 2), operand(np, dtype, [3, 5, 7, 9], 3)),
      );
      const bytes = await bytesOf(out);
      const info = `${out.dtype} ${JSON.stringify(out.shape)}`;
      out.dispose();
      return { bytes, info };
    }),
  );
  expect(results[0].info, label).toBe(results[1].info);
  const at = firstDifference(results[0].bytes, results[1].bytes);
  const near = (bytes: Uint8Array) => Array.from(bytes.subarray(at - (at % 8), at - (at % 8) + 8));
  expect(at, `${label} ${dtype}: ${JSON.stringify(near(results[0].bytes))} vs ${JSON.stringify(near(results[1].bytes))}`).toBe(-1);
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('elementwise operations: WebAssembly lanes give the JavaScript loops bytes', () => {
  for (const name of ['add', 'subtract', 'multiply', 'divide', 'maximum', 'minimum'] as BinaryName[]) {
    it(name, async () => {
      for (const dtype of NUMBER_DTYPES) {
        for (const [layoutName, layout] of BINARY_LAYOUTS) {
          await compare(`${name} ${layoutName}`, dtype, (np, x, y, z) => layout((a, b) => np[name](a, b))(np, x, y, z));
        }
      }
    });
  }
  // clip runs as two passes (maximum, then minimum into the destination): bounds as scalars, arrays of
  // every layout, and outputs that are one of the operands (the upper bound's too, which the second pass
  // would read after the first wrote it).
  it('clip', async () => {
    const CLIPS: [string, Build][] = [
      ['scalar bounds', (np, x) => np.clip(x, 3, 100)],
      ['array bounds', (np, x, y) => np.clip(x, x.get('::-1'), y.T)],
      ['scalar and array', (np, x, y) => np.clip(y.T, 2, x)],
      ['strided, broadcast', (np, x) => np.clip(x.get('::2, ::3'), x.get('::2, 5:6'), x.get('::-2, 1::3'))],
      ['outer axes', (np, _x, _y, z) => np.clip(z.transpose(2, 0, 3, 1), 1, z.get('::-1').transpose(2, 0, 3, 1))],
      ['out is the array', (np, x, y) => np.clip(x, y.T, 50, { out: x })],
      ['out is the lower bound', (np, x, y) => np.clip(y.T, x, 120, { out: x })],
      ['out is the upper bound', (np, x) => np.clip(x.get('::-1'), 4, x, { out: x })],
      ['out overlaps the upper bound', (np, x) => np.clip(x.get(':, :20'), 4, x.get(':, 1:21'), { out: x.get(':, :20') })],
    ];
    for (const dtype of NUMBER_DTYPES) for (const [label, build] of CLIPS) await compare(`clip ${label}`, dtype, build);
  });
  // where: bool conditions of every layout (and a scalar one) choosing between operands of every layout,
  // bit for bit (NaNs with payloads among the items).
  it('where', async () => {
    const mask = (np: Context, shape: number[], seed: number) => upload(np, 'bool', shape, seed);
    const WHERES: [string, Build][] = [
      ['contiguous', (np, x) => np.where(mask(np, [37, 41], 9), x, x.get('::-1'))],
      ['scalar operands', (np, x) => np.where(mask(np, [37, 41], 10), x, 7)],
      ['scalar first', (np, x) => np.where(mask(np, [37, 41], 11), 3, x)],
      ['both scalars', (np) => np.where(mask(np, [37, 41], 12), 1, 2)],
      ['scalar condition', (np, x, y) => np.where(true, x, y.T)],
      ['transposed', (np, x, y) => np.where(mask(np, [41, 37], 13).T, y.T, x)],
      ['strided, broadcast', (np, x) => np.where(mask(np, [19, 1], 14), x.get('::2, ::3'), x.get('::-2, 1::3'))],
      ['outer axes', (np, _x, _y, z) => np.where(mask(np, [7, 3, 9, 5], 15), z.transpose(2, 0, 3, 1), z.get('::-1').transpose(2, 0, 3, 1))],
      ['out is an operand', (np, x, y) => np.where(mask(np, [37, 41], 16), y.T, x, { out: x })],
    ];
    for (const dtype of NUMBER_DTYPES) for (const [label, build] of WHERES) await compare(`where ${label}`, dtype, build);
  });
  for (const name of ['negative', 'abs', 'sqrt'] as UnaryName[]) {
    it(name, async () => {
      for (const dtype of NUMBER_DTYPES) {
        for (const [layoutName, layout] of UNARY_LAYOUTS)
          await compare(`${name} ${layoutName}`, dtype, (np, x, y, z) => layout((a) => np[name](a))(np, x, y, z));
      }
    });
  }
});

const CAST_DTYPES: DType[] = [
  'bool',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float16',
  'float32',
  'float64',
];
const SIZES: Record<string, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float16: 2,
  float32: 4,
  float64: 8,
};

/** Items of `dtype` as bytes: random bits, with the values casts treat specially at the start. */
function castSource(dtype: DType, count: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const size = SIZES[dtype];
  const bytes = new Uint8Array(count * size);
  for (let i = 0; i < bytes.length; i++) bytes[i] = dtype === 'bool' ? (random() < 0.5 ? 1 : 0) : Math.floor(random() * 256);
  const view = new DataView(bytes.buffer);
  const floats = [
    NaN,
    -0,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    127.9,
    128,
    -129,
    255.5,
    256,
    65504,
    65520,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 32,
    2 ** 63,
    -(2 ** 64),
    Infinity,
    -Infinity,
    6e-8,
    3e-8,
    1e-300,
  ];
  if (dtype === 'float64') floats.forEach((v, i) => view.setFloat64(i * 8, v, true));
  if (dtype === 'float32') floats.forEach((v, i) => view.setFloat32(i * 4, v, true));
  if (dtype === 'float16')
    [0x7c00, 0xfc00, 0x7e01, 0xfd23, 0x8000, 0x0001, 0x83ff, 0x7bff, 0x3c00, 0xbc00].forEach((v, i) => view.setUint16(i * 2, v, true));
  if (dtype === 'float64') view.setUint32(30 * 8 + 4, 0x7ff00123, true); // a signalling NaN with a payload
  if (dtype === 'int64' || dtype === 'uint64') {
    [0n, -1n, 1n << 63n, (1n << 63n) - 1n, (1n << 53n) + 1n, (1n << 24n) + 1n, 65520n, 65519n].forEach((v, i) =>
      view.setBigUint64(i * 8, BigInt.asUintN(64, v), true),
    );
  }
  return bytes;
}

describe('casts: the WebAssembly kernels give the JavaScript loops bytes for every pair of dtypes', () => {
  for (const from of CAST_DTYPES) {
    it(`from ${from}`, async () => {
      const run = async (np: Context) => {
        const source = np
          .array(castSource(from, 40 * 30, 7), { dtype: 'uint8' })
          .view(from)
          .reshape(40, 30);
        const outputs = np.tidy(() =>
          CAST_DTYPES.filter((to) => to !== from).flatMap((to) => [
            source.astype(to),
            source.get('::-3, 1::2').astype(to),
            source.T.astype(to),
            source.reshape(4, 10, 30).transpose(2, 0, 1).get(':, ::-1').astype(to),
          ]),
        );
        const bytes = await Promise.all(outputs.map(bytesOf));
        outputs.forEach((o) => o.dispose());
        source.dispose();
        return bytes;
      };
      const [a, b] = await Promise.all([run(cpu.wasm), run(cpu.js)]);
      const targets = CAST_DTYPES.filter((to) => to !== from);
      a.forEach((bytes, k) => {
        const at = firstDifference(bytes, b[k]);
        expect(at, `${from} → ${targets[Math.floor(k / 4)]} (layout ${k % 4}) at byte ${at}`).toBe(-1);
      });
    });
  }
});

type FoldName = 'min' | 'max' | 'argmin' | 'argmax' | 'any' | 'all' | 'sum' | 'prod';
const FOLDS: FoldName[] = ['min', 'max', 'argmin', 'argmax', 'any', 'all', 'sum', 'prod'];

/** Items for folds: small values with ties and both zeros (floats), a NaN in some rows when `nan`. */
function foldSource(dtype: DType, count: number, seed: number, nan: boolean): Uint8Array {
  const random = mulberry32(seed);
  const size = SIZES[dtype];
  const bytes = new Uint8Array(count * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) {
    const choice = random();
    if (dtype === 'float32' || dtype === 'float64') {
      const v = choice < 0.15 ? 0 : choice < 0.3 ? -0 : choice < 0.32 && nan ? NaN : Math.round((random() - 0.5) * 20) / 4;
      if (dtype === 'float32') view.setFloat32(i * 4, v, true);
      else view.setFloat64(i * 8, v, true);
    } else if (dtype === 'bool') view.setUint8(i, choice < 0.9 ? 1 : 0);
    else for (let b = 0; b < size; b++) view.setUint8(i * size + b, choice < 0.05 ? 0 : Math.floor(random() * 256));
  }
  return bytes;
}

describe('reductions: the WebAssembly folds give the JavaScript loops bytes', () => {
  for (const dtype of ['float32', 'float64', 'int32', 'uint32', 'int16', 'uint16', 'int8', 'uint8', 'bool'] as DType[]) {
    it(dtype, async () => {
      const run = async (np: Context) => {
        const results: NDArray[] = [];
        for (const nan of [false, true]) {
          const source = np
            .array(foldSource(dtype, 6 * 7 * 40, 11, nan), { dtype: 'uint8' })
            .view(dtype)
            .reshape(6, 7, 40);
          for (const op of FOLDS) {
            if ((op === 'sum' || op === 'prod') && dtype.startsWith('float')) continue;
            const fold = (a: NDArray, axis?: number | number[]) => (axis === undefined ? a[op]() : a[op](axis as number));
            results.push(
              ...np.tidy(() => [
                fold(source),
                fold(source, 2),
                fold(source, 0),
                fold(source.get(':, ::-2, 3::3'), 2),
                fold(source.transpose(2, 0, 1), 1),
                ...(op.startsWith('arg') ? [] : [fold(source, [0, 2])]),
              ]),
            );
          }
          source.dispose();
        }
        const bytes = await Promise.all(results.map(bytesOf));
        results.forEach((r) => r.dispose());
        return bytes;
      };
      const [a, b] = await Promise.all([run(cpu.wasm), run(cpu.js)]);
      a.forEach((bytes, k) => expect(firstDifference(bytes, b[k]), `${dtype} result ${k}`).toBe(-1));
    });
  }
});

describe('comparisons: the WebAssembly lanes give the JavaScript loops bytes', () => {
  for (const name of ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const) {
    it(name, async () => {
      for (const dtype of [...NUMBER_DTYPES, 'bool'] as DType[]) {
        for (const [layoutName, layout] of BINARY_LAYOUTS) {
          await compare(`${name} ${layoutName}`, dtype, (np, x, y, z) => layout((a, b) => np[name](a, b))(np, x, y, z));
        }
      }
    });
  }
});

// ----- exact lanes: classifications, rounding, square, bitwise and logical operations -----

/** Items of every dtype these operations take, as `upload` makes them (64-bit integers from castSource). A
 * float64 signalling NaN is quieted first: what the JavaScript loops store for one depends on V8's tier
 * (its builtin Math.floor returns the NaN as it is, optimized code quiets it; the lanes quiet it, as
 * NumPy does, and a test below pins that). */
function exactOperand(np: Context, dtype: DType, shape: number[], seed: number): NDArray {
  const count = shape.reduce((p, n) => p * n, 1);
  const bytes = dtype in ITEMSIZE ? itemBytes(dtype, count, seed) : castSource(dtype, count, seed);
  if (dtype === 'float64') {
    const words = new Uint32Array(bytes.buffer);
    for (let i = 1; i < words.length; i += 2)
      if ((words[i] & 0x7ff80000) === 0x7ff00000 && (words[i] & 0xfffff) + words[i - 1] !== 0) words[i] |= 0x80000;
  }
  return np
    .array(bytes, { dtype: 'uint8' })
    .view(dtype)
    .reshape(...shape);
}

const compareExact = (label: string, dtype: DType, build: Build): Promise<void> => compare(label, dtype, build, exactOperand);

const INTEGER_DTYPES: DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];

describe('exact operations: the WebAssembly lanes give the JavaScript loops bytes', () => {
  type Unary = (np: Context, a: NDArray, options?: { out: NDArray }) => NDArray;
  type Binary = (np: Context, a: NDArray | number | boolean, b: NDArray | number | boolean, options?: { out: NDArray }) => NDArray;
  const UNARY: [string, Unary, DType[]][] = [
    ['isnan', (np, a) => np.isnan(a), ['float32', 'float64', 'int32']],
    ['isinf', (np, a) => np.isinf(a), ['float32', 'float64', 'int32']],
    ['isfinite', (np, a) => np.isfinite(a), ['float32', 'float64', 'int32']],
    ['signbit', (np, a) => np.signbit(a), ['float32', 'float64', 'int16']],
    ['floor', (np, a, o) => np.floor(a, o), ['float32', 'float64', 'int32']],
    ['ceil', (np, a, o) => np.ceil(a, o), ['float32', 'float64', 'uint8']],
    ['trunc', (np, a, o) => np.trunc(a, o), ['float32', 'float64']],
    ['rint', (np, a, o) => np.rint(a, o), ['float32', 'float64', 'int16']],
    ['square', (np, a, o) => np.square(a, o), [...NUMBER_DTYPES, 'int64']],
    ['invert', (np, a, o) => np.invert(a, o), [...INTEGER_DTYPES, 'bool']],
    ['logical_not', (np, a, o) => np.logicalNot(a, o), ['bool', 'int32', 'float64']],
  ];
  const BINARY: [string, Binary, DType[]][] = [
    ['bitwise_and', (np, a, b, o) => np.bitwiseAnd(a, b, o), [...INTEGER_DTYPES, 'bool']],
    ['bitwise_or', (np, a, b, o) => np.bitwiseOr(a, b, o), [...INTEGER_DTYPES, 'bool']],
    ['bitwise_xor', (np, a, b, o) => np.bitwiseXor(a, b, o), [...INTEGER_DTYPES, 'bool']],
    ['logical_and', (np, a, b, o) => np.logicalAnd(a, b, o), ['bool', 'int8', 'float32']],
    ['logical_or', (np, a, b, o) => np.logicalOr(a, b, o), ['bool', 'uint16']],
    ['logical_xor', (np, a, b, o) => np.logicalXor(a, b, o), ['bool', 'float64']],
  ];
  for (const [name, op, dtypes] of UNARY) {
    it(name, async () => {
      for (const dtype of dtypes) {
        for (const [layoutName, layout] of UNARY_LAYOUTS)
          await compareExact(`${name} ${layoutName}`, dtype, (np, x, y, z) => layout((a) => op(np, a))(np, x, y, z));
        // The result written over its operand (where the dtypes match) and into a reversed view of it.
        // Bools viewed from bytes other than 0 and 1: logical operations take any nonzero byte as true.
        if (dtype === 'bool')
          await compareExact(`${name} any bytes`, 'uint8', (np, x, y) => np.stack([op(np, x.view('bool')), op(np, y.view('bool').T)]));
        await compareExact(`${name} out`, dtype, (np, x) => {
          const result = op(np, x);
          if (result.dtype !== x.dtype) return op(np, x, { out: np.zeros([37, 41], { dtype: result.dtype }).get('::-1') });
          op(np, x, { out: x });
          return x;
        });
        await compareExact(`${name} out reversed`, dtype, (np, x) => {
          if (op(np, x).dtype !== x.dtype) return x;
          op(np, x, { out: x.get('::-1, ::-1') });
          return x;
        });
      }
    });
  }
  for (const [name, op, dtypes] of BINARY) {
    it(name, async () => {
      for (const dtype of dtypes) {
        for (const [layoutName, layout] of BINARY_LAYOUTS)
          await compareExact(`${name} ${layoutName}`, dtype, (np, x, y, z) => layout((a, b) => op(np, a, b))(np, x, y, z));
        if (dtype === 'bool')
          await compareExact(`${name} any bytes`, 'uint8', (np, x, y) => {
            const [a, b] = [x.view('bool'), y.view('bool').T];
            return np.stack([op(np, a, b), op(np, a, true), op(np, a, x.get('::-1').view('bool')), op(np, b, a.get(':, 3:4'))]);
          });
        await compareExact(`${name} out is an operand`, dtype, (np, x, y) => {
          if (op(np, x, y.T).dtype !== x.dtype) return x;
          op(np, x, y.T, { out: x });
          return x;
        });
        await compareExact(`${name} out overlaps an operand`, dtype, (np, x) => {
          if (op(np, x, x).dtype !== x.dtype) return x;
          op(np, x.get(':, :20'), x.get(':, 1:21'), { out: x.get(':, 1:21') });
          return x;
        });
      }
    });
  }
  // A float64 signalling NaN comes out quiet, payload kept, as NumPy's floor gives it.
  it('rounding quiets a float64 signalling NaN', async () => {
    const bits = new Uint32Array([0x00000001, 0x7ff00123, 0, 0xfff40000]);
    const x = cpu.wasm.array(new Uint8Array(bits.buffer), { dtype: 'uint8' }).view('float64');
    for (const op of ['floor', 'ceil', 'trunc', 'rint'] as const) {
      const out = await bytesOf(cpu.wasm[op](x));
      expect(Array.from(new Uint32Array(out.buffer)), op).toEqual([0x00000001, 0x7ff80123, 0, 0xfffc0000]);
    }
    x.dispose();
  });
});
