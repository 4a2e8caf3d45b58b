/**
 * Types by dtype (src/ndarray/core/dtype-types.ts): the type tables pinned as values, and those values checked
 * against the runtime for every dtype on every backend, so that the types can only say what ndgpu does.
 * `expectTypeOf` and the typed tables are checked by `tsc` (`npm run lint` compiles test/), the rest by vitest.
 */

import { expect, expectTypeOf, it } from 'vitest';
import {
  DTYPES,
  type Context,
  type DType,
  type ElementOf,
  type Float16Data,
  type NDArray,
  type NestedOf,
  type OperationRules,
  type ResultDType,
  type ResultRule,
  type RuleDType,
  type TypedArrayOf,
} from '../src/index.js';
import { forEachBackend, type BackendName } from './backends.js';

expectTypeOf<(typeof DTYPES)[number]>().toEqualTypeOf<DType>();

// ------------------------------------------------------------------------------------------------
// The tables as values (null where the type is never: the call is a TypeError). Each property's type is one
// literal, so these annotations pin every entry: a table entry that changes fails to compile here.

type Row<R extends ResultRule> = { [K in DType]: [RuleDType<R, K>] extends [never] ? null : RuleDType<R, K> };

const RESULT_DTYPES: { [R in ResultRule]: Row<R> } = {
  // prettier-ignore
  same: { bool: 'bool', int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32', float16: 'float16', float32: 'float32', float64: 'float64', int64: 'int64', uint64: 'uint64' },
  // prettier-ignore
  bool: { bool: 'bool', int8: 'bool', uint8: 'bool', int16: 'bool', uint16: 'bool', int32: 'bool', uint32: 'bool', float16: 'bool', float32: 'bool', float64: 'bool', int64: 'bool', uint64: 'bool' },
  // prettier-ignore
  index: { bool: 'int32', int8: 'int32', uint8: 'int32', int16: 'int32', uint16: 'int32', int32: 'int32', uint32: 'int32', float16: 'int32', float32: 'int32', float64: 'int32', int64: 'int32', uint64: 'int32' },
  // prettier-ignore
  numeric: { bool: null, int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32', float16: 'float16', float32: 'float32', float64: 'float64', int64: 'int64', uint64: 'uint64' },
  // prettier-ignore
  boolAsInt8: { bool: 'int8', int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32', float16: 'float16', float32: 'float32', float64: 'float64', int64: 'int64', uint64: 'uint64' },
  // prettier-ignore
  bitwise: { bool: 'bool', int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32', float16: null, float32: null, float64: null, int64: 'int64', uint64: 'uint64' },
  // prettier-ignore
  shift: { bool: 'int8', int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32', float16: null, float32: null, float64: null, int64: 'int64', uint64: 'uint64' },
  // prettier-ignore
  float: { bool: 'float16', int8: 'float16', uint8: 'float16', int16: 'float32', uint16: 'float32', int32: 'float32', uint32: 'float32', float16: 'float16', float32: 'float32', float64: 'float64', int64: 'float64', uint64: 'float64' },
  // prettier-ignore
  divide: { bool: 'float32', int8: 'float32', uint8: 'float32', int16: 'float32', uint16: 'float32', int32: 'float32', uint32: 'float32', float16: 'float16', float32: 'float32', float64: 'float64', int64: 'float64', uint64: 'float64' },
  // prettier-ignore
  sum: { bool: 'int32', int8: 'int32', uint8: 'uint32', int16: 'int32', uint16: 'uint32', int32: 'int32', uint32: 'uint32', float16: 'float16', float32: 'float32', float64: 'float64', int64: 'int64', uint64: 'uint64' },
  // prettier-ignore
  round: { bool: 'float16', int8: 'int8', uint8: 'uint8', int16: 'int16', uint16: 'uint16', int32: 'int32', uint32: 'uint32', float16: 'float16', float32: 'float32', float64: 'float64', int64: 'int64', uint64: 'uint64' },
};

const OPERATION_RULES: OperationRules = {
  add: 'same',
  multiply: 'same',
  maximum: 'same',
  minimum: 'same',
  fmax: 'same',
  fmin: 'same',
  floor: 'same',
  ceil: 'same',
  trunc: 'same',
  abs: 'same',
  where: 'same',
  clip: 'same',
  subtract: 'numeric',
  negative: 'numeric',
  sign: 'numeric',
  square: 'boolAsInt8',
  reciprocal: 'boolAsInt8',
  floorDivide: 'boolAsInt8',
  mod: 'boolAsInt8',
  fmod: 'boolAsInt8',
  power: 'boolAsInt8',
  divide: 'divide',
  equal: 'bool',
  notEqual: 'bool',
  less: 'bool',
  lessEqual: 'bool',
  greater: 'bool',
  greaterEqual: 'bool',
  logicalAnd: 'bool',
  logicalOr: 'bool',
  logicalXor: 'bool',
  logicalNot: 'bool',
  isnan: 'bool',
  isinf: 'bool',
  isfinite: 'bool',
  signbit: 'bool',
  bitwiseAnd: 'bitwise',
  bitwiseOr: 'bitwise',
  bitwiseXor: 'bitwise',
  invert: 'bitwise',
  leftShift: 'shift',
  rightShift: 'shift',
  sqrt: 'float',
  exp: 'float',
  exp2: 'float',
  expm1: 'float',
  log: 'float',
  log2: 'float',
  log10: 'float',
  log1p: 'float',
  sin: 'float',
  cos: 'float',
  tan: 'float',
  arcsin: 'float',
  arccos: 'float',
  arctan: 'float',
  sinh: 'float',
  cosh: 'float',
  tanh: 'float',
  arcsinh: 'float',
  arccosh: 'float',
  arctanh: 'float',
  arctan2: 'float',
  hypot: 'float',
  rint: 'float',
  copysign: 'float',
  sum: 'sum',
  prod: 'sum',
  cumsum: 'sum',
  cumprod: 'sum',
  mean: 'divide',
  var: 'divide',
  std: 'divide',
  min: 'same',
  max: 'same',
  ptp: 'numeric',
  argmin: 'index',
  argmax: 'index',
  countNonzero: 'index',
  any: 'bool',
  all: 'bool',
  round: 'round',
};

/** Each operation called on arrays of one dtype (as `np.<op>`, the form the type check below covers);
 * min, max and their positions along the last axis, which an empty array may reduce. */
const CALLS: { [Op in keyof OperationRules]: (np: Context, a: NDArray) => NDArray } = {
  add: (np, a) => np.add(a, a),
  multiply: (np, a) => np.multiply(a, a),
  maximum: (np, a) => np.maximum(a, a),
  minimum: (np, a) => np.minimum(a, a),
  fmax: (np, a) => np.fmax(a, a),
  fmin: (np, a) => np.fmin(a, a),
  floor: (np, a) => np.floor(a),
  ceil: (np, a) => np.ceil(a),
  trunc: (np, a) => np.trunc(a),
  abs: (np, a) => np.abs(a),
  where: (np, a) => np.where(true, a, a),
  clip: (np, a) => np.clip(a, a, a),
  subtract: (np, a) => np.subtract(a, a),
  negative: (np, a) => np.negative(a),
  sign: (np, a) => np.sign(a),
  square: (np, a) => np.square(a),
  reciprocal: (np, a) => np.reciprocal(a),
  floorDivide: (np, a) => np.floorDivide(a, a),
  mod: (np, a) => np.mod(a, a),
  fmod: (np, a) => np.fmod(a, a),
  power: (np, a) => np.power(a, a),
  divide: (np, a) => np.divide(a, a),
  equal: (np, a) => np.equal(a, a),
  notEqual: (np, a) => np.notEqual(a, a),
  less: (np, a) => np.less(a, a),
  lessEqual: (np, a) => np.lessEqual(a, a),
  greater: (np, a) => np.greater(a, a),
  greaterEqual: (np, a) => np.greaterEqual(a, a),
  logicalAnd: (np, a) => np.logicalAnd(a, a),
  logicalOr: (np, a) => np.logicalOr(a, a),
  logicalXor: (np, a) => np.logicalXor(a, a),
  logicalNot: (np, a) => np.logicalNot(a),
  isnan: (np, a) => np.isnan(a),
  isinf: (np, a) => np.isinf(a),
  isfinite: (np, a) => np.isfinite(a),
  signbit: (np, a) => np.signbit(a),
  bitwiseAnd: (np, a) => np.bitwiseAnd(a, a),
  bitwiseOr: (np, a) => np.bitwiseOr(a, a),
  bitwiseXor: (np, a) => np.bitwiseXor(a, a),
  invert: (np, a) => np.invert(a),
  leftShift: (np, a) => np.leftShift(a, a),
  rightShift: (np, a) => np.rightShift(a, a),
  sqrt: (np, a) => np.sqrt(a),
  exp: (np, a) => np.exp(a),
  exp2: (np, a) => np.exp2(a),
  expm1: (np, a) => np.expm1(a),
  log: (np, a) => np.log(a),
  log2: (np, a) => np.log2(a),
  log10: (np, a) => np.log10(a),
  log1p: (np, a) => np.log1p(a),
  sin: (np, a) => np.sin(a),
  cos: (np, a) => np.cos(a),
  tan: (np, a) => np.tan(a),
  arcsin: (np, a) => np.arcsin(a),
  arccos: (np, a) => np.arccos(a),
  arctan: (np, a) => np.arctan(a),
  sinh: (np, a) => np.sinh(a),
  cosh: (np, a) => np.cosh(a),
  tanh: (np, a) => np.tanh(a),
  arcsinh: (np, a) => np.arcsinh(a),
  arccosh: (np, a) => np.arccosh(a),
  arctanh: (np, a) => np.arctanh(a),
  arctan2: (np, a) => np.arctan2(a, a),
  hypot: (np, a) => np.hypot(a, a),
  rint: (np, a) => np.rint(a),
  copysign: (np, a) => np.copysign(a, a),
  sum: (np, a) => np.sum(a),
  prod: (np, a) => np.prod(a),
  cumsum: (np, a) => np.cumsum(a),
  cumprod: (np, a) => np.cumprod(a),
  mean: (np, a) => np.mean(a),
  var: (np, a) => np.var(a),
  std: (np, a) => np.std(a),
  min: (np, a) => np.min(a, -1),
  max: (np, a) => np.max(a, -1),
  ptp: (np, a) => np.ptp(a, -1),
  argmin: (np, a) => np.argmin(a, -1),
  argmax: (np, a) => np.argmax(a, -1),
  countNonzero: (np, a) => np.countNonzero(a),
  any: (np, a) => np.any(a),
  all: (np, a) => np.all(a),
  round: (np, a) => np.round(a),
};

// ------------------------------------------------------------------------------------------------
// The functions' static result types, for every operation and every dtype, against the tables.

/** Only its type is used: the functions instantiated for each dtype. */
declare const _np: Context;

interface FunctionResults {
  add: { [K in DType]: ReturnType<typeof _np.add<NDArray<K>, NDArray<K>>> };
  multiply: { [K in DType]: ReturnType<typeof _np.multiply<NDArray<K>, NDArray<K>>> };
  maximum: { [K in DType]: ReturnType<typeof _np.maximum<NDArray<K>, NDArray<K>>> };
  minimum: { [K in DType]: ReturnType<typeof _np.minimum<NDArray<K>, NDArray<K>>> };
  fmax: { [K in DType]: ReturnType<typeof _np.fmax<NDArray<K>, NDArray<K>>> };
  fmin: { [K in DType]: ReturnType<typeof _np.fmin<NDArray<K>, NDArray<K>>> };
  floor: { [K in DType]: ReturnType<typeof _np.floor<NDArray<K>>> };
  ceil: { [K in DType]: ReturnType<typeof _np.ceil<NDArray<K>>> };
  trunc: { [K in DType]: ReturnType<typeof _np.trunc<NDArray<K>>> };
  abs: { [K in DType]: ReturnType<typeof _np.abs<NDArray<K>>> };
  where: { [K in DType]: ReturnType<typeof _np.where<NDArray<K>, NDArray<K>>> };
  clip: { [K in DType]: ReturnType<typeof _np.clip<NDArray<K>, NDArray<K>, NDArray<K>>> };
  subtract: { [K in DType]: ReturnType<typeof _np.subtract<NDArray<K>, NDArray<K>>> };
  negative: { [K in DType]: ReturnType<typeof _np.negative<NDArray<K>>> };
  sign: { [K in DType]: ReturnType<typeof _np.sign<NDArray<K>>> };
  square: { [K in DType]: ReturnType<typeof _np.square<NDArray<K>>> };
  reciprocal: { [K in DType]: ReturnType<typeof _np.reciprocal<NDArray<K>>> };
  floorDivide: { [K in DType]: ReturnType<typeof _np.floorDivide<NDArray<K>, NDArray<K>>> };
  mod: { [K in DType]: ReturnType<typeof _np.mod<NDArray<K>, NDArray<K>>> };
  fmod: { [K in DType]: ReturnType<typeof _np.fmod<NDArray<K>, NDArray<K>>> };
  power: { [K in DType]: ReturnType<typeof _np.power<NDArray<K>, NDArray<K>>> };
  divide: { [K in DType]: ReturnType<typeof _np.divide<NDArray<K>, NDArray<K>>> };
  equal: { [K in DType]: ReturnType<typeof _np.equal<NDArray<K>, NDArray<K>>> };
  notEqual: { [K in DType]: ReturnType<typeof _np.notEqual<NDArray<K>, NDArray<K>>> };
  less: { [K in DType]: ReturnType<typeof _np.less<NDArray<K>, NDArray<K>>> };
  lessEqual: { [K in DType]: ReturnType<typeof _np.lessEqual<NDArray<K>, NDArray<K>>> };
  greater: { [K in DType]: ReturnType<typeof _np.greater<NDArray<K>, NDArray<K>>> };
  greaterEqual: { [K in DType]: ReturnType<typeof _np.greaterEqual<NDArray<K>, NDArray<K>>> };
  logicalAnd: { [K in DType]: ReturnType<typeof _np.logicalAnd<NDArray<K>, NDArray<K>>> };
  logicalOr: { [K in DType]: ReturnType<typeof _np.logicalOr<NDArray<K>, NDArray<K>>> };
  logicalXor: { [K in DType]: ReturnType<typeof _np.logicalXor<NDArray<K>, NDArray<K>>> };
  logicalNot: { [K in DType]: ReturnType<typeof _np.logicalNot<NDArray<K>>> };
  isnan: { [K in DType]: ReturnType<typeof _np.isnan<NDArray<K>>> };
  isinf: { [K in DType]: ReturnType<typeof _np.isinf<NDArray<K>>> };
  isfinite: { [K in DType]: ReturnType<typeof _np.isfinite<NDArray<K>>> };
  signbit: { [K in DType]: ReturnType<typeof _np.signbit<NDArray<K>>> };
  bitwiseAnd: { [K in DType]: ReturnType<typeof _np.bitwiseAnd<NDArray<K>, NDArray<K>>> };
  bitwiseOr: { [K in DType]: ReturnType<typeof _np.bitwiseOr<NDArray<K>, NDArray<K>>> };
  bitwiseXor: { [K in DType]: ReturnType<typeof _np.bitwiseXor<NDArray<K>, NDArray<K>>> };
  invert: { [K in DType]: ReturnType<typeof _np.invert<NDArray<K>>> };
  leftShift: { [K in DType]: ReturnType<typeof _np.leftShift<NDArray<K>, NDArray<K>>> };
  rightShift: { [K in DType]: ReturnType<typeof _np.rightShift<NDArray<K>, NDArray<K>>> };
  sqrt: { [K in DType]: ReturnType<typeof _np.sqrt<NDArray<K>>> };
  exp: { [K in DType]: ReturnType<typeof _np.exp<NDArray<K>>> };
  exp2: { [K in DType]: ReturnType<typeof _np.exp2<NDArray<K>>> };
  expm1: { [K in DType]: ReturnType<typeof _np.expm1<NDArray<K>>> };
  log: { [K in DType]: ReturnType<typeof _np.log<NDArray<K>>> };
  log2: { [K in DType]: ReturnType<typeof _np.log2<NDArray<K>>> };
  log10: { [K in DType]: ReturnType<typeof _np.log10<NDArray<K>>> };
  log1p: { [K in DType]: ReturnType<typeof _np.log1p<NDArray<K>>> };
  sin: { [K in DType]: ReturnType<typeof _np.sin<NDArray<K>>> };
  cos: { [K in DType]: ReturnType<typeof _np.cos<NDArray<K>>> };
  tan: { [K in DType]: ReturnType<typeof _np.tan<NDArray<K>>> };
  arcsin: { [K in DType]: ReturnType<typeof _np.arcsin<NDArray<K>>> };
  arccos: { [K in DType]: ReturnType<typeof _np.arccos<NDArray<K>>> };
  arctan: { [K in DType]: ReturnType<typeof _np.arctan<NDArray<K>>> };
  sinh: { [K in DType]: ReturnType<typeof _np.sinh<NDArray<K>>> };
  cosh: { [K in DType]: ReturnType<typeof _np.cosh<NDArray<K>>> };
  tanh: { [K in DType]: ReturnType<typeof _np.tanh<NDArray<K>>> };
  arcsinh: { [K in DType]: ReturnType<typeof _np.arcsinh<NDArray<K>>> };
  arccosh: { [K in DType]: ReturnType<typeof _np.arccosh<NDArray<K>>> };
  arctanh: { [K in DType]: ReturnType<typeof _np.arctanh<NDArray<K>>> };
  arctan2: { [K in DType]: ReturnType<typeof _np.arctan2<NDArray<K>, NDArray<K>>> };
  hypot: { [K in DType]: ReturnType<typeof _np.hypot<NDArray<K>, NDArray<K>>> };
  rint: { [K in DType]: ReturnType<typeof _np.rint<NDArray<K>>> };
  copysign: { [K in DType]: ReturnType<typeof _np.copysign<NDArray<K>, NDArray<K>>> };
  sum: { [K in DType]: ReturnType<typeof _np.sum<K>> };
  prod: { [K in DType]: ReturnType<typeof _np.prod<K>> };
  cumsum: { [K in DType]: ReturnType<typeof _np.cumsum<K>> };
  cumprod: { [K in DType]: ReturnType<typeof _np.cumprod<K>> };
  mean: { [K in DType]: ReturnType<typeof _np.mean<K>> };
  var: { [K in DType]: ReturnType<typeof _np.var<K>> };
  std: { [K in DType]: ReturnType<typeof _np.std<K>> };
  min: { [K in DType]: ReturnType<typeof _np.min<K>> };
  max: { [K in DType]: ReturnType<typeof _np.max<K>> };
  ptp: { [K in DType]: ReturnType<typeof _np.ptp<K>> };
  argmin: { [K in DType]: ReturnType<typeof _np.argmin<K>> };
  argmax: { [K in DType]: ReturnType<typeof _np.argmax<K>> };
  countNonzero: { [K in DType]: ReturnType<typeof _np.countNonzero> };
  any: { [K in DType]: ReturnType<typeof _np.any<K>> };
  all: { [K in DType]: ReturnType<typeof _np.all<K>> };
  round: { [K in DType]: ReturnType<typeof _np.round<K>> };
}

expectTypeOf<FunctionResults>().toEqualTypeOf<{ [Op in keyof OperationRules]: { [K in DType]: NDArray<ResultDType<Op, K>> } }>();

// ------------------------------------------------------------------------------------------------
// Reads: what `data()`, `item()` and `toArray()` give, as types and as the names of what they are at run time.

type Tag<A> = A extends { readonly [Symbol.toStringTag]: infer T extends string } ? T : never;
type TypeofName<V> = V extends number ? 'number' : V extends bigint ? 'bigint' : V extends boolean ? 'boolean' : never;

/** The TypedArray each dtype reads as (its toStringTag), as its type says; float16: either. */
const TYPED_ARRAY_TAGS: { [K in DType]: readonly Tag<TypedArrayOf<K>>[] } = {
  bool: ['Uint8Array'],
  int8: ['Int8Array'],
  uint8: ['Uint8Array'],
  int16: ['Int16Array'],
  uint16: ['Uint16Array'],
  int32: ['Int32Array'],
  uint32: ['Uint32Array'],
  float16: ['Float16Array', 'Uint16Array'],
  float32: ['Float32Array'],
  float64: ['Float64Array'],
  int64: ['BigInt64Array'],
  uint64: ['BigUint64Array'],
};
expectTypeOf<Tag<Float16Data>>().toEqualTypeOf<'Float16Array' | 'Uint16Array'>();

const ELEMENT_TYPES: { [K in DType]: TypeofName<ElementOf<K>> } = {
  bool: 'boolean',
  int8: 'number',
  uint8: 'number',
  int16: 'number',
  uint16: 'number',
  int32: 'number',
  uint32: 'number',
  float16: 'number',
  float32: 'number',
  float64: 'number',
  int64: 'bigint',
  uint64: 'bigint',
};

/** Whether an operation computing in `dtype` is a TypeError on this backend (WGSL has no 64-bit types). */
function unsupportedOn(backend: BackendName, ...dtypes: (DType | null)[]): boolean {
  return backend === 'webgpu' && dtypes.some((d) => d === 'float64' || d === 'int64' || d === 'uint64');
}

/** `a`'s dtype is one its type allows (`allowed` lists them, typed by the array's own `D`). */
function expectDType<D extends DType>(a: NDArray<D>, ...allowed: D[]): void {
  expect(allowed).toContain(a.dtype);
}

forEachBackend((backend, get) => {
  it('every operation gives the result dtype its table says for every dtype, or a TypeError where it says never', () => {
    const np = get();
    const mismatches: string[] = [];
    np.tidy(() => {
      // On WebGPU the arrays are empty, so that no kernel runs: a pipeline per operation and dtype (about a
      // thousand here) would take over a minute on lavapipe, and the result dtype is decided before anything
      // runs. The CPU variants run every operation for real.
      const arrays = DTYPES.map((dtype) => np.ones(backend === 'webgpu' ? [0, 1] : [2, 1], { dtype }));
      for (const op of Object.keys(CALLS) as (keyof OperationRules)[]) {
        const row: Record<DType, DType | null> = RESULT_DTYPES[OPERATION_RULES[op]];
        arrays.forEach((a) => {
          const expected = row[a.dtype];
          let actual: string;
          try {
            actual = CALLS[op](np, a).dtype;
          } catch (e) {
            if (!(e instanceof TypeError)) throw e;
            actual = expected !== null && unsupportedOn(backend, a.dtype, expected) ? expected : 'TypeError';
          }
          if (actual !== String(expected ?? 'TypeError')) mismatches.push(`${op}(${a.dtype}): table ${expected}, runtime ${actual}`);
        });
      }
    });
    expect(mismatches).toEqual([]);
  });

  it('data(), item() and toArray() give what their types say for every dtype', async () => {
    const np = get();
    const arrays = DTYPES.map((dtype) => np.ones([2], { dtype }));
    const reads = await Promise.all(arrays.map((a) => Promise.all([a.data(), a.item(0), a.toArray()])));
    reads.forEach(([data, item, list], k) => {
      const dtype = DTYPES[k];
      expect(TYPED_ARRAY_TAGS[dtype], dtype).toContain(Object.prototype.toString.call(data).slice(8, -1));
      expect(typeof item, dtype).toBe(ELEMENT_TYPES[dtype]);
      expect(
        (list as unknown[]).map((v) => typeof v),
        dtype,
      ).toEqual([ELEMENT_TYPES[dtype], ELEMENT_TYPES[dtype]]);
    });
    arrays.forEach((a) => a.dispose());
  });

  it('creation infers the dtype its type says, from options, data and literals; views, copies and operations keep it', async () => {
    const np = get();
    const count: number = 3;
    const flags: boolean[] = [true];
    const results = np.tidy(() => {
      const f32 = np.arange(3, { dtype: 'float32' });
      const i32 = np.arange(3);
      const u8 = np.array(new Uint8Array([1, 2]));
      const f16 = np.zeros([2], { dtype: 'float16' });
      const created = {
        arange: np.arange(count),
        fractions: np.arange(0, 1, 0.25),
        nested: np.array([
          [1, 2],
          [3, 4],
        ]),
        mixed: np.array([1, 2.5]),
        bools: np.array([true, false]),
        someBools: np.array(flags),
        bigints: np.array([1n, -2n]),
        empty: np.array([]),
        full: np.full([2], 7),
        fullBool: np.full([2], false),
        zeros: np.zeros([2]),
        like: np.zerosLike(u8, { dtype: 'int16' }),
      };
      expectTypeOf(f32).toEqualTypeOf<NDArray<'float32'>>();
      expectTypeOf(i32).toEqualTypeOf<NDArray<'int32'>>();
      expectTypeOf(u8).toEqualTypeOf<NDArray<'uint8'>>();
      expectTypeOf(created.arange).toEqualTypeOf<NDArray<'int32' | 'float32'>>();
      expectTypeOf(created.fractions).toEqualTypeOf<NDArray<'float32'>>();
      expectTypeOf(created.nested).toEqualTypeOf<NDArray<'int32'>>();
      expectTypeOf(created.mixed).toEqualTypeOf<NDArray<'float32'>>();
      expectTypeOf(created.bools).toEqualTypeOf<NDArray<'bool'>>();
      expectTypeOf(created.someBools).toEqualTypeOf<NDArray<'bool' | 'float32'>>();
      expectTypeOf(created.bigints).toEqualTypeOf<NDArray<'int64'>>();
      expectTypeOf(created.empty).toEqualTypeOf<NDArray<'float32'>>();
      expectTypeOf(created.full).toEqualTypeOf<NDArray<'int32'>>();
      expectTypeOf(created.fullBool).toEqualTypeOf<NDArray<'bool'>>();
      expectTypeOf(created.zeros).toEqualTypeOf<NDArray<'float32'>>();
      expectTypeOf(created.like).toEqualTypeOf<NDArray<'int16'>>();
      expectDType(created.arange, 'int32', 'float32');
      expectDType(created.someBools, 'bool', 'float32');
      for (const [name, a] of Object.entries(created))
        expect(a.dtype, name).toBe(
          {
            arange: 'int32',
            fractions: 'float32',
            nested: 'int32',
            mixed: 'float32',
            bools: 'bool',
            someBools: 'bool',
            bigints: 'int64',
            empty: 'float32',
            full: 'int32',
            fullBool: 'bool',
            zeros: 'float32',
            like: 'int16',
          }[name],
        );

      // Views and copies keep the dtype; astype and view(dtype) give theirs.
      expectTypeOf(f32.reshape(3, 1).T.get('::-1').copy()).toEqualTypeOf<NDArray<'float32'>>();
      expectTypeOf(f32.astype('int8')).toEqualTypeOf<NDArray<'int8'>>();
      expectTypeOf(f32.view('uint32')).toEqualTypeOf<NDArray<'uint32'>>();
      expectTypeOf(np.concatenate([f32, f32])).toEqualTypeOf<NDArray<'float32'>>();
      expectTypeOf(np.concatenate([f32, i32])).toEqualTypeOf<NDArray<DType>>();
      expectTypeOf(np.broadcastArrays(f32, u8.reshape(2, 1))).toEqualTypeOf<[NDArray<'float32'>, NDArray<'uint8'>]>();

      // Operations: the result dtype where the operands settle it, any dtype where they do not.
      const ops = {
        sqrtU8: u8.sqrt(),
        sumU8: u8.sum(),
        meanI32: i32.mean(),
        divI32: i32.divide(i32),
        addLiteral: u8.add(1),
        addBigint: i32.multiply(2n),
        addBool: u8.add(true),
        addFloat: f16.add(2.5),
        cmp: f32.less(1),
        argmax: f16.argmax(),
        astype: u8.astype('float64'),
        matmul: np.matmul(f32, f32),
        cumsum: np.cumsum(u8),
      };
      expectTypeOf(ops.sqrtU8).toEqualTypeOf<NDArray<'float16'>>();
      expectTypeOf(ops.sumU8).toEqualTypeOf<NDArray<'uint32'>>();
      expectTypeOf(ops.meanI32).toEqualTypeOf<NDArray<'float32'>>();
      expectTypeOf(ops.divI32).toEqualTypeOf<NDArray<'float32'>>();
      expectTypeOf(ops.addLiteral).toEqualTypeOf<NDArray<'uint8'>>();
      expectTypeOf(ops.addBigint).toEqualTypeOf<NDArray<'int32'>>();
      expectTypeOf(ops.addBool).toEqualTypeOf<NDArray<'uint8'>>();
      expectTypeOf(ops.addFloat).toEqualTypeOf<NDArray<'float16'>>();
      expectTypeOf(ops.cmp).toEqualTypeOf<NDArray<'bool'>>();
      expectTypeOf(ops.argmax).toEqualTypeOf<NDArray<'int32'>>();
      expectTypeOf(ops.astype).toEqualTypeOf<NDArray<'float64'>>();
      expectTypeOf(ops.matmul).toEqualTypeOf<NDArray<'float32'>>();
      expectTypeOf(ops.cumsum).toEqualTypeOf<NDArray<'uint32'>>();
      // prettier-ignore
      const expected = { sqrtU8: 'float16', sumU8: 'uint32', meanI32: 'float32', divI32: 'float32', addLiteral: 'uint8', addBigint: 'int32', addBool: 'uint8', addFloat: 'float16', cmp: 'bool', argmax: 'int32', astype: 'float64', matmul: 'float32', cumsum: 'uint32' };
      for (const [name, a] of Object.entries(ops)) expect(a.dtype, name).toBe(expected[name as keyof typeof expected]);
      const unsettled = { fraction: i32.add(0.5 * count), number: u8.add(count), mixed: f32.add(i32), list: f32.add([1, 2, 3]) };
      expectTypeOf(unsettled.fraction.dtype).toEqualTypeOf<DType>();
      expectTypeOf(unsettled.number.dtype).toEqualTypeOf<DType>();
      expectTypeOf(unsettled.mixed.dtype).toEqualTypeOf<DType>();
      expectTypeOf(unsettled.list.dtype).toEqualTypeOf<DType>();
      return { f32, i32, f16, big: np.array([5n]) };
    });
    // Reads: the dtype's TypedArray and elements, no casts.
    const [data, item, list, bigItem, halfData] = await Promise.all([
      results.f32.data(),
      results.i32.sum().item(),
      results.i32.toArray(),
      results.big.item(),
      results.f16.data(),
    ]);
    expectTypeOf(data).toEqualTypeOf<Float32Array>();
    expectTypeOf(item).toEqualTypeOf<number>();
    expectTypeOf(list).toEqualTypeOf<NestedOf<'int32'>>();
    expectTypeOf(bigItem).toEqualTypeOf<bigint>();
    expectTypeOf(halfData).toEqualTypeOf<Float16Data>();
    expect([data, item, list, bigItem]).toEqual([new Float32Array([0, 1, 2]), 3, [0, 1, 2], 5n]);
    Object.values(results).forEach((a) => a.dispose());
  });
});

// ------------------------------------------------------------------------------------------------
// Options: an option the options' type declares optional may be absent at run time, where the default applies,
// so the type is the union of the option's and the default; only an option certainly there (an object
// literal's) decides alone. One representative of each family, with the runtime dtype checked against it.

forEachBackend((_backend, get) => {
  it('options typed with an optional dtype or out give the union with the default; literal options give theirs', () => {
    const np = get();
    const noDType: { dtype?: 'int8' } = {};
    const noOut: { out?: NDArray<'int16'> } = {};
    const noReduceOut: { out?: NDArray<'int16'>; keepdims?: boolean } = {};
    const anyOptions: Record<string, unknown> = {};
    const flag = noDType.dtype === undefined;
    np.tidy(() => {
      const u8 = np.array(new Uint8Array([1, 2]));
      const f32 = np.ones([2]);
      const m = np.ones([2, 2]);
      const out = np.zeros([2], { dtype: 'int16' });
      const created = {
        zeros: np.zeros([2], noDType),
        full: np.full([2], 7, noDType),
        array: np.array([1, 2], noDType),
        arange: np.arange(3, noDType),
        linspace: np.linspace(0, 1, 3, noDType),
        eye: np.eye(2, 2, 0, noDType),
        identity: np.identity(2, noDType),
        indices: np.indices([2], noDType),
        like: np.zerosLike(u8, noDType),
        cumsum: np.cumsum(u8, noDType),
        cumsumMethod: u8.cumprod(0, noDType),
        concatenate: np.concatenate([f32, f32], noDType),
        hstack: np.hstack([u8, u8], noDType),
        add: np.add(u8, u8, noOut),
        sqrtMethod: u8.sqrt(noOut),
        sum: np.sum(u8, null, noReduceOut),
        sumMethod: u8.sum(0, noReduceOut),
        matmul: np.matmul(m, m, noOut),
        concatenateOut: np.concatenate([f32, f32], noOut),
        anyOptions: np.zeros([2], anyOptions),
        anyOut: np.add(u8, u8, anyOptions),
      };
      expectTypeOf(created.zeros).toEqualTypeOf<NDArray<'int8' | 'float32'>>();
      expectTypeOf(created.full).toEqualTypeOf<NDArray<'int8' | 'int32'>>();
      expectTypeOf(created.array).toEqualTypeOf<NDArray<'int8' | 'int32'>>();
      expectTypeOf(created.arange).toEqualTypeOf<NDArray<'int8' | 'int32'>>();
      expectTypeOf(created.linspace).toEqualTypeOf<NDArray<'int8' | 'float32'>>();
      expectTypeOf(created.eye).toEqualTypeOf<NDArray<'int8' | 'float32'>>();
      expectTypeOf(created.identity).toEqualTypeOf<NDArray<'int8' | 'float32'>>();
      expectTypeOf(created.indices).toEqualTypeOf<NDArray<'int8' | 'int32'>>();
      expectTypeOf(created.like).toEqualTypeOf<NDArray<'int8' | 'uint8'>>();
      expectTypeOf(created.cumsum).toEqualTypeOf<NDArray<'int8' | 'uint32'>>();
      expectTypeOf(created.cumsumMethod).toEqualTypeOf<NDArray<'int8' | 'uint32'>>();
      expectTypeOf(created.concatenate).toEqualTypeOf<NDArray<'int8' | 'float32'>>();
      expectTypeOf(created.hstack).toEqualTypeOf<NDArray<'int8' | 'uint8'>>();
      expectTypeOf(created.add).toEqualTypeOf<NDArray<'int16'> | NDArray<'uint8'>>();
      expectTypeOf(created.sqrtMethod).toEqualTypeOf<NDArray<'int16'> | NDArray<'float16'>>();
      expectTypeOf(created.sum).toEqualTypeOf<NDArray<'int16'> | NDArray<'uint32'>>();
      expectTypeOf(created.sumMethod).toEqualTypeOf<NDArray<'int16'> | NDArray<'uint32'>>();
      expectTypeOf(created.matmul).toEqualTypeOf<NDArray<'int16'> | NDArray<'float32'>>();
      expectTypeOf(created.concatenateOut).toEqualTypeOf<NDArray<'int16'> | NDArray<'float32'>>();
      // Options with an index signature say nothing: any dtype, any `out`.
      expectTypeOf(created.anyOptions).toEqualTypeOf<NDArray<DType>>();
      expectTypeOf(created.anyOut).toEqualTypeOf<NDArray | NDArray<'uint8'>>();
      // prettier-ignore
      const expected = { zeros: 'float32', full: 'int32', array: 'int32', arange: 'int32', linspace: 'float32', eye: 'float32', identity: 'float32', indices: 'int32', like: 'uint8', cumsum: 'uint32', cumsumMethod: 'uint32', concatenate: 'float32', hstack: 'uint8', add: 'uint8', sqrtMethod: 'float16', sum: 'uint32', sumMethod: 'uint32', matmul: 'float32', concatenateOut: 'float32', anyOptions: 'float32', anyOut: 'uint8' };
      for (const [name, a] of Object.entries(created)) expect(a.dtype, name).toBe(expected[name as keyof typeof expected]);

      // Options certainly there decide alone: object literals, and variables whose type requires them.
      const withOut: { out: NDArray<'int16'> } = { out };
      const given = {
        zeros: np.zeros([2], { dtype: 'int8' }),
        like: np.zerosLike(u8, { dtype: 'int16' }),
        cumsum: np.cumsum(u8, { dtype: 'int16', axis: 0 }),
        concatenate: np.concatenate([u8, u8], { dtype: 'int16' }),
        add: np.add(u8, u8, { out }),
        addMethod: u8.add(u8, withOut),
        sum: np.sum(np.ones([2, 2]), 0, { out, keepdims: false }),
        matmul: np.matmul(np.ones([2, 2], { dtype: 'int16' }), out, withOut),
        concatenateOut: np.concatenate([u8], { out }),
        either: np.add(u8, u8, flag ? { out } : {}),
      };
      expectTypeOf(given.zeros).toEqualTypeOf<NDArray<'int8'>>();
      expectTypeOf(given.like).toEqualTypeOf<NDArray<'int16'>>();
      expectTypeOf(given.cumsum).toEqualTypeOf<NDArray<'int16'>>();
      expectTypeOf(given.concatenate).toEqualTypeOf<NDArray<'int16'>>();
      expectTypeOf(given.add).toEqualTypeOf<NDArray<'int16'>>();
      expectTypeOf(given.addMethod).toEqualTypeOf<NDArray<'int16'>>();
      expectTypeOf(given.sum).toEqualTypeOf<NDArray<'int16'>>();
      expectTypeOf(given.matmul).toEqualTypeOf<NDArray<'int16'>>();
      expectTypeOf(given.concatenateOut).toEqualTypeOf<NDArray<'int16'>>();
      expectTypeOf(given.either).toEqualTypeOf<NDArray<'int16'> | NDArray<'uint8'>>();
      // prettier-ignore
      const expectedGiven = { zeros: 'int8', like: 'int16', cumsum: 'int16', concatenate: 'int16', add: 'int16', addMethod: 'int16', sum: 'int16', matmul: 'int16', concatenateOut: 'int16', either: 'int16' };
      for (const [name, a] of Object.entries(given)) expect(a.dtype, name).toBe(expectedGiven[name as keyof typeof expectedGiven]);
      expect(given.add).toBe(out);

      // meshgrid: one array per vector, each of its vector's dtype.
      const grids = np.meshgrid(u8, f32);
      const gridsIJ = np.meshgrid(u8, f32, { indexing: 'ij' });
      const list: NDArray[] = [u8, f32];
      expectTypeOf(grids).toEqualTypeOf<[NDArray<'uint8'>, NDArray<'float32'>]>();
      expectTypeOf(gridsIJ).toEqualTypeOf<[NDArray<'uint8'>, NDArray<'float32'>]>();
      expectTypeOf(np.meshgrid(...list)).toEqualTypeOf<NDArray[]>();
      expect([...grids, ...gridsIJ].map((g) => g.dtype)).toEqual(['uint8', 'float32', 'uint8', 'float32']);

      // A misspelt option is still an error, as for any options parameter (NumPy would raise; ndgpu ignores it).
      // @ts-expect-error: no option `dtyp`
      np.zeros([2], { dtyp: 'int8' });
      // @ts-expect-error: no option `otu`
      u8.add(1, { otu: out });
    });
  });
});
