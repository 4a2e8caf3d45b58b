/**
 * Reductions (sum, prod, mean, min, max, argmin, argmax, any, all) along any axes of any view, with
 * `keepdims`, as NumPy: the backend combines each output's elements into a contiguous temporary of
 * 32-bit partial results, which is then cast (or, for mean, divided) into the result array.
 */

import { fillScalar, moveElements, withLayout } from './assign.js';
import { dtypeInfo, type DType } from './dtype.js';
import type { Engine } from './engine.js';
import { ValueError, normalizeAxis } from './errors.js';
import { freshLayout, sizeOf } from './layout.js';
import { NDArray } from './ndarray.js';
import { REDUCTIONS, type ReductionName } from './reduce-defs.js';
import { planReduction } from './reduce-plan.js';
import { applyUfunc } from './ufunc.js';
import { classDType, computeClass } from './ufunc-defs.js';

export type Axis = number | readonly number[] | null | undefined;

export interface ReduceOptions {
  /** Keep reduced axes as length-1 axes, so the result broadcasts against the input. */
  keepdims?: boolean;
}

/** What reducing no elements gives (reductions without an identity raise before getting here). */
const EMPTY_VALUE: Partial<Record<ReductionName, number>> = { sum: 0, mean: 0, prod: 1, any: 0, all: 1 };

function owner(engine: Engine, shape: readonly number[], dtype: DType): NDArray {
  const itemsize = dtypeInfo(dtype).itemsize;
  const storage = engine.allocate(sizeOf(shape) * itemsize);
  return new NDArray({ engine, storage, layout: freshLayout(shape, itemsize), dtype, owner: null, writeable: true });
}

/** The reduced axes, normalised, with NumPy's errors. */
function reducedAxes(axis: Axis, ndim: number, arg: boolean): number[] {
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  if (typeof axis === 'number') return [normalizeAxis(axis, ndim)];
  if (arg) throw new TypeError("'tuple' object cannot be interpreted as an integer");
  const axes = axis.map((a) => normalizeAxis(a, ndim));
  if (new Set(axes).size !== axes.length) throw new ValueError("duplicate value in 'axis'");
  return axes;
}

export function applyReduction(engine: Engine, op: ReductionName, array: NDArray, axis: Axis, options: ReduceOptions = {}): NDArray {
  array.checkUsable();
  if (array.engine !== engine) throw new ValueError('the array belongs to another ndgpu context');
  const def = REDUCTIONS[op];
  const axes = reducedAxes(axis, array.ndim, def.arg);
  const length = axes.reduce((p, k) => p * array.shape[k], 1);
  const keptShape = array.shape.filter((_, k) => !axes.includes(k));
  if (def.needsElements && length === 0 && sizeOf(keptShape) > 0) {
    throw new ValueError(def.arg ? `attempt to get ${op} of an empty sequence` : `zero-size array to reduction operation ${def.numpyName} which has no identity`);
  }
  const result = def.result(array.dtype);
  const accumulator = def.accumulator(array.dtype);
  const accumulatorClass = computeClass(accumulator);
  if (engine.backend.kind === 'webgpu' && !accumulatorClass) {
    throw new TypeError(`${op}() would accumulate in ${accumulator}, which WebGPU cannot (WGSL has no 64-bit types): cast to a 32-bit dtype with astype(), or use the CPU backend`);
  }
  // Partial results are 32-bit words on every backend (bool as uint32), 64-bit types on the CPU only.
  const temp: DType = def.arg ? 'int32' : accumulatorClass ? (accumulatorClass === 'bool' ? 'uint32' : classDType(accumulatorClass)) : accumulator;
  const outShape = options.keepdims ? array.shape.map((n, k) => (axes.includes(k) ? 1 : n)) : keptShape;
  const plan = planReduction(array.layout, array.itemsize, axes, op, array.dtype, accumulator, temp);
  const out = owner(engine, outShape, result);
  const partial = owner(engine, [plan.outputs], temp);
  try {
    if (array.size > 0) engine.backend.reduce(partial.storage.buffer, array.storage.buffer, plan);
    else if (plan.outputs > 0) fillScalar(partial, EMPTY_VALUE[op] ?? 0); // nothing to combine: the identity
    const shaped = withLayout(partial, freshLayout(outShape, partial.itemsize));
    if (op === 'mean') {
      const view = partial.viewWithLayout(shaped.layout);
      try {
        applyUfunc(engine, 'divide', [view, length], { out });
      } finally {
        view.dispose();
      }
    } else {
      moveElements(out, shaped);
    }
  } catch (error) {
    out.dispose();
    throw error;
  } finally {
    partial.dispose();
  }
  return out;
}
