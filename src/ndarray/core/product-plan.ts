/**
 * What a product must compute, ready for a backend: a batch of matrix products `out[i] = a[i] @ b[i]`
 * (M×K times K×N), each operand described where it lies — an offset and strides in items of its own
 * dtype, along the batch axes and along its two core axes — so that transposed, strided, reversed and
 * broadcast operands are read in place. matmul, dot, inner, outer and tensordot all become such plans.
 *
 * Planning simplifies without changing any output's sum: batch axes of extent 1 are dropped, batch axes
 * that every operand walks contiguously are merged, and a batch axis along which one operand does not
 * move is folded into the other's rows (a stack of `x @ w` with one `w` is one taller product).
 */

import { dtypeInfo, type DType } from './dtype.js';

/** The dtypes of a product: both inputs' storage dtypes, the loop dtype they are converted to (NumPy's
 * result type, narrowed to 32 bits), and the destination's storage dtype. */
export interface ProductTypes {
  readonly a: DType;
  readonly b: DType;
  readonly loop: DType;
  readonly out: DType;
}

/** One operand: offset and strides in items of its dtype. `rows` and `cols` are the strides along its
 * core axes: (M, K) for a, (K, N) for b, (M, N) for out. */
export interface ProductOperand {
  readonly offset: number;
  readonly batch: readonly number[];
  readonly rows: number;
  readonly cols: number;
}

export interface ProductPlan {
  /** Batch extents, outermost first (possibly none). */
  readonly batch: readonly number[];
  /** The number of products (the batch extents' product). */
  readonly count: number;
  readonly m: number;
  readonly n: number;
  /** The inner dimension (at least 1: an empty sum is a fill of zeros, not a product). */
  readonly k: number;
  readonly a: ProductOperand;
  readonly b: ProductOperand;
  readonly out: ProductOperand;
  readonly types: ProductTypes;
}

/** One axis of a product's geometry: its extent and each operand's stride along it, in bytes (0 where an
 * operand does not move along it). */
export interface ProductAxis {
  readonly extent: number;
  readonly a: number;
  readonly b: number;
  readonly out: number;
}

/** A product as the semantic layer describes it, from its operands' layouts (bytes). */
export interface ProductGeometry {
  readonly batch: readonly ProductAxis[];
  /** The rows of a and out (b does not move along them: its stride is ignored). */
  readonly m: ProductAxis;
  /** The columns of b and out. */
  readonly n: ProductAxis;
  /** The inner axis of a and b. */
  readonly k: ProductAxis;
  /** Byte offsets of each operand's first element. */
  readonly offsets: { readonly a: number; readonly b: number; readonly out: number };
  readonly types: ProductTypes;
}

type Role = 'a' | 'b' | 'out';

/** Plans a product; null when it has no outputs. `geometry.k.extent` must be at least 1. */
export function planProduct(geometry: ProductGeometry): ProductPlan | null {
  const { types } = geometry;
  const size: Record<Role, number> = {
    a: dtypeInfo(types.a).itemsize,
    b: dtypeInfo(types.b).itemsize,
    out: dtypeInfo(types.out).itemsize,
  };
  const items = (role: Role, bytes: number) => bytes / size[role];
  const m = geometry.m.extent;
  const n = geometry.n.extent;
  const k = geometry.k.extent;
  if (k < 1) throw new RangeError('internal error: a product needs an inner dimension of at least 1');
  if (m === 0 || n === 0 || geometry.batch.some((axis) => axis.extent === 0)) return null;
  // Batch axes in items; extent-1 axes contribute nothing.
  let axes = geometry.batch
    .filter((axis) => axis.extent !== 1)
    .map((axis) => ({ extent: axis.extent, a: items('a', axis.a), b: items('b', axis.b), out: items('out', axis.out) }));
  axes = mergeBatchAxes(axes);
  // Strides along core axes of extent 1 are never used: make them 0, so that plans compare equal.
  const along = (extent: number, stride: number) => (extent === 1 ? 0 : stride);
  let core = {
    m,
    n,
    aRows: along(m, items('a', geometry.m.a)),
    aCols: along(k, items('a', geometry.k.a)),
    bRows: along(k, items('b', geometry.k.b)),
    bCols: along(n, items('b', geometry.n.b)),
    outRows: along(m, items('out', geometry.m.out)),
    outCols: along(n, items('out', geometry.n.out)),
  };
  // Fold batch axes into the rows of a (b fixed along them) or the columns of b (a fixed), innermost
  // first, for as long as one folds.
  for (let folded = true; folded;) {
    folded = false;
    for (let j = axes.length - 1; j >= 0 && !folded; j--) {
      const axis = axes[j];
      if (axis.b === 0 && foldsInto(core.m, core.aRows, axis.a) && foldsInto(core.m, core.outRows, axis.out)) {
        core = {
          ...core,
          m: core.m * axis.extent,
          aRows: core.m === 1 ? axis.a : core.aRows,
          outRows: core.m === 1 ? axis.out : core.outRows,
        };
        folded = true;
      } else if (axis.a === 0 && foldsInto(core.n, core.bCols, axis.b) && foldsInto(core.n, core.outCols, axis.out)) {
        core = {
          ...core,
          n: core.n * axis.extent,
          bCols: core.n === 1 ? axis.b : core.bCols,
          outCols: core.n === 1 ? axis.out : core.outCols,
        };
        folded = true;
      }
      if (folded) axes = axes.filter((_, i) => i !== j);
    }
  }
  const batch = axes.map((axis) => axis.extent);
  return {
    batch,
    count: batch.reduce((p, e) => p * e, 1),
    m: core.m,
    n: core.n,
    k,
    a: { offset: items('a', geometry.offsets.a), batch: axes.map((axis) => axis.a), rows: core.aRows, cols: core.aCols },
    b: { offset: items('b', geometry.offsets.b), batch: axes.map((axis) => axis.b), rows: core.bRows, cols: core.bCols },
    out: { offset: items('out', geometry.offsets.out), batch: axes.map((axis) => axis.out), rows: core.outRows, cols: core.outCols },
    types,
  };
}

