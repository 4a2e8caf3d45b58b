/**
 * Advanced indexing on the CPU: the key passes, gathers, scatters and mask compactions of
 * ndarray/core/index-plan.ts, executed at once on the buffers' bytes. Items move as unsigned integers
 * of their width (never as JS numbers, which could change NaN payloads), so the results are the WebGPU
 * kernels' bits.
 */

import { INVALID_KEY } from '../../ndarray/core/advanced-index.js';
import {
  walkKeepsKeyOrder,
  type GatherPlan,
  type KeyPlan,
  type KeySpace,
  type MaskPlan,
  type ScatterPlan,
} from '../../ndarray/core/index-plan.js';
import { walkRows } from './walk.js';
import * as units32 from './generated/index-units-u32.js';
import * as units16 from './generated/index-units-u16.js';
import * as units8 from './generated/index-units-u8.js';
import * as keysI32 from './generated/index-keys-i32.js';
import * as keysU32 from './generated/index-keys-u32.js';
import * as keysI16 from './generated/index-keys-i16.js';
import * as keysU16 from './generated/index-keys-u16.js';
import * as keysI8 from './generated/index-keys-i8.js';
import * as keysU8 from './generated/index-keys-u8.js';

type Items = Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** The row loops of one unit width (generated/index-units-*.ts), called with that width's arrays. */
interface UnitLoops {
  gatherRow(
    dst: Units,
    src: Units,
    keys: Int32Array,
    n: number,
    d: number,
    dStep: number,
    s: number,
    sStep: number,
    k: number,
    kStep: number,
    keyStride: number,
    words: number,
  ): void;
  scatterRow(
    dst: Units,
    value: Units,
    keys: Int32Array,
    n: number,
    d: number,
    dStep: number,
    v: number,
    vStep: number,
    k: number,
    kStep: number,
    keyStride: number,
    words: number,
  ): void;
}

function unitLoops(unit: number): UnitLoops {
  return (unit === 4 ? units32 : unit === 2 ? units16 : units8) as UnitLoops;
}

/** The key-pass loop of one index type (generated/index-keys-*.ts) and the array of its items. */
function keyLoop(
  bytes: Uint8Array,
  dtype: KeyPlan['dtype'],
): {
  items: Items;
  keyRow: (
    keys: Uint32Array,
    index: Items,
    n: number,
    k: number,
    kStep: number,
    i: number,
    iStep: number,
    size: number,
    multiplier: number,
    accumulate: boolean,
    passInvalid: boolean,
  ) => number;
} | null {
  const { buffer, byteOffset, byteLength } = bytes;
  const typed = <T>(loops: unknown, items: T) => ({ items: items as unknown as Items, keyRow: (loops as { keyRow: never }).keyRow });
  switch (dtype) {
    case 'int32':
      return typed(keysI32, new Int32Array(buffer, byteOffset, byteLength >> 2));
    case 'uint32':
      return typed(keysU32, new Uint32Array(buffer, byteOffset, byteLength >> 2));
    case 'int16':
      return typed(keysI16, new Int16Array(buffer, byteOffset, byteLength >> 1));
    case 'uint16':
      return typed(keysU16, new Uint16Array(buffer, byteOffset, byteLength >> 1));
    case 'int8':
      return typed(keysI8, new Int8Array(buffer, byteOffset, byteLength));
    case 'uint8':
    case 'bool':
      return typed(keysU8, new Uint8Array(buffer, byteOffset, byteLength));
    default:
      return null; // 64-bit indices: the general path
  }
}

type Units = Uint8Array | Uint16Array | Uint32Array;

function viewOf(bytes: Uint8Array, itemsize: number): Units {
  const { buffer, byteOffset, byteLength } = bytes;
  if (itemsize === 1) return bytes;
  if (itemsize === 2) return new Uint16Array(buffer, byteOffset, byteLength >> 1);
  return new Uint32Array(buffer, byteOffset, byteLength >> 2);
}

