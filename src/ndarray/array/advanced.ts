/**
 * Advanced indexing on operands (NumPy's integer and boolean array indexing): `get` gathers into new
 * memory, `set` scatters in place. The rules are core/advanced-index.ts's; this module turns the index
 * arrays into keys on the device (or on the host, for host data), and runs the gather or scatter plan.
 *
 * Where index arrays live:
 * - host data (JS arrays, index strings) is checked at the call, with NumPy's messages;
 * - integer arrays on the device are checked on the device by the key passes: an index out of range
 *   never reaches memory, the operation's writes wait on the checks (none happens if one fails), and the
 *   IndexError surfaces at the next read or sync;
 * - boolean arrays on the device are compacted there into the flat positions of their true elements.
 *   Their count is not known on the host, so every shape that depends on it is planned at its capacity
 *   (the mask's size): a get gathers into a temporary of that capacity and, once the count has been
 *   read, crops it (the call returns a Promise); a set writes only valid places, and where the count must
 *   match something (a value's length, another index array), a device check says whether it did.
 */

import type { CheckToken, DeviceCheck } from '../../device/backend.js';
import {
  INVALID_KEY,
  KEY_BYTES,
  broadcastIndexShapes,
  entryMultipliers,
  entryRepeats,
  indexShapeMismatch as shapeMismatchError,
  entryRange,
  hostKeys,
  indexedSpace,
  keySpaceCount,
  outOfBoundsMessage,
  resolveAdvancedIndex,
  type AdvancedIndex,
  type IndexEntry,
  type IndexedSpace,
} from '../core/advanced-index.js';
import { dtypeInfo, type DType, type ItemSize } from '../core/dtype.js';
import { IndexError, ValueError, shapeReprCompact } from '../core/errors.js';
import { isTypedArray, nestedToHost, type NestedArray } from '../core/host.js';
import { planGather, planKeys, planScatter } from '../core/index-plan.js';
import { HostIndexArray, type ParsedIndexItem } from '../core/indexing.js';
import { broadcastLayout, freshLayout, isCContiguous, makeLayout, sizeOf, type Layout } from '../core/layout.js';
import { isScalar, type Scalar } from '../core/scalars.js';
import { checkRank } from '../core/shape-args.js';
import { copyOperand, fillScalar, moveElements, stagedCopy } from './assign.js';
import type { ArrayMemory } from './memory.js';
import { checkOperandOf, isArrayOperand, temporary, withLayout, type ArrayOperand, type Operand } from './operand.js';

/** A value already in memory of this context (a routine's temporary), written as it is. */
export class OperandValue {
  constructor(readonly operand: Operand) {}
}

/** What `set` writes: a scalar, nested arrays or an array of this context. */
export type IndexValue = Scalar | NestedArray | ArrayOperand | OperandValue;

type Entry = IndexEntry<ArrayOperand>;
type Advanced = AdvancedIndex<ArrayOperand>;

