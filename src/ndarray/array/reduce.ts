/**
 * Reductions (sum, prod, mean, min, max, argmin, argmax, any, all) along any axes of any view, with
 * `keepdims`, as NumPy: the backend combines each output's elements into a contiguous temporary of
 * 32-bit partial results, which is then cast (or, for mean, divided) into the result array.
 */

import { fillScalar, moveElements, withLayout } from './assign.js';
import { dtypeInfo, type DType } from '../core/dtype.js';
import type { Engine } from './memory.js';
import { ValueError, normalizeAxis } from '../core/errors.js';
import { byteBounds, freshLayout, sizeOf } from '../core/layout.js';
import { Slice } from '../core/indexing.js';
import { NDArray } from './ndarray.js';
import { REDUCTIONS, type ReductionName } from '../ops/reductions.js';
import { planReduction } from '../core/reduce-plan.js';
import { applyUfunc } from './ufunc.js';
import { classDType, computeClass } from '../ops/ufuncs.js';

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
  const [low, high] = byteBounds(array.layout, array.itemsize);
  // Leave room for the window's start alignment.
  if (high - low > engine.backend.limits.maxBindingSize - 4096 && array.size > 1) {
    return reduceInBlocks(engine, op, array, axes, def.arg && (axis === undefined || axis === null), options.keepdims ?? false);
  }
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

/**
 * A reduction whose source spans more than one binding reads: split along the outermost axis longer than
 * one into blocks that fit, reduce each, then combine — directly into the output when that axis is kept;
 * otherwise through a stack of per-block partial results, reduced again (argmin/argmax pick the winning
 * block per output and take its position, shifted by the block's start).
 */
function reduceInBlocks(engine: Engine, op: ReductionName, array: NDArray, axes: readonly number[], flat: boolean, keepdims: boolean): NDArray {
  const s = array.shape.findIndex((n) => n > 1);
  const [low, high] = byteBounds(array.layout, array.itemsize);
  const pieces = Math.max(2, Math.ceil((high - low) / (engine.backend.limits.maxBindingSize / 2)));
  const n = array.shape[s];
  const step = Math.ceil(n / pieces);
  const starts = Array.from({ length: Math.ceil(n / step) }, (_, b) => b * step);
  const block = (start: number) => array.get(array.shape.map((_, k) => (k === s ? new Slice(start, start + step) : new Slice())));
  const axisArg = flat ? null : axes.length === 1 ? axes[0] : [...axes];
  const temporaries: NDArray[] = [];
  const keep = <T extends NDArray>(x: T): T => {
    temporaries.push(x);
    return x;
  };
  try {
    if (!axes.includes(s)) {
      // The split axis is kept: each block's result is a slice of the output.
      const parts = starts.map((start) => keep(applyReduction(engine, op, keep(block(start)), axisArg, { keepdims })));
      const outAxis = keepdims ? s : s - axes.filter((k) => k < s).length;
      const shape = [...parts[0].shape];
      shape[outAxis] = n;
      const out = owner(engine, shape, parts[0].dtype);
      parts.forEach((part, b) => out.set(shape.map((_, k) => (k === outAxis ? new Slice(starts[b], starts[b] + step) : new Slice())), part));
      return out;
    }
    // The split axis is reduced: stack per-block results (kept dims) along it and reduce the stack.
    const stackOf = (parts: NDArray[]) => {
      const shape = [...parts[0].shape];
      shape[s] = parts.length;
      const stack = keep(owner(engine, shape, parts[0].dtype));
      parts.forEach((part, b) => stack.set(shape.map((_, k) => (k === s ? b : new Slice())), part.get(shape.map((_, k) => (k === s ? 0 : new Slice())))));
      return stack;
    };
    const blocks = starts.map((start) => keep(block(start)));
    const final = (x: NDArray, reduction: ReductionName) => applyReduction(engine, reduction, x, flat ? null : axisArg, { keepdims });
    if (op === 'argmin' || op === 'argmax') {
      const extreme: ReductionName = op === 'argmin' ? 'min' : 'max';
      const values = stackOf(blocks.map((b) => keep(applyReduction(engine, extreme, b, axisArg, { keepdims: true }))));
      const positions = blocks.map((b) => keep(applyReduction(engine, op, b, axisArg, { keepdims: true })));
      // A block's first element sits at this flat position (the axes before `s` have length 1).
      const stride = flat ? array.shape.slice(s + 1).reduce((p, m) => p * m, 1) : 1;
      const winner = keep(final(values, op));
      let out = keep(winner.multiply(0));
      positions.forEach((position, b) => {
        const shifted = keep(position.add(starts[b] * stride));
        const picked = keep(shifted.reshape(winner.shape));
        const chosen = keep(winner.equal(b));
        out = keep(engine.compute?.('where', [chosen, picked, out]) as NDArray);
      });
      return out.copy();
    }
    if (op === 'mean') {
      // Each block's mean, weighted by how many elements it reduced, summed, then divided by the total.
      const sums = stackOf(
        blocks.map((b) => keep(keep(applyReduction(engine, 'mean', b, axisArg, { keepdims: true })).multiply(axes.reduce((p, k) => p * b.shape[k], 1)))),
      );
      const total = axes.reduce((p, k) => p * array.shape[k], 1);
      return keep(final(sums, 'sum')).divide(total);
    }
    const partials = stackOf(blocks.map((b) => keep(applyReduction(engine, op, b, axisArg, { keepdims: true }))));
    return final(partials, op);
  } finally {
    for (const t of temporaries) t.dispose();
  }
}
