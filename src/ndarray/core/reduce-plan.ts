/**
 * What a reduction must do, ready for a backend: for each output element (over the kept axes) combine
 * `length` source elements (over the reduced axes, in C order, so a position along them is NumPy's flat
 * index for argmin/argmax). The result is written contiguously, one value per output, in the plan's
 * `temp` dtype (the accumulator's 32-bit class on the GPU: bool partials are uint32 words).
 */

import type { DType } from './dtype.js';
import type { Layout } from './layout.js';
import type { ReductionName } from '../ops/reductions.js';

export interface ReduceAxes {
  readonly shape: readonly number[];
  /** Source strides in items. */
  readonly strides: readonly number[];
}

export interface ReducePlan {
  readonly op: ReductionName;
  /** The source's dtype and the dtype its values are converted to before combining. */
  readonly input: DType;
  readonly accumulator: DType;
  /** The dtype of the written results (contiguous; int32 positions for arg reductions). */
  readonly temp: DType;
  /** Source offset in items. */
  readonly offset: number;
  readonly outputs: number;
  readonly length: number;
  readonly kept: ReduceAxes;
  readonly reduced: ReduceAxes;
}

/** Merges neighbouring axes that are contiguous in the source, keeping C order (positions stay flat indices). */
function mergeInOrder(shape: readonly number[], strides: readonly number[]): ReduceAxes {
  const outShape: number[] = [];
  const outStrides: number[] = [];
  shape.forEach((n, k) => {
    if (n === 1) return;
    const last = outShape.length - 1;
    if (last >= 0 && outStrides[last] === n * strides[k]) {
      outShape[last] *= n;
      outStrides[last] = strides[k];
    } else {
      outShape.push(n);
      outStrides.push(strides[k]);
    }
  });
  return { shape: outShape, strides: outStrides };
}

/** Plans reducing `layout` (byte strides, `itemsize`) over `axes` (normalised, distinct). */
export function planReduction(
  layout: Layout,
  itemsize: number,
  axes: readonly number[],
  op: ReductionName,
  input: DType,
  accumulator: DType,
  temp: DType,
): ReducePlan {
  const reducedSet = new Set(axes);
  const items = layout.strides.map((s) => s / itemsize);
  const keptShape = layout.shape.filter((_, k) => !reducedSet.has(k));
  const keptStrides = items.filter((_, k) => !reducedSet.has(k));
  const reducedShape = layout.shape.filter((_, k) => reducedSet.has(k));
  const reducedStrides = items.filter((_, k) => reducedSet.has(k));
  return {
    op,
    input,
    accumulator,
    temp,
    offset: layout.offset / itemsize,
    outputs: keptShape.reduce((p, n) => p * n, 1),
    length: reducedShape.reduce((p, n) => p * n, 1),
    kept: mergeInOrder(keptShape, keptStrides),
    reduced: mergeInOrder(reducedShape, reducedStrides),
  };
}