/** Whether a batch axis of `stride` continues `extent` rows (or columns) of stride `step`: row
 * `i·extent + r` then lies at `(i·extent + r)·step`. A single row takes any stride. */
function foldsInto(extent: number, step: number, stride: number): boolean {
  return extent === 1 || stride === extent * step;
}

interface BatchAxis {
  extent: number;
  a: number;
  b: number;
  out: number;
}

/** Merges neighbouring batch axes along which every operand is contiguous (outer stride = extent × inner). */
function mergeBatchAxes(axes: readonly BatchAxis[]): BatchAxis[] {
  const merged: BatchAxis[] = [];
  for (const axis of axes) {
    const last = merged[merged.length - 1];
    if (last && (['a', 'b', 'out'] as const).every((r) => last[r] === axis.extent * axis[r])) {
      merged[merged.length - 1] = { extent: last.extent * axis.extent, a: axis.a, b: axis.b, out: axis.out };
    } else merged.push({ ...axis });
  }
  return merged;
}

/** The same product computed as `out.T = b.T @ a.T`: the roles of a and b, and of rows and columns, swap.
 * Executors choose whichever orientation their kernels read and write better. */
export function transposedProduct(plan: ProductPlan): ProductPlan {
  const swap = (o: ProductOperand): ProductOperand => ({ offset: o.offset, batch: o.batch, rows: o.cols, cols: o.rows });
  return {
    ...plan,
    m: plan.n,
    n: plan.m,
    a: swap(plan.b),
    b: swap(plan.a),
    out: swap(plan.out),
    types: { ...plan.types, a: plan.types.b, b: plan.types.a },
  };
}

/** The item range `[low, high)` that an operand reaches over a batch and its two core extents. */
export function productOperandRange(batch: readonly number[], operand: ProductOperand, rows: number, cols: number): [number, number] {
  let low = operand.offset;
  let high = operand.offset;
  const reach = (extent: number, stride: number) => {
    const span = (extent - 1) * stride;
    if (span < 0) low += span;
    else high += span;
  };
  batch.forEach((extent, j) => reach(extent, operand.batch[j]));
  reach(rows, operand.rows);
  reach(cols, operand.cols);
  return [low, high + 1];
}

/** The item ranges of a plan's three operands. */
export function productRanges(plan: ProductPlan): Record<Role, [number, number]> {
  return {
    a: productOperandRange(plan.batch, plan.a, plan.m, plan.k),
    b: productOperandRange(plan.batch, plan.b, plan.k, plan.n),
    out: productOperandRange(plan.batch, plan.out, plan.m, plan.n),
  };
}

/**
 * A piece of a split product: its own plan (offsets moved to its first element), where its outputs lie
 * in the whole product (`origin`: the batch coordinates, row and column of its first output), and which
 * part of the inner dimension it sums: pieces that split K come in order, the first starting each
 * output's sum and the last finishing it.
 */
export interface ProductPiece {
  readonly plan: ProductPlan;
  readonly origin: { readonly batch: readonly number[]; readonly m: number; readonly n: number; readonly k: number };
}

type Dimension = { kind: 'batch'; axis: number } | { kind: 'm' } | { kind: 'n' } | { kind: 'k' };