/** Temporaries of one operation, released together. */
class Scratch {
  readonly #releases: (() => void)[] = [];
  constructor(readonly memory: ArrayMemory) {}
  temporary(shape: readonly number[], dtype: DType): Operand {
    const t = temporary(this.memory, shape, dtype);
    this.#releases.push(t.release);
    return t.operand;
  }
  adopt(release: () => void): void {
    this.#releases.push(release);
  }
  release(): void {
    for (const release of this.#releases.splice(0)) release();
  }
}

/** Reads an index array's shape and dtype, checking that it may be used here. */
function arrayReader(memory: ArrayMemory) {
  return (array: ArrayOperand) => {
    checkOperandOf(memory, array, 'an index array must belong to the same ndgpu context as the array it indexes');
    return { shape: array.layout.shape, dtype: array.dtype };
  };
}

/** Resolves `items` against `array` (see resolveAdvancedIndex). */
export function resolveIndex(memory: ArrayMemory, layout: Layout, items: readonly ParsedIndexItem<ArrayOperand>[]): Advanced {
  return resolveAdvancedIndex(layout, items, arrayReader(memory));
}

// ------------------------------------------------------------------------------------------------
// Masks on the device

/** A boolean array's compaction: the flat positions of its true elements (then invalid keys) in a packed
 * uint32 array of `capacity` keys, and their count in a one-word array. */
interface Compacted {
  readonly keys: Operand;
  readonly count: Operand;
  readonly capacity: number;
  /** The mask's number of elements (its keys lie below it). */
  readonly size: number;
}

function compactMask(scratch: Scratch, mask: Operand, capacity: number): Compacted {
  const size = sizeOf(mask.layout.shape);
  const keys = scratch.temporary([capacity], 'uint32');
  const count = scratch.temporary([1], 'uint32');
  let packed = mask;
  if (!isCContiguous(mask.layout, 1) && size > 0) {
    const staged = stagedCopy(mask);
    scratch.adopt(staged.release);
    packed = staged.operand;
  }
  const backend = scratch.memory.backend;
  if (size > 0)
    backend.compactMask(keys.storage.buffer, count.storage.buffer, packed.storage.buffer, { length: size, offset: packed.layout.offset });
  else fillScalar(count, 0);
  // Places beyond the mask (a capacity raised to another index array's length) hold no key either.
  if (capacity > size) fillScalar(withLayout(keys, makeLayout([capacity - size], [KEY_BYTES], size * KEY_BYTES)), INVALID_KEY);
  return { keys, count, capacity, size };
}

/**
 * The shape B of the index arrays broadcast together, where masks on the device count as `(capacity,)`:
 * their counts line up with B's last axis. Its length is `fixed` where another index array (or a set's
 * value) fixes it, else the largest mask's size, and places beyond the counts hold invalid keys. A mask
 * whose count is 1 broadcasts (its key is spread over the axis) where something else sets the length.
 */
interface MaskedShape {
  readonly b: number[];
  /** The length of B's last axis, and what fixed it (null: the masks' counts, up to their capacity). */
  readonly last: number;
  readonly fixed: number | null;
  /** Whether the fixed length comes from the value of a set (whose length must match exactly). */
  readonly byValue: boolean;
}

function maskedShape(adv: Advanced, maskSizes: readonly number[], fixedByValue: number | null): MaskedShape {
  const unmasked = adv.entries.filter((e) => e.source.kind !== 'mask');
  const others = broadcastIndexShapes(unmasked.map(shapeOf), entryRepeats(unmasked));
  const ownLast = others.length > 0 && others[others.length - 1] !== 1 ? others[others.length - 1] : null;
  const fixed = ownLast ?? fixedByValue;
  const last = fixed ?? Math.max(...maskSizes);
  const b = broadcastIndexShapes([others, [last]]);
  return { b, last, fixed, byValue: ownLast === null && fixedByValue !== null };
}

/**
 * Device checks that the masks' counts fit B as planned (the fixed length, or 1 where broadcasting
 * allows it; with no fixed length, broadcastable among themselves), and the spreading of single
 * selections that broadcast.
 */
function checkMaskCounts(
  scratch: Scratch,
  maskEntries: readonly Entry[],
  masks: Map<Entry, Compacted>,
  shape: MaskedShape,
  error: (counts: ReadonlyMap<Entry, number>) => Error,
): CheckToken[] {
  const backend = scratch.memory.backend;
  const gates: CheckToken[] = [];
  const counts = maskEntries.map((e) => masks.get(e)!);
  const single = counts.length === 1;
  // A failure names the count seen (and, checked against another mask, that mask's count).
  const check = (k: number, other: number | null): DeviceCheck => ({
    error: (n, expected) =>
      error(new Map([[maskEntries[k], Number(n)], ...(other === null ? [] : ([[maskEntries[other], expected ?? 0]] as const))])),
  });
  counts.forEach((c, k) => {
    if (shape.fixed !== null) {
      // A value's length must be met exactly by a lone mask; index arrays broadcast a count of 1.
      const broadcast = !(shape.byValue && single);
      gates.push(backend.checkCount(c.count.storage.buffer, shape.fixed, broadcast, check(k, null)));
      if (broadcast && shape.last > 1) backend.spreadKey(c.keys.storage.buffer, c.count.storage.buffer, shape.last);
    } else if (!single) {
      for (let j = 0; j < k; j++) gates.push(backend.checkCount(c.count.storage.buffer, counts[j].count.storage.buffer, true, check(k, j)));
      if (shape.last > 1) backend.spreadKey(c.keys.storage.buffer, c.count.storage.buffer, shape.last);
    }
  });
  return gates;
}

/** B's last length once the masks' counts are known: the fixed one, or the counts broadcast together. */
function finalLast(shape: MaskedShape, counts: readonly number[]): number {
  if (shape.fixed !== null) return shape.fixed;
  const wide = counts.find((n) => n !== 1);
  return wide ?? 1;
}

// ------------------------------------------------------------------------------------------------
// Keys

interface Keys {
  /** Packed uint32 keys over B (C order); null when B is empty. */
  readonly operand: Operand | null;
  /** The checks the keys' device passes made. */
  readonly gates: CheckToken[];
  /** Whether device passes made them (so repeats are not known on the host). */
  readonly onDevice: boolean;
  /** Whether they cannot repeat (one mask's positions). */
  readonly distinct?: boolean;
}

/**
 * The keys of `adv`'s entries over `b`: host entries combined on the host (and, with `lastOnly`, their
 * repeats but the last made invalid there), device entries by key passes that check every index.
 */
function makeKeys(scratch: Scratch, adv: Advanced, b: readonly number[], masks: Map<Entry, Compacted>, lastOnly: boolean): Keys {
  const size = sizeOf(b);
  const space = keySpaceSize(adv);
  if (size === 0) return { operand: null, gates: [], onDevice: false };
  const multipliers = entryMultipliers(adv);
  // One mask alone: its compaction's positions are the keys already (each below the mask's size, which
  // its axes hold; invalid past the count), no key pass needed.
  const lone = adv.entries.length === 1 ? masks.get(adv.entries[0]) : undefined;
  if (lone && multipliers[0] === 1 && b.length === 1 && b[0] <= lone.capacity && lone.size <= entryRange(adv, adv.entries[0])) {
    return { operand: withLayout(lone.keys, freshLayout(b, KEY_BYTES)), gates: [], onDevice: true, distinct: true };
  }
  const host = adv.entries.flatMap((e, j) => (e.source.kind === 'host' ? [{ ...e.source, multiplier: multipliers[j] }] : []));
  const device = adv.entries.filter((e) => e.source.kind !== 'host');
  const keys = scratch.temporary(b, 'uint32');
  const backend = scratch.memory.backend;
  if (host.length > 0 || device.length === 0) {
    const values = hostKeys(host, b);
    const words = Uint32Array.from(values);
    if (lastOnly && device.length === 0) keepLastOccurrences(words, space);
    backend.write(keys.storage.buffer, 0, new Uint8Array(words.buffer));
  }
  const gates: CheckToken[] = [];
  const keysLayout = freshLayout(b, KEY_BYTES);
  device.forEach((entry, k) => {
    const j = adv.entries.indexOf(entry);
    const compacted = masks.get(entry);
    const index = compacted
      ? withLayout(compacted.keys, freshLayout([b[b.length - 1]], KEY_BYTES))
      : (entry.source as { array: ArrayOperand }).array;
    const range = entryRange(adv, entry);
    const layout = broadcastLayout(index.layout, b) as Layout;
    const plan = planKeys(
      keysLayout,
      layout,
      index.dtype,
      dtypeInfo(index.dtype).itemsize,
      range,
      multipliers[j],
      host.length > 0 || k > 0,
      compacted !== undefined,
    );
    if (!plan) return;
    const check: DeviceCheck = { error: (value) => new IndexError(outOfBoundsMessage(value, entry.arrayAxis, range)) };
    gates.push(backend.indexKeys(keys.storage.buffer, index.storage.buffer, plan, check));
  });
  return { operand: keys, gates, onDevice: device.length > 0 };
}

/** The number of keys of the indexed axes; keys must stay below INVALID_KEY. */
function keySpaceSize(adv: Advanced): number {
  const n = keySpaceCount(adv);
  if (n >= INVALID_KEY) throw new ValueError(`the indexed axes hold ${n} elements; advanced indexing handles fewer than 2**32 - 1`);
  return n;
}

/** Makes every key but its last occurrence invalid (NumPy's sequential assignment leaves the last value). */
function keepLastOccurrences(keys: Uint32Array, space: number): void {
  if (space <= 1 << 27) {
    const seen = new Uint8Array(Math.ceil(space / 8));
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const bit = 1 << (key & 7);
      if (seen[key >> 3] & bit) keys[i] = INVALID_KEY;
      else seen[key >> 3] |= bit;
    }
    return;
  }
  const seen = new Set<number>();
  for (let i = keys.length - 1; i >= 0; i--) {
    if (seen.has(keys[i])) keys[i] = INVALID_KEY;
    else seen.add(keys[i]);
  }
}

