/**
 * Host-side data: nested JS arrays and TypedArrays turned into item bytes (with NumPy's shape and depth
 * rules), and item bytes turned back into the TypedArray, nested arrays or scalars a user reads.
 */

import { dtypeInfo, type DType } from './dtype.js';
import { ValueError, shapeReprCompact } from './errors.js';
import { Float16ArrayCtor, float16BitsToFloat64 } from './float16.js';
import { sizeOf } from './layout.js';
import { castValue } from './casting.js';
import { coerceScalar, isScalar, readItem, writeItem, type Scalar } from './scalars.js';

/** Nested arrays of scalars, as `np.array` accepts them. */
export type NestedArray = Scalar | readonly NestedArray[];

/** The TypedArrays `np.array` accepts (their bytes are copied as they are). */
export type HostTypedArray =
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
 * The shape of nested arrays, NumPy style: every level must be homogeneous. `maxDepth` is the target's
 * ndim when assigning (a deeper value is NumPy's "exceed the maximum number of dimension" error).
 */
export function nestedShape(value: NestedArray, maxDepth = Infinity): number[] {
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  if (shape.length > maxDepth) {
    throw new ValueError(
      `setting an array element with a sequence. The requested array would exceed the maximum number of dimension of ${maxDepth}.`,
    );
  }
  checkHomogeneous(value, shape, 0);
  return shape;
}

function checkHomogeneous(value: unknown, shape: number[], depth: number): void {
  if (depth === shape.length) {
    if (Array.isArray(value)) inhomogeneous(shape, depth);
    if (!isScalar(value)) {
      throw new TypeError(`array elements must be numbers, booleans or bigints, got ${value === null ? 'null' : typeof value}`);
    }
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) inhomogeneous(shape, depth);
  for (const item of value as unknown[]) checkHomogeneous(item, shape, depth + 1);
}

function inhomogeneous(shape: number[], depth: number): never {
  const detected = shape.slice(0, depth);
  throw new ValueError(
    `setting an array element with a sequence. The requested array has an inhomogeneous shape after ${depth} dimensions. ` +
      `The detected shape was ${detected.length === 1 ? `(${detected[0]},)` : `(${detected.join(', ')})`} + inhomogeneous part.`,
  );
}

function flattenNested(value: NestedArray, out: Scalar[]): void {
  if (Array.isArray(value)) for (const item of value) flattenNested(item as NestedArray, out);
  else out.push(value as Scalar);
}

/** NumPy-like inference with ndgpu's defaults: bool, int32 for integers, float32 otherwise, int64 for bigints. */
export function inferDType(values: readonly Scalar[]): DType {
  let sawNumber = false;
  let sawFraction = false;
  let sawBigInt = false;
  for (const v of values) {
    if (typeof v === 'bigint') sawBigInt = true;
    else if (typeof v === 'number') {
      sawNumber = true;
      if (!Number.isInteger(v)) sawFraction = true;
    }
  }
  if (sawFraction) return 'float32';
  if (sawBigInt) return 'int64';
  if (sawNumber) return 'int32';
  return values.length === 0 ? 'float32' : 'bool';
}

/** Nested arrays (or one scalar) as C-ordered bytes of `dtype` (inferred when omitted). */
export function nestedToHost(value: NestedArray, dtype?: DType, maxDepth?: number): HostData {
  const shape = nestedShape(value, maxDepth);
  const flat: Scalar[] = [];
  flattenNested(value, flat);
  const target = dtype ?? inferDType(flat);
  return { shape, dtype: target, bytes: scalarsToBytes(flat, target) };
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
