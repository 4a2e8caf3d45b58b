/**
 * NumPy's selection routines on operands, built on advanced indexing (advanced.ts): `take` and `put`
 * (along an axis, or over the flattened array: one index over every axis, whose keys are flat C-order
 * positions, so no flattened copy is made), `nonzero`, `flatnonzero`, `argwhere` (a mask compaction,
 * then the positions unravelled by elementwise operations), `compress` and `extract` (a condition's true
 * positions as an index), `putmask` and `copyto(dst, src, { where })` (a `where` into the destination).
 *
 * Results whose shape depends on values on the device (nonzero of an array, a condition array) are
 * Promises; index arrays of host data or integer arrays keep the call synchronous.
 */

import { outOfBoundsMessage, type AdvancedIndex, type EntrySource, type IndexEntry } from '../core/advanced-index.js';
import { dtypeInfo, type DType } from '../core/dtype.js';
import { IndexError, ValueError, normalizeAxis, shapeReprCompact } from '../core/errors.js';
import { nestedToHost, type NestedArray } from '../core/host.js';
import { hostIndexArray, type NestedIndexList } from '../core/indexing.js';
import { CASTINGS, canCast, type Casting } from '../core/join.js';
import { broadcastLayout, freshLayout, isCContiguous, makeLayout, sizeOf, type Layout } from '../core/layout.js';
import { coerceScalar, isScalar, type Scalar } from '../core/scalars.js';
import { UFUNCS } from '../ops/ufuncs.js';
import { OperandValue, gatherResolved, scatterResolved, type IndexValue } from './advanced.js';
import { copyOperand, fillScalar, moveElements, stagedCopy } from './assign.js';
import type { ArrayMemory } from './memory.js';
import { checkOperandOf, isArrayOperand, temporary, withLayout, type ArrayOperand, type Operand } from './operand.js';
import { computeElementwise } from './ufunc.js';

/** What index and condition arguments accept: a number, nested JS arrays, or an array of this context. */
export type IndexArg = number | boolean | NestedIndexList | ArrayOperand;

/** An operand of this layer's own (a temporary) handed to routines that take the caller's arrays. */
function asArrayOperand(operand: Operand, dtype: DType = operand.dtype): ArrayOperand {
  const { memory, storage, layout } = operand;
  return { memory, storage, layout, dtype, checkUsable: () => memory.checkAlive(), flags: { writeable: true } };
}

/** A 1-D view of a 0-d array (routines that flatten treat a scalar as one element). */
function atLeast1d(layout: Layout): Layout {
  return layout.shape.length > 0 ? layout : makeLayout([1], [0], layout.offset);
}

/**
 * The index of `take`/`put` as an entry: along one axis (`axis` given), or over every axis (keys are
 * then flat positions, NumPy's flattened index). Booleans count as integers (0 and 1), as NumPy's take
 * casts them.
 */
function takeIndex(memory: ArrayMemory, layout: Layout, indices: IndexArg, axis: number | null): AdvancedIndex<ArrayOperand> {
  const flat = axis === null;
  const view = flat ? atLeast1d(layout) : layout;
  const first = flat ? 0 : axis;
  const axes = flat ? view.shape.length : 1;
  const size = flat ? sizeOf(view.shape) : view.shape[axis];
  let source: EntrySource<ArrayOperand>;
  if (isArrayOperand(indices)) {
    checkOperandOf(memory, indices, 'an index array must belong to the same ndgpu context as the array it indexes');
    const kind = dtypeInfo(indices.dtype).kind;
    if (kind === 'f') throw new IndexError('arrays used as indices must be of integer (or boolean) type');
    // A boolean array indexes with its 0s and 1s (its bytes are uint8's).
    const array = kind === 'b' ? asArrayOperand(indices, 'uint8') : indices;
    source = { kind: 'array', array };
  } else {
    const host = hostIndexArray(typeof indices === 'number' ? [indices] : (indices as NestedIndexList | boolean));
    const shape = typeof indices === 'number' || typeof indices === 'boolean' ? [] : host.shape;
    const keys = new Float64Array(host.values.length);
    host.values.forEach((v, i) => {
      if (v < -size || v >= size) throw new IndexError(outOfBoundsMessage(v, first, size));
      keys[i] = v < 0 ? v + size : v;
    });
    source = { kind: 'host', shape, keys };
  }
  return { view, entries: [{ axis: first, axes, arrayAxis: first, source }], insertAt: first };
}

function resolveAxis(axis: number | null | undefined, ndim: number): number | null {
  if (axis === undefined || axis === null) return null;
  return normalizeAxis(axis, Math.max(ndim, 1));
}