// ------------------------------------------------------------------------------------------------
// get

/**
 * `array[items]` with advanced items: new memory holding the selection (a Promise of it when a boolean
 * array on the device is among the items). Errors of host data are thrown at once.
 */
export function advancedGet(
  memory: ArrayMemory,
  array: ArrayOperand,
  items: readonly ParsedIndexItem<ArrayOperand>[],
): Operand | Promise<Operand> {
  const adv = resolveIndex(memory, array.layout, items);
  return gatherResolved(memory, array, adv);
}

/** The gather of a resolved index (also for take, compress and extract, which build theirs). */
export function gatherResolved(memory: ArrayMemory, array: Operand, adv: Advanced): Operand | Promise<Operand> {
  const scratch = new Scratch(memory);
  try {
    const maskEntries = adv.entries.filter((e) => e.source.kind === 'mask');
    if (maskEntries.length > 0) return gatherMasked(scratch, array, adv, maskEntries);
    const b = broadcastIndexShapes(
      adv.entries.map((e) => shapeOf(e)),
      entryRepeats(adv.entries),
    );
    const space = indexedSpace(adv, b);
    const out = gatherInto(scratch, array, adv, space, new Map());
    scratch.release();
    return out;
  } catch (error) {
    scratch.release();
    throw error;
  }
}

