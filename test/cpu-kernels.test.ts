/**
 * The CPU backend's copy and fill loops against a one-element-at-a-time reference, on random plans over
 * every unit width: each block kernel (contiguous, reversed, broadcast, transposed tiles, pairs, gathers,
 * scatters, strided on both sides) under odometers of outer axes, and the plain walk that plans too large
 * for small integers take, run here on small plans so that both paths are held to the same answers.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random.js';
import { FAMILIES, generateCopy } from '../scripts/gen-cpu-loops.js';
import { copyLarge, copyUnits, fillLarge, fillUnits, type Units } from '../src/device/cpu/copy.js';

interface Operand {
  offset: number;
  strides: number[];
}

/** Every position of an operand over `shape`, in iteration order (outermost axis first). */
function positions(shape: readonly number[], operand: Operand): number[] {
  const out: number[] = [];
  const visit = (axis: number, at: number): void => {
    if (axis === shape.length) {
      out.push(at);
      return;
    }
    for (let i = 0; i < shape[axis]; i++) visit(axis + 1, at + i * operand.strides[axis]);
  };
  visit(0, operand.offset);
  return out;
}

/** Strides that visit each unit of a dense block once, in a random axis order, then sliced by random
 * steps (negative ones included): a destination whose positions never repeat. */
function distinctOperand(shape: readonly number[], random: () => number): { operand: Operand; length: number } {
  const steps = shape.map(() => [1, 1, 2, 3, -1, -2][Math.floor(random() * 6)]);
  const order = shape.map((_, k) => k).sort(() => random() - 0.5);
  const strides = new Array<number>(shape.length).fill(0);
  let size = 1;
  for (const k of order.reverse()) {
    strides[k] = size * steps[k];
    size *= shape[k] * Math.abs(steps[k]);
  }
  const pad = Math.floor(random() * 5);
  let offset = pad;
  shape.forEach((n, k) => {
    if (strides[k] < 0) offset += (n - 1) * -strides[k];
  });
  return { operand: { offset, strides }, length: size + pad + 1 };
}

/** A source: like a destination, but axes may also broadcast (stride 0). */
function sourceOperand(shape: readonly number[], random: () => number): { operand: Operand; length: number } {
  const { operand, length } = distinctOperand(shape, random);
  const strides = operand.strides.map((s) => (random() < 0.2 ? 0 : s));
  return { operand: { offset: operand.offset, strides }, length };
}

const UNIT_ARRAYS: [string, (n: number) => Units][] = [
  ['uint8', (n) => new Uint8Array(n)],
  ['uint16', (n) => new Uint16Array(n)],
  ['uint32', (n) => new Uint32Array(n)],
];

function randomShape(random: () => number): number[] {
  const rank = 1 + Math.floor(random() * 4);
  // Rows of 2 units (pairs) or from 1 to 150: across the unrolled loops' remainders and the 64-unit tiles.
  const row = () => (random() < 0.25 ? 2 : 1 + Math.floor(random() * 150));
  // Up to 20 rows in the block: transposed tiles move eight rows at a time, then the rest one by one.
  const rows = () => 1 + Math.floor(random() * 20);
  return Array.from({ length: rank }, (_, k) => (k === rank - 1 ? row() : k === rank - 2 ? rows() : 1 + Math.floor(random() * 4)));
}

/** The first index where two unit arrays differ, or -1. */
function firstDifference(a: Units, b: Units): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function filled(make: (n: number) => Units, length: number, random: () => number): Units {
  const units = make(length);
  for (let i = 0; i < length; i++) units[i] = Math.floor(random() * 2 ** 32);
  return units;
}

