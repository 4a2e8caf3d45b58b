/**
 * The pure layer of joining, splitting and rearranging (src/ndarray/core/rearrange.ts, join.ts,
 * tiling.ts, pad.ts): layouts checked against NumPy's strides and offsets (int64, as the spec writes
 * them), and the copy pieces checked by applying them to plain JS arrays, element by element.
 */

import { describe, expect, it } from 'vitest';
import { freshLayout, makeLayout, sizeOf, type Layout } from '../src/ndarray/core/layout.js';
import { canCast, concatenationStrides, flatRunAs, joinedDType, numpyResultTypeOf } from '../src/ndarray/core/join.js';
import { padRegion, padRunLayouts, padRuns, padSourceIndex } from '../src/ndarray/core/pad.js';
import {
  atLeastLayout,
  broadcastOrMismatch,
  diagonalLayout,
  layoutFitsBuffer,
  moveAxisOrder,
  rollAxisOrder,
  rot90Layout,
  sectionBoundaries,
  slidingWindowLayout,
  splitLayouts,
} from '../src/ndarray/core/rearrange.js';
import { emptyTileLayout, prependUnitAxes, repeatPiece, rollPieces, tilePiece, type CopyPiece } from '../src/ndarray/core/tiling.js';
import type { DType } from '../src/index.js';

const C = (shape: number[], itemsize = 8) => freshLayout(shape, itemsize);
const plain = (l: Layout) => ({ shape: [...l.shape], strides: [...l.strides], offset: l.offset });

describe('view layouts (NumPy int64 strides)', () => {
  it('split: sections and Python slices between indices', () => {
    expect(sectionBoundaries(6, 4)).toEqual([0, 2, 4, 5, 6]);
    expect(sectionBoundaries(0, 3)).toEqual([0, 0, 0, 0]);
    // np.split(arange(6), [4, 2, 10, -1]): offsets 0, 0, 16, 0, 40 (empty pieces keep offset 0).
    const pieces = splitLayouts(C([6]), 0, [0, 4, 2, 10, -1, 6]).map(plain);
    expect(pieces).toEqual([
      { shape: [4], strides: [8], offset: 0 },
      { shape: [0], strides: [8], offset: 0 },
      { shape: [4], strides: [8], offset: 16 },
      { shape: [0], strides: [8], offset: 0 },
      { shape: [1], strides: [8], offset: 40 },
    ]);
    expect(splitLayouts(C([4, 6]), 1, [0, 3, 6]).map(plain)[1]).toEqual({ shape: [4, 3], strides: [48, 8], offset: 24 });
  });

  it('moveaxis and rollaxis permutations', () => {
    expect(moveAxisOrder(3, [0], [2])).toEqual([1, 2, 0]);
    expect(moveAxisOrder(3, [2], [0])).toEqual([2, 0, 1]);
    expect(moveAxisOrder(4, [0, 1], [3, 2])).toEqual([2, 3, 1, 0]);
    expect(rollAxisOrder(3, 2, 0)).toEqual([2, 0, 1]);
    expect(rollAxisOrder(3, 0, 3)).toEqual([1, 2, 0]);
    expect(rollAxisOrder(3, 1, 1)).toBe(null);
    expect(rollAxisOrder(3, 1, 2)).toBe(null);
  });

  it('diagonal: stride s1 + s2, the offset moved even for exactly zero elements, not beyond', () => {
    const m = C([3, 3]);
    expect(plain(diagonalLayout(m, 0, 0, 1))).toEqual({ shape: [3], strides: [32], offset: 0 });
    expect(plain(diagonalLayout(m, 1, 0, 1))).toEqual({ shape: [2], strides: [32], offset: 8 });
    expect(plain(diagonalLayout(m, -1, 0, 1))).toEqual({ shape: [2], strides: [32], offset: 24 });
    expect(diagonalLayout(m, 3, 0, 1).offset).toBe(24);
    expect(diagonalLayout(m, 4, 0, 1).offset).toBe(0);
    expect(plain(diagonalLayout(C([2, 3, 4]), 1, 2, 0))).toEqual({ shape: [3, 1], strides: [32, 104], offset: 96 });
  });

  it('rot90 follows NumPy steps', () => {
    const m = C([3, 4]);
    expect(plain(rot90Layout(m, 1, 0, 1))).toEqual({ shape: [4, 3], strides: [-8, 32], offset: 24 });
    expect(plain(rot90Layout(m, 2, 0, 1))).toEqual({ shape: [3, 4], strides: [-32, -8], offset: 88 });
    expect(plain(rot90Layout(m, 3, 0, 1))).toEqual({ shape: [4, 3], strides: [8, -32], offset: 64 });
    expect(rot90Layout(m, 4, 0, 1)).toBe(m);
  });

  it('sliding windows, atleast_nd and the bounds check', () => {
    expect(plain(slidingWindowLayout(C([3, 4]), [2, 2], [0, 0]))).toEqual({ shape: [1, 4, 2, 2], strides: [32, 8, 32, 32], offset: 0 });
    expect(plain(atLeastLayout(C([]), 2, 8)!)).toEqual({ shape: [1, 1], strides: [8, 8], offset: 0 });
    expect(plain(atLeastLayout(C([5]), 3, 8)!)).toEqual({ shape: [1, 5, 1], strides: [0, 8, 0], offset: 0 });
    expect(plain(atLeastLayout(C([2, 5]), 3, 8)!)).toEqual({ shape: [2, 5, 1], strides: [40, 8, 0], offset: 0 });
    expect(atLeastLayout(C([2, 5]), 2, 8)).toBe(null);
    expect(layoutFitsBuffer(makeLayout([3, 2], [8, 8], 0), 8, 32)).toBe(true);
    expect(layoutFitsBuffer(makeLayout([3, 2], [8, 8], 8), 8, 32)).toBe(false);
    expect(layoutFitsBuffer(makeLayout([3], [-8], 8), 8, 32)).toBe(false);
    expect(layoutFitsBuffer(makeLayout([0, 9], [800, 8], 4000), 8, 32)).toBe(true);
  });

  it('broadcast shapes or the pair of arguments NumPy names', () => {
    expect(broadcastOrMismatch([[3], [2, 1]])).toEqual({ shape: [2, 3] });
    expect(broadcastOrMismatch([[6], [3], [3, 4]])).toEqual({ mismatch: [0, 1] });
    expect(
      broadcastOrMismatch([
        [3, 4],
        [2, 3, 4],
        [5, 1, 1],
      ]),
    ).toEqual({ mismatch: [1, 2] });
  });
});

