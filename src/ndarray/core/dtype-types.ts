/**
 * The dtypes as TypeScript types, so that `NDArray<D>` carries its dtype through the API: the TypedArray
 * `data()` gives and the value `item()` gives for each dtype, the dtype creation functions infer from their
 * data, and the result dtypes of operations by ndgpu's rules (NumPy 2's, narrowed to 32 bits).
 *
 * Types only, and honest: where a result dtype is not known from the types alone (operands of different
 * dtypes, a JS number next to an integer array, nested JS data), the type is the union of the dtypes it
 * may be (`DType` when it may be any), never a guess. test/dtype-types.test.ts checks every table here
 * against the runtime rules (ops/ufuncs.ts, ops/reductions.ts, core/promotion.ts) for every dtype.
 */

import type { DType } from './dtype.js';
import type { Scalar } from './scalars.js';

// ------------------------------------------------------------------------------------------------
// Elements: what reads give

/**
 * The shape of a `Float16Array`, for compilers whose lib does not declare one (TypeScript before 5.9, or a
 * `lib` below ESNext): indexable numbers over an ArrayBuffer.
 */
export interface Float16ArrayLike extends ArrayBufferView {
  /** What `Object.prototype.toString` names it. */
  readonly [Symbol.toStringTag]: 'Float16Array';
  /** The number of elements. */
  readonly length: number;
  [index: number]: number;
  /** The elements in order. */
  [Symbol.iterator](): IterableIterator<number>;
}

/** `Float16Array` as the compiler's lib declares it (TypeScript 5.9 with lib ESNext), else its shape. */
export type Float16ArrayType = [Float16ArrayOfLib] extends [never] ? Float16ArrayLike : Float16ArrayOfLib;

/** The instances of the lib's `Float16Array` constructor; never where the lib has none. */
type Float16ArrayOfLib = InstanceType<
  Extract<(typeof globalThis)[Extract<'Float16Array', keyof typeof globalThis>], abstract new (...args: never) => unknown>
>;

/**
 * What `data()` gives for float16: a `Float16Array` where the runtime has one (Node 24+, recent browsers),
 * else the raw binary16 bits in a `Uint16Array` (`float16BitsToNumbers` decodes them). Tell them apart with
 * `instanceof Uint16Array`.
 */
export type Float16Data = Float16ArrayType | Uint16Array;

/** The TypedArray `data()` gives for each dtype (bool as bytes 0 and 1). */
export interface TypedArrayOfDType {
  /** 0 or 1 per element. */
  bool: Uint8Array;
  /** Signed bytes. */
  int8: Int8Array;
  /** Unsigned bytes. */
  uint8: Uint8Array;
  /** Signed 16-bit integers. */
  int16: Int16Array;
  /** Unsigned 16-bit integers. */
  uint16: Uint16Array;
  /** Signed 32-bit integers. */
  int32: Int32Array;
  /** Unsigned 32-bit integers. */
  uint32: Uint32Array;
  /** Half precision: see `Float16Data`. */
  float16: Float16Data;
  /** Single precision. */
  float32: Float32Array;
  /** Double precision. */
  float64: Float64Array;
  /** Signed 64-bit integers, as bigints. */
  int64: BigInt64Array;
  /** Unsigned 64-bit integers, as bigints. */
  uint64: BigUint64Array;
}

/** The TypedArray of dtype `D` (for a union of dtypes, the union of their TypedArrays). */
export type TypedArrayOf<D extends DType> = TypedArrayOfDType[D];

/** The JS value one element of dtype `D` reads as: boolean for bool, bigint for int64/uint64, else number. */
export type ElementOf<D extends DType> = D extends 'bool' ? boolean : D extends 'int64' | 'uint64' ? bigint : number;

/** Nested JS arrays of `T`, one level per axis (the number of axes is not part of the type). */
export type NestedList<T> = readonly (T | NestedList<T>)[];

/** What `toArray()` gives for dtype `D`: nested arrays of its elements, or the element itself for a 0-d array. */
export type NestedOf<D extends DType> = ElementOf<D> | NestedList<ElementOf<D>>;

// ------------------------------------------------------------------------------------------------
// Creation: the dtype of data

/** What has a dtype (an NDArray, a `{ dtype }` option), for reading the dtype as a type. */
export interface HasDType<D = DType> {
  /** The dtype. */
  readonly dtype: D;
}

/** The dtype of `A`, an NDArray type (or anything with a dtype); never for what has none, the union of
 * theirs for a union. */
export type DTypeOf<A> = A extends HasDType<infer E extends DType> ? E : never;

