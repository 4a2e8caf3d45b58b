/**
 * What `init()` returns: the creation functions, memory queries and lifetime of one backend. Every array
 * made here belongs to this context and shares its device.
 */

import type { Backend, BackendKind, MemoryInfo, Tuning } from '../../device/backend.js';
import { arangeBytes, arangeLength, checkArange, inferNumberDType } from '../core/creation.js';
import { dtypeInfo, isDType, type DType } from '../core/dtype.js';
import type {
  ArangeDType,
  CommonDType,
  DTypeOf,
  DTypeOfData,
  HasDType,
  KnownOptions,
  LastOptionDType,
  NoOptions,
  OptionDType,
  Promoted,
  ResultDType,
} from '../core/dtype-types.js';
import { ValueError, notAnInteger, shapeList, shapeReprCompact } from '../core/errors.js';
import { isTypedArray, nestedToHost, typedArrayToHost, type HostTypedArray, type NestedArray } from '../core/host.js';
import { broadcastLayout, byteBounds, freshLayout, makeLayout, sizeOf } from '../core/layout.js';
import { boundsOverlap, exactOverlap } from '../core/overlap.js';
import { coerceScalar, isScalar, type Scalar } from '../core/scalars.js';
import { checkIterationSize, checkRank } from '../core/limits.js';
import { checkNewShape, inferShape, resolveShapeArgs } from '../core/shape-args.js';
import { fillScalar } from './assign.js';
import { runCustomElementwise } from './custom.js';
import { ArrayMemory, type LiveArrayInfo, type MemoryOptions } from './memory.js';
import {
  NDArray,
  argwhereArray,
  flatnonzeroArray,
  outOr,
  ownerArray,
  reductionArray,
  ufuncArray,
  type OpArg,
  type OpOptions,
  type ReduceAxis,
  type ReduceOptions,
  type OutOr,
  type AssignableValue,
  type IndexArg,
} from './ndarray.js';
import { checkOperandOf, freshOperand } from './operand.js';
import { importOperand } from './transfer.js';
import type { NestedIndexList } from '../core/indexing.js';
import { compress, copyto, extract, put, putmask, take } from './selection.js';
import { applyScan, type ScanOptions } from './scan.js';
import {
  applyDot,
  applyInner,
  applyMatmul,
  applyOuter,
  applyTensordot,
  applyVdot,
  type ProductArg,
  type TensordotAxes,
} from './product.js';
import type { UfuncName } from './ufunc.js';
import type { Casting } from '../core/join.js';
import { concatenateOperands, stackAlong, stackOperands, withJoinOperands } from './join.js';
import { padOperand, type PadMode, type PadOptions, type PadValues, type PadWidth } from './pad.js';
import {
  asStridedView,
  atLeastView,
  broadcastArraysViews,
  directionalSplitViews,
  fliplrView,
  flipudView,
  moveaxisView,
  rollaxisView,
  rot90View,
  slidingWindowView,
  splitViews,
} from './rearrange.js';
import { rollOperand, tileOperand } from './tiling.js';
import type { Operand } from './operand.js';

import {
  allTrue,
  arrayEqualTruth,
  countNonzeroOperand,
  iscloseOperand,
  ptpOperand,
  roundOperand,
  varianceOperand,
  type IscloseOptions,
  type KeepdimsOptions,
  type VarianceOptions,
} from './numerics.js';
import { eyeOperand, indicesOperand, likeOperand, linspaceOperand, meshgridOperands, type LinspaceOptions } from './numeric-creation.js';

/** Options of creation functions that take a dtype (`T`: the dtype as a type, see NDArray). */
export interface DTypeOption<T extends DType = DType> {
  /** The element type (each function says its default). */
  dtype?: T;
}
/** Options of `np.array`. */
export interface ArrayOptions<T extends DType = DType> extends DTypeOption<T> {
  /** The shape of a flat TypedArray (default: its length). */
  shape?: readonly number[];
}

/** Options of `np.meshgrid`. */
export interface MeshgridOptions {
  /** 'xy' (default: the first two axes swapped, as for plotting) or 'ij' (matrix indexing). */
  indexing?: 'xy' | 'ij';
}
/** What `np.meshgrid(...args)` returns: an array for each array argument (a trailing options object is
 * none), of that argument's dtype; a tuple for a tuple. */
export type MeshgridArrays<A extends readonly unknown[]> = A extends readonly [...infer Arrays, infer Last]
  ? Last extends NDArray
    ? { -readonly [K in keyof A]: NDArray<DTypeOf<A[K]>> }
    : MeshgridArrays<Arrays>
  : { -readonly [K in keyof A]: NDArray<DTypeOf<A[K]>> };

/** Options of `np.elementwise`. */
export interface ElementwiseOptions<T extends DType = DType, O extends NDArray = NDArray> extends OpOptions<O> {
  /** The result dtype (default: NumPy's promotion of the inputs). */
  dtype?: T;
  /** The same computation in JavaScript, for the CPU backend (inputs and result as JS values). */
  cpu?: (...inputs: Scalar[]) => Scalar;
}

/** A shape: one length, or a list of lengths. */
export type ShapeArg = number | readonly number[];

/**
 * What `init()` returns, NumPy's `np` for one backend: the creation functions and operations, memory
 * queries and lifetimes. Every array made here belongs to this context and shares its device.
 */
export class Context {
  readonly #memory: ArrayMemory;
  readonly #backend: Backend;
  /** Why 'auto' fell back to the CPU (null when it did not). */
  fallbackReason: string | null = null;

  /** @internal Use `init()`. */
  constructor(backend: Backend, options: MemoryOptions = {}) {
    this.#backend = backend;
    this.#memory = new ArrayMemory(backend, options);
  }

  /** 'webgpu' or 'cpu'. */
  get backend(): BackendKind {
    return this.#backend.kind;
  }

  /** A short description of the device in use. */
  get device(): string {
    return this.#backend.description;
  }

  /** What the WebGPU kernels are tuned for ('gpu' or 'software': see `init({ tuning })`); null on the CPU. */
  get tuning(): Tuning | null {
    return this.#backend.tuning ?? null;
  }

  /** @internal The backend, for benchmarks and tests. */
  get backendImpl(): Backend {
    return this.#backend;
  }

  // ------------------------------------------------------------------------------------------
  // Creation

