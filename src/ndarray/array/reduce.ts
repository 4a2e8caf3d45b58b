/**
 * Reductions (sum, prod, mean, min, max, argmin, argmax, any, all) along any axes of any view, with
 * `keepdims`, as NumPy: the backend combines each output's elements into a contiguous temporary of
 * partial results (32-bit words on the GPU), which is then cast (or, for mean, divided) into the result.
 */

import { dtypeInfo, type DType } from '../core/dtype.js';
import { ValueError, normalizeAxis } from '../core/errors.js';
import { classDType, computeClass } from '../core/kernel-forms.js';
import { freshLayout, sizeOf } from '../core/layout.js';
import { planReduction } from '../core/reduce-plan.js';
import { REDUCTIONS, exactIntegerMean, type ReductionName } from '../ops/reductions.js';
import { fillScalar, moveElements } from './assign.js';
import { requireComputable } from './capabilities.js';
import type { ArrayMemory } from './memory.js';
import { checkOperandOf, freshOperand, isArrayOperand, temporary, withLayout, type ArrayOperand, type Operand } from './operand.js';
import { UFUNCS } from '../ops/ufuncs.js';
import { computeElementwise } from './ufunc.js';

export type Axis = number | readonly number[] | null | undefined;

export interface ReduceOptions {
  /** Keep reduced axes as length-1 axes, so the result broadcasts against the input. */
  keepdims?: boolean;
}

/** What reducing no elements gives (reductions without an identity raise before getting here). */
const EMPTY_VALUE: Partial<Record<ReductionName, number>> = { sum: 0, mean: 0, prod: 1, any: 0, all: 1 };

/** The reduced axes, normalised, with NumPy's errors. */
export function reducedAxes(axis: Axis, ndim: number, arg: boolean): number[] {
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  if (typeof axis === 'number') return [normalizeAxis(axis, ndim)];
  if (arg) throw new TypeError("'tuple' object cannot be interpreted as an integer");
  const axes = axis.map((a) => normalizeAxis(a, ndim));
  if (new Set(axes).size !== axes.length) throw new ValueError("duplicate value in 'axis'");
  return axes;
}

/** Reduces `array` over `axis`; returns new memory holding the result (for a new owner array). */
export function applyReduction(
  memory: ArrayMemory,
  op: ReductionName,
  array: ArrayOperand,
  axis: Axis,
  options: ReduceOptions = {},
): Operand {
  if (!isArrayOperand(array)) throw new TypeError(`${op}() takes an NDArray`);
  checkOperandOf(memory, array, 'the array belongs to another ndgpu context');
  const axes = reducedAxes(axis, array.layout.shape.length, REDUCTIONS[op].arg);
  return reduceOperand(memory, op, array, axes, options.keepdims ?? false);
}

/** Reduces any operand of this context (arrays, routines' temporaries) over normalised `axes`. */
export function reduceOperand(memory: ArrayMemory, op: ReductionName, array: Operand, axes: readonly number[], keepdims: boolean): Operand {
  const def = REDUCTIONS[op];
  const shape = array.layout.shape;
  const length = axes.reduce((p, k) => p * shape[k], 1);
  const keptShape = shape.filter((_, k) => !axes.includes(k));
  if (def.needsElements && length === 0 && sizeOf(keptShape) > 0) {
    throw new ValueError(
      def.arg
        ? `attempt to get ${op} of an empty sequence`
        : `zero-size array to reduction operation ${def.numpyName} which has no identity`,
    );
  }
  const result = def.result(array.dtype);
  const accumulator = def.accumulator(array.dtype);
  // The mean of integers divides an exact 64-bit sum, which every backend computes (the GPU in word
  // pairs), and writes the means themselves.
  const dividedExactly = op === 'mean' && exactIntegerMean(array.dtype);
  if (!dividedExactly) requireComputable(memory.backend, [accumulator], `${op}() would accumulate in`);
  // Partial results are 32-bit words where the accumulator has a compute class (bool as uint32
  // words), else the 64-bit accumulator itself (on backends that compute in it).
  const accumulatorClass = computeClass(accumulator);
  const temp: DType = def.arg
    ? 'int32'
    : dividedExactly
      ? result
      : accumulatorClass
        ? accumulatorClass === 'bool'
          ? 'uint32'
          : classDType(accumulatorClass)
        : accumulator;
  const outShape = keepdims ? shape.map((n, k) => (axes.includes(k) ? 1 : n)) : keptShape;
  const plan = planReduction(
    array.layout,
    dtypeInfo(array.dtype).itemsize,
    axes,
    op,
    array.dtype,
    accumulator,
    temp,
    dividedExactly ? length : undefined,
  );
  const out = freshOperand(memory, outShape, result);
  const partial = temporary(memory, [plan.outputs], temp);
  try {
    if (sizeOf(shape) > 0) memory.backend.reduce(partial.operand.storage.buffer, array.storage.buffer, plan);
    else if (plan.outputs > 0) fillScalar(partial.operand, dividedExactly ? NaN : (EMPTY_VALUE[op] ?? 0)); // nothing to combine: the identity (a mean: 0 / 0)
    const shaped = withLayout(partial.operand, freshLayout(outShape, dtypeInfo(temp).itemsize));
    if (op === 'mean' && !dividedExactly) computeElementwise(memory, UFUNCS.divide, [shaped, length], out);
    else moveElements(out, shaped);
  } catch (error) {
    out.storage.free();
    throw error;
  } finally {
    partial.release();
  }
  return out;
}
