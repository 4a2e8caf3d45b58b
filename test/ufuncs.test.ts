/**
 * Elementwise operations (ufuncs) against NumPy 2 on every backend (test/fixtures/ufuncs.json, made by
 * scripts/gen-ufunc-fixtures.py):
 *
 * - the dtype table: every operation over every pair of dtypes — result dtype (NumPy's, with ndgpu's
 *   32-bit narrowing) and values (NumPy's, computed in the narrowed loop dtype). Cases that compute in a
 *   64-bit dtype run on the CPU backend; WebGPU must refuse them with a TypeError.
 * - weak scalars (JS numbers and booleans, as Python scalars in NumPy 2) and NumPy's OverflowError.
 * - views as inputs, `out` into views (overlapping the inputs included), and NumPy's error messages.
 *
 * Values must be NumPy's bit for bit (NaN equals NaN, the sign of zero counts), except results marked
 * `approx` (exp, log, sin, cos, tanh, float power), which GPUs compute with bounded error: they must be
 * within a few units in the last place (ULP) of the result dtype (see TOLERANCE_ULP).
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  OverflowError,
  ValueError,
  type Context,
  type DType,
  type NDArray,
  type NestedArray,
  type OpOptions,
  type Scalar,
} from '../src/index.js';
import { forEachBackend, type BackendName } from './backends.js';
import { decodeScalar, type EncodedScalar } from './fixture-values.js';

// ------------------------------------------------------------------------------------------------
// The fixture format (see the generator's docstring)

type ErrorSpec = { type: 'TypeError' | 'ValueError' | 'OverflowError'; message: string };

interface TableCase {
  op: string;
  /** The arrays' dtypes, null for a scalar operand. */
  in: (DType | null)[];
  /** 1-D arrays, or `{ scalar }` for a JS scalar operand. */
  args: (EncodedScalar[] | { scalar: EncodedScalar })[];
  dtype?: DType;
  values?: EncodedScalar[];
  approx?: boolean;
  gpu64?: boolean;
  error?: ErrorSpec;
}

type ViewOp = ['get', string] | ['T'] | ['transpose', number[]] | ['broadcastTo', number[]] | ['readonly'];
type OperandSpec = { ref: string; ops: ViewOp[] } | { scalar: EncodedScalar };

interface ViewCase {
  title: string;
  arrays: Record<string, { dtype: DType; shape: number[]; values: EncodedScalar[] }>;
  op: string;
  args: OperandSpec[];
  out?: OperandSpec;
  expect?: { dtype: DType; shape: number[]; values: EncodedScalar[] };
  after?: Record<string, EncodedScalar[]>;
  approx?: boolean;
  gpu64?: boolean;
  error?: ErrorSpec;
}

const fixtures = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/ufuncs.json', import.meta.url)), 'utf8')) as {
  numpy: string;
  table: TableCase[];
  scalars: TableCase[];
  cases: ViewCase[];
};

/** NumPy's names → ndgpu's (Context and NDArray methods). */
const METHOD: Record<string, string> = {
  add: 'add',
  subtract: 'subtract',
  multiply: 'multiply',
  divide: 'divide',
  floor_divide: 'floorDivide',
  remainder: 'mod',
  power: 'power',
  maximum: 'maximum',
  minimum: 'minimum',
  equal: 'equal',
  not_equal: 'notEqual',
  less: 'less',
  less_equal: 'lessEqual',
  greater: 'greater',
  greater_equal: 'greaterEqual',
  logical_and: 'logicalAnd',
  logical_or: 'logicalOr',
  logical_not: 'logicalNot',
  negative: 'negative',
  absolute: 'abs',
  sqrt: 'sqrt',
  exp: 'exp',
  log: 'log',
  sin: 'sin',
  cos: 'cos',
  tanh: 'tanh',
  where: 'where',
  clip: 'clip',
};

/**
 * Largest error allowed for `approx` results, in ULPs of the result dtype. The CPU backend computes in
 * float64 and rounds once: within 1 ULP of NumPy (whose own float32 exp/log/sin/cos are not always
 * correctly rounded: exp(1) gives 2.7182819843 where 2.7182817459 is nearest). WGSL bounds exp, pow and
 * the trigonometric functions only loosely (exp: 3 + 2|x| ULP); 16 ULP of float32 is 1e-6 to 2e-6
 * relative. Mesa's lavapipe (CI) stays within 7 ULP on these cases (exp(9), 1.5 ** 10), 1 for log, sin,
 * cos and tanh; float16 results are within 1 ULP everywhere.
 */
