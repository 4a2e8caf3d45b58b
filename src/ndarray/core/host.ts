/**
 * Host-side data: nested JS arrays and TypedArrays turned into item bytes (with NumPy's shape and depth
 * rules), and item bytes turned back into the TypedArray, nested arrays or scalars a user reads.
 */

import { dtypeInfo, type DType } from './dtype.js';
import type { Float16ArrayType } from './dtype-types.js';
import { ValueError, shapeReprCompact } from './errors.js';
import { Float16ArrayCtor, float16BitsToFloat64 } from './float16.js';
import { sizeOf } from './layout.js';
import { MAX_DIMS, checkArraySize } from './limits.js';
import { castValue } from './casting.js';
import { coerceScalar, isScalar, readItem, writeItem, type Scalar } from './scalars.js';

/** Nested arrays of scalars, as `np.array` accepts them. */
export type NestedArray = Scalar | readonly NestedArray[];

/** The TypedArrays `np.array` accepts (their bytes are copied as they are). */
export type HostTypedArray =
  | Float16ArrayType
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface HostData {
  readonly shape: number[];
  readonly dtype: DType;
  /** C-ordered item bytes; they may be a view of the caller's own TypedArray, so they are to be
   * written to the device at once (backends copy what they are given before returning). */
  readonly bytes: Uint8Array;
}

export function isTypedArray(value: unknown): value is HostTypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** The dtype NumPy would give a TypedArray's elements. */
export function dtypeOfTypedArray(array: ArrayBufferView): DType {
  const name = array.constructor.name;
  const table: Record<string, DType> = {
    Int8Array: 'int8',
    Uint8Array: 'uint8',
    Uint8ClampedArray: 'uint8',
    Int16Array: 'int16',
    Uint16Array: 'uint16',
    Int32Array: 'int32',
    Uint32Array: 'uint32',
    Float16Array: 'float16',
    Float32Array: 'float32',
    Float64Array: 'float64',
    BigInt64Array: 'int64',
    BigUint64Array: 'uint64',
  };
  const dtype = table[name];
  if (!dtype) throw new TypeError(`unsupported TypedArray ${name}`);
  return dtype;
}

/**
 * The shape of nested host data (`np.array`, `set`, ufunc operands), NumPy style: the lengths met
 * following first elements. Bounded by `maxDepth` (NumPy's 64 dimensions, or the target's ndim when
 * assigning), so that neither very deep nesting nor a list that contains itself (which is infinitely
 * deep) can exhaust the stack or the heap: both are NumPy's "exceed the maximum number of dimension"
 * error. The size must be an exact integer; `forEachLeaf` then checks that every level is homogeneous.
 */
export function nestedShape(value: NestedArray, maxDepth: number = MAX_DIMS): number[] {
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    if (shape.length === maxDepth) {
      throw new ValueError(
        `setting an array element with a sequence. The requested array would exceed the maximum number of dimension of ${maxDepth}.`,
      );
    }
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  checkArraySize(shape, 1);
  return shape;
}

/**
 * Calls `visit` with every element of nested data of `shape` (from `nestedShape`) in C order, checking
 * that every level is homogeneous and every element a scalar. Iterative (one frame per level), so no
 * input can overflow the stack; shared sublists are simply visited again.
 */
export function forEachLeaf(value: NestedArray, shape: readonly number[], visit: (item: Scalar, index: number) => void): void {
  if (shape.length === 0) {
    visit(scalarItem(value), 0);
    return;
  }
  const lists: unknown[][] = [value as unknown[]];
  const positions: number[] = [0];
  const last = shape.length - 1;
  let index = 0;
  while (lists.length > 0) {
    const depth = lists.length - 1;
    const list = lists[depth];
    const at = positions[depth]++;
    if (at === list.length) {
      lists.pop();
      positions.pop();
      continue;
    }
    const item = list[at];
    if (depth === last) {
      if (Array.isArray(item)) inhomogeneous(shape, depth + 1);
      visit(scalarItem(item), index++);
    } else {
      if (!Array.isArray(item) || item.length !== shape[depth + 1]) inhomogeneous(shape, depth + 1);
      lists.push(item);
      positions.push(0);
    }
  }
}

