/**
 * Moving elements between arrays: `set`, copies and reads. This is CuPy's `_scatter_op` ladder —
 * the same view does nothing; a source that may overlap its target is staged through a temporary;
 * otherwise one strided copy (or cast, or fill) plan goes to the backend. Everything is validated before
 * anything is queued, so a failing call leaves the target untouched.
 */

import { dtypeInfo, type DType } from './dtype.js';
import { ValueError, shapeReprCompact } from './errors.js';
import { nestedToHost, isTypedArray, type NestedArray } from './host.js';
import {
  broadcastLayout,
  contiguousStrides,
  freshLayout,
  isCContiguous,
  makeLayout,
  pickIndex,
  sizeOf,
  type Layout,
  type MemoryOrder,
} from './layout.js';
import type { Engine } from './engine.js';
import { NDArray } from './ndarray.js';
import { boundsOverlap } from './overlap.js';
import { planCast, planCopy, planFill } from './plan.js';
import { isScalar, scalarPattern, type Scalar } from './scalars.js';
import type { Storage } from './storage.js';

/** What `set` accepts: a scalar, nested arrays of scalars, or an NDArray (broadcast to the target). */
export type AssignableValue = Scalar | NestedArray | NDArray;

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

/** Makes a new owner array (uninitialised memory) of `shape` with the given strides. */
export function newOwner(like: { readonly engine: Engine }, shape: readonly number[], strides: readonly number[], dtype: DType): NDArray {
  const itemsize = dtypeInfo(dtype).itemsize;
  const storage = like.engine.allocate(sizeOf(shape) * itemsize);
  return new NDArray({
    engine: like.engine,
    storage,
    layout: makeLayout(shape, strides, 0),
    dtype,
    owner: null,
    writeable: true,
  });
}

export interface CopyOptions {
  /** Memory order of the new array (ignored when `strides` is given). */
  order: MemoryOrder;
  /** A new shape of the same size: the elements are copied in `order` and laid out in that shape. */
  shape?: readonly number[];
  /** Explicit strides for the copy (order 'K'), same shape as the source. */
  strides?: readonly number[];
  dtype?: DType;
}

/** A copy of `source` in new memory that owns it (ndgpu: copies never have a hidden base). */
export function copyArray(source: Operand, options: CopyOptions): NDArray {
  const dtype = options.dtype ?? source.dtype;
  const itemsize = dtypeInfo(dtype).itemsize;
  const shape = source.layout.shape;
  const sourceShapeStrides =
    options.strides ?? (sizeOf(shape) === 0 ? shape.map(() => 0) : contiguousStrides(shape, itemsize, options.order));
  const result = newOwner(source, shape, sourceShapeStrides, dtype);
  try {
    moveElements(result, source);
  } catch (error) {
    result.dispose();
    throw error;
  }
  if (!options.shape) return result;
  // Re-describe the same memory (contiguous in `order`) with the new shape, as its owner.
  const owner = new NDArray({
    engine: source.engine,
    storage: result.storage,
    layout: freshLayout(options.shape, itemsize, options.order),
    dtype,
    owner: null,
    writeable: true,
  });
  result.dispose();
  return owner;
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
  const aliased = targetShape.flatMap((n, k) => (n > 1 && target.layout.strides[k] === 0 ? [k] : []));
  if (aliased.length > 0) {
    const last = (layout: Layout) => aliased.reduceRight((l, k) => pickIndex(l, k, layout.shape[k] - 1), layout);
    moveElements(withLayout(target, last(target.layout)), withLayout(source, last(broadcast)));
    return;
  }
  const sameMemory = target.storage === source.storage;
  if (sameMemory && target.dtype === source.dtype && sameLayout(target.layout, broadcast)) return;
  if (sameMemory && boundsOverlap({ layout: target.layout, itemsize: itemsizeOf(target) }, { layout: broadcast, itemsize: itemsizeOf(source) })) {
    // "As if the source were copied first": stage it (only the elements the target reads).
    const staged = copyArray(source, { order: 'C' });
    try {
      moveElements(target, staged);
    } finally {
      staged.dispose();
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
export function assignValue(target: Operand, value: AssignableValue, options: { elementPath: boolean }): void {
  const targetNdim = target.layout.shape.length;
  if (isScalar(value)) {
    fillScalar(target, value);
    return;
  }
  if (value instanceof NDArray) {
    value.checkUsable();
    if (value.engine !== target.engine) {
      throw new ValueError('cannot assign an array from another ndgpu context; copy it through toArray() or data()');
    }
    if (options.elementPath && value.ndim > 0) throw new ValueError('setting an array element with a sequence.');
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
  const staged = newOwner(target, shape, contiguousStrides(shape, itemsize, 'C'), target.dtype);
  try {
    if (bytes.byteLength > 0) target.engine.backend.write(staged.storage.buffer, 0, bytes);
    moveElements(target, staged);
  } finally {
    staged.dispose();
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
export async function readContiguousBytes(array: NDArray): Promise<Uint8Array> {
  if (array.size === 0) return new Uint8Array(0);
  const backend = array.engine.backend;
  if (isCContiguous(array.layout, array.itemsize)) {
    return backend.read(array.storage.buffer, array.layout.offset, array.nbytes);
  }
  const staged = copyArray(array, { order: 'C' });
  try {
    return await backend.read(staged.storage.buffer, 0, staged.nbytes);
  } finally {
    staged.dispose();
  }
}
