/**
 * Joining arrays: `concatenate` and everything NumPy builds on it (`stack`, `vstack`, `hstack`, `dstack`,
 * `column_stack`). The result (new memory, or the caller's `out`) is cut into one slab per input along
 * the axis and each input is one strided copy (or cast) into its slab, through the same plans and kernels
 * as every copy: K inputs are K copies recorded into one batch, whatever their shapes.
 *
 * Everything is checked first (shapes, dtypes and the casting rule of every input, `out`) and inputs that
 * lie in `out`'s memory are staged before the first write, so an error leaves `out` untouched (NumPy
 * writes the inputs before the one that fails) and an `out` overlapping the inputs gets what it would get
 * had the inputs been copied first.
 */

import type { DType } from '../core/dtype.js';
import { dtypeInfo, isDType } from '../core/dtype.js';
import { ValueError, normalizeAxis } from '../core/errors.js';
import type { NestedArray } from '../core/host.js';
import { CASTINGS, canCast, concatenationSlabs, concatenationStrides, flatRunAs, joinedDType, type Casting } from '../core/join.js';
import { insertNewAxis, permute, sizeOf, type Layout } from '../core/layout.js';
import { boundsOverlap } from '../core/overlap.js';
import { atLeastLayout } from '../core/rearrange.js';
import { isScalar, type Scalar } from '../core/scalars.js';
import { prependUnitAxes } from '../core/tiling.js';
import { moveElements, stagedCopy } from './assign.js';
import type { ArrayMemory } from './memory.js';
import {
  checkOperandOf,
  freshOperand,
  isArrayOperand,
  itemsizeOf,
  uploadNested,
  withLayout,
  type ArrayOperand,
  type Operand,
} from './operand.js';

/** What the joining routines accept: arrays, and nested arrays or scalars (converted as NumPy converts
 * lists, with ndgpu's default dtypes). */
export type JoinArg = ArrayOperand | Scalar | NestedArray;

export interface JoinOptions {
  /** Where to write: any writable view of the result's shape (it may overlap the inputs). */
  out?: ArrayOperand;
  /** The result's dtype (not with `out`); default: the inputs' result type. */
  dtype?: DType;
  /** How the inputs may be cast to the result's dtype (default 'same_kind'). */
  casting?: Casting;
}

const NUMPY_NAME = (dtype: DType) => `dtype('${dtype}')`;

/**
 * The caller's arguments as operands of this context, run through `body`; nested arrays and scalars
 * become temporaries that are released afterwards (their copies are recorded by then).
 */
export function withJoinOperands<T>(memory: ArrayMemory, args: readonly JoinArg[], what: string, body: (operands: Operand[]) => T): T {
  memory.checkAlive();
  if (!Array.isArray(args)) throw new TypeError(`${what}() takes a list of arrays`);
  const releases: (() => void)[] = [];
  try {
    const operands = args.map((arg): Operand => {
      if (isArrayOperand(arg)) {
        checkOperandOf(memory, arg);
        return arg;
      }
      if (isScalar(arg) || Array.isArray(arg)) {
        return uploadNested(memory, arg as NestedArray, releases);
      }
      throw new TypeError(`${what}() takes arrays, nested arrays or scalars, got ${arg === null ? 'null' : typeof arg}`);
    });
    return body(operands);
  } finally {
    for (const release of releases) release();
  }
}

function checkOptions(options: JoinOptions): Casting {
  const casting = options.casting ?? 'same_kind';
  if (!CASTINGS.includes(casting)) {
    throw new ValueError(`casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got '${String(casting)}')`);
  }
  if (options.out !== undefined && options.dtype !== undefined) {
    throw new TypeError('concatenate() only takes `out` or `dtype` as an argument, but both were provided.');
  }
  if (options.dtype !== undefined && !isDType(options.dtype)) throw new TypeError(`data type '${String(options.dtype)}' not understood`);
  return casting;
}

/**
 * `np.concatenate(inputs, axis)` on operands (`axis` null: every input flattened in C order). Returns
 * the operand written: `out`, or new memory laid out in the inputs' common memory order (NumPy's).
 */
