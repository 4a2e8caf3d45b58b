/**
 * `np.pad(a, pad_width, mode, constant_values)` for the modes 'constant', 'edge', 'reflect', 'symmetric'
 * and 'wrap', with NumPy's argument rules and messages. The result is new memory (C order, or F for an
 * F-but-not-C input, as NumPy's): the input is copied into its middle, then each axis' pads are filled,
 * axis after axis, by fills (constant) or by copies from the axis' original area within the result itself
 * (see core/pad.ts): a few copies per axis and side, whatever the widths.
 */

import { dtypeInfo } from '../core/dtype.js';
import { ValueError, shapeReprCompact } from '../core/errors.js';
import { nestedShape, type NestedArray } from '../core/host.js';
import { broadcastLayout, freshLayout, isCContiguous, isFContiguous, sizeOf, sliceAxis, type Layout } from '../core/layout.js';
import { PAD_MODES, padRegion, padRunLayouts, padRuns, type PadMode } from '../core/pad.js';
import { planCopy } from '../core/plan.js';
import { scalarPattern, type Scalar } from '../core/scalars.js';
import { fillScalar, moveElements } from './assign.js';
import type { ArrayMemory } from './memory.js';
import { freshOperand, itemsizeOf, withLayout, type Operand } from './operand.js';

export type { PadMode };

/** Pad widths: one for every side, `[before, after]` for every axis, or `[[before, after], ...]` per axis. */
export type PadWidth = number | readonly number[] | readonly (readonly number[])[];
/** Constant values, shaped as pad widths. */
export type PadValues = Scalar | readonly Scalar[] | readonly (readonly Scalar[])[];

/** `pad`'s options (NumPy's keywords). */
export interface PadOptions {
  /** How the pads are filled (default 'constant'). */
  mode?: PadMode;
  /** For mode 'constant': the value(s), shaped as pad widths (default 0). */
  constantValues?: PadValues;
}

/** NumPy's modes that ndgpu does not implement (they compute statistics or ramps, not copies). */
const OTHER_NUMPY_MODES = ['empty', 'linear_ramp', 'maximum', 'mean', 'median', 'minimum'];

/**
 * NumPy's `_as_pairs(x, ndim)`: a single value for every side, one `(before, after)` pair for every
 * axis, or one pair per axis, broadcast to `(ndim, 2)`. `asIndex`: the widths, non-negative.
 */
function asPairs<T extends Scalar>(value: unknown, ndim: number, asIndex: boolean): [T, T][] {
  const shape = nestedShape(value as NestedArray);
  const flat: T[] = [];
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else flat.push(v as T);
  };
  collect(value);
  if (asIndex && (flat.length === 0 || flat.some((v) => typeof v !== 'number' || !Number.isInteger(v)))) {
    throw new TypeError('`pad_width` must be of integral type.');
  }
  const negative = () => asIndex && flat.some((v) => (v as number) < 0);
  if (shape.length < 3 && flat.length === 1) {
    if (negative()) throw new ValueError("index can't contain negative values");
    return Array.from({ length: ndim }, () => [flat[0], flat[0]]);
  }
  if (shape.length < 3 && flat.length === 2 && !(shape.length === 2 && shape[0] === 2 && shape[1] === 1)) {
    if (negative()) throw new ValueError("index can't contain negative values");
    return Array.from({ length: ndim }, () => [flat[0], flat[1]]);
  }
  if (negative()) throw new ValueError("index can't contain negative values");
  const layout = broadcastLayout(freshLayout(shape, 1), [ndim, 2]);
  if (!layout) {
    throw new ValueError(
      `operands could not be broadcast together with remapped shapes [original->remapped]: ${shapeReprCompact(shape)}  and requested shape (${ndim},2)`,
    );
  }
  return Array.from({ length: ndim }, (_, k) => [
    flat[k * layout.strides[0] + layout.offset],
    flat[k * layout.strides[0] + layout.strides[1]],
  ]);
}

/** Copies `source` to `target`, two views of one operand's memory whose elements are known to be
 * disjoint (pads read from the original area): no staging, unlike a general move. */
function copyDisjoint(memory: Operand, target: Layout, source: Layout): void {
  const backend = memory.memory.backend;
  const plan = planCopy(target, source, itemsizeOf(memory), backend.capabilities.maxPlanUnit);
  if (plan) backend.copy(memory.storage.buffer, memory.storage.buffer, plan);
}

export function padOperand(memory: ArrayMemory, source: Operand, padWidth: PadWidth, options: PadOptions = {}): Operand {
  const layout = source.layout;
  const ndim = layout.shape.length;
  const widths = asPairs<number>(padWidth, ndim, true);
  const mode = options.mode ?? 'constant';
  if (!PAD_MODES.includes(mode)) {
    if (OTHER_NUMPY_MODES.includes(mode)) {
      throw new ValueError(`mode '${mode}' is not supported by ndgpu (its modes: ${PAD_MODES.map((m) => `'${m}'`).join(', ')})`);
    }
    throw new ValueError(`mode '${String(mode)}' is not supported`);
  }
  if (mode !== 'constant' && options.constantValues !== undefined) {
    throw new ValueError(`unsupported keyword arguments for mode '${mode}': {'constant_values'}`);
  }
  const shape = layout.shape;
  const before = widths.map((w) => w[0]);
  const newShape = shape.map((n, k) => widths[k][0] + n + widths[k][1]);
  let values: [Scalar, Scalar][] = [];
  if (mode === 'constant') {
    values = asPairs<Scalar>(options.constantValues ?? 0, ndim, false);
    // Python's rules for every value before anything is written (NaN into an integer dtype...).
    for (const pair of values) for (const v of pair) scalarPattern(v, source.dtype);
  } else if (sizeOf(shape) === 0) {
    shape.forEach((n, k) => {
      if (n === 0 && (widths[k][0] > 0 || widths[k][1] > 0)) {
        throw new ValueError(`can't extend empty axis ${k} using modes other than 'constant' or 'empty'`);
      }
    });
  }
  const itemsize = dtypeInfo(source.dtype).itemsize;
  const fortran = isFContiguous(layout, itemsize) && !isCContiguous(layout, itemsize);
  const result = freshOperand(memory, newShape, source.dtype, fortran ? 'F' : 'C');
  try {
    if (sizeOf(newShape) === 0) return result;
    let middle = result.layout;
    shape.forEach((n, k) => (middle = sliceAxis(middle, k, before[k], n, 1)));
    moveElements(withLayout(result, middle), source);
    for (let k = 0; k < ndim; k++) {
      const [left, right] = widths[k];
      if (left === 0 && right === 0) continue;
      const region = padRegion(result.layout, k, before, shape);
      if (mode === 'constant') {
        if (left > 0) fillScalar(withLayout(result, sliceAxis(region, k, 0, left, 1)), values[k][0]);
        if (right > 0) fillScalar(withLayout(result, sliceAxis(region, k, left + shape[k], right, 1)), values[k][1]);
        continue;
      }
      for (const run of padRuns(mode, shape[k], left, right)) {
        const { target, source: from } = padRunLayouts(region, k, run);
        if (sizeOf(target.shape) > 0) copyDisjoint(result, target, from);
      }
    }
    return result;
  } catch (error) {
    result.storage.free();
    throw error;
  }
}
