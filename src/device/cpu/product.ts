/**
 * Products on the CPU in JavaScript, blocked and packed as BLAS does it in spirit: for each product,
 * columns of b in blocks of NC are packed (converted to the loop's values) into panels of NR columns, rows
 * of a in blocks of MC into panels of MR rows, and a 4 × 4 micro-kernel accumulates each output block in
 * local variables over the whole inner dimension, reading both panels sequentially. Operands are read
 * where they lie, with any strides; only the panels are contiguous. Float loops run on the WebAssembly
 * gemm where the backend has it (./wasm/product.ts); these loops serve the rest, and every float loop
 * where there is no WebAssembly, with the same bits.
 *
 * Summation order: every output is its terms added one at a time in K order, starting from -0.0 (the
 * float identity, so a single term keeps its sign of zero), each product and each sum rounded to the
 * type the loop adds in, without fused multiply-adds: float32 for float16 and float32 loops (as the GPU
 * adds; Math.fround at every step), float64 for float64 loops; a float16 loop's sums are rounded once to
 * float16 at the end. Integer loops wrap in 32 bits (the narrower loops' results wrapped to their own
 * width at the end, which is NumPy's wrap); bool loops are OR of ANDs; int64 and uint64 loops add
 * bigints wrapped to 64 bits.
 */

import { castValue } from '../../ndarray/core/casting.js';
import { dtypeInfo, type DType } from '../../ndarray/core/dtype.js';
import type { ProductOperand, ProductPlan } from '../../ndarray/core/product-plan.js';
import { readItem, writeItem } from '../../ndarray/core/scalars.js';
import { converter, isNumberDType, numberView, reader, rounder, wrapper, writer, type NumberArray } from './number-loops.js';
// The 4 × 4 micro-kernel, one copy per kind of sum (templates/product-kernel.ts).
import { productKernel as boolKernel } from './generated/product-kernel-bool.js';
import { productKernel as float32Kernel } from './generated/product-kernel-f32.js';
import { productKernel as float64Kernel } from './generated/product-kernel-f64.js';
import { productKernel as intKernel } from './generated/product-kernel-i32.js';

type NumberFn = (x: number) => number;

/** Rows and columns of the micro-kernel's output block. */
const MR = 4;
const NR = 4;
/** Rows of a packed per block, and columns of b: their panels stay in the second-level cache for the
 * inner dimensions of common products (MC × K and K × NC float64 values). */
const MC = 64;
const NC = 256;

export function productItems(dst: Uint8Array, a: Uint8Array, b: Uint8Array, plan: ProductPlan): void {
  const { loop } = plan.types;
  const info = dtypeInfo(loop);
  if (info.itemsize === 8 && info.kind !== 'f') {
    productBigInts(dst, a, b, plan);
    return;
  }
  const io: PanelIO = {
    readA: valueReader(a, plan.types.a, loop),
    readB: valueReader(b, plan.types.b, loop),
    store: valueWriter(dst, loop, plan.types.out),
  };
  if (info.kind === 'f') blocked(plan, io, Float64Array, loop === 'float64' ? float64Kernel : float32Kernel);
  else blocked(plan, io, Int32Array, info.kind === 'b' ? boolKernel : intKernel);
}

interface PanelIO {
  readA(at: number): number;
  readB(at: number): number;
  store(at: number, value: number): void;
}

type Panel = Float64Array | Int32Array;
type Kernel<T extends Panel> = (ap: T, ai: number, bp: T, bi: number, k: number, block: T) => void;

/** The blocked loops over every product of the batch, with panels of type T and its micro-kernel. */
function blocked<T extends Panel>(plan: ProductPlan, io: PanelIO, Panel: new (length: number) => T, kernel: Kernel<T>): void {
  const { m, n, k } = plan;
  const ap = new Panel(roundUp(Math.min(MC, m), MR) * k);
  const bp = new Panel(roundUp(Math.min(NC, n), NR) * k);
  const block = new Panel(MR * NR);
  forEachProduct(plan.batch, plan.a, plan.b, plan.out, (aAt, bAt, outAt) => {
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      // b's columns jc.. in panels of NR: bp[(panel · k + p) · NR + j]; columns past n are zeros.
      packPanels(bp, io.readB, bAt + jc * plan.b.cols, plan.b.cols, plan.b.rows, nc, k, NR);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanels(ap, io.readA, aAt + ic * plan.a.rows, plan.a.rows, plan.a.cols, mc, k, MR);
        for (let jr = 0; jr < nc; jr += NR) {
          for (let ir = 0; ir < mc; ir += MR) {
            kernel(ap, (ir / MR) * k * MR, bp, (jr / NR) * k * NR, k, block);
            const rows = Math.min(MR, mc - ir);
            const cols = Math.min(NR, nc - jr);
            for (let i = 0; i < rows; i++) {
              const rowAt = outAt + (ic + ir + i) * plan.out.rows + (jc + jr) * plan.out.cols;
              for (let j = 0; j < cols; j++) io.store(rowAt + j * plan.out.cols, block[i * NR + j]);
            }
          }
        }
      }
    }
  });
}

