/**
 * The CPU backend's copy and fill loops against a one-element-at-a-time reference, on random plans over
 * every unit width: each block kernel (contiguous, reversed, broadcast, transposed tiles, pairs, gathers,
 * scatters, strided on both sides) under odometers of outer axes, and the plain walk that plans too large
 * for small integers take, run here on small plans so that both paths are held to the same answers.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random.js';
import { FAMILIES, generateCopy, KERNELS_WASM_FILE, kernelModuleSource } from '../scripts/gen-cpu-loops.js';
import { copyLarge, copyUnits, fillLarge, fillUnits, type Units } from '../src/device/cpu/copy.js';
import { instantiateKernels, type Kernels } from '../src/device/cpu/wasm/kernels.js';
import { copyInMemory, fillInMemory } from '../src/device/cpu/wasm/copy.js';
import { gemmInMemory } from '../src/device/cpu/wasm/gemm.js';
import type { CopyPlan, FillPlan, UnitSize } from '../src/ndarray/core/plan.js';

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

/**
 * The WebAssembly block kernels on the same random plans, with operands placed as blocks of one memory
 * (the destination first, then the source), plus larger transposes that cross the 64-unit tiles and the
 * 4 × 4 word blocks, and fills of 8-byte patterns whose halves differ.
 */
describe.each(UNIT_ARRAYS)('WebAssembly copy and fill kernels in %s units', (_name, make) => {
  const unit = make(1).BYTES_PER_ELEMENT as UnitSize;
  const memory = new WebAssembly.Memory({ initial: 8 });
  let kernels: Kernels;
  const ready = instantiateKernels(memory).then((k) => (kernels = k));
  /** Places `values` at byte address `at` (growing the memory as needed); returns the address. */
  const place = (values: Units, at: number): number => {
    const missing = at + values.byteLength + 64 - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    new Uint8Array(memory.buffer, at, values.byteLength).set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    return at;
  };
  const View = make(0).constructor as new (buffer: ArrayBuffer, at: number, length: number) => Units;
  const read = (at: number, length: number): Units => new View(memory.buffer, at, length).slice();
  const aligned = (bytes: number) => Math.ceil(bytes / 64) * 64 + 64;

  function checkCopy(shape: number[], dst: Operand, dstLength: number, src: Operand, from: Units, before: Units): void {
    const expected = before.slice();
    const d = positions(shape, dst);
    const s = positions(shape, src);
    for (let i = 0; i < d.length; i++) expected[d[i]] = from[s[i]];
    const dAt = place(before, 64);
    const sAt = place(from, 64 + aligned(dstLength * unit));
    const plan: CopyPlan = { unit, reversedLanes: false, shape, count: d.length, dst, src };
    copyInMemory(kernels, dAt, sAt, plan);
    expect(firstDifference(read(dAt, dstLength), expected), JSON.stringify({ shape, dst, src })).toBe(-1);
  }

  it('copy equals the element-by-element reference on random plans', async () => {
    await ready;
    const random = mulberry32(23);
    for (let trial = 0; trial < 600; trial++) {
      const shape = randomShape(random);
      const dst = distinctOperand(shape, random);
      const src = sourceOperand(shape, random);
      checkCopy(shape, dst.operand, dst.length, src.operand, filled(make, src.length, random), filled(make, dst.length, random));
    }
  });

  it('transposes larger than a tile, of every remainder modulo 4, equal the reference', async () => {
    await ready;
    const random = mulberry32(29);
    for (const [rows, cols] of [
      [70, 130],
      [129, 67],
      [5, 9],
      [64, 64],
    ]) {
      // dst (rows, cols) C-contiguous; src the transpose of a (cols, rows + pad) array, maybe reversed along one axis.
      for (const pad of [0, 3]) {
        const src: Operand = { offset: 0, strides: [1, rows + pad] };
        const length = cols * (rows + pad);
        checkCopy(
          [rows, cols],
          { offset: 0, strides: [cols, 1] },
          rows * cols,
          src,
          filled(make, length, random),
          filled(make, rows * cols, random),
        );
      }
    }
  });

  it('fill writes the value at every position of the plan and nowhere else', async () => {
    await ready;
    const random = mulberry32(31);
    for (let trial = 0; trial < 200; trial++) {
      const shape = randomShape(random);
      const dst = distinctOperand(shape, random);
      const before = filled(make, dst.length, random);
      // Alternately a value whose bytes are all alike (memory.fill) and one whose bytes differ.
      const value = trial % 2 === 0 ? (0x5a5a5a5a & (2 ** (8 * unit) - 1)) >>> 0 : (before[0] ^ 0x1234567) & (2 ** (8 * unit) - 1);
      const expected = before.slice();
      for (const p of positions(shape, dst.operand)) expected[p] = value >>> 0;
      const at = place(before, 64);
      const plan: FillPlan = { unit, shape, count: 0, dst: dst.operand, pattern: [value, value] };
      fillInMemory(kernels, at, plan, value >>> 0);
      expect(firstDifference(read(at, dst.length), expected), JSON.stringify({ shape, dst: dst.operand, value })).toBe(-1);
    }
  });

  it.runIf(unit === 4)('fill of 8-byte items whose halves differ puts each word at its half', async () => {
    await ready;
    const random = mulberry32(37);
    for (let trial = 0; trial < 200; trial++) {
      // Items of two words: an innermost pair axis, or pairs merged into contiguous rows.
      const shape = randomShape(random).map((n, k, all) => (k === all.length - 1 ? 2 * Math.ceil(n / 2) : n));
      const items = { offset: 0, strides: [] as number[] };
      let size = 1;
      for (let k = shape.length - 1; k >= 0; k--) {
        items.strides[k] = size * (k === shape.length - 1 ? 1 : 1 + Math.floor(random() * 2) * 2);
        size = items.strides[k] * shape[k] + (k === shape.length - 1 ? 0 : 0);
      }
      const length = positions(shape, items).reduce((a, b) => Math.max(a, b), 0) + 3;
      const before = filled(make, length, random);
      const [low, high] = [0x11223344, 0x55667788];
      const expected = before.slice();
      for (const p of positions(shape, items)) expected[p] = p % 2 === 0 ? low : high;
      const at = place(before, 64);
      fillInMemory(kernels, at, { unit: 4, shape, count: 0, dst: items, pattern: [low, high] }, null);
      expect(firstDifference(read(at, length), expected), JSON.stringify({ shape, items })).toBe(-1);
    }
  });
});

