/**
 * Recording a product plan: the orientation the kernel writes best (outputs contiguous along its
 * columns), an operand that lives in the destination's buffer moved to a temporary (one buffer cannot be
 * bound as read and read_write in one dispatch), the vec4 access of each operand, and buffers larger than
 * one storage binding split into pieces (`splitProduct`) read through windows — pieces that split the
 * inner dimension leave partial sums that the next piece along it continues.
 */

import type { Window } from './batch.js';
import type { GpuBuffer } from './buffer.js';
import type { ReadBindings } from './pipelines.js';
import { contiguousUnitStrides, recordStrided, type KernelContext } from './strided.js';
import { dtypeInfo, type DType } from '../../ndarray/core/dtype.js';
import {
  productOperandRange,
  splitProduct,
  transposedProduct,
  type ProductOperand,
  type ProductPiece,
  type ProductPlan,
} from '../../ndarray/core/product-plan.js';
import {
  productKernelSource,
  productKey,
  productShape,
  shapeExtent,
  WALK_A_ROWS,
  WALK_B_ROWS,
  vectorLoadable,
  type OperandAccess,
  type ProductKernelSpec,
} from '../../shaders/product.js';
import type { KernelUnit } from '../../shaders/strided.js';
import { rankCapacity } from '../../shaders/uniforms.js';

/** Bytes of a partial sum (a compute-class word). */
const PARTIAL_BYTES = 4;

export function recordProduct(ctx: KernelContext, to: GpuBuffer, a: GpuBuffer, b: GpuBuffer, plan: ProductPlan): void {
  // The kernels' neighbouring invocations write neighbouring columns, and a single row of outputs runs
  // on its own shape: compute out.T = b.T @ a.T where that suits the output better.
  const column = plan.n === 1 && plan.m > 1;
  const rowsContiguous = plan.m > 1 && plan.n > 1 && Math.abs(plan.out.cols) !== 1 && Math.abs(plan.out.rows) === 1;
  if (column || rowsContiguous) {
    plan = transposedProduct(plan);
    [a, b] = [b, a];
  }
  const temporaries: GpuBuffer[] = [];
  try {
    // An operand in the destination's buffer (its elements apart from the output's: the semantic layer
    // stages overlapping ones) is copied out first.
    const moved = (buffer: GpuBuffer, operand: ProductOperand, dtype: DType, rows: number, cols: number) => {
      if (buffer !== to) return { buffer, operand };
      const shape = [...plan.batch, rows, cols];
      const count = shape.reduce((p, e) => p * e, 1);
      const temporary = ctx.allocator.alloc(count * dtypeInfo(dtype).itemsize);
      temporaries.push(temporary);
      const packed = contiguousUnitStrides(shape);
      recordStrided(
        ctx,
        { kind: 'copy', unit: dtypeInfo(dtype).itemsize as KernelUnit, aliased: false },
        {
          shape,
          count,
          dst: { offset: 0, strides: packed },
          src: { offset: operand.offset, strides: [...operand.batch, operand.rows, operand.cols] },
        },
        temporary,
        buffer,
      );
      const rank = plan.batch.length;
      return { buffer: temporary, operand: { offset: 0, batch: packed.slice(0, rank), rows: packed[rank], cols: packed[rank + 1] } };
    };
    const left = moved(a, plan.a, plan.types.a, plan.m, plan.k);
    const right = moved(b, plan.b, plan.types.b, plan.k, plan.n);
    plan = { ...plan, a: left.operand, b: right.operand };
    recordPieces(ctx, to, left.buffer, right.buffer, plan);
  } finally {
    for (const t of temporaries) ctx.allocator.release(t);
  }
}

interface PieceWindows {
  a: Window;
  b: Window;
  out: Window;
  partials: Window | null;
}