/** Words of `itemsize` bytes per item (8-byte items move as two words). */
const wordsPerItem = (itemsize: number) => (itemsize === 8 ? 2 : 1);

/** The item offset of a key over the key space (its coordinates times the strides). */
export function keyOffsetFunction(space: KeySpace): (key: number) => number {
  const { shape, strides } = space;
  if (shape.length === 1) {
    const s = strides[0];
    return (key) => key * s;
  }
  if (shape.length === 2) {
    const [, n1] = shape;
    const [s0, s1] = strides;
    return (key) => Math.floor(key / n1) * s0 + (key % n1) * s1;
  }
  return (key) => {
    let rest = key;
    let offset = 0;
    for (let k = shape.length - 1; k > 0; k--) {
      offset += (rest % shape[k]) * strides[k];
      rest = Math.floor(rest / shape[k]);
    }
    return shape.length > 0 ? offset + rest * strides[0] : 0;
  };
}

/** An index item as a number (or bigint for 64-bit dtypes) at an item position. */
function indexReader(bytes: Uint8Array, dtype: KeyPlan['dtype']): (at: number) => number | bigint {
  const { buffer, byteOffset, byteLength } = bytes;
  switch (dtype) {
    case 'int8':
      return (
        (v) => (at: number) =>
          v[at]
      )(new Int8Array(buffer, byteOffset, byteLength));
    case 'uint8':
    case 'bool':
      return (
        (v) => (at: number) =>
          v[at]
      )(new Uint8Array(buffer, byteOffset, byteLength));
    case 'int16':
      return (
        (v) => (at: number) =>
          v[at]
      )(new Int16Array(buffer, byteOffset, byteLength >> 1));
    case 'uint16':
      return (
        (v) => (at: number) =>
          v[at]
      )(new Uint16Array(buffer, byteOffset, byteLength >> 1));
    case 'int32':
      return (
        (v) => (at: number) =>
          v[at]
      )(new Int32Array(buffer, byteOffset, byteLength >> 2));
    case 'uint32':
      return (
        (v) => (at: number) =>
          v[at]
      )(new Uint32Array(buffer, byteOffset, byteLength >> 2));
    case 'int64':
      return (
        (v) => (at: number) =>
          v[at]
      )(new BigInt64Array(buffer, byteOffset, byteLength >> 3));
    case 'uint64':
      return (
        (v) => (at: number) =>
          v[at]
      )(new BigUint64Array(buffer, byteOffset, byteLength >> 3));
    default:
      throw new TypeError(`internal error: ${dtype} is not an index dtype`);
  }
}

/**
 * A key pass: `keys = normalise(index) × multiplier` (or added to the keys there). Returns the first
 * offending index value in the keys' C order, or null when every index is in range.
 */
export function indexKeys(keysBytes: Uint8Array, indexBytes: Uint8Array, plan: KeyPlan): number | bigint | null {
  const keys = viewOf(keysBytes, 4) as Uint32Array;
  const fast = keyLoop(indexBytes, plan.dtype);
  if (fast) {
    const last = plan.shape.length - 1;
    let badAt = -1;
    walkRows(plan.shape, [plan.keys.offset, plan.index.offset], [plan.keys.strides, plan.index.strides], (starts, n) => {
      const at = fast.keyRow(
        keys,
        fast.items,
        n,
        starts[0],
        plan.keys.strides[last],
        starts[1],
        plan.index.strides[last],
        plan.size,
        plan.multiplier,
        plan.accumulate,
        plan.passInvalid,
      );
      if (at >= 0 && badAt < 0) badAt = at;
    });
    return badAt < 0 ? null : offendingIndex(indexBytes, plan, badAt);
  }
  const read = indexReader(indexBytes, plan.dtype);
  const { size, multiplier, accumulate, passInvalid } = plan;
  const last = plan.shape.length - 1;
  const kStep = plan.keys.strides[last];
  const iStep = plan.index.strides[last];
  let bad: number | bigint | null = null;
  let badAt = Infinity;
  walkRows(plan.shape, [plan.keys.offset, plan.index.offset], [plan.keys.strides, plan.index.strides], (starts, n) => {
    for (let j = 0, k = starts[0], i = starts[1]; j < n; j++, k += kStep, i += iStep) {
      const raw = read(i);
      if (passInvalid && raw === INVALID_KEY) {
        keys[k] = INVALID_KEY;
        continue;
      }
      const v = typeof raw === 'bigint' ? (raw >= BigInt(-size) && raw < BigInt(size) ? Number(raw) : null) : raw;
      if (v === null || v < -size || v >= size) {
        keys[k] = INVALID_KEY;
        if (k < badAt) {
          badAt = k;
          bad = raw;
        }
        continue;
      }
      const term = (v < 0 ? v + size : v) * multiplier;
      if (!accumulate) keys[k] = term;
      else if (keys[k] !== INVALID_KEY) keys[k] = keys[k] + term;
    }
  });
  return bad;
}

