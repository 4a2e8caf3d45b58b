/** The pure planning step: what a copy or fill reduces to before any backend sees it. */

import { describe, expect, it } from 'vitest';
import { planCopy, planFill, planItems } from '../src/ndarray/core/plan.js';
import { makeLayout, type Layout } from '../src/ndarray/core/layout.js';
import { planReduction, splitReduction } from '../src/ndarray/core/reduce-plan.js';
import { mulberry32 } from './random.js';

const layout = makeLayout;

describe('planCopy', () => {
  it('merges axes contiguous in both operands and drops length-1 axes', () => {
    // (2, 1, 3, 4) float32, C-contiguous on both sides: one run of 24 words.
    const c = layout([2, 1, 3, 4], [48, 48, 16, 4], 0);
    expect(planCopy(c, c, 4)).toEqual({
      unit: 4,
      reversedLanes: false,
      shape: [24],
      count: 24,
      dst: { offset: 0, strides: [1] },
      src: { offset: 0, strides: [1] },
    });
  });

  it('orders axes by destination stride and walks the destination forwards', () => {
    // dst = a[::-1] of 5 int32 (offset 16, stride -4), src contiguous: the walk flips both.
    const plan = planCopy(layout([5], [-4], 16), layout([5], [4], 0), 4);
    expect(plan).toMatchObject({ shape: [5], dst: { offset: 0, strides: [1] }, src: { offset: 4, strides: [-1] } });
    // A transposed source: the destination's rows stay outermost.
    const t = planCopy(layout([3, 4], [16, 4], 0), layout([3, 4], [4, 12], 0), 4);
    expect(t).toMatchObject({ shape: [3, 4], dst: { strides: [4, 1] }, src: { strides: [1, 3] } });
  });

  it('splits 8-byte items into word pairs and widens aligned narrow items to words', () => {
    expect(planCopy(layout([3], [16], 0), layout([3], [8], 8), 8)).toMatchObject({
      unit: 4,
      shape: [3, 2],
      dst: { offset: 0, strides: [4, 1] },
      src: { offset: 2, strides: [2, 1] },
    });
    expect(planCopy(layout([8], [1], 4), layout([8], [1], 8), 1)).toMatchObject({
      unit: 4,
      shape: [2],
      dst: { offset: 1, strides: [1] },
      src: { offset: 2, strides: [1] },
    });
    expect(planCopy(layout([8], [1], 3), layout([8], [1], 8), 1)).toMatchObject({ unit: 1, shape: [8] });
  });

  it('reads reversed rows as vectors with reversed lanes on a 16-byte backend only', () => {
    const dst = layout([8], [4], 0);
    const src = layout([8], [-4], 28);
    expect(planCopy(dst, src, 4, 16)).toMatchObject({ unit: 16, reversedLanes: true, shape: [2], src: { offset: 1, strides: [-1] } });
    expect(planCopy(dst, src, 4, 4)).toMatchObject({ unit: 4, reversedLanes: false, shape: [8] });
  });

  it('holds plain integers: no -0 from flipping a broadcast axis, no double-valued shape', () => {
    const side = 2 ** (Number('12') / 1); // computed at run time: a double-valued 4096
    const plan = planCopy(layout([side], [-4], (side - 1) * 4), layout([side], [0], 0), 4);
    expect(plan?.shape).toEqual([4096]);
    expect(Object.is(plan?.src.strides[0], 0)).toBe(true);
    expect(plan?.src.strides.every(Number.isInteger)).toBe(true);
  });

  it('is null when nothing moves', () => {
    expect(planCopy(layout([0, 3], [12, 4], 0), layout([0, 3], [12, 4], 0), 4)).toBeNull();
  });
});

describe('planFill and planItems', () => {
  it('fills a strided column with one plan axis', () => {
    expect(planFill(layout([4, 2], [16, 8], 4), [7, 7], 4)).toEqual({
      unit: 4,
      shape: [8],
      count: 8,
      dst: { offset: 1, strides: [2] },
      pattern: [7, 7],
    });
  });

  it('keeps each operand in items of its own size', () => {
    const plan = planItems([layout([2, 3], [12, 4], 0), layout([2, 3], [3, 1], 0)], [4, 1]);
    expect(plan).toEqual({
      shape: [6],
      count: 6,
      operands: [
        { offset: 0, strides: [1] },
        { offset: 0, strides: [1] },
      ],
    });
  });
});

