/**
 * Basic indexing in three phases: parse (a NumPy index string or an item list becomes IndexItems),
 * resolve (ellipsis expansion, error checks, NumPy's messages), apply (compose the view algebra's
 * `pickIndex`, `sliceAxis` and `insertNewAxis`). Always yields a view layout.
 */

import { IndexError, OverflowError, ValueError } from './errors.js';
import { type Layout } from './layout.js';
import { checkIndexingRank } from './limits.js';

/** A Python slice: omitted bounds are `undefined` or `null`. */
export class Slice {
  /** First index (null: from the start, or from the end for a negative step). */
  readonly start: number | null;
  /** Index to stop before (null: to the end, or to the start for a negative step). */
  readonly stop: number | null;
  /** Distance between selected indices (null: 1); never 0. */
  readonly step: number | null;
  constructor(start?: number | null, stop?: number | null, step?: number | null) {
    this.start = start ?? null;
    this.stop = stop ?? null;
    this.step = step ?? null;
    for (const bound of [this.start, this.stop, this.step]) {
      if (bound !== null && !Number.isInteger(bound)) {
        throw new TypeError('slice indices must be integers or None or have an __index__ method');
      }
    }
  }
  /** Python's spelling, `slice(1, None, 2)`. */
  toString(): string {
    const part = (v: number | null) => (v === null ? '' : String(v));
    return this.step === null ? `${part(this.start)}:${part(this.stop)}` : `${part(this.start)}:${part(this.stop)}:${part(this.step)}`;
  }
}

/** `slice(start?, stop?, step?)` like Python's; `slice()` is `:`, `slice(3)` is `:3`. */
export function slice(start?: number | null, stop?: number | null, step?: number | null): Slice {
  if (arguments.length === 1) return new Slice(null, start, null);
  return new Slice(start, stop, step);
}

/** NumPy's `...` as an index item: as many full slices as the other items leave axes. */
export const Ellipsis = '...' as const;

/** One component of an index: an integer, a slice, `null` (newaxis) or `'...'`. An integer beyond
 * 2^53 is a bigint (it is out of bounds on every axis, and NumPy's message spells it exactly). */
export type IndexItem = number | bigint | Slice | null | typeof Ellipsis;
/** What `get`/`set` accept: one index string, one item, or a list of items. */
export type Index = string | IndexItem | readonly IndexItem[];

const INVALID_INDEX =
  'only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices';

// ---------------------------------------------------------------------------------------------
// Phase 1: parse

function parseInteger(text: string): number | bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new IndexError(INVALID_INDEX);
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : exactIndex(BigInt(text));
}

/**
 * An integer index beyond 2^53 as NumPy takes a Python int: within int64 it is an index (out of bounds
 * everywhere); up to 2^64 NumPy fails to convert it; beyond, it is not an index at all.
 */
function exactIndex(value: bigint): bigint {
  if (value >= 2n ** 64n || value < -(2n ** 63n)) throw new IndexError(INVALID_INDEX);
  if (value >= 2n ** 63n) throw new OverflowError('Python int too large to convert to C long');
  return value;
}

function parseSliceBound(text: string): number | null {
  const t = text.trim();
  if (t === '' || t === 'None') return null;
  if (!/^[+-]?\d+$/.test(t)) {
    throw new TypeError('slice indices must be integers or None or have an __index__ method');
  }
  return Number(t);
}

function parseComponent(raw: string): IndexItem {
  const text = raw.trim();
  if (text === '...' || text === 'Ellipsis') return Ellipsis;
  if (text === 'None' || text === 'newaxis' || text === 'np.newaxis') return null;
  if (text.includes(':')) {
    const parts = text.split(':');
    if (parts.length > 3) throw new IndexError(`invalid slice '${text}'`);
    const [start, stop, step] = [parts[0], parts[1], parts[2] ?? ''].map(parseSliceBound);
    return new Slice(start, stop, step);
  }
  if (text === '') throw new IndexError(`invalid index: empty component`);
  return parseInteger(text);
}

/** Parses NumPy's index syntax: `':, 1:3'`, `'::-1, None, ...'`, `'0, -1'`, `'()'` or `''` (empty tuple). */
export function parseIndex(text: string): IndexItem[] {
  return scanSimpleIndex(text) ?? parseIndexGeneral(text);
}

