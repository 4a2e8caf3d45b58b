/**
 * Advanced indexing (NumPy's integer and boolean array indexing) as pure layout math, in two steps:
 *
 * 1. `resolveAdvancedIndex`: the basic items make a view V in which every indexed axis is kept whole;
 *    each index array becomes an *entry* over one or more consecutive axes of V (an integer array over
 *    one; a k-d boolean array over k, selecting like its `nonzero()`; a Python bool over a new length-1
 *    axis). Host data (JS arrays, index strings) is checked here, with NumPy's messages.
 * 2. `indexedSpace`: once every entry's shape is known (a boolean array that lives on the device knows its
 *    count only there), the entries broadcast together into B, which takes the place of the indexed axes
 *    when the advanced items are adjacent in the index, and goes first otherwise. The result R is
 *    (basic axes before, B, basic axes after).
 *
 * Execution works on *keys*: an entry's value at each position of B, normalised and combined into one
 * number, the flat C-order position within the indexed axes (the "key space", of size Π of their
 * lengths). A key locates an element of V through the indexed axes' strides, and equal keys mean the
 * same element, which is how a scatter finds repeated indices.
 */

import type { DType } from './dtype.js';
import { dtypeInfo } from './dtype.js';
import { IndexError, shapeReprCompact } from './errors.js';
import { Ellipsis, HostIndexArray, INVALID_INDEX, Slice, applyIndex, type BasicIndexItem, type ParsedIndexItem } from './indexing.js';
import { broadcastShapes, contiguousStrides, makeLayout, sizeOf, type Layout } from './layout.js';

/** What an entry indexes with. `D` is the caller's array type (an NDArray). */
export type EntrySource<D> =
  /** Host data, checked and normalised: flat positions within the entry's axes, C order over `shape`. */
  | { readonly kind: 'host'; readonly shape: readonly number[]; readonly keys: Float64Array }
  /** An integer array on the device: its values index the entry's one axis (checked on the device). */
  | { readonly kind: 'array'; readonly array: D }
  /** A boolean array on the device over the entry's axes: selects like its `nonzero()`; its shape is
   * `(count,)`, where the count is known on the device. */
  | { readonly kind: 'mask'; readonly array: D };

export interface IndexEntry<D> {
  /** The first axis of the view V that the entry indexes, and how many consecutive axes. */
  readonly axis: number;
  readonly axes: number;
  /** The axis of the indexed array where it starts (NumPy's messages name it). */
  readonly arrayAxis: number;
  readonly source: EntrySource<D>;
  /** A boolean array's entry: NumPy's messages show one `(count,)` index array per axis it covers. */
  readonly bool?: boolean;
}

export interface AdvancedIndex<D> {
  /** The basic items applied, every indexed axis kept whole. */
  readonly view: Layout;
  readonly entries: readonly IndexEntry<D>[];
  /** The number of V's non-indexed axes that come before B in the result (0 when B goes first). */
  readonly insertAt: number;
}

/** The message NumPy gives an out-of-range index. */
export function outOfBoundsMessage(index: number | bigint, axis: number, size: number): string {
  return `index ${index} is out of bounds for axis ${axis} with size ${size}`;
}

const NON_INTEGER_ARRAY = 'arrays used as indices must be of integer (or boolean) type';

/**
 * Step 1: the view of the basic items and the entries of the advanced ones, with NumPy's errors (too many
 * indices, a boolean array of the wrong shape, an out-of-range integer in host data). `arrayOf` reads
 * the shape and dtype of the caller's arrays.
 */
