/**
 * The CPU backend's copies and fills, shaped like the plans they execute: the two innermost axes are a
 * 2-D block handled by the specialised loops of generated/copy-blocks-*.ts (contiguous rows become
 * `TypedArray.set`/`copyWithin`/`fill`, a transpose is walked in cache-sized tiles), and any outer axes
 * are an odometer around it. No division per element, no callback per element.
 *
 * Three rules keep V8's optimised code for the loops fast whatever ran before them:
 * - Every position reaches the loops as a small integer (a Smi). A plan's numbers can arrive as boxed
 *   doubles (an object field that once held a double keeps double storage for every object of its shape),
 *   and one boxed argument makes V8 recompile a loop for doubles, twice as slow, for good. So the numbers
 *   are re-made with `| 0` at the entry, and plans too large for small integers take a plain loop of
 *   their own (`copyLarge`, `fillLarge`).
 * - Each unit width has block kernels of its own (generated/copy-blocks-*.ts, written from
 *   templates/copy-blocks.ts by `npm run gen:cpu-loops`).
 * - Each block kernel is one function holding both of its loops (rows, and the elements of a row), so
 *   its type feedback comes from its own case alone.
 */

import * as words from './generated/copy-blocks-u32.js';
import * as halves from './generated/copy-blocks-u16.js';
import * as bytes from './generated/copy-blocks-u8.js';
import type { PlanOperand as Operand } from '../../ndarray/core/plan.js';
import { operandFits, walkRows } from './walk.js';

export type Units = Uint8Array | Uint16Array | Uint32Array;

/** What each generated copy-blocks module exports, for its own unit type. */
interface BlockKernels<T extends Units> {
  copyBlock(to: T, from: T, n0: number, n1: number, dBase: number, d0: number, d1: number, sBase: number, s0: number, s1: number): void;
  fillBlock(to: T, n0: number, n1: number, dBase: number, d0: number, d1: number, value: number): void;
}

/** Positions below this are small integers in V8 on every platform (31-bit Smis). */
const SMI_LIMIT = 2 ** 30;

const toSmi = (value: number): number => value | 0;

/** Whether all of an operand's positions over `shape` are small integers (see SMI_LIMIT). */
const fits = (shape: readonly number[], operand: Operand): boolean => operandFits(shape, operand.offset, operand.strides, SMI_LIMIT);

/** Calls `block(dstOffset, srcOffset)` for every combination of the outer axes (all but the last two). */
export function forEachBlock(
  shape: readonly number[],
  dOffset: number,
  dStrides: readonly number[],
  sOffset: number,
  sStrides: readonly number[],
  block: (d: number, s: number) => void,
): void {
  const outer = shape.length - 2;
  if (outer <= 0) {
    block(dOffset, sOffset);
    return;
  }
  const counter = new Array<number>(outer).fill(0);
  let d = dOffset;
  let s = sOffset;
  for (;;) {
    block(d, s);
    let axis = outer - 1;
    for (; axis >= 0; axis--) {
      counter[axis]++;
      d += dStrides[axis];
      s += sStrides[axis];
      if (counter[axis] < shape[axis]) break;
      d -= dStrides[axis] * shape[axis];
      s -= sStrides[axis] * shape[axis];
      counter[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/** `to[...] = from[...]` over a strided plan (units already chosen); operands never overlap. */
export function copyUnits(to: Units, from: Units, shape: readonly number[], dst: Operand, src: Operand): void {
  if (!fits(shape, dst) || !fits(shape, src)) return copyLarge(to, from, shape, dst, src);
  const rank = shape.length;
  const n0 = rank >= 2 ? shape[rank - 2] | 0 : 1;
  const n1 = shape[rank - 1] | 0;
  const d0 = rank >= 2 ? dst.strides[rank - 2] | 0 : 0;
  const s0 = rank >= 2 ? src.strides[rank - 2] | 0 : 0;
  const d1 = dst.strides[rank - 1] | 0;
  const s1 = src.strides[rank - 1] | 0;
  const blocks = blocksFor(to, from);
  // One block (most plans after merging): no odometer, nothing allocated.
  if (rank <= 2) return blocks.copyBlock(to, from, n0, n1, dst.offset | 0, d0, d1, src.offset | 0, s0, s1);
  const copyBlock = (dBase: number, sBase: number) => blocks.copyBlock(to, from, n0, n1, dBase, d0, d1, sBase, s0, s1);
  forEachBlock(shape.map(toSmi), dst.offset | 0, dst.strides.map(toSmi), src.offset | 0, src.strides.map(toSmi), copyBlock);
}

/** The block kernels of the operands' unit width (both operands have the plan's unit). */
function blocksFor<T extends Units>(to: T, from: T): BlockKernels<T>;
function blocksFor(to: Units, from: Units): BlockKernels<Units> {
  if (to instanceof Uint32Array && from instanceof Uint32Array) return words as BlockKernels<Units>;
  if (to instanceof Uint16Array && from instanceof Uint16Array) return halves as BlockKernels<Units>;
  if (to instanceof Uint8Array && from instanceof Uint8Array) return bytes as BlockKernels<Units>;
  throw new TypeError('internal error: a copy between units of different widths');
}

/** Plans whose positions pass 2^30 units (only byte units of a buffer over 1 GiB): a plain row walk with
 * Int32 or Float64 positions, kept apart from the fast loops so that they never see a double. Exported
 * for the kernel tests, which run it on small plans too. */
export function copyLarge(to: Units, from: Units, shape: readonly number[], dst: Operand, src: Operand): void {
  const last = shape.length - 1;
  const dStep = dst.strides[last];
  const sStep = src.strides[last];
  const sameBuffer = to === from; // the same block (blocks of the WebAssembly memory share one ArrayBuffer)
  walkRows(shape, [dst.offset, src.offset], [dst.strides, src.strides], (starts, n) => {
    const d = starts[0];
    const s = starts[1];
    if (dStep === 1 && sStep === 1) {
      if (sameBuffer) to.copyWithin(d, s, s + n);
      else to.set(from.subarray(s, s + n), d);
      return;
    }
    for (let j = 0; j < n; j++) to[d + j * dStep] = from[s + j * sStep];
  });
}

/** Writes `value` to every unit of a strided destination. */
export function fillUnits(to: Units, shape: readonly number[], dst: Operand, value: number): void {
  if (!fits(shape, dst)) return fillLarge(to, shape, dst, value);
  const rank = shape.length;
  const n0 = rank >= 2 ? shape[rank - 2] | 0 : 1;
  const n1 = shape[rank - 1] | 0;
  const d0 = rank >= 2 ? dst.strides[rank - 2] | 0 : 0;
  const d1 = dst.strides[rank - 1] | 0;
  const blocks = blocksFor(to, to);
  if (rank <= 2) return blocks.fillBlock(to, n0, n1, dst.offset | 0, d0, d1, value);
  const fillBlock = (dBase: number) => blocks.fillBlock(to, n0, n1, dBase, d0, d1, value);
  forEachBlock(
    shape.map(toSmi),
    dst.offset | 0,
    dst.strides.map(toSmi),
    0,
    shape.map(() => 0),
    fillBlock,
  );
}

/** `fillUnits` for plans past 2^30 units, like `copyLarge`. */
export function fillLarge(to: Units, shape: readonly number[], dst: Operand, value: number): void {
  const step = dst.strides[shape.length - 1];
  walkRows(shape, [dst.offset], [dst.strides], (starts, n) => {
    const d = starts[0];
    if (step === 1) to.fill(value, d, d + n);
    else for (let j = 0; j < n; j++) to[d + j * step] = value;
  });
}
