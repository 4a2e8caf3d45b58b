/**
 * Float products on the WebAssembly gemm kernels (./gemm-kernels.ts): float32 and float16 loops add in
 * float32, float64 loops in float64, in the order the JavaScript loops of ../product.ts follow, so both
 * give the same bits. One gemm call per product of the batch.
 *
 * The kernels read float32 or float64 items at any strides and write rows of contiguous items, so:
 * - an operand stored in another dtype (a float16 operand, or an integer one promoted to the loop's
 *   float) is converted into scratch memory first, as the loop reads it (float16 and the 8-bit and bool
 *   items a float16 loop meets are exact in float32); its broadcast axes stay broadcast there;
 * - an output whose items are not contiguous along its rows but are along its columns is computed as
 *   `out.T = b.T @ a.T`; one that is neither, of another dtype than the sums, or of a float16 loop
 *   (rounded to float16 once, at the end) receives the sums from scratch through the copy and cast
 *   kernels.
 * Scratch comes from the memory's allocator; where it cannot hold it, the JavaScript loops run instead.
 */

import { dtypeInfo, type DType } from '../../../ndarray/core/dtype.js';
import type { Layout } from '../../../ndarray/core/layout.js';
import { planCast, planCopy } from '../../../ndarray/core/plan.js';
import { transposedProduct, type ProductOperand, type ProductPlan } from '../../../ndarray/core/product-plan.js';
import { castItems } from '../cast.js';
import { forEachProduct } from '../product.js';
import { castInMemory } from './cast.js';
import { copyInMemory } from './copy.js';
import { gemmInMemory } from './gemm.js';
import type { Kernels } from './kernels.js';

/** The memory a product runs in: its kernels, and scratch blocks from its allocator. */
export interface ProductMemory {
  readonly kernels: Kernels;
  /** The whole memory's bytes now (re-taken after it grows): for a conversion no kernel serves. */
  bytes(): Uint8Array;
  /** A scratch block of `bytes` bytes (its byte address), or null where the memory cannot hold it. */
  alloc(bytes: number): number | null;
  /** Returns a block that `alloc(bytes)` gave. */
  free(address: number, bytes: number): void;
}

/** Byte addresses of the blocks of a product's output and operands. */
export interface ProductBlocks {
  readonly dst: number;
  readonly a: number;
  readonly b: number;
}

/** One matrix operand of the batch as the kernels read it: its block's address and its plan operand
 * (offset and strides in items of `dtype`). */
interface Placed {
  readonly address: number;
  readonly operand: ProductOperand;
  readonly dtype: DType;
}

/** Runs the plan and returns true, or false where the kernels do not serve it (integer and bool loops,
 * 64-bit integers, or no room for scratch): the JavaScript loops then run. */
export function productInMemory(memory: ProductMemory, blocks: ProductBlocks, plan: ProductPlan): boolean {
  const { loop } = plan.types;
  if (loop !== 'float16' && loop !== 'float32' && loop !== 'float64') return false;
  const sums: 'float32' | 'float64' = loop === 'float64' ? 'float64' : 'float32';
  let a: Placed = { address: blocks.a, operand: plan.a, dtype: plan.types.a };
  let b: Placed = { address: blocks.b, operand: plan.b, dtype: plan.types.b };
  // The kernel writes rows of contiguous items (a single column is contiguous at any stride), and its
  // vectors run along rows: a matrix times a vector goes faster as the vector times the matrix.T.
  const rowsContiguous = (p: ProductPlan) => p.n === 1 || p.out.cols === 1;
  const flipped = transposedProduct(plan);
  if (rowsContiguous(flipped) && (!rowsContiguous(plan) || (plan.n === 1 && plan.m > 1))) {
    plan = flipped;
    [a, b] = [
      { ...b, operand: plan.a },
      { ...a, operand: plan.b },
    ];
  }
  const direct = plan.types.out === loop && loop === sums && rowsContiguous(plan);
  const scratch: [address: number, bytes: number][] = [];
  let room = true;
  const take = (bytes: number): number => {
    const address = memory.alloc(bytes);
    if (address === null) room = false;
    else scratch.push([address, bytes]);
    return address ?? 0;
  };
  try {
    const size = dtypeInfo(sums).itemsize;
    const outputs = plan.count * plan.m * plan.n;
    // Every scratch block is taken before anything is written: without room, the output is untouched.
    const aScratch = a.dtype === sums ? null : take(convertedItems(plan.batch, a.operand, plan.m, plan.k) * size);
    const bScratch = b.dtype === sums ? null : take(convertedItems(plan.batch, b.operand, plan.k, plan.n) * size);
    const cScratch = direct ? null : take(outputs * size);
    const halfScratch = !direct && loop !== sums && plan.types.out !== loop ? take(outputs * 2) : null;
    if (!room) return false;
    if (aScratch !== null) a = convertOperand(memory, a, aScratch, sums, plan.batch, plan.m, plan.k);
    if (bScratch !== null) b = convertOperand(memory, b, bScratch, sums, plan.batch, plan.k, plan.n);
    const c: Placed = direct
      ? { address: blocks.dst, operand: plan.out, dtype: sums }
      : { address: cScratch as number, operand: contiguous(plan.batch, plan.m, plan.n), dtype: sums };
    forEachProduct(plan.batch, a.operand, b.operand, c.operand, (aAt, bAt, cAt) => {
      gemmInMemory(memory.kernels, {
        dtype: sums,
        m: plan.m,
        n: plan.n,
        k: plan.k,
        a: a.address + aAt * size,
        b: b.address + bAt * size,
        c: c.address + cAt * size,
        cRowStride: c.operand.rows,
        aStrides: [a.operand.rows, a.operand.cols],
        bStrides: [b.operand.rows, b.operand.cols],
      });
    });
    if (!direct) {
      const out: Placed = { address: blocks.dst, operand: plan.out, dtype: plan.types.out };
      const shape = [...plan.batch, plan.m, plan.n];
      if (halfScratch !== null) {
        // A float16 loop into another dtype: rounded to float16 first, as the loop's result is.
        const half: Placed = { address: halfScratch, operand: contiguous(plan.batch, plan.m, plan.n), dtype: loop };
        convert(memory, half, c, shape);
        convert(memory, out, half, shape);
      } else convert(memory, out, c, shape);
    }
    return true;
  } finally {
    for (const [address, bytes] of scratch) memory.free(address, bytes);
  }
}