function shapeOf(entry: Entry): readonly number[] {
  const source = entry.source;
  if (source.kind === 'host') return source.shape;
  if (source.kind === 'array') return source.array.layout.shape;
  throw new Error('internal error: a mask has no shape before its count is known');
}

/** New memory over `space`, gathered from `array` (checked index passes included). */
function gatherInto(scratch: Scratch, array: Operand, adv: Advanced, space: IndexedSpace, masks: Map<Entry, Compacted>): Operand {
  checkRank(space.shape.length);
  const memory = scratch.memory;
  const out = temporary(memory, space.shape, array.dtype);
  try {
    const keys = makeKeys(scratch, adv, space.b, masks, false);
    const itemsize = dtypeInfo(array.dtype).itemsize as ItemSize;
    const plan = keys.operand ? planGather(out.operand.layout, space.basic, space.keys, adv.view, itemsize, space.keySpace) : null;
    // An empty array has no element any key could select (its checks fail): the result stays zeros.
    if (plan && array.storage.byteLength === 0) fillScalar(out.operand, 0);
    else if (plan && keys.operand)
      memory.backend.gather(out.operand.storage.buffer, array.storage.buffer, keys.operand.storage.buffer, plan);
  } catch (error) {
    out.release();
    throw error;
  }
  return out.operand;
}

/**
 * A gather with boolean arrays on the device: planned at capacity (see MaskedShape) at the call, so that
 * later writes to the operands cannot change what it reads; cropped once the counts are read.
 */