describe('joining rules', () => {
  it("result_type of several arrays starts from NumPy's most general type number", () => {
    expect(numpyResultTypeOf(['int8', 'uint8', 'float16'])).toBe('float16');
    expect(numpyResultTypeOf(['uint16', 'int16', 'float16'])).toBe('float32');
    expect(numpyResultTypeOf(['uint32', 'int8', 'float16'])).toBe('float64');
    expect(joinedDType(['uint32', 'int8', 'float16'])).toBe('float32');
    expect(joinedDType(['int32', 'uint32'])).toBe('int32');
    expect(joinedDType(['int64', 'uint32'])).toBe('int64');
  });

  it("casting rules: 'no', 'safe', 'same_kind', 'unsafe'", () => {
    const cases: [DType, DType, string, boolean][] = [
      ['int32', 'int32', 'no', true],
      ['int32', 'int64', 'no', false],
      ['int32', 'int64', 'safe', true],
      ['int32', 'float32', 'safe', false],
      ['int32', 'float32', 'same_kind', true],
      ['int32', 'uint32', 'same_kind', false],
      ['uint32', 'int32', 'same_kind', true],
      ['float64', 'int8', 'same_kind', false],
      ['float64', 'int8', 'unsafe', true],
      ['bool', 'float16', 'safe', true],
      ['int8', 'bool', 'same_kind', false],
    ];
    for (const [from, to, casting, want] of cases) expect(canCast(from, to, casting as 'no'), `${from} -> ${to} ${casting}`).toBe(want);
  });

  it("a concatenation's strides follow the inputs' memory order", () => {
    const t = makeLayout([4, 3], [4, 16], 0); // (3, 4) int32 transposed
    expect(concatenationStrides([t, t], [8, 3], 4)).toEqual([4, 32]);
    const expanded = makeLayout([4, 3, 1], [4, 16, 0], 0); // stack([m.T, m.T], axis=2)
    expect(concatenationStrides([expanded, expanded], [4, 3, 2], 4)).toEqual([8, 32, 4]);
    expect(concatenationStrides([C([2, 3], 4), t], [6, 3], 4)).toEqual([12, 4]); // first input decides
    expect(concatenationStrides([C([0, 3], 4)], [0, 3], 4)).toEqual([0, 0]);
    expect(plain(flatRunAs(makeLayout([24], [-4], 92), 6, [2, 3], 4))).toEqual({ shape: [2, 3], strides: [-12, -4], offset: 68 });
  });
});

