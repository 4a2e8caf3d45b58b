/**
 * The CPU backend's float products on its two paths — the WebAssembly gemm (with operands converted and
 * outputs cast through scratch memory where the kernel cannot read or write them in place) and the
 * JavaScript blocked loops — bit for bit, and both in the documented order: every output adds its terms
 * in K order from -0.0, each product and sum rounded to float32 for float16 and float32 loops (float16
 * rounded once at the end) and to float64 for float64 loops, without fused multiply-adds. Values of
 * mixed magnitudes make adding in float64 (or in another order) give other bits, so the reference catches
 * it. Then, on every backend: a single -0 term keeps its sign.
 */

import { describe, expect, it } from 'vitest';
import { init, type Context, type DType, type NDArray } from '../src/index.js';
import { float16BitsToFloat64, float64ToFloat16Bits } from '../src/ndarray/core/float16.js';
import { cpuKernelPair, forEachBackend, testedBackends } from './backends.js';
import { mulberry32 } from './random.js';

/** One product: operands made in a context, and what it computes. */
interface Case {
  title: string;
  run(np: Context): { result: NDArray; operands: [NDArray, NDArray]; out?: NDArray };
  /** The loop dtype (what the reference adds in and rounds to), when the reference checks it. */
  loop?: 'float16' | 'float32' | 'float64';
}

const random = mulberry32(2211);
/** Values of mixed magnitudes (multiples of powers of two, exact in float16 for small ones). */
const values = (count: number, dtype: DType): number[] =>
  Array.from({ length: count }, () => {
    const x = (random() - 0.5) * 2 ** Math.floor(random() * 10 - 5);
    if (dtype === 'float16') return float16BitsToFloat64(float64ToFloat16Bits(x));
    if (dtype.startsWith('float')) return x;
    return Math.round(dtype.startsWith('u') ? Math.abs(x) : x);
  });

/** An array of `shape` with fixed random values of `dtype` (the same in every context). */
function maker(dtype: DType, shape: number[]): (np: Context) => NDArray {
  const items = values(
    shape.reduce((p, e) => p * e, 1),
    dtype,
  );
  return (np) => np.array(items, { dtype, shape });
}