function scalarItem(value: unknown): Scalar {
  if (!isScalar(value)) {
    throw new TypeError(`array elements must be numbers, booleans or bigints, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

function inhomogeneous(shape: readonly number[], depth: number): never {
  const detected = shape.slice(0, depth);
  throw new ValueError(
    `setting an array element with a sequence. The requested array has an inhomogeneous shape after ${depth} dimensions. ` +
      `The detected shape was ${detected.length === 1 ? `(${detected[0]},)` : `(${detected.join(', ')})`} + inhomogeneous part.`,
  );
}

/** No backend holds more than 4 GiB: nested data with more elements cannot become an array, and
 * walking it (lists may share sublists, so it can be far larger than the memory it occupies) would
 * only take time. */
const MAX_NESTED_ELEMENTS = 2 ** 32;

/** Tracks what `inferDType` needs to know of a stream of scalars. */
class DTypeInference {
  #number = false;
  #fraction = false;
  #bigint = false;
  #count = 0;
  see(v: Scalar): void {
    this.#count++;
    if (typeof v === 'bigint') this.#bigint = true;
    else if (typeof v === 'number') {
      this.#number = true;
      if (!Number.isInteger(v)) this.#fraction = true;
    }
  }
  get dtype(): DType {
    if (this.#fraction) return 'float32';
    if (this.#bigint) return 'int64';
    if (this.#number) return 'int32';
    return this.#count === 0 ? 'float32' : 'bool';
  }
}

/** NumPy-like inference with ndgpu's defaults: bool, int32 for integers, float32 otherwise, int64 for bigints. */
export function inferDType(values: readonly Scalar[]): DType {
  const inference = new DTypeInference();
  for (const v of values) inference.see(v);
  return inference.dtype;
}

/**
 * Nested arrays (or one scalar) as C-ordered bytes of `dtype` (inferred when omitted). The structure is
 * checked in full before any element is converted (NumPy discovers the shape first, so a structure error
 * wins over a value that does not fit), and the elements are written straight into the bytes.
 */
export function nestedToHost(value: NestedArray, dtype?: DType, maxDepth?: number): HostData {
  const shape = nestedShape(value, maxDepth);
  const size = sizeOf(shape);
  if (size > MAX_NESTED_ELEMENTS) {
    throw new RangeError(`cannot make an array of ${size} elements from nested arrays: no backend holds more than ${MAX_NESTED_ELEMENTS}`);
  }
  const inference = new DTypeInference();
  forEachLeaf(value, shape, (item) => inference.see(item));
  const target = dtype ?? inference.dtype;
  const { itemsize } = dtypeInfo(target);
  const bytes = new Uint8Array(size * itemsize);
  const view = new DataView(bytes.buffer);
  forEachLeaf(value, shape, (item, i) => writeItem(view, i * itemsize, target, coerceScalar(item, target)));
  return { shape, dtype: target, bytes };
}

export function scalarsToBytes(values: readonly Scalar[], dtype: DType): Uint8Array {
  const { itemsize } = dtypeInfo(dtype);
  const bytes = new Uint8Array(values.length * itemsize);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => writeItem(view, i * itemsize, dtype, coerceScalar(v, dtype)));
  return bytes;
}

/** A TypedArray's bytes as `dtype`: copied bit for bit when the dtype matches, else converted per element. */
export function typedArrayToHost(array: HostTypedArray | ArrayBufferView, shape: readonly number[], dtype?: DType): HostData {
  const source = dtypeOfTypedArray(array);
  const length = (array as unknown as ArrayLike<unknown>).length;
  if (sizeOf(shape) !== length) {
    throw new ValueError(`cannot reshape array of size ${length} into shape ${shapeReprCompact(shape)}`);
  }
  const target = dtype ?? source;
  if (target === source || (dtypeInfo(target).itemsize === dtypeInfo(source).itemsize && dtype === undefined)) {
    // No copy: the bytes go to the device at once (a copy would cost more than the upload).
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    return { shape: [...shape], dtype: target, bytes };
  }
  const values: Scalar[] = [];
  const view = new DataView(array.buffer, array.byteOffset, array.byteLength);
  const { itemsize } = dtypeInfo(source);
  for (let i = 0; i < length; i++) values.push(readItem(view, i * itemsize, source));
  return { shape: [...shape], dtype: target, bytes: arrayCastValues(values, source, target) };
}

/** Converts already-typed values the way NumPy casts arrays (no overflow errors; see casting.ts). */
function arrayCastValues(values: readonly Scalar[], from: DType, to: DType): Uint8Array {
  const { itemsize } = dtypeInfo(to);
  const bytes = new Uint8Array(values.length * itemsize);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => writeItem(view, i * itemsize, to, castValue(v, from, to)));
  return bytes;
}

/** The TypedArray a user reads for `dtype` over `bytes` (bool as Uint8Array of 0/1; float16 as
 * Float16Array where the runtime has one, else its Uint16Array bits). */
export function bytesToTypedArray(bytes: Uint8Array, dtype: DType): ArrayBufferView {
  const { itemsize } = dtypeInfo(dtype);
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  const length = bytes.byteLength / itemsize;
  switch (dtype) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(buffer, 0, length);
    case 'int8':
      return new Int8Array(buffer, 0, length);
    case 'int16':
      return new Int16Array(buffer, 0, length);
    case 'uint16':
      return new Uint16Array(buffer, 0, length);
    case 'float16':
      return Float16ArrayCtor ? new Float16ArrayCtor(buffer, 0, length) : new Uint16Array(buffer, 0, length);
    case 'int32':
      return new Int32Array(buffer, 0, length);
    case 'uint32':
      return new Uint32Array(buffer, 0, length);
    case 'float32':
      return new Float32Array(buffer, 0, length);
    case 'float64':
      return new Float64Array(buffer, 0, length);
    case 'int64':
      return new BigInt64Array(buffer, 0, length);
    case 'uint64':
      return new BigUint64Array(buffer, 0, length);
  }
}

/** Decodes float16 bits (from `data()` where the runtime lacks Float16Array) into numbers. */
export function float16BitsToNumbers(bits: Uint16Array): Float64Array {
  const out = new Float64Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16BitsToFloat64(bits[i]);
  return out;
}

/** All items of C-ordered `bytes` as JS values. */
export function bytesToScalars(bytes: Uint8Array, dtype: DType): Scalar[] {
  // Numbers and bigints straight from a TypedArray (a native conversion); bools and float16 decoded.
  if (dtype !== 'bool' && dtype !== 'float16') {
    const items = bytesToTypedArray(bytes, dtype) as unknown as ArrayLike<Scalar>;
    const n = items.length;
    const out = new Array<Scalar>(n); // preallocated: push is 2.5x slower, Array.from (an iterator) 5x
    for (let i = 0; i < n; i++) out[i] = items[i];
    return out;
  }
  const { itemsize } = dtypeInfo(dtype);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.byteLength / itemsize;
  const out = new Array<Scalar>(count);
  for (let i = 0; i < count; i++) out[i] = readItem(view, i * itemsize, dtype);
  return out;
}

/** Nested JS arrays of `shape` from C-ordered values (NumPy's `tolist`); a 0-d array gives the element. */
export function toNested(values: readonly Scalar[], shape: readonly number[]): NestedArray {
  if (shape.length === 0) return values[0];
  if (shape.length === 1) return values.slice(0, shape[0]);
  let position = 0;
  const build = (depth: number): NestedArray[] => {
    const out: NestedArray[] = [];
    for (let i = 0; i < shape[depth]; i++) {
      out.push(depth === shape.length - 1 ? values[position++] : build(depth + 1));
    }
    return out;
  };
  return build(0);
}