const TOLERANCE_ULP: Record<BackendName, Record<string, number>> = {
  cpu: { float16: 1, float32: 1, float64: 1 },
  webgpu: { float16: 1, float32: 16 },
};

/**
 * WebGPU compiles a kernel for every combination of operation and dtypes (on Mesa's lavapipe, CI's
 * software GPU, about 50 ms each), so by default the WebGPU run replays the dtype table for `add` and
 * `where` (every input conversion), the unary functions, every operation on each dtype with itself, and
 * every operation on the mixed pairs below (each loop dtype and kind of promotion); the scalar cases for
 * the dtypes below. Cases that compile nothing (errors, 64-bit refusals) always run. The dtype resolution
 * itself is shared by the backends and fully replayed on the CPU. NDGPU_TEST_FULL_UFUNCS=1 replays every
 * case on WebGPU too (about 4 minutes on lavapipe).
 */
const FULL = process.env.NDGPU_TEST_FULL_UFUNCS === '1';
const GPU_PAIRS = new Set([
  'int8,uint8',
  'uint16,int32',
  'int32,uint32',
  'uint8,float16',
  'int16,float32',
  'bool,int8',
  'float16,float32',
  'uint32,float16',
  'bool,float32',
]);
const GPU_SCALAR_DTYPES = new Set<DType | null>(['bool', 'uint8', 'int16', 'int32', 'uint32', 'float16', 'float32']);

function replayedOn(backend: BackendName, c: TableCase, section: 'table' | 'scalars'): boolean {
  if (backend !== 'webgpu' || FULL || c.error || c.gpu64) return true;
  const arrays = c.in.filter((d): d is DType => d !== null);
  if (section === 'scalars') return c.op === 'where' ? true : GPU_SCALAR_DTYPES.has(arrays[0]);
  if (c.op === 'add' || c.op === 'where' || arrays.length === 1) return true;
  return arrays[0] === arrays[1] || GPU_PAIRS.has(`${arrays[0]},${arrays[1]}`);
}

// ------------------------------------------------------------------------------------------------
// Helpers

const ERROR_CLASS: Record<ErrorSpec['type'], new (...args: never[]) => Error> = {
  TypeError,
  ValueError,
  OverflowError,
};

const MANTISSA: Record<string, number> = { float16: 10, float32: 23, float64: 52 };
const MIN_EXPONENT: Record<string, number> = { float16: -14, float32: -126, float64: -1022 };

/** |got - want| in units of the last place of `want` in `dtype`. */
function ulps(got: number, want: number, dtype: DType): number {
  const exponent = want === 0 ? MIN_EXPONENT[dtype] : Math.max(Math.floor(Math.log2(Math.abs(want))), MIN_EXPONENT[dtype]);
  return Math.abs(got - want) / 2 ** (exponent - MANTISSA[dtype]);
}

/**
 * Operations whose sign of a zero result NumPy itself does not fix: IEEE leaves max(-0, +0) open, and
 * NumPy's loops differ (float16 `clip(-0.0, 0, 1)` gives -0.0, float32 +0.0).
 */
const ZERO_SIGN_FREE = new Set(['maximum', 'minimum', 'clip']);

/** Why `got` is not `want` (an item of `dtype`), or null when it matches. */
function mismatch(got: Scalar, want: EncodedScalar, dtype: DType, tolerance: number | null, zeroSign = true): string | null {
  const w = decodeScalar(want);
  if (dtype === 'bool') return got === w ? null : `${got} != ${w}`;
  if (typeof got === 'bigint' || !dtype.startsWith('float')) return Number(got) === Number(w) ? null : `${got} != ${w}`;
  const g = got as number;
  const x = w as number;
  if (Number.isNaN(x) || Number.isNaN(g)) return Number.isNaN(x) && Number.isNaN(g) ? null : `${g} != ${x}`;
  if (Object.is(g, x) || (!zeroSign && g === x)) return null;
  if (tolerance !== null && Number.isFinite(x) && Number.isFinite(g)) {
    const error = ulps(g, x, dtype);
    if (error <= tolerance) return null;
    return `${g} != ${x} (${error.toFixed(1)} ulp)`;
  }
  return `${Object.is(g, -0) ? '-0' : g} != ${Object.is(x, -0) ? '-0' : x}`;
}

