/**
 * What a reduction must do, ready for a backend: for each output element (over the kept axes) combine
 * `length` source elements (over the reduced axes, in C order, so a position along them is NumPy's flat
 * index for argmin/argmax). The result is written contiguously, one value per output, in the plan's
 * `temp` dtype (the accumulator's 32-bit class on the GPU: bool partials are uint32 words).
 */

import type { DType } from './dtype.js';
import type { Layout } from './layout.js';

/** The reductions every backend executes. */
export type ReductionName = 'sum' | 'prod' | 'mean' | 'min' | 'max' | 'argmin' | 'argmax' | 'any' | 'all';

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
  /**
   * Set for the mean of integers (an exact 64-bit integer accumulator): each output's exact sum is
   * divided by this count, rounded once to float64 and then to the `temp` dtype (float32), as NumPy's
   * float64 mean cast to float32. The backend writes the means themselves.
   */
  readonly divisor?: number;
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
  divisor?: number,
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
    ...(divisor === undefined ? {} : { divisor }),
  };
}

/**
 * A piece of a reduction: the outputs `outputBase .. outputBase + outputs` (flat, C order over the kept
 * axes), each combining its elements `positionBase .. positionBase + length` (flat over the reduced axes).
 * `part` numbers the piece's range of reduced elements among the reduction's `parts`.
 */
export interface ReducePiece {
  /** Source offset of the piece's first element, in items. */
  readonly offset: number;
  readonly outputs: number;
  readonly length: number;
  readonly kept: ReduceAxes;
  readonly reduced: ReduceAxes;
  readonly outputBase: number;
  readonly positionBase: number;
  readonly part: number;
}

/** A box of an axis space: axes (outermost first), the offset of its first element, its flat base. */
interface Box {
  readonly axes: ReduceAxes;
  readonly offset: number;
  readonly base: number;
}

/** The item span `[low, high)` that a box's elements reach, relative to its offset. */
function boxExtent(axes: ReduceAxes): number {
  let extent = 1;
  axes.shape.forEach((n, k) => (extent += (n - 1) * Math.abs(axes.strides[k])));
  return extent;
}

/** Halves a box along its outermost axis (dropping it where it is down to length 1): the two halves
 * are consecutive ranges of flat positions. */
function halve(box: Box): Box[] {
  const { shape, strides } = box.axes;
  if (shape.length === 0) return [box];
  if (shape[0] === 1) return halve({ axes: { shape: shape.slice(1), strides: strides.slice(1) }, offset: box.offset, base: box.base });
  const half = Math.ceil(shape[0] / 2);
  const inner = shape.slice(1).reduce((p, n) => p * n, 1);
  const part = (start: number, length: number): Box => ({
    axes: { shape: [length, ...shape.slice(1)], strides },
    offset: box.offset + start * strides[0],
    base: box.base + start * inner,
  });
  return [part(0, half), part(half, shape[0] - half)];
}

/** Splits boxes until every one satisfies `fits` (a box of one element always does, for a sane `fits`). */
function splitBoxes(boxes: readonly Box[], fits: (box: Box) => boolean): Box[] {
  const out: Box[] = [];
  for (const box of boxes) {
    if (fits(box) || box.axes.shape.every((n) => n === 1)) out.push(box);
    else out.push(...splitBoxes(halve(box), fits));
  }
  return out;
}

/**
 * Splits a reduction into pieces whose source elements each span at most `maxSpan` items: the reduced
 * elements of an output into parts spanning at most half of it, then the outputs into ranges whose
 * elements fit beside the widest part, and of at most `maxOutputs(parts)` outputs. Pieces of one part can
 * be written straight to their outputs; several parts leave partial results per output and part to be
 * combined afterwards.
 */
export function splitReduction(
  plan: ReducePlan,
  maxSpan: number,
  maxOutputs: (parts: number) => number,
): { pieces: ReducePiece[]; parts: number } {
  const reducedParts = splitBoxes([{ axes: plan.reduced, offset: 0, base: 0 }], (box) => boxExtent(box.axes) <= maxSpan / 2);
  const widest = Math.max(...reducedParts.map((box) => boxExtent(box.axes)));
  const count = (axes: ReduceAxes) => axes.shape.reduce((p, n) => p * n, 1);
  const outputsLimit = maxOutputs(reducedParts.length);
  const keptParts = splitBoxes(
    [{ axes: plan.kept, offset: plan.offset, base: 0 }],
    (box) => boxExtent(box.axes) + widest - 1 <= maxSpan && count(box.axes) <= outputsLimit,
  );
  const pieces: ReducePiece[] = [];
  for (const kept of keptParts) {
    reducedParts.forEach((reduced, part) => {
      pieces.push({
        offset: kept.offset + reduced.offset,
        outputs: count(kept.axes),
        length: count(reduced.axes),
        kept: kept.axes,
        reduced: reduced.axes,
        outputBase: kept.base,
        positionBase: reduced.base,
        part,
      });
    });
  }
  return { pieces, parts: reducedParts.length };
}
