/**
 * NDArray = shared storage + a layout + a dtype + NumPy's `base` and flags. View methods only compute a new
 * layout (synchronous metadata); copies and writes are queued on the backend; reads return Promises.
 */

import { dtypeInfo, isDType, type DType, type ItemSize } from '../core/dtype.js';
import { IndexError, ValueError, normalizeAxis, shapeRepr } from '../core/errors.js';
import { formatArray } from '../core/format.js';
import { bytesToScalars, bytesToTypedArray, toNested, type NestedArray } from '../core/host.js';
import { applyIndex, toIndexItems, type Index } from '../core/indexing.js';
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
import {
  checkOrder,
  checkRank,
  inferShape,
  reshapeMemoryOrder,
  resolveShapeArgs,
  type CopyOrder,
  type ReshapeOrder,
} from '../core/shape-args.js';
import type { ReductionName } from '../ops/reductions.js';
import { assignValue, copyOperand, readContiguousBytes, type CopyTarget } from './assign.js';
import type { ArrayMemory } from './memory.js';
import { ARRAY_TAG, withLayout, type Operand } from './operand.js';
import { applyReduction } from './reduce.js';
import { applyDot, applyMatmul, type ProductArg } from './product.js';
import type { Holder, Storage } from './storage.js';
import { applyUfunc, type UfuncName } from './ufunc.js';

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
  readonly memory: ArrayMemory;
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
  #memory: ArrayMemory;
  #storage: Storage;
  #layout: Layout;
  #owner: NDArray | null;
  #writeable: boolean;
  #disposed = false;
  /** This array's hold on the storage (it must not refer to the array, which must stay collectable). */
  #hold: ArrayHold;

  /** @internal Arrays are made by a context (`np.array`, `np.zeros`...) or by another array's methods. */
  constructor(parts: ArrayParts) {
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
  #derive(layout: Layout, options: { dtype?: DType; writeable?: boolean } = {}): NDArray {
    checkRank(layout.shape.length);
    return new NDArray({
      memory: this.#memory,
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
      return copyOf(withLayout(this, iterationOrderLayout(this.#layout)), { order: 'C', shape: [this.size] });
    }
    return copyOf(this, { order: copyMemoryOrder(this.#layout, this.itemsize, order), shape: [this.size] });
  }

  /** A deep copy in new memory; `order` 'C' (default), 'F', 'A' or 'K' as NumPy's `ndarray.copy`. */
  copy(order: CopyOrder = 'C'): NDArray {
    this.checkUsable();
    checkOrder(order);
    if (order === 'K') return copyOf(this, { order: keepOrderCopyStrides(this.#layout, this.itemsize) });
    return copyOf(this, { order: copyMemoryOrder(this.#layout, this.itemsize, order) });
  }

  /** A copy converted to `dtype` (NumPy's `astype`, order 'K'). */
  astype(dtype: DType): NDArray {
    this.checkUsable();
    if (!isDType(dtype)) throw new TypeError(`data type '${String(dtype)}' not understood`);
    return copyOf(this, { order: keepOrderCopyStrides(this.#layout, this.itemsize, dtypeInfo(dtype).itemsize), dtype });
  }

  // ------------------------------------------------------------------------------------------
  // Elementwise operations (NumPy's ufuncs; see Context for the `np.add(a, b)` spellings)

  #op(name: UfuncName, args: readonly OpArg[], options?: OpOptions): NDArray {
    this.checkUsable();
    return ufuncArray(this.#memory, name, args, options);
  }

  #reduce(op: ReductionName, axis: ReduceAxis | undefined, options?: ReduceOptions): NDArray {
    this.checkUsable();
    return reductionArray(this.#memory, op, this, axis, options);
  }

  add(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('add', [this, other], options);
  }
  subtract(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('subtract', [this, other], options);
  }
  multiply(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('multiply', [this, other], options);
  }
  divide(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('divide', [this, other], options);
  }
  floorDivide(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('floorDivide', [this, other], options);
  }
  mod(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('mod', [this, other], options);
  }
  power(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('power', [this, other], options);
  }
  maximum(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('maximum', [this, other], options);
  }
  minimum(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('minimum', [this, other], options);
  }
  equal(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('equal', [this, other], options);
  }
  notEqual(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('notEqual', [this, other], options);
  }
  less(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('less', [this, other], options);
  }
  lessEqual(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('lessEqual', [this, other], options);
  }
  greater(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('greater', [this, other], options);
  }
  greaterEqual(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('greaterEqual', [this, other], options);
  }
  logicalAnd(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('logicalAnd', [this, other], options);
  }
  logicalOr(other: OpArg, options?: OpOptions): NDArray {
    return this.#op('logicalOr', [this, other], options);
  }
  negative(options?: OpOptions): NDArray {
    return this.#op('negative', [this], options);
  }
  abs(options?: OpOptions): NDArray {
    return this.#op('abs', [this], options);
  }
  sqrt(options?: OpOptions): NDArray {
    return this.#op('sqrt', [this], options);
  }
  exp(options?: OpOptions): NDArray {
    return this.#op('exp', [this], options);
  }
  log(options?: OpOptions): NDArray {
    return this.#op('log', [this], options);
  }
  sin(options?: OpOptions): NDArray {
    return this.#op('sin', [this], options);
  }
  cos(options?: OpOptions): NDArray {
    return this.#op('cos', [this], options);
  }
  tanh(options?: OpOptions): NDArray {
    return this.#op('tanh', [this], options);
  }
  logicalNot(options?: OpOptions): NDArray {
    return this.#op('logicalNot', [this], options);
  }
  /** `minimum(maximum(a, min), max)`, as NumPy's clip. */
  clip(min: OpArg, max: OpArg, options?: OpOptions): NDArray {
    return this.#op('clip', [this, min, max], options);
  }

  // Reductions along any axes (all when omitted): `a.sum()`, `a.sum(0)`, `a.max([0, 2], { keepdims: true })`.
  sum(axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return this.#reduce('sum', axis, options);
  }
  prod(axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return this.#reduce('prod', axis, options);
  }
  mean(axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return this.#reduce('mean', axis, options);
  }
  min(axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return this.#reduce('min', axis, options);
  }
  max(axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return this.#reduce('max', axis, options);
  }
  argmin(axis?: number | null, options?: ReduceOptions): NDArray {
    return this.#reduce('argmin', axis, options);
  }
  argmax(axis?: number | null, options?: ReduceOptions): NDArray {
    return this.#reduce('argmax', axis, options);
  }
  any(axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return this.#reduce('any', axis, options);
  }
  all(axis?: ReduceAxis, options?: ReduceOptions): NDArray {
    return this.#reduce('all', axis, options);
  }

  // ----- products -----
  // Matrix products reading both operands where they lie (see np.matmul and np.dot).

  /** `this @ other`, as NumPy's matmul: batched, broadcasting, 1-D operands as NumPy; `out` any writable view. */
  matmul(other: OpArg, options: OpOptions = {}): NDArray {
    this.checkUsable();
    const result = applyMatmul(this.#memory, this, other as ProductArg, options);
    return options.out ?? ownerArray(result);
  }
  /** NumPy's `a.dot(b)`. */
  dot(other: OpArg): NDArray {
    this.checkUsable();
    return ownerArray(applyDot(this.#memory, this, other as ProductArg));
  }

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
    return this.#memory.backend
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
    if (!this.#memory.disposed) this.#memory.disown(this.#hold);
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
// Arrays from the routines' results: the one place new owner arrays are made

/** Wraps new memory (a routine's result, see operand.ts) as an array that owns it. */
export function ownerArray(operand: Operand): NDArray {
  const { memory, storage, layout, dtype } = operand;
  return new NDArray({ memory, storage, layout, dtype, owner: null, writeable: true });
}

/** A copy of `source` into new memory, as a new owner array (copies never have a hidden base). */
export function copyOf(source: Operand, target: CopyTarget): NDArray {
  return ownerArray(copyOperand(source, target));
}

/** A ufunc's result: `out` itself, or a new owner array. */
export function ufuncArray(memory: ArrayMemory, name: UfuncName, args: readonly OpArg[], options: OpOptions = {}): NDArray {
  const result = applyUfunc(memory, name, args, options);
  return options.out ?? ownerArray(result);
}

/** A reduction's result, as a new owner array. */
export function reductionArray(
  memory: ArrayMemory,
  op: ReductionName,
  array: NDArray,
  axis: ReduceAxis | undefined,
  options?: ReduceOptions,
): NDArray {
  return ownerArray(applyReduction(memory, op, array, axis, options));
}