/** Items of an operand's converted copy: its extents along the axes where it moves (broadcast axes, of
 * stride 0, stay broadcast). */
function convertedItems(batch: readonly number[], o: ProductOperand, rows: number, cols: number): number {
  return axesOf(batch, o, rows, cols).reduce((p, axis) => p * (axis.stride === 0 ? 1 : axis.extent), 1);
}

function axesOf(batch: readonly number[], o: ProductOperand, rows: number, cols: number): { extent: number; stride: number }[] {
  return [
    ...batch.map((extent, j) => ({ extent, stride: o.batch[j] })),
    { extent: rows, stride: o.rows },
    { extent: cols, stride: o.cols },
  ];
}

/** An operand converted into scratch at `address`, C-contiguous along the axes where it moves. */
function convertOperand(
  memory: ProductMemory,
  from: Placed,
  address: number,
  to: DType,
  batch: readonly number[],
  rows: number,
  cols: number,
): Placed {
  const axes = axesOf(batch, from.operand, rows, cols);
  const strides = new Array<number>(axes.length).fill(0);
  let step = 1;
  for (let j = axes.length - 1; j >= 0; j--) {
    if (axes[j].stride === 0) continue;
    strides[j] = step;
    step *= axes[j].extent;
  }
  const rank = batch.length;
  const converted: Placed = {
    address,
    dtype: to,
    operand: { offset: 0, batch: strides.slice(0, rank), rows: strides[rank], cols: strides[rank + 1] },
  };
  // Only the axes where the source moves: the rest are read once.
  const moving = axes.map((axis, j) => j).filter((j) => axes[j].stride !== 0);
  const shape = axes.map((axis) => axis.extent);
  convert(memory, converted, from, shape, moving);
  return converted;
}

/** C-contiguous outputs of a batch of rows × cols matrices. */
function contiguous(batch: readonly number[], rows: number, cols: number): ProductOperand {
  const strides = new Array<number>(batch.length);
  let step = rows * cols;
  for (let j = batch.length - 1; j >= 0; j--) {
    strides[j] = step;
    step *= batch[j];
  }
  return { offset: 0, batch: strides, rows: cols, cols: 1 };
}

/** The absolute byte layout of a placed operand over `shape` ([...batch, rows, cols]), keeping `axes`. */
function layoutOf(p: Placed, shape: readonly number[], axes: readonly number[]): Layout {
  const size = dtypeInfo(p.dtype).itemsize;
  const strides = [...p.operand.batch, p.operand.rows, p.operand.cols];
  return { shape: axes.map((j) => shape[j]), strides: axes.map((j) => strides[j] * size), offset: p.address + p.operand.offset * size };
}

/** dst = src over `shape` (along `axes`, all by default), cast to dst's dtype: the copy or cast kernels, or
 * the JavaScript cast loop where no kernel serves the pair. Plans address the memory from 0. */
function convert(memory: ProductMemory, dst: Placed, src: Placed, shape: readonly number[], axes = shape.map((_, j) => j)): void {
  const to = layoutOf(dst, shape, axes);
  const from = layoutOf(src, shape, axes);
  if (dst.dtype === src.dtype) {
    const plan = planCopy(to, from, dtypeInfo(dst.dtype).itemsize);
    if (plan) copyInMemory(memory.kernels, 0, 0, plan);
    return;
  }
  const plan = planCast(to, dst.dtype, from, src.dtype);
  if (plan && !castInMemory(memory.kernels, 0, 0, plan)) castItems(memory.bytes(), memory.bytes(), plan);
}
