/**
 * Orders of elements and memory that NumPy's copies and flat views follow: the layout of a copy in order
 * 'C', 'F', 'A' or 'K', and the same elements walked in memory order (`ravel('K')`, `flatten('K')`).
 */

import {
  contiguousStrides,
  flipAxis,
  isCContiguous,
  isFContiguous,
  keepOrderStrides,
  memoryOrderOfAxes,
  permute,
  type Layout,
  type MemoryOrder,
} from './layout.js';
import type { CopyOrder } from './shape-args.js';

/** The memory order of a fresh copy in `order`: 'A' and 'K' are F only for F-but-not-C sources. */
export function copyMemoryOrder(layout: Layout, itemsize: number, order: CopyOrder): MemoryOrder {
  if (order === 'F') return 'F';
  if (order === 'A' || order === 'K') return isFContiguous(layout, itemsize) && !isCContiguous(layout, itemsize) ? 'F' : 'C';
  return 'C';
}

/**
 * Strides of an order-'K' copy of `layout` (items of `itemsize`) into items of `newItemsize`: C for
 * C-contiguous or ≤1-D sources, F for F-contiguous ones, else the source's memory order. Size-0 copies
 * have zero strides, as NumPy's.
 */
export function keepOrderCopyStrides(layout: Layout, itemsize: number, newItemsize: number = itemsize): number[] {
  const shape = layout.shape;
  if (shape.some((n) => n === 0)) return shape.map(() => 0);
  if (shape.length <= 1 || isCContiguous(layout, itemsize)) return contiguousStrides(shape, newItemsize, 'C');
  if (isFContiguous(layout, itemsize)) return contiguousStrides(shape, newItemsize, 'F');
  return keepOrderStrides(layout, newItemsize);
}

/** The same elements walked in memory order: axes reversed where their stride is negative, then sorted
 * by |stride| descending (NumPy's order 'K' for ravel). */
export function memoryOrderLayout(layout: Layout): Layout {
  let forward = layout;
  layout.strides.forEach((s, k) => {
    if (s < 0) forward = flipAxis(forward, k);
  });
  return permute(forward, memoryOrderOfAxes(forward));
}

/**
 * The axes permuted into the order NumPy's nditer walks them for order 'K' with DONT_NEGATE_STRIDES
 * (`flatten('K')`, a copying `ravel('K')`): from C order, a stable insertion sort by |stride| (innermost
 * smallest) in which an axis with stride 0 compares with nothing and keeps its place. Never reverses an axis.
 */
export function iterationOrderLayout(layout: Layout): Layout {
  const ndim = layout.shape.length;
  const stride = (k: number) => layout.strides[k];
  const perm: number[] = []; // innermost first, as NumPy's axisdata
  for (let k = ndim - 1; k >= 0; k--) perm.push(k);
  for (let i0 = 1; i0 < ndim; i0++) {
    const j0 = perm[i0];
    let ipos = i0;
    for (let i1 = i0 - 1; i1 >= 0; i1--) {
      const s0 = stride(j0);
      const s1 = stride(perm[i1]);
      if (s0 === 0 || s1 === 0) continue; // ambiguous: look further out
      if (Math.abs(s1) <= Math.abs(s0)) break;
      ipos = i1;
    }
    if (ipos !== i0) {
      perm.splice(i0, 1);
      perm.splice(ipos, 0, j0);
    }
  }
  return permute(layout, perm.reverse());
}
