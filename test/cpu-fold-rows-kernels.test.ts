/**
 * The CPU's rows kernels (src/device/cpu/wasm/fold-rows-kernels.ts: min, max, argmin, argmax, any, all
 * and prod with many outputs per call) against the JavaScript loops (`init({ cpuKernels: 'js' })`), bit
 * for bit: many short outputs along each axis, outputs next to each other (the vector path) and apart,
 * strided, reversed and transposed views, several reduced axes, more outputs than one kernel call takes,
 * NaNs first, last, in the middle and several, ties and ±0. Then expected values on every backend.
 */

import { describe, expect, it } from 'vitest';
import { slice, type Context, type NDArray } from '../src/index.js';
import { cpuKernelPair, forEachBackend } from './backends.js';
import { mulberry32 } from './random.js';
import { RESERVED_BYTES } from '../src/device/cpu/heap.js';
import { ROWS_GROUP, ROWS_VALUES_ADDRESS } from '../src/device/cpu/wasm/fold-rows.js';
import { valueWidth } from '../src/device/cpu/wasm/fold-rows-kernels.js';

const cpu = cpuKernelPair();

type Program = (np: Context) => NDArray[];

async function run(np: Context, program: Program): Promise<Uint8Array[]> {
  const results = program(np);
  const bytes = await Promise.all(results.map(async (r) => new Uint8Array(((await r.data()) as Uint8Array).slice().buffer)));
  for (const r of results) r.dispose();
  return bytes;
}

/** Runs `program` on both contexts and expects the same bytes, result by result (labels name them). */
async function expectSameBits(program: Program, labels: string[]): Promise<void> {
  const [a, b] = await Promise.all([run(cpu.wasm, program), run(cpu.js, program)]);
  expect(a.length).toBe(b.length);
  const firstDifference = (x: Uint8Array, y: Uint8Array) => {
    if (x.length !== y.length) return `lengths ${x.length} and ${y.length}`;
    const at = x.findIndex((value, k) => value !== y[k]);
    return at < 0 ? null : `byte ${at}: ${x[at]} (WebAssembly) and ${y[at]} (JavaScript)`;
  };
  const differences = a.map((x, i) => [labels[i] ?? i, firstDifference(x, b[i])]).filter(([, d]) => d !== null);
  expect(differences).toEqual([]);
}

const DTYPES = ['float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'bool'] as const;
type DT = (typeof DTYPES)[number];
const OPS = ['min', 'max', 'argmin', 'argmax', 'any', 'all', 'prod'] as const;

/** `count` values of a dtype: few distinct ones (ties), ±0, the range's ends, and NaNs for floats
 * (runs of them, and lone ones). */
function values(dtype: DT, count: number, seed: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const u = random();
    if (dtype === 'bool') return u < 0.3 ? 0 : 1;
    if (dtype.startsWith('float')) {
      if (u < 0.06) return NaN;
      if (u < 0.12) return -0;
      if (u < 0.18) return 0;
      return Math.round((random() * 2 - 1) * 6) / 2; // ties among a dozen values
    }
    const bits = Number(dtype.replace(/\D/g, ''));
    const low = dtype.startsWith('u') ? 0 : -(2 ** (bits - 1));
    if (u < 0.1) return low;
    if (u < 0.2) return low + 2 ** bits - 1;
    if (u < 0.3) return 0;
    return Math.floor(random() * 7) - 3 + (low === 0 ? 3 : 0);
  });
}

/** Views with many short outputs: the array, rows reversed and strided, transposed, a column window. */
function views(a: NDArray): NDArray[] {
  return [a, a.get([slice(null, null, -2)]), a.T, a.get([slice(null, null, 3), slice(null, null, -1)]).T];
}

/** The results of every op along `axis` of `view`, with labels. */
function reductions(view: NDArray, axis: number | number[], label: string, out: NDArray[], labels: string[]): void {
  for (const op of OPS) {
    if (Array.isArray(axis) && (op === 'argmin' || op === 'argmax')) continue;
    const keepdims = out.length % 2 === 0;
    out.push(view[op](axis as number, { keepdims }));
    labels.push(`${op}(${label}, axis=${JSON.stringify(axis)})`);
  }
}

