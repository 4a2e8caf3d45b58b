/**
 * `np.pad` as copies within the padded result. The original goes into the middle; then, axis by axis as
 * NumPy pads (axes before the current one already padded, the ones after it still their original
 * extent), each side of the axis is filled: with a constant, or by copying from the axis' original area.
 *
 * The modes other than 'constant' take every padded index x (relative to the original start; the axis
 * has n elements) from the original index f(x): 'edge' clamps, 'wrap' takes x mod n, 'symmetric' mirrors
 * with period 2n (edges repeated), 'reflect' with period 2n - 2 (edges not repeated; an axis of one
 * element acts as 'edge', NumPy's legacy rule). NumPy fills large widths chunk by chunk; its result is
 * this index map (checked against NumPy for every width up to several periods). Since f is periodic on
 * each side, a side is a few runs of one period, each copied to every period at once with a stride-0
 * source axis: at most a handful of copies per side, whatever the width.
 */

import { makeLayout, sliceAxis, type Layout } from './layout.js';

/** How `pad` fills the pads: a constant, the edge value, a reflection without or with the edge, or the
 * values from the other end. */
export type PadMode = 'constant' | 'edge' | 'reflect' | 'symmetric' | 'wrap';
export const PAD_MODES: readonly PadMode[] = ['constant', 'edge', 'reflect', 'symmetric', 'wrap'];

/** The original index that padded index `x` takes its value from (`0 <= x < n` is the original). */
export function padSourceIndex(mode: Exclude<PadMode, 'constant'>, n: number, x: number): number {
  const mod = (v: number, m: number) => ((v % m) + m) % m;
  switch (mode) {
    case 'edge':
      return Math.min(Math.max(x, 0), n - 1);
    case 'wrap':
      return mod(x, n);
    case 'symmetric': {
      const y = mod(x, 2 * n);
      return y < n ? y : 2 * n - 1 - y;
    }
    case 'reflect': {
      if (n === 1) return 0;
      const y = mod(x, 2 * n - 2);
      return y < n ? y : 2 * n - 2 - y;
    }
  }
}

/** The period of a side's index map ('edge' is constant on each side: period 1). */
function period(mode: Exclude<PadMode, 'constant'>, n: number): number {
  switch (mode) {
    case 'edge':
      return 1;
    case 'wrap':
      return n;
    case 'symmetric':
      return 2 * n;
    case 'reflect':
      return n === 1 ? 1 : 2 * n - 2;
  }
}

/**
 * One copy along the padded axis, in the result's indices along that axis: `count` repetitions, `period`
 * apart, of `length` elements from `to`, reading `length` elements from `from` with `step` (-1, 0 or 1) —
 * the same source elements for every repetition.
 */
export interface PadRun {
  readonly to: number;
  readonly count: number;
  readonly period: number;
  readonly length: number;
  readonly from: number;
  readonly step: -1 | 0 | 1;
}

/** Maximal runs of `f` over `[0, p)` along which it moves by a constant step of -1, 0 or 1. */
function linearRuns(p: number, f: (j: number) => number): { start: number; end: number; step: -1 | 0 | 1 }[] {
  const runs: { start: number; end: number; step: -1 | 0 | 1 }[] = [];
  let start = 0;
  while (start < p) {
    let end = start + 1;
    let step: -1 | 0 | 1 = 1;
    if (end < p) {
      const d = f(end) - f(start);
      if (d === -1 || d === 0 || d === 1) {
        step = d;
        while (end < p && f(end) - f(end - 1) === step) end++;
      }
    }
    runs.push({ start, end, step });
    start = end;
  }
  return runs;
}

/**
 * The copies that fill both sides of one axis: `n` original elements at `before` in the result (the
 * width of the leading pad), `after` padded elements behind them. Sources are result indices in
 * `[before, before + n)`; targets lie outside it.
 */
export function padRuns(mode: Exclude<PadMode, 'constant'>, n: number, before: number, after: number): PadRun[] {
  const p = period(mode, n);
  const f = (x: number) => padSourceIndex(mode, n, x);
  const runs: PadRun[] = [];
  // Leading side: block x in [-p, 0) (j = x + p), q whole periods ending at x = 0, then the rest before them.
  const leading = linearRuns(p, (j) => f(j - p));
  const q0 = Math.floor(before / p);
  const rest0 = before - q0 * p;
  for (const r of leading) {
    if (q0 > 0)
      runs.push({
        to: before - q0 * p + r.start,
        count: q0,
        period: p,
        length: r.end - r.start,
        from: before + f(r.start - p),
        step: r.step,
      });
    const start = Math.max(r.start, p - rest0);
    if (start < r.end) {
      runs.push({ to: before - q0 * p - p + start, count: 1, period: p, length: r.end - start, from: before + f(start - p), step: r.step });
    }
  }
  // Trailing side: block x in [n, n + p), q whole periods from x = n, then the first elements of one more.
  const trailing = linearRuns(p, (j) => f(n + j));
  const q1 = Math.floor(after / p);
  const rest1 = after - q1 * p;
  for (const r of trailing) {
    if (q1 > 0)
      runs.push({ to: before + n + r.start, count: q1, period: p, length: r.end - r.start, from: before + f(n + r.start), step: r.step });
    const end = Math.min(r.end, rest1);
    if (r.start < end) {
      runs.push({
        to: before + n + q1 * p + r.start,
        count: 1,
        period: p,
        length: end - r.start,
        from: before + f(n + r.start),
        step: r.step,
      });
    }
  }
  return runs;
}

/**
 * The part of `result` that padding `axis` reads or writes: the axes before it whole, the ones after it
 * restricted to their original range `[before[k], before[k] + shape[k])`.
 */
export function padRegion(result: Layout, axis: number, before: readonly number[], shape: readonly number[]): Layout {
  let region = result;
  for (let k = axis + 1; k < shape.length; k++) region = sliceAxis(region, k, before[k], shape[k], 1);
  return region;
}

/** A run's target and source in `region` (see padRegion): the axis becomes (count, length) on both
 * sides, the source with stride 0 along the repetitions. */
export function padRunLayouts(region: Layout, axis: number, run: PadRun): { target: Layout; source: Layout } {
  const stride = region.strides[axis];
  const shape = [...region.shape];
  shape.splice(axis, 1, run.count, run.length);
  const targetStrides = [...region.strides];
  targetStrides.splice(axis, 1, run.period * stride, stride);
  const sourceStrides = [...region.strides];
  sourceStrides.splice(axis, 1, 0, run.step * stride);
  return {
    target: makeLayout(shape, targetStrides, region.offset + run.to * stride),
    source: makeLayout(shape, sourceStrides, region.offset + run.from * stride),
  };
}