/** `np.take(a, indices, { axis })`: a new array (synchronous: the shape is the indices'). */
export function take(memory: ArrayMemory, a: ArrayOperand, indices: IndexArg, axis?: number | null): Operand {
  checkOperandOf(memory, a);
  const adv = takeIndex(memory, a.layout, indices, resolveAxis(axis, a.layout.shape.length));
  return gatherResolved(memory, a, adv) as Operand;
}

/** `np.put(a, indices, values)`: `a.flat[indices] = values`, values repeated as needed (NumPy's rule). */
export function put(memory: ArrayMemory, a: ArrayOperand, indices: IndexArg, values: Scalar | NestedArray | ArrayOperand): void {
  checkOperandOf(memory, a);
  if (!a.flags.writeable) throw new ValueError('assignment destination is read-only');
  const adv = takeIndex(memory, a.layout, indices, null);
  const entry = adv.entries[0];
  const source = entry.source;
  const count = sizeOf(source.kind === 'array' ? source.array.layout.shape : source.kind === 'host' ? source.shape : []);
  const releases: (() => void)[] = [];
  try {
    const value = cyclicValues(memory, values, a.dtype, count, releases);
    if (value === null) return; // no values: nothing to put
    scatterResolved(memory, a, adv, value);
  } finally {
    for (const release of releases) release();
  }
}

/**
 * `values` flattened and repeated to `count` items of `dtype` (NumPy's put and putmask): a scalar as
 * itself, else a packed array; null when there are no values.
 */
function cyclicValues(
  memory: ArrayMemory,
  values: Scalar | NestedArray | ArrayOperand,
  dtype: DType,
  count: number,
  releases: (() => void)[],
): IndexValue | null {
  if (isScalar(values)) return values;
  let flat: Operand;
  if (isArrayOperand(values)) {
    checkOperandOf(memory, values);
    const staged = temporary(memory, [sizeOf(values.layout.shape)], dtype);
    releases.push(staged.release);
    moveElements(withLayout(staged.operand, freshLayout(values.layout.shape, dtypeInfo(dtype).itemsize)), values);
    flat = staged.operand;
  } else {
    const host = nestedToHost(values as NestedArray, dtype);
    const staged = temporary(memory, [sizeOf(host.shape)], dtype);
    releases.push(staged.release);
    if (host.bytes.byteLength > 0) memory.backend.write(staged.operand.storage.buffer, 0, host.bytes);
    flat = staged.operand;
  }
  const m = sizeOf(flat.layout.shape);
  if (m === 0) return null;
  const itemsize = dtypeInfo(dtype).itemsize;
  if (m >= count) return new OperandValue(withLayout(flat, makeLayout([count], [itemsize], 0)));
  const tiled = temporary(memory, [count], dtype);
  releases.push(tiled.release);
  for (let start = 0; start < count; start += m) {
    const n = Math.min(m, count - start);
    moveElements(
      withLayout(tiled.operand, makeLayout([n], [itemsize], start * itemsize)),
      withLayout(flat, makeLayout([n], [itemsize], 0)),
    );
  }
  return new OperandValue(tiled.operand);
}

// ------------------------------------------------------------------------------------------------
// nonzero and friends

/**
 * Where `a` is nonzero (NaN counts as nonzero, -0 does not), as new boolean memory. 8-byte items are
 * tested on their two 32-bit words, so that no backend needs 64-bit arithmetic for it.
 */
export function nonzeroMask(memory: ArrayMemory, a: Operand): Operand {
  const { itemsize, kind } = dtypeInfo(a.dtype);
  if (itemsize !== 8) return computeElementwise(memory, UFUNCS.notEqual, [a, 0]);
  const word = (offset: number): Operand => ({
    ...withLayout(a, makeLayout(a.layout.shape, a.layout.strides, a.layout.offset + offset)),
    dtype: 'uint32',
  });
  const temps: Operand[] = [];
  const keep = (o: Operand) => (temps.push(o), o);
  try {
    const low = keep(computeElementwise(memory, UFUNCS.notEqual, [word(0), 0]));
    let high = keep(computeElementwise(memory, UFUNCS.notEqual, [word(4), 0]));
    // A float's sign bit alone (-0.0) is zero.
    if (kind === 'f')
      high = keep(
        computeElementwise(memory, UFUNCS.logicalAnd, [high, keep(computeElementwise(memory, UFUNCS.notEqual, [word(4), 0x80000000]))]),
      );
    return computeElementwise(memory, UFUNCS.logicalOr, [low, high]);
  } finally {
    for (const t of temps) t.storage.free();
  }
}