function cases(): Case[] {
  const list: Case[] = [];
  const add = (c: Case) => list.push(c);
  {
    const a = maker('float32', [53, 37]);
    const b = maker('float32', [53, 61]);
    add({
      title: 'float32 (37,53) stored transposed @ (53,61) rows reversed',
      loop: 'float32',
      run: (np) => {
        const x = a(np).T;
        const y = b(np).get('::-1');
        return { result: np.matmul(x, y), operands: [x, y] };
      },
    });
  }
  {
    const a = maker('float64', [2, 1, 9, 300]);
    const b = maker('float64', [3, 300, 22]);
    add({
      title: 'float64 broadcast batch (2,1,9,300) @ (3,300,11) every second column (k past one block)',
      loop: 'float64',
      run: (np) => {
        const x = a(np);
        const y = b(np).get(':, :, ::2');
        return { result: np.matmul(x, y), operands: [x, y] };
      },
    });
  }
  {
    const a = maker('float16', [40, 70]);
    const b = maker('float16', [70, 17]);
    add({
      title: 'float16 a[::2] @ b into out o[::-1, ::2] (float16)',
      loop: 'float16',
      run: (np) => {
        const x = a(np).get('::2');
        const y = b(np);
        const o = np.zeros([20, 34], { dtype: 'float16' });
        const out = o.get('::-1, ::2');
        np.matmul(x, y, { out });
        return { result: out, operands: [x, y], out: o };
      },
    });
  }
  {
    const a = maker('float16', [16, 33]);
    const b = maker('float32', [9, 33]);
    add({
      title: 'float16 @ float32 (9,33).T: float32 loop over a converted operand',
      loop: 'float32',
      run: (np) => {
        const x = a(np);
        const y = b(np).T;
        return { result: np.matmul(x, y), operands: [x, y] };
      },
    });
  }
  {
    const a = maker('int16', [3, 12, 25]);
    const b = maker('float32', [25, 7]);
    add({
      title: 'int16 batch @ float32: float32 loop, one operand converted',
      loop: 'float32',
      run: (np) => {
        const x = a(np);
        const y = b(np);
        return { result: np.matmul(x, y), operands: [x, y] };
      },
    });
  }
  {
    const a = maker('int32', [6, 19]);
    const b = maker('float64', [19, 5]);
    add({
      title: 'int32 @ float64 into a transposed out (float64 loop, out.T = b.T @ a.T)',
      loop: 'float64',
      run: (np) => {
        const x = a(np);
        const y = b(np);
        const o = np.zeros([5, 6], { dtype: 'float64' });
        np.matmul(x, y, { out: o.T });
        return { result: o.T, operands: [x, y], out: o };
      },
    });
  }
  {
    const a = maker('float32', [11, 13]);
    const b = maker('float32', [13, 8]);
    add({
      title: 'float32 into a float64 out of every second column (sums cast from scratch)',
      loop: 'float32',
      run: (np) => {
        const x = a(np);
        const y = b(np);
        const o = np.zeros([11, 16], { dtype: 'float64' });
        const out = o.get(':, ::2');
        np.matmul(x, y, { out });
        return { result: out, operands: [x, y], out: o };
      },
    });
  }
  {
    const a = maker('float16', [10, 21]);
    const b = maker('uint8', [21, 6]);
    add({
      title: 'float16 @ uint8 into a float32 out (rounded to float16, then cast)',
      loop: 'float16',
      run: (np) => {
        const x = a(np);
        const y = b(np);
        const out = np.zeros([10, 6], { dtype: 'float32' });
        np.matmul(x, y, { out });
        return { result: out, operands: [x, y] };
      },
    });
  }
  {
    const a = maker('float32', [41, 29]);
    const v = maker('float32', [58]);
    add({
      title: 'matrix @ vector and vector @ matrix.T (float32, vector every second item)',
      loop: 'float32',
      run: (np) => {
        const x = a(np);
        const y = v(np).get('::2');
        return { result: np.matmul(x, y), operands: [x, y] };
      },
    });
    add({
      title: 'vector @ matrix.T',
      loop: 'float32',
      run: (np) => {
        const x = v(np).get('1::2');
        const y = a(np).T;
        return { result: np.matmul(x, y), operands: [x, y] };
      },
    });
  }
  {
    const a = maker('float64', [1, 1]);
    const b = maker('float64', [1, 1]);
    add({
      title: '1×1 float64',
      loop: 'float64',
      run: (np) => {
        const [x, y] = [a(np), b(np)];
        return { result: np.matmul(x, y), operands: [x, y] };
      },
    });
  }
  {
    const a = maker('float32', [4, 0]);
    const b = maker('float32', [0, 3]);
    const e = maker('float32', [0, 5]);
    add({
      title: 'K = 0 gives zeros',
      run: (np) => {
        const [x, y] = [a(np), b(np)];
        return { result: np.matmul(x, y), operands: [x, y] };
      },
    });
    add({
      title: 'empty (0,5) @ (5,3)',
      run: (np) => {
        const x = e(np);
        const y = np.ones([5, 3], { dtype: 'float32' });
        return { result: np.matmul(x, y), operands: [x, y] };
      },
    });
  }
  return list;
}

/** The result's bytes, C order. */
async function bytesOf(x: NDArray): Promise<Uint8Array> {
  const data = await x.data();
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** The documented order in the loop's type: K order from -0.0, each product and sum rounded. */
function reference(x: number[][], y: number[][], loop: 'float16' | 'float32' | 'float64'): number[][] {
  const round = loop === 'float64' ? (v: number) => v : Math.fround;
  const finish = loop === 'float16' ? (v: number) => float16BitsToFloat64(float64ToFloat16Bits(v)) : (v: number) => v;
  return x.map((row) =>
    y[0].map((_, j) => {
      let sum = -0;
      for (let p = 0; p < row.length; p++) sum = round(sum + round(row[p] * y[p][j]));
      return finish(sum);
    }),
  );
}

/** Every matrix of a result (or operand) as nested number arrays, broadcast to `batch` matrices. */
function matrices(value: unknown, ndim: number, asRow: boolean): number[][][] {
  if (ndim === 1) return [asRow ? [value as number[]] : (value as number[]).map((v) => [v])];
  if (ndim === 2) return [value as number[][]];
  return (value as unknown[]).flatMap((inner) => matrices(inner, ndim - 1, asRow));
}

const sameBits = (x: number, y: number) => Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));

