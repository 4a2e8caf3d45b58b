/**
 * Products (matmul, dot, vdot, inner, outer, tensordot) against NumPy 2 on every backend
 * (test/fixtures/products.json, made by scripts/gen-product-fixtures.py): the dtype table, shapes
 * (1-D, batched, broadcast, empty, 1×1, primes), views as operands and as `out` (overlapping included),
 * and NumPy's errors; then properties NumPy fixtures do not show: operands are read where they lie (no
 * copy, counted through the backend), random views against a reference, the blocked CPU loops and the
 * GPU's large tiles on larger products, and products over buffers larger than one storage binding.
 *
 * Float results are compared with a tolerance that grows with the inner dimension: every implementation
 * adds the terms in an order of its own (NumPy's BLAS; the GPU and the CPU in K order, in float32), each
 * rounding at most half a float32 ulp of the running sum, bounded by the sum of |terms| (`scale`).
 * Integer and bool results are exact; the sign of a zero sum is not compared (NumPy's own differs between
 * its BLAS and non-BLAS loops), except for `outer`, whose single term keeps its sign.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValueError, init, type Context, type DType, type NDArray, type NestedArray, type Scalar } from '../src/index.js';
import { float16BitsToFloat64, float64ToFloat16Bits } from '../src/ndarray/core/float16.js';
import { forEachBackend, testedWebGpuVariants, type BackendName } from './backends.js';
import { decodeScalar, type EncodedScalar } from './fixture-values.js';
import { mulberry32 } from './random.js';

// ------------------------------------------------------------------------------------------------
// The fixture format (see the generator's docstring)

type ErrorSpec = { type: 'TypeError' | 'ValueError' | 'IndexError'; message: string };

interface Expectation {
  dtype: DType;
  shape: number[];
  values: EncodedScalar[];
  /** Float results: the number of terms of each sum, and each output's sum of |terms|. */
  k?: number;
  scale?: number[];
}

interface TableCase {
  in: [DType, DType];
  args: [EncodedScalar[], EncodedScalar[]];
  dtype: DType;
  values: EncodedScalar[];
  k?: number;
  scale?: number[];
  gpu64?: boolean;
}

type ViewOp = ['get', string] | ['T'] | ['transpose', number[]] | ['broadcastTo', number[]] | ['readonly'];
type OperandSpec = { ref: string; ops: ViewOp[] };

interface ViewCase {
  title: string;
  arrays: Record<string, { dtype: DType; shape: number[]; values: EncodedScalar[] }>;
  op: 'matmul' | 'dot' | 'vdot' | 'inner' | 'outer' | 'tensordot';
  args: [OperandSpec, OperandSpec];
  out?: OperandSpec;
  axes?: number | [number | number[], number | number[]];
  expect?: Expectation;
  after?: Record<string, EncodedScalar[]>;
  gpu64?: boolean;
  error?: ErrorSpec;
}

const fixtures = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/products.json', import.meta.url)), 'utf8')) as {
  numpy: string;
  table: TableCase[];
  cases: ViewCase[];
};

/**
 * WebGPU compiles a kernel per combination of dtypes (each takes a while on lavapipe), so the WebGPU run
 * replays the table for each dtype with itself, the mixed pairs below (each kind of conversion a load
 * makes: widening, int32/uint32 to float32, uint32 to int32, into a float16 loop) and every 64-bit refusal; the CPU replays all of it. NDGPU_TEST_FULL_PRODUCTS=1 replays
 * every case on WebGPU too.
 */
const FULL = process.env.NDGPU_TEST_FULL_PRODUCTS === '1';
const GPU_PAIRS = new Set(['int8,uint8', 'int32,uint32', 'uint8,float16', 'int32,float32', 'uint32,float16']);

/**
 * The kernels tuned for hardware GPUs ('webgpu:gpu' on lavapipe) compile more slowly there, so that
 * variant replays the programs over 4-byte dtypes (every view, `out` and tile access) and every error:
 * the loads, conversions and stores of narrower dtypes are the same code in both kernel shapes, and the
 * default variant replays all of them.
 */
function replayedInTiles(np: Context, c: ViewCase): boolean {
  if (np.tuning !== 'gpu' || FULL || c.error || c.gpu64) return true;
  return Object.values(c.arrays).every((a) => a.dtype === 'float32' || a.dtype === 'int32');
}

