/**
 * Fast number paths for the CPU backend's elementwise operations and reductions: items read and written
 * through TypedArrays of their dtype, and NumPy's cast rules applied as plain number functions. Exact for
 * every dtype but the 64-bit integers (whose bigints take the general path): JS numbers hold every value
 * of the other dtypes, and TypedArray stores perform exactly NumPy's wrap (integers) and round-to-nearest
 * (floats) conversions.
 */

import { float16BitsToFloat64, float64ToFloat16Bits } from '../../ndarray/core/float16.js';
import { dtypeInfo, type DType } from '../../ndarray/core/dtype.js';
import type { NumberArray } from '../../ndarray/core/kernel-forms.js';
import * as float32Runs from './generated/run-loops-f32.js';
import * as float64Runs from './generated/run-loops-f64.js';
import * as int32Runs from './generated/run-loops-i32.js';
import * as uint32Runs from './generated/run-loops-u32.js';
import * as int16Runs from './generated/run-loops-i16.js';
import * as uint16Runs from './generated/run-loops-u16.js';
import * as int8Runs from './generated/run-loops-i8.js';
import * as uint8Runs from './generated/run-loops-u8.js';

export type { NumberArray };

/** Whether a dtype's values are all JS numbers (everything but int64/uint64). */
export function isNumberDType(dtype: DType): boolean {
  const { kind, itemsize } = dtypeInfo(dtype);
  return !(itemsize === 8 && kind !== 'f');
}

/** A TypedArray over `bytes` holding `dtype`'s items (float16 as its bits, bool as bytes). */
export function numberView(bytes: Uint8Array, dtype: DType): NumberArray {
  const { buffer, byteOffset, byteLength } = bytes;
  const n = (size: number) => Math.floor(byteLength / size);
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(buffer, byteOffset, byteLength);
    case 'int8':
      return new Int8Array(buffer, byteOffset, byteLength);
    case 'int16':
      return new Int16Array(buffer, byteOffset, n(2));
    case 'uint16':
    case 'float16':
      return new Uint16Array(buffer, byteOffset, n(2));
    case 'int32':
      return new Int32Array(buffer, byteOffset, n(4));
    case 'uint32':
      return new Uint32Array(buffer, byteOffset, n(4));
    case 'float32':
      return new Float32Array(buffer, byteOffset, n(4));
    default:
      return new Float64Array(buffer, byteOffset, n(8));
  }
}

/** Item → JS number: float16 bits decoded; null where the item read from its TypedArray is the number. */
export function reader(dtype: DType): ((raw: number) => number) | null {
  return dtype === 'float16' ? float16BitsToFloat64 : null;
}

/** What converting a number of one dtype to another takes (null: nothing, the value is already one of `to`). */
type Conversion =
  | { readonly kind: 'bool' }
  | { readonly kind: 'round'; readonly to: DType }
  | { readonly kind: 'saturate'; readonly min: number; readonly max: number }
  | { readonly kind: 'wrap'; readonly to: DType };

function conversion(from: DType, to: DType): Conversion | null {
  if (from === to) return null;
  const a = dtypeInfo(from);
  const b = dtypeInfo(to);
  if (b.kind === 'b') return { kind: 'bool' }; // NaN !== 0: true
  if (b.kind === 'f') {
    if (to === 'float64' || (to === 'float32' && (a.kind !== 'f' ? a.itemsize <= 2 : from === 'float16'))) {
      return null; // exact: every value of `from` is a value of `to`
    }
    return { kind: 'round', to };
  }
  // Float to integer: truncate, saturate, NaN → 0 (ndgpu's rule).
  if (a.kind === 'f') return { kind: 'saturate', min: b.min, max: b.max };
  // Integer to integer: wrap modulo 2^bits (value-preserving widenings need nothing).
  const fits = a.min >= b.min && a.max <= b.max;
  return fits ? null : { kind: 'wrap', to };
}

