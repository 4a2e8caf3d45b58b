/**
 * NumPy's array casts (`b[...] = a` or `a.astype(t)` between dtypes), value by value, with ndgpu's
 * definitions where C leaves NumPy's result undefined: float to integer truncates toward zero and
 * saturates at the target's bounds, NaN becomes 0; integers wrap modulo 2^bits; anything to bool is
 * `!= 0` (NaN is true); to float rounds once to nearest, ties to even, overflowing to infinity.
 * The WebGPU cast kernels (src/shaders/cast.ts) implement the same rule on bits; this is the reference
 * both backends are tested against.
 */

import { dtypeInfo, type DType } from './dtype.js';
import { float16BitsToFloat64, float64ToFloat16Bits } from './float16.js';
import type { Scalar } from './scalars.js';

/** `value`, an item of dtype `from`, as an item of dtype `to`. */
export function castValue(value: Scalar, from: DType, to: DType): Scalar {
  const source = dtypeInfo(from);
  const target = dtypeInfo(to);
  if (target.kind === 'b') {
    if (typeof value === 'bigint') return value !== 0n;
    if (typeof value === 'boolean') return value;
    return value !== 0; // NaN !== 0, so NaN is true; -0 is false
  }
  const integer = typeof value === 'boolean' ? BigInt(value ? 1 : 0) : source.kind === 'f' ? null : BigInt(value);
  if (target.kind === 'f') {
    if (integer !== null) return roundInteger(integer, to);
    return roundFloat(value as number, to);
  }
  if (integer !== null) {
    // Integer to integer wraps modulo 2^bits, as C does.
    const bits = target.itemsize * 8;
    const wrapped = target.kind === 'i' ? BigInt.asIntN(bits, integer) : BigInt.asUintN(bits, integer);
    return target.itemsize === 8 ? wrapped : Number(wrapped);
  }
  return saturatingTruncate(value as number, to);
}

/** Float to integer: truncate toward zero, clamp to the dtype's range, NaN → 0. */
function saturatingTruncate(value: number, to: DType): Scalar {
  const info = dtypeInfo(to);
  if (info.itemsize === 8) {
    const [low, high] = info.kind === 'i' ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
    if (Number.isNaN(value)) return 0n;
    if (!Number.isFinite(value)) return value > 0 ? high : low;
    const t = BigInt(Math.trunc(value));
    return t < low ? low : t > high ? high : t;
  }
  if (Number.isNaN(value)) return 0;
  return Math.min(Math.max(Math.trunc(value), info.min), info.max) + 0; // + 0 turns -0 into 0
}

function roundFloat(value: number, to: DType): number {
  if (to === 'float32') return Math.fround(value);
  if (to === 'float16') return float16BitsToFloat64(float64ToFloat16Bits(value));
  return value;
}

/** An integer rounded once (to nearest, ties to even) to a float dtype. Numbers are exact below 2^53;
 * larger bigints are rounded here, since `Number(bigint)` then `Math.fround` would round twice. */
function roundInteger(value: bigint, to: DType): number {
  const magnitude = value < 0n ? -value : value;
  if (magnitude < 2n ** 53n || to === 'float64') return roundFloat(Number(value), to);
  const mantissaBits = to === 'float32' ? 24 : 11;
  const length = magnitude.toString(2).length;
  const shift = BigInt(length - mantissaBits);
  let kept = magnitude >> shift;
  const rest = magnitude & ((1n << shift) - 1n);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
  const rounded = Number(kept) * 2 ** Number(shift); // exact: kept has ≤ 25 bits
  return roundFloat(value < 0n ? -rounded : rounded, to);
}