describe('generated loops', () => {
  it('the WebAssembly kernels (generated/kernels-wasm.ts) are what npm run gen:cpu-loops emits', () => {
    expect(readFileSync(KERNELS_WASM_FILE, 'utf8') === kernelModuleSource(), `${KERNELS_WASM_FILE}: run npm run gen:cpu-loops`).toBe(true);
  });

  it('every per-type copy of a template (generated/copy-blocks-*, run-loops-*, index-*, product-kernel-*) is what npm run gen:cpu-loops writes from its template', () => {
    for (const family of FAMILIES) {
      const template = readFileSync(family.template, 'utf8');
      for (const copy of family.copies) {
        expect(readFileSync(copy.file, 'utf8'), `${copy.file}: run npm run gen:cpu-loops`).toBe(generateCopy(family, template, copy));
      }
    }
  });
});

/**
 * The matrix-product kernels (the hook for the CPU's matmul) against a reference that adds in the order
 * they document — k in order from -0.0, each product and sum rounded to the item type — bit for bit, on
 * shapes that cross the micro-kernel's rows and columns and the blocks of k, with transposed, strided
 * and reversed operands.
 */
describe('WebAssembly gemm kernels', () => {
  const memory = new WebAssembly.Memory({ initial: 64 });
  const ready = instantiateKernels(memory);

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: C = A · B in k order, bit for bit`, async () => {
      const kernels = await ready;
      const size = dtype === 'float32' ? 4 : 8;
      const round = dtype === 'float32' ? Math.fround : (x: number) => x;
      const View = dtype === 'float32' ? Float32Array : Float64Array;
      const random = mulberry32(41);
      for (const [m, n, k] of [
        [5, 9, 3],
        [37, 45, 29],
        [8, 16, 300],
        [13, 7, 520],
        [1, 40, 300],
        [3, 17, 9],
      ]) {
        for (const layout of ['plain', 'transposed', 'strided'] as const) {
          // A lives in an (m, k) or (k, m) block, B in a (k, n) or (n, k) block; "strided" takes every second row of a taller block and reverses B's rows.
          const aRows = layout === 'transposed' ? k : layout === 'strided' ? 2 * m : m;
          const aCols = layout === 'transposed' ? m : k;
          const bRows = layout === 'transposed' ? n : k;
          const bCols = layout === 'transposed' ? k : n;
          const aAt = 65536;
          const bAt = aAt + Math.ceil((aRows * aCols * size) / 64) * 64 + 64;
          const cAt = bAt + Math.ceil((bRows * bCols * size) / 64) * 64 + 64;
          const items = new View(memory.buffer);
          const aBase = aAt / size;
          const bBase = bAt / size;
          for (let i = 0; i < aRows * aCols; i++) items[aBase + i] = round((random() - 0.5) * 8);
          for (let i = 0; i < bRows * bCols; i++) items[bBase + i] = round((random() - 0.5) * 8);
          const aStrides: [number, number] = layout === 'transposed' ? [1, aCols] : layout === 'strided' ? [2 * aCols, 1] : [aCols, 1];
          const bStrides: [number, number] = layout === 'transposed' ? [1, bCols] : layout === 'strided' ? [-bCols, 1] : [bCols, 1];
          const bStart = layout === 'strided' ? bAt + (k - 1) * bCols * size : bAt;
          gemmInMemory(kernels, { dtype, m, n, k, a: aAt, b: bStart, c: cAt, cRowStride: n, aStrides, bStrides });
          const result = new View(memory.buffer, cAt, m * n);
          const bFirst = bStart / size;
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let sum = -0;
              for (let p = 0; p < k; p++) {
                const a = items[aBase + i * aStrides[0] + p * aStrides[1]];
                const b = items[bFirst + p * bStrides[0] + j * bStrides[1]];
                sum = round(sum + round(a * b));
              }
              if (result[i * n + j] !== sum) expect(result[i * n + j], `${layout} (${m}, ${k}) · (${k}, ${n}) at [${i}, ${j}]`).toBe(sum);
            }
          }
        }
      }
    });
  }
});

/**
 * Blocks above 2 GiB: addresses there do not fit a signed 32-bit integer, so JavaScript hands them to the
 * kernels as negative i32s, and the kernels' address arithmetic must wrap back to them (modulo 2^32). The
 * memory grows past 2 GiB without touching its pages (the operating system commits only what is written).
 */
describe('WebAssembly kernels on blocks above 2 GiB', () => {
  it('copy, sum, add and cast there as anywhere', async () => {
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: (2 ** 31 + (4 << 20)) / 65536 });
    } catch {
      return expect.fail('this engine cannot make a WebAssembly memory beyond 2 GiB');
    }
    const kernels = await instantiateKernels(memory);
    const src = 2 ** 31 + 4096;
    const dst = 2 ** 31 + (1 << 20);
    const n = 1000;
    const input = new Float32Array(memory.buffer, src, n);
    for (let i = 0; i < n; i++) input[i] = i / 4;
    copyInMemory(kernels, dst, src, {
      unit: 4,
      reversedLanes: false,
      shape: [n],
      count: n,
      dst: { offset: 0, strides: [1] },
      src: { offset: n - 1, strides: [-1] },
    });
    const copied = new Float32Array(memory.buffer, dst, n);
    expect(Array.from(copied.subarray(0, 3))).toEqual([999 / 4, 998 / 4, 997 / 4]);
    expect(kernels.pairwise_f32(src, n, 4)).toBe((999 * 1000) / 8);
    const sum = 2 ** 31 + (2 << 20);
    kernels.ew_add_f32(sum, src, dst, 1, n, 0, 4, 0, 4, 0, 4);
    expect(Array.from(new Float32Array(memory.buffer, sum, n)).every((v) => v === 999 / 4)).toBe(true);
    const halves = 2 ** 31 + (3 << 20);
    kernels.cast_float32_int16(halves, src, 1, n, 0, 2, 0, 4);
    expect(Array.from(new Int16Array(memory.buffer, halves, 5))).toEqual([0, 0, 0, 0, 1]);
  });
});
