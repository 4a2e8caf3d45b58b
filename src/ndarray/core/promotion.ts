/**
 * Which dtype an operation's result has: NumPy 2's promotion (NEP 50), with ndgpu's 32-bit defaults.
 *
 * - Between arrays: NumPy's table (`int8 + uint8 → int16`, `int32 + float16 → float64`...).
 * - JavaScript numbers and booleans are "weak", like Python scalars in NumPy 2: they take the array's
 *   dtype when its kind can hold them (`uint8 array + 1 → uint8`), else the default of their kind.
 * - ndgpu's defaults are 32-bit (GPUs compute in 32 bits): where NumPy would widen operands that are all
 *   32-bit or narrower to a 64-bit type, the result is the 32-bit type of that kind instead
 *   (`int32 + float32 → float32`, `int32 + uint32 → int32`), as JAX does without x64. Operands that are
 *   already 64-bit keep NumPy's result.
 */

import { dtypeInfo, type DType, type DTypeKind } from './dtype.js';
import type { Scalar } from './scalars.js';

const ORDER: Record<DTypeKind, number> = { b: 0, u: 1, i: 1, f: 2 };

function intOf(kind: 'i' | 'u', size: number): DType {
  const bits = size * 8;
  return `${kind === 'u' ? 'uint' : 'int'}${bits}` as DType;
}

function floatOf(size: number): DType {
  return size <= 2 ? 'float16' : size === 4 ? 'float32' : 'float64';
}

/** NumPy 2's `result_type` of two array dtypes (no narrowing). */
export function numpyResultType(a: DType, b: DType): DType {
  if (a === b) return a;
  const x = dtypeInfo(a);
  const y = dtypeInfo(b);
  if (x.kind === 'b') return b;
  if (y.kind === 'b') return a;
  if (x.kind === 'f' || y.kind === 'f') {
    if (x.kind === 'f' && y.kind === 'f') return floatOf(Math.max(x.itemsize, y.itemsize));
    const [f, n] = x.kind === 'f' ? [x, y] : [y, x];
    // The smallest float that holds every value of the integer type exactly enough, as NumPy decides.
    const needed = n.itemsize === 1 ? 2 : n.itemsize === 2 ? 4 : 8;
    return floatOf(Math.max(f.itemsize, needed));
  }
  if (x.kind === y.kind) return intOf(x.kind as 'i' | 'u', Math.max(x.itemsize, y.itemsize));
  const [u, s] = x.kind === 'u' ? [x, y] : [y, x];
  if (s.itemsize > u.itemsize) return s.name;
  if (u.itemsize === 8) return 'float64';
  return intOf('i', u.itemsize * 2);
}

/** ndgpu's result type of two array dtypes: NumPy's, narrowed to 32 bits when no operand is 64-bit. */
export function resultType(a: DType, b: DType): DType {
  return narrowTo32(numpyResultType(a, b), [a, b]);
}

/**
 * `wide` (a type NumPy chose) narrowed to 32 bits when no array operand is 64-bit: ndgpu's 32-bit
 * defaults. JS scalars never count as 64-bit operands (bigints aside).
 */
export function narrowTo32(wide: DType, operands: readonly (DType | Scalar)[]): DType {
  const info = dtypeInfo(wide);
  const anyWide = operands.some((o) => (typeof o === 'string' ? dtypeInfo(o).itemsize === 8 : typeof o === 'bigint'));
  if (info.itemsize < 8 || anyWide) return wide;
  return info.kind === 'f' ? 'float32' : intOf(info.kind as 'i' | 'u', 4);
}

/** The dtype a lone JavaScript scalar has (ndgpu's defaults). */
export function scalarDType(value: Scalar): DType {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'int64';
  return Number.isInteger(value) ? 'int32' : 'float32';
}

/** Kind rank of a weak scalar: bool < integer < float. */
function scalarKind(value: Scalar): number {
  if (typeof value === 'boolean') return 0;
  if (typeof value === 'bigint' || Number.isInteger(value)) return 1;
  return 2;
}

/**
 * NEP 50 with a weak scalar: the array's dtype when its kind is at least the scalar's (a JS number that
 * is integral counts as an integer), else the scalar kind's default (int32, float32) — NumPy's int64 or
 * float64 narrowed to 32 bits, except next to a 64-bit array, which keeps NumPy's result
 * (`int64 array + 2.5 → float64`).
 */
export function resultTypeWithScalar(array: DType, value: Scalar): DType {
  const info = dtypeInfo(array);
  const kind = ORDER[info.kind];
  const needed = scalarKind(value);
  if (kind >= needed) return array;
  if (needed === 1) return 'int32';
  return info.itemsize === 8 ? 'float64' : 'float32';
}

/** Result dtype of an operation over several operands (arrays by dtype, scalars weakly). */
export function resultTypeOf(operands: readonly (DType | Scalar)[]): DType {
  const arrays = operands.filter((o): o is DType => typeof o === 'string');
  const scalars = operands.filter((o): o is Scalar => typeof o !== 'string');
  if (arrays.length === 0) return scalars.map(scalarDType).reduce((a, b) => resultType(a, b));
  let result = arrays.reduce((a, b) => resultType(a, b));
  for (const s of scalars) result = resultTypeWithScalar(result, s);
  return result;
}