/** Where `a` is nonzero, compacted: the flat positions and their count. */
async function nonzeroPositions(memory: ArrayMemory, a: Operand): Promise<{ keys: Operand; count: number; release: () => void }> {
  const releases: (() => void)[] = [];
  const release = () => releases.splice(0).forEach((r) => r());
  try {
    let mask = a;
    if (a.dtype !== 'bool') {
      mask = nonzeroMask(memory, a);
      const made = mask;
      releases.push(() => made.storage.free());
    }
    const size = sizeOf(a.layout.shape);
    const keys = temporary(memory, [size], 'uint32');
    const count = temporary(memory, [1], 'uint32');
    releases.push(keys.release, count.release);
    if (size === 0) return { keys: keys.operand, count: 0, release };
    let packed = mask;
    if (!isCContiguous(mask.layout, 1)) {
      const staged = stagedCopy(mask);
      releases.push(staged.release);
      packed = staged.operand;
    }
    memory.backend.compactMask(keys.operand.storage.buffer, count.operand.storage.buffer, packed.storage.buffer, {
      length: size,
      offset: packed.layout.offset,
    });
    const word = await memory.backend.read(count.operand.storage.buffer, 0, 4);
    return { keys: keys.operand, count: new DataView(word.buffer, word.byteOffset, 4).getUint32(0, true), release };
  } catch (error) {
    release();
    throw error;
  }
}

/** Coordinate `axis` of flat C-order positions over `shape`, as a new uint32 operand (or into `out`). */
function unravel(memory: ArrayMemory, positions: Operand, shape: readonly number[], axis: number, out?: Operand): Operand {
  let stride = 1;
  for (let k = axis + 1; k < shape.length; k++) stride *= shape[k];
  const temps: Operand[] = [];
  try {
    let value = positions;
    if (stride !== 1) temps.push((value = computeElementwise(memory, UFUNCS.floorDivide, [value, stride])));
    if (axis > 0) return computeElementwise(memory, UFUNCS.mod, [value, shape[axis]], out);
    if (out) {
      moveElements(out, value);
      return out;
    }
    return copyOperand(value, { order: 'C', dtype: 'uint32' });
  } finally {
    for (const t of temps) t.storage.free();
  }
}

/** The first `count` keys as a 1-D uint32 operand. */
const firstKeys = (keys: Operand, count: number) => withLayout(keys, makeLayout([count], [4], 0));

/** `np.nonzero(a)`: one int32 array of positions per axis (a Promise: the count is on the device). */
export function nonzero(memory: ArrayMemory, a: ArrayOperand): Promise<Operand[]> {
  checkOperandOf(memory, a);
  if (a.layout.shape.length === 0) {
    throw new ValueError('Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.');
  }
  return nonzeroPositions(memory, a).then(({ keys, count, release }) => {
    try {
      const shape = a.layout.shape;
      return shape.map((_, axis) => {
        const coordinate = unravel(memory, firstKeys(keys, count), shape, axis);
        try {
          return copyOperand(coordinate, { order: 'C', dtype: 'int32' });
        } finally {
          coordinate.storage.free();
        }
      });
    } finally {
      release();
    }
  });
}

/** `np.flatnonzero(a)`: the flat positions of the nonzero elements, as int32 (a Promise). */
export function flatnonzero(memory: ArrayMemory, a: ArrayOperand): Promise<Operand> {
  checkOperandOf(memory, a);
  const flat = withLayout(a, atLeast1d(a.layout));
  return nonzeroPositions(memory, flat).then(({ keys, count, release }) => {
    try {
      return copyOperand(firstKeys(keys, count), { order: 'C', dtype: 'int32' });
    } finally {
      release();
    }
  });
}

/** `np.argwhere(a)`: the nonzero elements' coordinates as rows of an int32 (count, ndim) array. */
export function argwhere(memory: ArrayMemory, a: ArrayOperand): Promise<Operand> {
  checkOperandOf(memory, a);
  const shape = a.layout.shape;
  return nonzeroPositions(memory, withLayout(a, atLeast1d(a.layout))).then(({ keys, count, release }) => {
    try {
      const out = temporary(memory, [count, shape.length], 'int32').operand;
      try {
        if (count > 0) {
          shape.forEach((_, axis) => {
            const column = withLayout(out, makeLayout([count], [4 * shape.length], 4 * axis));
            const coordinate = unravel(memory, firstKeys(keys, count), shape, axis);
            try {
              moveElements(column, coordinate);
            } finally {
              coordinate.storage.free();
            }
          });
        }
      } catch (error) {
        out.storage.free();
        throw error;
      }
      return out;
    } finally {
      release();
    }
  });
}

