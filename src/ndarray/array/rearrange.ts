/**
 * NumPy's rearranging views with NumPy's argument rules and messages: split and its spellings, moveaxis,
 * rollaxis, diagonal, fliplr/flipud, rot90, sliding_window_view, as_strided, atleast_*d and
 * broadcast_arrays. Each returns the layout(s) of the view(s); `ndarray.ts` and `context.ts` make the
 * arrays (views share the source's memory and owner). The layouts themselves come from core/rearrange.ts.
 */

import { AxisError, IndexError, ValueError, axisList, normalizeAxis, notAnInteger, shapeRepr } from '../core/errors.js';
import { broadcastLayout, flipAxis, permute, type Layout } from '../core/layout.js';
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
} from '../core/rearrange.js';
import { checkNewShape } from '../core/shape-args.js';

/** `'float' object cannot be interpreted as an integer`, as Python says of a non-integral argument. */
export function checkInteger(value: unknown, what?: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const error = notAnInteger(value);
  throw what ? new TypeError(`${what}: ${error.message}`) : error;
}

/** NumPy's `normalize_axis_tuple`: one axis or several, each normalised (AxisError prefixed with the
 * argument's name), repeats refused unless allowed. */
export function normalizeAxes(axis: number | readonly number[], ndim: number, argname?: string, allowDuplicates = false): number[] {
  const list = axisList(axis);
  const axes = list.map((a) => normalizeAxis(a, ndim, argname));
  if (!allowDuplicates && new Set(axes).size !== axes.length) {
    throw new ValueError(argname ? `repeated axis in \`${argname}\` argument` : 'repeated axis');
  }
  return axes;
}

// ------------------------------------------------------------------------------------------------
// Splitting

export type SplitKind = 'split' | 'array_split';

/**
 * The pieces of `np.split` / `np.array_split`: `sections` equal pieces (array_split: the first
 * `length % sections` one longer), or the pieces between `indices` (Python slices: negative and
 * out-of-range indices clip, unsorted ones give empty pieces).
 */
export function splitViews(layout: Layout, sectionsOrIndices: number | readonly number[], axis: number, kind: SplitKind): Layout[] {
  if (!Number.isInteger(axis))
    throw new TypeError(`tuple indices must be integers or slices, not ${typeof axis === 'number' ? 'float' : typeof axis}`);
  // NumPy reads `a.shape[axis]` first: a bad axis is Python's IndexError on the shape tuple.
  const ndim = layout.shape.length;
  if (axis < -ndim || axis >= ndim) throw new IndexError('tuple index out of range');
  const k = axis < 0 ? axis + ndim : axis;
  const n = layout.shape[k];
  let bounds: number[];
  if (typeof sectionsOrIndices === 'number') {
    const sections = sectionsOrIndices;
    if (!Number.isFinite(sections)) throw new TypeError(`'float' object cannot be interpreted as an integer`);
    // split checks divisibility with Python's `%` first (so 2.5 sections is "not an equal division");
    // array_split truncates to an int. Zero sections is NumPy's ZeroDivisionError in split (see README).
    if (kind === 'split' && sections !== 0 && n % sections !== 0) {
      throw new ValueError('array split does not result in an equal division');
    }
    const count = Math.trunc(sections);
    if (count <= 0) throw new ValueError('number sections must be larger than 0.');
    bounds = sectionBoundaries(n, count);
  } else {
    if (!Array.isArray(sectionsOrIndices)) throw new TypeError('split() takes a number of sections or a list of indices');
    for (const index of sectionsOrIndices) {
      if (!Number.isInteger(index)) throw new TypeError('slice indices must be integers or None or have an __index__ method');
    }
    bounds = [0, ...sectionsOrIndices, n];
  }
  return splitLayouts(layout, k, bounds);
}

const SPLIT_AXIS = { hsplit: 1, vsplit: 0, dsplit: 2 } as const;
const SPLIT_MIN_NDIM = { hsplit: 1, vsplit: 2, dsplit: 3 } as const;