/** JS number of dtype `from` → NumPy's cast of it to `to`, as a number (bools as 0/1). */
export function converter(from: DType, to: DType): ((x: number) => number) | null {
  const c = conversion(from, to);
  if (!c) return null;
  switch (c.kind) {
    case 'bool':
      return (x) => (x !== 0 ? 1 : 0);
    case 'round':
      return rounder(c.to);
    case 'saturate': {
      const { min, max } = c;
      return (x) => (Number.isNaN(x) ? 0 : Math.min(Math.max(Math.trunc(x), min), max) + 0);
    }
    case 'wrap':
      return wrapper(c.to);
  }
}

/** Rounds a number to a float dtype (ties to even). */
export function rounder(dtype: DType): (x: number) => number {
  if (dtype === 'float32') return Math.fround;
  if (dtype === 'float16') return (x) => float16BitsToFloat64(float64ToFloat16Bits(x));
  return (x) => x;
}

/** Wraps an integer-valued number into an integer dtype. */
export function wrapper(dtype: DType): (x: number) => number {
  switch (dtype) {
    case 'int8':
      return (x) => (x << 24) >> 24;
    case 'uint8':
      return (x) => x & 0xff;
    case 'int16':
      return (x) => (x << 16) >> 16;
    case 'uint16':
      return (x) => x & 0xffff;
    case 'int32':
      return (x) => x | 0;
    case 'uint32':
      return (x) => x >>> 0;
    case 'bool':
      return (x) => (x !== 0 ? 1 : 0);
    default:
      return (x) => x;
  }
}

/** JS number → item to store (float16 encoded; everything else stored as is by the TypedArray). */
export function writer(dtype: DType): ((x: number) => number) | null {
  return dtype === 'float16' ? float64ToFloat16Bits : null;
}

/**
 * A conversion over a run of numbers in place (`row[i] = f(row[i])` for i < n). The staged elementwise
 * loops convert whole runs with these: each is a literal loop whose conversion the JIT inlines, where a
 * conversion function called per element goes through one call site shared by every conversion of every
 * operation (megamorphic: int32 to bool cost more than the operation itself).
 */
export type RunFn = (row: Float64Array, n: number) => void;

/** `converter(from, to)` over a run: the same values, element for element. */
export function runConverter(from: DType, to: DType): RunFn | null {
  const c = conversion(from, to);
  if (!c) return null;
  switch (c.kind) {
    case 'bool':
      return toBoolRun;
    case 'round':
      return runRounder(c.to);
    case 'saturate': {
      const { min, max } = c;
      return (row, n) => {
        for (let i = 0; i < n; i++) {
          const x = row[i];
          row[i] = Number.isNaN(x) ? 0 : Math.min(Math.max(Math.trunc(x), min), max) + 0;
        }
      };
    }
    case 'wrap':
      return runWrapper(c.to);
  }
}

const toBoolRun: RunFn = (row, n) => {
  for (let i = 0; i < n; i++) row[i] = row[i] !== 0 ? 1 : 0;
};

/** `rounder(dtype)` over a run (null for float64, whose rounder is the identity). */
export function runRounder(dtype: DType): RunFn | null {
  if (dtype === 'float32')
    return (row, n) => {
      for (let i = 0; i < n; i++) row[i] = Math.fround(row[i]);
    };
  if (dtype === 'float16')
    return (row, n) => {
      for (let i = 0; i < n; i++) row[i] = float16BitsToFloat64(float64ToFloat16Bits(row[i]));
    };
  return null;
}

