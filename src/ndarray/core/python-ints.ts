/**
 * Python integers that an operation's integer dtype cannot hold. NumPy 2 raises OverflowError for most
 * operations (`int8 array + 1000`, see scalars.ts), but not for all:
 * - comparisons answer as if the integer were exact (`int8 < 1000` is all true; see ufunc.ts);
 * - `clip` ignores a bound that cannot bind (`clip(int8, 0, 1000)` clips below only) and raises only
 *   for one that would (`clip(int8, 200, 300)`);
 * - `where` converts its scalars as C does, wrapping (`where(c, int8, 1000)` takes -24), and raises only
 *   beyond 64 bits.
 * Pure functions on values: clip and where apply theirs (`scalarAs` in ops/ufuncs.ts) before their
 * scalars are coerced; ufunc.ts rewrites such comparisons.
 */

import { dtypeInfo, type DType } from './dtype.js';
import type { Scalar } from './scalars.js';

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** A JavaScript value that NumPy would see as a Python int: an integer-valued number, or a bigint. */
export function isPythonInt(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
}

/** The values an integer dtype holds, exactly; null for bool and float dtypes. */
export function integerRange(dtype: DType): readonly [bigint, bigint] | null {
  const info = dtypeInfo(dtype);
  if (info.kind !== 'i' && info.kind !== 'u') return null;
  if (info.itemsize < 8) return [BigInt(info.min), BigInt(info.max)];
  return info.kind === 'i' ? [INT64_MIN, 2n ** 63n - 1n] : [0n, UINT64_MAX];
}

/** A value of `dtype` as the scalars of that dtype are held: numbers up to 32 bits, bigints for 64. */
function asScalarOf(value: bigint, dtype: DType): number | bigint {
  return dtypeInfo(dtype).itemsize === 8 ? value : Number(value);
}

/**
 * `clip`'s bound `value` for an integer `dtype`: a Python int beyond the dtype's range on the side where
 * it cannot bind (a lower bound below the minimum, an upper bound above the maximum) becomes that end
 * of the range; anything else is returned as it is (out of range on the binding side, it raises when
 * coerced, with NumPy's message).
 */
export function clipBound(value: Scalar, dtype: DType, side: 'lower' | 'upper'): Scalar {
  const range = integerRange(dtype);
  if (!range || !isPythonInt(value)) return value;
  const n = BigInt(value);
  if (side === 'lower' && n < range[0]) return asScalarOf(range[0], dtype);
  if (side === 'upper' && n > range[1]) return asScalarOf(range[1], dtype);
  return value;
}

/**
 * A Python int converted to an integer `dtype` as C converts a 64-bit integer (modulo 2^bits), which is
 * what `where` does with its scalars; values beyond 64 bits are returned as they are (they raise when
 * coerced: "Python int too large to convert to C long").
 */
export function wrappedToDType(value: Scalar, dtype: DType): Scalar {
  const range = integerRange(dtype);
  if (!range || !isPythonInt(value)) return value;
  const n = BigInt(value);
  if (n < INT64_MIN || n > UINT64_MAX) return value;
  const bits = dtypeInfo(dtype).itemsize * 8;
  return asScalarOf(range[0] < 0n ? BigInt.asIntN(bits, n) : BigInt.asUintN(bits, n), dtype);
}