/** The index value at keys position `badAt`, the first failing one (a bigint for a 64-bit index dtype). */
export function offendingIndex(indexBytes: Uint8Array, plan: KeyPlan, badAt: number): number | bigint {
  const read = indexReader(indexBytes, plan.dtype);
  const last = plan.shape.length - 1;
  const kStep = plan.keys.strides[last];
  const iStep = plan.index.strides[last];
  let value: number | bigint | null = null;
  walkRows(plan.shape, [plan.keys.offset, plan.index.offset], [plan.keys.strides, plan.index.strides], (starts, n) => {
    for (let j = 0, k = starts[0], i = starts[1]; j < n && value === null; j++, k += kStep, i += iStep) if (k === badAt) value = read(i);
  });
  return value ?? 0;
}

/** An operand of a gather or scatter row walk: its offset and strides in items (keys: in keys). */
interface Strided {
  readonly offset: number;
  readonly strides: readonly number[];
}

/** One row of a gather or scatter: starts of its two item operands (in units) and of its keys, its
 * length, and the steps along it. */
type KeyedRow = (x: number, y: number, k: number, n: number, xStep: number, yStep: number, kStep: number) => void;

/** Walks the rows of `shape` over two item operands (`words` units per item) and the keys. */
function walkKeyedRows(shape: readonly number[], x: Strided, y: Strided, keys: Strided, words: number, row: KeyedRow): void {
  const last = shape.length - 1;
  const xStep = x.strides[last] * words;
  const yStep = y.strides[last] * words;
  const kStep = keys.strides[last];
  walkRows(
    shape,
    [x.offset * words, y.offset * words, keys.offset],
    [x.strides.map((s) => s * words), y.strides.map((s) => s * words), keys.strides],
    (starts, n) => row(starts[0], starts[1], starts[2], n, xStep, yStep, kStep),
  );
}

/** Whether the keys address one axis short enough for signed 32-bit keys (the generated row loops' and
 * the WebAssembly kernels' fast path). */
export function keysOnOneAxis(keySpace: GatherPlan['keySpace']): boolean {
  return keySpace.shape.length === 1 && keySpace.shape[0] < 2 ** 31;
}

/** A gather: each element of the result space from its basic position plus its key's offset. */
export function gather(dstBytes: Uint8Array, srcBytes: Uint8Array, keysBytes: Uint8Array, plan: GatherPlan): void {
  const words = wordsPerItem(plan.itemsize);
  const unit = plan.itemsize / words;
  const dst = viewOf(dstBytes, unit);
  const src = viewOf(srcBytes, unit);
  const keys = viewOf(keysBytes, 4) as Uint32Array;
  if (keysOnOneAxis(plan.keySpace)) {
    // Keys address one axis: the generated row loops of this width.
    const loops = unitLoops(unit);
    const signedKeys = new Int32Array(keys.buffer, keys.byteOffset, keys.length);
    const keyStride = plan.keySpace.strides[0] * words;
    walkKeyedRows(plan.shape, plan.dst, plan.src, plan.keys, words, (d, s, k, n, dStep, sStep, kStep) =>
      loops.gatherRow(dst, src, signedKeys, n, d, dStep, s, sStep, k, kStep, keyStride, words),
    );
    return;
  }
  const offsetOf = keyOffsetFunction(plan.keySpace);
  walkKeyedRows(plan.shape, plan.dst, plan.src, plan.keys, words, (d, s, k, n, dStep, sStep, kStep) => {
    for (let j = 0; j < n; j++, d += dStep, s += sStep, k += kStep) {
      const key = keys[k];
      if (key === INVALID_KEY) {
        dst[d] = 0;
        if (words === 2) dst[d + 1] = 0;
        continue;
      }
      const at = s + offsetOf(key) * words;
      dst[d] = src[at];
      if (words === 2) dst[d + 1] = src[at + 1];
    }
  });
}

