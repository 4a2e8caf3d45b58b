/**
 * Reductions (sum, prod, mean, min, max, argmin, argmax, any, all) along any axes of any view, with
 * `keepdims`, as NumPy: the backend combines each output's elements into a contiguous temporary of
 * partial results (32-bit words on the GPU), which is then cast (or, for mean, divided) into the result.
 */

import { dtypeInfo, type DType } from '../core/dtype.js';
import { ValueError, normalizeAxis, notAnInteger } from '../core/errors.js';
import { classDType, computeClass } from '../core/kernel-forms.js';
import { freshLayout, sizeOf } from '../core/layout.js';
import { argOutCastError, checkReductionOut } from '../core/reduce-out.js';
import { planReduction } from '../core/reduce-plan.js';
import { resultType } from '../core/promotion.js';
import { REDUCTIONS, exactIntegerMean, type ReductionName } from '../ops/reductions.js';
import { fillScalar, moveElements } from './assign.js';
import { requireComputable } from './capabilities.js';
import type { ArrayMemory } from './memory.js';
import { checkOperandOf, freshOperand, isArrayOperand, temporary, withLayout, type ArrayOperand, type Operand } from './operand.js';
import { UFUNCS } from '../ops/ufuncs.js';
import { canCastSameKind, computeElementwise } from './ufunc.js';

export type Axis = number | readonly number[] | null | undefined;

export interface ReduceOptions {
  /** Keep reduced axes as length-1 axes, so the result broadcasts against the input. */
  keepdims?: boolean;
  /** Where to write the result (NumPy's `out`): a writable array of the result's shape, any dtype. */
  out?: ArrayOperand;
}

/** What reducing no elements gives (reductions without an identity raise before getting here). */
const EMPTY_VALUE: Partial<Record<ReductionName, number>> = { sum: 0, mean: 0, prod: 1, any: 0, all: 1 };

/** The reduced axes, normalised, with NumPy's errors. */
export function reducedAxes(axis: Axis, ndim: number, arg: boolean): number[] {
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  if (typeof axis === 'number') return [normalizeAxis(axis, ndim)];
  if (!Array.isArray(axis)) throw notAnInteger(axis);
  if (arg) throw new TypeError("'tuple' object cannot be interpreted as an integer");
  const axes = axis.map((a: unknown) => normalizeAxis(a as number, ndim));
  if (new Set(axes).size !== axes.length) throw new ValueError("duplicate value in 'axis'");
  return axes;
}

/** dtypes an argmin/argmax `out` may have: those that cast safely to NumPy's index type (int64). */
const ARG_OUT_DTYPES: ReadonlySet<DType> = new Set(['bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32']);

/** Checks `out` of a reduction (kind, context, writeability, shape and dtype, with NumPy's errors). */
function checkOut(
  memory: ArrayMemory,
  out: unknown,
  input: readonly number[],
  axes: readonly number[],
  op: ReductionName,
  keepdims: boolean,
): ArrayOperand {
  if (!isArrayOperand(out)) throw new TypeError('return arrays must be of ArrayType');
  checkOperandOf(memory, out, 'out must belong to the same ndgpu context');
  const def = REDUCTIONS[op];
  checkReductionOut(out.layout.shape, { input, axes, keepdims, numpyName: def.numpyName, arg: def.arg });
  if (def.arg && !ARG_OUT_DTYPES.has(out.dtype)) throw argOutCastError(out.dtype, out.layout.shape);
  if (!out.flags.writeable) throw new ValueError('output array is read-only');
  return out;
}

/**
 * Reduces `array` over `axis`; returns the operand written: `out`, or new memory holding the result (for
 * a new owner array).
 */
