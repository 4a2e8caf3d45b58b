/**
 * NDArray = shared storage + a layout + a dtype + NumPy's `base` and flags. View methods only compute a new
 * layout (synchronous metadata); copies and writes are queued on the backend; reads return Promises.
 */

import { dtypeInfo, isDType, type DType, type ItemSize } from '../core/dtype.js';
import type { Engine } from './memory.js';
import { IndexError, ValueError, normalizeAxis, shapeRepr } from '../core/errors.js';
import { formatArray } from '../core/format.js';
import { bytesToScalars, bytesToTypedArray, toNested, type NestedArray } from '../core/host.js';
import { applyIndex, toIndexItems, type Index } from '../core/indexing.js';
import {
  dropAxes,
  flipAxis,
  freshLayout,
  isCContiguous,
  isFContiguous,
  keepOrderStrides,
  makeLayout,
  contiguousStrides,
  memoryOrderOfAxes,
  permute,
  reshapeNoCopy,
  sizeOf,
  type Layout,
  type MemoryOrder,
} from '../core/layout.js';
import { readItem, type Scalar } from '../core/scalars.js';
import type { Holder, Storage } from './storage.js';
import { assignValue, moveElements, readContiguousBytes, withLayout, type Operand } from './assign.js';
import { resolveShapeArgs, checkOrder, checkRank, type CopyOrder, type ReshapeOrder } from '../core/shape-args.js';

export type { CopyOrder, ReshapeOrder };

/** What `set` accepts: a scalar, nested arrays of scalars, or an NDArray (broadcast to the target). */
export type AssignableValue = Scalar | NestedArray | NDArray;

/** An operand of an elementwise operation: an array, a JS scalar (weakly typed, as NumPy 2 treats
 * Python scalars) or nested arrays of scalars. */
export type OpArg = NDArray | Scalar | NestedArray;

/** The axes a reduction combines: one, several, or all (null/omitted). */
export type ReduceAxis = number | readonly number[] | null;

export interface ReduceOptions {
  /** Keep reduced axes as length-1 axes, so the result broadcasts against the input. */
  keepdims?: boolean;
}

export interface OpOptions {
  /** Where to write the result: any writable view of the broadcast shape; it may overlap the inputs
   * (the result is as if the inputs were copied first). Its dtype must be a 'same_kind' cast away. */
  out?: NDArray;
}

/** What NDArray's constructor takes; only ndgpu itself makes arrays (through a context). */
export interface ArrayParts {
  readonly engine: Engine;
  readonly storage: Storage;
  readonly layout: Layout;
  readonly dtype: DType;
  /** The owner of the memory, or null when this array is the owner. */
  readonly owner: NDArray | null;
  readonly writeable: boolean;
}

export interface ArrayFlags {
  readonly owndata: boolean;
  writeable: boolean;
  readonly cContiguous: boolean;
  readonly fContiguous: boolean;
}

/** An array's hold on its memory: what memory listings and the trap warning say about it. */
class ArrayHold implements Holder {
  createdAt?: string;
  constructor(
    readonly storage: Storage,
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly isOwner: boolean,
  ) {}
  get nbytes(): number {
    return sizeOf(this.shape) * dtypeInfo(this.dtype).itemsize;
  }
  label(): string {
    return `${this.dtype} ${shapeRepr(this.shape)} ${this.isOwner ? 'owner' : 'view'}`;
  }
}

export class NDArray {
  readonly dtype: DType;
  #engine: Engine;
  #storage: Storage;
  #layout: Layout;
  #owner: NDArray | null;
  #writeable: boolean;
  #disposed = false;
  /** This array's hold on the storage (it must not refer to the array, which must stay collectable). */
  #hold: ArrayHold;

