/**
 * NDArray = shared storage + a layout + a dtype + NumPy's `base` and flags. View methods only compute a new
 * layout (synchronous metadata); copies and writes are queued on the backend; reads return Promises.
 */

import { dtypeInfo, isDType, type DType } from '../core/dtype.js';
import { IndexError, ValueError, axisList, normalizeAxis, notAnInteger, shapeRepr } from '../core/errors.js';
import type {
  CommonDType,
  ElementOf,
  NestedOf,
  KnownOptions,
  NoOptions,
  OptionDType,
  OptionOr,
  Promoted,
  ResultDType,
  TypedArrayOf,
} from '../core/dtype-types.js';
import { formatArray } from '../core/format.js';
import { bytesToScalars, bytesToTypedArray, toNested, type NestedArray } from '../core/host.js';
import {
  applyIndex,
  isBasicIndex,
  plainIndexView,
  toIndexItems,
  type AnyIndex,
  type Index,
  type NestedIndexList,
} from '../core/indexing.js';
import {
  dropAxes,
  flipAxis,
  isCContiguous,
  isFContiguous,
  makeLayout,
  permute,
  reshapeNoCopy,
  sizeOf,
  type Layout,
  type MemoryOrder,
} from '../core/layout.js';
import { copyMemoryOrder, iterationOrderLayout, keepOrderCopyStrides, memoryOrderLayout } from '../core/memory-order.js';
import { reinterpretLayout } from '../core/reinterpret.js';
import { readItem, type Scalar } from '../core/scalars.js';
import { checkArraySize } from '../core/limits.js';
import { checkOrder, inferShape, reshapeMemoryOrder, resolveShapeArgs, type CopyOrder, type ReshapeOrder } from '../core/shape-args.js';
import type { ReductionName } from '../ops/reductions.js';
import { assignValue, copyOperand, readContiguousBytes, type CopyTarget } from './assign.js';
import type { ArrayMemory } from './memory.js';
import { ARRAY_TAG, isArrayOperand, withLayout, type Operand } from './operand.js';
import { advancedGet, advancedSet } from './advanced.js';
import { argwhere, compress, flatnonzero, nonzero, put, take } from './selection.js';
import { applyScan, type ScanOptions } from './scan.js';
import { applyReduction } from './reduce.js';
import { applyDot, applyMatmul, type ProductArg } from './product.js';
import { Holder, type Storage } from './storage.js';
import { applyUfunc, type UfuncName } from './ufunc.js';
import { diagonalView } from './rearrange.js';
import { repeatOperand } from './tiling.js';
import { ptpOperand, roundOperand, varianceOperand, type KeepdimsOptions, type VarianceOptions } from './numerics.js';

export type { CopyOrder, ReshapeOrder };

/** Indices for `take` and `put`: one integer, nested JS arrays of integers, or an integer NDArray. */
export type IndexArg = number | boolean | NestedIndexList | NDArray;

/** What `set` accepts: a scalar, nested arrays of scalars, or an NDArray (broadcast to the target). */
export type AssignableValue = Scalar | NestedArray | NDArray;

/** An operand of an elementwise operation: an array, a JS scalar (weakly typed, as NumPy 2 treats
 * Python scalars) or nested arrays of scalars. */
export type OpArg = NDArray | Scalar | NestedArray;

/** The axes a reduction combines: one, several, or all (null/omitted). */
export type ReduceAxis = number | readonly number[] | null;

/** Options of a reduction. */
export interface ReduceOptions<O extends NDArray = NDArray> {
  /** Keep reduced axes as length-1 axes, so the result broadcasts against the input. */
  keepdims?: boolean;
  /** Where to write the result: a writable array of the result's shape (any dtype: the result is cast
   * into it, as NumPy's reductions do; argmin/argmax need an integer dtype). The call returns it. */
  out?: O;
}

export type { VarianceOptions };

/** What a call with an `{ out }` option of type `Opt` returns: `out` where `Opt` says it is certainly there,
 * else also `Result`, the new array it returns without one (see `OptionOr`). */
export type OutOr<Opt, Result> = OptionOr<Opt, 'out', Result, NDArray>;

/** Options of an elementwise operation. */
export interface OpOptions<O extends NDArray = NDArray> {
  /** Where to write the result: any writable view of the broadcast shape; it may overlap the inputs
   * (the result is as if the inputs were copied first). Its dtype must be a 'same_kind' cast away. The
   * call returns it (so the result's type is its type). */
  out?: O;
}

/** What NDArray's constructor takes; only ndgpu itself makes arrays (through a context). */
export interface ArrayParts<D extends DType = DType> {
  readonly memory: ArrayMemory;
  readonly storage: Storage;
  readonly layout: Layout;
  readonly dtype: D;
  /** The owner of the memory, or null when this array is the owner. */
  readonly owner: NDArray | null;
  readonly writeable: boolean;
}

/** NumPy's `flags`: who owns the memory, whether writes are allowed, and contiguity. */
export interface ArrayFlags {
  /** True for an array that owns its memory (`base === null`), false for a view. */
  readonly owndata: boolean;
  /** Whether the array may be written; settable as NumPy's (a view of a read-only owner stays read-only). */
  writeable: boolean;
  /** Elements in C order with no gaps (NumPy's C_CONTIGUOUS). */
  readonly cContiguous: boolean;
  /** Elements in Fortran order with no gaps (NumPy's F_CONTIGUOUS). */
  readonly fContiguous: boolean;
}

/** An array's hold on its memory: what memory listings and the trap warning say about it. */
class ArrayHold extends Holder {
  constructor(
    readonly storage: Storage,
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly isOwner: boolean,
  ) {
    super();
  }
  get nbytes(): number {
    return sizeOf(this.shape) * dtypeInfo(this.dtype).itemsize;
  }
  label(): string {
    return `${this.dtype} ${shapeRepr(this.shape)} ${this.isOwner ? 'owner' : 'view'}`;
  }
}