export function applyReduction(
  memory: ArrayMemory,
  op: ReductionName,
  array: ArrayOperand,
  axis: Axis,
  options: ReduceOptions = {},
): Operand {
  if (!isArrayOperand(array)) throw new TypeError(`${op}() takes an NDArray`);
  checkOperandOf(memory, array, 'the array belongs to another ndgpu context');
  const shape = array.layout.shape;
  const axes = reducedAxes(axis, shape.length, REDUCTIONS[op].arg);
  const keepdims = Boolean(options.keepdims);
  const out = options.out === undefined ? undefined : checkOut(memory, options.out, shape, axes, op, keepdims);
  return reduceOperand(memory, op, array, axes, keepdims, out);
}

/**
 * Reduces any operand of this context (arrays, routines' temporaries) over normalised `axes`, into `out`
 * (already checked) or new memory. With `out`, NumPy reduces sum and prod in the promotion of `out`'s
 * dtype with the input's (`sum(int8, out=float32)` adds in float32, `sum(float16, out=float32)` too), so
 * the input is cast to that dtype first where it differs; min and max give the same values either way,
 * and the others reduce in their own dtypes. The result is then cast into `out` (a float mean divides
 * there, as NumPy does; an integer mean is the exact mean, cast into `out`).
 */
export function reduceOperand(
  memory: ArrayMemory,
  op: ReductionName,
  array: Operand,
  axes: readonly number[],
  keepdims: boolean,
  out?: Operand,
): Operand {
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
  const loop = out && (op === 'sum' || op === 'prod') ? resultType(out.dtype, array.dtype) : array.dtype;
  const result = def.result(loop);
  const accumulator = def.accumulator(loop);
  // The mean of integers divides an exact 64-bit sum, which every backend computes (the GPU in word
  // pairs), and writes the means themselves.
  const dividedExactly = op === 'mean' && exactIntegerMean(loop);
  requireComputable(memory.backend, dividedExactly ? [loop] : [loop, accumulator], `${op}() would accumulate in`);
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
  const target = out ?? freshOperand(memory, outShape, result);
  const releases: (() => void)[] = [];
  try {
    let source: Operand = array;
    if (loop !== array.dtype) {
      const cast = temporary(memory, shape, loop);
      releases.push(cast.release);
      moveElements(cast.operand, array);
      source = cast.operand;
    }
    const divisor = dividedExactly ? length : undefined;
    const plan = planReduction(source.layout, dtypeInfo(loop).itemsize, axes, op, loop, accumulator, temp, divisor);
    // A new result of the partials' own dtype is written by the reduction itself (its elements are the
    // outputs in C order); anything else takes the partials from a temporary, cast into place.
    const direct = !out && temp === result;
    let partials = target;
    if (!direct) {
      const partial = temporary(memory, [plan.outputs], temp);
      releases.push(partial.release);
      partials = partial.operand;
    }
    if (sizeOf(shape) > 0) memory.backend.reduce(partials.storage.buffer, source.storage.buffer, plan);
    else if (plan.outputs > 0) fillScalar(partials, dividedExactly ? NaN : (EMPTY_VALUE[op] ?? 0)); // the identity (a mean: 0 / 0)
    // `out`'s layout on the output shape (keepdims or not, its elements are the outputs in C order).
    const shaped = direct ? target : withLayout(partials, freshLayout(outShape, dtypeInfo(temp).itemsize));
    if (op !== 'mean' || dividedExactly) {
      if (!direct) moveElements(target, shaped);
    } else if (!out) computeElementwise(memory, UFUNCS.divide, [shaped, length], target);
    else {
      // NumPy's mean into `out`: the sum cast into it, then divided there, rounding into its dtype.
      moveElements(target, shaped);
      const quotient = UFUNCS.divide.resolve([target.dtype, length]).result;
      if (canCastSameKind(quotient, target.dtype)) computeElementwise(memory, UFUNCS.divide, [target, length], target);
      else {
        const divided = temporary(memory, outShape, quotient);
        releases.push(divided.release);
        computeElementwise(memory, UFUNCS.divide, [target, length], divided.operand);
        moveElements(target, divided.operand);
      }
    }
  } finally {
    for (const release of releases) release();
  }
  return target; // a new target is released by the caller's memory.guard if this throws
}
