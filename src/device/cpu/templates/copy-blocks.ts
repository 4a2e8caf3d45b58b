/**
 * The CPU backend's block kernels for 4-byte units: one 2-D block of a plan (`n0` rows of `n1` units),
 * contiguous rows as `TypedArray.set`/`copyWithin`/`fill`, transposes in cache-sized tiles, strided rows
 * in unrolled loops. Positions arrive as small integers (see ../copy.ts).
 *
 * This file is a template, never imported: `npm run gen:cpu-loops` writes ../generated/copy-blocks-u32.ts,
 * -u16.ts and -u8.ts from it with the unit type replaced: V8 keeps type feedback per function, and one loop that
 * had seen bytes, halves and words ran 2.4x slower on words (a[::2].copy() 7.2 -> 17.2 ms after some
 * uint8 and float16 copies). Each width gets functions of its own, as NumPy's strided loops get one per
 * item size from its .c.src templates. Edit this file, then regenerate.
 */

import { isTransposedWalk } from '../../../ndarray/core/plan.js';

type Units = Uint32Array;

/** Tile edge for transposed blocks (measured: 128 beat 64 and 256 with eight rows at a time). */
const TILE = 128;

/** One 2-D block of a copy: `n0` rows of `n1` units. */
export function copyBlock(
  to: Units,
  from: Units,
  n0: number,
  n1: number,
  dBase: number,
  d0: number,
  d1: number,
  sBase: number,
  s0: number,
  s1: number,
): void {
  if (d1 === 1 && s1 === 1 && n1 >= 8) copyRowsContiguous(to, from, n0, n1, dBase, d0, sBase, s0);
  else if (d1 === 1 && s1 === -1 && n1 >= 64) copyRowsReversed(to, from, n0, n1, dBase, d0, sBase, s0);
  else if (d1 === 1 && s1 === 0) fillRowsFrom(to, from, n0, n1, dBase, d0, sBase, s0);
  else if (d1 === 1 && isTransposedWalk(s0, s1) && n0 > 1 && n1 > 1) copyTiled(to, from, n0, n1, dBase, d0, sBase, s0, s1);
  else if (n1 === 2) copyPairRows(to, from, n0, dBase, d0, d1, sBase, s0, s1);
  else if (d1 === 1) gatherRows(to, from, n0, n1, dBase, d0, sBase, s0, s1);
  else if (s1 === 1) scatterRows(to, from, n0, n1, dBase, d0, d1, sBase, s0);
  else copyStridedRows(to, from, n0, n1, dBase, d0, d1, sBase, s0, s1);
}

function copyRowsContiguous(to: Units, from: Units, n0: number, n1: number, dBase: number, d0: number, sBase: number, s0: number): void {
  const sameBuffer = to === from; // the same block (blocks of the WebAssembly memory share one ArrayBuffer)
  if (s0 === 0 && d0 === n1 && !sameBuffer && n0 > 1) return broadcastRows(to, from, n0, n1, dBase, sBase);
  for (let i = 0, d = dBase, s = sBase; i < n0; i++, d += d0, s += s0) {
    if (sameBuffer) to.copyWithin(d, s, s + n1);
    else to.set(from.subarray(s, s + n1), d);
  }
}

/**
 * One source row into `n0` consecutive destination rows (`broadcastTo(row, shape).copy()`): the first row
 * is copied, then the filled part doubles with `copyWithin`, so the work is a dozen large native copies
 * instead of a call per row.
 */
function broadcastRows(to: Units, from: Units, n0: number, n1: number, dBase: number, sBase: number): void {
  to.set(from.subarray(sBase, sBase + n1), dBase);
  const total = n0 * n1;
  for (let filled = n1; filled < total; filled *= 2) to.copyWithin(dBase + filled, dBase, dBase + Math.min(filled, total - filled));
}

/** Units per piece of a reversed row: about an L2 cache's worth, so that the reversal runs in cache. */
const REVERSE_CHUNK = 1 << 16;

/** Reversed rows: a native block copy, then a native in-place reverse (two fast passes beat one slow),
 * piece by piece so that the second pass finds the piece still in cache (1.25x over whole rows). */
