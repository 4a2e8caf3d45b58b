/**
 * Values of NumPy's creation functions computed on the host: `arange` (with NumPy's own fill rule, so the
 * float values match bit for bit) and the dtype a creation call infers.
 */

import { dtypeInfo, type DType } from './dtype.js';
import { ValueError } from './errors.js';
import { MAX_EXACT } from './limits.js';
import { float16BitsToFloat64, float64ToFloat16Bits } from './float16.js';
import { coerceScalar } from './scalars.js';

/** NumPy's arange length: `ceil((stop - start) / step)`, at least 0. */
export function arangeLength(start: number, stop: number, step: number): number {
  if (step === 0) throw new ValueError('arange: step must not be zero (NumPy raises ZeroDivisionError: division by zero)');
  const length = Math.ceil((stop - start) / step);
  if (Number.isNaN(length)) throw new ValueError('arange: cannot compute length');
  if (length > MAX_EXACT) throw new ValueError('Maximum allowed size exceeded');
  return Math.max(0, length);
}

/**
 * NumPy's errors for `arange` values `dtype` cannot take, raised before any memory is allocated: bool
 * results longer than 2, and integer dtypes that cannot hold the first two values (stored like Python
 * scalars; the rest wrap).
 */
export function checkArange(start: number, step: number, length: number, dtype: DType): void {
  const info = dtypeInfo(dtype);
  if (info.kind === 'b') {
    if (length > 2) throw new TypeError('arange() is only supported for booleans when the result has at most length 2.');
  } else if (info.kind !== 'f') {
    if (length > 0) coerceScalar(Math.trunc(start), dtype);
    if (length > 1) coerceScalar(Math.trunc(start + step), dtype);
  }
}

/**
 * The bytes of `arange(start, stop, step)` in `dtype`. NumPy stores `start` and `start + step` (computed in
 * float64) in the dtype, then fills `buffer[i] = start + i*delta` with `delta = buffer[1] - buffer[0]`, in
 * the dtype's own arithmetic (float32 rounds at each step; float16 computes in float32).
 */
export function arangeBytes(start: number, step: number, length: number, dtype: DType): Uint8Array {
  const info = dtypeInfo(dtype);
  checkArange(start, step, length, dtype);
  if (info.kind === 'f') return floatArange(start, step, length, dtype);
  if (info.kind === 'b') return Uint8Array.from({ length }, (_, i) => (start + i * step !== 0 ? 1 : 0));
  // As NumPy: the first two values are stored like Python scalars (so they must fit: checkArange), the
  // rest are computed in the dtype and wrap (arange(250, 260, dtype=uint8) ends 0, 1, 2, 3).
  const first = Math.trunc(start);
  const delta = Math.trunc(start + step) - first;
  if (info.itemsize === 8) {
    const out = dtype === 'int64' ? new BigInt64Array(length) : new BigUint64Array(length);
    for (let i = 0; i < length; i++) out[i] = BigInt(first) + BigInt(i) * BigInt(delta);
    return new Uint8Array(out.buffer);
  }
  const out = integerArray(dtype, length);
  for (let i = 0; i < length; i++) out[i] = first + i * delta;
  return new Uint8Array(out.buffer);
}

function integerArray(dtype: DType, length: number): Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array {
  switch (dtype) {
    case 'int8':
      return new Int8Array(length);
    case 'uint8':
      return new Uint8Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'int32':
      return new Int32Array(length);
    default:
      return new Uint32Array(length);
  }
}

function floatArange(start: number, step: number, length: number, dtype: DType): Uint8Array {
  const round = floatRounding(dtype);
  const first = round(start);
  const second = round(start + step);
  // float16's fill works in float32 (npy_half_to_float), float32's in float32, float64's in float64.
  const arith = dtype === 'float64' ? (x: number) => x : Math.fround;
  const delta = arith(second - first);
  const value = (i: number) => (i === 0 ? first : i === 1 ? second : round(arith(first + arith(arith(i) * delta))));
  if (dtype === 'float16') {
    const out = new Uint16Array(length);
    for (let i = 0; i < length; i++) out[i] = float64ToFloat16Bits(value(i));
    return new Uint8Array(out.buffer);
  }
  const out = dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = value(i);
  return new Uint8Array(out.buffer);
}

function floatRounding(dtype: DType): (x: number) => number {
  if (dtype === 'float32') return Math.fround;
  if (dtype === 'float16') return (x) => float16BitsToFloat64(float64ToFloat16Bits(x));
  return (x) => x;
}

/** ndgpu's dtype for numbers given to a creation call: int32 when all are integers, else float32. */
export function inferNumberDType(...values: (number | boolean | bigint)[]): DType {
  if (values.some((v) => typeof v === 'bigint')) return 'int64';
  if (values.every((v) => typeof v === 'boolean')) return 'bool';
  return values.every((v) => typeof v !== 'number' || Number.isInteger(v)) ? 'int32' : 'float32';
}
