/**
 * Moving elements between arrays: `set`, copies and reads. This is CuPy's `_scatter_op` ladder —
 * the same view does nothing; a source that may overlap its target is staged through a temporary;
 * otherwise one strided copy (or cast, or fill) plan goes to the backend. Everything is validated before
 * anything is queued, so a failing call leaves the target untouched.
 */

import { dtypeInfo, type DType } from '../core/dtype.js';
import { ValueError, shapeReprCompact } from '../core/errors.js';
import { nestedToHost, isTypedArray, type NestedArray } from '../core/host.js';
import {
  broadcastLayout,
  contiguousStrides,
  freshLayout,
  isCContiguous,
  makeLayout,
  pickIndex,
  sizeOf,
  type Layout,
} from '../core/layout.js';
import type { Engine } from './memory.js';
import { boundsOverlap } from '../core/overlap.js';
import { planCast, planCopy, planFill } from '../core/plan.js';
import { isScalar, scalarPattern, type Scalar } from '../core/scalars.js';
import type { Storage } from './storage.js';

/** An array given as a value: an operand that can say whether it may still be used (an NDArray). */
export interface SourceArray extends Operand {
  checkUsable(): void;
}

function isSourceArray(value: unknown): value is SourceArray {
  return typeof value === 'object' && value !== null && 'storage' in value && 'layout' in value && typeof (value as SourceArray).checkUsable === 'function';
}

/**
 * The parts of an array that moving elements needs. NDArrays are operands; so are the plain objects
 * `set` uses for its targets, which would otherwise cost a whole array object (and its bookkeeping) per
 * call.
 */
export interface Operand {
  readonly engine: Engine;
  readonly storage: Storage;
  readonly layout: Layout;
  readonly dtype: DType;
}

/** The same memory with another layout (a transient view for internal use; holds no reference). */
export function withLayout(operand: Operand, layout: Layout): Operand {
  return { engine: operand.engine, storage: operand.storage, layout, dtype: operand.dtype };
}

const itemsizeOf = (o: Operand) => dtypeInfo(o.dtype).itemsize;
const sizeOfOperand = (o: Operand) => sizeOf(o.layout.shape);

/**
 * Memory for an intermediate (a staged source, uploaded values, a contiguous copy to read): an operand
 * with a fresh C-contiguous layout, and the function that frees it. Not an array: it is never seen.
 */
export function temporary(engine: Engine, shape: readonly number[], dtype: DType): { operand: Operand; release: () => void } {
  const itemsize = dtypeInfo(dtype).itemsize;
  const storage = engine.allocate(sizeOf(shape) * itemsize);
  const layout = makeLayout(shape, sizeOf(shape) === 0 ? shape.map(() => 0) : contiguousStrides(shape, itemsize, 'C'), 0);
  return { operand: { engine, storage, layout, dtype }, release: () => storage.free() };
}

/** A C-ordered copy of `source` in temporary memory (see `temporary`). */
export function stagedCopy(source: Operand): { operand: Operand; release: () => void } {
  const staged = temporary(source.engine, source.layout.shape, source.dtype);
  try {
    moveElements(staged.operand, source);
  } catch (error) {
    staged.release();
    throw error;
  }
  return staged;
}

/**
 * `target[...] = source` where `source` is an NDArray already broadcastable to `target`: stages through
 * a temporary when the two may overlap in memory, casts when dtypes differ.
 */
export function moveElements(target: Operand, source: Operand): void {
  const targetShape = target.layout.shape;
  const broadcast = broadcastLayout(source.layout, targetShape);
  if (!broadcast) {
    throw new ValueError(
      `could not broadcast input array from shape ${shapeReprCompact(source.layout.shape)} into shape ${shapeReprCompact(targetShape)}`,
    );
  }
  if (sizeOf(targetShape) === 0) return;
  // A target whose elements alias one another (a broadcast view made writeable): NumPy's sequential loop
  // leaves the last value along each zero-stride axis; parallel kernels would race (narrow lanes even
  // mix bits). Write just that last slice.
  if (hasAliasedAxis(target.layout)) {
    const aliased = targetShape.flatMap((n, k) => (n > 1 && target.layout.strides[k] === 0 ? [k] : []));
    const last = (layout: Layout) => aliased.reduceRight((l, k) => pickIndex(l, k, layout.shape[k] - 1), layout);
    moveElements(withLayout(target, last(target.layout)), withLayout(source, last(broadcast)));
    return;
  }
  const sameMemory = target.storage === source.storage;
  if (sameMemory && target.dtype === source.dtype && sameLayout(target.layout, broadcast)) return;
  if (sameMemory && boundsOverlap({ layout: target.layout, itemsize: itemsizeOf(target) }, { layout: broadcast, itemsize: itemsizeOf(source) })) {
    // "As if the source were copied first": stage it (only the elements the target reads).
    const staged = stagedCopy(source);
    try {
      moveElements(target, staged.operand);
    } finally {
      staged.release();
    }
    return;
  }
  const backend = target.engine.backend;
  if (target.dtype === source.dtype) {
    const plan = planCopy(target.layout, broadcast, itemsizeOf(target), backend.limits.maxPlanUnit);
    if (plan) backend.copy(target.storage.buffer, source.storage.buffer, plan);
  } else {
    const plan = planCast(target.layout, target.dtype, broadcast, source.dtype);
    if (plan) backend.cast(target.storage.buffer, source.storage.buffer, plan);
  }
}

