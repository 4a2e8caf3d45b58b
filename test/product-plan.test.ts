/**
 * The product plan (src/ndarray/core/product-plan.ts), pure: how geometry becomes a plan (batch axes
 * merged, folded into rows or columns, strides in items), the transposed orientation, and the split of a
 * product into pieces over storage-binding windows (every output's every term exactly once, K in order).
 * Also which kernel shape each tuning gives a product (src/shaders/product.ts).
 */

import { describe, expect, it } from 'vitest';
import {
  planProduct,
  productOperandRange,
  splitProduct,
  transposedProduct,
  type ProductAxis,
  type ProductGeometry,
  type ProductPlan,
} from '../src/ndarray/core/product-plan.js';
import { productShape } from '../src/shaders/product.js';
import { mulberry32 } from './random.js';

const F32 = { a: 'float32', b: 'float32', loop: 'float32', out: 'float32' } as const;
const axis = (extent: number, a: number, b: number, out: number): ProductAxis => ({ extent, a, b, out });

/** The geometry of a C-contiguous float32 (batch..., m, k) @ (batch..., k, n) into (batch..., m, n). */
function contiguous(batch: number[], m: number, k: number, n: number, bBatched = true): ProductGeometry {
  const stride = (extents: number[]) => extents.reduceRight<number[]>((acc, e) => [e * (acc[0] ?? 4), ...acc], []).slice(1);
  const aStrides = stride([...batch, m, k, 1]);
  const bStrides = stride([...batch, k, n, 1]);
  const oStrides = stride([...batch, m, n, 1]);
  return {
    batch: batch.map((e, j) => axis(e, aStrides[j], bBatched ? bStrides[j] : 0, oStrides[j])),
    m: axis(m, aStrides[batch.length], 0, oStrides[batch.length]),
    n: axis(n, 0, bStrides[batch.length + 1], oStrides[batch.length + 1]),
    k: axis(k, aStrides[batch.length + 1], bStrides[batch.length], 0),
    offsets: { a: 0, b: 0, out: 0 },
    types: F32,
  };
}

describe('planProduct', () => {
  it('converts strides to items, merges contiguous batch axes and drops unit ones', () => {
    const plan = planProduct(contiguous([2, 1, 3], 4, 5, 6)) as ProductPlan;
    expect(plan.batch).toEqual([6]);
    expect(plan.count).toBe(6);
    expect([plan.m, plan.n, plan.k]).toEqual([4, 6, 5]);
    expect(plan.a).toEqual({ offset: 0, batch: [20], rows: 5, cols: 1 });
    expect(plan.b).toEqual({ offset: 0, batch: [30], rows: 6, cols: 1 });
    expect(plan.out).toEqual({ offset: 0, batch: [24], rows: 6, cols: 1 });
  });

  it('folds a batch along which b does not move into the rows of a (a stack of x @ w is one product)', () => {
    const plan = planProduct(contiguous([5], 6, 7, 3, false)) as ProductPlan;
    expect([plan.batch, plan.m, plan.n, plan.k]).toEqual([[], 30, 3, 7]);
    expect(plan.a).toEqual({ offset: 0, batch: [], rows: 7, cols: 1 });
  });

  it('folds a batch along which a does not move into the columns of b, where b and out continue it', () => {
    // out[i, j] = x . w[i][:, j] over a batch of w laid out so that b's and out's columns continue.
    const geometry: ProductGeometry = {
      batch: [axis(4, 0, 3 * 4, 3 * 4)],
      m: axis(1, 0, 0, 0),
      n: axis(3, 0, 4, 4),
      k: axis(5, 4, 4 * 3 * 4, 0),
      offsets: { a: 0, b: 0, out: 0 },
      types: F32,
    };
    const plan = planProduct(geometry) as ProductPlan;
    expect([plan.batch, plan.m, plan.n]).toEqual([[], 1, 12]);
    expect(plan.b.cols).toBe(1);
  });

  it('keeps a batch that cannot fold, gives unit core axes zero strides, and has nothing to do for empty products', () => {
    const plan = planProduct({ ...contiguous([3], 1, 4, 1), types: F32 }) as ProductPlan;
    // (3, 1, 4) @ (3, 4, 1): b moves along the batch, so the rows cannot take it; m = n = 1.
    expect([plan.batch, plan.m, plan.n, plan.a.rows, plan.out.cols]).toEqual([[3], 1, 1, 0, 0]);
    expect(planProduct(contiguous([0], 2, 3, 4))).toBeNull();
    expect(planProduct(contiguous([], 0, 3, 4))).toBeNull();
    expect(() => planProduct(contiguous([], 2, 0, 4))).toThrow(RangeError);
  });

  it('transposes: out.T = b.T @ a.T swaps operands, dtypes, rows and columns', () => {
    const plan = planProduct({
      ...contiguous([], 2, 3, 4),
      types: { a: 'int8', b: 'float16', loop: 'float32', out: 'float32' },
    }) as ProductPlan;
    const t = transposedProduct(plan);
    expect([t.m, t.n, t.k]).toEqual([4, 2, 3]);
    expect(t.types).toEqual({ a: 'float16', b: 'int8', loop: 'float32', out: 'float32' });
    expect(t.a).toEqual({ ...plan.b, rows: plan.b.cols, cols: plan.b.rows });
    expect(transposedProduct(t)).toEqual(plan);
  });
});