function replayedOn(backend: BackendName, c: TableCase): boolean {
  if (backend !== 'webgpu' || FULL || c.gpu64) return true;
  return c.in[0] === c.in[1] || GPU_PAIRS.has(c.in.join(','));
}

// ------------------------------------------------------------------------------------------------
// Comparing values

const ERROR_CLASS: Record<ErrorSpec['type'], new (...args: never[]) => Error> = { TypeError, ValueError, IndexError: Error };

/** An expected value as the result dtype holds it (the fixtures write floats in their shortest form). */
function expected(value: EncodedScalar, dtype: DType): Scalar {
  const v = decodeScalar(value, dtype);
  if (typeof v !== 'number') return v;
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'float16') return float16BitsToFloat64(float64ToFloat16Bits(v));
  return v;
}

const MANTISSA: Record<string, number> = { float16: 10, float32: 23, float64: 52 };

/** One unit in the last place of `x` in a float dtype. */
function ulp(x: number, dtype: DType): number {
  const exponent = x === 0 ? -14 : Math.floor(Math.log2(Math.abs(x)));
  return 2 ** (Math.max(exponent, dtype === 'float16' ? -14 : -126) - MANTISSA[dtype]);
}

/** Why `got` differs from the expectation at `i`, or null. */
function mismatch(
  got: Scalar,
  want: Scalar,
  dtype: DType,
  i: number,
  e: { k?: number; scale?: number[] },
  zeroSign: boolean,
): string | null {
  if (typeof got !== 'number' || typeof want !== 'number' || !dtype.startsWith('float')) {
    return got === want || (typeof got !== 'boolean' && typeof want !== 'boolean' && BigInt(got) === BigInt(want))
      ? null
      : `${got} != ${want}`;
  }
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got) ? null : `${got} != ${want}`;
  if (got === want)
    return zeroSign && !Object.is(got, want) ? `${Object.is(got, -0) ? '-0' : got} != ${Object.is(want, -0) ? '-0' : want}` : null;
  // Each of up to k + 1 additions rounds the running sum (at most scale) by half a unit of the
  // accumulator; both sides do, and the result then rounds once more into its dtype.
  const unit = dtype === 'float64' ? 2 ** -53 : 2 ** -24;
  const tolerance = 2 * ((e.k ?? 1) + 1) * unit * (e.scale?.[i] ?? Math.abs(want)) + ulp(want, dtype);
  return Math.abs(got - want) <= tolerance ? null : `${got} != ${want} (off by ${Math.abs(got - want)}, tolerance ${tolerance})`;
}

function flat(value: NestedArray): Scalar[] {
  return Array.isArray(value) ? (value as NestedArray[]).flatMap(flat) : [value as Scalar];
}

function expectError(body: () => unknown, error: ErrorSpec): string | null {
  try {
    body();
  } catch (e) {
    const err = e as Error;
    const classOk = error.type === 'IndexError' ? err.name === 'IndexError' : err instanceof ERROR_CLASS[error.type];
    if (!classOk) return `threw ${err.name}: ${err.message}, want ${error.type}`;
    if (err.message !== error.message) return `message ${JSON.stringify(err.message)}, want ${JSON.stringify(error.message)}`;
    return null;
  }
  return `did not throw (want ${error.type}: ${error.message})`;
}

const GPU64 = /WebGPU cannot.*64-bit/;

function expect64BitRefusal(body: () => unknown): string | null {
  try {
    body();
  } catch (e) {
    if (e instanceof TypeError && GPU64.test(e.message)) return null;
    return `threw ${(e as Error).name}: ${(e as Error).message}, want a TypeError saying WebGPU cannot compute in 64-bit`;
  }
  return 'did not throw (want a TypeError saying WebGPU cannot compute in 64-bit)';
}

// ------------------------------------------------------------------------------------------------
// Replaying

async function replayTable(np: Context, backend: BackendName, cases: readonly TableCase[]): Promise<string[]> {
  const failures: string[] = [];
  const reads: Promise<void>[] = [];
  const made: NDArray[] = [];
  for (const c of cases) {
    const label = `matmul(${c.in.join(', ')})`;
    const [a, b] = c.args.map((values, k) => {
      const array = np.array(
        values.map((v) => decodeScalar(v, c.in[k])),
        { dtype: c.in[k], shape: k === 0 ? [2, 3] : [3, 2] },
      );
      made.push(array);
      return array;
    });
    if (c.gpu64 && backend === 'webgpu') {
      const why = expect64BitRefusal(() => np.matmul(a, b));
      if (why) failures.push(`${label}: ${why}`);
      continue;
    }
    const result = np.matmul(a, b);
    made.push(result);
    if (result.dtype !== c.dtype) failures.push(`${label}: dtype ${result.dtype}, want ${c.dtype}`);
    reads.push(
      result.toArray().then((nested) => {
        flat(nested).forEach((g, i) => {
          const why = mismatch(g, expected(c.values[i], c.dtype), c.dtype, i, c, false);
          if (why) failures.push(`${label}[${i}]: ${why}`);
        });
      }),
    );
  }
  await Promise.all(reads);
  for (const a of made) a.dispose();
  return failures;
}

