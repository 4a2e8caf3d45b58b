/**
 * The view algebra: a frozen `Layout { shape, strides, offset }` (strides and offset in bytes, as NumPy's)
 * and the pure movement operations on it. Every view ndgpu makes is one of these functions applied to its
 * source's layout; none of them allocates device memory or knows about backends.
 */

/** Where an array's elements lie in its memory (NumPy's shape, strides and data offset, in bytes). */
export interface Layout {
  /** Length of each axis. */
  readonly shape: readonly number[];
  /** Bytes between neighbouring elements along each axis; may be negative or zero. */
  readonly strides: readonly number[];
  /** Bytes from the start of the buffer to element (0, 0, ...). */
  readonly offset: number;
}

export type MemoryOrder = 'C' | 'F';

/** A new layout. Its arrays are copies and are never mutated afterwards (the types say readonly;
 * freezing them at run time would cost more than views themselves). */
export function makeLayout(shape: readonly number[], strides: readonly number[], offset: number): Layout {
  return { shape: smallIntegerCopy(shape), strides: smallIntegerCopy(strides), offset };
}

/**
 * A copy of `values`, re-made with `| 0` where every value is an int32. V8 keeps a number computed as a
 * double (`Math.sqrt(n)`, `n / 2`) boxed, even when it is a whole number: a shape made of such numbers
 * used to reach the CPU's loops as boxed doubles, and V8 recompiled them for doubles (a.sum() of a
 * (4096, 4096) array 15 -> 30 ms when the 4096 came from `Math.sqrt`). Views copy their layouts' arrays
 * from here on, so they stay small integers.
 */
function smallIntegerCopy(values: readonly number[]): number[] {
  for (let k = 0; k < values.length; k++) if ((values[k] | 0) !== values[k]) return values.slice();
  return values.map(toInt32);
}

const toInt32 = (value: number): number => value | 0;

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const n of shape) size *= n;
  return size;
}

/** NumPy's strides for a contiguous layout of `shape` (§1.5: a length-0 axis counts as 1). */
export function contiguousStrides(shape: readonly number[], itemsize: number, order: MemoryOrder): number[] {
  const strides = new Array<number>(shape.length);
  let step = itemsize;
  if (order === 'C') {
    for (let k = shape.length - 1; k >= 0; k--) {
      strides[k] = step;
      step *= shape[k] || 1;
    }
  } else {
    for (let k = 0; k < shape.length; k++) {
      strides[k] = step;
      step *= shape[k] || 1;
    }
  }
  return strides;
}

/** The layout of newly allocated memory: contiguous, except that NumPy gives size-0 arrays all-zero strides. */
export function freshLayout(shape: readonly number[], itemsize: number, order: MemoryOrder = 'C'): Layout {
  const strides = sizeOf(shape) === 0 ? shape.map(() => 0) : contiguousStrides(shape, itemsize, order);
  return makeLayout(shape, strides, 0);
}

function isContiguousIn(layout: Layout, itemsize: number, axesInnerFirst: number[]): boolean {
  if (layout.shape.some((n) => n === 0)) return true;
  let expect = itemsize;
  for (const k of axesInnerFirst) {
    const n = layout.shape[k];
    if (n !== 1) {
      if (layout.strides[k] !== expect) return false;
      expect *= n;
    }
  }
  return true;
}

/** NumPy's C_CONTIGUOUS flag (length-1 axes are ignored; any size-0 array is contiguous). */
export function isCContiguous(layout: Layout, itemsize: number): boolean {
  const axes = layout.shape.map((_, k) => k).reverse();
  return isContiguousIn(layout, itemsize, axes);
}

/** NumPy's F_CONTIGUOUS flag. */
export function isFContiguous(layout: Layout, itemsize: number): boolean {
  return isContiguousIn(
    layout,
    itemsize,
    layout.shape.map((_, k) => k),
  );
}

/** Reorders the axes: result axis k is source axis `axes[k]`. */
export function permute(layout: Layout, axes: readonly number[]): Layout {
  return makeLayout(
    axes.map((a) => layout.shape[a]),
    axes.map((a) => layout.strides[a]),
    layout.offset,
  );
}