/**
 * An n-dimensional array: memory shared with its views, a layout (shape, strides and offset in bytes)
 * and a dtype, with NumPy's `base` and flags. Views are synchronous metadata; copies and writes are
 * queued on the device; reads return Promises. Arrays are made by a context (`np.array`, `np.zeros`...)
 * or by other arrays' methods.
 *
 * `D` is the dtype as a type: `NDArray<'float32'>` reads as a `Float32Array` and `item()` gives a number;
 * views keep it, and operations give the result dtype ndgpu's rules give (`DType`, any dtype, where the
 * types alone do not settle it). `NDArray` alone is an array of any dtype.
 */
export class NDArray<D extends DType = DType> {
  /** The element type. */
  readonly dtype: D;
  #memory: ArrayMemory;
  #storage: Storage;
  #layout: Layout;
  #owner: NDArray | null;
  #writeable: boolean;
  #disposed = false;
  /** This array's hold on the storage (it must not refer to the array, which must stay collectable). */
  #hold: ArrayHold;

  /** @internal Arrays are made by a context (`np.array`, `np.zeros`...) or by another array's methods. */
  constructor(parts: ArrayParts<D>) {
    this.#memory = parts.memory;
    this.#storage = parts.storage;
    this.#layout = parts.layout;
    this.dtype = parts.dtype;
    this.#owner = parts.owner;
    this.#writeable = parts.writeable;
    this.#hold = new ArrayHold(parts.storage, parts.dtype, parts.layout.shape, parts.owner === null);
    parts.memory.adopt(this, this.#hold);
  }

  // ------------------------------------------------------------------------------------------
  // Attributes

  /** Length of each axis. */
  get shape(): readonly number[] {
    return this.#layout.shape;
  }
  /** Bytes between neighbours along each axis, as NumPy's `strides`. */
  get strides(): readonly number[] {
    return this.#layout.strides;
  }
  /** Bytes from the start of the memory to the first element (NumPy's data pointer minus the owner's). */
  get offset(): number {
    return this.#layout.offset;
  }
  /** Number of axes. */
  get ndim(): number {
    return this.#layout.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return sizeOf(this.#layout.shape);
  }
  /** Bytes per element. */
  get itemsize(): number {
    return dtypeInfo(this.dtype).itemsize;
  }
  /** Bytes of the elements (`size × itemsize`), not of the memory a view keeps alive. */
  get nbytes(): number {
    return this.size * this.itemsize;
  }
  /** The array that owns the memory (NumPy's collapsed `base`), or null for an owner. */
  get base(): NDArray | null {
    return this.#owner;
  }
  /** NumPy's flags, computed when asked; `flags.writeable` may be set. */
  get flags(): ArrayFlags {
    const layout = this.#layout;
    const itemsize = this.itemsize;
    const readWriteable = () => this.#writeable;
    const writeWriteable = (value: boolean) => this.#setWriteable(value);
    return {
      owndata: this.#owner === null,
      get writeable() {
        return readWriteable();
      },
      set writeable(value: boolean) {
        writeWriteable(value);
      },
      cContiguous: isCContiguous(layout, itemsize),
      fContiguous: isFContiguous(layout, itemsize),
    };
  }
  /** The layout (shape, strides, offset in bytes) as one frozen value. */
  get layout(): Layout {
    return this.#layout;
  }
  /** Whether `dispose()` was called on this array. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * The GPUBuffer holding this array's elements (shared with its base and views), for use in the
   * application's own pipelines: element (i, j, ...) is at byte `offset + i·strides[0] + ...`. Null on the
   * CPU backend. Call `np.flush()` (or await `np.sync()`) before submitting work that reads it, so
   * ndgpu's queued writes come first; the buffer stays ndgpu's (do not destroy it).
   */
  get gpuBuffer(): GPUBuffer | null {
    this.checkUsable();
    return this.#storage.byteLength === 0 ? null : this.#memory.backend.nativeBuffer(this.#storage.buffer);
  }

  /** @internal The shared storage; for ndgpu's own modules. */
  get storage(): Storage {
    return this.#storage;
  }
  /** @internal The memory of the context this array belongs to; for ndgpu's own modules. */
  get memory(): ArrayMemory {
    return this.#memory;
  }

  /** @internal Marks arrays for ndgpu's routines (see operand.ts). */
  get [ARRAY_TAG](): true {
    return true;
  }

  /** Throws unless the array and its context can still be used. */
  checkUsable(): void {
    if (this.#disposed) {
      throw new ValueError(
        `this array was disposed (its dispose() was called) and cannot be used; keep it alive, or take a copy() before disposing it`,
      );
    }
    this.#memory.checkAlive();
  }

  // ------------------------------------------------------------------------------------------
  // Views

  /** A view sharing this array's memory with another layout (and optionally another dtype). */
  #derive<T extends DType = D>(layout: Layout, options: { dtype?: T; writeable?: boolean } = {}): NDArray<T> {
    checkArraySize(layout.shape, dtypeInfo(options.dtype ?? this.dtype).itemsize);
    return new NDArray<T>({
      memory: this.#memory,
      storage: this.#storage,
      layout,
      dtype: options.dtype ?? (this.dtype as DType as T), // without a dtype, T is D
      owner: this.#owner ?? this,
      writeable: options.writeable ?? this.#writeable,
    });
  }