export function resolveAdvancedIndex<D>(
  layout: Layout,
  items: readonly ParsedIndexItem<D>[],
  arrayOf: (item: D) => { shape: readonly number[]; dtype: DType },
): AdvancedIndex<D> {
  const ndim = layout.shape.length;
  // What each item consumes of the array's axes, and whether it is an index array.
  let consumed = 0;
  let ellipses = 0;
  let arrays = 0;
  const described = items.map((item) => {
    if (item === Ellipsis) {
      ellipses++;
      return { item, kind: 'ellipsis' as const, ndim: 0, isBool: false };
    }
    if (item === null || typeof item === 'number' || typeof item === 'bigint' || item instanceof Slice) {
      if (item !== null) consumed++;
      return { item, kind: 'basic' as const, ndim: 0, isBool: false };
    }
    arrays++;
    const { shape, dtype } = item instanceof HostIndexArray ? { shape: item.shape, dtype: item.isBool ? 'bool' : 'int32' } : arrayOf(item);
    const kind = dtypeInfo(dtype as DType).kind;
    if (kind === 'f') throw new IndexError(NON_INTEGER_ARRAY);
    const isBool = kind === 'b';
    consumed += isBool ? shape.length : 1;
    return { item, kind: 'array' as const, ndim: shape.length, isBool };
  });
  if (ellipses > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  if (consumed > ndim) {
    throw new IndexError(`too many indices for array: array is ${ndim}-dimensional, but ${consumed} were indexed`);
  }

  // The basic items of V: each index array keeps its axes whole (`:`), a 0-d boolean adds one.
  const basic: BasicIndexItem[] = [];
  const entries: IndexEntry<D>[] = [];
  const full = new Slice(null, null, null);
  let inAxis = 0;
  let outAxis = 0;
  let firstAdvanced = -1;
  let lastAdvanced = -1;
  let insertAt = 0;
  const noteAdvanced = (position: number) => {
    if (firstAdvanced < 0) {
      firstAdvanced = position;
      insertAt = outAxis;
    }
    lastAdvanced = position;
  };
  described.forEach((d, position) => {
    if (d.kind === 'ellipsis') {
      basic.push(Ellipsis);
      const width = ndim - consumed;
      inAxis += width;
      outAxis += width;
      return;
    }
    if (d.kind === 'basic') {
      basic.push(d.item as BasicIndexItem);
      if (d.item === null) outAxis++;
      else {
        // Integers are advanced indices too when arrays are present (they decide the placement).
        if (typeof d.item === 'number' && arrays > 0) noteAdvanced(position);
        if (d.item instanceof Slice) outAxis++;
        inAxis++;
      }
      return;
    }
    noteAdvanced(position);
    const item = d.item as HostIndexArray | D;
    if (d.isBool && d.ndim === 0) {
      // NumPy's `True`/`False`: a new length-1 axis, indexed with [0] or [].
      basic.push(null);
      const truth = item instanceof HostIndexArray ? item.values[0] !== 0 : null;
      const source: EntrySource<D> =
        truth === null
          ? { kind: 'mask', array: item as D }
          : { kind: 'host', shape: [truth ? 1 : 0], keys: truth ? Float64Array.of(0) : new Float64Array(0) };
      entries.push({ axis: outAxis, axes: 1, arrayAxis: inAxis, source, bool: true });
      outAxis++;
      return;
    }
    const width = d.isBool ? d.ndim : 1;
    for (let k = 0; k < width; k++) basic.push(full);
    const axisSizes = layout.shape.slice(inAxis, inAxis + width);
    let source: EntrySource<D>;
    if (item instanceof HostIndexArray) {
      source = d.isBool ? hostMask(item, axisSizes, inAxis) : hostIntegers(item, axisSizes[0], inAxis);
    } else {
      if (d.isBool) checkMaskShape(arrayOf(item).shape, axisSizes, inAxis);
      source = d.isBool ? { kind: 'mask', array: item } : { kind: 'array', array: item };
    }
    entries.push({ axis: outAxis, axes: width, arrayAxis: inAxis, source, bool: d.isBool });
    inAxis += width;
    outAxis += width;
  });
  const adjacent = lastAdvanced - firstAdvanced + 1 === countAdvanced(described, arrays);
  const view = applyIndex(layout, basic).layout;
  return { view, entries, insertAt: adjacent ? insertAt : 0 };
}

function countAdvanced(described: readonly { item: unknown; kind: string }[], arrays: number): number {
  let n = 0;
  for (const d of described) if (d.kind === 'array' || (arrays > 0 && typeof d.item === 'number')) n++;
  return n;
}

function checkMaskShape(shape: readonly number[], axisSizes: readonly number[], firstAxis: number): void {
  for (let k = 0; k < shape.length; k++) {
    if (shape[k] !== axisSizes[k]) {
      throw new IndexError(
        `boolean index did not match indexed array along axis ${firstAxis + k}; size of axis is ${axisSizes[k]} but size of corresponding boolean axis is ${shape[k]}`,
      );
    }
  }
}

/** An integer index array of host data: checked against the axis and normalised (negative from the end). */
function hostIntegers(array: HostIndexArray, size: number, arrayAxis: number): EntrySource<never> {
  const keys = new Float64Array(array.values.length);
  for (let i = 0; i < keys.length; i++) {
    const v = array.values[i];
    if (v < -size || v >= size) throw new IndexError(outOfBoundsMessage(v, arrayAxis, size));
    keys[i] = v < 0 ? v + size : v;
  }
  return { kind: 'host', shape: array.shape, keys };
}

/** A boolean index array of host data: the flat positions of its true elements (its `nonzero()`). */
function hostMask(array: HostIndexArray, axisSizes: readonly number[], firstAxis: number): EntrySource<never> {
  checkMaskShape(array.shape, axisSizes, firstAxis);
  let count = 0;
  for (let i = 0; i < array.values.length; i++) if (array.values[i] !== 0) count++;
  const keys = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < array.values.length; i++) if (array.values[i] !== 0) keys[at++] = i;
  return { kind: 'host', shape: [count], keys };
}