function flat(value: NestedArray): Scalar[] {
  return Array.isArray(value) ? (value as NestedArray[]).flatMap(flat) : [value as Scalar];
}

/** np.add(...) or, for every other case whose first operand is an array, a.add(...). */
function call(np: Context, op: string, args: (NDArray | Scalar)[], options: OpOptions | undefined, methodForm: boolean): NDArray {
  const name = METHOD[op];
  if (!name) throw new Error(`no ndgpu name for ${op}`);
  const first = args[0];
  if (methodForm && typeof first === 'object' && op !== 'where') {
    const method = (first as unknown as Record<string, (...a: unknown[]) => NDArray>)[name];
    return method.call(first, ...args.slice(1), options);
  }
  const fn = (np as unknown as Record<string, (...a: unknown[]) => NDArray>)[name];
  return fn.call(np, ...args, options);
}

/** Runs `body`, expecting NumPy's error; returns a description of what went wrong, or null. */
function expectError(body: () => unknown, error: ErrorSpec): string | null {
  try {
    body();
  } catch (e) {
    if (!(e instanceof ERROR_CLASS[error.type])) return `threw ${(e as Error).name}: ${(e as Error).message}, want ${error.type}`;
    if ((e as Error).message !== error.message)
      return `message ${JSON.stringify((e as Error).message)}, want ${JSON.stringify(error.message)}`;
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
// Replaying table and scalar cases: all cases of a batch are dispatched, then read together.

async function replayTable(np: Context, backend: BackendName, cases: readonly TableCase[]): Promise<string[]> {
  const failures: string[] = [];
  const made: NDArray[] = [];
  const reads: Promise<void>[] = [];
  cases.forEach((c, index) => {
    const label = `${c.op}(${c.in.map((d, k) => d ?? JSON.stringify((c.args[k] as { scalar: EncodedScalar }).scalar)).join(', ')})`;
    const fail = (why: string) => failures.push(`${label}: ${why}`);
    const operands = c.args.map((arg, k): NDArray | Scalar => {
      if (!Array.isArray(arg)) return decodeScalar(arg.scalar);
      const array = np.array(
        arg.map((v) => decodeScalar(v)),
        { dtype: c.in[k] as DType },
      );
      made.push(array);
      return array;
    });
    const run = () => call(np, c.op, operands, undefined, index % 2 === 1);
    // WebGPU refuses 64-bit operations before anything else, NumPy's errors included.
    if (c.gpu64 && backend === 'webgpu') {
      const why = expect64BitRefusal(run);
      if (why) fail(why);
      return;
    }
    if (c.error) {
      const why = expectError(run, c.error);
      if (why) fail(why);
      return;
    }
    let result: NDArray;
    try {
      result = run();
    } catch (e) {
      fail(`threw ${(e as Error).name}: ${(e as Error).message}`);
      return;
    }
    made.push(result);
    if (result.dtype !== c.dtype) fail(`dtype ${result.dtype}, want ${c.dtype}`);
    const want = c.values as EncodedScalar[];
    const shape = c.args.some(Array.isArray) ? [want.length] : [];
    if (JSON.stringify(result.shape) !== JSON.stringify(shape))
      fail(`shape ${JSON.stringify(result.shape)}, want ${JSON.stringify(shape)}`);
    const tolerance = c.approx ? TOLERANCE_ULP[backend][c.dtype as string] : null;
    reads.push(
      result.toArray().then((nested) => {
        const got = flat(nested);
        const bad = got
          .map((g, i) => [i, mismatch(g, want[i], c.dtype as DType, tolerance, !ZERO_SIGN_FREE.has(c.op))] as const)
          .filter(([, m]) => m !== null);
        if (got.length !== want.length) fail(`${got.length} values, want ${want.length}`);
        if (bad.length > 0) {
          fail(
            bad
              .slice(0, 3)
              .map(([i, m]) => `[${i}] ${m} (inputs ${c.args.map((a) => (Array.isArray(a) ? a[i] : a.scalar)).join(', ')})`)
              .join('; '),
          );
        }
      }),
    );
  });
  await Promise.all(reads);
  for (const a of made) a.dispose();
  return failures;
}

function applyOps(np: Context, array: NDArray, ops: readonly ViewOp[]): NDArray {
  let a = array;
  for (const op of ops) {
    switch (op[0]) {
      case 'get':
        a = a.get(op[1]);
        break;
      case 'T':
        a = a.T;
        break;
      case 'transpose':
        a = a.transpose(op[1]);
        break;
      case 'broadcastTo':
        a = np.broadcastTo(a, op[1]);
        break;
      case 'readonly':
        a = a.view();
        a.flags.writeable = false;
        break;
    }
  }
  return a;
}

async function replayViewCase(np: Context, backend: BackendName, c: ViewCase): Promise<string[]> {
  const failures: string[] = [];
  const fail = (why: string) => failures.push(`${c.title}: ${why}`);
  return np.tidy(() => {
    const arrays: Record<string, NDArray> = {};
    for (const [name, spec] of Object.entries(c.arrays))
      arrays[name] = np.array(
        spec.values.map((v) => decodeScalar(v)),
        { dtype: spec.dtype, shape: spec.shape },
      );
    const operand = (spec: OperandSpec): NDArray | Scalar =>
      'scalar' in spec ? decodeScalar(spec.scalar) : applyOps(np, arrays[spec.ref], spec.ops);
    const args = c.args.map(operand);
    const out = c.out ? (operand(c.out) as NDArray) : undefined;
    const run = () => call(np, c.op, args, out ? { out } : undefined, false);
    if (c.error) {
      const why = expectError(run, c.error);
      if (why) fail(why);
      return Promise.resolve(failures);
    }
    if (c.gpu64 && backend === 'webgpu') {
      const why = expect64BitRefusal(run);
      if (why) fail(why);
      return Promise.resolve(failures);
    }
    const result = run();
    const want = c.expect!;
    if (out && result !== out) fail('the result is not the `out` array');
    if (result.dtype !== want.dtype) fail(`dtype ${result.dtype}, want ${want.dtype}`);
    if (JSON.stringify(result.shape) !== JSON.stringify(want.shape))
      fail(`shape ${JSON.stringify(result.shape)}, want ${JSON.stringify(want.shape)}`);
    const tolerance = c.approx ? TOLERANCE_ULP[backend][want.dtype] : null;
    const compare = (label: string, got: Scalar[], values: EncodedScalar[], dtype: DType): void => {
      if (got.length !== values.length) {
        fail(`${label}: ${got.length} values, want ${values.length}`);
        return;
      }
      const bad = got
        .map((g, i) => [i, mismatch(g, values[i], dtype, tolerance, !ZERO_SIGN_FREE.has(c.op))] as const)
        .filter(([, m]) => m !== null);
      if (bad.length > 0)
        fail(
          `${label}: ${bad
            .slice(0, 3)
            .map(([i, m]) => `[${i}] ${m}`)
            .join('; ')}`,
        );
    };
    const reads: Promise<void>[] = [result.toArray().then((nested) => compare('result', flat(nested), want.values, want.dtype))];
    for (const [name, values] of Object.entries(c.after ?? {})) {
      reads.push(arrays[name].toArray().then((nested) => compare(`${name} afterwards`, flat(nested), values, arrays[name].dtype)));
    }
    return Promise.all(reads).then(() => failures);
  });
}

// ------------------------------------------------------------------------------------------------

const byOp = new Map<string, TableCase[]>();
for (const c of fixtures.table) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

forEachBackend((backend, get) => {
  describe(`dtype table (NumPy ${fixtures.numpy})`, () => {
    for (const [op, all] of byOp) {
      const cases = all.filter((c) => replayedOn(backend, c, 'table'));
      it(`${op}: ${cases.length} dtype combinations`, async () => {
        const failures = await replayTable(get(), backend, cases);
        expect(failures.slice(0, 8), `${failures.length} failing ${op} cases on ${backend}`).toEqual([]);
      });
    }
  });

  const scalars = fixtures.scalars.filter((c) => replayedOn(backend, c, 'scalars'));
  it(`weak scalars and OverflowError (${scalars.length} cases)`, async () => {
    const failures = await replayTable(get(), backend, scalars);
    expect(failures.slice(0, 12), `${failures.length} failing scalar cases on ${backend}`).toEqual([]);
  });

  it(`views, out, overlap and errors (${fixtures.cases.length} cases)`, async () => {
    const np = get();
    const failures: string[] = [];
    for (const c of fixtures.cases) failures.push(...(await replayViewCase(np, backend, c)));
    expect(failures, `${failures.length} failing cases on ${backend}`).toEqual([]);
  });
});
