/**
 * ndgpu: NumPy's n-dimensional arrays, copies and views on the GPU through WebGPU, with a bit-identical
 * CPU backend. See README.md for the API by example.
 */

// The declarations name WebGPU's types (GPUDevice, GPUBuffer) and use Symbol.dispose: these references,
// kept in dist/index.d.ts, give a consumer's compiler those globals whatever its own `lib` and `types`
// say (@webgpu/types is a dependency of the package; its declarations build on the DOM's).
/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="dom" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />

export { init, type InitOptions } from './init.js';
export { Context, type ArrayOptions, type DTypeOption, type ElementwiseOptions, type ShapeArg } from './ndarray/array/context.js';
export type { Layout } from './ndarray/core/layout.js';
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
export type { MemoryInfo, BackendKind, Tuning } from './device/backend.js';
export type { LiveArrayInfo } from './ndarray/array/memory.js';
// ----- joining, splitting, rearranging -----
export type {
  Casting,
  ConcatenateOptions,
  JoinDTypeOptions,
  PadMode,
  PadOptions,
  PadValues,
  PadWidth,
  SlidingWindowOptions,
  StackOptions,
} from './ndarray/array/context.js';
export type { KeepdimsOptions, VarianceOptions, IscloseOptions } from './ndarray/array/numerics.js';
export type { LinspaceOptions } from './ndarray/array/numeric-creation.js';
export type { AnyIndex, AnyIndexItem, ArrayIndex, BasicIndexItem, NestedIndexList } from './ndarray/core/indexing.js';
export type { IndexArg } from './ndarray/array/ndarray.js';
export type { ScanOptions } from './ndarray/array/scan.js';
export type { TensordotAxes } from './ndarray/array/product.js';
// ----- types by dtype -----
export type {
  ArangeDType,
  OptionDType,
  CommonDType,
  DTypeOfData,
  ElementOf,
  Float16ArrayLike,
  Float16ArrayType,
  Float16Data,
  FloatDType,
  HasDType,
  IntegerDType,
  IsIntegerLiteral,
  NestedList,
  NestedOf,
  OperationRules,
  Promoted,
  ResultDType,
  ResultRule,
  RuleDType,
  TypedArrayOf,
  TypedArrayOfDType,
} from './ndarray/core/dtype-types.js';
// ----- types by dtype: what options say about the result -----
export type { DTypeOf, KnownOptions, LastOptionDType, NoOptions, OptionOr } from './ndarray/core/dtype-types.js';
export type { OutOr } from './ndarray/array/ndarray.js';
export type { MeshgridArrays, MeshgridOptions } from './ndarray/array/context.js';