/** The shape of an entry's index values (`count` for a mask, known once its count is). */
export function entryShape<D>(entry: IndexEntry<D>, shapeOf: (array: D) => readonly number[], maskCount?: number): readonly number[] {
  const source = entry.source;
  if (source.kind === 'host') return source.shape;
  if (source.kind === 'array') return shapeOf(source.array);
  if (maskCount === undefined) throw new Error('internal error: the count of a device mask is not known yet');
  return [maskCount];
}

/** B: the entries' shapes broadcast together, with NumPy's message when they do not (`repeats[k]`: how
 * many index arrays entry k stands for in it — a k-d boolean array's nonzero() makes k). */
export function broadcastIndexShapes(shapes: readonly (readonly number[])[], repeats?: readonly number[]): number[] {
  const b = broadcastShapes(...shapes);
  if (!b) throw indexShapeMismatch(shapes, repeats);
  return b;
}

export function indexShapeMismatch(shapes: readonly (readonly number[])[], repeats?: readonly number[]): IndexError {
  const listed = shapes.flatMap((s, k) => new Array<string>(repeats?.[k] ?? 1).fill(shapeReprCompact(s)));
  return new IndexError(`shape mismatch: indexing arrays could not be broadcast together with shapes ${listed.join(' ')} `);
}

/** How many index arrays each entry stands for in NumPy's messages. */
export function entryRepeats<D>(entries: readonly IndexEntry<D>[]): number[] {
  return entries.map((e) => (e.bool ? e.axes : 1));
}

/**
 * The result space of an advanced index, once B is known: R's shape, and three layouts over R — the
 * basic part of V (stride 0 along B, offset V's), the keys (a packed array of 32-bit keys over B: stride 0
 * along the basic axes), and the key space's shape and V strides (to turn a key into a byte offset).
 */
export interface IndexedSpace {
  readonly shape: readonly number[];
  /** Where B's axes are in R: `[bStart, bStart + B.length)`. */
  readonly bStart: number;
  readonly b: readonly number[];
  readonly basic: Layout;
  readonly keys: Layout;
  /** The indexed axes of V (the key space): lengths and byte strides, in V's order. */
  readonly keySpace: { readonly shape: readonly number[]; readonly strides: readonly number[] };
}

export const KEY_BYTES = 4;

export function indexedSpace<D>(adv: AdvancedIndex<D>, b: readonly number[]): IndexedSpace {
  const view = adv.view;
  const indexed = new Set<number>();
  for (const e of adv.entries) for (let k = 0; k < e.axes; k++) indexed.add(e.axis + k);
  const basicAxes: number[] = [];
  const keyAxes: number[] = [];
  view.shape.forEach((_, k) => (indexed.has(k) ? keyAxes : basicAxes).push(k));
  const before = basicAxes.slice(0, adv.insertAt);
  const after = basicAxes.slice(adv.insertAt);
  const keyStrides = contiguousStrides(b, KEY_BYTES, 'C');
  const shape = [...before.map((k) => view.shape[k]), ...b, ...after.map((k) => view.shape[k])];
  const zeros = (n: number) => new Array<number>(n).fill(0);
  const basicStrides = [...before.map((k) => view.strides[k]), ...zeros(b.length), ...after.map((k) => view.strides[k])];
  const keysStrides = [...zeros(before.length), ...keyStrides, ...zeros(after.length)];
  return {
    shape,
    bStart: before.length,
    b,
    basic: makeLayout(shape, basicStrides, view.offset),
    keys: makeLayout(shape, sizeOf(b) === 0 ? zeros(shape.length) : keysStrides, 0),
    keySpace: keySpaceOf(adv),
  };
}

