/**
 * Basic indexing in three phases: parse (a NumPy index string or an item list becomes IndexItems),
 * resolve (ellipsis expansion, error checks, NumPy's messages), apply (compose the view algebra's
 * `pickIndex`, `sliceAxis` and `insertNewAxis`). Always yields a view layout.
 *
 * Parsing also recognises advanced items (integer or boolean index arrays, as bracketed lists in a
 * string, nested JS arrays, booleans, or arrays of the caller's): those are resolved by
 * advanced-index.ts, and `isBasicIndex` tells the two apart.
 */

import type { DType } from './dtype.js';
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

/** A basic index component: an integer, a slice, `null` (newaxis) or `'...'`. An integer beyond 2^53 is a
 * bigint (it is out of bounds on every axis, and NumPy's message spells it exactly). */
export type BasicIndexItem = number | bigint | Slice | null | typeof Ellipsis;

/** Nested JS arrays of integers or booleans: an index array given as host data. */
export type NestedIndexList = readonly (number | boolean | NestedIndexList)[];

/** What core needs to know of an array (an NDArray) used as an index: its shape and dtype. */
export interface ArrayIndex {
  /** The index array's shape. */
  readonly shape: readonly number[];
  /** An integer dtype (an index array) or bool (a mask). */
  readonly dtype: DType;
}

/**
 * One component of an index, in host data: a basic item, or an advanced one — a boolean (NumPy's
 * `True`/`False`) or an integer or boolean index array as nested JS arrays.
 */
export type IndexItem = BasicIndexItem | boolean | NestedIndexList;
/** An index in host data: one index string, one item, or a list of items (the result's shape is known at
 * the call). */
export type Index = string | IndexItem | readonly IndexItem[];

/** An index item that may also be an array (an integer or boolean NDArray). */
export type AnyIndexItem = IndexItem | ArrayIndex;
/** What `get`/`set` accept: an index of host data, or one whose items include arrays. */
export type AnyIndex = Index | ArrayIndex | readonly AnyIndexItem[];

/**
 * An index array given as host data (a bracketed list in an index string, nested JS arrays, or a Python
 * bool, which is a 0-d boolean array): its shape and values in C order (booleans as 0 and 1).
 */
export class HostIndexArray {
  constructor(
    readonly shape: readonly number[],
    readonly values: Float64Array,
    readonly isBool: boolean,
  ) {}
}

/** An item after parsing: basic, an index array of host data, or an array of the caller's (`D`). */
export type ParsedIndexItem<D = ArrayIndex> = BasicIndexItem | HostIndexArray | D;

export const INVALID_INDEX =
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

function parseComponent(raw: string): BasicIndexItem {
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

/** Parses NumPy's index syntax: `':, 1:3'`, `'::-1, None, ...'`, `'0, -1'`, `'()'` or `''` (empty tuple),
 * and advanced items: bracketed lists (`'[0, 2], 1:'`, `'[[0, 1], [1, 2]]'`, `'[True, False]'`), `True`,
 * `False`. (Plain strings on their way to a view take `plainIndexView` first; parses are cached by
 * `toIndexItems`.) */
export function parseIndex(text: string): ParsedIndexItem<never>[] {
  let body = text.trim();
  // A parenthesised tuple is the tuple itself (`'(0, 2)'` is `0, 2`); brackets are a list: an index array.
  if (body.startsWith('(') && closingBracket(body, 0) === body.length - 1) body = body.slice(1, -1).trim();
  if (body === '') return [];
  const pieces = splitTopLevel(body);
  // A trailing comma makes a 1-tuple in Python: `'0,'` is `(0,)`.
  if (pieces.length > 1 && pieces[pieces.length - 1].trim() === '') pieces.pop();
  return pieces.map(parseComponentOrList);
}

function parseComponentOrList(raw: string): ParsedIndexItem<never> {
  const text = raw.trim();
  if (text.startsWith('[') || text.startsWith('(')) return hostIndexArray(parseListLiteral(text));
  if (text === 'True' || text === 'False') return hostIndexArray(text === 'True');
  return parseComponent(text);
}

/** The position of the bracket closing the one at `open`, or -1. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** `text` split at the commas outside brackets. */
function splitTopLevel(text: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth < 0) throw new IndexError(`invalid index: unbalanced '${c}'`);
    } else if (c === ',' && depth === 0) {
      pieces.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw new IndexError(`invalid index: '[' or '(' was never closed`);
  pieces.push(text.slice(start));
  return pieces;
}