function applyOps(np: Context, array: NDArray, ops: readonly ViewOp[]): NDArray {
  let a = array;
  for (const op of ops) {
    if (op[0] === 'get') a = a.get(op[1]);
    else if (op[0] === 'T') a = a.T;
    else if (op[0] === 'transpose') a = a.transpose(op[1]);
    else if (op[0] === 'broadcastTo') a = np.broadcastTo(a, op[1]);
    else {
      a = a.view();
      a.flags.writeable = false;
    }
  }
  return a;
}

function call(np: Context, c: ViewCase, args: NDArray[], out: NDArray | undefined): NDArray {
  const [a, b] = args;
  switch (c.op) {
    case 'matmul':
      return out ? np.matmul(a, b, { out }) : np.matmul(a, b);
    case 'tensordot':
      return c.axes === undefined ? np.tensordot(a, b) : np.tensordot(a, b, c.axes);
    default:
      return np[c.op](a, b);
  }
}

async function replayCase(np: Context, backend: BackendName, c: ViewCase): Promise<string[]> {
  const failures: string[] = [];
  const fail = (why: string) => failures.push(`${c.title}: ${why}`);
  const pending = np.tidy(() => {
    const arrays: Record<string, NDArray> = {};
    for (const [name, spec] of Object.entries(c.arrays)) {
      arrays[name] = np.array(
        spec.values.map((v) => decodeScalar(v, spec.dtype)),
        { dtype: spec.dtype, shape: spec.shape },
      );
    }
    const args = c.args.map((spec) => applyOps(np, arrays[spec.ref], spec.ops));
    const out = c.out ? applyOps(np, arrays[c.out.ref], c.out.ops) : undefined;
    const run = () => call(np, c, args, out);
    if (c.error) {
      const why = expectError(run, c.error);
      if (why) fail(why);
      return [];
    }
    if (c.gpu64 && backend === 'webgpu') {
      const why = expect64BitRefusal(run);
      if (why) fail(why);
      return [];
    }
    const result = run();
    const want = c.expect as Expectation;
    if (out && result !== out) fail('the result is not the `out` array');
    if (result.dtype !== want.dtype) fail(`dtype ${result.dtype}, want ${want.dtype}`);
    if (JSON.stringify(result.shape) !== JSON.stringify(want.shape))
      fail(`shape ${JSON.stringify(result.shape)}, want ${JSON.stringify(want.shape)}`);
    const compare = (label: string, got: Scalar[], values: EncodedScalar[], dtype: DType, e: Expectation | object) => {
      if (got.length !== values.length) return fail(`${label}: ${got.length} values, want ${values.length}`);
      const bad = got.flatMap((g, i) => {
        const why = mismatch(g, expected(values[i], dtype), dtype, i, e, c.op === 'outer');
        return why ? [`[${i}] ${why}`] : [];
      });
      if (bad.length > 0) fail(`${label}: ${bad.slice(0, 3).join('; ')}`);
    };
    const reads = [result.toArray().then((nested) => compare('result', flat(nested), want.values, want.dtype, want))];
    for (const [name, values] of Object.entries(c.after ?? {})) {
      // The rest of the array is untouched (exact); the outputs within it compare as the result does.
      reads.push(arrays[name].toArray().then((nested) => compare(`${name} afterwards`, flat(nested), values, arrays[name].dtype, {})));
    }
    return reads;
  });
  await Promise.all(pending);
  return failures;
}

// ------------------------------------------------------------------------------------------------
// A reference for the properties below: int32 products computed in JavaScript (exact, wrapping)

/** `x @ y` of nested int32 values, NumPy's matmul rules for 2-D and batched (equal batch) operands. */
function referenceMatmul(x: number[][], y: number[][]): number[][] {
  return x.map((row) => y[0].map((_, j) => row.reduce((sum, v, p) => (sum + Math.imul(v, y[p][j])) | 0, 0)));
}