/** Applies copy pieces the literal way: every element of every target from its source element. */
function applyPieces(pieces: readonly CopyPiece[], target: number[], source: readonly number[], itemsize: number): void {
  for (const { target: t, source: s } of pieces) {
    const n = sizeOf(t.shape);
    for (let flat = 0; flat < n; flat++) {
      let rest = flat;
      let to = t.offset;
      let from = s.offset;
      for (let k = t.shape.length - 1; k >= 0; k--) {
        const i = rest % t.shape[k];
        rest = Math.floor(rest / t.shape[k]);
        to += i * t.strides[k];
        from += i * s.strides[k];
      }
      target[to / itemsize] = source[from / itemsize];
    }
  }
}

describe('copy pieces (applied element by element)', () => {
  it('tile: one piece, repetition axes read with stride 0', () => {
    const source = makeLayout([2, 3], [12, 4], 0);
    const result = C([4, 6], 4);
    const out = new Array<number>(24).fill(-1);
    applyPieces([tilePiece(result, source, [2, 2])], out, [0, 1, 2, 3, 4, 5], 4);
    expect(out).toEqual([0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
    expect(plain(prependUnitAxes(C([3], 4), 2, 4))).toEqual({ shape: [1, 1, 3], strides: [12, 12, 4], offset: 0 });
    expect(plain(prependUnitAxes(makeLayout([3, 4], [4, 12], 0), 1, 4))).toEqual({ shape: [1, 3, 4], strides: [4, 4, 12], offset: 0 });
    // NumPy's empty tiles: the input's own strides when the shape is unchanged, else contiguous ones.
    expect(emptyTileLayout(makeLayout([0, 3], [0, 0], 0), [2, 1], [0, 3], 2).strides).toEqual([0, 0]);
    expect(emptyTileLayout(makeLayout([1, 3], [12, 4], 0), [0, 1], [0, 3], 4).strides).toEqual([0, 0]);
    expect(emptyTileLayout(makeLayout([3], [4], 0), [0], [0], 4).strides).toEqual([4]);
  });

  it('repeat: a run of equal counts is one piece', () => {
    const source = C([2, 3], 4);
    const result = C([2, 7], 4);
    const out = new Array<number>(14).fill(-1);
    applyPieces([repeatPiece(result, source, 1, 0, 2, 3, 0), repeatPiece(result, source, 1, 2, 1, 1, 6)], out, [0, 1, 2, 3, 4, 5], 4);
    expect(out).toEqual([0, 0, 0, 1, 1, 1, 2, 3, 3, 3, 4, 4, 4, 5]);
  });

  it('roll: two pieces per shifted axis', () => {
    const layout = C([3, 4], 4);
    const out = new Array<number>(12).fill(-1);
    const pieces = rollPieces(layout, layout, [1, 2]);
    expect(pieces).toHaveLength(4);
    applyPieces(pieces, out, [...Array(12).keys()], 4);
    expect(out).toEqual([10, 11, 8, 9, 2, 3, 0, 1, 6, 7, 4, 5]);
  });

  it('pad runs reproduce the index map for every width, mode and length', () => {
    for (const mode of ['edge', 'wrap', 'symmetric', 'reflect'] as const) {
      for (let n = 1; n <= 6; n++) {
        for (const [before, after] of [
          [0, 1],
          [3, 0],
          [7, 5],
          [13, 12],
          [1, 1],
        ]) {
          const size = before + n + after;
          const out = new Array<number>(size).fill(-1);
          for (let x = 0; x < n; x++) out[before + x] = x;
          const region = padRegion(C([size], 4), 0, [before], [n]);
          const runs = padRuns(mode, n, before, after);
          for (const run of runs) {
            const { target, source } = padRunLayouts(region, 0, run);
            applyPieces([{ target, source }], out, [...out], 4);
          }
          const want = Array.from({ length: size }, (_, i) => padSourceIndex(mode, n, i - before));
          expect(out, `${mode} n=${n} (${before}, ${after})`).toEqual(want);
          expect(runs.length, `${mode} n=${n}: a few copies per side`).toBeLessThanOrEqual(8);
        }
      }
    }
  });

  it('pad regions: axes before the padded one whole, after it their original range', () => {
    const result = C([5, 6, 7], 4);
    expect(plain(padRegion(result, 1, [1, 2, 3], [3, 2, 1]))).toEqual({ shape: [5, 6, 1], strides: [168, 28, 4], offset: 12 });
  });
});