/** Takes `length` elements starting at `start` with `step` along `axis` (bounds already normalised). */
export function sliceAxis(layout: Layout, axis: number, start: number, length: number, step: number): Layout {
  const shape = [...layout.shape];
  const strides = [...layout.strides];
  shape[axis] = length;
  strides[axis] = layout.strides[axis] * step + 0; // + 0: a zero stride reversed stays 0, not -0
  return makeLayout(shape, strides, layout.offset + start * layout.strides[axis]);
}

/** Selects element `index` (already in range) of `axis`, removing that axis. */
export function pickIndex(layout: Layout, axis: number, index: number): Layout {
  const shape = layout.shape.filter((_, k) => k !== axis);
  const strides = layout.strides.filter((_, k) => k !== axis);
  return makeLayout(shape, strides, layout.offset + index * layout.strides[axis]);
}

/** Inserts a length-1 axis with stride 0 at position `axis` (NumPy's `None` / `newaxis`). */
export function insertNewAxis(layout: Layout, axis: number): Layout {
  const shape = [...layout.shape];
  const strides = [...layout.strides];
  shape.splice(axis, 0, 1);
  strides.splice(axis, 0, 0);
  return makeLayout(shape, strides, layout.offset);
}

/** Reverses `axis`: the slice `::-1` (a length-0 axis is left alone, as NumPy's slice rule does). */
export function flipAxis(layout: Layout, axis: number): Layout {
  const n = layout.shape[axis];
  if (n === 0) return layout;
  return sliceAxis(layout, axis, n - 1, n, -1);
}

/** Removes the given axes, which the caller has checked have length 1. */
export function dropAxes(layout: Layout, axes: ReadonlySet<number>): Layout {
  return makeLayout(
    layout.shape.filter((_, k) => !axes.has(k)),
    layout.strides.filter((_, k) => !axes.has(k)),
    layout.offset,
  );
}

/**
 * Right-aligns `layout` against `shape`: new leading axes and every source axis of length 1 get stride 0
 * (NumPy zeroes them even when the target length is also 1). Returns null when the shapes do not broadcast;
 * callers word the error for their context.
 */
export function broadcastLayout(layout: Layout, shape: readonly number[]): Layout | null {
  const lead = shape.length - layout.shape.length;
  if (lead < 0) return null;
  if (lead === 0 && sameShapeWithoutUnitAxes(layout.shape, shape)) return layout; // nothing to broadcast (every set of an array)
  const strides = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < layout.shape.length; k++) {
    const have = layout.shape[k];
    const want = shape[lead + k];
    if (have === want && have !== 1) strides[lead + k] = layout.strides[k];
    else if (have !== 1) return null;
  }
  return makeLayout(shape, strides, layout.offset);
}

function sameShapeWithoutUnitAxes(a: readonly number[], b: readonly number[]): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k] || a[k] === 1) return false;
  return true;
}

/** NumPy's broadcast of several shapes; null when they are incompatible. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] | null {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    const lead = ndim - s.length;
    for (let k = 0; k < s.length; k++) {
      const n = s[k];
      const o = out[lead + k];
      if (o === 1) out[lead + k] = n;
      else if (n !== 1 && n !== o) return null;
    }
  }
  return out;
}

/**
 * NumPy's no-copy reshape (`_attempt_nocopy_reshape` in shape.c): the layout that views the same elements
 * in `order` with `newShape`, or null when NumPy would have to copy. Handles the contiguous and the
 * same-shape cases too, giving exactly NumPy's strides for length-1 axes.
 */
export function reshapeNoCopy(
  layout: Layout,
  newShape: readonly number[],
  order: MemoryOrder,
  itemsize: number,
  sameShapeShortcut = true,
): Layout | null {
  const size = sizeOf(layout.shape);
  // NumPy compares the *requested* dims, so a request with -1 never takes this shortcut (`sameShapeShortcut`).
  if (sameShapeShortcut && sameShape(layout.shape, newShape)) return layout;
  const contiguous = order === 'C' ? isCContiguous(layout, itemsize) : isFContiguous(layout, itemsize);
  if (contiguous) {
    return makeLayout(newShape, contiguousStrides(newShape, itemsize, order), layout.offset);
  }
  if (size === 0) return null;
  const strides = attemptNoCopyReshape(layout, newShape, order, itemsize);
  return strides ? makeLayout(newShape, strides, layout.offset) : null;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, k) => n === b[k]);
}