function recordPieces(ctx: KernelContext, to: GpuBuffer, a: GpuBuffer, b: GpuBuffer, plan: ProductPlan): void {
  const { batch } = ctx;
  const maxBinding = batch.maxBindingSize;
  const size = { a: dtypeInfo(plan.types.a).itemsize, b: dtypeInfo(plan.types.b).itemsize, out: dtypeInfo(plan.types.out).itemsize };
  const whole = [to, a, b].every((buffer) => buffer.size <= maxBinding);
  // Partial sums, C-ordered over (batch..., m, n), when pieces split the inner dimension.
  const partialBatch = contiguousUnitStrides([...plan.batch, plan.m, plan.n]).slice(0, plan.batch.length);
  const partialOf = (piece: ProductPiece): ProductOperand => ({
    offset: piece.origin.batch.reduce((sum, c, j) => sum + c * partialBatch[j], 0) + piece.origin.m * plan.n + piece.origin.n,
    batch: partialBatch,
    rows: plan.n,
    cols: 1,
  });
  let partials: GpuBuffer | null = null;
  const range = (operand: ProductOperand, piece: ProductPlan, rows: number, cols: number, itemsize: number): [number, number] => {
    const [low, high] = productOperandRange(piece.batch, operand, rows, cols);
    return [low * itemsize, high * itemsize];
  };
  const windowsOf = (piece: ProductPiece): PieceWindows => {
    const p = piece.plan;
    if (whole && !partials) return { a: batch.whole(a), b: batch.whole(b), out: batch.whole(to), partials: null };
    const split = p.k < plan.k;
    return {
      a: batch.window(a, range(p.a, p, p.m, p.k, size.a)),
      b: batch.window(b, range(p.b, p, p.k, p.n, size.b)),
      out: batch.window(to, range(p.out, p, p.m, p.n, size.out)),
      partials: split && partials ? batch.window(partials, range(partialOf(piece), p, p.m, p.n, PARTIAL_BYTES)) : null,
    };
  };
  const fits = (piece: ProductPiece): boolean => {
    const w = windowsOf(piece);
    const partialsFit =
      piece.plan.k === plan.k ||
      rangeBytes(range(partialOf(piece), piece.plan, piece.plan.m, piece.plan.n, PARTIAL_BYTES)) <=
        maxBinding - batch.storageOffsetAlignment;
    return w.a.size <= maxBinding && w.b.size <= maxBinding && w.out.size <= maxBinding && partialsFit;
  };
  const whole1: ProductPiece = { plan, origin: { batch: plan.batch.map(() => 0), m: 0, n: 0, k: 0 } };
  const pieces = whole ? [whole1] : splitProduct(plan, fits);
  try {
    if (pieces.some((piece) => piece.plan.k < plan.k)) partials = ctx.allocator.alloc(plan.count * plan.m * plan.n * PARTIAL_BYTES);
    for (const piece of pieces) {
      const first = piece.origin.k === 0;
      const last = piece.origin.k + piece.plan.k === plan.k;
      recordPiece(ctx, piece, windowsOf(piece), partialOf(piece), first, last);
    }
  } finally {
    if (partials) ctx.allocator.release(partials);
  }
}

const rangeBytes = ([low, high]: [number, number]) => high - low;

/** Whether neighbouring items of an operand lie along its rows (it is contiguous along them, or at least
 * closer together than along its columns). */
function walksRows(operand: ProductOperand): boolean {
  const [rows, cols] = [Math.abs(operand.rows), Math.abs(operand.cols)];
  return rows === 1 || (cols !== 1 && rows !== 0 && rows < cols);
}

/** How the tiles stage an operand: vec4 loads along the axis it is contiguous along, where every row
 * of it starts on a 16-byte boundary and the window holds whole vec4s; else one item at a time. */