/** The floating-point dtypes. */
export type FloatDType = 'float16' | 'float32' | 'float64';
/** The integer dtypes, signed and unsigned. */
export type IntegerDType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64';

/** The dtype `np.array` takes from a TypedArray (Uint8ClampedArray: uint8). */
type DTypeOfTypedArray<A> = A extends Int8Array
  ? 'int8'
  : A extends Uint8Array | Uint8ClampedArray
    ? 'uint8'
    : A extends Int16Array
      ? 'int16'
      : A extends Uint16Array
        ? 'uint16'
        : A extends Int32Array
          ? 'int32'
          : A extends Uint32Array
            ? 'uint32'
            : A extends Float32Array
              ? 'float32'
              : A extends Float64Array
                ? 'float64'
                : A extends BigInt64Array
                  ? 'int64'
                  : A extends BigUint64Array
                    ? 'uint64'
                    : A extends Float16ArrayType
                      ? 'float16'
                      : DType;

/** Nesting deeper than this counts as unknown (the walks below stop there, so the compiler does too). */
type MaxDepth = 32;

/** The leaves of nested arrays (past `MaxDepth` levels: any scalar). */
type Leaves<A, Depth extends unknown[] = []> = Depth['length'] extends MaxDepth
  ? Scalar
  : A extends readonly (infer E)[]
    ? Leaves<E, [...Depth, unknown]>
    : A;

/**
 * The leaves certainly present: those of tuples (known lengths) whose type is one value, not a union. A
 * `number[]` may be empty and a `1 | 2.5` element may be either, so neither says what is there.
 */
type CertainLeaves<A, Depth extends unknown[] = []> = Depth['length'] extends MaxDepth
  ? never
  : A extends readonly unknown[]
    ? number extends A['length']
      ? never
      : { [K in keyof A]: CertainLeaves<A[K], [...Depth, unknown]> }[number]
    : IsUnion<A> extends true
      ? never
      : A;

/** Whether nested arrays of type `A` may hold no element at all (a level of unknown or zero length). */
type MayBeEmpty<A, Depth extends unknown[] = []> = Depth['length'] extends MaxDepth
  ? true
  : A extends readonly unknown[]
    ? number extends A['length']
      ? true
      : A['length'] extends 0
        ? true
        : MayBeEmpty<A[number], [...Depth, unknown]>
    : false;

/** Whether `T` is a union of several types (`boolean` counts as one). */
type IsUnion<T, All = T> = [T] extends [boolean] ? false : T extends unknown ? ([All] extends [T] ? false : true) : never;

/** Whether every member of `S` is a number literal whose value is an integer (`2`, `-1`; not `number`,
 * `2.5`, nor `1e21`, whose text the compiler writes with an exponent). */
export type IsIntegerLiteral<S> = [S] extends [never]
  ? false
  : [S] extends [number]
    ? number extends S
      ? false
      : [`${S}`] extends [`${bigint}`]
        ? true
        : false
    : false;

/** Whether number literal `S` has a fraction (`2.5`, `1e-7`). */
type IsFractionLiteral<S> = S extends number ? (`${S}` extends `${string}.${string}` | `${string}e-${string}` ? true : false) : false;

/** The dtypes one JS value of type `V` alone would infer: an integer literal int32, a fraction float32, any
 * other number either, a bigint int64, a boolean bool. */
type DTypeOfValue<V> = V extends number
  ? IsIntegerLiteral<V> extends true
    ? 'int32'
    : IsFractionLiteral<V> extends true
      ? 'float32'
      : 'int32' | 'float32'
  : V extends bigint
    ? 'int64'
    : V extends boolean
      ? 'bool'
      : never;

/**
 * The dtype nested JS values of type `A` infer (ndgpu's defaults: a fraction anywhere float32, else a bigint
 * int64, else a number int32, else bool; nothing at all float32). Exact where the types settle it (a
 * literal fraction certainly present, or leaves of one kind), else the union of what they may give.
 */
type DTypeOfValues<A> =
  true extends IsFractionLiteral<CertainLeaves<A>>
    ? 'float32'
    : [Leaves<A>] extends [never]
      ? 'float32'
      : DTypeOfValue<Leaves<A>> | (MayBeEmpty<A> extends false ? never : 'float32');

/**
 * The dtype `np.array(data)` gives without a `dtype` option: an NDArray's own, a TypedArray's, or what
 * nested JS values infer (a union where their types do not settle it: `number[]` is int32 or float32,
 * `boolean[]` bool or, when empty, float32).
 */
export type DTypeOfData<A> =
  A extends HasDType<infer E extends DType> ? E : A extends ArrayBufferView ? DTypeOfTypedArray<A> : DTypeOfValues<A>;

