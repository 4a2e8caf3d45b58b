/**
 * NumPy's reductions as data: the result dtype of each (with ndgpu's 32-bit narrowing), the dtype it
 * accumulates in, its identity, and how two partial results combine — in WGSL (the GPU reduces in
 * bool/i32/u32/f32 through workgroup trees, which are pairwise) and in JavaScript (the CPU backend).
 */

import { dtypeInfo, type DType } from '../core/dtype.js';
import { narrowTo32 } from '../core/promotion.js';
import { computeClass, floatFor, type ComputeClass } from './ufuncs.js';

export type ReductionName = 'sum' | 'prod' | 'mean' | 'min' | 'max' | 'argmin' | 'argmax' | 'any' | 'all';

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
  /** WGSL: combine `a` and `b` of class `c` (for arg reductions, the better of two candidates). */
  wgslCombine(c: ComputeClass): string;
  /** WGSL identity of class `c`. */
  wgslIdentity(c: ComputeClass): string;
}

/** sum/prod: bool and narrow integers widen to the default integer of their kind (NumPy: int64/uint64). */
function sumType(input: DType): DType {
  const { kind, itemsize } = dtypeInfo(input);
  if (kind === 'f' || itemsize === 8) return input;
  return narrowTo32(kind === 'u' ? 'uint64' : 'int64', [input]);
}

const NAN_TESTS = `is_nan(a) || is_nan(b)`;

export const REDUCTIONS: Record<ReductionName, ReductionDef> = {
  sum: {
    name: 'sum',
    numpyName: 'add',
    result: sumType,
    accumulator: sumType,
    arg: false,
    needsElements: false,
    wgslCombine: (c) => (c === 'bool' ? 'a || b' : 'a + b'),
    wgslIdentity: (c) => ({ f32: '0.0', i32: '0', u32: '0u', bool: 'false' })[c],
  },
  prod: {
    name: 'prod',
    numpyName: 'multiply',
    result: sumType,
    accumulator: sumType,
    arg: false,
    needsElements: false,
    wgslCombine: (c) => (c === 'bool' ? 'a && b' : 'a * b'),
    wgslIdentity: (c) => ({ f32: '1.0', i32: '1', u32: '1u', bool: 'true' })[c],
  },
  mean: {
    name: 'mean',
    numpyName: 'add',
    result: (input) => floatFor(dtypeInfo(input).kind === 'f' ? input : narrowTo32('float64', [input])),
    accumulator: (input) => (dtypeInfo(input).itemsize === 8 ? 'float64' : 'float32'),
    arg: false,
    needsElements: false,
    wgslCombine: () => 'a + b',
    wgslIdentity: () => '0.0',
  },
  min: {
    name: 'min',
    numpyName: 'minimum',
    result: (input) => input,
    accumulator: (input) => input,
    arg: false,
    needsElements: true,
    wgslCombine: (c) => (c === 'f32' ? `select(min(a, b), nan_f32(), ${NAN_TESTS})` : c === 'bool' ? 'a && b' : 'min(a, b)'),
    wgslIdentity: (c) => ({ f32: 'bitcast<f32>(0x7f800000u)', i32: '2147483647', u32: '0xffffffffu', bool: 'true' })[c],
  },
  max: {
    name: 'max',
    numpyName: 'maximum',
    result: (input) => input,
    accumulator: (input) => input,
    arg: false,
    needsElements: true,
    wgslCombine: (c) => (c === 'f32' ? `select(max(a, b), nan_f32(), ${NAN_TESTS})` : c === 'bool' ? 'a || b' : 'max(a, b)'),
    wgslIdentity: (c) => ({ f32: 'bitcast<f32>(0xff800000u)', i32: '-2147483647 - 1', u32: '0u', bool: 'false' })[c],
  },
  // Arg reductions combine candidates (value, index): the better value wins, a NaN beats everything
  // (NumPy reports the first NaN), and ties go to the smaller index.
  argmin: {
    name: 'argmin',
    numpyName: 'argmin',
    result: () => 'int32',
    accumulator: (input) => input,
    arg: true,
    needsElements: true,
    wgslCombine: (c) => argCombine(c, '<'),
    wgslIdentity: (c) => ({ f32: 'bitcast<f32>(0x7f800000u)', i32: '2147483647', u32: '0xffffffffu', bool: 'true' })[c],
  },
  argmax: {
    name: 'argmax',
    numpyName: 'argmax',
    result: () => 'int32',
    accumulator: (input) => input,
    arg: true,
    needsElements: true,
    wgslCombine: (c) => argCombine(c, '>'),
    wgslIdentity: (c) => ({ f32: 'bitcast<f32>(0xff800000u)', i32: '-2147483647 - 1', u32: '0u', bool: 'false' })[c],
  },
  any: {
    name: 'any',
    numpyName: 'logical_or',
    result: () => 'bool',
    accumulator: () => 'bool',
    arg: false,
    needsElements: false,
    wgslCombine: () => 'a || b',
    wgslIdentity: () => 'false',
  },
  all: {
    name: 'all',
    numpyName: 'logical_and',
    result: () => 'bool',
    accumulator: () => 'bool',
    arg: false,
    needsElements: false,
    wgslCombine: () => 'a && b',
    wgslIdentity: () => 'true',
  },
};

/** WGSL choosing between candidates (a, ia) and (b, ib): true when `a` should win. */
function argCombine(c: ComputeClass, better: '<' | '>'): string {
  const value = c === 'bool' ? `select(0u, 1u, a) ${better} select(0u, 1u, b)` : `a ${better} b`;
  const tie = c === 'bool' ? `a == b` : `a == b`;
  if (c !== 'f32') return `(${value}) || ((${tie}) && ia < ib)`;
  return `(is_nan(a) && (!is_nan(b) || ia < ib)) || (!is_nan(a) && !is_nan(b) && ((${value}) || ((${tie}) && ia < ib)))`;
}

/** The compute class a reduction accumulates in on the GPU (null for 64-bit: CPU only). */
export function accumulatorClass(def: ReductionDef, input: DType): ComputeClass | null {
  return computeClass(def.accumulator(input));
}