/**
 * Splits a product into pieces for which `fits` holds (each operand's elements within one storage
 * binding), halving each time the dimension that spreads the operands' elements furthest in bytes: the
 * largest of |stride| × (extent − 1) over every operand and dimension. Pieces keep every batch axis (of
 * extent 1 where split down), so `origin` indexes the whole product's batch. Pieces over one output
 * region that split K follow each other in K order.
 */
export function splitProduct(plan: ProductPlan, fits: (piece: ProductPiece) => boolean): ProductPiece[] {
  const whole: ProductPiece = { plan, origin: { batch: plan.batch.map(() => 0), m: 0, n: 0, k: 0 } };
  const size: Record<Role, number> = {
    a: dtypeInfo(plan.types.a).itemsize,
    b: dtypeInfo(plan.types.b).itemsize,
    out: dtypeInfo(plan.types.out).itemsize,
  };
  const pieces: ProductPiece[] = [];
  const visit = (piece: ProductPiece): void => {
    if (fits(piece)) {
      pieces.push(piece);
      return;
    }
    const dimension = widestDimension(piece.plan, size);
    if (!dimension) throw new RangeError('a single element of a product does not fit one binding window');
    for (const half of halves(piece, dimension)) visit(half);
  };
  visit(whole);
  return pieces;
}

/** The dimension (of extent > 1) along which some operand's elements spread furthest, in bytes. */
function widestDimension(plan: ProductPlan, size: Record<Role, number>): Dimension | null {
  let best: Dimension | null = null;
  let widest = -1;
  const consider = (dimension: Dimension, extent: number, spans: [Role, number][]) => {
    if (extent <= 1) return;
    for (const [role, stride] of spans) {
      const bytes = Math.abs(stride) * (extent - 1) * size[role];
      if (bytes > widest) {
        widest = bytes;
        best = dimension;
      }
    }
  };
  plan.batch.forEach((extent, axis) =>
    consider({ kind: 'batch', axis }, extent, [
      ['a', plan.a.batch[axis]],
      ['b', plan.b.batch[axis]],
      ['out', plan.out.batch[axis]],
    ]),
  );
  consider({ kind: 'm' }, plan.m, [
    ['a', plan.a.rows],
    ['out', plan.out.rows],
  ]);
  consider({ kind: 'n' }, plan.n, [
    ['b', plan.b.cols],
    ['out', plan.out.cols],
  ]);
  consider({ kind: 'k' }, plan.k, [
    ['a', plan.a.cols],
    ['b', plan.b.rows],
  ]);
  // All strides 0 (a broadcast operand): any dimension of extent > 1 will do.
  if (!best) {
    const extents: [Dimension, number][] = [
      ...plan.batch.map((extent, axis): [Dimension, number] => [{ kind: 'batch', axis }, extent]),
      [{ kind: 'm' }, plan.m],
      [{ kind: 'n' }, plan.n],
      [{ kind: 'k' }, plan.k],
    ];
    best = extents.find(([, extent]) => extent > 1)?.[0] ?? null;
  }
  return best;
}

/** The two halves of a piece along a dimension, in order. */
function halves(piece: ProductPiece, dimension: Dimension): [ProductPiece, ProductPiece] {
  const { plan, origin } = piece;
  const extent = dimension.kind === 'batch' ? plan.batch[dimension.axis] : plan[dimension.kind];
  const first = Math.ceil(extent / 2);
  const part = (start: number, length: number): ProductPiece => {
    const move = (o: ProductOperand, stride: number): ProductOperand => ({ ...o, offset: o.offset + start * stride });
    switch (dimension.kind) {
      case 'batch': {
        const j = dimension.axis;
        const batch = plan.batch.map((e, i) => (i === j ? length : e));
        return {
          plan: {
            ...plan,
            batch,
            count: batch.reduce((p, e) => p * e, 1),
            a: move(plan.a, plan.a.batch[j]),
            b: move(plan.b, plan.b.batch[j]),
            out: move(plan.out, plan.out.batch[j]),
          },
          origin: { ...origin, batch: origin.batch.map((c, i) => (i === j ? c + start : c)) },
        };
      }
      case 'm':
        return {
          plan: { ...plan, m: length, a: move(plan.a, plan.a.rows), out: move(plan.out, plan.out.rows) },
          origin: { ...origin, m: origin.m + start },
        };
      case 'n':
        return {
          plan: { ...plan, n: length, b: move(plan.b, plan.b.cols), out: move(plan.out, plan.out.cols) },
          origin: { ...origin, n: origin.n + start },
        };
      case 'k':
        return {
          plan: { ...plan, k: length, a: move(plan.a, plan.a.cols), b: move(plan.b, plan.b.rows) },
          origin: { ...origin, k: origin.k + start },
        };
    }
  };
  return [part(0, first), part(first, extent - first)];
}