function copyRowsReversed(to: Units, from: Units, n0: number, n1: number, dBase: number, d0: number, sBase: number, s0: number): void {
  const sameBuffer = to === from; // the same block (blocks of the WebAssembly memory share one ArrayBuffer)
  for (let i = 0, d = dBase, s = sBase; i < n0; i++, d += d0, s += s0) {
    for (let b = 0; b < n1; b += REVERSE_CHUNK) {
      const length = Math.min(REVERSE_CHUNK, n1 - b);
      // Logical elements b .. b + length - 1 of the row lie at s - b down to s - b - length + 1.
      const low = s - b - length + 1;
      if (sameBuffer) to.copyWithin(d + b, low, s - b + 1);
      else to.set(from.subarray(low, s - b + 1), d + b);
      to.subarray(d + b, d + b + length).reverse();
    }
  }
}

function fillRowsFrom(to: Units, from: Units, n0: number, n1: number, dBase: number, d0: number, sBase: number, s0: number): void {
  for (let i = 0, d = dBase, s = sBase; i < n0; i++, d += d0, s += s0) to.fill(from[s], d, d + n1);
}

/**
 * Strided sources into contiguous rows (`a[::2].copy()`), unrolled by eight with the step's multiples
 * computed once: the eight loads are independent, so they overlap (1.6x the four-way generic loop).
 */
function gatherRows(
  to: Units,
  from: Units,
  n0: number,
  n1: number,
  dBase: number,
  d0: number,
  sBase: number,
  s0: number,
  step: number,
): void {
  const s2 = 2 * step,
    s3 = 3 * step,
    s4 = 4 * step,
    s5 = 5 * step,
    s6 = 6 * step,
    s7 = 7 * step,
    s8 = 8 * step;
  for (let i = 0; i < n0; i++) {
    let d = dBase + i * d0;
    let s = sBase + i * s0;
    const end = d + n1;
    for (; d + 8 <= end; d += 8, s += s8) {
      to[d] = from[s];
      to[d + 1] = from[s + step];
      to[d + 2] = from[s + s2];
      to[d + 3] = from[s + s3];
      to[d + 4] = from[s + s4];
      to[d + 5] = from[s + s5];
      to[d + 6] = from[s + s6];
      to[d + 7] = from[s + s7];
    }
    for (; d < end; d++, s += step) to[d] = from[s];
  }
}

/** Contiguous rows into strided destinations (`m[:, ::2] = row`), unrolled like gatherRows. */
function scatterRows(
  to: Units,
  from: Units,
  n0: number,
  n1: number,
  dBase: number,
  d0: number,
  step: number,
  sBase: number,
  s0: number,
): void {
  const d2 = 2 * step,
    d3 = 3 * step,
    d4 = 4 * step,
    d5 = 5 * step,
    d6 = 6 * step,
    d7 = 7 * step,
    d8 = 8 * step;
  for (let i = 0; i < n0; i++) {
    let d = dBase + i * d0;
    let s = sBase + i * s0;
    const end = s + n1;
    for (; s + 8 <= end; s += 8, d += d8) {
      to[d] = from[s];
      to[d + step] = from[s + 1];
      to[d + d2] = from[s + 2];
      to[d + d3] = from[s + 3];
      to[d + d4] = from[s + 4];
      to[d + d5] = from[s + 5];
      to[d + d6] = from[s + 6];
      to[d + d7] = from[s + 7];
    }
    for (; s < end; s++, d += step) to[d] = from[s];
  }
}

/** Rows strided on both sides, unrolled by four (V8 keeps the four moves in flight together). */
function copyStridedRows(
  to: Units,
  from: Units,
  n0: number,
  n1: number,
  dBase: number,
  d0: number,
  dStep: number,
  sBase: number,
  s0: number,
  sStep: number,
): void {
  const dStep4 = 4 * dStep;
  const sStep4 = 4 * sStep;
  for (let i = 0; i < n0; i++) {
    let d = dBase + i * d0;
    let s = sBase + i * s0;
    let j = 0;
    for (; j + 4 <= n1; j += 4, d += dStep4, s += sStep4) {
      to[d] = from[s];
      to[d + dStep] = from[s + sStep];
      to[d + 2 * dStep] = from[s + 2 * sStep];
      to[d + 3 * dStep] = from[s + 3 * sStep];
    }
    for (; j < n1; j++, d += dStep, s += sStep) to[d] = from[s];
  }
}

/** Rows of two (a column pair, a complex-like pair): the inner loop would cost more than its moves, so
 * the rows are unrolled instead, four at a time. */