// ------------------------------------------------------------------------------------------------
// compress and extract

/** A condition as an index entry over `axes` axes of `view` starting at `first`: its true positions. */
function conditionEntry(
  memory: ArrayMemory,
  view: Layout,
  condition: IndexArg,
  first: number,
  axes: number,
  flatten: boolean,
  releases: (() => void)[],
): IndexEntry<ArrayOperand> {
  let size = 1;
  for (let k = 0; k < axes; k++) size *= view.shape[first + k];
  if (isArrayOperand(condition)) {
    checkOperandOf(memory, condition);
    if (!flatten && condition.layout.shape.length !== 1) throw new ValueError('condition must be a 1-d array');
    let mask: Operand = condition;
    if (condition.dtype !== 'bool') {
      mask = nonzeroMask(memory, condition);
      const made = mask;
      releases.push(() => made.storage.free());
    }
    return { axis: first, axes, arrayAxis: first, source: { kind: 'mask', array: asArrayOperand(mask) } };
  }
  const host = nestedToHost(condition as NestedArray, 'bool');
  if (!flatten && host.shape.length !== 1) throw new ValueError('condition must be a 1-d array');
  const keys: number[] = [];
  host.bytes.forEach((v, i) => {
    if (v === 0) return;
    if (i >= size) throw new IndexError(outOfBoundsMessage(i, first, size));
    keys.push(i);
  });
  return { axis: first, axes, arrayAxis: first, source: { kind: 'host', shape: [keys.length], keys: Float64Array.from(keys) } };
}

/**
 * `np.compress(condition, a, { axis })`: the slices of `a` along `axis` (of the flattened `a` without one)
 * where `condition` is true. Synchronous for a condition of host data, a Promise for an array's.
 */
export function compress(memory: ArrayMemory, condition: IndexArg, a: ArrayOperand, axis?: number | null): Operand | Promise<Operand> {
  checkOperandOf(memory, a);
  const resolved = resolveAxis(axis, a.layout.shape.length);
  const view = resolved === null ? atLeast1d(a.layout) : a.layout;
  const first = resolved ?? 0;
  const axes = resolved === null ? view.shape.length : 1;
  return selectWhere(memory, a, view, condition, first, axes, false);
}

/** `np.extract(condition, a)`: the elements of the flattened `a` where the flattened condition is true. */
export function extract(memory: ArrayMemory, condition: IndexArg, a: ArrayOperand): Operand | Promise<Operand> {
  checkOperandOf(memory, a);
  const view = atLeast1d(a.layout);
  return selectWhere(memory, a, view, condition, 0, view.shape.length, true);
}

function selectWhere(
  memory: ArrayMemory,
  a: ArrayOperand,
  view: Layout,
  condition: IndexArg,
  first: number,
  axes: number,
  flatten: boolean,
): Operand | Promise<Operand> {
  const releases: (() => void)[] = [];
  const release = () => releases.splice(0).forEach((r) => r());
  try {
    const entry = conditionEntry(memory, view, condition, first, axes, flatten, releases);
    const result = gatherResolved(memory, withLayout(a, view), { view, entries: [entry], insertAt: first });
    if (result instanceof Promise) {
      return result.then(
        (value) => (release(), value),
        (error: unknown) => {
          release();
          throw error;
        },
      );
    }
    release();
    return result;
  } catch (error) {
    release();
    throw error;
  }
}

// ------------------------------------------------------------------------------------------------
// putmask and copyto

/** `np.putmask(a, mask, values)`: where `mask` is true, a takes `values[i % len(values)]` (i the flat
 * position in a); values are cast to a's dtype as NumPy forces them. */
export function putmask(
  memory: ArrayMemory,
  a: ArrayOperand,
  mask: NestedArray | ArrayOperand,
  values: Scalar | NestedArray | ArrayOperand,
): void {
  checkOperandOf(memory, a);
  if (!a.flags.writeable) throw new ValueError('assignment destination is read-only');
  const releases: (() => void)[] = [];
  try {
    const condition = conditionOperand(memory, mask, releases);
    const shape = a.layout.shape;
    if (condition.layout.shape.length !== shape.length || condition.layout.shape.some((n, k) => n !== shape[k])) {
      throw new ValueError('putmask: mask and data must be the same size');
    }
    const size = sizeOf(shape);
    let value: Operand | Scalar;
    if (isScalar(values)) value = forcedScalar(values, a.dtype);
    else {
      const cyclic = cyclicValues(memory, values, a.dtype, size, releases);
      if (cyclic === null) return;
      value = isScalar(cyclic) ? cyclic : withLayout((cyclic as OperandValue).operand, freshLayout(shape, dtypeInfo(a.dtype).itemsize));
    }
    computeElementwise(memory, UFUNCS.where, [condition, value, a], a);
  } finally {
    for (const release of releases) release();
  }
}

