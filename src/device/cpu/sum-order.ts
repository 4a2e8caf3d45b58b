/**
 * Where the CPU's float sums take their order of additions (shared by the JavaScript loops, ../reduce.ts,
 * and the WebAssembly kernels, ./wasm/reduce.ts), and the positions of elements along axes.
 */

import type { ReducePlan } from '../../ndarray/core/reduce-plan.js';

/** See `numpySumOrder`. */
export type SumOrder = { kind: 'elements'; axes: number[] } | { kind: 'runs'; inner: number; outer: number[] };

/** Positions (in items) of the elements along some axes, in C order. */
export function positions(shape: readonly number[], strides: readonly number[], base: number): Float64Array {
  const count = shape.reduce((p, n) => p * n, 1);
  const out = new Float64Array(count);
  const rank = shape.length;
  const counter = new Array<number>(rank).fill(0);
  let at = base;
  for (let i = 0; i < count; i++) {
    out[i] = at;
    for (let k = rank - 1; k >= 0; k--) {
      counter[k]++;
      at += strides[k];
      if (counter[k] < shape[k]) break;
      at -= strides[k] * shape[k];
      counter[k] = 0;
    }
  }
  return out;
}

/**
 * The order in which NumPy's iterator adds a float sum's elements, where ndgpu follows it:
 * - 'elements': the innermost axis in memory is a kept one (`a.sum(0)` of a C-ordered array,
 *   `a.T.sum(1)`...): the kept axes run inside, so every output adds its elements one at a time,
 *   `out += a[i]`, rounding each addition (not pairwise), over the reduced positions in memory order
 *   (`axes`: reduced axes by decreasing |stride|, each in its logical direction);
 * - 'runs': several reduced axes, a reduced one innermost (`sum((0, 2))` of a C-ordered 3-D array): each
 *   innermost run goes to the pairwise loop and the run sums are added one at a time, `out = out +
 *   pairwise(run)` (for float16 in float32, then rounded), over the `outer` reduced axes in memory order.
 * Null where NumPy does otherwise or ndgpu does not follow it: one output (NumPy sums the whole
 * reduction pairwise), one reduced axis innermost (one run per output), a converting dtype over runs
 * (NumPy buffers it in chunks), an ambiguous order (broadcast or equal strides over several reduced axes).
 */
export function numpySumOrder(plan: ReducePlan, outputs: number): SumOrder | null {
  const reduced = plan.reduced.strides.map(Math.abs);
  if (outputs < 2 || reduced.length === 0) return null;
  if (reduced.length > 1 && (reduced.includes(0) || new Set(reduced).size < reduced.length)) return null;
  const byDecreasingStride = (axes: number[]) => axes.sort((a, b) => reduced[b] - reduced[a]);
  // Infinity when every kept axis is broadcast.
  const keptInner = Math.min(...plan.kept.strides.map(Math.abs).filter((s) => s !== 0));
  if (Number.isFinite(keptInner) && reduced.every((s) => s === 0 || s > keptInner)) {
    return { kind: 'elements', axes: byDecreasingStride(reduced.map((_, k) => k)) };
  }
  if (reduced.length < 2 || plan.input !== plan.accumulator) return null;
  const inner = reduced.indexOf(Math.min(...reduced));
  if (!(reduced[inner] < keptInner)) return null;
  return { kind: 'runs', inner, outer: byDecreasingStride(reduced.map((_, k) => k).filter((k) => k !== inner)) };
}