export function concatenateOperands(
  memory: ArrayMemory,
  inputs: readonly Operand[],
  axis: number | null,
  options: JoinOptions = {},
): Operand {
  const casting = checkOptions(options);
  if (inputs.length === 0) throw new ValueError('need at least one array to concatenate');
  let shape: number[];
  let k = 0;
  if (axis === null) {
    shape = [inputs.reduce((total, input) => total + sizeOf(input.layout.shape), 0)];
  } else {
    const ndim = inputs[0].layout.shape.length;
    if (ndim === 0) throw new ValueError('zero-dimensional arrays cannot be concatenated');
    k = normalizeAxis(axis, ndim);
    shape = [...inputs[0].layout.shape];
    inputs.forEach((input, i) => {
      if (i === 0) return;
      const s = input.layout.shape;
      if (s.length !== ndim) {
        throw new ValueError(
          `all the input arrays must have same number of dimensions, but the array at index 0 has ${ndim} dimension(s) and the array at index ${i} has ${s.length} dimension(s)`,
        );
      }
      for (let d = 0; d < ndim; d++) {
        if (d === k) shape[d] += s[d];
        else if (shape[d] !== s[d]) {
          throw new ValueError(
            `all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${d}, the array at index 0 has size ${shape[d]} and the array at index ${i} has size ${s[d]}`,
          );
        }
      }
    });
  }
  const out = options.out;
  if (out !== undefined) checkOut(memory, out, shape, axis === null);
  const dtype = out?.dtype ?? options.dtype ?? joinedDType(inputs.map((input) => input.dtype));
  for (const input of inputs) {
    if (!canCast(input.dtype, dtype, casting)) {
      throw new TypeError(
        `Cannot cast array data from ${NUMPY_NAME(input.dtype)} to ${NUMPY_NAME(dtype)} according to the rule '${casting}'`,
      );
    }
  }

  const itemsize = dtypeInfo(dtype).itemsize;
  const target =
    out ??
    freshOperand(
      memory,
      shape,
      dtype,
      axis === null
        ? 'C'
        : concatenationStrides(
            inputs.map((i) => i.layout),
            shape,
            itemsize,
          ),
    );
  const releases: (() => void)[] = [];
  try {
    // "As if the inputs were copied first": an input in out's memory is staged before anything is written.
    const sources = inputs.map((input) => {
      if (!out || input.storage !== target.storage) return input;
      const extent = (o: Operand) => ({ layout: o.layout, itemsize: itemsizeOf(o) });
      if (!boundsOverlap(extent(target), extent(input))) return input;
      const staged = stagedCopy(input);
      releases.push(staged.release);
      return staged.operand;
    });
    if (axis === null) {
      let start = 0;
      for (const source of sources) {
        const shapeOf = source.layout.shape;
        moveElements(withLayout(target, flatRunAs(target.layout, start, shapeOf, itemsize)), source);
        start += sizeOf(shapeOf);
      }
    } else {
      const slabs = concatenationSlabs(
        target.layout,
        k,
        sources.map((s) => s.layout.shape[k]),
      );
      sources.forEach((source, i) => moveElements(withLayout(target, slabs[i]), source));
    }
  } catch (error) {
    if (!out) target.storage.free();
    throw error;
  } finally {
    for (const release of releases) release();
  }
  return target;
}

function checkOut(memory: ArrayMemory, out: ArrayOperand, shape: readonly number[], flat: boolean): void {
  if (!isArrayOperand(out)) throw new TypeError('out must be an NDArray');
  checkOperandOf(memory, out, 'out must belong to the same ndgpu context');
  const outShape = out.layout.shape;
  if (flat) {
    if (outShape.length !== 1) throw new ValueError('Output array must be 1D');
    if (outShape[0] !== shape[0]) throw new ValueError('Output array is the wrong size');
  } else {
    if (outShape.length !== shape.length) throw new ValueError('Output array has wrong dimensionality');
    if (outShape.some((n, d) => n !== shape[d])) throw new ValueError('Output array is the wrong shape');
  }
  if (!out.flags.writeable) throw new ValueError('assignment destination is read-only');
}

/** `np.stack`: every input gets a new length-1 axis at `axis` (stride 0, as NumPy's `arr[..., None]`),
 * then they are concatenated along it. */
export function stackOperands(memory: ArrayMemory, inputs: readonly Operand[], axis: number, options: JoinOptions = {}): Operand {
  if (inputs.length === 0) throw new ValueError('need at least one array to stack');
  const shape = inputs[0].layout.shape;
  for (const input of inputs) {
    const s = input.layout.shape;
    if (s.length !== shape.length || s.some((n, d) => n !== shape[d])) throw new ValueError('all input arrays must have the same shape');
  }
  const k = normalizeAxis(axis, shape.length + 1);
  return concatenateOperands(
    memory,
    inputs.map((input) => withLayout(input, insertNewAxis(input.layout, k))),
    k,
    options,
  );
}

export type StackDirection = 'vstack' | 'hstack' | 'dstack' | 'column_stack';

/**
 * `np.vstack` (inputs at least 2-D, axis 0), `np.hstack` (at least 1-D; axis 0 for 1-D inputs, else 1),
 * `np.dstack` (at least 3-D, axis 2) and `np.column_stack` (1-D and 0-d inputs as columns, axis 1).
 */
export function stackAlong(
  memory: ArrayMemory,
  inputs: readonly Operand[],
  direction: StackDirection,
  options: Omit<JoinOptions, 'out'> = {},
): Operand {
  const reshaped = inputs.map((input) => withLayout(input, directionLayout(input, direction)));
  let axis: number;
  if (direction === 'vstack') axis = 0;
  else if (direction === 'dstack') axis = 2;
  else if (direction === 'column_stack') axis = 1;
  else axis = reshaped.length > 0 && reshaped[0].layout.shape.length === 1 ? 0 : 1;
  return concatenateOperands(memory, reshaped, axis, options);
}

function directionLayout(input: Operand, direction: StackDirection): Layout {
  const layout = input.layout;
  const itemsize = itemsizeOf(input);
  switch (direction) {
    case 'vstack':
      return atLeastLayout(layout, 2, itemsize) ?? layout;
    case 'hstack':
      return atLeastLayout(layout, 1, itemsize) ?? layout;
    case 'dstack':
      return atLeastLayout(layout, 3, itemsize) ?? layout;
    case 'column_stack': {
      // `np.array(a, ndmin=2).T` for 0-d and 1-D inputs.
      if (layout.shape.length >= 2) return layout;
      const two = prependUnitAxes(layout, 2 - layout.shape.length, itemsize);
      return permute(two, [1, 0]);
    }
  }
}