const CODE_0 = 48;
const CODE_9 = 57;
const CODE_MINUS = 45;
const CODE_COLON = 58;
const CODE_COMMA = 44;
const CODE_SPACE = 32;

/**
 * The common spellings — comma-separated integers and slices of integers (`'3, 1:7'`, `'::-1, 2'`) — in
 * one pass over the characters, with no intermediate strings: index strings are built and parsed in
 * tight loops. Anything else (None, '...', brackets, odd spacing) returns null for the general parser.
 */
function scanSimpleIndex(text: string): IndexItem[] | null {
  const items: IndexItem[] = [];
  const n = text.length;
  let i = 0;
  // Slice parts of the current component: up to three bounds, `null` where omitted.
  const bounds: (number | null)[] = [null, null, null];
  for (;;) {
    let part = 0;
    bounds[0] = bounds[1] = bounds[2] = null;
    for (;;) {
      while (i < n && text.charCodeAt(i) === CODE_SPACE) i++;
      let negative = false;
      if (i < n && text.charCodeAt(i) === CODE_MINUS) {
        negative = true;
        i++;
      }
      const start = i;
      let value = 0;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c < CODE_0 || c > CODE_9) break;
        value = value * 10 + (c - CODE_0);
        i++;
      }
      if (i > start) bounds[part] = negative ? -value : value;
      else if (negative) return null;
      while (i < n && text.charCodeAt(i) === CODE_SPACE) i++;
      if (i < n && text.charCodeAt(i) === CODE_COLON && part < 2) {
        part++;
        i++;
        continue;
      }
      break;
    }
    if (part === 0) {
      if (bounds[0] === null || !Number.isSafeInteger(bounds[0])) return null;
      items.push(bounds[0]);
    } else {
      if (bounds.some((b) => b !== null && !Number.isSafeInteger(b))) return null;
      items.push(new Slice(bounds[0], bounds[1], bounds[2]));
    }
    if (i === n) return items;
    if (text.charCodeAt(i) !== CODE_COMMA) return null;
    i++;
    while (i < n && text.charCodeAt(i) === CODE_SPACE) i++;
    if (i === n) return items.length === 1 ? items : null; // `'0,'` is the 1-tuple (0,)
  }
}

function parseIndexGeneral(text: string): IndexItem[] {
  let body = text.trim();
  if (body.startsWith('[') && body.endsWith(']')) body = body.slice(1, -1).trim();
  if (body.startsWith('(') && body.endsWith(')')) body = body.slice(1, -1).trim();
  if (body === '') return [];
  const pieces = body.split(',');
  // A trailing comma makes a 1-tuple in Python: `'0,'` is `(0,)`.
  if (pieces.length > 1 && pieces[pieces.length - 1].trim() === '') pieces.pop();
  return pieces.map(parseComponent);
}

/** Parsed index strings, since loops use the same few again and again (bounded; items are immutable). */
const parsedIndexes = new Map<string, readonly IndexItem[]>();
const PARSED_INDEX_LIMIT = 512;

function parseIndexCached(text: string): readonly IndexItem[] {
  let items = parsedIndexes.get(text);
  if (!items) {
    items = Object.freeze(parseIndex(text));
    if (parsedIndexes.size >= PARSED_INDEX_LIMIT) parsedIndexes.clear();
    parsedIndexes.set(text, items);
  }
  return items;
}

/** Turns any accepted index form into a list of items, checking item kinds. */
export function toIndexItems(index: Index): readonly IndexItem[] {
  if (typeof index === 'string' && index !== Ellipsis) return parseIndexCached(index);
  const items: readonly unknown[] = Array.isArray(index) ? index : [index];
  return items.map((item) => {
    if (item === null || item === undefined) return null;
    if (item === Ellipsis) return Ellipsis;
    if (item instanceof Slice) return item;
    if (typeof item === 'number') {
      if (!Number.isInteger(item)) throw new IndexError(INVALID_INDEX);
      return Number.isSafeInteger(item) ? item : exactIndex(BigInt(item));
    }
    if (typeof item === 'bigint') return Number.isSafeInteger(Number(item)) ? Number(item) : exactIndex(item);
    if (typeof item === 'string') {
      const parsed = parseIndex(item);
      if (parsed.length !== 1) throw new IndexError(INVALID_INDEX);
      return parsed[0];
    }
    throw new IndexError(INVALID_INDEX);
  });
}