/**
 * The dtype `np.arange(...args)` gives: the `dtype` option's, else int32 when every number is an integer
 * literal, float32 when one is a literal with a fraction, else either.
 */
export type ArangeDType<Args extends readonly unknown[]> = Args extends readonly [...infer Numbers, infer Last extends object]
  ? OptionDType<Last, ArangeNumbersDType<Numbers>>
  : ArangeNumbersDType<Args>;

/** `ArangeDType` of the numbers alone (anything else among them: any dtype). */
type ArangeNumbersDType<Numbers extends readonly unknown[]> = [Numbers[number]] extends [number]
  ? true extends IsFractionLiteral<CertainLeaves<Numbers>>
    ? 'float32'
    : IsIntegerLiteral<Numbers[number]> extends true
      ? 'int32'
      : 'int32' | 'float32'
  : DType;

// ------------------------------------------------------------------------------------------------
// Options: what an options object's type says about the result

/** No options (what a function's options type parameter is when none are given). */
export type NoOptions = Record<never, never>;

/**
 * The constraint of an options type parameter `Opt`: the options a function takes (`Shape`) and no other key,
 * so that a misspelt option is an error (the key's type is `never`) although the parameter's type is `Opt`
 * itself, which lets the options' type decide the result's (see `OptionOr`). Options typed with an index
 * signature (`Record<string, unknown>`) are taken as they were before: they say nothing about any key.
 */
export type KnownOptions<Opt, Shape> = string extends keyof Opt
  ? Shape
  : Shape & { readonly [K in Exclude<keyof Opt, keyof Shape>]: never };

/**
 * What option `K` of options of type `Opt` gives: its type where `Opt` says the option is certainly there,
 * else also `Default`, what the function does without it. At run time an absent or undefined option is
 * the default, so an options variable declared `{ dtype?: 'int8' }` (it may be `{}`) gives `'int8' |
 * Default`, and only a required `dtype: 'int8'` (an object literal's) gives `'int8'` alone. A union of
 * options types gives the union of what each gives; an option whose type is `unknown` (from an index
 * signature) gives `Declared`, the type the function declares for it, or `Default`.
 */
export type OptionOr<Opt, K extends PropertyKey, Default, Declared = unknown> = Opt extends unknown
  ? K extends keyof Opt
    ? unknown extends Opt[K]
      ? Declared | Default
      : Opt extends { readonly [P in K]: infer V }
        ? undefined extends V
          ? Exclude<V, undefined> | Default
          : V
        : Exclude<Opt[K], undefined> | Default
    : Default
  : never;

/** The dtype a `{ dtype }` option of type `O` gives: `OptionOr` of its `dtype`, `Default` without one. */
export type OptionDType<O, Default extends DType> = Extract<OptionOr<O, 'dtype', Default, DType>, DType>;

/**
 * The dtype of a call whose arguments `Args` may end with a `{ dtype }` option (`eye(n, m, k, { dtype })`):
 * `OptionDType` of that option, `Default` without one, any dtype where the arguments are a list of unknown
 * length that may hold one.
 */
export type LastOptionDType<Args extends readonly unknown[], Default extends DType> = Args extends readonly [
  ...unknown[],
  infer Last extends object,
]
  ? OptionDType<Last, Default>
  : Args extends readonly [...unknown[], unknown]
    ? Default
    : Args extends readonly []
      ? Default
      : [Extract<Args[number], object>] extends [never]
        ? Default
        : DType;

// ------------------------------------------------------------------------------------------------
// Operations: loop dtypes and result dtypes

/** Whether `D` is exactly one dtype (not a union, not never). */
type IsOneDType<D extends DType> = { [K in DType]: [D] extends [K] ? ([K] extends [D] ? true : never) : never }[DType] extends never
  ? false
  : true;

/** The dtype an array operand contributes (a dtype string stands for an array of it); nested JS data: any. */
type ArrayDTypeOf<A> = A extends DType ? A : A extends HasDType<infer E extends DType> ? E : A extends Scalar ? never : DType;

/** Whether weak JS scalars of type `S` leave the dtype `D` of the arrays as it is (NumPy 2's weak scalars:
 * a float array takes any scalar, an integer array bigints, booleans and integer number literals, any
 * array booleans). A `number` may have a fraction, which makes an integer array's result float. */
type ScalarsKeep<D extends DType, S> = [S] extends [never]
  ? true
  : [D] extends [FloatDType]
    ? true
    : [S] extends [boolean]
      ? true
      : [D] extends [IntegerDType]
        ? [Exclude<S, boolean | bigint>] extends [never]
          ? true
          : IsIntegerLiteral<Exclude<S, boolean | bigint>>
        : false;