function gatherMasked(scratch: Scratch, array: Operand, adv: Advanced, maskEntries: readonly Entry[]): Promise<Operand> {
  const memory = scratch.memory;
  const sizes = maskEntries.map((e) => sizeOf((e.source as { array: ArrayOperand }).array.layout.shape));
  const shape = maskedShape(adv, sizes, null);
  const masks = new Map<Entry, Compacted>();
  maskEntries.forEach((e, k) =>
    masks.set(e, compactMask(scratch, (e.source as { array: ArrayOperand }).array, Math.max(sizes[k], shape.last))),
  );
  checkMaskCounts(scratch, maskEntries, masks, shape, (counts) => indexShapeMismatch(adv, maskEntries, counts));
  const capacitySpace = indexedSpace(adv, shape.b);
  const atCapacity = gatherInto(scratch, array, adv, capacitySpace, masks);
  const counts = maskEntries.map((e) => masks.get(e)!.count);
  let reads: Promise<Uint8Array[]>;
  try {
    reads = Promise.all(counts.map((c) => memory.backend.read(c.storage.buffer, 0, 4)));
  } catch (error) {
    atCapacity.storage.free();
    throw error;
  }
  return reads.then(
    (words) => {
      try {
        const counts = words.map((w) => new DataView(w.buffer, w.byteOffset, 4).getUint32(0, true));
        const b = [...shape.b.slice(0, -1), finalLast(shape, counts)];
        const exact = indexedSpace(adv, b);
        if (sizeOf(exact.shape) === sizeOf(capacitySpace.shape))
          return withLayout(atCapacity, freshLayout(exact.shape, dtypeInfo(array.dtype).itemsize));
        // The selection is the leading part of the capacity along B's last axis: copy it out.
        const region = withLayout(atCapacity, makeLayout(exact.shape, atCapacity.layout.strides, 0));
        const cropped = copyOperand(region, { order: 'C' });
        atCapacity.storage.free();
        return cropped;
      } finally {
        scratch.release();
      }
    },
    (error: unknown) => {
      atCapacity.storage.free();
      scratch.release();
      throw error;
    },
  );
}

/** NumPy's message for index arrays that do not broadcast, masks' counts standing for their shapes
 * (those not known here shown as the failing one's). */
function indexShapeMismatch(adv: Advanced, maskEntries: readonly Entry[], counts: ReadonlyMap<Entry, number>): IndexError {
  const failing = [...counts.values()][0];
  const shapes = adv.entries.map((e) => (maskEntries.includes(e) ? [counts.get(e) ?? failing] : shapeOf(e)));
  return shapeMismatchError(shapes, entryRepeats(adv.entries));
}

// ------------------------------------------------------------------------------------------------
// set

/**
 * `target[items] = value` with advanced items, in place. The value broadcasts to the indexed shape;
 * where keys repeat, the last occurrence's value is written. Nothing is written when a check fails.
 */
export function advancedSet(
  memory: ArrayMemory,
  target: Operand,
  items: readonly ParsedIndexItem<ArrayOperand>[],
  value: IndexValue,
): void {
  const adv = resolveIndex(memory, target.layout, items);
  scatterResolved(memory, target, adv, value, isFullMask(items, target.layout.shape.length));
}

/** Whether the index is one boolean array as deep as the array (NumPy's own path, with its own messages). */
function isFullMask(items: readonly ParsedIndexItem<ArrayOperand>[], ndim: number): boolean {
  if (items.length !== 1 || ndim === 0) return false;
  const item = items[0];
  if (item instanceof HostIndexArray) return item.isBool && item.shape.length === ndim;
  return isArrayOperand(item) && item.dtype === 'bool' && item.layout.shape.length === ndim;
}