/** A bracketed list literal (`[0, 2]`, `[[True, False]]`; parentheses nest too) as nested JS arrays. */
function parseListLiteral(text: string): NestedIndexList {
  if (closingBracket(text, 0) !== text.length - 1) throw new IndexError(`invalid index: '${text}'`);
  const inner = text.slice(1, -1).trim();
  if (inner === '') return [];
  const pieces = splitTopLevel(inner);
  if (pieces.length > 1 && pieces[pieces.length - 1].trim() === '') pieces.pop();
  return pieces.map((piece): number | boolean | NestedIndexList => {
    const t = piece.trim();
    if (t.startsWith('[') || t.startsWith('(')) return parseListLiteral(t);
    if (t === 'True' || t === 'False') return t === 'True';
    if (/^[+-]?\d+$/.test(t)) return Number(t);
    throw new IndexError(INVALID_INDEX);
  });
}

/**
 * Nested JS arrays of integers and booleans (or one boolean) as an index array, as NumPy converts a list
 * index: all booleans make a boolean array, any integer makes an integer array (booleans count as 0 and
 * 1; an empty list is an integer array). Floats are not indices; ragged lists are NumPy's ValueError.
 */
export function hostIndexArray(nested: NestedIndexList | boolean): HostIndexArray {
  if (typeof nested === 'boolean') return new HostIndexArray([], Float64Array.of(nested ? 1 : 0), true);
  const shape: number[] = [];
  for (let level: unknown = nested; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const size = shape.reduce((p, n) => p * n, 1);
  const values = new Float64Array(size);
  let anyNumber = false;
  let count = 0;
  const walk = (level: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof level === 'boolean') values[count++] = level ? 1 : 0;
      else if (typeof level === 'number' && Number.isInteger(level)) {
        values[count++] = level;
        anyNumber = true;
      } else if (Array.isArray(level)) throw inhomogeneous(shape, depth);
      else throw new IndexError(INVALID_INDEX);
      return;
    }
    if (!Array.isArray(level) || level.length !== shape[depth]) throw inhomogeneous(shape, depth);
    for (const item of level as readonly unknown[]) walk(item, depth + 1);
  };
  walk(nested, 0);
  return new HostIndexArray(shape, values, size > 0 && !anyNumber);
}

function inhomogeneous(shape: readonly number[], depth: number): ValueError {
  const detected = shape.slice(0, depth);
  const repr = detected.length === 1 ? `(${detected[0]},)` : `(${detected.join(', ')})`;
  return new ValueError(
    `setting an array element with a sequence. The requested array has an inhomogeneous shape after ${depth} dimensions. The detected shape was ${repr} + inhomogeneous part.`,
  );
}

/** Parsed index strings, since loops use the same few again and again (bounded; items are immutable). */
const parsedIndexes = new Map<string, readonly ParsedIndexItem<never>[]>();
const PARSED_INDEX_LIMIT = 512;

function parseIndexCached(text: string): readonly ParsedIndexItem<never>[] {
  let items = parsedIndexes.get(text);
  if (!items) {
    items = Object.freeze(parseIndex(text));
    if (parsedIndexes.size >= PARSED_INDEX_LIMIT) parsedIndexes.clear();
    parsedIndexes.set(text, items);
  }
  return items;
}

/**
 * Turns any accepted index form into a list of items, checking item kinds. A top-level JS array is the
 * list of items (`[0, 2]` is `a[0, 2]`); arrays nested in it are index arrays (`[[0, 2]]` is
 * `a[[0, 2]]`). `isArray` recognises the caller's arrays (NDArrays), which become items as they are.
 */
