/**
 * What `init()` returns: the creation functions, memory queries and lifetime of one backend. Every array
 * made here belongs to this context and shares its device.
 */

import type { Backend, BackendKind, MemoryInfo, Tuning } from '../../device/backend.js';
import { arangeBytes, arangeLength, inferNumberDType } from '../core/creation.js';
import { dtypeInfo, isDType, type DType } from '../core/dtype.js';
import { ValueError, shapeReprCompact } from '../core/errors.js';
import { isTypedArray, nestedToHost, typedArrayToHost, type HostTypedArray, type NestedArray } from '../core/host.js';
import { broadcastLayout, byteBounds, freshLayout, makeLayout, sizeOf } from '../core/layout.js';
import { boundsOverlap, exactOverlap } from '../core/overlap.js';
import { isScalar, type Scalar } from '../core/scalars.js';
import { checkNewShape } from '../core/shape-args.js';
import { fillScalar } from './assign.js';
import { runCustomElementwise, type ElementwiseOptions } from './custom.js';
import { ArrayMemory, type LiveArrayInfo, type MemoryOptions } from './memory.js';
import {
  NDArray,
  copyOf,
  ownerArray,
  reductionArray,
  ufuncArray,
  type OpArg,
  type OpOptions,
  type ReduceAxis,
  type ReduceOptions,
} from './ndarray.js';
import { freshOperand } from './operand.js';
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

export interface DTypeOption {
  dtype?: DType;
}
export interface ArrayOptions extends DTypeOption {
  /** The shape of a flat TypedArray (default: its length). */
  shape?: readonly number[];
}