describe('CPU rows kernels (reductions with many outputs) against the JavaScript loops, bit for bit', () => {
  it("argmin/argmax's kept items lie in the memory's reserved area (../src/device/cpu/heap.ts lists its users)", () => {
    expect(ROWS_VALUES_ADDRESS + ROWS_GROUP * valueWidth('f64')).toBeLessThanOrEqual(RESERVED_BYTES);
  });

  it('the two contexts run the two paths', () => {
    expect(cpu.wasm.device).toContain('WebAssembly');
    expect(cpu.js.device).toContain('JavaScript');
  });

  it('every op and dtype along each axis of tall, wide and strided views (NaNs, ties, ±0, range ends)', async () => {
    const labels: string[] = [];
    await expectSameBits((np) => {
      const out: NDArray[] = [];
      labels.length = 0;
      DTYPES.forEach((dtype, d) => {
        for (const [rows, cols] of [
          [301, 3],
          [3, 301],
          [97, 5],
        ]) {
          const a = np.array(values(dtype, rows * cols, 10 * d + rows), { dtype, shape: [rows, cols] });
          views(a).forEach((view, v) => {
            for (const axis of [0, 1]) reductions(view, axis, `${dtype} ${rows}x${cols} view ${v}`, out, labels);
          });
        }
      });
      return out;
    }, labels);
  });

  it('several reduced axes, outputs next to each other and apart, and more outputs than one kernel call takes', async () => {
    const labels: string[] = [];
    await expectSameBits((np) => {
      const out: NDArray[] = [];
      labels.length = 0;
      for (const dtype of ['float32', 'float64', 'int32', 'uint8', 'int16', 'bool'] as const) {
        const a = np.array(values(dtype, 3 * 5 * 9, 7), { dtype, shape: [3, 5, 9] });
        for (const axis of [[0, 2], [1, 2], [0, 1], 2, 0]) reductions(a, axis, `${dtype} 3x5x9`, out, labels);
        // Reduced axes that do not merge (every other row), outputs contiguous.
        reductions(a.get([slice(), slice(null, null, 2)]), [0, 1], `${dtype} 3x5x9[:, ::2]`, out, labels);
        // 4099 · 3 outputs: groups of 4096 and a remainder, in both layouts.
        const big = np.array(values(dtype, 2 * 4099 * 3, 11), { dtype, shape: [2, 4099 * 3] });
        reductions(big, 0, `${dtype} 2x12297`, out, labels);
        reductions(big.T, 1, `${dtype} 12297x2`, out, labels);
        reductions(big.get([slice(), slice(null, null, -1)]), 0, `${dtype} 2x12297 reversed`, out, labels);
      }
      return out;
    }, labels);
  });
});

forEachBackend((_backend, get) => {
  describe('reductions with many short outputs: expected values', () => {
    it('NaN first, last, in the middle and several: min/max propagate it, argmin/argmax find the first', async () => {
      const np = get();
      const nan = NaN;
      const rows = [
        [nan, 1, 2],
        [1, 2, nan],
        [3, nan, 0],
        [nan, nan, 1],
        [2, 2, -1],
        [5, 1, 5],
      ];
      const a = np.array(rows, { dtype: 'float32' });
      const results = await Promise.all(
        [a.min(1), a.max(1), a.argmin(1), a.argmax(1), a.T.min(0), a.T.argmax(0), a.any(1), a.all(1), a.prod(1)].map((r) => r.toArray()),
      );
      expect(results).toEqual([
        [nan, nan, nan, nan, -1, 1],
        [nan, nan, nan, nan, 2, 5],
        [0, 2, 1, 0, 2, 1],
        [0, 2, 1, 0, 0, 0],
        [nan, nan, nan, nan, -1, 1],
        [0, 2, 1, 0, 0, 0],
        [true, true, true, true, true, true],
        [true, true, false, true, true, true],
        [nan, nan, nan, nan, -4, 25],
      ]);
    });

    it('ties: argmin/argmax give the first position, along either axis and on reversed views', async () => {
      const np = get();
      const a = np.array(
        [
          [3, 1, 1, 3],
          [7, 7, 0, 0],
          [2, 2, 2, 2],
        ],
        { dtype: 'int32' },
      );
      const r = a.get([slice(), slice(null, null, -1)]);
      const results = await Promise.all(
        [a.argmin(1), a.argmax(1), r.argmin(1), r.argmax(1), a.argmin(0), a.argmax(0)].map((x) => x.toArray()),
      );
      expect(results).toEqual([
        [1, 2, 0],
        [0, 0, 0],
        [1, 0, 0],
        [0, 2, 0],
        [2, 0, 1, 1],
        [1, 1, 2, 0],
      ]);
    });

    it('integer, uint8 and bool outputs: values, dtypes and keepdims shapes', async () => {
      const np = get();
      const a = np.array(
        [
          [250, 3, 7],
          [0, 255, 1],
        ],
        { dtype: 'uint8' },
      ).T; // (3, 2): outputs apart
      const b = np.array(
        [
          [true, false, true, true],
          [false, false, false, false],
          [true, true, true, true],
        ],
        { dtype: 'bool' },
      );
      const i = np.array(
        [
          [70000, 70000],
          [-3, 5],
        ],
        { dtype: 'int32' },
      );
      const results = [a.max(1, { keepdims: true }), a.min(1), b.any(1), b.all(1, { keepdims: true }), i.prod(1), a.prod(1), b.argmax(1)];
      expect(results.map((r) => [r.dtype, r.shape])).toEqual([
        ['uint8', [3, 1]],
        ['uint8', [3]],
        ['bool', [3]],
        ['bool', [3, 1]],
        ['int32', [2]],
        results[5].dtype === 'uint32' ? ['uint32', [3]] : [results[5].dtype, [3]],
        ['int32', [3]],
      ]);
      expect(await Promise.all(results.map((r) => r.toArray()))).toEqual([
        [[250], [255], [7]],
        [0, 3, 1],
        [true, false, true],
        [[false], [false], [true]],
        [(70000 * 70000) | 0, -15],
        [0, 765, 7],
        [0, 0, 0],
      ]);
    });

    it('empty reductions: min/max/argmin/argmax throw, any/all/prod give their identity', async () => {
      const np = get();
      const a = np.zeros([4, 0], { dtype: 'float32' });
      expect(() => a.max(1)).toThrow('zero-size array to reduction operation maximum which has no identity');
      expect(() => a.argmin(1)).toThrow('attempt to get argmin of an empty sequence');
      const results = await Promise.all([a.any(1), a.all(1), a.prod(1), a.max(0), a.argmax(0)].map((r) => r.toArray()));
      expect(results).toEqual([[false, false, false, false], [true, true, true, true], [1, 1, 1, 1], [], []]);
    });
  });
});