function randomInts(random: () => number, count: number, spread = 19): number[] {
  return Array.from({ length: count }, () => Math.floor(random() * spread) - (spread >> 1));
}

// ------------------------------------------------------------------------------------------------

forEachBackend((backend, get) => {
  describe(`products against NumPy ${fixtures.numpy}`, () => {
    const table = fixtures.table.filter((c) => replayedOn(backend, c));
    it(`matmul dtype table (${table.length} pairs)`, async () => {
      const failures = await replayTable(get(), backend, table);
      expect(failures.slice(0, 10), `${failures.length} failing table cases on ${backend}`).toEqual([]);
    });

    it(`shapes, views, out, overlap and errors (${fixtures.cases.length} cases)`, async () => {
      const np = get();
      const cases = fixtures.cases.filter((c) => replayedInTiles(np, c));
      const failures = (await Promise.all(cases.map((c) => replayCase(np, backend, c)))).flat();
      expect(failures, `${failures.length} failing cases on ${backend} (${cases.length} replayed)`).toEqual([]);
    });
  });

  describe('products read operands where they lie', () => {
    it('computes products of transposed, strided, reversed and broadcast views without copying them first', async () => {
      const np = get();
      const impl = np.backendImpl as unknown as Record<string, (...args: unknown[]) => unknown>;
      const a = np.arange(48, { dtype: 'float32' }).reshape(6, 8);
      const b = np.arange(40, { dtype: 'float32' }).reshape(8, 5);
      const o = np.zeros([9, 9]);
      const views: [string, () => NDArray][] = [
        ['a.T.T @ b', () => np.matmul(a.T.T, b)],
        ['b.T @ a.T', () => np.matmul(b.T, a.T)],
        ['a[::2, ::-1] @ b[::-1, 1::2]', () => np.matmul(a.get('::2, ::-1'), b.get('::-1, 1::2'))],
        ['broadcast batch @ b', () => np.matmul(np.broadcastTo(a.get('1:3'), [4, 2, 8]), b)],
        ['a[:, 3] @ b (column)', () => np.matmul(b.T, a.get('1, :'))],
        ['dot(a.T, a)', () => np.dot(a.T, a)],
        ['inner(a[::3], a[1::2])', () => np.inner(a.get('::3'), a.get('1::2'))],
        ['tensordot(a.T, b.T, ([0], [1]))', () => np.tensordot(a.T, b.T, [[0], [1]])],
        ['out = o[1::2, ::-2]', () => np.matmul(a.get('::2'), b.get(':, ::-1'), { out: o.get('1:7:2, ::-2') })],
      ];
      await np.sync();
      const counts = new Map<string, number>();
      const spied = ['alloc', 'copy', 'cast', 'fill', 'write', 'elementwise', 'reduce', 'product'];
      const originals = spied.map((name) => [name, impl[name]] as const);
      for (const [name, original] of originals) {
        impl[name] = (...args: unknown[]) => {
          counts.set(name, (counts.get(name) ?? 0) + 1);
          return original.apply(impl, args);
        };
      }
      const seen: Record<string, Record<string, number>> = {};
      try {
        for (const [label, run] of views) {
          counts.clear();
          const result = run();
          seen[label] = Object.fromEntries(counts);
          if (result !== o) result.dispose();
        }
      } finally {
        for (const [name] of originals) delete impl[name]; // back to the prototype's methods
      }
      for (const [label] of views) {
        // One product; one allocation, the result's (none with `out`); nothing moved or staged.
        const want = label.startsWith('out') ? { product: 1 } : { alloc: 1, product: 1 };
        expect(seen[label], label).toEqual(want);
      }
      for (const x of [a, b, o]) x.dispose();
    });
  });

  describe('products on random views, against a JavaScript reference', () => {
    it('matches for random shapes, transposes, steps and batch broadcasting', async () => {
      const np = get();
      const random = mulberry32(2024);
      const checks: Promise<string | null>[] = [];
      const made: NDArray[] = [];
      for (let trial = 0; trial < 24; trial++) {
        const [m, k, n] = [1 + Math.floor(random() * 9), 1 + Math.floor(random() * 11), 1 + Math.floor(random() * 9)];
        const batch = 1 + Math.floor(random() * 3);
        // Operands stored in a random layout (transposed or not, with a random step), viewed as (batch, m, k).
        const view = (rows: number, cols: number) => {
          const transposed = random() < 0.5;
          const step = 1 + Math.floor(random() * 2);
          const values = randomInts(random, batch * rows * cols * step);
          const stored = np.array(values, { dtype: 'int32', shape: transposed ? [batch, cols * step, rows] : [batch, rows, cols * step] });
          made.push(stored);
          const array = transposed ? stored.transpose(0, 2, 1) : stored;
          return array.get(`:, :, ::${step}`);
        };
        const x = view(m, k);
        const y = random() < 0.3 ? view(k, n).get('0') : view(k, n); // sometimes a 2-D operand broadcast over the batch
        const result = np.matmul(x, y);
        made.push(result);
        const label = `trial ${trial}: ${x.shape} @ ${y.shape}`;
        checks.push(
          Promise.all([x.toArray(), y.toArray(), result.toArray()]).then(([xs, ys, rs]) => {
            const xb = xs as number[][][];
            const yb = y.ndim === 2 ? xb.map(() => ys as number[][]) : (ys as number[][][]);
            const want = xb.map((xm, i) => referenceMatmul(xm, yb[i]));
            return JSON.stringify(rs) === JSON.stringify(want) ? null : `${label}: ${JSON.stringify(rs)} != ${JSON.stringify(want)}`;
          }),
        );
      }
      const failures = (await Promise.all(checks)).filter((f) => f !== null);
      for (const a of made) a.dispose();
      expect(failures).toEqual([]);
    });

    it('matches across the CPU blocks and GPU tiles (70×9 @ 9×261, transposed; 2048×3 @ 3×2048 sampled)', async () => {
      const np = get();
      const random = mulberry32(7);
      const xs = randomInts(random, 70 * 9);
      const ys = randomInts(random, 9 * 261);
      const x = np.array(xs, { dtype: 'int32', shape: [9, 70] }).T; // stored transposed
      const y = np.array(ys, { dtype: 'float32', shape: [9, 261] });
      const z = np.matmul(x, y); // int32 @ float32 -> float32, exact for these small integers
      const got = (await z.data()) as Float32Array;
      let wrong = 0;
      for (let i = 0; i < 70; i++)
        for (let j = 0; j < 261; j++) {
          let sum = 0;
          for (let p = 0; p < 9; p++) sum += xs[p * 70 + i] * ys[p * 261 + j];
          if (got[i * 261 + j] !== sum) wrong++;
        }
      expect(wrong).toBe(0);
      // Large enough for the GPU tuning's large tiles; read back a strided sample and the total.
      const side = 2048;
      const a = np
        .arange(side * 3, { dtype: 'float32' })
        .reshape(side, 3)
        .mod(7);
      const b = np
        .arange(3 * side, { dtype: 'float32' })
        .reshape(3, side)
        .mod(5);
      const c = np.matmul(a, b);
      const sample = (await c.get('::97, ::89').data()) as Float32Array;
      const rows = Math.ceil(side / 97);
      const cols = Math.ceil(side / 89);
      let sampleWrong = 0;
      for (let i = 0; i < rows; i++)
        for (let j = 0; j < cols; j++) {
          let sum = 0;
          for (let p = 0; p < 3; p++) sum += ((i * 97 * 3 + p) % 7) * ((p * side + j * 89) % 5);
          if (sample[i * cols + j] !== sum) sampleWrong++;
        }
      expect(sampleWrong).toBe(0);
      let total = 0;
      for (let p = 0; p < 3; p++) {
        let rowSum = 0;
        let colSum = 0;
        for (let i = 0; i < side; i++) rowSum += (i * 3 + p) % 7;
        for (let j = 0; j < side; j++) colSum += (p * side + j) % 5;
        total += rowSum * colSum;
      }
      expect(await c.sum(null).astype('float32').item()).toBe(Math.fround(total));
      for (const t of [x, y, z, a, b, c]) t.dispose();
    });
  });

  describe('product API', () => {
    it('has methods, returns `out`, takes nested arrays and scalars as NumPy converts them', async () => {
      const np = get();
      const a = np.array([
        [1, 2],
        [3, 4],
      ]);
      expect(await a.matmul(a).toArray()).toEqual([
        [7, 10],
        [15, 22],
      ]);
      expect(await a.dot([5, 6]).toArray()).toEqual([17, 39]);
      const out = np.zeros([2, 2], { dtype: 'int32' });
      expect(np.matmul(a, a.T, { out })).toBe(out);
      expect(await out.toArray()).toEqual([
        [5, 11],
        [11, 25],
      ]);
      expect(await np.matmul([[1, 2]], [[3], [4]]).toArray()).toEqual([[11]]);
      // A JS scalar is a 0-d array of its default dtype (NumPy's asarray), not a weak scalar.
      const small = np.array([1, 2], { dtype: 'int8' });
      const scaled = np.dot(100, small);
      expect([scaled.dtype, await scaled.toArray()]).toEqual(['int32', [100, 200]]);
      expect(await np.vdot(a, a.T).item()).toBe(1 + 6 + 6 + 16);
      expect((await np.outer([1, 2], [3, 4, 5]).toArray()) as number[][]).toEqual([
        [3, 4, 5],
        [6, 8, 10],
      ]);
      // A 64-bit `out` of a 32-bit product: WebGPU computes in 32 bits and converts when it stores.
      const wide = np.zeros([2, 2], { dtype: 'float64' });
      np.matmul(a.astype('float32').multiply(0.5), a.T, { out: wide });
      expect([wide.dtype, await wide.toArray()]).toEqual([
        'float64',
        [
          [2.5, 5.5],
          [5.5, 12.5],
        ],
      ]);
      for (const t of [a, out, small, scaled, wide]) t.dispose();
    });

    it('throws before anything is queued and leaves nothing allocated', () => {
      const np = get();
      const a = np.ones([2, 3]);
      const before = np.memory().buffers;
      expect(() => np.matmul(a, a)).toThrow(ValueError);
      expect(() => np.matmul(a, a.T, { out: np.ones([3, 3]) })).toThrow(ValueError);
      expect(() =>
        np.tensordot(a, a, [
          [0, 1],
          [1, 0],
        ]),
      ).toThrow('shape-mismatch for sum');
      expect(() => np.dot(a, [[1, 2]])).toThrow('shapes (2,3) and (1,2) not aligned: 3 (dim 1) != 1 (dim 0)');
      expect(np.memory().buffers).toBe(before + 1); // only the `out` made in the second line
      a.dispose();
    });
  });
});