function copyPairRows(
  to: Units,
  from: Units,
  n0: number,
  dBase: number,
  d0: number,
  d1: number,
  sBase: number,
  s0: number,
  s1: number,
): void {
  const dRow2 = 2 * d0,
    dRow3 = 3 * d0,
    dRow4 = 4 * d0;
  const sRow2 = 2 * s0,
    sRow3 = 3 * s0,
    sRow4 = 4 * s0;
  let i = 0,
    d = dBase,
    s = sBase;
  for (; i + 4 <= n0; i += 4, d += dRow4, s += sRow4) {
    to[d] = from[s];
    to[d + d1] = from[s + s1];
    to[d + d0] = from[s + s0];
    to[d + d0 + d1] = from[s + s0 + s1];
    to[d + dRow2] = from[s + sRow2];
    to[d + dRow2 + d1] = from[s + sRow2 + s1];
    to[d + dRow3] = from[s + sRow3];
    to[d + dRow3 + d1] = from[s + sRow3 + s1];
  }
  for (; i < n0; i++, d += d0, s += s0) {
    to[d] = from[s];
    to[d + d1] = from[s + s1];
  }
}

/**
 * A transposed 2-D block (the source walks its rows with a large stride) in square tiles, eight
 * destination rows at a time: each step along the rows reads eight neighbouring source items (from one
 * cache line) and writes the eight rows' next items, instead of one item from a far line per move.
 * 1.4-1.6x the row-at-a-time tiles on a (4096, 4096) float32 transpose.
 */
function copyTiled(to: Units, from: Units, n0: number, n1: number, dBase: number, d0: number, sBase: number, s0: number, s1: number): void {
  const d2 = 2 * d0,
    d3 = 3 * d0,
    d4 = 4 * d0,
    d5 = 5 * d0,
    d6 = 6 * d0,
    d7 = 7 * d0;
  const t2 = 2 * s0,
    t3 = 3 * s0,
    t4 = 4 * s0,
    t5 = 5 * s0,
    t6 = 6 * s0,
    t7 = 7 * s0;
  for (let i0 = 0; i0 < n0; i0 += TILE) {
    const iEnd = Math.min(i0 + TILE, n0);
    for (let j0 = 0; j0 < n1; j0 += TILE) {
      const jEnd = Math.min(j0 + TILE, n1);
      let i = i0;
      for (; i + 8 <= iEnd; i += 8) {
        let d = dBase + i * d0 + j0;
        let s = sBase + i * s0 + j0 * s1;
        for (let j = j0; j < jEnd; j++, d++, s += s1) {
          to[d] = from[s];
          to[d + d0] = from[s + s0];
          to[d + d2] = from[s + t2];
          to[d + d3] = from[s + t3];
          to[d + d4] = from[s + t4];
          to[d + d5] = from[s + t5];
          to[d + d6] = from[s + t6];
          to[d + d7] = from[s + t7];
        }
      }
      for (; i < iEnd; i++) {
        let d = dBase + i * d0 + j0;
        let s = sBase + i * s0 + j0 * s1;
        for (let j = j0; j < jEnd; j++, d++, s += s1) to[d] = from[s];
      }
    }
  }
}

/** One 2-D block of a fill: rows of `n1` units `d1` apart. */
export function fillBlock(to: Units, n0: number, n1: number, dBase: number, d0: number, d1: number, value: number): void {
  if (d1 === 1) fillRows(to, n0, n1, dBase, d0, value);
  else fillStridedRows(to, n0, n1, dBase, d0, d1, value);
}

function fillRows(to: Units, n0: number, n1: number, dBase: number, d0: number, value: number): void {
  for (let i = 0, d = dBase; i < n0; i++, d += d0) to.fill(value, d, d + n1);
}

/** Writes `value` to rows of `n1` units `step` apart, unrolled by eight like gatherRows. */
function fillStridedRows(to: Units, n0: number, n1: number, dBase: number, d0: number, step: number, value: number): void {
  const d2 = 2 * step,
    d3 = 3 * step,
    d4 = 4 * step,
    d5 = 5 * step,
    d6 = 6 * step,
    d7 = 7 * step,
    d8 = 8 * step;
  for (let i = 0; i < n0; i++) {
    let d = dBase + i * d0;
    let j = 0;
    for (; j + 8 <= n1; j += 8, d += d8) {
      to[d] = value;
      to[d + step] = value;
      to[d + d2] = value;
      to[d + d3] = value;
      to[d + d4] = value;
      to[d + d5] = value;
      to[d + d6] = value;
      to[d + d7] = value;
    }
    for (; j < n1; j++, d += step) to[d] = value;
  }
}