  /**
   * From nested arrays or a scalar, a TypedArray (with `shape`), or an NDArray (copied into this
   * context's memory, from any context whose bytes can be had at once: see `importOperand`).
   */
  array<const A extends NestedArray | HostTypedArray | NDArray, Opt extends KnownOptions<Opt, ArrayOptions> = NoOptions>(
    data: A,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, DTypeOfData<A>>> {
    type T = OptionDType<Opt, DTypeOfData<A>>;
    this.#memory.checkAlive();
    const dtype = checkDType(options.dtype);
    if (data instanceof NDArray) {
      data.checkUsable();
      const shape = options.shape ? inferShape(resolveShapeArgs([options.shape], 'array').shape, data.size) : undefined;
      return this.#memory.guard(() => ownerArray<T>(importOperand(this.#memory, data, { order: 'C', dtype: dtype ?? data.dtype, shape })));
    }
    const host = isTypedArray(data)
      ? typedArrayToHost(data, checkNewShape(options.shape ?? [(data as ArrayLike<unknown>).length]), dtype)
      : nestedToHost(data as NestedArray, dtype);
    if (options.shape && !isTypedArray(data) && sizeOf(options.shape) !== sizeOf(host.shape)) {
      throw new ValueError(`cannot reshape array of size ${sizeOf(host.shape)} into shape ${shapeReprCompact(options.shape)}`);
    }
    const shape = options.shape && !isTypedArray(data) ? checkNewShape(options.shape) : host.shape;
    return this.#memory.guard(() => {
      const result = this.#owner<T>(shape, host.dtype);
      if (host.bytes.byteLength > 0) this.#backend.write(result.storage.buffer, 0, host.bytes);
      return result;
    });
  }

  /** `arange(stop)` or `arange(start, stop, step?)`, with an optional `{ dtype }` last. Integers give
   * int32, anything else float32. */
  arange<const A extends readonly (number | DTypeOption)[]>(...args: A): NDArray<ArangeDType<A>> {
    this.#memory.checkAlive();
    let options: DTypeOption = {};
    if (args.length > 0 && typeof args[args.length - 1] === 'object') options = (args as unknown as DTypeOption[]).pop() as DTypeOption;
    const numbers = args as unknown as number[];
    if (numbers.length < 1 || numbers.length > 3 || numbers.some((n) => typeof n !== 'number')) {
      throw new TypeError('arange() takes (stop), (start, stop) or (start, stop, step), with an optional { dtype }');
    }
    const [start, stop, step] = numbers.length === 1 ? [0, numbers[0], 1] : [numbers[0], numbers[1], numbers[2] ?? 1];
    const dtype = checkDType(options.dtype) ?? inferNumberDType(start, stop, step);
    const length = arangeLength(start, stop, step);
    checkArange(start, step, length, dtype); // before allocating: a throwing call leaves memory as it was
    return this.#memory.guard(() => {
      const result = this.#owner<ArangeDType<A>>([length], dtype);
      if (length > 0) this.#backend.write(result.storage.buffer, 0, arangeBytes(start, step, length, dtype));
      return result;
    });
  }

  /** Uninitialised memory (whatever the pool held; ndgpu does not clear it). */
  empty<Opt extends KnownOptions<Opt, DTypeOption> = NoOptions>(
    shape: ShapeArg,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, 'float32'>> {
    type T = OptionDType<Opt, 'float32'>;
    this.#memory.checkAlive();
    return this.#owner<T>(toShape(shape), checkDType(options.dtype) ?? 'float32');
  }

  /** An array of zeros (default dtype float32). */
  zeros<Opt extends KnownOptions<Opt, DTypeOption> = NoOptions>(
    shape: ShapeArg,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, 'float32'>> {
    type T = OptionDType<Opt, 'float32'>;
    return this.full(shape, 0, { dtype: options.dtype ?? 'float32' }) as NDArray<T>;
  }

  /** An array of ones (default dtype float32). */
  ones<Opt extends KnownOptions<Opt, DTypeOption> = NoOptions>(
    shape: ShapeArg,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, 'float32'>> {
    type T = OptionDType<Opt, 'float32'>;
    return this.full(shape, 1, { dtype: options.dtype ?? 'float32' }) as NDArray<T>;
  }

  /** An array filled with `value`; the dtype defaults to what `value` infers (int32, float32, bool or int64). */
  full<V extends Scalar, Opt extends KnownOptions<Opt, DTypeOption> = NoOptions>(
    shape: ShapeArg,
    value: V,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, DTypeOfData<V>>> {
    type T = OptionDType<Opt, DTypeOfData<V>>;
    this.#memory.checkAlive();
    if (!isScalar(value)) throw new TypeError('full() takes a number, boolean or bigint fill value');
    const dtype = checkDType(options.dtype) ?? inferNumberDType(value);
    const dims = toShape(shape);
    coerceScalar(value, dtype); // NumPy's errors for a value the dtype cannot take, before allocating
    return this.#memory.guard(() => {
      const result = this.#owner<T>(dims, dtype);
      fillScalar(result, value);
      return result;
    });
  }

  /** A read-only view of `array` with the given shape (zero strides on broadcast axes). */
  broadcastTo<D extends DType>(array: NDArray<D>, shape: ShapeArg): NDArray<D> {
    if (!(array instanceof NDArray)) throw new TypeError('broadcastTo() takes an NDArray');
    checkOperandOf(this.#memory, array);
    const target = toShape(shape, { allowNegative: true });
    if (target.some((n) => n < 0)) throw new ValueError('all elements of broadcast shape must be non-negative');
    if (target.length < array.ndim) {
      if (target.length === 0) throw new ValueError('cannot broadcast a non-scalar to a scalar array');
      throw new ValueError('input operand has more dimensions than allowed by the axis remapping');
    }
    const layout = broadcastLayout(array.layout, target);
    if (!layout) {
      throw new ValueError(
        `operands could not be broadcast together with remapped shapes [original->remapped]: ${shapeReprCompact(array.shape)}  and requested shape ${shapeReprCompact(target)}`,
      );
    }
    checkIterationSize(target);
    return array.viewWithLayout(layout, false);
  }

  // ------------------------------------------------------------------------------------------
  // Elementwise operations over any views, with NumPy's broadcasting and NumPy 2 type promotion.
  // `out` may be any writable view, overlapping the inputs included.

  /** Elementwise `a + b` (NumPy's `add`; bool: logical or). */
  add<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'add', Promoted<[A, B]>>>> {
    return this.#ufunc('add', [a, b], options);
  }
  /** Elementwise `a - b` (NumPy's `subtract`; not for bools). */
  subtract<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'subtract', Promoted<[A, B]>>>> {
    return this.#ufunc('subtract', [a, b], options);
  }
  /** Elementwise `a * b` (NumPy's `multiply`; bool: logical and). */
  multiply<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'multiply', Promoted<[A, B]>>>> {
    return this.#ufunc('multiply', [a, b], options);
  }
  /** True division: integers give float32 (NumPy: float64; see README). */
  divide<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'divide', Promoted<[A, B]>>>> {
    return this.#ufunc('divide', [a, b], options);
  }
  /** Elementwise `a // b` (NumPy's `floor_divide`); integer division by zero gives 0. */
  floorDivide<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'floorDivide', Promoted<[A, B]>>>> {
    return this.#ufunc('floorDivide', [a, b], options);
  }
  /** Elementwise remainder with the sign of the divisor (NumPy's `remainder`, `%`). */
  mod<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'mod', Promoted<[A, B]>>>> {
    return this.#ufunc('mod', [a, b], options);
  }
  /** Elementwise `a ** b` (NumPy's `power`); integers to negative integer scalar powers raise. */
  power<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'power', Promoted<[A, B]>>>> {
    return this.#ufunc('power', [a, b], options);
  }
  /** Elementwise maximum, propagating NaN (NumPy's `maximum`). */
  maximum<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'maximum', Promoted<[A, B]>>>> {
    return this.#ufunc('maximum', [a, b], options);
  }
  /** Elementwise minimum, propagating NaN (NumPy's `minimum`). */
  minimum<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'minimum', Promoted<[A, B]>>>> {
    return this.#ufunc('minimum', [a, b], options);
  }
  /** Elementwise `a == b`, as a bool array (exact across dtypes, as NumPy's 64-bit loops). */
  equal<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'equal', Promoted<[A, B]>>>> {
    return this.#ufunc('equal', [a, b], options);
  }
  /** Elementwise `a != b`, as a bool array. */
  notEqual<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'notEqual', Promoted<[A, B]>>>> {
    return this.#ufunc('notEqual', [a, b], options);
  }
  /** Elementwise `a < b`, as a bool array. */
  less<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'less', Promoted<[A, B]>>>> {
    return this.#ufunc('less', [a, b], options);
  }
  /** Elementwise `a <= b`, as a bool array. */
  lessEqual<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'lessEqual', Promoted<[A, B]>>>> {
    return this.#ufunc('lessEqual', [a, b], options);
  }
  /** Elementwise `a > b`, as a bool array. */
  greater<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'greater', Promoted<[A, B]>>>> {
    return this.#ufunc('greater', [a, b], options);
  }
  /** Elementwise `a >= b`, as a bool array. */
  greaterEqual<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'greaterEqual', Promoted<[A, B]>>>> {
    return this.#ufunc('greaterEqual', [a, b], options);
  }
  /** Elementwise logical and of the truth values, as a bool array. */
  logicalAnd<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'logicalAnd', Promoted<[A, B]>>>> {
    return this.#ufunc('logicalAnd', [a, b], options);
  }
  /** Elementwise logical or of the truth values, as a bool array. */
  logicalOr<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'logicalOr', Promoted<[A, B]>>>> {
    return this.#ufunc('logicalOr', [a, b], options);
  }
  /** Elementwise logical not of the truth values, as a bool array. */
  logicalNot<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'logicalNot', Promoted<[A]>>>> {
    return this.#ufunc('logicalNot', [a], options);
  }
  /** Elementwise `-a` (NumPy's `negative`; not for bools). */
  negative<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'negative', Promoted<[A]>>>> {
    return this.#ufunc('negative', [a], options);
  }
  /** Elementwise absolute value (NumPy's `absolute`). */
  abs<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'abs', Promoted<[A]>>>> {
    return this.#ufunc('abs', [a], options);
  }
  /** Elementwise square root, in floating point (integers give float16/float32 as NumPy's rules narrowed to 32 bits). */
  sqrt<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'sqrt', Promoted<[A]>>>> {
    return this.#ufunc('sqrt', [a], options);
  }
  /** Elementwise `e ** a`, in floating point. */
  exp<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'exp', Promoted<[A]>>>> {
    return this.#ufunc('exp', [a], options);
  }
  /** Elementwise natural logarithm, in floating point. */
  log<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'log', Promoted<[A]>>>> {
    return this.#ufunc('log', [a], options);
  }
  /** Elementwise sine, in floating point. */
  sin<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'sin', Promoted<[A]>>>> {
    return this.#ufunc('sin', [a], options);
  }
  /** Elementwise cosine, in floating point. */
  cos<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'cos', Promoted<[A]>>>> {
    return this.#ufunc('cos', [a], options);
  }
  /** Elementwise hyperbolic tangent, in floating point. */
  tanh<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'tanh', Promoted<[A]>>>> {
    return this.#ufunc('tanh', [a], options);
  }
  /** `x` where `condition` is true, else `y` (all three broadcast together). */
  where<X extends OpArg, Y extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    condition: OpArg,
    x: X,
    y: Y,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'where', Promoted<[X, Y]>>>> {
    return this.#ufunc('where', [condition, x, y], options);
  }
  /** `minimum(maximum(a, min), max)`, as NumPy's clip; a bound a dtype cannot reach is ignored. */
  clip<A extends OpArg, Min extends OpArg, Max extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    min: Min,
    max: Max,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'clip', Promoted<[A, Min, Max]>>>> {
    return this.#ufunc('clip', [a, min, max], options);
  }

  // Reductions along any axes (all when omitted), with NumPy's result dtypes narrowed to 32 bits.
  /** Sum along `axis` (all axes when omitted); bools and narrow integers sum in the 32-bit integer of their kind. */
  sum<D extends DType, Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    a: NDArray<D>,
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'sum', D>>> {
    return reductionArray(this.#memory, 'sum', a, axis, options);
  }
  /** Product along `axis` (all axes when omitted). */
  prod<D extends DType, Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    a: NDArray<D>,
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'prod', D>>> {
    return reductionArray(this.#memory, 'prod', a, axis, options);
  }
  /** Arithmetic mean along `axis` (all axes when omitted), in floating point. */
  mean<D extends DType, Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    a: NDArray<D>,
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'mean', D>>> {
    return reductionArray(this.#memory, 'mean', a, axis, options);
  }
  /** Minimum along `axis` (all axes when omitted), propagating NaN; an empty reduction raises. */
  min<D extends DType, Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    a: NDArray<D>,
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'min', D>>> {
    return reductionArray(this.#memory, 'min', a, axis, options);
  }
  /** Maximum along `axis` (all axes when omitted), propagating NaN; an empty reduction raises. */
  max<D extends DType, Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    a: NDArray<D>,
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'max', D>>> {
    return reductionArray(this.#memory, 'max', a, axis, options);
  }
  /** Positions of the minima (flat C-order positions when `axis` is omitted); NaN counts as smallest. */
  argmin<D extends DType, Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    a: NDArray<D>,
    axis?: number | null,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'argmin', D>>> {
    return reductionArray(this.#memory, 'argmin', a, axis, options);
  }
  /** Position of the first maximum along `axis` (the flat C-order position when omitted); NaN counts as largest. */
  argmax<D extends DType, Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    a: NDArray<D>,
    axis?: number | null,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'argmax', D>>> {
    return reductionArray(this.#memory, 'argmax', a, axis, options);
  }
  /** Whether any element along `axis` is true (all axes when omitted), as a bool array. */
  any<D extends DType, Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    a: NDArray<D>,
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'any', D>>> {
    return reductionArray(this.#memory, 'any', a, axis, options);
  }
  /** Whether every element along `axis` is true (all axes when omitted), as a bool array. */
  all<D extends DType, Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    a: NDArray<D>,
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'all', D>>> {
    return reductionArray(this.#memory, 'all', a, axis, options);
  }

  // ----- lifetimes across awaits -----

  /**
   * Runs `body` (usually an async function), and once it has settled disposes every array this context
   * made meanwhile — after its `await`s too — except those in its result (directly, or inside a returned
   * array or object): `const y = await np.scope(async () => { ...; await x.toArray(); ...; return y; })`.
   * The scope stays open across awaits, so it covers whatever this context makes while it is open,
   * whoever makes it: keep arrays meant to outlive it by returning them or with `np.keep()`.
   * Scopes open at the same time — nested, or running interleaved — share the arrays made while they were
   * all open: such an array is disposed when the last of them closes, unless one of them returns it, so no
   * scope disposes an array that another one may still be using (a nested scope's temporaries live until
   * the outer one closes). Returned arrays leave every scope. When `body` throws or rejects, nothing is
   * disposed. `tidy` inside a scope frees its block's temporaries at once.
   */
  scope<T>(body: () => T): Promise<Awaited<T>> {
    this.#memory.checkAlive();
    if (typeof body !== 'function') throw new TypeError('scope() takes a function');
    return this.#memory.scope(body, (value): value is NDArray => value instanceof NDArray);
  }

  /** Takes `array` out of every open `tidy` and `scope()`: it lives until disposed (or collected). */
  keep<A extends NDArray>(array: A): A {
    if (!(array instanceof NDArray)) throw new TypeError('keep() takes an NDArray');
    array.memory.keep(array);
    return array;
  }

  // ----- joining, splitting, rearranging -----
  // Joins and rearranging copies return new arrays that own their memory; splits and the other
  // rearrangements are views, exactly as NumPy makes them (shape, strides, offset, base, writeable).

  /** Joins arrays along an existing axis (`axis: null` flattens them first) into a new array or `out`
   * (any writable view of the result's shape, overlapping the inputs included). */
  concatenate<A extends OpArg, Opt extends KnownOptions<Opt, ConcatenateOptions> = NoOptions>(
    arrays: readonly A[],
    options: Opt = {} as Opt,
  ): OutOr<Opt, NDArray<OptionDType<Opt, CommonDType<A>>>> {
    const axis = options.axis === undefined ? 0 : options.axis;
    return this.#joined(arrays, 'concatenate', options.out, (ops) => concatenateOperands(this.#memory, ops, axis, options));
  }
  /** Joins arrays of one shape along a new axis. */
  stack<A extends OpArg, Opt extends KnownOptions<Opt, StackOptions> = NoOptions>(
    arrays: readonly A[],
    options: Opt = {} as Opt,
  ): OutOr<Opt, NDArray<OptionDType<Opt, CommonDType<A>>>> {
    return this.#joined(arrays, 'stack', options.out, (ops) => stackOperands(this.#memory, ops, options.axis ?? 0, options));
  }
  /** Stacks rows: 1-D inputs become rows, then they are joined along axis 0. */
  vstack<A extends OpArg, Opt extends KnownOptions<Opt, JoinDTypeOptions> = NoOptions>(
    arrays: readonly A[],
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, CommonDType<A>>> {
    type T = OptionDType<Opt, CommonDType<A>>;
    return this.#joined<NDArray<T>>(arrays, 'vstack', undefined, (ops) => stackAlong(this.#memory, ops, 'vstack', options));
  }
  /** Joins along axis 1 (axis 0 for 1-D inputs). */
  hstack<A extends OpArg, Opt extends KnownOptions<Opt, JoinDTypeOptions> = NoOptions>(
    arrays: readonly A[],
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, CommonDType<A>>> {
    type T = OptionDType<Opt, CommonDType<A>>;
    return this.#joined<NDArray<T>>(arrays, 'hstack', undefined, (ops) => stackAlong(this.#memory, ops, 'hstack', options));
  }
  /** Joins along axis 2, inputs made at least 3-D. */
  dstack<A extends OpArg>(arrays: readonly A[]): NDArray<CommonDType<A>> {
    return this.#joined<NDArray<CommonDType<A>>>(arrays, 'dstack', undefined, (ops) => stackAlong(this.#memory, ops, 'dstack'));
  }
  /** Joins 1-D inputs as the columns of a 2-D array (2-D inputs as they are). */
  columnStack<A extends OpArg>(arrays: readonly A[]): NDArray<CommonDType<A>> {
    return this.#joined<NDArray<CommonDType<A>>>(arrays, 'column_stack', undefined, (ops) => stackAlong(this.#memory, ops, 'column_stack'));
  }

  /** Equal pieces along `axis` (a ValueError when they cannot be equal), or the pieces between the given
   * indices: views. */
  split<D extends DType>(a: NDArray<D>, sectionsOrIndices: number | readonly number[], options: { axis?: number } = {}): NDArray<D>[] {
    const source = viewSource(a, 'split');
    return splitViews(source.layout, sectionsOrIndices, options.axis ?? 0, 'split').map((l) => source.viewWithLayout(l));
  }
  /** As `split`, but `n` sections need not be equal: the first `length % n` are one longer. */
  arraySplit<D extends DType>(a: NDArray<D>, sectionsOrIndices: number | readonly number[], options: { axis?: number } = {}): NDArray<D>[] {
    const source = viewSource(a, 'array_split');
    return splitViews(source.layout, sectionsOrIndices, options.axis ?? 0, 'array_split').map((l) => source.viewWithLayout(l));
  }
  /** `split` along axis 1 (axis 0 for 1-D arrays). */
  hsplit<D extends DType>(a: NDArray<D>, sectionsOrIndices: number | readonly number[]): NDArray<D>[] {
    const source = viewSource(a, 'hsplit');
    return directionalSplitViews(source.layout, sectionsOrIndices, 'hsplit').map((l) => source.viewWithLayout(l));
  }
  /** `split` along axis 0 of an array of at least 2 dimensions. */
  vsplit<D extends DType>(a: NDArray<D>, sectionsOrIndices: number | readonly number[]): NDArray<D>[] {
    const source = viewSource(a, 'vsplit');
    return directionalSplitViews(source.layout, sectionsOrIndices, 'vsplit').map((l) => source.viewWithLayout(l));
  }
  /** `split` along axis 2 of an array of at least 3 dimensions. */
  dsplit<D extends DType>(a: NDArray<D>, sectionsOrIndices: number | readonly number[]): NDArray<D>[] {
    const source = viewSource(a, 'dsplit');
    return directionalSplitViews(source.layout, sectionsOrIndices, 'dsplit').map((l) => source.viewWithLayout(l));
  }

  /** `a` repeated `reps[k]` times along each axis (a copy). */
  tile<D extends DType>(a: NDArray<D>, reps: number | readonly number[]): NDArray<D> {
    return this.#memory.guard(() => ownerArray(tileOperand(this.#memory, this.#copySource(a), reps)));
  }
  /** Each element repeated (a copy); see `NDArray.repeat`. */
  repeat<D extends DType>(a: NDArray<D>, repeats: number | readonly number[], options: { axis?: number | null } = {}): NDArray<D> {
    return this.#copySource(a).repeat(repeats, options);
  }
  /** Elements shifted by `shift` along `axis` (or several), wrapping around; without an axis, the
   * flattened array is rolled. A copy. */
  roll<D extends DType>(
    a: NDArray<D>,
    shift: number | readonly number[],
    options: { axis?: number | readonly number[] | null } = {},
  ): NDArray<D> {
    return this.#memory.guard(() => ownerArray(rollOperand(this.#memory, this.#copySource(a), shift, options.axis ?? null)));
  }
  /** A copy with pads around it: `mode` 'constant' (default, `constantValues` 0), 'edge', 'reflect',
   * 'symmetric' or 'wrap'. */
  pad<D extends DType>(a: NDArray<D>, padWidth: PadWidth, options: PadOptions = {}): NDArray<D> {
    return this.#memory.guard(() => ownerArray(padOperand(this.#memory, this.#copySource(a), padWidth, options)));
  }

  /** The axes `source` moved to positions `destination`, the others in their order: a view. */
  moveaxis<D extends DType>(a: NDArray<D>, source: number | readonly number[], destination: number | readonly number[]): NDArray<D> {
    const array = viewSource(a, 'moveaxis');
    return array.viewWithLayout(moveaxisView(array.layout, source, destination));
  }
  /** `axis` moved to position `start` (NumPy's older moveaxis): a view. */
  rollaxis<D extends DType>(a: NDArray<D>, axis: number, start = 0): NDArray<D> {
    const array = viewSource(a, 'rollaxis');
    return array.viewWithLayout(rollaxisView(array.layout, axis, start));
  }
  /**
   * The arrays broadcast against each other: an input already of the common shape comes back itself (as
   * NumPy's), the others as read-only views with zero strides on broadcast axes (as `broadcastTo`).
   */
  broadcastArrays<A extends NDArray[]>(...arrays: A): { [K in keyof A]: NDArray<A[K] extends HasDType<infer E extends DType> ? E : never> };
  broadcastArrays(...arrays: NDArray[]): NDArray[] {
    const sources = arrays.map((a) => viewSource(a, 'broadcast_arrays'));
    const layouts = broadcastArraysViews(sources.map((a) => a.layout));
    return sources.map((a, k) => {
      const layout = layouts[k];
      return layout ? a.viewWithLayout(layout, false) : a;
    });
  }
  /** Arrays with at least one axis: a 0-d array becomes a (1,) view; others come back themselves. */
  atleast1d<D extends DType>(a: NDArray<D>): NDArray<D>;
  atleast1d<A extends NDArray[]>(...arrays: A): { [K in keyof A]: NDArray<A[K] extends HasDType<infer E extends DType> ? E : never> };
  atleast1d(...arrays: NDArray[]): NDArray | NDArray[] {
    return this.#atLeast(1, arrays);
  }
  /** At least two axes: 0-d arrays as (1, 1), 1-D ones as rows (`a[None, :]`). */
  atleast2d<D extends DType>(a: NDArray<D>): NDArray<D>;
  atleast2d<A extends NDArray[]>(...arrays: A): { [K in keyof A]: NDArray<A[K] extends HasDType<infer E extends DType> ? E : never> };
  atleast2d(...arrays: NDArray[]): NDArray | NDArray[] {
    return this.#atLeast(2, arrays);
  }
  /** At least three axes: (1, 1, 1), `a[None, :, None]` and `a[:, :, None]` for 0-, 1- and 2-D arrays. */
  atleast3d<D extends DType>(a: NDArray<D>): NDArray<D>;
  atleast3d<A extends NDArray[]>(...arrays: A): { [K in keyof A]: NDArray<A[K] extends HasDType<infer E extends DType> ? E : never> };
  atleast3d(...arrays: NDArray[]): NDArray | NDArray[] {
    return this.#atLeast(3, arrays);
  }
  /** The columns in reverse order (`a[:, ::-1]`): a view. */
  fliplr<D extends DType>(a: NDArray<D>): NDArray<D> {
    const array = viewSource(a, 'fliplr');
    return array.viewWithLayout(fliplrView(array.layout));
  }
  /** The rows in reverse order (`a[::-1]`): a view. */
  flipud<D extends DType>(a: NDArray<D>): NDArray<D> {
    const array = viewSource(a, 'flipud');
    return array.viewWithLayout(flipudView(array.layout));
  }
  /** Rotated `k` quarter turns from the first of `axes` towards the second: a view. */
  rot90<D extends DType>(a: NDArray<D>, k = 1, axes: readonly number[] = [0, 1]): NDArray<D> {
    const array = viewSource(a, 'rot90');
    return array.viewWithLayout(rot90View(array.layout, k, axes));
  }
  /** Every window of `windowShape` over the array (over `axis` when given) as trailing axes: a read-only
   * view unless `writeable` (and the array is). */
  slidingWindowView<D extends DType>(
    a: NDArray<D>,
    windowShape: number | readonly number[],
    options: SlidingWindowOptions = {},
  ): NDArray<D> {
    const array = viewSource(a, 'sliding_window_view');
    const layout = slidingWindowView(array.layout, windowShape, options.axis);
    return array.viewWithLayout(layout, (options.writeable ?? false) && array.flags.writeable);
  }
  /**
   * A view with any shape and strides (bytes) from `a`'s first element: NumPy's `as_strided`, checked:
   * a view that would reach outside the memory, or whose strides are not whole items, is a ValueError.
   */
  asStrided<D extends DType>(
    a: NDArray<D>,
    shape?: readonly number[],
    strides?: readonly number[],
    options: { writeable?: boolean } = {},
  ): NDArray<D> {
    const array = viewSource(a, 'as_strided');
    const layout = asStridedView(array.layout, array.itemsize, array.storage.byteLength, shape ?? undefined, strides ?? undefined);
    return array.viewWithLayout(layout, (options.writeable ?? true) && array.flags.writeable);
  }
  /** `a` itself when it is C-contiguous, else a C-ordered copy; a 0-d array becomes a (1,) view. */
  ascontiguousarray<D extends DType>(a: NDArray<D>): NDArray<D> {
    const array = viewSource(a, 'ascontiguousarray');
    if (array.ndim === 0) return array.reshape([1]);
    return array.flags.cContiguous ? array : array.copy('C');
  }
  /** `a` itself when it is F-contiguous, else an F-ordered copy; a 0-d array becomes a (1,) view. */
  asfortranarray<D extends DType>(a: NDArray<D>): NDArray<D> {
    const array = viewSource(a, 'asfortranarray');
    if (array.ndim === 0) return array.reshape([1], { order: 'F' });
    return array.flags.fContiguous ? array : array.copy('F');
  }

  #joined<R>(arrays: readonly OpArg[], what: string, out: NDArray | undefined, join: (operands: Operand[]) => Operand): R {
    return this.#memory.guard(() => outOr(out, withJoinOperands(this.#memory, arrays, what, join)));
  }

  #copySource<D extends DType>(a: NDArray<D>): NDArray<D> {
    const array = viewSource(a, 'the array argument');
    if (array.memory !== this.#memory) throw new ValueError('the array belongs to another ndgpu context');
    return array;
  }

  #atLeast(ndim: 1 | 2 | 3, arrays: readonly NDArray[]): NDArray | NDArray[] {
    const results = arrays.map((a) => {
      const array = viewSource(a, `atleast_${ndim}d`);
      const layout = atLeastView(array.layout, ndim, array.itemsize);
      return layout ? array.viewWithLayout(layout) : array;
    });
    return results.length === 1 ? results[0] : results;
  }

  // ------------------------------------------------------------------------------------------
  // ----- numerics (issue #18): more ufuncs, round, var/std/ptp/countNonzero, creation, comparison -----

  /** Elementwise floor (integers stay integers, as NumPy 2). */
  floor<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'floor', Promoted<[A]>>>> {
    return this.#ufunc('floor', [a], options);
  }
  /** Elementwise ceiling (integers stay integers, as NumPy 2). */
  ceil<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'ceil', Promoted<[A]>>>> {
    return this.#ufunc('ceil', [a], options);
  }
  /** Elementwise truncation toward zero (integers stay integers, as NumPy 2). */
  trunc<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'trunc', Promoted<[A]>>>> {
    return this.#ufunc('trunc', [a], options);
  }
  /** Elementwise rounding to the nearest integer, halves to even. */
  rint<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'rint', Promoted<[A]>>>> {
    return this.#ufunc('rint', [a], options);
  }
  /** Elementwise sign: -1, 0 or 1 (NaN stays NaN). */
  sign<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'sign', Promoted<[A]>>>> {
    return this.#ufunc('sign', [a], options);
  }
  /** Elementwise `a * a`. */
  square<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'square', Promoted<[A]>>>> {
    return this.#ufunc('square', [a], options);
  }
  /** Elementwise `1 / a` (integers: integer division, 0 for 0). */
  reciprocal<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'reciprocal', Promoted<[A]>>>> {
    return this.#ufunc('reciprocal', [a], options);
  }
  /** Elementwise `2 ** a`, in floating point. */
  exp2<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'exp2', Promoted<[A]>>>> {
    return this.#ufunc('exp2', [a], options);
  }
  /** Elementwise `exp(a) - 1`, accurate near 0. */
  expm1<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'expm1', Promoted<[A]>>>> {
    return this.#ufunc('expm1', [a], options);
  }
  /** Elementwise base-2 logarithm, in floating point. */
  log2<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'log2', Promoted<[A]>>>> {
    return this.#ufunc('log2', [a], options);
  }
  /** Elementwise base-10 logarithm, in floating point. */
  log10<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'log10', Promoted<[A]>>>> {
    return this.#ufunc('log10', [a], options);
  }
  /** Elementwise `log(1 + a)`, accurate near 0. */
  log1p<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'log1p', Promoted<[A]>>>> {
    return this.#ufunc('log1p', [a], options);
  }
  /** Elementwise tangent, in floating point. */
  tan<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'tan', Promoted<[A]>>>> {
    return this.#ufunc('tan', [a], options);
  }
  /** Elementwise inverse sine, in floating point. */
  arcsin<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'arcsin', Promoted<[A]>>>> {
    return this.#ufunc('arcsin', [a], options);
  }
  /** Elementwise inverse cosine, in floating point. */
  arccos<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'arccos', Promoted<[A]>>>> {
    return this.#ufunc('arccos', [a], options);
  }
  /** Elementwise inverse tangent, in floating point. */
  arctan<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'arctan', Promoted<[A]>>>> {
    return this.#ufunc('arctan', [a], options);
  }
  /** Elementwise hyperbolic sine, in floating point. */
  sinh<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'sinh', Promoted<[A]>>>> {
    return this.#ufunc('sinh', [a], options);
  }
  /** Elementwise hyperbolic cosine, in floating point. */
  cosh<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'cosh', Promoted<[A]>>>> {
    return this.#ufunc('cosh', [a], options);
  }
  /** Elementwise inverse hyperbolic sine, in floating point. */
  arcsinh<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'arcsinh', Promoted<[A]>>>> {
    return this.#ufunc('arcsinh', [a], options);
  }
  /** Elementwise inverse hyperbolic cosine, in floating point. */
  arccosh<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'arccosh', Promoted<[A]>>>> {
    return this.#ufunc('arccosh', [a], options);
  }
  /** Elementwise inverse hyperbolic tangent, in floating point. */
  arctanh<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'arctanh', Promoted<[A]>>>> {
    return this.#ufunc('arctanh', [a], options);
  }
  /** Elementwise test for NaN, as a bool array. */
  isnan<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'isnan', Promoted<[A]>>>> {
    return this.#ufunc('isnan', [a], options);
  }
  /** Elementwise test for ±Infinity, as a bool array. */
  isinf<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'isinf', Promoted<[A]>>>> {
    return this.#ufunc('isinf', [a], options);
  }
  /** Elementwise test for finite values, as a bool array. */
  isfinite<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'isfinite', Promoted<[A]>>>> {
    return this.#ufunc('isfinite', [a], options);
  }
  /** Elementwise test of the sign bit (true for -0 and negative NaNs), as a bool array. */
  signbit<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'signbit', Promoted<[A]>>>> {
    return this.#ufunc('signbit', [a], options);
  }
  /** Elementwise bitwise not of integers, logical not of bools (`~`, NumPy's `invert`). */
  invert<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'invert', Promoted<[A]>>>> {
    return this.#ufunc('invert', [a], options);
  }
  /** NumPy's bitwise_not, which is `invert`. */
  bitwiseNot<A extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'invert', Promoted<[A]>>>> {
    return this.#ufunc('invert', [a], options);
  }
  /** Elementwise angle of the point (b, a): `arctan(a / b)` in the right quadrant. */
  arctan2<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'arctan2', Promoted<[A, B]>>>> {
    return this.#ufunc('arctan2', [a, b], options);
  }
  /** Elementwise `sqrt(a * a + b * b)`, without overflow in between. */
  hypot<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'hypot', Promoted<[A, B]>>>> {
    return this.#ufunc('hypot', [a, b], options);
  }
  /** Elementwise remainder with the sign of the dividend (C's fmod; integer division by zero gives 0). */
  fmod<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'fmod', Promoted<[A, B]>>>> {
    return this.#ufunc('fmod', [a, b], options);
  }
  /** Elementwise magnitude of `a` with the sign of `b`. */
  copysign<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'copysign', Promoted<[A, B]>>>> {
    return this.#ufunc('copysign', [a, b], options);
  }
  /** Elementwise maximum, ignoring NaN where the other operand is a number. */
  fmax<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'fmax', Promoted<[A, B]>>>> {
    return this.#ufunc('fmax', [a, b], options);
  }
  /** Elementwise minimum, ignoring NaN where the other operand is a number. */
  fmin<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'fmin', Promoted<[A, B]>>>> {
    return this.#ufunc('fmin', [a, b], options);
  }
  /** Elementwise logical exclusive or of the truth values, as a bool array. */
  logicalXor<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'logicalXor', Promoted<[A, B]>>>> {
    return this.#ufunc('logicalXor', [a, b], options);
  }
  /** Elementwise bitwise and of integers or bools (`&`). */
  bitwiseAnd<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'bitwiseAnd', Promoted<[A, B]>>>> {
    return this.#ufunc('bitwiseAnd', [a, b], options);
  }
  /** Elementwise bitwise or of integers or bools (`|`). */
  bitwiseOr<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'bitwiseOr', Promoted<[A, B]>>>> {
    return this.#ufunc('bitwiseOr', [a, b], options);
  }
  /** Elementwise bitwise exclusive or of integers or bools (`^`). */
  bitwiseXor<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'bitwiseXor', Promoted<[A, B]>>>> {
    return this.#ufunc('bitwiseXor', [a, b], options);
  }
  /** Elementwise `a << b` (shifts past the width give 0, as NumPy). */
  leftShift<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'leftShift', Promoted<[A, B]>>>> {
    return this.#ufunc('leftShift', [a, b], options);
  }
  /** Elementwise `a >> b`, arithmetic for signed integers (shifts past the width give 0 or -1). */
  rightShift<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'rightShift', Promoted<[A, B]>>>> {
    return this.#ufunc('rightShift', [a, b], options);
  }
  /** NumPy's `round` (and `around`): half to even at `decimals` digits. */
  round<D extends DType, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: NDArray<D>,
    decimals = 0,
    options: Opt = {} as Opt,
  ): OutOr<Opt, NDArray<ResultDType<'round', D>>> {
    return outOr(options.out, roundOperand(this.#memory, a, decimals, options.out));
  }
  /** `round` under NumPy's other name. */
  around<D extends DType, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: NDArray<D>,
    decimals = 0,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'round', D>>> {
    return this.round(a, decimals, options);
  }
  /** Variance along `axis` (all axes when omitted), with `ddof` and `keepdims`. */
  var<D extends DType>(a: NDArray<D>, axis?: ReduceAxis, options: VarianceOptions = {}): NDArray<ResultDType<'var', D>> {
    return ownerArray(varianceOperand(this.#memory, a, axis, options, false));
  }
  /** Standard deviation along `axis` (all axes when omitted), with `ddof` and `keepdims`. */
  std<D extends DType>(a: NDArray<D>, axis?: ReduceAxis, options: VarianceOptions = {}): NDArray<ResultDType<'std', D>> {
    return ownerArray(varianceOperand(this.#memory, a, axis, options, true));
  }
  /** Peak to peak (`max - min`) along `axis` (all axes when omitted). */
  ptp<D extends DType>(a: NDArray<D>, axis?: ReduceAxis, options: KeepdimsOptions = {}): NDArray<ResultDType<'ptp', D>> {
    return ownerArray(ptpOperand(this.#memory, a, axis, options));
  }
  /** Non-zero elements along `axis` (all by default): int32 counts, a 0-d array for the whole array. */
  countNonzero(a: NDArray, options: KeepdimsOptions & { axis?: ReduceAxis } = {}): NDArray<'int32'> {
    return ownerArray(countNonzeroOperand(this.#memory, a, options.axis, options));
  }

  /** `num` evenly spaced samples from `start` to `stop` (float32 by default; NumPy's float64 values). */
  linspace<Opt extends KnownOptions<Opt, LinspaceOptions> = NoOptions>(
    start: number,
    stop: number,
    num = 50,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, 'float32'>> {
    this.#memory.checkAlive();
    return ownerArray(linspaceOperand(this.#memory, start, stop, num, { ...options, dtype: checkDType(options.dtype) }));
  }
  /** `eye(n)`, `eye(n, m)`, `eye(n, m, k)`, each with an optional `{ dtype }` last (float32 by default). */
  eye<const Args extends readonly (number | null | DTypeOption | undefined)[]>(
    n: number,
    ...rest: Args
  ): NDArray<LastOptionDType<Args, 'float32'>> {
    this.#memory.checkAlive();
    const args = [...rest];
    const last = args[args.length - 1];
    const options = last !== null && typeof last === 'object' ? (args.pop() as DTypeOption) : {};
    const [m, k] = args as (number | null | undefined)[];
    return ownerArray(eyeOperand(this.#memory, n, m, k ?? 0, checkDType(options.dtype) ?? 'float32'));
  }
  /** The `n × n` identity matrix (default dtype float32). */
  identity<Opt extends KnownOptions<Opt, DTypeOption> = NoOptions>(
    n: number,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, 'float32'>> {
    return this.eye(n, null, 0, options);
  }
  /** Uninitialised memory shaped and laid out like `a` (NumPy's order 'K'). */
  emptyLike<D extends DType, Opt extends KnownOptions<Opt, DTypeOption> = NoOptions>(
    a: NDArray<D>,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, D>> {
    return ownerArray(likeOperand(this.#memory, a, checkDType(options.dtype)));
  }
  /** An array of zeros with `a`'s shape, dtype (or `dtype`) and memory order. */
  zerosLike<D extends DType, Opt extends KnownOptions<Opt, DTypeOption> = NoOptions>(
    a: NDArray<D>,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, D>> {
    return this.fullLike(a, 0, options);
  }
  /** An array of ones with `a`'s shape, dtype (or `dtype`) and memory order. */
  onesLike<D extends DType, Opt extends KnownOptions<Opt, DTypeOption> = NoOptions>(
    a: NDArray<D>,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, D>> {
    return this.fullLike(a, 1, options);
  }
  /** An array filled with `value`, with `a`'s shape, dtype (or `dtype`) and memory order. */
  fullLike<D extends DType, Opt extends KnownOptions<Opt, DTypeOption> = NoOptions>(
    a: NDArray<D>,
    value: Scalar,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, D>> {
    if (!isScalar(value)) throw new TypeError('fullLike() takes a number, boolean or bigint fill value');
    const result = this.emptyLike(a, options);
    try {
      result.fill(value);
    } catch (error) {
      result.dispose();
      throw error;
    }
    return result;
  }
  /** Coordinate matrices from coordinate vectors: `meshgrid(x, y)` ('xy': shape (len(y), len(x))) or
   * with `{ indexing: 'ij' }` last; copies, each of its vector's dtype, as NumPy's default. */
  meshgrid<A extends (NDArray | MeshgridOptions)[]>(...args: A): MeshgridArrays<A>;
  meshgrid(...args: (NDArray | MeshgridOptions)[]): NDArray[] {
    this.#memory.checkAlive();
    const last = args[args.length - 1];
    const options = last !== undefined && !(last instanceof NDArray) ? (args.pop() as MeshgridOptions) : {};
    return meshgridOperands(this.#memory, args as NDArray[], options.indexing ?? 'xy').map((r) => ownerArray(r));
  }
  /** NumPy's `indices`: shape `[dimensions.length, ...dimensions]`, int32 by default. */
  indices<Opt extends KnownOptions<Opt, DTypeOption> = NoOptions>(
    dimensions: readonly number[],
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, 'int32'>> {
    this.#memory.checkAlive();
    return ownerArray(indicesOperand(this.#memory, dimensions, checkDType(options.dtype) ?? 'int32'));
  }
  /** Elementwise `|a - b| <= atol + rtol * |b|` (and equal, and NaNs with `equalNan`), as NumPy 2. */
  isclose(a: OpArg, b: OpArg, options: IscloseOptions = {}): NDArray<'bool'> {
    return ownerArray(iscloseOperand(this.#memory, a, b, options));
  }
  /** Whether `isclose` holds everywhere (read from the device). */
  allclose(a: OpArg, b: OpArg, options: IscloseOptions = {}): Promise<boolean> {
    return allTrue(this.#memory, iscloseOperand(this.#memory, a, b, options));
  }
  /** Whether `a` and `b` have the same shape and equal elements (read from the device). */
  arrayEqual(a: OpArg, b: OpArg): Promise<boolean> {
    const truth = arrayEqualTruth(this.#memory, a, b);
    return typeof truth === 'boolean' ? Promise.resolve(truth) : allTrue(this.#memory, truth);
  }

  // ----- advanced indexing: take, put, nonzero, compress, extract, putmask, copyto, scans -----
  // Results whose shape depends on values on the device (nonzero, a condition NDArray) are Promises.

  /** Elements (or slices along `axis`) at `indices`, as a new array: `np.take(a, [0, 2], { axis: 1 })`. */
  take<D extends DType>(a: NDArray<D>, indices: IndexArg, options: { axis?: number | null } = {}): NDArray<D> {
    a.checkUsable();
    return this.#memory.guard(() => ownerArray(take(this.#memory, a, indices, options.axis)));
  }
  /** `a.flat[indices] = values` (values repeated as needed; the last of repeated indices wins). */
  put(a: NDArray, indices: IndexArg, values: AssignableValue): void {
    a.checkUsable();
    put(this.#memory, a, indices, values);
  }
  /** One int32 array of positions per axis, where `a` is nonzero. */
  nonzero(a: NDArray): Promise<NDArray<'int32'>[]> {
    return a.nonzero();
  }
  /** The flat positions (int32) where `a` is nonzero. */
  flatnonzero(a: NDArray): Promise<NDArray<'int32'>> {
    a.checkUsable();
    return flatnonzeroArray(this.#memory, a);
  }
  /** The coordinates where `a` is nonzero, as rows of an int32 (count, ndim) array. */
  argwhere(a: NDArray): Promise<NDArray<'int32'>> {
    a.checkUsable();
    return argwhereArray(this.#memory, a);
  }
  /** Slices along `axis` (or elements of the flattened array) where the 1-D `condition` is true. */
  compress<D extends DType>(condition: NestedIndexList, a: NDArray<D>, options?: { axis?: number | null }): NDArray<D>;
  compress<D extends DType>(condition: NDArray, a: NDArray<D>, options?: { axis?: number | null }): Promise<NDArray<D>>;
  compress<D extends DType>(
    condition: NestedIndexList | NDArray,
    a: NDArray<D>,
    options: { axis?: number | null } = {},
  ): NDArray<D> | Promise<NDArray<D>> {
    a.checkUsable();
    const result = compress(this.#memory, condition, a, options.axis);
    return result instanceof Promise ? result.then((r) => ownerArray<D>(r)) : ownerArray<D>(result);
  }
  /** The elements of the flattened `a` where the flattened `condition` is true. */
  extract<D extends DType>(condition: NestedIndexList, a: NDArray<D>): NDArray<D>;
  extract<D extends DType>(condition: NDArray, a: NDArray<D>): Promise<NDArray<D>>;
  extract<D extends DType>(condition: NestedIndexList | NDArray, a: NDArray<D>): NDArray<D> | Promise<NDArray<D>> {
    a.checkUsable();
    const result = extract(this.#memory, condition, a);
    return result instanceof Promise ? result.then((r) => ownerArray<D>(r)) : ownerArray<D>(result);
  }
  /** Where `mask` is true, `a` takes `values[i % values.size]` (i its flat position), in place. */
  putmask(a: NDArray, mask: NestedArray | NDArray, values: AssignableValue): void {
    a.checkUsable();
    putmask(this.#memory, a, mask, values);
  }
  /** `dst[...] = src` (broadcast), only where `where` is true; casting 'same_kind' (default) or 'unsafe'. */
  copyto(dst: NDArray, src: AssignableValue, options: { where?: NestedArray | NDArray; casting?: Casting } = {}): void {
    dst.checkUsable();
    copyto(this.#memory, dst, src, options);
  }
  /** Cumulative sum along `axis` (the flattened array when omitted). */
  cumsum<D extends DType, Opt extends KnownOptions<Opt, ScanOptions> = NoOptions>(
    a: NDArray<D>,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, ResultDType<'cumsum', D>>> {
    a.checkUsable();
    return this.#memory.guard(() => ownerArray(applyScan(this.#memory, 'sum', a, options)));
  }
  /** Cumulative product along `axis` (the flattened array when omitted). */
  cumprod<D extends DType, Opt extends KnownOptions<Opt, ScanOptions> = NoOptions>(
    a: NDArray<D>,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, ResultDType<'cumprod', D>>> {
    a.checkUsable();
    return this.#memory.guard(() => ownerArray(applyScan(this.#memory, 'prod', a, options)));
  }

  // ----- products -----
  // Matrix and tensor products over any views (transposed, strided, broadcast), read where they lie.

  /** NumPy's matmul (`a @ b`): batched over leading axes (broadcast), 1-D operands promoted and their
   * axis removed; `out` may be any writable view, overlapping the operands included. */
  matmul<A extends OpArg, B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    a: A,
    b: B,
    options: Opt = {} as Opt,
  ): OutOr<Opt, NDArray<CommonDType<A | B>>> {
    return this.#memory.guard(() => outOr(options.out, applyMatmul(this.#memory, a as ProductArg, b as ProductArg, options)));
  }
  /** NumPy's dot: the last axis of `a` with the second-to-last of `b` (its only one when 1-D). */
  dot<A extends OpArg, B extends OpArg>(a: A, b: B): NDArray<CommonDType<A | B>> {
    return this.#memory.guard(() => ownerArray(applyDot(this.#memory, a as ProductArg, b as ProductArg)));
  }
  /** The dot product of both operands flattened (a 0-d array). */
  vdot<A extends OpArg, B extends OpArg>(a: A, b: B): NDArray<CommonDType<A | B>> {
    return this.#memory.guard(() => ownerArray(applyVdot(this.#memory, a as ProductArg, b as ProductArg)));
  }
  /** Sums over the last axes of `a` and `b`. */
  inner<A extends OpArg, B extends OpArg>(a: A, b: B): NDArray<CommonDType<A | B>> {
    return this.#memory.guard(() => ownerArray(applyInner(this.#memory, a as ProductArg, b as ProductArg)));
  }
  /** Every product of an element of `a` with one of `b` (both flattened): shape (a.size, b.size). */
  outer<A extends OpArg, B extends OpArg>(a: A, b: B): NDArray<CommonDType<A | B>> {
    return this.#memory.guard(() => ownerArray(applyOuter(this.#memory, a as ProductArg, b as ProductArg)));
  }
  /** Sums over the last `axes` axes of `a` and the first of `b`, or over the axes listed for each. */
  tensordot<A extends OpArg, B extends OpArg>(a: A, b: B, axes: TensordotAxes = 2): NDArray<CommonDType<A | B>> {
    return this.#memory.guard(() => ownerArray(applyTensordot(this.#memory, a as ProductArg, b as ProductArg, axes)));
  }

  #ufunc<R>(name: UfuncName, args: readonly OpArg[], options?: OpOptions): R {
    return ufuncArray(this.#memory, name, args, options);
  }

  /**
   * Your own elementwise kernel: one WGSL expression over named inputs (`{ a, b }`, or a list named
   * x0, x1, x2), computed over any views with broadcasting, into a new array or `out`:
   * `np.elementwise('a * 2.0 + b', { a: x.T, b: y }, { dtype: 'float32' })`. Array inputs arrive as their
   * dtype's 32-bit class (f32, i32, u32, bool); give `cpu` to run the same thing on the CPU backend.
   */
  elementwise<Opt extends KnownOptions<Opt, ElementwiseOptions> = NoOptions>(
    expression: string,
    inputs: readonly OpArg[] | Readonly<Record<string, OpArg>>,
    // `& ElementwiseOptions` types a `cpu` function written in the call (its inputs as Scalars).
    options: Opt & ElementwiseOptions = {} as Opt,
  ): OutOr<Opt, NDArray<OptionDType<Opt, DType>>> {
    return this.#memory.guard(() => outOr(options.out, runCustomElementwise(this.#memory, expression, inputs, options)));
  }

  /**
   * Wraps an application's GPUBuffer (usage STORAGE | COPY_SRC | COPY_DST) as an array without copying:
   * `shape`, `dtype`, and optionally `strides` and `offset` in bytes (default: C-contiguous from 0).
   * ndgpu never destroys the buffer; disposing the array only lets go of it.
   */
  fromGPUBuffer<T extends DType>(
    buffer: GPUBuffer,
    options: { shape: readonly number[]; dtype: T; strides?: readonly number[]; offset?: number },
  ): NDArray<T> {
    this.#memory.checkAlive();
    if (!this.#backend.wrap) throw new TypeError('fromGPUBuffer() needs the WebGPU backend');
    const dtype = checkDType(options.dtype) ?? 'float32';
    const itemsize = dtypeInfo(dtype).itemsize;
    const shape = checkNewShape(shapeList(options.shape));
    const { strides, offset = 0 } = options;
    if (strides !== undefined && (!Array.isArray(strides) || !strides.every(Number.isSafeInteger))) {
      throw new TypeError('fromGPUBuffer(): strides must be a list of integers (bytes)');
    }
    if (!Number.isSafeInteger(offset) || offset < 0) throw new TypeError('fromGPUBuffer(): offset must be a non-negative integer (bytes)');
    const layout = makeLayout(shape, strides ?? freshLayout(shape, itemsize).strides, offset);
    if (layout.strides.length !== shape.length) throw new ValueError('strides must have one entry per axis');
    const [low, high] = byteBounds(layout, itemsize);
    if (sizeOf(shape) > 0 && (low < 0 || high > buffer.size)) {
      throw new ValueError(`the view reaches bytes [${low}, ${high}) of a buffer of ${buffer.size} bytes`);
    }
    const misaligned = layout.offset % itemsize !== 0 || layout.strides.some((s, k) => shape[k] > 1 && s % itemsize !== 0);
    if (misaligned) throw new ValueError(`offset and strides must be multiples of the item size (${itemsize})`);
    const storage = this.#memory.allocate(buffer.size, this.#backend.wrap(buffer));
    return ownerArray<T>({ memory: this.#memory, storage, layout, dtype });
  }

  /** Submits queued work without waiting, so that work the application submits next sees it. */
  flush(): void {
    this.#memory.checkAlive();
    this.#backend.flush();
  }

  // ------------------------------------------------------------------------------------------
  // Memory relations

  /** Whether the two arrays have an element byte in common (exact, like `np.shares_memory`). */
  sharesMemory(a: NDArray, b: NDArray): boolean {
    a.checkUsable();
    b.checkUsable();
    if (a.storage !== b.storage) return false;
    const answer = exactOverlap({ layout: a.layout, itemsize: a.itemsize }, { layout: b.layout, itemsize: b.itemsize }, 1e7);
    // Past the work bound, answer as the bounds do (conservative).
    return answer ?? true;
  }

  /** Whether the arrays' memory bounds intersect (like `np.may_share_memory`). */
  maySharesMemory(a: NDArray, b: NDArray): boolean {
    a.checkUsable();
    b.checkUsable();
    if (a.storage !== b.storage) return false;
    return boundsOverlap({ layout: a.layout, itemsize: a.itemsize }, { layout: b.layout, itemsize: b.itemsize });
  }

  /** `{ buffers, bytes, pooledBytes }`: memory held by live arrays, and memory kept for reuse. */
  memory(): MemoryInfo {
    return this.#backend.memory();
  }

  /** Every live array (owners and views) with its size and the size of the memory it keeps alive;
   * with `init({ trackArrays: true })` also where it was made. */
  liveArrays(): LiveArrayInfo[] {
    return this.#memory.liveArrays();
  }

  /**
   * Runs `body` and then disposes every array made while it ran, except the ones it returns (directly,
   * or inside a returned array or object). JavaScript has no reference counting to drop temporaries such
   * as the view in `a.get(':100').copy()`; `tidy` does it for a block. Reads started inside (their
   * Promises) complete normally. Arrays made after an `await` inside `body` are not covered: `np.scope()`
   * covers those.
   */
  tidy<T>(body: () => T): T {
    this.#memory.checkAlive();
    return this.#memory.tidy(body, (value): value is NDArray => value instanceof NDArray);
  }

  /** Frees the memory kept for reuse (`pooledBytes`); arrays keep theirs. */
  trim(): void {
    this.#memory.checkAlive();
    this.#backend.trimPool();
  }

  /** Submits all queued work and resolves when the device has finished it. */
  sync(): Promise<void> {
    this.#memory.checkAlive();
    return this.#memory.settle(this.#backend.sync());
  }

  /** Releases every array of this context, and the device if `init` created it. */
  dispose(): void {
    this.#memory.dispose();
  }

  /** `dispose()`, for `using` declarations. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  // ------------------------------------------------------------------------------------------

  #owner<T extends DType>(shape: readonly number[], dtype: DType): NDArray<T> {
    return ownerArray<T>(freshOperand(this.#memory, shape, dtype));
  }
}

function checkDType(dtype: unknown): DType | undefined {
  if (dtype === undefined) return undefined;
  if (!isDType(dtype)) throw new TypeError(`data type '${String(dtype)}' not understood`);
  return dtype;
}

function toShape(shape: ShapeArg, options: { allowNegative?: boolean } = {}): number[] {
  const list = [...shapeList(shape)];
  if (options.allowNegative) {
    checkRank(list.length);
    for (const n of list) if (!Number.isInteger(n)) throw notAnInteger(n);
    return list;
  }
  return checkNewShape(list);
}

// ----- joining, splitting, rearranging -----

export type { Casting, PadMode, PadOptions, PadValues, PadWidth };

/** What `concatenate` accepts besides the arrays (NumPy's keywords; `T` and `O` as types, see NDArray). */
export interface ConcatenateOptions<T extends DType = DType, O extends NDArray = NDArray> {
  /** The axis to join along (default 0); null flattens every input first. */
  axis?: number | null;
  /** Where to write: any writable view of the result's shape; it may overlap the inputs. The call returns it. */
  out?: O;
  /** The result's dtype (not together with `out`); default: the inputs' result type. */
  dtype?: T;
  /** Which casts of the inputs are allowed (default 'same_kind'). */
  casting?: Casting;
}

/** What `stack` accepts besides the arrays. */
export interface StackOptions<T extends DType = DType, O extends NDArray = NDArray> extends Omit<ConcatenateOptions<T, O>, 'axis'> {
  /** Where the new axis goes in the result (default 0). */
  axis?: number;
}

/** The dtype options of `vstack`, `hstack` and the other joins. */
export type JoinDTypeOptions<T extends DType = DType> = Pick<ConcatenateOptions<T>, 'dtype' | 'casting'>;

/** `slidingWindowView`'s options. */
export interface SlidingWindowOptions {
  /** The axes the windows run along (default: every axis, one window length each). */
  axis?: number | readonly number[] | null;
  /** A writable view (NumPy's `writeable=True`; only where the array itself is writable). */
  writeable?: boolean;
}

/** The array argument of a view routine, checked. */
function viewSource<D extends DType>(a: NDArray<D>, what: string): NDArray<D> {
  if (!(a instanceof NDArray)) throw new TypeError(`${what}() takes an NDArray, got ${a === null ? 'null' : typeof a}`);
  a.checkUsable();
  return a;
}