  /** @internal Arrays are made by a context (`np.array`, `np.zeros`...) or by another array's methods. */
  constructor(parts: ArrayParts) {
    this.#engine = parts.engine;
    this.#storage = parts.storage;
    this.#layout = parts.layout;
    this.dtype = parts.dtype;
    this.#owner = parts.owner;
    this.#writeable = parts.writeable;
    this.#hold = new ArrayHold(parts.storage, parts.dtype, parts.layout.shape, parts.owner === null);
    parts.engine.adopt(this, this.#hold);
  }

  // ------------------------------------------------------------------------------------------
  // Attributes

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
  get ndim(): number {
    return this.#layout.shape.length;
  }
  get size(): number {
    return sizeOf(this.#layout.shape);
  }
  get itemsize(): ItemSize {
    return dtypeInfo(this.dtype).itemsize;
  }
  get nbytes(): number {
    return this.size * this.itemsize;
  }
  /** The array that owns the memory (NumPy's collapsed `base`), or null for an owner. */
  get base(): NDArray | null {
    return this.#owner;
  }
  get flags(): ArrayFlags {
    const array = this;
    const layout = this.#layout;
    const itemsize = this.itemsize;
    return {
      owndata: this.#owner === null,
      get writeable() {
        return array.#writeable;
      },
      set writeable(value: boolean) {
        array.#setWriteable(value);
      },
      cContiguous: isCContiguous(layout, itemsize),
      fContiguous: isFContiguous(layout, itemsize),
    };
  }
  /** The layout (shape, strides, offset in bytes) as one frozen value. */
  get layout(): Layout {
    return this.#layout;
  }
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
    return this.#storage.byteLength === 0 ? null : this.#engine.backend.nativeBuffer(this.#storage.buffer);
  }

  /** @internal The shared storage; for ndgpu's own modules. */
  get storage(): Storage {
    return this.#storage;
  }
  /** @internal */
  get engine(): Engine {
    return this.#engine;
  }

  /** Throws unless the array and its context can still be used. */
  checkUsable(): void {
    if (this.#disposed) {
      throw new ValueError(`this array was disposed (its dispose() was called) and cannot be used; keep it alive, or take a copy() before disposing it`);
    }
    this.#engine.checkAlive();
  }

  // ------------------------------------------------------------------------------------------
  // Views

  /** A view sharing this array's memory with another layout (and optionally another dtype). */
  #derive(layout: Layout, options: { dtype?: DType; writeable?: boolean } = {}): NDArray {
    checkRank(layout.shape.length);
    return new NDArray({
      engine: this.#engine,
      storage: this.#storage,
      layout,
      dtype: options.dtype ?? this.dtype,
      owner: this.#owner ?? this,
      writeable: options.writeable ?? this.#writeable,
    });
  }

  /** Basic indexing: always a view (a 0-d view where NumPy would return a scalar). */
  get(index: Index): NDArray {
    this.checkUsable();
    return this.#derive(applyIndex(this.#layout, toIndexItems(index)).layout);
  }

