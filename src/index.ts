/**
 * ndgpu: NumPy's n-dimensional arrays, copies and views on the GPU through WebGPU, with a bit-identical
 * CPU backend. See README.md for the API by example.
 */

export { init, type InitOptions } from './init.js';
export { Context, type ArrayOptions, type DTypeOption } from './ndarray/context.js';
export { NDArray, type ArrayFlags, type AssignableValue, type CopyOrder, type OpArg, type OpOptions, type ReduceAxis, type ReduceOptions, type ReshapeOrder } from './ndarray/ndarray.js';
export { slice, Slice, Ellipsis, type Index, type IndexItem } from './ndarray/indexing.js';
export { IndexError, ValueError, AxisError, OverflowError } from './ndarray/errors.js';
export { DTYPES, type DType } from './ndarray/dtype.js';
export { float16BitsToNumbers, type NestedArray, type HostTypedArray } from './ndarray/host.js';
export type { Scalar } from './ndarray/scalars.js';
export type { MemoryInfo, BackendKind } from './device/backend.js';
export type { LiveArrayInfo } from './ndarray/engine.js';