type ShapeArg = number | readonly number[];

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

  /** From nested arrays or a scalar, a TypedArray (with `shape`), or an NDArray (copied). */
  array(data: NestedArray | HostTypedArray | NDArray, options: ArrayOptions = {}): NDArray {
    this.#memory.checkAlive();
    const dtype = checkDType(options.dtype);
    if (data instanceof NDArray) {
      data.checkUsable();
      const copy = copyOf(data, { order: 'C', dtype: dtype ?? data.dtype });
      if (!options.shape) return copy;
      try {
        return copy.reshape([...options.shape]);
      } finally {
        copy.dispose();
      }
    }
    const host = isTypedArray(data)
      ? typedArrayToHost(data, checkNewShape(options.shape ?? [(data as ArrayLike<unknown>).length]), dtype)
      : nestedToHost(data as NestedArray, dtype);
    if (options.shape && !isTypedArray(data) && sizeOf(options.shape) !== sizeOf(host.shape)) {
      throw new ValueError(`cannot reshape array of size ${sizeOf(host.shape)} into shape ${shapeReprCompact(options.shape)}`);
    }
    const shape = options.shape && !isTypedArray(data) ? checkNewShape(options.shape) : host.shape;
    const result = this.#owner(shape, host.dtype);
    if (host.bytes.byteLength > 0) this.#backend.write(result.storage.buffer, 0, host.bytes);
    return result;
  }

  /** `arange(stop)` or `arange(start, stop, step?)`, with an optional `{ dtype }` last. Integers give
   * int32, anything else float32. */
  arange(...args: (number | DTypeOption)[]): NDArray {
    this.#memory.checkAlive();
    let options: DTypeOption = {};
    if (args.length > 0 && typeof args[args.length - 1] === 'object') options = args.pop() as DTypeOption;
    const numbers = args as number[];
    if (numbers.length < 1 || numbers.length > 3 || numbers.some((n) => typeof n !== 'number')) {
      throw new TypeError('arange() takes (stop), (start, stop) or (start, stop, step), with an optional { dtype }');
    }
    const [start, stop, step] = numbers.length === 1 ? [0, numbers[0], 1] : [numbers[0], numbers[1], numbers[2] ?? 1];
    const dtype = checkDType(options.dtype) ?? inferNumberDType(start, stop, step);
    const length = arangeLength(start, stop, step);
    const result = this.#owner([length], dtype);
    if (length > 0) this.#backend.write(result.storage.buffer, 0, arangeBytes(start, step, length, dtype));
    return result;
  }

  /** Uninitialised memory (whatever the pool held; ndgpu does not clear it). */
  empty(shape: ShapeArg, options: DTypeOption = {}): NDArray {
    this.#memory.checkAlive();
    return this.#owner(toShape(shape), checkDType(options.dtype) ?? 'float32');
  }

  zeros(shape: ShapeArg, options: DTypeOption = {}): NDArray {
    return this.full(shape, 0, { dtype: options.dtype ?? 'float32' });
  }

  ones(shape: ShapeArg, options: DTypeOption = {}): NDArray {
    return this.full(shape, 1, { dtype: options.dtype ?? 'float32' });
  }

  /** An array filled with `value`; the dtype defaults to what `value` infers (int32, float32 or bool). */
  full(shape: ShapeArg, value: Scalar, options: DTypeOption = {}): NDArray {
    this.#memory.checkAlive();
    if (!isScalar(value)) throw new TypeError('full() takes a number, boolean or bigint fill value');
    const result = this.#owner(toShape(shape), checkDType(options.dtype) ?? inferNumberDType(value));
    try {
      fillScalar(result, value);
    } catch (error) {
      result.dispose();
      throw error;
    }
    return result;
  }

  /** A read-only view of `array` with the given shape (zero strides on broadcast axes). */
  broadcastTo(array: NDArray, shape: ShapeArg): NDArray {
    array.checkUsable();
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
    return array.viewWithLayout(layout, false);
  }

  // ------------------------------------------------------------------------------------------
  // Elementwise operations over any views, with NumPy's broadcasting and NumPy 2 type promotion.
  // `out` may be any writable view, overlapping the inputs included.

  add(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('add', [a, b], options);
  }
  subtract(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('subtract', [a, b], options);
  }
  multiply(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('multiply', [a, b], options);
  }
  /** True division: integers give float32 (NumPy: float64; see README). */
  divide(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('divide', [a, b], options);
  }
  floorDivide(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('floorDivide', [a, b], options);
  }
  mod(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('mod', [a, b], options);
  }
  power(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('power', [a, b], options);
  }
  maximum(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('maximum', [a, b], options);
  }
  minimum(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('minimum', [a, b], options);
  }
  equal(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('equal', [a, b], options);
  }
  notEqual(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('notEqual', [a, b], options);
  }
  less(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('less', [a, b], options);
  }
  lessEqual(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('lessEqual', [a, b], options);
  }
  greater(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('greater', [a, b], options);
  }
  greaterEqual(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('greaterEqual', [a, b], options);
  }
  logicalAnd(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('logicalAnd', [a, b], options);
  }
  logicalOr(a: OpArg, b: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('logicalOr', [a, b], options);
  }
  logicalNot(a: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('logicalNot', [a], options);
  }
  negative(a: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('negative', [a], options);
  }
  abs(a: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('abs', [a], options);
  }
  sqrt(a: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('sqrt', [a], options);
  }
  exp(a: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('exp', [a], options);
  }
  log(a: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('log', [a], options);
  }
  sin(a: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('sin', [a], options);
  }
  cos(a: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('cos', [a], options);
  }
  tanh(a: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('tanh', [a], options);
  }
  /** `x` where `condition` is true, else `y` (all three broadcast together). */
  where(condition: OpArg, x: OpArg, y: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('where', [condition, x, y], options);
  }
  clip(a: OpArg, min: OpArg, max: OpArg, options?: OpOptions): NDArray {
    return this.#ufunc('clip', [a, min, max], options);
  }

  // Reductions along any axes (all when omitted), with NumPy's result dtypes narrowed to 32 bits.
  sum(a: NDArray, axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return reductionArray(this.#memory, 'sum', a, axis, options);
  }
  prod(a: NDArray, axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return reductionArray(this.#memory, 'prod', a, axis, options);
  }
  mean(a: NDArray, axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return reductionArray(this.#memory, 'mean', a, axis, options);
  }
  min(a: NDArray, axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return reductionArray(this.#memory, 'min', a, axis, options);
  }
  max(a: NDArray, axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return reductionArray(this.#memory, 'max', a, axis, options);
  }
  /** Positions of the minima (flat C-order positions when `axis` is omitted); NaN counts as smallest. */
  argmin(a: NDArray, axis?: number | null, options?: ReduceOptions): NDArray {
    return reductionArray(this.#memory, 'argmin', a, axis, options);
  }
  argmax(a: NDArray, axis?: number | null, options?: ReduceOptions): NDArray {
    return reductionArray(this.#memory, 'argmax', a, axis, options);
  }
  any(a: NDArray, axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return reductionArray(this.#memory, 'any', a, axis, options);
  }
  all(a: NDArray, axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return reductionArray(this.#memory, 'all', a, axis, options);
  }

  // ----- products -----
  // Matrix and tensor products over any views (transposed, strided, broadcast), read where they lie.

  /** NumPy's matmul (`a @ b`): batched over leading axes (broadcast), 1-D operands promoted and their
   * axis removed; `out` may be any writable view, overlapping the operands included. */
  matmul(a: OpArg, b: OpArg, options: OpOptions = {}): NDArray {
    const result = applyMatmul(this.#memory, a as ProductArg, b as ProductArg, options);
    return options.out ?? ownerArray(result);
  }
  /** NumPy's dot: the last axis of `a` with the second-to-last of `b` (its only one when 1-D). */
  dot(a: OpArg, b: OpArg): NDArray {
    return ownerArray(applyDot(this.#memory, a as ProductArg, b as ProductArg));
  }
  /** The dot product of both operands flattened (a 0-d array). */
  vdot(a: OpArg, b: OpArg): NDArray {
    return ownerArray(applyVdot(this.#memory, a as ProductArg, b as ProductArg));
  }
  /** Sums over the last axes of `a` and `b`. */
  inner(a: OpArg, b: OpArg): NDArray {
    return ownerArray(applyInner(this.#memory, a as ProductArg, b as ProductArg));
  }
  /** Every product of an element of `a` with one of `b` (both flattened): shape (a.size, b.size). */
  outer(a: OpArg, b: OpArg): NDArray {
    return ownerArray(applyOuter(this.#memory, a as ProductArg, b as ProductArg));
  }
  /** Sums over the last `axes` axes of `a` and the first of `b`, or over the axes listed for each. */
  tensordot(a: OpArg, b: OpArg, axes: TensordotAxes = 2): NDArray {
    return ownerArray(applyTensordot(this.#memory, a as ProductArg, b as ProductArg, axes));
  }

  #ufunc(name: UfuncName, args: readonly OpArg[], options?: OpOptions): NDArray {
    return ufuncArray(this.#memory, name, args, options);
  }

  /**
   * Your own elementwise kernel: one WGSL expression over named inputs (`{ a, b }`, or a list named
   * x0, x1, x2), computed over any views with broadcasting, into a new array or `out`:
   * `np.elementwise('a * 2.0 + b', { a: x.T, b: y }, { dtype: 'float32' })`. Array inputs arrive as their
   * dtype's 32-bit class (f32, i32, u32, bool); give `cpu` to run the same thing on the CPU backend.
   */
  elementwise(expression: string, inputs: readonly OpArg[] | Readonly<Record<string, OpArg>>, options: ElementwiseOptions = {}): NDArray {
    const result = runCustomElementwise(this.#memory, expression, inputs, options);
    return (options.out as NDArray | undefined) ?? ownerArray(result);
  }

  /**
   * Wraps an application's GPUBuffer (usage STORAGE | COPY_SRC | COPY_DST) as an array without copying:
   * `shape`, `dtype`, and optionally `strides` and `offset` in bytes (default: C-contiguous from 0).
   * ndgpu never destroys the buffer; disposing the array only lets go of it.
   */
  fromGPUBuffer(
    buffer: GPUBuffer,
    options: { shape: readonly number[]; dtype: DType; strides?: readonly number[]; offset?: number },
  ): NDArray {
    this.#memory.checkAlive();
    if (!this.#backend.wrap) throw new TypeError('fromGPUBuffer() needs the WebGPU backend');
    const dtype = checkDType(options.dtype) ?? 'float32';
    const itemsize = dtypeInfo(dtype).itemsize;
    const shape = checkNewShape(options.shape);
    const layout = makeLayout(shape, options.strides ?? freshLayout(shape, itemsize).strides, options.offset ?? 0);
    if (layout.strides.length !== shape.length) throw new ValueError('strides must have one entry per axis');
    const [low, high] = byteBounds(layout, itemsize);
    if (sizeOf(shape) > 0 && (low < 0 || high > buffer.size)) {
      throw new ValueError(`the view reaches bytes [${low}, ${high}) of a buffer of ${buffer.size} bytes`);
    }
    const misaligned = layout.offset % itemsize !== 0 || layout.strides.some((s, k) => shape[k] > 1 && s % itemsize !== 0);
    if (misaligned) throw new ValueError(`offset and strides must be multiples of the item size (${itemsize})`);
    const storage = this.#memory.allocate(buffer.size, this.#backend.wrap(buffer));
    return ownerArray({ memory: this.#memory, storage, layout, dtype });
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
   * Promises) complete normally. Arrays made after an `await` inside `body` are not covered.
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
    return this.#backend.sync();
  }

  /** Releases every array of this context, and the device if `init` created it. */
  dispose(): void {
    this.#memory.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  // ------------------------------------------------------------------------------------------

  #owner(shape: readonly number[], dtype: DType): NDArray {
    return ownerArray(freshOperand(this.#memory, shape, dtype));
  }
}

function checkDType(dtype: unknown): DType | undefined {
  if (dtype === undefined) return undefined;
  if (!isDType(dtype)) throw new TypeError(`data type '${String(dtype)}' not understood`);
  return dtype;
}

function toShape(shape: ShapeArg, options: { allowNegative?: boolean } = {}): number[] {
  const list = typeof shape === 'number' ? [shape] : [...shape];
  if (options.allowNegative) {
    for (const n of list) if (!Number.isInteger(n)) throw new TypeError(`'${typeof n}' object cannot be interpreted as an integer`);
    return list;
  }
  return checkNewShape(list);
}