/** A scalar forced into `dtype` as NumPy's putmask does (a cast: floats truncate into integers). */
function forcedScalar(value: Scalar, dtype: DType): Scalar {
  const kind = dtypeInfo(dtype).kind;
  if (typeof value === 'number' && (kind === 'i' || kind === 'u') && Number.isFinite(value)) return coerceScalar(Math.trunc(value), dtype);
  return coerceScalar(value, dtype);
}

/** A condition argument as a boolean-ish operand (nested arrays uploaded as bool). */
function conditionOperand(memory: ArrayMemory, condition: NestedArray | ArrayOperand, releases: (() => void)[]): Operand {
  if (isArrayOperand(condition)) {
    checkOperandOf(memory, condition);
    return condition;
  }
  const host = nestedToHost(condition, 'bool');
  const staged = temporary(memory, host.shape, 'bool');
  releases.push(staged.release);
  if (host.bytes.byteLength > 0) memory.backend.write(staged.operand.storage.buffer, 0, host.bytes);
  return staged.operand;
}

/**
 * `np.copyto(dst, src, { where, casting })`: `dst[...] = src` (broadcast), only where `where` is true.
 * `casting` by NumPy's rules (default 'same_kind'); a JS number casts as a Python scalar would under
 * 'same_kind' for every rule but 'unsafe'.
 */
export function copyto(
  memory: ArrayMemory,
  dst: ArrayOperand,
  src: Scalar | NestedArray | ArrayOperand,
  options: { where?: NestedArray | ArrayOperand; casting?: Casting } = {},
): void {
  checkOperandOf(memory, dst);
  if (!dst.flags.writeable) throw new ValueError('assignment destination is read-only');
  const casting = options.casting ?? 'same_kind';
  if (!CASTINGS.includes(casting)) {
    throw new ValueError(`casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe'`);
  }
  const releases: (() => void)[] = [];
  try {
    let source: Operand;
    if (isScalar(src)) {
      if (casting !== 'unsafe' && typeof src === 'number' && !Number.isInteger(src) && dtypeInfo(dst.dtype).kind !== 'f') {
        throw new TypeError(`Cannot cast scalar from dtype('float64') to dtype('${dst.dtype}') according to the rule 'same_kind'`);
      }
      const staged = temporary(memory, [], dst.dtype);
      releases.push(staged.release);
      fillScalar(staged.operand, casting === 'unsafe' ? forcedScalar(src, dst.dtype) : src);
      source = staged.operand;
    } else if (isArrayOperand(src)) {
      checkOperandOf(memory, src);
      if (!canCast(src.dtype, dst.dtype, casting)) {
        throw new TypeError(
          `Cannot cast array data from dtype('${src.dtype}') to dtype('${dst.dtype}') according to the rule '${casting}'`,
        );
      }
      source = src;
    } else {
      const host = nestedToHost(src as NestedArray);
      if (!canCast(host.dtype, dst.dtype, casting)) {
        throw new TypeError(
          `Cannot cast array data from dtype('${host.dtype}') to dtype('${dst.dtype}') according to the rule '${casting}'`,
        );
      }
      const staged = temporary(memory, host.shape, host.dtype);
      releases.push(staged.release);
      if (host.bytes.byteLength > 0) memory.backend.write(staged.operand.storage.buffer, 0, host.bytes);
      source = staged.operand;
    }
    if (options.where === undefined) {
      moveElements(dst, source);
      return;
    }
    const shape = dst.layout.shape;
    if (!broadcastLayout(source.layout, shape)) {
      throw new ValueError(
        `could not broadcast input array from shape ${shapeReprCompact(source.layout.shape)} into shape ${shapeReprCompact(shape)}`,
      );
    }
    const condition = conditionOperand(memory, options.where, releases);
    if (!broadcastLayout(condition.layout, shape)) {
      throw new ValueError(
        `could not broadcast where mask from shape ${shapeReprCompact(condition.layout.shape)} into shape ${shapeReprCompact(shape)}`,
      );
    }
    // The source in dst's dtype first, so that `where` neither promotes nor re-checks the cast.
    if (source.dtype !== dst.dtype) {
      const cast = temporary(memory, source.layout.shape, dst.dtype);
      releases.push(cast.release);
      moveElements(cast.operand, source);
      source = cast.operand;
    }
    computeElementwise(memory, UFUNCS.where, [condition, source, dst], dst);
  } finally {
    for (const release of releases) release();
  }
}