/** Whether some axis longer than 1 has stride 0 (its elements are one memory location). */
function hasAliasedAxis(layout: Layout): boolean {
  for (let k = 0; k < layout.shape.length; k++) if (layout.shape[k] > 1 && layout.strides[k] === 0) return true;
  return false;
}

function sameLayout(a: Layout, b: Layout): boolean {
  return (
    a.offset === b.offset &&
    a.shape.length === b.shape.length &&
    a.shape.every((n, k) => n === b.shape[k] && (n === 1 || a.strides[k] === b.strides[k]))
  );
}

/** Writes one scalar to every element of `target`. */
export function fillScalar(target: Operand, value: Scalar): void {
  const pattern = scalarPattern(value, target.dtype);
  const plan = planFill(target.layout, pattern, itemsizeOf(target), target.engine.backend.limits.maxPlanUnit);
  if (plan) target.engine.backend.fill(target.storage.buffer, plan);
}

/** NumPy's setitem: scalar, nested arrays or NDArray into the (writeable) view `target`. */
export function assignValue(target: Operand, value: Scalar | NestedArray | SourceArray, options: { elementPath: boolean }): void {
  const targetNdim = target.layout.shape.length;
  if (isScalar(value)) {
    fillScalar(target, value);
    return;
  }
  if (isSourceArray(value)) {
    value.checkUsable();
    if (value.engine !== target.engine) {
      throw new ValueError('cannot assign an array from another ndgpu context; copy it through toArray() or data()');
    }
    if (options.elementPath && value.layout.shape.length > 0) throw new ValueError('setting an array element with a sequence.');
    moveElements(target, stripLeadingUnitAxes(value, targetNdim));
    return;
  }
  if (Array.isArray(value)) {
    if (options.elementPath) {
      if (dtypeInfo(target.dtype).kind === 'i' || dtypeInfo(target.dtype).kind === 'u') {
        throw new TypeError("int() argument must be a string, a bytes-like object or a real number, not 'list'");
      }
      throw new ValueError('setting an array element with a sequence.');
    }
    const host = nestedToHost(value as NestedArray, target.dtype, targetNdim);
    assignHostData(target, host.shape, host.bytes);
    return;
  }
  if (isTypedArray(value)) {
    throw new TypeError('set() takes a scalar, nested arrays or an NDArray; wrap a TypedArray with np.array(data, { shape })');
  }
  throw new TypeError(`cannot assign a value of type ${value === null ? 'null' : typeof value} to an array element`);
}

/** Uploads C-ordered item bytes of `shape` and moves them into `target` with broadcasting. */
function assignHostData(target: Operand, shape: readonly number[], bytes: Uint8Array): void {
  const itemsize = itemsizeOf(target);
  const probe = broadcastLayout(freshLayout(shape, itemsize), target.layout.shape);
  if (!probe) {
    throw new ValueError(
      `could not broadcast input array from shape ${shapeReprCompact(shape)} into shape ${shapeReprCompact(target.layout.shape)}`,
    );
  }
  if (sizeOfOperand(target) === 0) return;
  const staged = temporary(target.engine, shape, target.dtype);
  try {
    if (bytes.byteLength > 0) target.engine.backend.write(staged.operand.storage.buffer, 0, bytes);
    moveElements(target, staged.operand);
  } finally {
    staged.release();
  }
}

/** NumPy drops leading length-1 axes of a value with more dimensions than the target. */
function stripLeadingUnitAxes(value: Operand, targetNdim: number): Operand {
  const l = value.layout;
  let lead = 0;
  while (l.shape.length - lead > targetNdim && l.shape[lead] === 1) lead++;
  if (lead === 0) return value;
  return withLayout(value, makeLayout(l.shape.slice(lead), l.strides.slice(lead), l.offset));
}

/** The elements of `array` in C order, as bytes: read directly when contiguous, else through a copy. */
export async function readContiguousBytes(array: Operand): Promise<Uint8Array> {
  const size = sizeOfOperand(array);
  if (size === 0) return new Uint8Array(0);
  const backend = array.engine.backend;
  const nbytes = size * itemsizeOf(array);
  if (isCContiguous(array.layout, itemsizeOf(array))) return backend.read(array.storage.buffer, array.layout.offset, nbytes);
  const staged = stagedCopy(array);
  try {
    return await backend.read(staged.operand.storage.buffer, 0, nbytes);
  } finally {
    staged.release();
  }
}