export function toIndexItems<D = never>(index: AnyIndex, isArray?: (value: unknown) => value is D): readonly ParsedIndexItem<D>[] {
  if (typeof index === 'string' && index !== Ellipsis) return parseIndexCached(index);
  if (isArray?.(index)) return [index];
  const items: readonly unknown[] = Array.isArray(index) ? index : [index];
  return items.map((item): ParsedIndexItem<D> => {
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
    if (typeof item === 'boolean' || Array.isArray(item)) return hostIndexArray(item as NestedIndexList | boolean);
    if (isArray?.(item)) return item;
    throw new IndexError(INVALID_INDEX);
  });
}

/** Whether every item is basic (so the index makes a view). */
export function isBasicIndex<D>(items: readonly ParsedIndexItem<D>[]): items is readonly BasicIndexItem[] {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item !== null && typeof item === 'object' && !(item instanceof Slice)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Phase 2: resolve slices (Python's slice.indices)

/** Python's `slice.indices(n)` followed by NumPy's length rule: returns normalised (start, length, step). */
export function resolveSlice(s: Slice, n: number): { start: number; length: number; step: number } {
  const step = s.step ?? 1;
  if (step === 0) throw new ValueError('slice step cannot be zero');
  const start = sliceStart(s.start, n, step);
  const length = sliceLength(start, sliceStop(s.stop, n, step), step);
  // NumPy resets empty slices to start 0, step 1 (offset unchanged, stride positive).
  if (length === 0) return { start: 0, length: 0, step: 1 };
  return { start, length, step };
}

/** A slice's first index on an axis of length `n` (Python's `slice.indices`); `step` is nonzero. */
function sliceStart(start: number | null, n: number, step: number): number {
  if (step > 0) return start === null ? 0 : clampBound(start, n, 0, n);
  return start === null ? n - 1 : clampBound(start, n, -1, n - 1);
}

/** A slice's (exclusive) stop on an axis of length `n` (Python's `slice.indices`); `step` is nonzero. */
function sliceStop(stop: number | null, n: number, step: number): number {
  if (step > 0) return stop === null ? n : clampBound(stop, n, 0, n);
  return stop === null ? -1 : clampBound(stop, n, -1, n - 1);
}

/** How many indices a resolved slice selects. */
function sliceLength(start: number, stop: number, step: number): number {
  return step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
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
export function applyIndex(layout: Layout, items: readonly BasicIndexItem[]): ResolvedIndex {
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

// ---------------------------------------------------------------------------------------------
// The direct path: a plain index string straight to its view

/** The result's axes while `plainIndexView` scans (typed scratch: it runs in tight loops, never re-enters,
 * and a typed array never changes its element kind the way a reused JS array would). */
const plainShape = new Float64Array(64);
const plainStrides = new Float64Array(64);

/** Where `plainIndexView` is in a component: before a bound's number (spaces, a sign or a digit may
 * come), after a minus sign (a digit must come), in a number's digits, or after a number. */
const BEFORE_NUMBER = 0;
const AFTER_SIGN = 1;
const IN_NUMBER = 2;
const AFTER_NUMBER = 3;
/** The character codes `plainIndexView` reads, and the one it reads past the end of the string. */
const CODE_0 = 48;
const CODE_9 = 57;
const CODE_MINUS = 45;
const CODE_COLON = 58;
const CODE_COMMA = 44;
const CODE_SPACE = 32;
const CODE_END = -1;

/**
 * `applyIndex(layout, parseIndex(text))` in one pass over the characters, for the spellings small sets
 * in loops use: integers and slices of integers separated by commas (`'3, 1:7'`, `'::-1, 2'`), no more of them than `layout` has axes, every integer in bounds and
 * every step nonzero. No parsed items, slices or cache entries are made on the way, and each character
 * is read once (reading one costs more than the arithmetic around it). Anything else — another spelling,
 * or an index that fails — gives null, and the general path then gives the result or NumPy's error, so
 * this path changes no result and no error.
 */
export function plainIndexView(layout: Layout, text: string): ResolvedIndex | null {
  const ndim = layout.shape.length;
  const n = text.length;
  let offset = layout.offset;
  let inAxis = 0;
  let outAxis = 0;
  // The component being read: its bounds (`part` colons so far; `present` has bit k where bound k was
  // written), the number being read, and whether a comma came before it.
  let part = 0;
  let present = 0;
  let first = 0;
  let second = 0;
  let third = 0;
  let state = BEFORE_NUMBER;
  let negative = false;
  let value = 0;
  let afterComma = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : CODE_END;
    const digit = c >= CODE_0 && c <= CODE_9;
    if (state === IN_NUMBER) {
      if (digit) {
        value = value * 10 + (c - CODE_0);
        continue;
      }
      if (!Number.isSafeInteger(value)) return null;
      const bound = negative ? 0 - value : value; // 0 - value: no -0 (a double) for '-0'

      present |= 1 << part;
      if (part === 0) first = bound;
      else if (part === 1) second = bound;
      else third = bound;
      state = AFTER_NUMBER;
    } else if (state === AFTER_SIGN) {
      if (!digit) return null;
      value = c - CODE_0;
      state = IN_NUMBER;
      continue;
    } else if (state === BEFORE_NUMBER) {
      if (digit || c === CODE_MINUS) {
        negative = !digit;
        value = digit ? c - CODE_0 : 0;
        state = digit ? IN_NUMBER : AFTER_SIGN;
        continue;
      }
    }
    // Before or after a number: a space, a colon, a comma or the end.
    if (c === CODE_SPACE) continue;
    if (c === CODE_COLON) {
      if (part === 2) return null;
      part++;
      state = BEFORE_NUMBER;
      continue;
    }
    if (c !== CODE_COMMA && c !== CODE_END) return null;
    if (part === 0 && present === 0) {
      // An empty component: only the end after `'0,'`, the 1-tuple (0,).
      if (c === CODE_END && afterComma && inAxis === 1) break;
      return null;
    }
    if (inAxis === ndim) return null; // too many indices
    const length = layout.shape[inAxis];
    const stride = layout.strides[inAxis];
    if (part === 0) {
      const j = first < 0 ? first + length : first;
      if (!(j >= 0 && j < length)) return null;
      offset += j * stride;
    } else {
      const step = present & 4 ? third : 1;
      if (step === 0) return null;
      const start = sliceStart(present & 1 ? first : null, length, step);
      const count = sliceLength(start, sliceStop(present & 2 ? second : null, length, step), step);
      // As resolveSlice and applyIndex: an empty slice starts at 0 with step 1.
      offset += (count > 0 ? start : 0) * stride;
      plainShape[outAxis] = count;
      plainStrides[outAxis] = stride * (count > 0 ? step : 1) + 0; // + 0: no -0 stride when reversing a 0 stride
      outAxis++;
    }
    inAxis++;
    part = present = 0;
    state = BEFORE_NUMBER;
    afterComma = true;
  }
  const isElement = inAxis === ndim && outAxis === 0;
  // The implicit trailing ellipsis.
  for (; inAxis < ndim; inAxis++, outAxis++) {
    plainShape[outAxis] = layout.shape[inAxis];
    plainStrides[outAxis] = layout.strides[inAxis];
  }
  return { layout: { shape: smallIntegers(plainShape, outAxis), strides: smallIntegers(plainStrides, outAxis), offset }, isElement };
}

/**
 * The first `count` values of `scratch` as a new array, each a small integer where it is one (read back
 * from a Float64Array it would stay a double). The usual ranks are array literals, which are made inline
 * where `new Array(count)` calls into the engine.
 */
function smallIntegers(scratch: Float64Array, count: number): number[] {
  switch (count) {
    case 0:
      return [];
    case 1:
      return [smallInteger(scratch[0])];
    case 2:
      return [smallInteger(scratch[0]), smallInteger(scratch[1])];
    case 3:
      return [smallInteger(scratch[0]), smallInteger(scratch[1]), smallInteger(scratch[2])];
    default: {
      const values = new Array<number>(count);
      for (let k = 0; k < count; k++) values[k] = smallInteger(scratch[k]);
      return values;
    }
  }
}

/** `value` as a small integer where it is one (read back from a Float64Array, it would stay a double). */
function smallInteger(value: number): number {
  const int = value | 0;
  return int === value ? int : value;
}