/**
 * The loop dtype of an elementwise operation on `Operands` (arrays as their dtype or as NDArrays, JS scalars
 * weakly): the arrays' dtype when they all have the same one and the scalars keep it, else any dtype.
 */
export type Promoted<Operands extends readonly unknown[]> = {
  [K in keyof Operands]: ArrayDTypeOf<Operands[K]>;
}[number] extends infer D extends DType
  ? IsOneDType<D> extends true
    ? ScalarsKeep<D, { [K in keyof Operands]: Extract<Operands[K], Scalar> }[number]> extends true
      ? D
      : DType
    : DType
  : DType;

/** The dtype arrays of one dtype join into (`concatenate`, products, which take JS values as arrays, not
 * weakly): their common dtype when every operand is an NDArray of the same single dtype, else any dtype. */
export type CommonDType<A> = [A] extends [HasDType<infer D extends DType>] ? (IsOneDType<D> extends true ? D : DType) : DType;

/**
 * The rules result dtypes follow, by loop dtype (`RuleDType` gives each; `never` where NumPy raises a
 * TypeError for that dtype, so the call throws at once). Which operation follows which: `OperationRules`.
 *
 * - `same`: the loop dtype itself (add, multiply, maximum, floor, abs, min, max...).
 * - `bool`: bool (comparisons, logical operations, isnan, any, all).
 * - `index`: int32, for positions and counts (argmin, argmax, countNonzero).
 * - `numeric`: the loop dtype, not for bools (subtract, negative, sign, ptp).
 * - `boolAsInt8`: the loop dtype, bools as int8 (square, reciprocal, floorDivide, mod, fmod, power).
 * - `bitwise`: integers and bools only (bitwise and/or/xor, invert).
 * - `shift`: integers only, bools as int8 (leftShift, rightShift).
 * - `float`: floating point, NumPy's float64 narrowed to 32 bits: bools and 8-bit integers give float16,
 *   16- and 32-bit integers float32, 64-bit ones float64 (sqrt, exp, sin, arctan2, hypot, rint...).
 * - `divide`: integers and bools give float32, 64-bit integers float64 (divide, mean, var, std).
 * - `sum`: bools and narrow integers widen to the 32-bit integer of their kind (sum, prod, cumsum, cumprod).
 * - `round`: the dtype itself, bools as float16.
 */
export type ResultRule = 'same' | 'bool' | 'index' | 'numeric' | 'boolAsInt8' | 'bitwise' | 'shift' | 'float' | 'divide' | 'sum' | 'round';

/** The result dtype of rule `R` for loop dtype `D` (see `ResultRule`; a union for a union of dtypes). */
export type RuleDType<R extends ResultRule, D extends DType> = D extends DType
  ? R extends 'same'
    ? D
    : R extends 'bool'
      ? 'bool'
      : R extends 'index'
        ? 'int32'
        : R extends 'numeric'
          ? D extends 'bool'
            ? never
            : D
          : R extends 'boolAsInt8'
            ? D extends 'bool'
              ? 'int8'
              : D
            : R extends 'bitwise'
              ? D extends FloatDType
                ? never
                : D
              : R extends 'shift'
                ? D extends FloatDType
                  ? never
                  : D extends 'bool'
                    ? 'int8'
                    : D
                : R extends 'float'
                  ? D extends FloatDType
                    ? D
                    : D extends 'bool' | 'int8' | 'uint8'
                      ? 'float16'
                      : D extends 'int64' | 'uint64'
                        ? 'float64'
                        : 'float32'
                  : R extends 'divide'
                    ? D extends FloatDType
                      ? D
                      : D extends 'int64' | 'uint64'
                        ? 'float64'
                        : 'float32'
                    : R extends 'sum'
                      ? D extends 'bool' | 'int8' | 'int16'
                        ? 'int32'
                        : D extends 'uint8' | 'uint16'
                          ? 'uint32'
                          : D
                      : R extends 'round'
                        ? D extends 'bool'
                          ? 'float16'
                          : D
                        : never
  : never;