function attemptNoCopyReshape(layout: Layout, newShape: readonly number[], order: MemoryOrder, itemsize: number): number[] | null {
  const oldDims: number[] = [];
  const oldStrides: number[] = [];
  layout.shape.forEach((n, k) => {
    if (n !== 1) {
      oldDims.push(n);
      oldStrides.push(layout.strides[k]);
    }
  });
  const oldNd = oldDims.length;
  const newNd = newShape.length;
  const newStrides = new Array<number>(newNd).fill(0);
  let oi = 0;
  let oj = 1;
  let ni = 0;
  let nj = 1;
  while (ni < newNd && oi < oldNd) {
    let np = newShape[ni];
    let op = oldDims[oi];
    while (np !== op) {
      if (np < op) np *= newShape[nj++];
      else op *= oldDims[oj++];
    }
    for (let ok = oi; ok < oj - 1; ok++) {
      if (order === 'C') {
        if (oldStrides[ok] !== oldDims[ok + 1] * oldStrides[ok + 1]) return null;
      } else if (oldStrides[ok + 1] !== oldDims[ok] * oldStrides[ok]) {
        return null;
      }
    }
    if (order === 'C') {
      newStrides[nj - 1] = oldStrides[oj - 1];
      for (let nk = nj - 1; nk > ni; nk--) newStrides[nk - 1] = newStrides[nk] * newShape[nk];
    } else {
      newStrides[ni] = oldStrides[oi];
      for (let nk = ni + 1; nk < nj; nk++) newStrides[nk] = newStrides[nk - 1] * newShape[nk - 1];
    }
    ni = nj++;
    oi = oj++;
  }
  // Trailing length-1 axes: NumPy continues the last stride (C) or steps past the last axis (F).
  let last: number;
  if (ni >= 1) last = newStrides[ni - 1];
  else last = itemsize;
  if (order === 'F' && ni >= 1) last *= newShape[ni - 1];
  for (let nk = ni; nk < newNd; nk++) newStrides[nk] = last;
  return newStrides;
}

/** The byte range `[low, high)` the elements of `layout` touch; empty (low === high) for size 0. */
export function byteBounds(layout: Layout, itemsize: number): [number, number] {
  if (layout.shape.some((n) => n === 0)) return [layout.offset, layout.offset];
  let low = layout.offset;
  let high = layout.offset;
  layout.shape.forEach((n, k) => {
    const extent = (n - 1) * layout.strides[k];
    if (extent < 0) low += extent;
    else high += extent;
  });
  return [low, high + itemsize];
}

/** The order of axes by |stride| descending (ties: lower axis first), NumPy's order 'K'. */
export function memoryOrderOfAxes(layout: Layout): number[] {
  const axes = layout.shape.map((_, k) => k);
  // A stable sort keeps the lower axis outermost on ties, as NumPy's insertion sort does.
  return axes.sort((a, b) => Math.abs(layout.strides[b]) - Math.abs(layout.strides[a]));
}

/**
 * Strides of a fresh array laid out in the memory order of `layout` (NumPy's order 'K' for copies):
 * positive, contiguous, with the axis order of |stride| descending.
 */
export function keepOrderStrides(layout: Layout, itemsize: number): number[] {
  const order = memoryOrderOfAxes(layout);
  const strides = new Array<number>(layout.shape.length);
  let step = itemsize;
  for (let t = order.length - 1; t >= 0; t--) {
    const k = order[t];
    strides[k] = step;
    step *= layout.shape[k] || 1;
  }
  return strides;
}

/** Whether two layouts put every element at the same byte address (length-1 axes' strides never matter). */
export function sameElements(a: Layout, b: Layout): boolean {
  if (a.offset !== b.offset || a.shape.length !== b.shape.length) return false;
  for (let k = 0; k < a.shape.length; k++) {
    const n = a.shape[k];
    if (n !== b.shape[k] || (n !== 1 && a.strides[k] !== b.strides[k])) return false;
  }
  return true;
}
