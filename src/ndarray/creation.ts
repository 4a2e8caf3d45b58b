/**
 * Values of NumPy's creation functions computed on the host: `arange` (with NumPy's own fill rule, so the
 * float values match bit for bit) and the dtype a creation call infers.
 */

import { dtypeInfo, type DType } from './dtype.js';
import { ValueError } from './errors.js';
import { float16BitsToFloat64, float64ToFloat16Bits } from './float16.js';
import { coerceScalar, writeItem } from './scalars.js';

/** NumPy's arange length: `ceil((stop - start) / step)`, at least 0. */
export function arangeLength(start: number, stop: number, step: number): number {
  if (step === 0) throw new ValueError('arange: step must not be zero (NumPy raises ZeroDivisionError: division by zero)');
  const length = Math.ceil((stop - start) / step);
  if (!Number.isFinite(length)) throw new ValueError('arange: cannot compute length');
  return Math.max(0, length);
}

/**
 * The bytes of `arange(start, stop, step)` in `dtype`. NumPy stores `start` and `start + step` (computed in
 * float64) in the dtype, then fills `buffer[i] = start + i*delta` with `delta = buffer[1] - buffer[0]`, in
 * the dtype's own arithmetic (float32 rounds at each step; float16 computes in float32).
 */
export function arangeBytes(start: number, step: number, length: number, dtype: DType): Uint8Array {
  const info = dtypeInfo(dtype);
  const bytes = new Uint8Array(length * info.itemsize);
  const view = new DataView(bytes.buffer);
  const put = (i: number, v: number | bigint | boolean) => writeItem(view, i * info.itemsize, dtype, v);
  if (info.kind === 'f') {
    const round = floatRounding(dtype);
    const first = round(start);
    const second = round(start + step);
    // float16's fill works in float32 (npy_half_to_float), float32's in float32, float64's in float64.
    const arith = dtype === 'float64' ? (x: number) => x : Math.fround;
    const delta = arith(second - first);
    for (let i = 0; i < length; i++) {
      const v = i === 0 ? first : i === 1 ? second : round(arith(first + arith(arith(i) * delta)));
      put(i, v);
    }
    return bytes;
  }
  if (info.kind === 'b') {
    if (length > 2) throw new ValueError('no fill-function for data-type.');
    for (let i = 0; i < length; i++) put(i, start + i * step !== 0);
    return bytes;
  }
  for (let i = 0; i < length; i++) {
    const v = start + i * step;
    put(i, coerceScalar(Math.trunc(v), dtype));
  }
  return bytes;
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