describe.runIf(testedBackends().includes('cpu'))('CPU products: WebAssembly gemm and JavaScript loops', () => {
  const cpu = cpuKernelPair();

  it('give the same bits, in the documented order, on strided, transposed, cast and broadcast operands', async () => {
    const failures: string[] = [];
    for (const c of cases()) {
      const w = c.run(cpu.wasm);
      const j = c.run(cpu.js);
      const [wb, jb] = await Promise.all([bytesOf(w.result), bytesOf(j.result)]);
      if (w.result.dtype !== j.result.dtype || wb.length !== jb.length || wb.some((v, i) => v !== jb[i]))
        failures.push(`${c.title}: bits differ`);
      if (c.loop && w.result.size > 0) {
        const [xs, ys, rs] = await Promise.all([w.operands[0].toArray(), w.operands[1].toArray(), w.result.toArray()]);
        const [x, y] = w.operands;
        const batch = w.result.ndim > 2 ? w.result.shape.slice(0, -2) : [];
        const count = batch.reduce((p, e) => p * e, 1);
        const xm = matrices(xs, x.ndim, true);
        const ym = matrices(ys, y.ndim, false);
        const rm = matrices(rs, Math.max(2, w.result.ndim), x.ndim === 1);
        // Broadcast batches: x (and y) repeat over the result's batch in C order.
        const want = Array.from({ length: count }, (_, i) =>
          reference(xm[broadcastIndex(i, batch, x)], ym[broadcastIndex(i, batch, y)], c.loop!),
        );
        const got = x.ndim === 1 || y.ndim === 1 ? [reshapeVectorResult(rs, x.ndim === 1)] : rm;
        want.forEach((m, i) =>
          m.forEach((row, r) =>
            row.forEach((v, q) => {
              if (!sameBits(got[i][r][q], v)) failures.push(`${c.title}: [${i}, ${r}, ${q}] = ${got[i][r][q]}, expected ${v}`);
            }),
          ),
        );
      }
      for (const run of [w, j]) for (const x of [run.result, ...run.operands, ...(run.out ? [run.out] : [])]) x.dispose();
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('fall back to the JavaScript loops where the memory has no room for scratch, with the same bits', async () => {
    const small = await init({ backend: 'cpu', cpuKernels: 'wasm', cpuMemoryLimit: (64 << 10) + (1 << 20) });
    try {
      const a = maker('float16', [300, 300]);
      const b = maker('float16', [300, 300]);
      const [xw, yw, xj, yj] = [a(small), b(small), a(cpu.js), b(cpu.js)];
      const [rw, rj] = [small.matmul(xw, yw), cpu.js.matmul(xj, yj)];
      const [wb, jb] = await Promise.all([bytesOf(rw), bytesOf(rj)]);
      expect(wb.length).toBe(jb.length);
      expect(wb.every((v, i) => v === jb[i])).toBe(true);
      for (const x of [xw, yw, xj, yj, rw, rj]) x.dispose();
    } finally {
      small.dispose();
    }
  });
});

/** Which of an operand's matrices the i-th product of a broadcast batch reads. */
function broadcastIndex(i: number, batch: readonly number[], operand: NDArray): number {
  const own = operand.ndim > 2 ? operand.shape.slice(0, -2) : [];
  const lead = batch.length - own.length;
  let index = 0;
  let rest = i;
  const coords = new Array<number>(batch.length);
  for (let j = batch.length - 1; j >= 0; j--) {
    coords[j] = rest % batch[j];
    rest = Math.floor(rest / batch[j]);
  }
  own.forEach((extent, j) => {
    index = index * extent + (extent === 1 ? 0 : coords[lead + j]);
  });
  return index;
}

/** A matrix–vector result (a vector) as the matrix it is: one row for `vector @ matrix`, one column else. */
function reshapeVectorResult(values: unknown, row: boolean): number[][] {
  const v = values as number[];
  return row ? [v] : v.map((x) => [x]);
}

forEachBackend((_backend, get) => {
  describe('a product of one -0 term', () => {
    it('keeps the sign of zero (sums start from -0.0)', async () => {
      const np = get();
      const dtypes: DType[] = _backend === 'cpu' ? ['float16', 'float32', 'float64'] : ['float16', 'float32'];
      const results = dtypes.map((dtype) => {
        const x = np.array([[-0], [1], [-0]], { dtype });
        const y = np.array([[1, -0]], { dtype });
        const r = np.matmul(x, y); // [[-0, +0 (−0·−0)], [1, -0], [-0, +0]]
        x.dispose();
        y.dispose();
        return r;
      });
      const values = await Promise.all(results.map((r) => r.toArray()));
      for (const v of values)
        expect(v).toEqual([
          [-0, 0],
          [1, -0],
          [-0, 0],
        ]);
      for (const r of results) r.dispose();
    });
  });
});