describe('planning state', () => {
  // Planning works in scratch arrays that every call reuses: a plan must depend only on its arguments,
  // never on what was planned before, and a plan already returned must never change.
  const random = mulberry32(2026);
  const int = (n: number) => Math.floor(random() * n);
  const randomLayout = (shape: readonly number[], itemsize: number): Layout => {
    const strides = shape.map(() => (int(9) - 4) * itemsize); // negative, zero and repeated strides
    return makeLayout(shape, strides, int(64) * itemsize);
  };
  const requests = Array.from({ length: 60 }, (_, i) => {
    const rank = i === 7 ? 64 : int(6); // one plan at NumPy's rank limit among small ones
    const shape = Array.from({ length: rank }, () => (rank > 8 ? 1 + int(2) : int(5)));
    const itemsize = [1, 2, 4, 8][int(4)];
    const kind = ['copy', 'fill', 'items'][int(3)];
    const operands = Array.from({ length: kind === 'items' ? 2 + int(3) : 2 }, () => randomLayout(shape, itemsize));
    const maxUnit = int(2) ? 16 : 4;
    return () =>
      kind === 'copy'
        ? planCopy(operands[0], operands[1], itemsize, maxUnit as 4 | 16)
        : kind === 'fill'
          ? planFill(operands[0], [1, 2], itemsize, maxUnit as 4 | 16)
          : planItems(
              operands,
              operands.map(() => itemsize),
            );
  });

  it('gives the same plans in any order, and never changes a plan it returned', () => {
    const forwards = requests.map((plan) => plan());
    const snapshot = JSON.stringify(forwards);
    const backwards = [...requests]
      .reverse()
      .map((plan) => plan())
      .reverse();
    expect(JSON.stringify(backwards)).toBe(snapshot);
    expect(JSON.stringify(forwards)).toBe(snapshot);
    expect(forwards.some((p) => p !== null && p.shape.length > 2)).toBe(true); // the sample has real plans
  });
});

describe('splitReduction', () => {
  it('covers every (output, element) pair exactly once, each piece within the span and output limits', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 200; trial++) {
      const rank = 1 + Math.floor(random() * 4);
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(random() * 9));
      const strides = Array.from({ length: rank }, () => Math.floor(random() * 40) - 20);
      const axes = shape.map((_, k) => k).filter(() => random() < 0.5);
      if (axes.length === 0) axes.push(0);
      const offset = 1000;
      const plan = planReduction(
        makeLayout(
          shape,
          strides.map((s) => s * 4),
          offset * 4,
        ),
        4,
        axes,
        'sum',
        'float32',
        'float32',
        'float32',
      );
      const maxSpan = 2 + Math.floor(random() * 60);
      const maxOutputs = 1 + Math.floor(random() * 5);
      const { pieces, parts } = splitReduction(plan, maxSpan, () => maxOutputs);
      const seen = new Map<string, number>();
      const locate = (axes: { shape: readonly number[]; strides: readonly number[] }, flat: number) => {
        let at = 0;
        for (let k = axes.shape.length - 1; k >= 0; k--) {
          at += (flat % axes.shape[k]) * axes.strides[k];
          flat = Math.floor(flat / axes.shape[k]);
        }
        return at;
      };
      for (const piece of pieces) {
        expect(piece.part).toBeLessThan(parts);
        for (let o = 0; o < piece.outputs; o++) {
          for (let r = 0; r < piece.length; r++) {
            const key = `${piece.outputBase + o}/${piece.positionBase + r}`;
            // The element a piece reads for (o, r) is the one the whole plan reads for the same pair.
            const element = piece.offset + locate(piece.kept, o) + locate(piece.reduced, r);
            const whole = plan.offset + locate(plan.kept, piece.outputBase + o) + locate(plan.reduced, piece.positionBase + r);
            expect(element).toBe(whole);
            seen.set(key, (seen.get(key) ?? 0) + 1);
          }
        }
        const extent = (a: { shape: readonly number[]; strides: readonly number[] }) =>
          a.shape.reduce((e, n, k) => e + (n - 1) * Math.abs(a.strides[k]), 0);
        if (piece.outputs * piece.length > 1) expect(extent(piece.kept) + extent(piece.reduced) + 1).toBeLessThanOrEqual(maxSpan);
        if (piece.outputs > 1) expect(piece.outputs).toBeLessThanOrEqual(maxOutputs);
      }
      expect(seen.size).toBe(plan.outputs * plan.length);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    }
  });
});
