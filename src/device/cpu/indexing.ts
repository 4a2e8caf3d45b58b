/**
 * Advanced indexing on the CPU: the key passes, gathers, scatters and mask compactions of
 * ndarray/core/index-plan.ts, executed at once on the buffers' bytes. Items move as unsigned integers
 * of their width (never as JS numbers, which could change NaN payloads), so the results are the WebGPU
 * kernels' bits.
 */

import { INVALID_KEY } from '../../ndarray/core/advanced-index.js';
import type { GatherPlan, KeyPlan, KeySpace, MaskPlan, ScatterPlan } from '../../ndarray/core/index-plan.js';
import { walkRows } from './walk.js';

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

/** A gather: each element of the result space from its basic position plus its key's offset. */
export function gather(dstBytes: Uint8Array, srcBytes: Uint8Array, keysBytes: Uint8Array, plan: GatherPlan): void {
  const words = wordsPerItem(plan.itemsize);
  const unit = plan.itemsize / words;
  const dst = viewOf(dstBytes, unit);
  const src = viewOf(srcBytes, unit);
  const keys = viewOf(keysBytes, 4) as Uint32Array;
  const offsetOf = keyOffsetFunction(plan.keySpace);
  const last = plan.shape.length - 1;
  const dStep = plan.dst.strides[last] * words;
  const sStep = plan.src.strides[last] * words;
  const kStep = plan.keys.strides[last];
  walkRows(
    plan.shape,
    [plan.dst.offset * words, plan.src.offset * words, plan.keys.offset],
    [plan.dst.strides.map((s) => s * words), plan.src.strides.map((s) => s * words), plan.keys.strides],
    (starts, n) => {
      for (let j = 0, d = starts[0], s = starts[1], k = starts[2]; j < n; j++, d += dStep, s += sStep, k += kStep) {
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
    },
  );
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
  if (plan.lastWins) keepLastOccurrences(keys, plan.lastWins.keys, plan.lastWins.space);
  const words = wordsPerItem(plan.itemsize);
  const unit = plan.itemsize / words;
  const dst = viewOf(dstBytes, unit);
  const value = viewOf(valueBytes, unit);
  const offsetOf = keyOffsetFunction(plan.keySpace);
  const last = plan.shape.length - 1;
  const dStep = plan.dst.strides[last] * words;
  const vStep = plan.value.strides[last] * words;
  const kStep = plan.keys.strides[last];
  walkRows(
    plan.shape,
    [plan.dst.offset * words, plan.value.offset * words, plan.keys.offset],
    [plan.dst.strides.map((s) => s * words), plan.value.strides.map((s) => s * words), plan.keys.strides],
    (starts, n) => {
      for (let j = 0, d = starts[0], v = starts[1], k = starts[2]; j < n; j++, d += dStep, v += vStep, k += kStep) {
        const key = keys[k];
        if (key === INVALID_KEY) continue;
        const at = d + offsetOf(key) * words;
        dst[at] = value[v];
        if (words === 2) dst[at + 1] = value[v + 1];
      }
    },
  );
}

/** The true positions of a packed boolean array, then invalid keys; their number into `count`. */
export function compactMask(keysBytes: Uint8Array, countBytes: Uint8Array, maskBytes: Uint8Array, plan: MaskPlan): void {
  const keys = viewOf(keysBytes, 4) as Uint32Array;
  const mask = maskBytes;
  let count = 0;
  for (let i = 0; i < plan.length; i++) if (mask[plan.offset + i] !== 0) keys[count++] = i;
  keys.fill(INVALID_KEY, count, plan.length);
  (viewOf(countBytes, 4) as Uint32Array)[0] = count;
}

/** The 32-bit count at the start of `bytes`. */
export function readCount(bytes: Uint8Array): number {
  return (viewOf(bytes, 4) as Uint32Array)[0];
}