const roundUp = (x: number, step: number) => Math.ceil(x / step) * step;

/** Calls `visit` with the item offsets of a, b and out for every product of a batch. */
export function forEachProduct(
  batch: readonly number[],
  a: ProductOperand,
  b: ProductOperand,
  out: ProductOperand,
  visit: (a: number, b: number, out: number) => void,
): void {
  const rank = batch.length;
  const counter = new Array<number>(rank).fill(0);
  const count = batch.reduce((p, e) => p * e, 1);
  let aAt = a.offset;
  let bAt = b.offset;
  let outAt = out.offset;
  for (let index = 0; index < count; index++) {
    visit(aAt, bAt, outAt);
    for (let j = rank - 1; j >= 0; j--) {
      counter[j]++;
      aAt += a.batch[j];
      bAt += b.batch[j];
      outAt += out.batch[j];
      if (counter[j] < batch[j]) break;
      aAt -= a.batch[j] * batch[j];
      bAt -= b.batch[j] * batch[j];
      outAt -= out.batch[j] * batch[j];
      counter[j] = 0;
    }
  }
}

/**
 * Packs `lines` lines of an operand (line i starts at `at + i · lineStride`; its k-th value lies
 * `k · depthStride` further) into panels of `width` lines: `panels[(i / width · k + p) · width + i % width]`.
 * Lines past `lines` in the last panel are zeros.
 */
function packPanels(
  panels: Panel,
  read: (at: number) => number,
  at: number,
  lineStride: number,
  depthStride: number,
  lines: number,
  k: number,
  width: number,
): void {
  for (let first = 0; first < lines; first += width) {
    const base = (first / width) * k * width;
    for (let i = 0; i < width; i++) {
      const line = first + i;
      if (line >= lines) {
        for (let p = 0; p < k; p++) panels[base + p * width + i] = 0;
        continue;
      }
      let position = at + line * lineStride;
      for (let p = 0; p < k; p++, position += depthStride) panels[base + p * width + i] = read(position);
    }
  }
}

/** Item i of an operand as a value of the loop dtype (a number; bools as 0/1). */
function valueReader(bytes: Uint8Array, storage: DType, loop: DType): (i: number) => number {
  if (!isNumberDType(storage)) {
    // int64/uint64 items into a float loop: converted as a cast would.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return (i) => Number(castValue(readItem(view, i * 8, storage), storage, loop));
  }
  const items: NumberArray = numberView(bytes, storage);
  const decode = reader(storage);
  const convert = converter(storage, loop);
  if (!decode && !convert) return (i) => items[i];
  return (i) => {
    let x = items[i];
    if (decode) x = decode(x);
    return convert ? convert(x) : x;
  };
}

/** Stores an accumulated value into item i of the output: rounded (floats) or wrapped (integers) to the
 * loop dtype, then converted to the output's as a cast would. */
function valueWriter(bytes: Uint8Array, loop: DType, out: DType): (i: number, value: number) => void {
  const loopInfo = dtypeInfo(loop);
  const finish: NumberFn = loopInfo.kind === 'f' ? rounder(loop) : wrapper(loop);
  if (!isNumberDType(out)) {
    // A 64-bit integer output of a 32-bit (or float64) loop.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return (i, value) => writeItem(view, i * 8, out, castValue(finish(value), loop, out));
  }
  const items = numberView(bytes, out);
  const convert = converter(loop, out);
  const encode = writer(out);
  return (i, value) => {
    let x = finish(value);
    if (convert) x = convert(x);
    items[i] = encode ? encode(x) : x;
  };
}

/** int64 and uint64 loops: bigint sums wrapped to 64 bits, one output at a time. */
function productBigInts(dst: Uint8Array, a: Uint8Array, b: Uint8Array, plan: ProductPlan): void {
  const { loop, out } = plan.types;
  const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [av, bv, ov] = [view(a), view(b), view(dst)];
  const wrap = loop === 'int64' ? (x: bigint) => BigInt.asIntN(64, x) : (x: bigint) => BigInt.asUintN(64, x);
  const value = (v: DataView, storage: DType, i: number) =>
    castValue(readItem(v, i * dtypeInfo(storage).itemsize, storage), storage, loop) as bigint;
  const outSize = dtypeInfo(out).itemsize;
  const at = (o: ProductOperand, base: number, row: number, col: number) => base + row * o.rows + col * o.cols;
  forEachProduct(plan.batch, plan.a, plan.b, plan.out, (aAt, bAt, outAt) => {
    for (let i = 0; i < plan.m; i++) {
      for (let j = 0; j < plan.n; j++) {
        let sum = 0n;
        for (let p = 0; p < plan.k; p++) {
          sum = wrap(sum + value(av, plan.types.a, at(plan.a, aAt, i, p)) * value(bv, plan.types.b, at(plan.b, bAt, p, j)));
        }
        writeItem(ov, at(plan.out, outAt, i, j) * outSize, out, castValue(sum, loop, out));
      }
    }
  });
}
