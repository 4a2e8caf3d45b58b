/**
 * Moving elements between arrays: `set`, copies and reads. This is CuPy's `_scatter_op` ladder —
 * the same view does nothing; a source that may overlap its target is staged through a temporary;
 * otherwise one strided copy (or cast, or fill) plan goes to the backend. Everything is validated before
 * anything is queued, so a failing call leaves the target untouched.
 */

import { dtypeInfo } from '../core/dtype.js';
import { ValueError, shapeReprCompact } from '../core/errors.js';
import { nestedToHost, isTypedArray, type NestedArray } from '../core/host.js';
import { broadcastLayout, freshLayout, isCContiguous, makeLayout, pickIndex, sizeOf, type Layout } from '../core/layout.js';
import { checkArraySize } from '../core/limits.js';
import { aliasing } from '../core/overlap.js';
import { planCast, planCopy, planFill } from '../core/plan.js';
import { isScalar, scalarPattern, type Scalar } from '../core/scalars.js';
import { freshOperand, isArrayOperand, itemsizeOf, temporary, withLayout, type ArrayOperand, type Operand } from './operand.js';

const sizeOfOperand = (o: Operand) => sizeOf(o.layout.shape);

/** A C-ordered copy of `source` in temporary memory (see `temporary`). */
export function stagedCopy(source: Operand): { operand: Operand; release: () => void } {
  const staged = temporary(source.memory, source.layout.shape, source.dtype);
  try {
    moveElements(staged.operand, source);
  } catch (error) {
    staged.release();
    throw error;
  }
  return staged;
}

/** Where a copy writes: the layout of new memory, and optionally a new shape for the result. */
export interface CopyTarget {
  /** Memory order of the new array, or its explicit strides (same shape as the source). */
  readonly order: 'C' | 'F' | readonly number[];
  /** A new shape of the same size: the elements are copied in `order` and laid out in that shape. */
  readonly shape?: readonly number[];
  readonly dtype?: Operand['dtype'];
}

/** `source` copied into new memory (converted to `dtype`): an operand for a new owner array. */
export function copyOperand(source: Operand, target: CopyTarget): Operand {
  const dtype = target.dtype ?? source.dtype;
  if (target.shape) checkArraySize(target.shape, dtypeInfo(dtype).itemsize);
  const copy = freshOperand(source.memory, source.layout.shape, dtype, target.order);
  moveElements(copy, source); // run inside memory.guard (see ndarray.ts): no cleanup here
  if (!target.shape) return copy;
  // The same memory, contiguous in `order`, described in the new shape.
  const order = typeof target.order === 'string' ? target.order : 'C';
  return withLayout(copy, freshLayout(target.shape, dtypeInfo(dtype).itemsize, order));
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
  if (target.storage === source.storage) {
    const relation = aliasing({ layout: target.layout, itemsize: itemsizeOf(target) }, { layout: broadcast, itemsize: itemsizeOf(source) });
    if (relation === 'same' && target.dtype === source.dtype) return;
    if (relation !== 'disjoint') {
      // "As if the source were copied first": stage it (only the elements the target reads).
      const staged = stagedCopy(source);
      try {
        moveElements(target, staged.operand);
      } finally {
        staged.release();
      }
      return;
    }
  }
  const backend = target.memory.backend;
  if (target.dtype === source.dtype) {
    const plan = planCopy(target.layout, broadcast, itemsizeOf(target), backend.capabilities.maxPlanUnit);
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

/** Writes one scalar to every element of `target`. */
export function fillScalar(target: Operand, value: Scalar): void {
  const pattern = scalarPattern(value, target.dtype);
  const plan = planFill(target.layout, pattern, itemsizeOf(target), target.memory.backend.capabilities.maxPlanUnit);
  if (plan) target.memory.backend.fill(target.storage.buffer, plan);
}

/** NumPy's setitem: scalar, nested arrays or NDArray into the (writeable) view `target`. */
export function assignValue(target: Operand, value: Scalar | NestedArray | ArrayOperand, options: { elementPath: boolean }): void {
  const targetNdim = target.layout.shape.length;
  if (isScalar(value)) {
    fillScalar(target, value);
    return;
  }
  if (isArrayOperand(value)) {
    value.checkUsable();
    if (value.memory !== target.memory) {
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
  const staged = temporary(target.memory, shape, target.dtype);
  try {
    if (bytes.byteLength > 0) target.memory.backend.write(staged.operand.storage.buffer, 0, bytes);
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
  if (size === 0) return array.memory.settle(Promise.resolve(new Uint8Array(0)));
  const nbytes = size * itemsizeOf(array);
  if (isCContiguous(array.layout, itemsizeOf(array))) return array.memory.read(array.storage.buffer, array.layout.offset, nbytes);
  const staged = stagedCopy(array);
  try {
    return await array.memory.read(staged.operand.storage.buffer, 0, nbytes);
  } finally {
    staged.release();
  }
}