describe('splitProduct', () => {
  /** Every (product, row, column, term) a piece covers, with the piece's order, from its origin. */
  function coverage(plan: ProductPlan, limit: number): { terms: Map<string, number[]>; fitsAll: boolean } {
    const spans = (p: ProductPlan) => [
      productOperandRange(p.batch, p.a, p.m, p.k),
      productOperandRange(p.batch, p.b, p.k, p.n),
      productOperandRange(p.batch, p.out, p.m, p.n),
    ];
    const pieces = splitProduct(plan, (piece) => spans(piece.plan).every(([low, high]) => high - low <= limit));
    const terms = new Map<string, number[]>();
    let fitsAll = true;
    pieces.forEach((piece, order) => {
      const p = piece.plan;
      if (!spans(p).every(([low, high]) => high - low <= limit)) fitsAll = false;
      // The piece's offsets are the whole plan's moved to its origin.
      const { origin } = piece;
      const at = (role: 'a' | 'b' | 'out', row: number, col: number) =>
        plan[role].offset +
        origin.batch.reduce((sum, c, j) => sum + c * plan[role].batch[j], 0) +
        row * plan[role].rows +
        col * plan[role].cols;
      if (
        p.a.offset !== at('a', origin.m, origin.k) ||
        p.b.offset !== at('b', origin.k, origin.n) ||
        p.out.offset !== at('out', origin.m, origin.n)
      )
        fitsAll = false;
      const batchIndex = (flat: number) => {
        const coords: number[] = [];
        for (let j = p.batch.length - 1; j >= 0; j--) {
          coords.unshift((flat % p.batch[j]) + piece.origin.batch[j]);
          flat = Math.floor(flat / p.batch[j]);
        }
        return coords.join(',');
      };
      for (let i = 0; i < p.count; i++)
        for (let r = 0; r < p.m; r++)
          for (let c = 0; c < p.n; c++)
            for (let t = 0; t < p.k; t++) {
              const key = `${batchIndex(i)}|${r + piece.origin.m}|${c + piece.origin.n}|${t + piece.origin.k}`;
              terms.set(key, [...(terms.get(key) ?? []), order]);
            }
    });
    return { terms, fitsAll };
  }

  it('covers every term of every output exactly once, each piece within the limit, K pieces in order', () => {
    const random = mulberry32(11);
    for (let trial = 0; trial < 40; trial++) {
      const batch = Array.from({ length: Math.floor(random() * 3) }, () => 1 + Math.floor(random() * 3));
      const [m, k, n] = [1 + Math.floor(random() * 6), 1 + Math.floor(random() * 6), 1 + Math.floor(random() * 6)];
      let geometry = contiguous(batch, m, k, n);
      if (random() < 0.5) {
        // a transposed: its columns (K) far apart, so pieces must split K.
        geometry = { ...geometry, m: { ...geometry.m, a: 4 }, k: { ...geometry.k, a: 4 * m } };
      }
      const plan = planProduct(geometry) as ProductPlan;
      const limit = 1 + Math.floor(random() * 40);
      const { terms, fitsAll } = coverage(plan, limit);
      expect(fitsAll, `trial ${trial}`).toBe(true);
      expect(terms.size, `trial ${trial}`).toBe(plan.count * plan.m * plan.n * plan.k);
      for (const orders of terms.values()) expect(orders.length).toBe(1);
      // For each output, its K pieces come in K order.
      const byOutput = new Map<string, number[]>();
      for (const [key, [order]] of terms) {
        const [output, t] = [key.slice(0, key.lastIndexOf('|')), Number(key.slice(key.lastIndexOf('|') + 1))];
        const list = byOutput.get(output) ?? [];
        list[t] = order;
        byOutput.set(output, list);
      }
      for (const orders of byOutput.values()) expect([...orders].sort((x, y) => x - y)).toEqual(orders);
    }
  });
});

describe('productShape', () => {
  it('gives CPU implementations of WebGPU the rows shape, and GPUs tiles sized to the product', () => {
    expect(productShape('software', 512, 512, 1)).toEqual({ kind: 'rows', rows: 16, lanes: 16, perLane: 4 });
    expect(productShape('software', 1, 4096, 1)).toMatchObject({ kind: 'rows', rows: 1 });
    expect(productShape('gpu', 1, 4096, 1)).toMatchObject({ kind: 'rows', rows: 1 });
    expect(productShape('gpu', 4096, 4096, 1)).toMatchObject({ kind: 'tiles', rows: 128, cols: 128 });
    expect(productShape('gpu', 256, 256, 1)).toMatchObject({ kind: 'tiles', rows: 64, cols: 64 });
    expect(productShape('gpu', 64, 64, 512)).toMatchObject({ kind: 'tiles', rows: 64 });
  });
});