/** The scatter of a resolved index (also for put, which builds its own). */
export function scatterResolved(memory: ArrayMemory, target: Operand, adv: Advanced, value: IndexValue, fullMask = false): void {
  const scratch = new Scratch(memory);
  try {
    const maskEntries = adv.entries.filter((e) => e.source.kind === 'mask');
    const masks = new Map<Entry, Compacted>();
    let space: IndexedSpace;
    let source: Operand;
    const gates: CheckToken[] = [];
    if (maskEntries.length === 0) {
      const b = broadcastIndexShapes(adv.entries.map(shapeOf), entryRepeats(adv.entries));
      space = indexedSpace(adv, b);
      const prepared = valueOperand(scratch, target, value, space, null, fullMask);
      source = withLayout(prepared.operand, valueLayout(prepared.operand, prepared.shape, space.shape));
    } else {
      const sizes = maskEntries.map((e) => sizeOf((e.source as { array: ArrayOperand }).array.layout.shape));
      // The value may fix B's last axis (its length along it must then be the masks' count).
      const probe = maskedShape(adv, sizes, null);
      const prepared = valueOperand(scratch, target, value, indexedSpace(adv, probe.b), probe, fullMask);
      const shape = maskedShape(adv, sizes, prepared.fixes);
      maskEntries.forEach((e, k) =>
        masks.set(e, compactMask(scratch, (e.source as { array: ArrayOperand }).array, Math.max(sizes[k], shape.last))),
      );
      space = indexedSpace(adv, shape.b);
      // A count that differs from the value's length is the value's error; from another index array's, the index's.
      const mismatch =
        probe.fixed === null && prepared.fixes !== null
          ? (counts: ReadonlyMap<Entry, number>) =>
              valueMismatch(prepared.shape, indexedSpace(adv, [...shape.b.slice(0, -1), [...counts.values()][0]]).shape, fullMask)
          : (counts: ReadonlyMap<Entry, number>) => indexShapeMismatch(adv, maskEntries, counts);
      gates.push(...checkMaskCounts(scratch, maskEntries, masks, shape, mismatch));
      source = withLayout(prepared.operand, valueLayout(prepared.operand, prepared.shape, space.shape));
    }
    const keys = makeKeys(scratch, adv, space.b, masks, variesAlongB(source.layout, space));
    gates.push(...keys.gates);
    if (keys.operand && sizeOf(space.shape) > 0) {
      const lastWins =
        keys.onDevice && !keys.distinct && variesAlongB(source.layout, space) ? { keys: sizeOf(space.b), space: keySpaceSize(adv) } : null;
      const itemsize = dtypeInfo(target.dtype).itemsize as ItemSize;
      const [basic, valueLayout, keysLayout] = lastAlongAliasedAxes(space, [space.basic, source.layout, space.keys]);
      const plan = planScatter(basic, valueLayout, keysLayout, adv.view, itemsize, space.keySpace, lastWins);
      if (plan && target.storage.byteLength > 0)
        memory.backend.scatter(target.storage.buffer, source.storage.buffer, keys.operand.storage.buffer, plan, gates);
    }
  } finally {
    scratch.release();
  }
}

/**
 * A target whose basic axes alias (length > 1, stride 0: a writeable broadcast view) holds one element
 * along each: NumPy's sequential loop leaves the value written last, so only that last slice is written
 * (parallel writes of the others would race), as `moveElements` does.
 */
function lastAlongAliasedAxes(space: IndexedSpace, layouts: readonly Layout[]): Layout[] {
  const basic = space.basic;
  const aliased = basic.shape.flatMap((n, k) =>
    n > 1 && basic.strides[k] === 0 && (k < space.bStart || k >= space.bStart + space.b.length) ? [k] : [],
  );
  if (aliased.length === 0) return [...layouts];
  return layouts.map((l) => {
    const shape = [...l.shape];
    let offset = l.offset;
    for (const k of aliased) {
      offset += (shape[k] - 1) * l.strides[k];
      shape[k] = 1;
    }
    return makeLayout(shape, l.strides, offset);
  });
}

/** Whether the value differs along B (repeated keys could then write different values). */
function variesAlongB(value: Layout, space: IndexedSpace): boolean {
  for (let k = space.bStart; k < space.bStart + space.b.length; k++) if (value.strides[k] !== 0 && value.shape[k] > 1) return true;
  return false;
}

