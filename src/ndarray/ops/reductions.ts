/**
 * NumPy's reductions as data: the result dtype of each (with ndgpu's 32-bit narrowing), the dtype it
 * accumulates in, and whether it needs elements. How each combines partial results is the executors'
 * knowledge, keyed by the reduction's name (shaders/reduce.ts for WGSL, device/cpu/reduce.ts).
 */

import { dtypeInfo, type DType } from '../core/dtype.js';
import { narrowTo32 } from '../core/promotion.js';
import { floatFor } from './ufuncs.js';

import type { ReductionName } from '../core/reduce-plan.js';

export type { ReductionName };

export interface ReductionDef {
  readonly name: ReductionName;
  /** NumPy's name for messages ("minimum" for min). */
  readonly numpyName: string;
  /** The result dtype for an input dtype. */
  result(input: DType): DType;
  /** The dtype partial results are kept in (inputs are converted to it). */
  accumulator(input: DType): DType;
  /** Whether the reduction returns positions (argmin/argmax). */
  readonly arg: boolean;
  /** Whether an empty reduction is an error (no identity). */
  readonly needsElements: boolean;
}

/**
 * sum/prod: bool and narrow integers widen to the default integer of their kind (NumPy: int64/uint64),
 * narrowed to 32 bits. NumPy accumulates them exactly in 64 bits and ndgpu's result keeps the low 32 bits
 * of that; addition and multiplication modulo 2^32 give exactly those bits in any order, so the 32-bit
 * accumulators (i32/u32 on the GPU) are that exact 64-bit accumulation wrapped, on every backend. Only the
 * mean needs the high word (see exactIntegerMean).
 */
function sumType(input: DType): DType {
  const { kind, itemsize } = dtypeInfo(input);
  if (kind === 'f' || itemsize === 8) return input;
  return narrowTo32(kind === 'u' ? 'uint64' : 'int64', [input]);
}

/**
 * Whether the mean of `input` is computed from an exact integer sum: bool and 8- to 32-bit integers. NumPy
 * sums them in float64 (exact below 2^53) and divides in float64; ndgpu sums them exactly in 64 bits (on
 * the GPU in pairs of 32-bit words), divides with one rounding to float64, and rounds that once more to
 * the float32 result: NumPy's float64 mean cast to float32, with the same bits on every backend.
 */
export function exactIntegerMean(input: DType): boolean {
  const { kind, itemsize } = dtypeInfo(input);
  return kind !== 'f' && itemsize <= 4;
}

export const REDUCTIONS: Record<ReductionName, ReductionDef> = {
  sum: {
    name: 'sum',
    numpyName: 'add',
    result: sumType,
    accumulator: sumType,
    arg: false,
    needsElements: false,
  },
  prod: {
    name: 'prod',
    numpyName: 'multiply',
    result: sumType,
    accumulator: sumType,
    arg: false,
    needsElements: false,
  },
  mean: {
    name: 'mean',
    numpyName: 'add',
    result: (input) => floatFor(dtypeInfo(input).kind === 'f' ? input : narrowTo32('float64', [input])),
    // Integers and bools: an exact 64-bit sum, divided once (see exactIntegerMean); floats in their own
    // precision (float16 in float32), as NumPy; 64-bit integers in float64, as NumPy.
    accumulator: (input) => {
      if (exactIntegerMean(input)) return dtypeInfo(input).kind === 'i' ? 'int64' : 'uint64';
      return dtypeInfo(input).itemsize === 8 ? 'float64' : 'float32';
    },
    arg: false,
    needsElements: false,
  },
  min: {
    name: 'min',
    numpyName: 'minimum',
    result: (input) => input,
    accumulator: (input) => input,
    arg: false,
    needsElements: true,
  },
  max: {
    name: 'max',
    numpyName: 'maximum',
    result: (input) => input,
    accumulator: (input) => input,
    arg: false,
    needsElements: true,
  },
  argmin: {
    name: 'argmin',
    numpyName: 'argmin',
    result: () => 'int32',
    accumulator: (input) => input,
    arg: true,
    needsElements: true,
  },
  argmax: {
    name: 'argmax',
    numpyName: 'argmax',
    result: () => 'int32',
    accumulator: (input) => input,
    arg: true,
    needsElements: true,
  },
  any: {
    name: 'any',
    numpyName: 'logical_or',
    result: () => 'bool',
    accumulator: () => 'bool',
    arg: false,
    needsElements: false,
  },
  all: {
    name: 'all',
    numpyName: 'logical_and',
    result: () => 'bool',
    accumulator: () => 'bool',
    arg: false,
    needsElements: false,
  },
};
