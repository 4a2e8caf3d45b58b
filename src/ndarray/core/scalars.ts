/**
 * JavaScript values as items of a dtype, by NumPy's rules for Python scalars (`a[i] = 1.7`,
 * `np.full(..., 300, dtype=uint8)`): floats truncate into integers, NaN/inf/out-of-range integers raise,
 * anything becomes a bool by truthiness, floats round to nearest into float32/float16.
 */

import { dtypeInfo, isBigIntDType, type DType } from './dtype.js';
import { OverflowError, ValueError } from './errors.js';
import { float16BitsToFloat64, float64ToFloat16Bits } from './float16.js';

/** A JS value standing for one element: a number, a boolean, or a bigint (64-bit integers). */
export type Scalar = number | boolean | bigint;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

export function isScalar(value: unknown): value is Scalar {
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint';
}

/** The integer a Python scalar becomes (`int(v)`), as a bigint, with Python's errors. */
function toPythonInt(value: Scalar): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (Number.isNaN(value)) throw new ValueError('cannot convert float NaN to integer');
  if (!Number.isFinite(value)) throw new OverflowError('cannot convert float infinity to integer');
  return BigInt(Math.trunc(value));
}

/**
 * Normalises `value` for `dtype`: a number (ints exact, floats already rounded to the dtype), a boolean for
 * bool, a bigint for 64-bit integers. Throws NumPy's errors for values the dtype cannot take.
 */
export function coerceScalar(value: unknown, dtype: DType): Scalar {
  if (!isScalar(value)) {
    throw new TypeError(`expected a number, boolean or bigint for dtype ${dtype}, got ${describe(value)}`);
  }
  const info = dtypeInfo(dtype);
  switch (info.kind) {
    case 'b':
      return typeof value === 'bigint' ? value !== 0n : typeof value === 'boolean' ? value : value !== 0;
    case 'f': {
      const v = Number(value);
      // Python's int -> float conversion raises where the integer rounds past the largest double.
      if (typeof value === 'bigint' && !Number.isFinite(v)) throw new OverflowError('int too large to convert to float');
      if (dtype === 'float32') return Math.fround(v);
      if (dtype === 'float16') return float16BitsToFloat64(float64ToFloat16Bits(v));
      return v;
    }
    default: {
      const n = toPythonInt(value);
      if (n < INT64_MIN || n > UINT64_MAX || (dtype !== 'uint64' && n > INT64_MAX)) {
        throw new OverflowError('Python int too large to convert to C long');
      }
      if (isBigIntDType(dtype)) {
        const [lo, hi] = dtype === 'int64' ? [INT64_MIN, INT64_MAX] : [0n, UINT64_MAX];
        if (n < lo || n > hi) throw new OverflowError(`Python integer ${n} out of bounds for ${dtype}`);
        return n;
      }
      if (n < BigInt(info.min) || n > BigInt(info.max)) {
        throw new OverflowError(`Python integer ${n} out of bounds for ${dtype}`);
      }
      return Number(n);
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Writes one coerced item's bytes (little-endian, as WebGPU buffers are). */
export function writeItem(view: DataView, byteOffset: number, dtype: DType, value: Scalar): void {
  switch (dtype) {
    case 'bool':
      view.setUint8(byteOffset, value ? 1 : 0);
      return;
    case 'int8':
      view.setInt8(byteOffset, Number(value));
      return;
    case 'uint8':
      view.setUint8(byteOffset, Number(value));
      return;
    case 'int16':
      view.setInt16(byteOffset, Number(value), true);
      return;
    case 'uint16':
      view.setUint16(byteOffset, Number(value), true);
      return;
    case 'int32':
      view.setInt32(byteOffset, Number(value), true);
      return;
    case 'uint32':
      view.setUint32(byteOffset, Number(value), true);
      return;
    // NaN is written as the canonical quiet NaN, whatever the engine's NaN bits: casts stay
    // bit-identical across backends (same-dtype moves never come here and keep every payload).
    case 'float16':
      view.setUint16(byteOffset, Number.isNaN(Number(value)) ? 0x7e00 : float64ToFloat16Bits(Number(value)), true);
      return;
    case 'float32':
      if (Number.isNaN(Number(value))) view.setUint32(byteOffset, 0x7fc00000, true);
      else view.setFloat32(byteOffset, Number(value), true);
      return;
    case 'float64':
      if (Number.isNaN(Number(value))) {
        view.setUint32(byteOffset, 0, true);
        view.setUint32(byteOffset + 4, 0x7ff80000, true);
      } else view.setFloat64(byteOffset, Number(value), true);
      return;
    case 'int64':
      view.setBigInt64(byteOffset, BigInt(value), true);
      return;
    case 'uint64':
      view.setBigUint64(byteOffset, BigInt(value), true);
      return;
  }
}

/** Reads one item as the JS value NumPy's `item()` gives: number, boolean, or bigint for 64-bit ints. */
export function readItem(view: DataView, byteOffset: number, dtype: DType): Scalar {
  switch (dtype) {
    case 'bool':
      return view.getUint8(byteOffset) !== 0;
    case 'int8':
      return view.getInt8(byteOffset);
    case 'uint8':
      return view.getUint8(byteOffset);
    case 'int16':
      return view.getInt16(byteOffset, true);
    case 'uint16':
      return view.getUint16(byteOffset, true);
    case 'int32':
      return view.getInt32(byteOffset, true);
    case 'uint32':
      return view.getUint32(byteOffset, true);
    case 'float16':
      return float16BitsToFloat64(view.getUint16(byteOffset, true));
    case 'float32':
      return view.getFloat32(byteOffset, true);
    case 'float64':
      return view.getFloat64(byteOffset, true);
    case 'int64':
      return view.getBigInt64(byteOffset, true);
    case 'uint64':
      return view.getBigUint64(byteOffset, true);
  }
}

const patternScratch = new DataView(new ArrayBuffer(8));

/**
 * The 8-byte fill pattern of `value` as an item of `dtype` (coerced by the Python-scalar rules): the item
 * repeated over 8 bytes, as two little-endian words. A unit at byte address A of an array of that dtype
 * takes its bytes from the pattern at A mod 8. No allocation: fills are frequent and small.
 */
export function scalarPattern(value: unknown, dtype: DType): [number, number] {
  const { itemsize } = dtypeInfo(dtype);
  const coerced = coerceScalar(value, dtype);
  for (let at = 0; at < 8; at += itemsize) writeItem(patternScratch, at, dtype, coerced);
  return [patternScratch.getUint32(0, true), patternScratch.getUint32(4, true)];
}
