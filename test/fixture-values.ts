import type { DType, Scalar } from '../src/index.js';

/**
 * A value as the fixture scripts (scripts/gen-*.py) write it: JSON has no NaN, infinities or -0, so
 * those are spelled "nan", "inf", "-inf", "-0"; 64-bit integers are decimal strings, exact past 2**53.
 */
export type EncodedScalar = number | boolean | string;

const SPELLED_FLOATS = new Map<string, number>([
  ['nan', NaN],
  ['inf', Infinity],
  ['-inf', -Infinity],
  ['-0', -0],
]);

/** Undoes the fixture encoding; `dtype` says whether strings are 64-bit integers. */
export function decodeScalar(value: EncodedScalar, dtype?: DType): Scalar {
  if (typeof value !== 'string') return value;
  if (dtype === 'int64' || dtype === 'uint64') return BigInt(value);
  const float = SPELLED_FLOATS.get(value);
  if (float === undefined) throw new Error(`unexpected encoded value ${value}`);
  return float;
}