/** `wrapper(dtype)` over a run (null where it is the identity). */
export function runWrapper(dtype: DType): RunFn | null {
  switch (dtype) {
    case 'int8':
      return (row, n) => {
        for (let i = 0; i < n; i++) row[i] = (row[i] << 24) >> 24;
      };
    case 'uint8':
      return (row, n) => {
        for (let i = 0; i < n; i++) row[i] = row[i] & 0xff;
      };
    case 'int16':
      return (row, n) => {
        for (let i = 0; i < n; i++) row[i] = (row[i] << 16) >> 16;
      };
    case 'uint16':
      return (row, n) => {
        for (let i = 0; i < n; i++) row[i] = row[i] & 0xffff;
      };
    case 'int32':
      return (row, n) => {
        for (let i = 0; i < n; i++) row[i] = row[i] | 0;
      };
    case 'uint32':
      return (row, n) => {
        for (let i = 0; i < n; i++) row[i] = row[i] >>> 0;
      };
    case 'bool':
      return toBoolRun;
    default:
      return null;
  }
}

/** `reader(dtype)` over a run of raw items (float16 bits decoded; null where items are their numbers). */
export function runReader(dtype: DType): RunFn | null {
  return dtype === 'float16'
    ? (row, n) => {
        for (let i = 0; i < n; i++) row[i] = float16BitsToFloat64(row[i]);
      }
    : null;
}

/** `writer(dtype)` over a run (float16 encoded to its bits; null where numbers are stored as they are). */
export function runWriter(dtype: DType): RunFn | null {
  return dtype === 'float16'
    ? (row, n) => {
        for (let i = 0; i < n; i++) row[i] = float64ToFloat16Bits(row[i]);
      }
    : null;
}

type NumberFn = (x: number) => number;

/** What each generated run-loops module exports, for its own item type (see templates/run-loops.ts); method syntax, because
 * each module takes only its own TypedArray type where this says NumberArray. */
export interface RunLoops {
  loadRun(
    row: Float64Array,
    items: NumberArray,
    at: number,
    step: number,
    n: number,
    read: NumberFn | null,
    convert: NumberFn | null,
  ): void;
  storeRun(out: NumberArray, at: number, step: number, n: number, results: Float64Array, finish: NumberFn | null): void;
  pairwiseSumStrided(items: NumberArray, p: number, step: number, n: number, value: NumberFn, round: NumberFn): number;
  sumRuns(
    out: Float32Array | Float64Array,
    o: number,
    items: NumberArray,
    p: number,
    keptStep: number,
    count: number,
    n: number,
    step: number,
    value: NumberFn,
    round: NumberFn,
  ): void;
  gatherRun(values: Float64Array, at: number, items: NumberArray, p: number, step: number, n: number, value: NumberFn | null): void;
  gatherAcross(
    values: Float64Array,
    r: number,
    stride: number,
    items: NumberArray,
    outputs: Float64Array,
    first: number,
    group: number,
    q: number,
    step: number,
    n: number,
    value: NumberFn | null,
  ): void;
  addRow(sums: Float32Array | Float64Array, items: NumberArray, p: number, count: number): void;
  addStridedRow(
    sums: Float32Array | Float64Array,
    items: NumberArray,
    p: number,
    step: number,
    count: number,
    value: NumberFn,
    round: NumberFn,
  ): void;
  addAtPositions(
    sums: Float32Array | Float64Array,
    items: NumberArray,
    outputs: Float64Array,
    at: number,
    count: number,
    value: NumberFn,
    round: NumberFn,
  ): void;
}

const RUNS_BY_TYPE = new Map<unknown, RunLoops>([
  [Float32Array, float32Runs],
  [Float64Array, float64Runs],
  [Int32Array, int32Runs],
  [Uint32Array, uint32Runs],
  [Int16Array, int16Runs],
  [Uint16Array, uint16Runs],
  [Int8Array, int8Runs],
  [Uint8Array, uint8Runs],
]);

/**
 * The run loops for `items`' TypedArray type: each type has its own copy, so that V8's feedback for
 * them stays monomorphic whatever other dtypes the program uses.
 */
export function runsFor(items: NumberArray): RunLoops {
  const loops = RUNS_BY_TYPE.get(items.constructor);
  if (!loops) throw new TypeError(`internal error: no run loops for ${items.constructor.name}`);
  return loops;
}