// ------------------------------------------------------------------------------------------------
// Buffers larger than one storage binding (WebGPU): 4 KiB windows, as test/windows.test.ts does

const WINDOW = 4096;

if (testedWebGpuVariants().length === 0) {
  describe.skip('products through binding windows (no WebGPU backend selected)', () => {
    it('needs a WebGPU backend', () => {});
  });
}

for (const [name, options] of testedWebGpuVariants()) {
  describe(`${name}, products through bindings of ${WINDOW} bytes`, () => {
    let gpu: Context;
    let cpu: Context;
    beforeAll(async () => {
      gpu = await init({ ...options, maxBindingSize: WINDOW });
      cpu = await init({ backend: 'cpu' });
    });
    afterAll(() => {
      gpu?.dispose();
      cpu?.dispose();
    });

    it('splits products over windows (inner dimension included) like the CPU backend computes them', async () => {
      // Small integers in float32: every partial sum is exact, whatever the pieces.
      const program = (np: Context) =>
        np.tidy(() => {
          const a = np
            .arange(37 * 53, { dtype: 'float32' })
            .reshape(37, 53)
            .mod(7);
          const b = np
            .arange(53 * 61, { dtype: 'float32' })
            .reshape(53, 61)
            .mod(5);
          const results = [
            np.matmul(a, b), // every operand several windows
            np.matmul(b.T, a.T), // columns spanning the whole operand: the inner dimension splits
            np.matmul(a.get('::-1, ::2'), b.get('::2, ::-1')),
            np.matmul(np.broadcastTo(a.get(':5'), [3, 5, 53]), b), // batches
            np.matmul(a.T.astype('int16'), a.astype('uint8')), // narrow items and outputs
          ];
          // Into a large strided `out`, and with an operand in the output's buffer.
          const big = np.zeros([80, 130], { dtype: 'float32' });
          np.matmul(a, b, { out: big.get('3:40, 2:124:2') });
          const shared = np.zeros([2, 40, 61], { dtype: 'float32' });
          shared.set('0, :37, :53', a);
          np.matmul(shared.get('0, :37, :53'), b, { out: shared.get('1, :37') });
          return [...results, big, shared];
        });
      const got = await Promise.all(program(gpu).map((x) => x.toArray()));
      const want = await Promise.all(program(cpu).map((x) => x.toArray()));
      got.forEach((g, k) => expect(g, `result ${k}`).toEqual(want[k]));
    });
  });
}