// ---------------------------------------------------------------------------------------------
// Phase 2: resolve slices (Python's slice.indices)

/** Python's `slice.indices(n)` followed by NumPy's length rule: returns normalised (start, length, step). */
export function resolveSlice(s: Slice, n: number): { start: number; length: number; step: number } {
  const step = s.step ?? 1;
  if (step === 0) throw new ValueError('slice step cannot be zero');
  let start: number;
  let stop: number;
  if (step > 0) {
    start = s.start === null ? 0 : clampBound(s.start, n, 0, n);
    stop = s.stop === null ? n : clampBound(s.stop, n, 0, n);
  } else {
    start = s.start === null ? n - 1 : clampBound(s.start, n, -1, n - 1);
    stop = s.stop === null ? -1 : clampBound(s.stop, n, -1, n - 1);
  }
  const length = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  // NumPy resets empty slices to start 0, step 1 (offset unchanged, stride positive).
  if (length === 0) return { start: 0, length: 0, step: 1 };
  return { start, length, step };
}

function clampBound(x: number, n: number, low: number, high: number): number {
  const v = x < 0 ? x + n : x;
  return Math.min(Math.max(v, low), high);
}

// ---------------------------------------------------------------------------------------------
// Phase 3: apply

export interface ResolvedIndex {
  layout: Layout;
  /** True when the index was integers only, one per axis: NumPy's element path (a scalar in NumPy). */
  isElement: boolean;
}

/** Applies basic indexing to `layout`, with NumPy's errors and messages. */
export function applyIndex(layout: Layout, items: readonly IndexItem[]): ResolvedIndex {
  const ndim = layout.shape.length;
  let used = 0;
  let ellipses = 0;
  let integers = 0;
  let newAxes = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === Ellipsis) ellipses++;
    else if (item === null) newAxes++;
    else {
      used++;
      if (typeof item === 'number' || typeof item === 'bigint') integers++;
    }
  }
  if (ellipses > 1) throw new IndexError("an index can only have a single ellipsis ('...')");
  if (used > ndim) {
    throw new IndexError(`too many indices for array: array is ${ndim}-dimensional, but ${used} were indexed`);
  }
  const isElement = ellipses === 0 && used === ndim && integers === items.length;

  // One pass builds the result's axes (the same arithmetic as the view algebra's pickIndex, sliceAxis
  // and insertNewAxis, without a layout per item; plain loops, no closures: indexing runs in tight loops),
  // into arrays made at their final length (arrays grown by push cost several times their size).
  const rank = ndim - integers + newAxes;
  checkIndexingRank(rank);
  const shape = new Array<number>(rank);
  const strides = new Array<number>(rank);
  let offset = layout.offset;
  let inAxis = 0; // axis of the source being consumed
  let outAxis = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === Ellipsis) {
      for (const end = inAxis + ndim - used; inAxis < end; inAxis++, outAxis++) {
        shape[outAxis] = layout.shape[inAxis];
        strides[outAxis] = layout.strides[inAxis];
      }
    } else if (item === null) {
      shape[outAxis] = 1;
      strides[outAxis] = 0; // NumPy's newaxis stride
      outAxis++;
    } else if (typeof item === 'bigint') {
      // Beyond 2^53: past every axis (lengths are exact integers).
      throw new IndexError(`index ${item} is out of bounds for axis ${inAxis} with size ${layout.shape[inAxis]}`);
    } else if (typeof item === 'number') {
      const n = layout.shape[inAxis];
      const j = item < 0 ? item + n : item;
      if (!(j >= 0 && j < n)) throw new IndexError(`index ${item} is out of bounds for axis ${inAxis} with size ${n}`);
      offset += j * layout.strides[inAxis];
      inAxis++;
    } else {
      const { start, length, step } = resolveSlice(item, layout.shape[inAxis]);
      offset += start * layout.strides[inAxis];
      shape[outAxis] = length;
      strides[outAxis] = layout.strides[inAxis] * step + 0; // + 0: no -0 stride when reversing a 0 stride
      inAxis++;
      outAxis++;
    }
  }
  for (; inAxis < ndim; inAxis++, outAxis++) {
    // the implicit trailing ellipsis
    shape[outAxis] = layout.shape[inAxis];
    strides[outAxis] = layout.strides[inAxis];
  }
  return { layout: { shape, strides, offset }, isElement };
}