/** `np.hsplit` (axis 1, or 0 for 1-D arrays), `np.vsplit` (axis 0), `np.dsplit` (axis 2). */
export function directionalSplitViews(
  layout: Layout,
  sectionsOrIndices: number | readonly number[],
  which: keyof typeof SPLIT_AXIS,
): Layout[] {
  const ndim = layout.shape.length;
  const min = SPLIT_MIN_NDIM[which];
  if (ndim < min) {
    throw new ValueError(`${which} only works on arrays of ${min} or more dimensions`);
  }
  const axis = which === 'hsplit' && ndim === 1 ? 0 : SPLIT_AXIS[which];
  return splitViews(layout, sectionsOrIndices, axis, 'split');
}

// ------------------------------------------------------------------------------------------------
// Axes

export function moveaxisView(layout: Layout, source: number | readonly number[], destination: number | readonly number[]): Layout {
  const ndim = layout.shape.length;
  const from = normalizeAxes(source, ndim, 'source');
  const to = normalizeAxes(destination, ndim, 'destination');
  if (from.length !== to.length) {
    throw new ValueError('`source` and `destination` arguments must have the same number of elements');
  }
  return permute(layout, moveAxisOrder(ndim, from, to));
}

export function rollaxisView(layout: Layout, axis: number, start: number): Layout {
  const ndim = layout.shape.length;
  const k = normalizeAxis(axis, ndim);
  checkInteger(start);
  const at = start < 0 ? start + ndim : start;
  if (!(at >= 0 && at < ndim + 1)) {
    throw new AxisError(`'start' arg requires ${-ndim} <= start < ${ndim + 1}, but ${at} was passed in`);
  }
  const order = rollAxisOrder(ndim, k, at);
  return order ? permute(layout, order) : layout;
}

/** `a.diagonal(offset, axis1, axis2)`; NumPy returns it read-only. */
export function diagonalView(layout: Layout, offset: number, axis1: number, axis2: number): Layout {
  checkInteger(offset);
  const ndim = layout.shape.length;
  if (ndim < 2) throw new ValueError('diag requires an array of at least two dimensions');
  const a = normalizeAxis(axis1, ndim, 'axis1');
  const b = normalizeAxis(axis2, ndim, 'axis2');
  if (a === b) throw new ValueError('axis1 and axis2 cannot be the same');
  return diagonalLayout(layout, offset, a, b);
}

export function fliplrView(layout: Layout): Layout {
  if (layout.shape.length < 2) throw new ValueError('Input must be >= 2-d.');
  return flipAxis(layout, 1);
}

export function flipudView(layout: Layout): Layout {
  if (layout.shape.length < 1) throw new ValueError('Input must be >= 1-d.');
  return flipAxis(layout, 0);
}

export function rot90View(layout: Layout, k: number, axes: readonly number[]): Layout {
  if (!Array.isArray(axes) || axes.length !== 2) throw new ValueError('len(axes) must be 2.');
  const [p, q] = axes as [number, number];
  checkInteger(p);
  checkInteger(q);
  const ndim = layout.shape.length;
  if (p === q || Math.abs(p - q) === ndim) throw new ValueError('Axes must be different.');
  if (p >= ndim || p < -ndim || q >= ndim || q < -ndim) {
    throw new ValueError(`Axes=(${p}, ${q}) out of range for array of ndim=${ndim}.`);
  }
  // NumPy reduces k with Python's `%` and then tests for 0, 2 and 1; anything else turns as 3 (so a k of
  // 1.5 turns three times).
  if (typeof k !== 'number' || !Number.isFinite(k)) throw new TypeError('rot90: k must be a number');
  const reduced = ((k % 4) + 4) % 4;
  const turns = reduced === 0 || reduced === 1 || reduced === 2 ? reduced : 3;
  return rot90Layout(layout, turns, (p + ndim) % ndim, (q + ndim) % ndim);
}