  /**
   * `a[index]`. Basic indexing (integers, slices, newaxis, ellipsis) makes a view (a 0-d view where NumPy
   * would return a scalar); advanced indexing (integer or boolean index arrays: nested JS arrays,
   * bracketed lists in the string, NDArrays) makes a copy (`base === null`). An index of host data gives
   * the array at once; so do integer NDArrays. A boolean NDArray's selection has a shape known only on
   * the device: the call then returns a Promise of the array (`await` works for both).
   */
  get(index: Index): NDArray<D>;
  get(index: AnyIndex): NDArray<D> | Promise<NDArray<D>>;
  get(index: AnyIndex): NDArray<D> | Promise<NDArray<D>> {
    this.checkUsable();
    const plain = typeof index === 'string' ? plainIndexView(this.#layout, index) : null;
    if (plain) return this.#derive(plain.layout);
    const items = toIndexItems(index, isArrayOperand);
    if (isBasicIndex(items)) return this.#derive(applyIndex(this.#layout, items).layout);
    const result = this.#memory.guard(() => advancedGet(this.#memory, this, items));
    return result instanceof Promise ? result.then((r) => ownerArray<D>(r)) : ownerArray<D>(result);
  }

  /**
   * `a[index] = value`, broadcast like NumPy, correct when `value` overlaps this array. Returns `this`.
   * Through advanced indices it writes in place; where an index repeats, the last occurrence's value is
   * written. Indices on the device are checked there: an out-of-range one writes nothing and surfaces as
   * an IndexError at the next read or sync.
   */
  set(index: AnyIndex, value: AssignableValue): this {
    this.checkUsable();
    // A plain index string goes straight to its view; anything else (or a failing index) is parsed.
    let view = typeof index === 'string' ? plainIndexView(this.#layout, index) : null;
    if (!view) {
      const items = toIndexItems(index, isArrayOperand);
      if (!isBasicIndex(items)) {
        if (!this.#writeable) throw new ValueError('assignment destination is read-only');
        this.#memory.guard(() => advancedSet(this.#memory, this, items, value));
        return this;
      }
      view = applyIndex(this.#layout, items);
    }
    const { layout, isElement } = view;
    if (!this.#writeable) throw new ValueError('assignment destination is read-only');
    // The target is a transient operand, not an array: a set must not cost an array's bookkeeping.
    assignValue(withLayout(this, layout), value, { elementPath: isElement });
    return this;
  }

  /** `a[...] = value`. */
  fill(value: Scalar): this {
    return this.set('...', value);
  }

  /** A new array object over the same memory; with `dtype`, reinterpreted by NumPy's rules. */
  view<T extends DType = D>(dtype?: T): NDArray<T> {
    this.checkUsable();
    if (dtype === undefined || dtype === (this.dtype as DType)) return this.#derive<T>(this.#layout);
    if (!isDType(dtype)) throw new TypeError(`data type '${String(dtype)}' not understood`);
    return this.#derive(reinterpretLayout(this.#layout, this.itemsize, dtypeInfo(dtype).itemsize), { dtype });
  }

  /**
   * A view with a new shape when NumPy's no-copy rule allows it, else a copy (which owns its memory).
   * `reshape(2, 6)`, `reshape([2, 6])`, `reshape([2, -1], { order: 'F' })`.
   */
  reshape(...args: (number | readonly number[] | { order?: ReshapeOrder })[]): NDArray<D> {
    this.checkUsable();
    const { shape: requested, options } = resolveShapeArgs(args, 'reshape');
    const order = reshapeMemoryOrder(options.order ?? 'C', this.#layout, this.itemsize);
    const shape = inferShape(requested, this.size);
    const viewLayout = reshapeNoCopy(
      this.#layout,
      shape,
      order,
      this.itemsize,
      requested.every((n) => n >= 0),
    );
    if (viewLayout) return this.#derive(viewLayout);
    return copyOf(this, { order, shape });
  }

  /** Permutes the axes: `transpose()` reverses them; `transpose(1, 0, 2)` or `transpose([1, 0, 2])`. */
  transpose(...axes: (number | readonly number[])[]): NDArray<D> {
    this.checkUsable();
    const flat = axes.length === 1 && Array.isArray(axes[0]) ? (axes[0] as readonly number[]) : (axes as number[]);
    const ndim = this.ndim;
    let order: number[];
    if (flat.length === 0) order = [...Array(ndim).keys()].reverse();
    else {
      if (flat.length !== ndim) throw new ValueError("axes don't match array");
      order = flat.map((a) => normalizeAxis(a, ndim));
      if (new Set(order).size !== order.length) throw new ValueError('repeated axis in transpose');
    }
    return this.#derive(permute(this.#layout, order));
  }

  /** The transpose, as `transpose()`: a view with the axes reversed. */
  get T(): NDArray<D> {
    return this.transpose();
  }

  /** A view with axes `axis1` and `axis2` interchanged. */
  swapaxes(axis1: number, axis2: number): NDArray<D> {
    this.checkUsable();
    const a = normalizeAxis(axis1, this.ndim, 'axis1');
    const b = normalizeAxis(axis2, this.ndim, 'axis2');
    const order = [...Array(this.ndim).keys()];
    [order[a], order[b]] = [order[b], order[a]];
    return this.#derive(permute(this.#layout, order));
  }

  /** Removes length-1 axes (all of them, or the given ones). Always a new view (see README). */
  squeeze(axis?: number | readonly number[]): NDArray<D> {
    this.checkUsable();
    const shape = this.#layout.shape;
    let axes: number[];
    if (axis === undefined || axis === null) axes = shape.flatMap((n, k) => (n === 1 ? [k] : []));
    else {
      axes = axisList(axis).map((a) => normalizeAxis(a, this.ndim));
      if (new Set(axes).size !== axes.length) throw new ValueError("duplicate value in 'axis'");
      if (axes.some((k) => shape[k] !== 1)) {
        throw new ValueError('cannot select an axis to squeeze out which has size not equal to one');
      }
    }
    return this.#derive(dropAxes(this.#layout, new Set(axes)));
  }

  /** Inserts length-1 axes at `axis` (as NumPy, through reshape, so the new strides follow its rule). */
  expandDims(axis: number | readonly number[]): NDArray<D> {
    this.checkUsable();
    const list = axisList(axis);
    const outNdim = this.ndim + list.length;
    const positions = list.map((a) => normalizeAxis(a, outNdim));
    if (new Set(positions).size !== positions.length) throw new ValueError('repeated axis');
    const shape: number[] = [];
    let source = 0;
    for (let k = 0; k < outNdim; k++) shape.push(positions.includes(k) ? 1 : this.#layout.shape[source++]);
    const layout = reshapeNoCopy(this.#layout, shape, 'C', this.itemsize);
    if (!layout) throw new ValueError('internal error: expand_dims could not make a view');
    return this.#derive(layout);
  }

  /** Reverses the order of elements along the given axes (all when omitted): `a[::-1]` per axis. */
  flip(axis?: number | readonly number[]): NDArray<D> {
    this.checkUsable();
    const axes =
      axis === undefined || axis === null ? [...Array(this.ndim).keys()] : axisList(axis).map((a) => normalizeAxis(a, this.ndim));
    if (new Set(axes).size !== axes.length) throw new ValueError('repeated axis');
    let layout = this.#layout;
    for (const k of axes) layout = flipAxis(layout, k);
    return this.#derive(layout);
  }

  /** A 1-D view when the elements are evenly spaced in `order`, else a copy. */
  ravel(order: CopyOrder = 'C'): NDArray<D> {
    this.checkUsable();
    checkOrder(order);
    const layout = this.#layout;
    const itemsize = this.itemsize;
    const c = isCContiguous(layout, itemsize);
    const f = isFContiguous(layout, itemsize);
    // NumPy's ravel is reshape(-1): never the same-shape shortcut, so a 1-D result gets fresh strides.
    const flat = (o: MemoryOrder) => this.reshape([-1], { order: o });
    if (order === 'C') return c ? flat('C') : this.flatten('C');
    if (order === 'F') return f ? flat('F') : this.flatten('F');
    if (order === 'A') return f && !c ? flat('F') : c ? flat('C') : this.flatten('C');
    // 'K': C- or F-contiguous, or evenly spaced in memory order with positive strides.
    if (c) return flat('C');
    if (f) return flat('F');
    const inMemoryOrder = memoryOrderLayout(layout);
    if (inMemoryOrder.offset === layout.offset && isCContiguous(inMemoryOrder, itemsize)) {
      return this.#derive(makeLayout([this.size], [itemsize], layout.offset));
    }
    return this.flatten('K');
  }

  /** Always a 1-D copy, in `order`. */
  flatten(order: CopyOrder = 'C'): NDArray<D> {
    this.checkUsable();
    checkOrder(order);
    if (order === 'K') {
      // Elements in NumPy's nditer order: axes by |stride|, zero strides stay put, never backwards.
      return copyOf(withLayout(this, iterationOrderLayout(this.#layout)), { order: 'C', shape: [this.size] });
    }
    return copyOf(this, { order: copyMemoryOrder(this.#layout, this.itemsize, order), shape: [this.size] });
  }

  /** A deep copy in new memory; `order` 'C' (default), 'F', 'A' or 'K' as NumPy's `ndarray.copy`. */
  copy(order: CopyOrder = 'C'): NDArray<D> {
    this.checkUsable();
    checkOrder(order);
    if (order === 'K') return copyOf(this, { order: keepOrderCopyStrides(this.#layout, this.itemsize) });
    return copyOf(this, { order: copyMemoryOrder(this.#layout, this.itemsize, order) });
  }

  /** A copy converted to `dtype` (NumPy's `astype`, order 'K'): an `NDArray<T>` of that dtype. */
  astype<T extends DType>(dtype: T): NDArray<T> {
    this.checkUsable();
    if (!isDType(dtype)) throw new TypeError(`data type '${String(dtype)}' not understood`);
    return copyOf(this, { order: keepOrderCopyStrides(this.#layout, this.itemsize, dtypeInfo(dtype).itemsize), dtype });
  }

  // ------------------------------------------------------------------------------------------
  // Elementwise operations (NumPy's ufuncs; see Context for the `np.add(a, b)` spellings)

  #op<R>(name: UfuncName, args: readonly OpArg[], options?: OpOptions): R {
    this.checkUsable();
    return ufuncArray(this.#memory, name, args, options);
  }

  #reduce<R>(op: ReductionName, axis: ReduceAxis | undefined, options?: ReduceOptions): R {
    this.checkUsable();
    return reductionArray(this.#memory, op, this, axis, options);
  }

  /** Elementwise `a + b` (NumPy's `add`; bool: logical or). */
  add<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'add', Promoted<[D, B]>>>> {
    return this.#op('add', [this, other], options);
  }
  /** Elementwise `a - b` (NumPy's `subtract`; not for bools). */
  subtract<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'subtract', Promoted<[D, B]>>>> {
    return this.#op('subtract', [this, other], options);
  }
  /** Elementwise `a * b` (NumPy's `multiply`; bool: logical and). */
  multiply<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'multiply', Promoted<[D, B]>>>> {
    return this.#op('multiply', [this, other], options);
  }
  /** Elementwise true division `a / b`: integers give float32 (NumPy: float64; see the README's 32-bit rule). */
  divide<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'divide', Promoted<[D, B]>>>> {
    return this.#op('divide', [this, other], options);
  }
  /** Elementwise `a // b` (NumPy's `floor_divide`); integer division by zero gives 0. */
  floorDivide<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'floorDivide', Promoted<[D, B]>>>> {
    return this.#op('floorDivide', [this, other], options);
  }
  /** Elementwise remainder with the sign of the divisor (NumPy's `remainder`, `%`). */
  mod<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'mod', Promoted<[D, B]>>>> {
    return this.#op('mod', [this, other], options);
  }
  /** Elementwise `a ** b` (NumPy's `power`); integers to negative integer scalar powers raise. */
  power<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'power', Promoted<[D, B]>>>> {
    return this.#op('power', [this, other], options);
  }
  /** Elementwise maximum, propagating NaN (NumPy's `maximum`). */
  maximum<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'maximum', Promoted<[D, B]>>>> {
    return this.#op('maximum', [this, other], options);
  }
  /** Elementwise minimum, propagating NaN (NumPy's `minimum`). */
  minimum<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'minimum', Promoted<[D, B]>>>> {
    return this.#op('minimum', [this, other], options);
  }
  /** Elementwise `a == b`, as a bool array (exact across dtypes, as NumPy's 64-bit loops). */
  equal<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'equal', Promoted<[D, B]>>>> {
    return this.#op('equal', [this, other], options);
  }
  /** Elementwise `a != b`, as a bool array. */
  notEqual<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'notEqual', Promoted<[D, B]>>>> {
    return this.#op('notEqual', [this, other], options);
  }
  /** Elementwise `a < b`, as a bool array. */
  less<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'less', Promoted<[D, B]>>>> {
    return this.#op('less', [this, other], options);
  }
  /** Elementwise `a <= b`, as a bool array. */
  lessEqual<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'lessEqual', Promoted<[D, B]>>>> {
    return this.#op('lessEqual', [this, other], options);
  }
  /** Elementwise `a > b`, as a bool array. */
  greater<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'greater', Promoted<[D, B]>>>> {
    return this.#op('greater', [this, other], options);
  }
  /** Elementwise `a >= b`, as a bool array. */
  greaterEqual<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'greaterEqual', Promoted<[D, B]>>>> {
    return this.#op('greaterEqual', [this, other], options);
  }
  /** Elementwise logical and of the truth values, as a bool array. */
  logicalAnd<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'logicalAnd', Promoted<[D, B]>>>> {
    return this.#op('logicalAnd', [this, other], options);
  }
  /** Elementwise logical or of the truth values, as a bool array. */
  logicalOr<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'logicalOr', Promoted<[D, B]>>>> {
    return this.#op('logicalOr', [this, other], options);
  }
  /** Elementwise `-a` (NumPy's `negative`; not for bools). */
  negative<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'negative', D>>> {
    return this.#op('negative', [this], options);
  }
  /** Elementwise absolute value (NumPy's `absolute`). */
  abs<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'abs', D>>> {
    return this.#op('abs', [this], options);
  }
  /** Elementwise square root, in floating point (integers give float16/float32 as NumPy's rules narrowed to 32 bits). */
  sqrt<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'sqrt', D>>> {
    return this.#op('sqrt', [this], options);
  }
  /** Elementwise `e ** a`, in floating point. */
  exp<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'exp', D>>> {
    return this.#op('exp', [this], options);
  }
  /** Elementwise natural logarithm, in floating point. */
  log<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'log', D>>> {
    return this.#op('log', [this], options);
  }
  /** Elementwise sine, in floating point. */
  sin<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'sin', D>>> {
    return this.#op('sin', [this], options);
  }
  /** Elementwise cosine, in floating point. */
  cos<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'cos', D>>> {
    return this.#op('cos', [this], options);
  }
  /** Elementwise hyperbolic tangent, in floating point. */
  tanh<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'tanh', D>>> {
    return this.#op('tanh', [this], options);
  }
  /** Elementwise logical not of the truth values, as a bool array. */
  logicalNot<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'logicalNot', D>>> {
    return this.#op('logicalNot', [this], options);
  }
  /** `minimum(maximum(a, min), max)`, as NumPy's clip. */
  clip<Min extends OpArg, Max extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    min: Min,
    max: Max,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'clip', Promoted<[D, Min, Max]>>>> {
    return this.#op('clip', [this, min, max], options);
  }

  // Reductions along any axes (all when omitted): `a.sum()`, `a.sum(0)`, `a.max([0, 2], { keepdims: true })`.
  /** Sum along `axis` (all axes when omitted); bools and narrow integers sum in the 32-bit integer of their kind. */
  sum<Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'sum', D>>> {
    return this.#reduce('sum', axis, options);
  }
  /** Product along `axis` (all axes when omitted). */
  prod<Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'prod', D>>> {
    return this.#reduce('prod', axis, options);
  }
  /** Arithmetic mean along `axis` (all axes when omitted), in floating point. */
  mean<Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'mean', D>>> {
    return this.#reduce('mean', axis, options);
  }
  /** Minimum along `axis` (all axes when omitted), propagating NaN; an empty reduction raises. */
  min<Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'min', D>>> {
    return this.#reduce('min', axis, options);
  }
  /** Maximum along `axis` (all axes when omitted), propagating NaN; an empty reduction raises. */
  max<Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'max', D>>> {
    return this.#reduce('max', axis, options);
  }
  /** Position of the first minimum along `axis` (the flat C-order position when omitted); NaN counts as smallest. */
  argmin<Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    axis?: number | null,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'argmin', D>>> {
    return this.#reduce('argmin', axis, options);
  }
  /** Position of the first maximum along `axis` (the flat C-order position when omitted); NaN counts as largest. */
  argmax<Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    axis?: number | null,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'argmax', D>>> {
    return this.#reduce('argmax', axis, options);
  }
  /** Whether any element along `axis` is true (all axes when omitted), as a bool array. */
  any<Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'any', D>>> {
    return this.#reduce('any', axis, options);
  }
  /** Whether every element along `axis` is true (all axes when omitted), as a bool array. */
  all<Opt extends KnownOptions<Opt, ReduceOptions> = NoOptions>(
    axis?: ReduceAxis,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'all', D>>> {
    return this.#reduce('all', axis, options);
  }

  // ----- joining, splitting, rearranging -----

  /**
   * The diagonal of the 2-D subarrays over `axis1` and `axis2` (with `offset` above or below it), as a
   * read-only view (NumPy's): the other axes first, the diagonal last.
   */
  diagonal(offset = 0, axis1 = 0, axis2 = 1): NDArray<D> {
    this.checkUsable();
    return this.#derive(diagonalView(this.#layout, offset, axis1, axis2), { writeable: false });
  }

  /** Each element repeated `repeats` times (or `repeats[i]` times for element i) along `axis`; without an
   * axis, of the flattened array. A copy. */
  repeat(repeats: number | readonly number[], options: { axis?: number | null } = {}): NDArray<D> {
    this.checkUsable();
    return this.#memory.guard(() => ownerArray(repeatOperand(this.#memory, this, repeats, options.axis ?? null)));
  }

  // ------------------------------------------------------------------------------------------
  // ----- numerics (issue #18): more ufuncs, round, var/std/ptp -----
  // Elementwise: `a.floor()`, `a.arctan2(b)`, `a.leftShift(2, { out })`... (see Context for `np.floor(a)`).

  /** Elementwise floor (integers stay integers, as NumPy 2). */
  floor<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'floor', D>>> {
    return this.#op('floor', [this], options);
  }
  /** Elementwise ceiling (integers stay integers, as NumPy 2). */
  ceil<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'ceil', D>>> {
    return this.#op('ceil', [this], options);
  }
  /** Elementwise truncation toward zero (integers stay integers, as NumPy 2). */
  trunc<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'trunc', D>>> {
    return this.#op('trunc', [this], options);
  }
  /** Elementwise rounding to the nearest integer, halves to even. */
  rint<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'rint', D>>> {
    return this.#op('rint', [this], options);
  }
  /** Elementwise sign: -1, 0 or 1 (NaN stays NaN). */
  sign<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'sign', D>>> {
    return this.#op('sign', [this], options);
  }
  /** Elementwise `a * a`. */
  square<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'square', D>>> {
    return this.#op('square', [this], options);
  }
  /** Elementwise `1 / a` (integers: integer division, 0 for 0). */
  reciprocal<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'reciprocal', D>>> {
    return this.#op('reciprocal', [this], options);
  }
  /** Elementwise `2 ** a`, in floating point. */
  exp2<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'exp2', D>>> {
    return this.#op('exp2', [this], options);
  }
  /** Elementwise `exp(a) - 1`, accurate near 0. */
  expm1<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'expm1', D>>> {
    return this.#op('expm1', [this], options);
  }
  /** Elementwise base-2 logarithm, in floating point. */
  log2<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'log2', D>>> {
    return this.#op('log2', [this], options);
  }
  /** Elementwise base-10 logarithm, in floating point. */
  log10<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'log10', D>>> {
    return this.#op('log10', [this], options);
  }
  /** Elementwise `log(1 + a)`, accurate near 0. */
  log1p<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'log1p', D>>> {
    return this.#op('log1p', [this], options);
  }
  /** Elementwise tangent, in floating point. */
  tan<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'tan', D>>> {
    return this.#op('tan', [this], options);
  }
  /** Elementwise inverse sine, in floating point. */
  arcsin<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'arcsin', D>>> {
    return this.#op('arcsin', [this], options);
  }
  /** Elementwise inverse cosine, in floating point. */
  arccos<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'arccos', D>>> {
    return this.#op('arccos', [this], options);
  }
  /** Elementwise inverse tangent, in floating point. */
  arctan<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'arctan', D>>> {
    return this.#op('arctan', [this], options);
  }
  /** Elementwise hyperbolic sine, in floating point. */
  sinh<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'sinh', D>>> {
    return this.#op('sinh', [this], options);
  }
  /** Elementwise hyperbolic cosine, in floating point. */
  cosh<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'cosh', D>>> {
    return this.#op('cosh', [this], options);
  }
  /** Elementwise inverse hyperbolic sine, in floating point. */
  arcsinh<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'arcsinh', D>>> {
    return this.#op('arcsinh', [this], options);
  }
  /** Elementwise inverse hyperbolic cosine, in floating point. */
  arccosh<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'arccosh', D>>> {
    return this.#op('arccosh', [this], options);
  }
  /** Elementwise inverse hyperbolic tangent, in floating point. */
  arctanh<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'arctanh', D>>> {
    return this.#op('arctanh', [this], options);
  }
  /** Elementwise test for NaN, as a bool array. */
  isnan<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'isnan', D>>> {
    return this.#op('isnan', [this], options);
  }
  /** Elementwise test for ±Infinity, as a bool array. */
  isinf<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'isinf', D>>> {
    return this.#op('isinf', [this], options);
  }
  /** Elementwise test for finite values, as a bool array. */
  isfinite<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'isfinite', D>>> {
    return this.#op('isfinite', [this], options);
  }
  /** Elementwise test of the sign bit (true for -0 and negative NaNs), as a bool array. */
  signbit<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'signbit', D>>> {
    return this.#op('signbit', [this], options);
  }
  /** Elementwise bitwise not of integers, logical not of bools (`~`, NumPy's `invert`). */
  invert<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'invert', D>>> {
    return this.#op('invert', [this], options);
  }
  /** `~a` (NumPy's bitwise_not is invert). */
  bitwiseNot<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(options?: Opt): OutOr<Opt, NDArray<ResultDType<'invert', D>>> {
    return this.#op('invert', [this], options);
  }
  /** Elementwise angle of the point (b, a): `arctan(a / b)` in the right quadrant. */
  arctan2<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'arctan2', Promoted<[D, B]>>>> {
    return this.#op('arctan2', [this, other], options);
  }
  /** Elementwise `sqrt(a * a + b * b)`, without overflow in between. */
  hypot<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'hypot', Promoted<[D, B]>>>> {
    return this.#op('hypot', [this, other], options);
  }
  /** Elementwise remainder with the sign of the dividend (C's fmod; integer division by zero gives 0). */
  fmod<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'fmod', Promoted<[D, B]>>>> {
    return this.#op('fmod', [this, other], options);
  }
  /** Elementwise magnitude of `a` with the sign of `b`. */
  copysign<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'copysign', Promoted<[D, B]>>>> {
    return this.#op('copysign', [this, other], options);
  }
  /** Elementwise maximum, ignoring NaN where the other operand is a number. */
  fmax<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'fmax', Promoted<[D, B]>>>> {
    return this.#op('fmax', [this, other], options);
  }
  /** Elementwise minimum, ignoring NaN where the other operand is a number. */
  fmin<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'fmin', Promoted<[D, B]>>>> {
    return this.#op('fmin', [this, other], options);
  }
  /** Elementwise logical exclusive or of the truth values, as a bool array. */
  logicalXor<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'logicalXor', Promoted<[D, B]>>>> {
    return this.#op('logicalXor', [this, other], options);
  }
  /** Elementwise bitwise and of integers or bools (`&`). */
  bitwiseAnd<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'bitwiseAnd', Promoted<[D, B]>>>> {
    return this.#op('bitwiseAnd', [this, other], options);
  }
  /** Elementwise bitwise or of integers or bools (`|`). */
  bitwiseOr<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'bitwiseOr', Promoted<[D, B]>>>> {
    return this.#op('bitwiseOr', [this, other], options);
  }
  /** Elementwise bitwise exclusive or of integers or bools (`^`). */
  bitwiseXor<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'bitwiseXor', Promoted<[D, B]>>>> {
    return this.#op('bitwiseXor', [this, other], options);
  }
  /** Elementwise `a << b` (shifts past the width give 0, as NumPy). */
  leftShift<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'leftShift', Promoted<[D, B]>>>> {
    return this.#op('leftShift', [this, other], options);
  }
  /** Elementwise `a >> b`, arithmetic for signed integers (shifts past the width give 0 or -1). */
  rightShift<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options?: Opt,
  ): OutOr<Opt, NDArray<ResultDType<'rightShift', Promoted<[D, B]>>>> {
    return this.#op('rightShift', [this, other], options);
  }
  /** NumPy's `round(a, decimals)`: half to even, at `decimals` digits after the point (before it when
   * negative); integers are copied for decimals >= 0. */
  round<Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    decimals = 0,
    options: Opt = {} as Opt,
  ): OutOr<Opt, NDArray<ResultDType<'round', D>>> {
    this.checkUsable();
    const result = roundOperand(this.#memory, this, decimals, options.out);
    return outOr(options.out, result);
  }
  /** Variance along the axes (all when omitted), dividing by `n - ddof`; float32 for integers. */
  var(axis?: ReduceAxis, options: VarianceOptions = {}): NDArray<ResultDType<'var', D>> {
    this.checkUsable();
    return ownerArray(varianceOperand(this.#memory, this, axis, options, false));
  }
  /** Standard deviation: the square root of `var`. */
  std(axis?: ReduceAxis, options: VarianceOptions = {}): NDArray<ResultDType<'std', D>> {
    this.checkUsable();
    return ownerArray(varianceOperand(this.#memory, this, axis, options, true));
  }
  /** Peak to peak: `max - min` along the axes, in this array's dtype. */
  ptp(axis?: ReduceAxis, options: KeepdimsOptions = {}): NDArray<ResultDType<'ptp', D>> {
    this.checkUsable();
    return ownerArray(ptpOperand(this.#memory, this, axis, options));
  }

  // ----- advanced indexing: take, put, nonzero, compress, scans -----

  /** `np.take(a, indices, { axis })`: elements (or slices along `axis`) at `indices`; a copy. */
  take(indices: IndexArg, axis?: number | null): NDArray<D> {
    this.checkUsable();
    return this.#memory.guard(() => ownerArray(take(this.#memory, this, indices, axis)));
  }

  /** `np.put(a, indices, values)`: `a.flat[indices] = values` (values repeated as needed). Returns `this`. */
  put(indices: IndexArg, values: AssignableValue): this {
    this.checkUsable();
    put(this.#memory, this, indices, values);
    return this;
  }

  /** The positions of the nonzero elements, one int32 array per axis (a Promise: the count is on the device). */
  nonzero(): Promise<NDArray<'int32'>[]> {
    this.checkUsable();
    return nonzero(this.#memory, this).then((results) => results.map((r) => ownerArray<'int32'>(r)));
  }

  /** The slices along `axis` (or elements of the flattened array) where `condition` is true; a Promise for
   * a condition NDArray, whose count is on the device. */
  compress(condition: NestedIndexList, axis?: number | null): NDArray<D>;
  compress(condition: NDArray, axis?: number | null): Promise<NDArray<D>>;
  compress(condition: NestedIndexList | NDArray, axis?: number | null): NDArray<D> | Promise<NDArray<D>> {
    this.checkUsable();
    const result = compress(this.#memory, condition, this, axis);
    return result instanceof Promise ? result.then((r) => ownerArray<D>(r)) : ownerArray<D>(result);
  }

  /** Cumulative sum along `axis` (the flattened array when omitted); int32/uint32 for narrow integers. */
  cumsum<Opt extends KnownOptions<Opt, Omit<ScanOptions, 'axis'>> = NoOptions>(
    axis?: number | null,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, ResultDType<'cumsum', D>>> {
    this.checkUsable();
    return this.#memory.guard(() => ownerArray(applyScan(this.#memory, 'sum', this, { ...options, axis })));
  }

  /** Cumulative product along `axis` (the flattened array when omitted). */
  cumprod<Opt extends KnownOptions<Opt, Omit<ScanOptions, 'axis'>> = NoOptions>(
    axis?: number | null,
    options: Opt = {} as Opt,
  ): NDArray<OptionDType<Opt, ResultDType<'cumprod', D>>> {
    this.checkUsable();
    return this.#memory.guard(() => ownerArray(applyScan(this.#memory, 'prod', this, { ...options, axis })));
  }

  // ----- products -----
  // Matrix products reading both operands where they lie (see np.matmul and np.dot).

  /** `this @ other`, as NumPy's matmul: batched, broadcasting, 1-D operands as NumPy; `out` any writable view. */
  matmul<B extends OpArg, Opt extends KnownOptions<Opt, OpOptions> = NoOptions>(
    other: B,
    options: Opt = {} as Opt,
  ): OutOr<Opt, NDArray<CommonDType<NDArray<D> | B>>> {
    this.checkUsable();
    return this.#memory.guard(() => outOr(options.out, applyMatmul(this.#memory, this, other as ProductArg, options)));
  }
  /** NumPy's `a.dot(b)`. */
  dot<B extends OpArg>(other: B): NDArray<CommonDType<NDArray<D> | B>> {
    this.checkUsable();
    return this.#memory.guard(() => ownerArray(applyDot(this.#memory, this, other as ProductArg)));
  }

  // ------------------------------------------------------------------------------------------
  // Reads (Promises that see every write queued before them)

  // Validation happens before the Promise is made, so bad input throws at once, as everywhere else.

  /** A C-ordered TypedArray copy of the elements: the dtype's own, as its type says (`Float32Array` for
   * float32, `BigInt64Array` for int64, `Uint8Array` of 0/1 for bool). float16 gives a `Float16Array` where
   * the runtime has one (Node 24+, recent browsers), else a `Uint16Array` of the binary16 bits, which
   * `float16BitsToNumbers` decodes: its type is `Float16Data`, either of them. */
  data(): Promise<TypedArrayOf<D>> {
    this.checkUsable();
    return readContiguousBytes(this).then((bytes) => bytesToTypedArray(bytes, this.dtype) as TypedArrayOf<D>);
  }

  /** Nested JS arrays, as NumPy's `tolist()`; the element itself for a 0-d array (elements as `item()`'s). */
  toArray(): Promise<NestedOf<D>> {
    this.checkUsable();
    const shape = this.shape;
    return readContiguousBytes(this).then((bytes) => toNested(bytesToScalars(bytes, this.dtype), shape) as NestedOf<D>);
  }

  /**
   * One element: `item()` for a size-1 array, `item(flatIndex)` in C order, `item([i, j])`, or
   * `item('1, 2')` (any basic index that selects one element). A number, a boolean for bool, a bigint for
   * int64/uint64 (`ElementOf<D>`).
   */
  item(index?: number | readonly number[] | string): Promise<ElementOf<D>> {
    this.checkUsable();
    const byteOffset = this.#elementOffset(index);
    const dtype = this.dtype;
    return this.#memory
      .read(this.#storage.buffer, byteOffset, this.itemsize)
      .then((bytes) => readItem(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, dtype) as ElementOf<D>);
  }

  /** Exactly what NumPy's `str(a)` prints. */
  format(): Promise<string> {
    this.checkUsable();
    const shape = this.shape;
    return readContiguousBytes(this).then((bytes) => formatArray(bytesToScalars(bytes, this.dtype), shape, this.dtype));
  }

  #elementOffset(index: number | readonly number[] | string | undefined): number {
    const { shape, strides, offset } = this.#layout;
    if (index === undefined) {
      if (this.size !== 1) throw new ValueError('can only convert an array of size 1 to a Python scalar');
      return offset;
    }
    if (typeof index === 'string') {
      const items = toIndexItems(index);
      if (!isBasicIndex(items)) throw new TypeError('item() takes integer indices');
      const { layout } = applyIndex(this.#layout, items);
      if (sizeOf(layout.shape) !== 1) throw new ValueError('can only convert an array of size 1 to a Python scalar');
      return layout.offset;
    }
    if (!Array.isArray(index) && typeof index !== 'number') throw notAnInteger(index);
    if (typeof index === 'number') {
      if (!Number.isInteger(index)) throw new TypeError("'float' object cannot be interpreted as an integer");
      const size = this.size;
      const flat = index < 0 ? index + size : index;
      if (flat < 0 || flat >= size) throw new IndexError(`index ${index} is out of bounds for size ${size}`);
      let rest = flat;
      let byteOffset = offset;
      for (let k = shape.length - 1; k >= 0; k--) {
        byteOffset += (rest % shape[k]) * strides[k];
        rest = Math.floor(rest / shape[k]);
      }
      return byteOffset;
    }
    if (index.length !== shape.length) throw new ValueError('incorrect number of indices for array');
    return applyIndex(this.#layout, [...index]).layout.offset;
  }

  // ------------------------------------------------------------------------------------------
  // Lifetime

  /** Releases this array's hold on the memory; it is freed when the owner and all views are released. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (!this.#memory.disposed) this.#memory.disown(this.#hold);
  }

  /** `dispose()`, for `using` declarations. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** A short description (`NDArray(shape=(2, 3), dtype=float32)`); `format()` prints the values. */
  toString(): string {
    return `NDArray(shape=${shapeRepr(this.shape)}, dtype=${this.dtype}${this.#disposed ? ', disposed' : ''})`;
  }

  #setWriteable(value: boolean): void {
    if (value && !this.#writeable && this.#owner !== null && !this.#owner.#writeable) {
      throw new ValueError('cannot set WRITEABLE flag to True of this array');
    }
    this.#writeable = Boolean(value);
  }

  /** @internal A view of this array with another layout, for ndgpu's own modules (broadcastTo, assign). */
  viewWithLayout(layout: Layout, writeable = this.#writeable): NDArray<D> {
    this.checkUsable();
    return this.#derive(layout, { writeable });
  }
}

// ------------------------------------------------------------------------------------------------
// Arrays from the routines' results: the one place new owner arrays are made

// A routine that makes a new array runs inside `memory.guard`: when it throws, what it allocated is
// released there (see memory.ts), so routines validate first and free only their temporaries.

/**
 * Wraps new memory (a routine's result, see operand.ts) as an array that owns it. The caller states the
 * dtype as a type (`T`): the one its routine's rules give (test/dtype-types.test.ts checks each against the
 * runtime); without one, any dtype.
 */
export function ownerArray<T extends DType = DType>(operand: Operand): NDArray<T> {
  const { memory, storage, layout, dtype } = operand;
  return new NDArray<T>({ memory, storage, layout, dtype: dtype as T, owner: null, writeable: true });
}

/** `out` itself (the routine wrote into it), or the routine's result as a new owner array, as the type the
 * caller's signature states (`R`: `out`'s type or the result dtype ndgpu's rules give, see `OutOr` and
 * ownerArray; inferred from the caller's return type). */
export function outOr<R>(out: NDArray | undefined, result: Operand): R {
  return (out ?? ownerArray(result)) as R;
}

/** A copy of `source` into new memory, as a new owner array (copies never have a hidden base). */
export function copyOf<T extends DType>(source: Operand, target: CopyTarget & { dtype?: T }): NDArray<T> {
  return source.memory.guard(() => ownerArray<T>(copyOperand(source, target)));
}

/** A ufunc's result: `out` itself, or a new owner array. */
export function ufuncArray<R>(memory: ArrayMemory, name: UfuncName, args: readonly OpArg[], options: OpOptions = {}): R {
  return memory.guard(() => outOr(options.out, applyUfunc(memory, name, args, options)));
}

/** The positions of the nonzero elements (flat) / their coordinates as rows, as new owner arrays. */
export function flatnonzeroArray(memory: ArrayMemory, array: NDArray): Promise<NDArray<'int32'>> {
  return flatnonzero(memory, array).then((r) => ownerArray<'int32'>(r));
}
export function argwhereArray(memory: ArrayMemory, array: NDArray): Promise<NDArray<'int32'>> {
  return argwhere(memory, array).then((r) => ownerArray<'int32'>(r));
}

/** A reduction's result: `out` itself, or a new owner array. */
export function reductionArray<R>(
  memory: ArrayMemory,
  op: ReductionName,
  array: NDArray,
  axis: ReduceAxis | undefined,
  options?: ReduceOptions,
): R {
  return memory.guard(() => outOr(options?.out, applyReduction(memory, op, array, axis, options)));
}