describe.each(UNIT_ARRAYS)('CPU copy and fill loops in %s units', (_name, make) => {
  it('copy equals the element-by-element reference on random plans, on both paths', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 600; trial++) {
      const shape = randomShape(random);
      const dst = distinctOperand(shape, random);
      const src = sourceOperand(shape, random);
      const from = filled(make, src.length, random);
      const before = filled(make, dst.length, random);
      const expected = before.slice();
      const d = positions(shape, dst.operand);
      const s = positions(shape, src.operand);
      for (let i = 0; i < d.length; i++) expected[d[i]] = from[s[i]];
      for (const copy of [copyUnits, copyLarge]) {
        const to = before.slice();
        copy(to, from, shape, dst.operand, src.operand);
        expect(firstDifference(to, expected), `${copy.name} ${JSON.stringify({ shape, dst: dst.operand, src: src.operand })}`).toBe(-1);
      }
    }
  });

  it('a copy within one buffer (distinct ranges) equals the reference', () => {
    const random = mulberry32(11);
    for (let trial = 0; trial < 100; trial++) {
      const shape = randomShape(random);
      const dst = distinctOperand(shape, random);
      const src = sourceOperand(shape, random);
      const shift = dst.length; // the source lies after the destination in the same buffer
      const source = { offset: src.operand.offset + shift, strides: src.operand.strides };
      const before = filled(make, shift + src.length, random);
      const expected = before.slice();
      const d = positions(shape, dst.operand);
      const s = positions(shape, source);
      for (let i = 0; i < d.length; i++) expected[d[i]] = before[s[i]];
      for (const copy of [copyUnits, copyLarge]) {
        const units = before.slice();
        copy(units, units, shape, dst.operand, source);
        expect(firstDifference(units, expected), copy.name).toBe(-1);
      }
    }
  });

  it('a copy between two blocks of one ArrayBuffer (as in the WebAssembly memory) equals the reference', () => {
    const random = mulberry32(17);
    for (let trial = 0; trial < 100; trial++) {
      const shape = randomShape(random);
      const dst = distinctOperand(shape, random);
      const src = sourceOperand(shape, random);
      const from = filled(make, src.length, random);
      const before = filled(make, dst.length, random);
      const expected = before.slice();
      const d = positions(shape, dst.operand);
      const s = positions(shape, src.operand);
      for (let i = 0; i < d.length; i++) expected[d[i]] = from[s[i]];
      for (const copy of [copyUnits, copyLarge]) {
        // The source block first, then the destination block, in one buffer; both views start at 0 of their block.
        const memory = make(src.length + dst.length);
        const source = memory.subarray(0, src.length);
        const target = memory.subarray(src.length);
        source.set(from);
        target.set(before);
        copy(target, source, shape, dst.operand, src.operand);
        expect(firstDifference(target.slice(), expected), copy.name).toBe(-1);
      }
    }
  });

  it('fill writes the value at every position of the plan and nowhere else, on both paths', () => {
    const random = mulberry32(13);
    for (let trial = 0; trial < 200; trial++) {
      const shape = randomShape(random);
      const dst = distinctOperand(shape, random);
      const before = filled(make, dst.length, random);
      const value = before[0] ^ 0x5a; // within every unit width
      const expected = before.slice();
      for (const p of positions(shape, dst.operand)) expected[p] = value;
      for (const fill of [fillUnits, fillLarge]) {
        const to = before.slice();
        fill(to, shape, dst.operand, value);
        expect(firstDifference(to, expected), `${fill.name} ${JSON.stringify({ shape, dst: dst.operand })}`).toBe(-1);
      }
    }
  });
});

describe('generated loops', () => {
  it('every per-type copy (generated/copy-blocks-*.ts, generated/run-loops-*.ts) is what npm run gen:cpu-loops writes from its template', () => {
    for (const family of FAMILIES) {
      const template = readFileSync(family.template, 'utf8');
      for (const copy of family.copies) {
        expect(readFileSync(copy.file, 'utf8'), `${copy.file}: run npm run gen:cpu-loops`).toBe(
          generateCopy(family, template, copy.typeLine),
        );
      }
    }
  });
});