/**
 * The value as an operand of the target's dtype, broadcast to `space` (staged through a temporary when
 * it shares the target's memory, has another dtype, or is host data). With masks on the device
 * (`masked`), B's last axis is only known up to capacity: `fixes` is the value's length along it,
 * which the masks' count must then equal (null when the value broadcasts along it).
 */
function valueOperand(
  scratch: Scratch,
  target: Operand,
  value: IndexValue,
  space: IndexedSpace,
  masked: MaskedShape | null,
  fullMask: boolean,
): { operand: Operand; shape: readonly number[]; fixes: number | null } {
  const memory = scratch.memory;
  const dtype = target.dtype;
  let operand: Operand;
  if (isScalar(value)) {
    operand = scratch.temporary([], dtype);
    fillScalar(operand, value);
  } else if (value instanceof OperandValue) {
    operand = value.operand;
  } else if (isArrayOperand(value)) {
    value.checkUsable();
    if (value.memory !== memory)
      throw new ValueError('cannot assign an array from another ndgpu context; copy it through toArray() or data()');
    operand = value;
  } else if (Array.isArray(value)) {
    const host = nestedToHost(value as NestedArray, dtype);
    operand = scratch.temporary(host.shape, dtype);
    if (host.bytes.byteLength > 0) memory.backend.write(operand.storage.buffer, 0, host.bytes);
  } else if (isTypedArray(value)) {
    throw new TypeError('set() takes a scalar, nested arrays or an NDArray; wrap a TypedArray with np.array(data, { shape })');
  } else {
    throw new TypeError(`cannot assign a value of type ${value === null ? 'null' : typeof value} to an array element`);
  }
  if (fullMask && operand.layout.shape.length > 1) {
    throw new TypeError(
      `NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, input has ${operand.layout.shape.length} dimensions`,
    );
  }
  // NumPy drops leading length-1 axes of a value deeper than the indexed shape.
  let shape = operand.layout.shape;
  let lead = 0;
  while (shape.length - lead > space.shape.length && shape[lead] === 1) lead++;
  if (lead > 0) {
    operand = withLayout(operand, makeLayout(shape.slice(lead), operand.layout.strides.slice(lead), operand.layout.offset));
    shape = operand.layout.shape;
  }
  let fixes: number | null = null;
  const lastAxis = space.bStart + space.b.length - 1;
  const aligned = lastAxis - (space.shape.length - shape.length);
  if (masked && aligned >= 0 && shape[aligned] !== 1) fixes = shape[aligned];
  if (masked && masked.fixed !== null && fixes !== null && fixes !== masked.fixed) throw valueMismatch(shape, space.shape, fullMask);
  // Broadcast against the space (with the masks' axis at the value's own length where it fixes it).
  const against = fixes !== null ? space.shape.map((n, k) => (k === lastAxis ? fixes : n)) : space.shape;
  if (!broadcastLayout(operand.layout, against)) throw valueMismatch(shape, space.shape, fullMask);
  if (operand.dtype !== dtype || operand.storage === target.storage) {
    const staged = scratch.temporary(shape, dtype);
    moveElements(staged, operand);
    operand = staged;
  }
  return { operand, shape, fixes };
}

/** The value's layout over the final space (with B's last axis at its final length). */
function valueLayout(value: Operand, shape: readonly number[], spaceShape: readonly number[]): Layout {
  return broadcastLayout(withLayout(value, makeLayout(shape, value.layout.strides, value.layout.offset)).layout, spaceShape) as Layout;
}

function valueMismatch(value: readonly number[], indexed: readonly number[], fullMask: boolean): ValueError {
  if (fullMask) {
    const n = sizeOf(value);
    return new ValueError(
      `NumPy boolean array indexing assignment cannot assign ${n} input values to the ${sizeOf(indexed)} output values where the mask is true`,
    );
  }
  return new ValueError(
    `shape mismatch: value array of shape ${shapeReprCompact(value)} could not be broadcast to indexing result of shape ${shapeReprCompact(indexed)}`,
  );
}
