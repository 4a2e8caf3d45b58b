/**
 * ndgpu: NumPy's n-dimensional arrays, copies and views on the GPU through WebGPU, with a bit-identical
 * CPU backend. See README.md for the API by example.
 */

export { init, type InitOptions } from './init.js';
export { Context, type ArrayOptions, type DTypeOption } from './ndarray/array/context.js';
export {
  NDArray,
  type ArrayFlags,
  type AssignableValue,
  type CopyOrder,
  type OpArg,
  type OpOptions,
  type ReduceAxis,
  type ReduceOptions,
  type ReshapeOrder,
} from './ndarray/array/ndarray.js';
export { slice, Slice, Ellipsis, type Index, type IndexItem } from './ndarray/core/indexing.js';
export { IndexError, ValueError, AxisError, OverflowError } from './ndarray/core/errors.js';
export { DTYPES, type DType } from './ndarray/core/dtype.js';
export { float16BitsToNumbers, type NestedArray, type HostTypedArray } from './ndarray/core/host.js';
export type { Scalar } from './ndarray/core/scalars.js';
export type { MemoryInfo, BackendKind } from './device/backend.js';
export type { LiveArrayInfo } from './ndarray/array/memory.js';
export type { TensordotAxes } from './ndarray/array/product.js';