/**
 * Keeps only the last occurrence of each key among the first `count` packed keys (a later position
 * wins): the earlier ones become invalid.
 */
function keepLastOccurrences(keys: Uint32Array, count: number, space: number): void {
  const seen = new Uint8Array(Math.ceil(space / 8));
  for (let i = count - 1; i >= 0; i--) {
    const key = keys[i];
    if (key === INVALID_KEY) continue;
    const bit = 1 << (key & 7);
    if (seen[key >> 3] & bit) keys[i] = INVALID_KEY;
    else seen[key >> 3] |= bit;
  }
}

/** A scatter: each value to its key's element (invalid keys skipped). */
export function scatter(dstBytes: Uint8Array, valueBytes: Uint8Array, keysBytes: Uint8Array, plan: ScatterPlan): void {
  const keys = viewOf(keysBytes, 4) as Uint32Array;
  if (plan.lastWins && !walkKeepsKeyOrder(plan)) keepLastOccurrences(keys, plan.lastWins.keys, plan.lastWins.space);
  const words = wordsPerItem(plan.itemsize);
  const unit = plan.itemsize / words;
  const dst = viewOf(dstBytes, unit);
  const value = viewOf(valueBytes, unit);
  if (keysOnOneAxis(plan.keySpace)) {
    const loops = unitLoops(unit);
    const signedKeys = new Int32Array(keys.buffer, keys.byteOffset, keys.length);
    const keyStride = plan.keySpace.strides[0] * words;
    walkKeyedRows(plan.shape, plan.dst, plan.value, plan.keys, words, (d, v, k, n, dStep, vStep, kStep) =>
      loops.scatterRow(dst, value, signedKeys, n, d, dStep, v, vStep, k, kStep, keyStride, words),
    );
    return;
  }
  const offsetOf = keyOffsetFunction(plan.keySpace);
  walkKeyedRows(plan.shape, plan.dst, plan.value, plan.keys, words, (d, v, k, n, dStep, vStep, kStep) => {
    for (let j = 0; j < n; j++, d += dStep, v += vStep, k += kStep) {
      const key = keys[k];
      if (key === INVALID_KEY) continue;
      const at = d + offsetOf(key) * words;
      dst[at] = value[v];
      if (words === 2) dst[at + 1] = value[v + 1];
    }
  });
}

/** The true positions of a packed boolean array, then invalid keys; their number into `count`. */
export function compactMask(keysBytes: Uint8Array, countBytes: Uint8Array, maskBytes: Uint8Array, plan: MaskPlan): void {
  const keys = viewOf(keysBytes, 4) as Uint32Array;
  const mask = maskBytes;
  let count = 0;
  // Branch-free: every position is written at the count so far, which only true elements advance.
  for (let i = 0, at = plan.offset; i < plan.length; i++, at++) {
    keys[count] = i;
    count += mask[at] === 0 ? 0 : 1;
  }
  keys.fill(INVALID_KEY, count, plan.length);
  (viewOf(countBytes, 4) as Uint32Array)[0] = count;
}

/** The 32-bit count at the start of `bytes`. */
export function readCount(bytes: Uint8Array): number {
  return (viewOf(bytes, 4) as Uint32Array)[0];
}