  /** `a[index] = value`, broadcast like NumPy, correct when `value` overlaps this array. Returns `this`. */
  set(index: Index, value: AssignableValue): this {
    this.checkUsable();
    const { layout, isElement } = applyIndex(this.#layout, toIndexItems(index));
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
  view(dtype?: DType): NDArray {
    this.checkUsable();
    if (dtype === undefined || dtype === this.dtype) return this.#derive(this.#layout);
    if (!isDType(dtype)) throw new TypeError(`data type '${String(dtype)}' not understood`);
    return this.#derive(reinterpretLayout(this.#layout, this.itemsize, dtypeInfo(dtype).itemsize), { dtype });
  }

  /**
   * A view with a new shape when NumPy's no-copy rule allows it, else a copy (which owns its memory).
   * `reshape(2, 6)`, `reshape([2, 6])`, `reshape([2, -1], { order: 'F' })`.
   */
  reshape(...args: (number | readonly number[] | { order?: ReshapeOrder })[]): NDArray {
    this.checkUsable();
    const { shape: requested, options } = resolveShapeArgs(args, 'reshape');
    const order = reshapeOrder(options.order ?? 'C', this);
    const shape = inferShape(requested, this.size);
    const viewLayout = reshapeNoCopy(this.#layout, shape, order, this.itemsize, requested.every((n) => n >= 0));
    if (viewLayout) return this.#derive(viewLayout);
    return copyArray(this, { order, shape });
  }

  /** Permutes the axes: `transpose()` reverses them; `transpose(1, 0, 2)` or `transpose([1, 0, 2])`. */
  transpose(...axes: (number | readonly number[])[]): NDArray {
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

  get T(): NDArray {
    return this.transpose();
  }

  swapaxes(axis1: number, axis2: number): NDArray {
    this.checkUsable();
    const a = normalizeAxis(axis1, this.ndim, 'axis1');
    const b = normalizeAxis(axis2, this.ndim, 'axis2');
    const order = [...Array(this.ndim).keys()];
    [order[a], order[b]] = [order[b], order[a]];
    return this.#derive(permute(this.#layout, order));
  }

  /** Removes length-1 axes (all of them, or the given ones). Always a new view (see README). */
  squeeze(axis?: number | readonly number[]): NDArray {
    this.checkUsable();
    const shape = this.#layout.shape;
    let axes: number[];
    if (axis === undefined || axis === null) axes = shape.flatMap((n, k) => (n === 1 ? [k] : []));
    else {
      axes = (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normalizeAxis(a, this.ndim));
      if (new Set(axes).size !== axes.length) throw new ValueError("duplicate value in 'axis'");
      if (axes.some((k) => shape[k] !== 1)) {
        throw new ValueError('cannot select an axis to squeeze out which has size not equal to one');
      }
    }
    return this.#derive(dropAxes(this.#layout, new Set(axes)));
  }

  /** Inserts length-1 axes at `axis` (as NumPy, through reshape, so the new strides follow its rule). */
  expandDims(axis: number | readonly number[]): NDArray {
    this.checkUsable();
    const list = typeof axis === 'number' ? [axis] : [...axis];
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
  flip(axis?: number | readonly number[]): NDArray {
    this.checkUsable();
    const axes =
      axis === undefined || axis === null
        ? [...Array(this.ndim).keys()]
        : (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normalizeAxis(a, this.ndim));
    if (new Set(axes).size !== axes.length) throw new ValueError('repeated axis');
    let layout = this.#layout;
    for (const k of axes) layout = flipAxis(layout, k);
    return this.#derive(layout);
  }

  /** A 1-D view when the elements are evenly spaced in `order`, else a copy. */
  ravel(order: CopyOrder = 'C'): NDArray {
    this.checkUsable();
    checkOrder(order);
    const layout = this.#layout;
    const itemsize = this.itemsize;
    const c = isCContiguous(layout, itemsize);
    const f = isFContiguous(layout, itemsize);
    const flat = (o: MemoryOrder) => this.reshape([this.size], { order: o });
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
  flatten(order: CopyOrder = 'C'): NDArray {
    this.checkUsable();
    checkOrder(order);
    if (order === 'K') {
      // Elements in NumPy's nditer order: axes by |stride|, zero strides stay put, never backwards.
      const inMemoryOrder = this.#derive(iterationOrderLayout(this.#layout));
      try {
        return copyArray(inMemoryOrder, { order: 'C', shape: [this.size] });
      } finally {
        inMemoryOrder.dispose();
      }
    }
    const order2 = copyLayoutOrder(this, order);
    return copyArray(this, { order: order2, shape: [this.size] });
  }

  /** A deep copy in new memory; `order` 'C' (default), 'F', 'A' or 'K' as NumPy's `ndarray.copy`. */
  copy(order: CopyOrder = 'C'): NDArray {
    this.checkUsable();
    checkOrder(order);
    if (order === 'K') return copyArray(this, { order: 'C', strides: freshKeepStrides(this) });
    return copyArray(this, { order: copyLayoutOrder(this, order) });
  }

  /** A copy converted to `dtype` (NumPy's `astype`, order 'K'). */
  astype(dtype: DType): NDArray {
    this.checkUsable();
    if (!isDType(dtype)) throw new TypeError(`data type '${String(dtype)}' not understood`);
    return copyArray(this, { order: 'C', strides: freshKeepStrides(this, dtypeInfo(dtype).itemsize), dtype });
  }

  // ------------------------------------------------------------------------------------------
  // Elementwise operations (NumPy's ufuncs; see Context for the `np.add(a, b)` spellings)

  #op(name: string, args: readonly unknown[], options?: OpOptions | ReduceOptions): NDArray {
    this.checkUsable();
    const compute = this.#engine.compute;
    if (!compute) throw new Error('internal error: this array has no compute context');
    return compute(name, args, options) as NDArray;
  }

  add(other: OpArg, options?: OpOptions): NDArray { return this.#op('add', [this, other], options); }
  subtract(other: OpArg, options?: OpOptions): NDArray { return this.#op('subtract', [this, other], options); }
  multiply(other: OpArg, options?: OpOptions): NDArray { return this.#op('multiply', [this, other], options); }
  divide(other: OpArg, options?: OpOptions): NDArray { return this.#op('divide', [this, other], options); }
  floorDivide(other: OpArg, options?: OpOptions): NDArray { return this.#op('floorDivide', [this, other], options); }
  mod(other: OpArg, options?: OpOptions): NDArray { return this.#op('mod', [this, other], options); }
  power(other: OpArg, options?: OpOptions): NDArray { return this.#op('power', [this, other], options); }
  maximum(other: OpArg, options?: OpOptions): NDArray { return this.#op('maximum', [this, other], options); }
  minimum(other: OpArg, options?: OpOptions): NDArray { return this.#op('minimum', [this, other], options); }
  equal(other: OpArg, options?: OpOptions): NDArray { return this.#op('equal', [this, other], options); }
  notEqual(other: OpArg, options?: OpOptions): NDArray { return this.#op('notEqual', [this, other], options); }
  less(other: OpArg, options?: OpOptions): NDArray { return this.#op('less', [this, other], options); }
  lessEqual(other: OpArg, options?: OpOptions): NDArray { return this.#op('lessEqual', [this, other], options); }
  greater(other: OpArg, options?: OpOptions): NDArray { return this.#op('greater', [this, other], options); }
  greaterEqual(other: OpArg, options?: OpOptions): NDArray { return this.#op('greaterEqual', [this, other], options); }
  logicalAnd(other: OpArg, options?: OpOptions): NDArray { return this.#op('logicalAnd', [this, other], options); }
  logicalOr(other: OpArg, options?: OpOptions): NDArray { return this.#op('logicalOr', [this, other], options); }
  negative(options?: OpOptions): NDArray { return this.#op('negative', [this], options); }
  abs(options?: OpOptions): NDArray { return this.#op('abs', [this], options); }
  sqrt(options?: OpOptions): NDArray { return this.#op('sqrt', [this], options); }
  exp(options?: OpOptions): NDArray { return this.#op('exp', [this], options); }
  log(options?: OpOptions): NDArray { return this.#op('log', [this], options); }
  sin(options?: OpOptions): NDArray { return this.#op('sin', [this], options); }
  cos(options?: OpOptions): NDArray { return this.#op('cos', [this], options); }
  tanh(options?: OpOptions): NDArray { return this.#op('tanh', [this], options); }
  logicalNot(options?: OpOptions): NDArray { return this.#op('logicalNot', [this], options); }
  /** `minimum(maximum(a, min), max)`, as NumPy's clip. */
  clip(min: OpArg, max: OpArg, options?: OpOptions): NDArray { return this.#op('clip', [this, min, max], options); }

  // Reductions along any axes (all when omitted): `a.sum()`, `a.sum(0)`, `a.max([0, 2], { keepdims: true })`.
  sum(axis?: ReduceAxis, options?: ReduceOptions): NDArray { return this.#op('sum', [this, axis], options); }
  prod(axis?: ReduceAxis, options?: ReduceOptions): NDArray { return this.#op('prod', [this, axis], options); }
  mean(axis?: ReduceAxis, options?: ReduceOptions): NDArray { return this.#op('mean', [this, axis], options); }
  min(axis?: ReduceAxis, options?: ReduceOptions): NDArray { return this.#op('min', [this, axis], options); }
  max(axis?: ReduceAxis, options?: ReduceOptions): NDArray { return this.#op('max', [this, axis], options); }
  argmin(axis?: number | null, options?: ReduceOptions): NDArray { return this.#op('argmin', [this, axis], options); }
  argmax(axis?: number | null, options?: ReduceOptions): NDArray { return this.#op('argmax', [this, axis], options); }
  any(axis?: ReduceAxis, options?: ReduceOptions): NDArray { return this.#op('any', [this, axis], options); }
  all(axis?: ReduceAxis, options?: ReduceOptions): NDArray { return this.#op('all', [this, axis], options); }

  // ------------------------------------------------------------------------------------------
  // Reads (Promises that see every write queued before them)

  // Validation happens before the Promise is made, so bad input throws at once, as everywhere else.

  /** A C-ordered TypedArray copy of the elements. */
  data(): Promise<ArrayBufferView> {
    this.checkUsable();
    return readContiguousBytes(this).then((bytes) => bytesToTypedArray(bytes, this.dtype));
  }

  /** Nested JS arrays, as NumPy's `tolist()`; the element itself for a 0-d array. */
  toArray(): Promise<NestedArray> {
    this.checkUsable();
    const shape = this.shape;
    return readContiguousBytes(this).then((bytes) => toNested(bytesToScalars(bytes, this.dtype), shape));
  }

  /**
   * One element: `item()` for a size-1 array, `item(flatIndex)` in C order, `item([i, j])`, or
   * `item('1, 2')` (any basic index that selects one element).
   */
  item(index?: number | readonly number[] | string): Promise<Scalar> {
    this.checkUsable();
    const byteOffset = this.#elementOffset(index);
    const dtype = this.dtype;
    return this.#engine.backend
      .read(this.#storage.buffer, byteOffset, this.itemsize)
      .then((bytes) => readItem(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, dtype));
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
      const { layout } = applyIndex(this.#layout, toIndexItems(index));
      if (sizeOf(layout.shape) !== 1) throw new ValueError('can only convert an array of size 1 to a Python scalar');
      return layout.offset;
    }
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
    if (!this.#engine.disposed) this.#engine.disown(this.#hold);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

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
  viewWithLayout(layout: Layout, writeable = this.#writeable): NDArray {
    this.checkUsable();
    return this.#derive(layout, { writeable });
  }
}

// ------------------------------------------------------------------------------------------------
// Pure helpers for the methods above

/** Resolves `-1` (any negative entry) and checks the size, with NumPy's messages. */
export function inferShape(requested: readonly number[], size: number): number[] {
  const unknown = requested.flatMap((n, k) => (n < 0 ? [k] : []));
  if (unknown.length > 1) throw new ValueError('can only specify one unknown dimension');
  const known = requested.reduce((p, n) => (n < 0 ? p : p * n), 1);
  const sizeError = () => new ValueError(`cannot reshape array of size ${size} into shape ${requestedShapeRepr(requested)}`);
  if (unknown.length === 1) {
    if (known === 0 || size % known !== 0) throw sizeError();
    return requested.map((n) => (n < 0 ? size / known : n));
  }
  if (known !== size) throw sizeError();
  return [...requested];
}

/** NumPy's spelling of a requested shape in reshape errors: leading unknowns dropped, others `newaxis`. */
function requestedShapeRepr(requested: readonly number[]): string {
  const parts: string[] = [];
  let leading = true;
  for (const n of requested) {
    if (n < 0 && leading) continue;
    leading = false;
    parts.push(n < 0 ? 'newaxis' : String(n));
  }
  return requested.length === 1 ? `(${parts[0] ?? ''},)` : `(${parts.join(',')})`;
}

function reshapeOrder(order: ReshapeOrder, array: NDArray): MemoryOrder {
  if ((order as string) === 'K') throw new ValueError("order 'K' is not permitted for reshaping");
  if (order !== 'C' && order !== 'F' && order !== 'A') {
    throw new ValueError(`order must be one of 'C', 'F', 'A', or 'K' (got '${String(order)}')`);
  }
  if (order === 'A') return array.flags.fContiguous && !array.flags.cContiguous ? 'F' : 'C';
  return order;
}

/** The fresh layout order of a copy: 'A' is F only for F-but-not-C sources. */
function copyLayoutOrder(array: NDArray, order: CopyOrder): MemoryOrder {
  if (order === 'F') return 'F';
  if (order === 'A' || order === 'K') {
    const { cContiguous, fContiguous } = array.flags;
    return fContiguous && !cContiguous ? 'F' : 'C';
  }
  return 'C';
}

/** Strides of an order-'K' copy: C for C-contiguous or ≤1-D sources, F for F-contiguous, else memory order. */
function freshKeepStrides(array: NDArray, itemsize: number = array.itemsize): number[] {
  const layout = array.layout;
  if (array.size === 0) return layout.shape.map(() => 0);
  if (array.ndim <= 1 || isCContiguous(layout, array.itemsize)) return contiguousStrides(layout.shape, itemsize, 'C');
  if (isFContiguous(layout, array.itemsize)) return contiguousStrides(layout.shape, itemsize, 'F');
  return keepOrderStrides(layout, itemsize);
}

/** The same elements walked in memory order: axes reversed where their stride is negative, then sorted
 * by |stride| descending (NumPy's order 'K' for ravel/flatten). */
function memoryOrderLayout(layout: Layout): Layout {
  let forward = layout;
  layout.strides.forEach((s, k) => {
    if (s < 0) forward = flipAxis(forward, k);
  });
  return permute(forward, memoryOrderOfAxes(forward));
}

/**
 * The axes permuted into the order NumPy's nditer walks them for order 'K' with DONT_NEGATE_STRIDES
 * (`flatten('K')`, a copying `ravel('K')`): from C order, a stable insertion sort by |stride| (innermost
 * smallest) in which an axis with stride 0 compares with nothing and keeps its place. Never reverses an axis.
 */
function iterationOrderLayout(layout: Layout): Layout {
  const ndim = layout.shape.length;
  const stride = (k: number) => layout.strides[k];
  const perm: number[] = []; // innermost first, as NumPy's axisdata
  for (let k = ndim - 1; k >= 0; k--) perm.push(k);
  for (let i0 = 1; i0 < ndim; i0++) {
    const j0 = perm[i0];
    let ipos = i0;
    for (let i1 = i0 - 1; i1 >= 0; i1--) {
      const s0 = stride(j0);
      const s1 = stride(perm[i1]);
      if (s0 === 0 || s1 === 0) continue; // ambiguous: look further out
      if (Math.abs(s1) <= Math.abs(s0)) break;
      ipos = i1;
    }
    if (ipos !== i0) {
      perm.splice(i0, 1);
      perm.splice(ipos, 0, j0);
    }
  }
  return permute(layout, perm.reverse());
}

/** NumPy's `view(dtype)` layout when the item size changes. */
function reinterpretLayout(layout: Layout, oldSize: number, newSize: number): Layout {
  const ndim = layout.shape.length;
  let result: Layout;
  if (oldSize === newSize) result = layout;
  else {
    if (ndim === 0) {
      throw new ValueError('Changing the dtype of a 0d array is only supported if the itemsize is unchanged');
    }
    const last = ndim - 1;
    const n = layout.shape[last];
    if (n !== 1 && sizeOf(layout.shape) !== 0 && layout.strides[last] !== oldSize) {
      throw new ValueError('To change to a dtype of a different size, the last axis must be contiguous');
    }
    const lastBytes = n * oldSize;
    if (newSize > oldSize && lastBytes % newSize !== 0) {
      throw new ValueError(
        'When changing to a larger dtype, its size must be a divisor of the total size in bytes of the last axis of the array.',
      );
    }
    const shape = [...layout.shape];
    const strides = [...layout.strides];
    shape[last] = lastBytes / newSize;
    strides[last] = newSize;
    result = makeLayout(shape, strides, layout.offset);
  }
  const misaligned =
    result.offset % newSize !== 0 || result.shape.some((n, k) => n > 1 && result.strides[k] % newSize !== 0);
  if (misaligned && sizeOf(result.shape) > 0) {
    throw new ValueError(
      `view would place items of ${newSize} bytes at addresses that are not multiples of ${newSize} (offset ${result.offset}, strides ${shapeRepr(result.strides)}); GPUs need aligned items, so take a copy() first`,
    );
  }
  return result;
}

// ------------------------------------------------------------------------------------------------
// Copies: new memory that the result owns (ndgpu: copies never have a hidden base)

export interface CopyOptions {
  /** Memory order of the new array (ignored when `strides` is given). */
  order: MemoryOrder;
  /** A new shape of the same size: the elements are copied in `order` and laid out in that shape. */
  shape?: readonly number[];
  /** Explicit strides for the copy (order 'K'), same shape as the source. */
  strides?: readonly number[];
  dtype?: DType;
}

export function copyArray(source: Operand, options: CopyOptions): NDArray {
  const { engine } = source;
  const dtype = options.dtype ?? source.dtype;
  const itemsize = dtypeInfo(dtype).itemsize;
  const shape = source.layout.shape;
  const size = sizeOf(shape);
  const strides = options.strides ?? (size === 0 ? shape.map(() => 0) : contiguousStrides(shape, itemsize, options.order));
  const storage = engine.allocate(size * itemsize);
  try {
    moveElements({ engine, storage, layout: makeLayout(shape, strides, 0), dtype }, source);
  } catch (error) {
    storage.free();
    throw error;
  }
  // With a new shape, the same memory (contiguous in `order`) is described in that shape.
  const layout = options.shape ? freshLayout(options.shape, itemsize, options.order) : makeLayout(shape, strides, 0);
  return new NDArray({ engine, storage, layout, dtype, owner: null, writeable: true });
}