/**
 * The key space: the indexed axes of V in order, each with its length and byte stride — except that an
 * entry whose axes all have stride 0 (a writeable broadcast view: its elements are one memory location)
 * counts as one element, so that its indices give equal keys where they give the same element, and
 * repeated writes resolve as repeated indices do (the last one wins).
 */
function keyAxes<D>(adv: AdvancedIndex<D>): { shape: number[]; strides: number[] } {
  const shape: number[] = [];
  const strides: number[] = [];
  for (const e of adv.entries) {
    const aliased = aliasedEntry(adv, e);
    for (let k = 0; k < e.axes; k++) {
      shape.push(aliased ? 1 : adv.view.shape[e.axis + k]);
      strides.push(adv.view.strides[e.axis + k]);
    }
  }
  return { shape, strides };
}

function aliasedEntry<D>(adv: AdvancedIndex<D>, entry: IndexEntry<D>): boolean {
  for (let k = 0; k < entry.axes; k++) if (adv.view.strides[entry.axis + k] !== 0) return false;
  return true;
}

export function keySpaceOf<D>(adv: AdvancedIndex<D>): { readonly shape: readonly number[]; readonly strides: readonly number[] } {
  return keyAxes(adv);
}

/**
 * Each entry's multiplier in the key space: the C-order stride (in keys) of its last axis among the
 * indexed axes, so that key = Σ value × multiplier (0 for an entry of aliased axes, see keyAxes).
 */
export function entryMultipliers<D>(adv: AdvancedIndex<D>): number[] {
  const sizes = keyAxes(adv).shape;
  const strides = contiguousStrides(sizes, 1, 'C');
  const multipliers: number[] = [];
  let at = 0;
  for (const e of adv.entries) {
    at += e.axes;
    multipliers.push(sizes.length === 0 || aliasedEntry(adv, e) ? 0 : strides[at - 1]);
  }
  return multipliers;
}

/** The number of keys of the key space. */
export function keySpaceCount<D>(adv: AdvancedIndex<D>): number {
  return sizeOf(keyAxes(adv).shape);
}

/** The number of elements an entry's values range over (its axes' lengths multiplied). */
export function entryRange<D>(adv: AdvancedIndex<D>, entry: IndexEntry<D>): number {
  let n = 1;
  for (let k = 0; k < entry.axes; k++) n *= adv.view.shape[entry.axis + k];
  return n;
}

/**
 * The keys of host entries over B in C order: Σ value × multiplier, each entry broadcast to B. Host
 * values were normalised when they were resolved.
 */
export function hostKeys(
  sources: readonly { shape: readonly number[]; keys: Float64Array; multiplier: number }[],
  b: readonly number[],
): Float64Array {
  const size = sizeOf(b);
  const out = new Float64Array(size);
  const rank = b.length;
  for (const source of sources) {
    // The source's strides over B (in values), 0 along broadcast axes.
    const strides = new Array<number>(rank).fill(0);
    const lead = rank - source.shape.length;
    const own = contiguousStrides(source.shape, 1, 'C');
    source.shape.forEach((n, k) => {
      if (n !== 1) strides[lead + k] = own[k];
    });
    const counter = new Array<number>(rank).fill(0);
    let at = 0;
    for (let i = 0; i < size; i++) {
      out[i] += source.keys[at] * source.multiplier;
      for (let k = rank - 1; k >= 0; k--) {
        counter[k]++;
        at += strides[k];
        if (counter[k] < b[k]) break;
        at -= strides[k] * b[k];
        counter[k] = 0;
      }
    }
  }
  return out;
}

/** A key that selects nothing: gathers write zero for it, scatters skip it. */
export const INVALID_KEY = 0xffffffff;

export { INVALID_INDEX };