/** Which `ResultRule` each operation's result dtype follows. */
export interface OperationRules {
  /** `a + b`. */
  add: 'same';
  /** `a * b`. */
  multiply: 'same';
  /** Elementwise maximum. */
  maximum: 'same';
  /** Elementwise minimum. */
  minimum: 'same';
  /** Elementwise maximum ignoring NaN. */
  fmax: 'same';
  /** Elementwise minimum ignoring NaN. */
  fmin: 'same';
  /** Floor. */
  floor: 'same';
  /** Ceiling. */
  ceil: 'same';
  /** Truncation. */
  trunc: 'same';
  /** Absolute value. */
  abs: 'same';
  /** Choice by a condition. */
  where: 'same';
  /** Clipping. */
  clip: 'same';
  /** `a - b`. */
  subtract: 'numeric';
  /** `-a`. */
  negative: 'numeric';
  /** Sign. */
  sign: 'numeric';
  /** `a * a`. */
  square: 'boolAsInt8';
  /** `1 / a`. */
  reciprocal: 'boolAsInt8';
  /** `a // b`. */
  floorDivide: 'boolAsInt8';
  /** Remainder. */
  mod: 'boolAsInt8';
  /** C's fmod. */
  fmod: 'boolAsInt8';
  /** `a ** b`. */
  power: 'boolAsInt8';
  /** True division. */
  divide: 'divide';
  /** `a == b`. */
  equal: 'bool';
  /** `a != b`. */
  notEqual: 'bool';
  /** `a < b`. */
  less: 'bool';
  /** `a <= b`. */
  lessEqual: 'bool';
  /** `a > b`. */
  greater: 'bool';
  /** `a >= b`. */
  greaterEqual: 'bool';
  /** Logical and. */
  logicalAnd: 'bool';
  /** Logical or. */
  logicalOr: 'bool';
  /** Logical xor. */
  logicalXor: 'bool';
  /** Logical not. */
  logicalNot: 'bool';
  /** NaN test. */
  isnan: 'bool';
  /** Infinity test. */
  isinf: 'bool';
  /** Finiteness test. */
  isfinite: 'bool';
  /** Sign bit test. */
  signbit: 'bool';
  /** Bitwise and. */
  bitwiseAnd: 'bitwise';
  /** Bitwise or. */
  bitwiseOr: 'bitwise';
  /** Bitwise xor. */
  bitwiseXor: 'bitwise';
  /** Bitwise not. */
  invert: 'bitwise';
  /** `a << b`. */
  leftShift: 'shift';
  /** `a >> b`. */
  rightShift: 'shift';
  /** Square root. */
  sqrt: 'float';
  /** `e ** a`. */
  exp: 'float';
  /** `2 ** a`. */
  exp2: 'float';
  /** `exp(a) - 1`. */
  expm1: 'float';
  /** Natural logarithm. */
  log: 'float';
  /** Base-2 logarithm. */
  log2: 'float';
  /** Base-10 logarithm. */
  log10: 'float';
  /** `log(1 + a)`. */
  log1p: 'float';
  /** Sine. */
  sin: 'float';
  /** Cosine. */
  cos: 'float';
  /** Tangent. */
  tan: 'float';
  /** Inverse sine. */
  arcsin: 'float';
  /** Inverse cosine. */
  arccos: 'float';
  /** Inverse tangent. */
  arctan: 'float';
  /** Hyperbolic sine. */
  sinh: 'float';
  /** Hyperbolic cosine. */
  cosh: 'float';
  /** Hyperbolic tangent. */
  tanh: 'float';
  /** Inverse hyperbolic sine. */
  arcsinh: 'float';
  /** Inverse hyperbolic cosine. */
  arccosh: 'float';
  /** Inverse hyperbolic tangent. */
  arctanh: 'float';
  /** Two-argument inverse tangent. */
  arctan2: 'float';
  /** Hypotenuse. */
  hypot: 'float';
  /** Rounding to the nearest integer. */
  rint: 'float';
  /** Magnitude with another sign. */
  copysign: 'float';
  /** Sum. */
  sum: 'sum';
  /** Product. */
  prod: 'sum';
  /** Cumulative sum. */
  cumsum: 'sum';
  /** Cumulative product. */
  cumprod: 'sum';
  /** Mean. */
  mean: 'divide';
  /** Variance. */
  var: 'divide';
  /** Standard deviation. */
  std: 'divide';
  /** Minimum. */
  min: 'same';
  /** Maximum. */
  max: 'same';
  /** Peak to peak. */
  ptp: 'numeric';
  /** Position of the minimum. */
  argmin: 'index';
  /** Position of the maximum. */
  argmax: 'index';
  /** Count of nonzero elements. */
  countNonzero: 'index';
  /** Any true. */
  any: 'bool';
  /** All true. */
  all: 'bool';
  /** Rounding to decimals. */
  round: 'round';
}

/** The result dtype of operation `Op` for loop dtype `D` (a union for a union of dtypes). */
export type ResultDType<Op extends keyof OperationRules, D extends DType> = RuleDType<OperationRules[Op], D>;