// ------------------------------------------------------------------------------------------------
// Windows and arbitrary strides

export function slidingWindowView(
  layout: Layout,
  windowShape: number | readonly number[],
  axis?: number | readonly number[] | null,
): Layout {
  const window = (typeof windowShape === 'number' ? [windowShape] : [...windowShape]).map((n) => checkInteger(n));
  if (window.some((n) => n < 0)) throw new ValueError('`window_shape` cannot contain negative values');
  const ndim = layout.shape.length;
  let axes: number[];
  if (axis === undefined || axis === null) {
    axes = [...Array(ndim).keys()];
    if (window.length !== ndim) {
      throw new ValueError(
        `Since axis is \`None\`, must provide window_shape for all dimensions of \`x\`; got ${window.length} window_shape elements and \`x.ndim\` is ${ndim}.`,
      );
    }
  } else {
    axes = normalizeAxes(axis, ndim, undefined, true);
    if (window.length !== axes.length) {
      throw new ValueError(
        `Must provide matching length window_shape and axis; got ${window.length} window_shape elements and ${axes.length} axes elements.`,
      );
    }
  }
  const remaining = [...layout.shape];
  axes.forEach((a, k) => {
    if (remaining[a] < window[k]) throw new ValueError('window shape cannot be larger than input array shape');
    remaining[a] -= window[k] - 1;
  });
  return slidingWindowLayout(layout, window, axes);
}

/**
 * `as_strided(a, shape, strides)` from `a`'s first element, checked where NumPy is not: every element
 * must lie inside the memory (`byteLength` bytes) and be aligned to the item size (GPUs read whole items).
 */
export function asStridedView(
  layout: Layout,
  itemsize: number,
  byteLength: number,
  shape: readonly number[] = layout.shape,
  strides: readonly number[] = layout.strides,
): Layout {
  const newShape = checkNewShape([...shape]);
  const newStrides = [...strides].map((s) => checkInteger(s));
  if (newStrides.length !== newShape.length) throw new ValueError('mismatch in length of strides and shape');
  if (newStrides.some((s, k) => newShape[k] > 1 && s % itemsize !== 0)) {
    throw new ValueError(`as_strided: strides must be multiples of the item size (${itemsize} bytes) on the GPU`);
  }
  const view: Layout = { shape: newShape, strides: newStrides, offset: layout.offset };
  if (!layoutFitsBuffer(view, itemsize, byteLength)) {
    throw new ValueError(
      `as_strided: a view of shape ${shapeRepr(newShape)} and strides ${shapeRepr(newStrides)} from byte ${layout.offset} would reach outside its memory (${byteLength} bytes); ndgpu checks what NumPy does not`,
    );
  }
  return view;
}

// ------------------------------------------------------------------------------------------------
// Broadcasting and minimum dimensions

/** `np.atleast_1d/2d/3d` of one array: its layout with axes added, or null where NumPy returns the input
 * itself. */
export function atLeastView(layout: Layout, ndim: 1 | 2 | 3, itemsize: number): Layout | null {
  return atLeastLayout(layout, ndim, itemsize);
}

/** `np.broadcast_arrays`: each input's broadcast layout, or null for inputs already of the common shape
 * (NumPy returns those themselves). */
export function broadcastArraysViews(layouts: readonly Layout[]): (Layout | null)[] {
  const result = broadcastOrMismatch(layouts.map((l) => l.shape));
  if ('mismatch' in result) {
    const [i, j] = result.mismatch;
    throw new ValueError(
      `shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg ${i} with shape ${shapeRepr(layouts[i].shape)} and arg ${j} with shape ${shapeRepr(layouts[j].shape)}.`,
    );
  }
  const { shape } = result;
  return layouts.map((l) => {
    if (l.shape.length === shape.length && l.shape.every((n, k) => n === shape[k])) return null;
    return broadcastLayout(l, shape) as Layout;
  });
}