function accessOf(operand: ProductOperand, dtype: DType, window: Window, itemsize: number): OperandAccess {
  const along = walksRows(operand) ? 'rows' : 'cols';
  const [unit, other] = along === 'cols' ? [operand.cols, operand.rows] : [operand.rows, operand.cols];
  const quad = (x: number) => x % 4 === 0;
  const aligned =
    vectorLoadable(dtype) &&
    unit === 1 &&
    quad(operand.offset) &&
    quad(other) &&
    operand.batch.every(quad) &&
    (window.start / itemsize) % 4 === 0 &&
    window.size % 16 === 0;
  return { vector: aligned ? along : null };
}

function recordPiece(
  ctx: KernelContext,
  piece: ProductPiece,
  windows: PieceWindows,
  partial: ProductOperand,
  first: boolean,
  last: boolean,
): void {
  const { batch } = ctx;
  const plan = piece.plan;
  const { types } = plan;
  const size = { a: dtypeInfo(types.a).itemsize, b: dtypeInfo(types.b).itemsize, out: dtypeInfo(types.out).itemsize };
  const rebase = (operand: ProductOperand, window: Window, itemsize: number): ProductOperand => ({
    ...operand,
    offset: operand.offset - window.start / itemsize,
  });
  const a = rebase(plan.a, windows.a, size.a);
  const b = rebase(plan.b, windows.b, size.b);
  const toPartials = !last;
  const dstWindow = toPartials ? (windows.partials as Window) : windows.out;
  const out = toPartials ? { offset: 0, batch: plan.batch.map(() => 0), rows: 0, cols: 0 } : rebase(plan.out, windows.out, size.out);
  const partials = windows.partials
    ? rebase(partial, windows.partials, PARTIAL_BYTES)
    : { offset: 0, batch: plan.batch.map(() => 0), rows: 0, cols: 0 };
  const shape = productShape(ctx.tuning.tuning, plan.m, plan.n, plan.count);
  const spec: ProductKernelSpec = {
    a: types.a,
    b: types.b,
    loop: types.loop,
    out: toPartials ? null : types.out,
    continues: !first,
    aAccess: accessOf(a, types.a, windows.a, size.a),
    bAccess: accessOf(b, types.b, windows.b, size.b),
    shape,
  };
  const capacity = rankCapacity(Math.max(1, plan.batch.length));
  const reads: Window[] = [windows.a, windows.b];
  if (spec.continues && spec.out !== null) reads.push(windows.partials as Window);
  const pipeline = ctx.pipelines.compile(
    productKey(spec, capacity),
    () => productKernelSource(spec, capacity),
    reads.length as ReadBindings,
  );
  const axes = plan.batch.flatMap((extent, j) => [
    [extent, a.batch[j], b.batch[j], out.batch[j]],
    [partials.batch[j], 0, 0, 0],
  ]);
  const [rowsPerGroup, colsPerGroup] = shapeExtent(shape);
  const tiles = [Math.ceil(plan.n / colsPerGroup), Math.ceil(plan.m / rowsPerGroup), plan.count];
  const limit = batch.maxWorkgroupsPerDimension;
  // Grids past the dispatch limits are recorded as several dispatches (grid_base offsets each).
  for (let z = 0; z < tiles[2]; z += limit) {
    for (let y = 0; y < tiles[1]; y += limit) {
      for (let x = 0; x < tiles[0]; x += limit) {
        batch.dispatch({
          pipeline,
          dst: dstWindow,
          reads,
          params: batch.schema('product', capacity),
          values: {
            m: plan.m,
            n: plan.n,
            k: plan.k,
            batch_rank: plan.batch.length,
            offsets: [a.offset, b.offset, out.offset, partials.offset],
            inputs_core: [a.rows, a.cols, b.rows, b.cols],
            outputs_core: [out.rows, out.cols, partials.rows, partials.cols],
            grid_base: [x, y, z, 0],
            walk: (walksRows(a) ? WALK_A_ROWS : 0) | (walksRows(b) ? WALK_B_ROWS : 0),
          },
          axes,
          grid: [Math.min(limit, tiles[0] - x), Math.min(limit, tiles[1] - y), Math.min(limit, tiles[2] - z)],
        });
      }
    }
  }
}
