/**
 * Issue #18's numerics against NumPy 2 on every backend (test/fixtures/numerics.json, made by
 * scripts/gen-numerics-fixtures.py): the new ufuncs over every dtype they accept, weak scalars, views,
 * `out` and errors; `round`, `var`/`std`/`ptp`/`countNonzero`; exact integer means; creation and
 * closeness helpers; and integer sums and means over 2^24-element arrays in several layouts, whose bytes
 * must be NumPy's on every backend.
 *
 * Exact results must match bit for bit (NaN equals NaN; the sign of zero counts except where NumPy leaves
 * it open). Transcendental functions (`approx`) are within a few ULP: the CPU computes in float64 and rounds
 * once (NumPy's own float32 functions are within a few ULP of that), the GPU runs shaders/math.ts.
 */

import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/numerics.json';
import { OverflowError, ValueError, type Context, type DType, type NDArray, type NestedArray, type Scalar } from '../src/index.js';
import { forEachBackend, type BackendName } from './backends.js';
import { decodeScalar, type EncodedScalar } from './fixture-values.js';

type ErrorSpec = { type: 'TypeError' | 'ValueError' | 'OverflowError'; message: string };

interface TableCase {
  op: string;
  in: (DType | null)[];
  args: (EncodedScalar[] | { scalar: EncodedScalar })[];
  dtype?: DType;
  values?: EncodedScalar[];
  approx?: boolean;
  gpu64?: boolean;
  error?: ErrorSpec;
}

type ViewOp = ['get', string] | ['T'] | ['broadcastTo', number[]];
type OperandSpec = { ref: string; ops: ViewOp[] } | { scalar: EncodedScalar };

interface ViewCase {
  title: string;
  arrays: Record<string, { dtype: DType; shape: number[]; values: EncodedScalar[] }>;
  op: string;
  args: OperandSpec[];
  kwargs: { decimals?: number };
  out?: OperandSpec;
  expect?: { dtype: DType; shape: number[]; values: EncodedScalar[] };
  after?: Record<string, EncodedScalar[]>;
  approx?: boolean;
  gpu64?: boolean;
  error?: ErrorSpec;
}

interface ReductionCase {
  op: 'var' | 'std' | 'ptp' | 'count_nonzero';
  dtype: DType;
  shape: number[];
  data: EncodedScalar[];
  view: string;
  axis: number | number[] | null;
  keepdims: boolean;
  ddof: number;
  resultDtype?: DType;
  resultShape?: number[];
  expected?: EncodedScalar[];
  numpy?: EncodedScalar[];
  exact?: boolean;
  gpu64?: boolean;
  error?: ErrorSpec;
}

interface MeanCase {
  dtype: DType;
  shape: number[];
  formula: [number, number, number, number];
  axis: number | number[] | null;
  expected: EncodedScalar[];
  float32Differs: boolean;
}

interface CreationResult {
  dtype: DType;
  shape: number[];
  values?: EncodedScalar[];
  strides?: number[];
}

interface CreationCase {
  call: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  results?: CreationResult[];
  source?: { view: string };
  error?: ErrorSpec;
}

interface ClosenessSide {
  dtype?: DType;
  values?: EncodedScalar[];
  shape?: number[];
  scalar?: EncodedScalar;
}

interface ClosenessCase {
  op: 'isclose' | 'allclose' | 'array_equal';
  a: ClosenessSide;
  b: ClosenessSide;
  kwargs: { rtol?: number; atol?: number; equalNan?: boolean };
  expected: EncodedScalar[] | boolean;
}

interface LargeCase {
  name: string;
  dtype: DType;
  shape: number[];
  formula?: [number, number, number, number];
  reshape?: number[];
  constant?: number;
  bump?: [number, number];
  view: string;
  axis: number | number[] | null;
  sumDtype: DType;
  outputs: number;
  sum: EncodedScalar[];
  sumHash: number;
  mean: EncodedScalar[];
  meanHash: number;
  float32MeanDiffers: boolean;
  sumPasses2to32: boolean;
  onceRounded?: EncodedScalar;
}

const data = fixtures as unknown as {
  numpy: string;
  ufuncs: TableCase[];
  scalars: TableCase[];
  views: ViewCase[];
  reductions: ReductionCase[];
  means: MeanCase[];
  creation: CreationCase[];
  closeness: ClosenessCase[];
  large: LargeCase[];
};

/** NumPy's names → ndgpu's. */
const METHOD: Record<string, string> = {
  floor: 'floor',
  ceil: 'ceil',
  trunc: 'trunc',
  rint: 'rint',
  sign: 'sign',
  square: 'square',
  reciprocal: 'reciprocal',
  exp2: 'exp2',
  expm1: 'expm1',
  log2: 'log2',
  log10: 'log10',
  log1p: 'log1p',
  tan: 'tan',
  arcsin: 'arcsin',
  arccos: 'arccos',
  arctan: 'arctan',
  sinh: 'sinh',
  cosh: 'cosh',
  arcsinh: 'arcsinh',
  arccosh: 'arccosh',
  arctanh: 'arctanh',
  isnan: 'isnan',
  isinf: 'isinf',
  isfinite: 'isfinite',
  signbit: 'signbit',
  invert: 'invert',
  arctan2: 'arctan2',
  hypot: 'hypot',
  fmod: 'fmod',
  copysign: 'copysign',
  fmax: 'fmax',
  fmin: 'fmin',
  logical_xor: 'logicalXor',
  bitwise_and: 'bitwiseAnd',
  bitwise_or: 'bitwiseOr',
  bitwise_xor: 'bitwiseXor',
  left_shift: 'leftShift',
  right_shift: 'rightShift',
  round: 'round',
};

/**
 * ULPs allowed for `approx` results. CPU: float64 rounded once, against NumPy's float32 functions, which
 * are themselves within a few ULP of correctly rounded (its SIMD exp2, log2, tan...); float16 is computed
 * in float32 by NumPy and in float64 here: 1 ULP. GPU: shaders/math.ts measured within 3 ULP of the
 * correctly rounded float32 on lavapipe (plus NumPy's own error); WGSL's sqrt and division may add a
 * little on other GPUs.
 */
const TOLERANCE_ULP: Record<BackendName, Record<string, number>> = {
  cpu: { float16: 1, float32: 4, float64: 2 },
  webgpu: { float16: 1, float32: 8 },
};

/** Results whose sign of zero NumPy does not fix (IEEE leaves fmax(-0, +0) open). */
const ZERO_SIGN_FREE = new Set(['fmax', 'fmin']);

const ERROR_CLASS: Record<ErrorSpec['type'], new (...args: never[]) => Error> = { TypeError, ValueError, OverflowError };
const MANTISSA: Record<string, number> = { float16: 10, float32: 23, float64: 52 };
const MIN_EXPONENT: Record<string, number> = { float16: -14, float32: -126, float64: -1022 };

function ulps(got: number, want: number, dtype: DType): number {
  const exponent = want === 0 ? MIN_EXPONENT[dtype] : Math.max(Math.floor(Math.log2(Math.abs(want))), MIN_EXPONENT[dtype]);
  return Math.abs(got - want) / 2 ** (exponent - MANTISSA[dtype]);
}

function mismatch(got: Scalar, want: EncodedScalar, dtype: DType, tolerance: number | null, zeroSign = true): string | null {
  const w = decodeScalar(want, dtype);
  if (dtype === 'bool') return got === w ? null : `${got} != ${w}`;
  if (!dtype.startsWith('float')) return BigInt(got as number | bigint) === BigInt(w as number | bigint) ? null : `${got} != ${w}`;
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

const flat = (value: NestedArray): Scalar[] => (Array.isArray(value) ? (value as NestedArray[]).flatMap(flat) : [value as Scalar]);

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

/** np.op(...) or, alternately, the method form. */
function call(np: Context, op: string, args: (NDArray | Scalar)[], options: object | undefined, methodForm: boolean): NDArray {
  const name = METHOD[op];
  if (!name) throw new Error(`no ndgpu name for ${op}`);
  const first = args[0];
  if (methodForm && typeof first === 'object') {
    const method = (first as unknown as Record<string, (...a: unknown[]) => NDArray>)[name];
    return method.call(first, ...args.slice(1), options);
  }
  const fn = (np as unknown as Record<string, (...a: unknown[]) => NDArray>)[name];
  return fn.call(np, ...args, options);
}

function arrayOf(np: Context, values: EncodedScalar[], dtype: DType, shape?: number[]): NDArray {
  const decoded = values.map((v) => decodeScalar(v, dtype));
  const a = np.array(decoded as NestedArray, { dtype });
  if (!shape) return a;
  const shaped = a.reshape(shape);
  a.dispose();
  return shaped;
}

function applyOps(np: Context, array: NDArray, ops: readonly ViewOp[]): NDArray {
  let a = array;
  for (const op of ops) {
    if (op[0] === 'get') a = a.get(op[1]);
    else if (op[0] === 'T') a = a.T;
    else a = np.broadcastTo(a, op[1]);
  }
  return a;
}

function viewOf(a: NDArray, view: string): NDArray {
  if (view === 'T') return a.T;
  return view === '' ? a.view() : a.get(view);
}

/**
 * WebGPU compiles a pipeline per operation and dtypes (tens of ms each on lavapipe): by default it
 * replays every operation on the dtypes below and on the mixed pairs, and everything that compiles
 * nothing (errors, 64-bit refusals). NDGPU_TEST_FULL_UFUNCS=1 replays every case.
 */
const FULL = process.env.NDGPU_TEST_FULL_UFUNCS === '1';
/** One dtype per compute class (bool, i32, u32, f32), and float16's rounding; the conversions between
 * dtypes and classes are shared by every operation (test/ufuncs.test.ts covers them). */
const GPU_DTYPES = new Set<DType | null>(['bool', 'int16', 'uint8', 'float32']);
const GPU_PAIRS = new Set(['int8,uint8', 'uint8,float16']);

function replayedOn(backend: BackendName, c: TableCase): boolean {
  if (backend !== 'webgpu' || FULL || c.error || c.gpu64) return true;
  const arrays = c.in.filter((d): d is DType => d !== null);
  if (arrays.length > 1 && arrays[0] !== arrays[1]) return GPU_PAIRS.has(`${arrays[0]},${arrays[1]}`);
  // Float functions compute the same f32 code from every input (conversions are test/ufuncs.test.ts's):
  // float32, and the integer conversion once for a unary and a binary function.
  if (c.approx) return arrays[0] === 'float32' || (arrays[0] === 'int16' && (c.op === 'log1p' || c.op === 'arctan2'));
  return GPU_DTYPES.has(arrays[0]);
}

/** On WebGPU, the view cases but `round` over every dtype and number of decimals (a few of them run). */
function viewReplayedOn(backend: BackendName, c: ViewCase): boolean {
  const every = /^round\((\w+), (-?\d+)\)$/.exec(c.title);
  if (backend !== 'webgpu' || FULL || !every || c.gpu64) return true;
  return ['int16', 'uint8', 'float32'].includes(every[1]) && ['1', '-1'].includes(every[2]);
}

/** On WebGPU, var/std/ptp/countNonzero over one dtype per class (and 64-bit refusals). */
const GPU_REDUCTION_DTYPES = new Set<DType>(['bool', 'int16', 'uint8', 'int32', 'float16', 'float32', 'float64', 'int64', 'uint64']);

async function replayTable(np: Context, backend: BackendName, cases: readonly TableCase[]): Promise<string[]> {
  const failures: string[] = [];
  const reads: Promise<void>[] = [];
  const made: NDArray[] = [];
  cases.forEach((c, index) => {
    const label = `${c.op}(${c.in.map((d, k) => d ?? JSON.stringify((c.args[k] as { scalar: EncodedScalar }).scalar)).join(', ')})`;
    const fail = (why: string) => failures.push(`${label}: ${why}`);
    const operands = c.args.map((arg, k): NDArray | Scalar => {
      if (!Array.isArray(arg)) return decodeScalar(arg.scalar);
      const array = arrayOf(np, arg, c.in[k] as DType);
      made.push(array);
      return array;
    });
    const run = () => call(np, c.op, operands, undefined, index % 2 === 1);
    if (c.gpu64 && backend === 'webgpu') {
      try {
        run();
        fail('did not refuse a 64-bit computation');
      } catch (e) {
        if (!(e instanceof TypeError && GPU64.test(e.message))) fail(`threw ${(e as Error).message}`);
      }
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
    const tolerance = c.approx ? TOLERANCE_ULP[backend][c.dtype as string] : null;
    reads.push(
      result.toArray().then((nested) => {
        const got = flat(nested);
        if (got.length !== want.length) fail(`${got.length} values, want ${want.length}`);
        const bad = got
          .map((g, i) => [i, mismatch(g, want[i], c.dtype as DType, tolerance, !ZERO_SIGN_FREE.has(c.op))] as const)
          .filter(([, m]) => m);
        if (bad.length > 0)
          fail(
            bad
              .slice(0, 3)
              .map(([i, m]) => `[${i}] ${m} (inputs ${c.args.map((a) => (Array.isArray(a) ? a[i] : a.scalar)).join(', ')})`)
              .join('; '),
          );
      }),
    );
  });
  await Promise.all(reads);
  for (const a of made) a.dispose();
  return failures;
}

async function replayView(np: Context, backend: BackendName, c: ViewCase): Promise<string[]> {
  const failures: string[] = [];
  const fail = (why: string) => failures.push(`${c.title}: ${why}`);
  return np.tidy(() => {
    const arrays: Record<string, NDArray> = {};
    for (const [name, spec] of Object.entries(c.arrays)) arrays[name] = arrayOf(np, spec.values, spec.dtype, spec.shape);
    const operand = (spec: OperandSpec): NDArray | Scalar =>
      'scalar' in spec ? decodeScalar(spec.scalar) : applyOps(np, arrays[spec.ref], spec.ops);
    const args = c.args.map(operand);
    const out = c.out ? (operand(c.out) as NDArray) : undefined;
    const run = () => {
      if (c.op === 'round') return np.round(args[0] as NDArray, c.kwargs.decimals ?? 0, out ? { out } : {});
      return call(np, c.op, args, out ? { out } : undefined, false);
    };
    if (c.error) {
      const why = expectError(run, c.error);
      if (why) fail(why);
      return Promise.resolve(failures);
    }
    if (c.gpu64 && backend === 'webgpu') {
      try {
        run();
        fail('did not refuse a 64-bit computation');
      } catch (e) {
        if (!(e instanceof TypeError && GPU64.test(e.message))) fail(`threw ${(e as Error).message}`);
      }
      return Promise.resolve(failures);
    }
    const result = run();
    const want = c.expect!;
    if (out && result !== out) fail('the result is not the `out` array');
    if (result.dtype !== want.dtype) fail(`dtype ${result.dtype}, want ${want.dtype}`);
    if (JSON.stringify(result.shape) !== JSON.stringify(want.shape))
      fail(`shape ${JSON.stringify(result.shape)}, want ${JSON.stringify(want.shape)}`);
    if (!out && result.base !== null) fail('the result is not a new array');
    const tolerance = c.approx ? TOLERANCE_ULP[backend][want.dtype] : null;
    const compare = (label: string, got: Scalar[], values: EncodedScalar[], dtype: DType) => {
      const bad = got.map((g, i) => [i, mismatch(g, values[i], dtype, tolerance, !ZERO_SIGN_FREE.has(c.op))] as const).filter(([, m]) => m);
      if (got.length !== values.length) fail(`${label}: ${got.length} values, want ${values.length}`);
      else if (bad.length > 0)
        fail(
          `${label}: ${bad
            .slice(0, 3)
            .map(([i, m]) => `[${i}] ${m}`)
            .join('; ')}`,
        );
    };
    const reads = [result.toArray().then((nested) => compare('result', flat(nested), want.values, want.dtype))];
    for (const [name, values] of Object.entries(c.after ?? {}))
      reads.push(arrays[name].toArray().then((nested) => compare(`${name} afterwards`, flat(nested), values, arrays[name].dtype)));
    return Promise.all(reads).then(() => failures);
  });
}

/** Element i (C order) of a "large" or "means" array: (i * mul + add) % mod + low, by additions. */
function formulaValues(n: number, [mul, add, mod, low]: [number, number, number, number], dtype: DType): ArrayLike<number> {
  const out =
    dtype === 'int32'
      ? new Int32Array(n)
      : dtype === 'uint32'
        ? new Uint32Array(n)
        : dtype === 'int16'
          ? new Int16Array(n)
          : dtype === 'int8'
            ? new Int8Array(n)
            : new Uint8Array(n);
  const step = mul % mod;
  let v = add % mod;
  for (let i = 0; i < n; i++) {
    out[i] = dtype === 'bool' ? (v === 0 ? 1 : 0) : v + low;
    v += step;
    if (v >= mod) v -= mod;
  }
  return out;
}

/** FNV-1a (32-bit) over bytes, as the fixture script computes it. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}

/** The layouts the 'gpu'-tuned WebGPU variant checks (see the large test). */
const REDUCED_LAYOUTS = new Set([
  'uint8 image.reshape(256,256,256)[::-1, :, ::2] axis=[1,2]',
  'int32 rows[] axis=1',
  'uint8 full image[] axis=[0,1]',
  'float32 tie after float64[] axis=null',
]);

const bytesOf = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

// ------------------------------------------------------------------------------------------------

const byOp = new Map<string, TableCase[]>();
for (const c of data.ufuncs) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

forEachBackend((backend, get) => {
  describe(`ufuncs against NumPy ${data.numpy}`, () => {
    it(`every new ufunc over its dtypes (${data.ufuncs.length} cases)`, async () => {
      const failures: string[] = [];
      for (const [, all] of byOp)
        failures.push(
          ...(await replayTable(
            get(),
            backend,
            all.filter((c) => replayedOn(backend, c)),
          )),
        );
      expect(failures.slice(0, 12), `${failures.length} failing cases on ${backend}`).toEqual([]);
    });

    it(`weak scalars (${data.scalars.length} cases)`, async () => {
      const failures = await replayTable(get(), backend, data.scalars);
      expect(failures).toEqual([]);
    });

    it(`views, out, round(decimals) and errors (${data.views.length} cases)`, async () => {
      const failures: string[] = [];
      for (const c of data.views.filter((v) => viewReplayedOn(backend, v))) failures.push(...(await replayView(get(), backend, c)));
      expect(failures).toEqual([]);
    });
  });

  it('var, std, ptp and countNonzero refuse an out they would not write (from untyped code)', async () => {
    const np = get();
    const a = np.arange(6, { dtype: 'float32' }).reshape(2, 3);
    const out = np.full([3], 7, { dtype: 'float32' });
    const untyped = { out } as unknown as { keepdims?: boolean };
    expect(() => a.var(0, untyped)).toThrow(TypeError);
    expect(() => np.std(a, 0, untyped)).toThrow(/std\(\) takes no 'out'/);
    expect(() => a.ptp(0, untyped)).toThrow(TypeError);
    expect(() => np.countNonzero(a, { axis: 0, ...untyped })).toThrow(TypeError);
    expect(await out.toArray()).toEqual([7, 7, 7]); // nothing written
    a.dispose();
    out.dispose();
  });

  it(`var, std, ptp, countNonzero like NumPy (${data.reductions.length} cases)`, async () => {
    const np = get();
    const failures: string[] = [];
    const checks: Promise<void>[] = [];
    for (const c of data.reductions) {
      if (backend === 'webgpu' && !FULL && !GPU_REDUCTION_DTYPES.has(c.dtype)) continue;
      const label = `${c.op}(${c.dtype} ${JSON.stringify(c.shape)}[${c.view}], axis=${JSON.stringify(c.axis)}, keepdims=${c.keepdims}, ddof=${c.ddof})`;
      const source = arrayOf(np, c.data, c.dtype, c.shape);
      const view = viewOf(source, c.view);
      const run = (): NDArray => {
        const axis = c.axis as number | number[] | null;
        if (c.op === 'count_nonzero') return np.countNonzero(view, { axis, keepdims: c.keepdims });
        if (c.op === 'ptp') return view.ptp(axis, { keepdims: c.keepdims });
        return view[c.op](axis, { ddof: c.ddof, keepdims: c.keepdims });
      };
      if (c.gpu64 && backend === 'webgpu') {
        try {
          run();
          failures.push(`${label}: did not refuse 64-bit work`);
        } catch (e) {
          if (!(e instanceof TypeError)) failures.push(`${label}: ${(e as Error).message}`);
        }
        continue;
      }
      if (c.error) {
        const why = expectError(run, c.error);
        if (why) failures.push(`${label}: ${why}`);
        continue;
      }
      const result = run();
      if (result.dtype !== c.resultDtype) failures.push(`${label}: dtype ${result.dtype}, want ${c.resultDtype}`);
      if (JSON.stringify(result.shape) !== JSON.stringify(c.resultShape)) failures.push(`${label}: shape ${JSON.stringify(result.shape)}`);
      const float = (c.resultDtype as string).startsWith('float');
      // var/std: the CPU follows NumPy's order where the deviations are laid out as NumPy's; the GPU's
      // tree sums (and other layouts) agree to rounding.
      const exact = !float || (backend === 'cpu' && c.exact);
      const relative = c.resultDtype === 'float16' ? 4e-3 : 2e-6;
      checks.push(
        result.toArray().then((nested) => {
          const got = flat(nested);
          got.forEach((g, i) => {
            const want = decodeScalar((c.expected as EncodedScalar[])[i], c.resultDtype);
            if (exact) {
              const why = mismatch(g, (c.expected as EncodedScalar[])[i], c.resultDtype as DType, null);
              if (why) failures.push(`${label}[${i}]: ${why}`);
            } else if (!(Number.isNaN(want as number) && Number.isNaN(g as number))) {
              const w = Number(want);
              if (!(Number(g) === w || Math.abs(Number(g) - w) <= relative * Math.max(1, Math.abs(w))))
                failures.push(`${label}[${i}]: ${g}, want ${w}`);
            }
          });
          source.dispose();
          view.dispose();
          result.dispose();
        }),
      );
    }
    await Promise.all(checks);
    expect(failures.slice(0, 10), `${failures.length} failures on ${backend}`).toEqual([]);
  });

  it(`integer means are NumPy's float64 mean rounded to float32 (${data.means.length} cases)`, async () => {
    const np = get();
    const failures: string[] = [];
    let float32Differs = 0;
    await Promise.all(
      data.means.map((c) => {
        const n = c.shape.reduce((p, k) => p * k, 1);
        const values = formulaValues(n, c.formula, c.dtype);
        const a =
          c.dtype === 'bool'
            ? np.array(Array.from(values, Boolean), { shape: c.shape })
            : np.array(values as Int32Array, { dtype: c.dtype, shape: c.shape });
        const mean = a.mean(c.axis as number);
        if (c.float32Differs) float32Differs++;
        return mean.data().then((got) => {
          const want = Float32Array.from(c.expected.map((v) => Number(decodeScalar(v))));
          const label = `mean(${c.dtype} ${JSON.stringify(c.shape)}, axis=${JSON.stringify(c.axis)})`;
          if (mean.dtype !== 'float32') failures.push(`${label}: dtype ${mean.dtype}`);
          if (fnv1a(bytesOf(got)) !== fnv1a(bytesOf(want)))
            failures.push(`${label}: ${Array.from(got as Float32Array).slice(0, 4)}, want ${Array.from(want).slice(0, 4)}`);
          a.dispose();
          mean.dispose();
        });
      }),
    );
    expect(failures).toEqual([]);
    expect(float32Differs, 'cases where a float32 sum would differ').toBeGreaterThan(3);
  });

  it(`linspace, eye, identity, *Like, meshgrid, indices (${data.creation.length} cases)`, async () => {
    const np = get();
    const failures: string[] = [];
    for (const c of data.creation) {
      const label = `${c.call}(${JSON.stringify(c.args)}, ${JSON.stringify(c.kwargs)})`;
      const kwargs = { ...c.kwargs } as Record<string, unknown>;
      const base = np.arange(6, { dtype: 'float32' }).reshape(2, 3);
      const run = (): NDArray[] => {
        switch (c.call) {
          case 'linspace':
            return [np.linspace(c.args[0] as number, c.args[1] as number, (c.args[2] as number | undefined) ?? 50, kwargs)];
          case 'eye':
            return [np.eye(...(c.args as [number]), kwargs)];
          case 'identity':
            return [np.identity(c.args[0] as number, kwargs)];
          case 'indices':
            return [np.indices(c.args[0] as number[], kwargs)];
          case 'meshgrid': {
            const inputs = (c.args as { arange: number; times: number }[]).map((s) =>
              np.arange(s.arange, { dtype: 'int32' }).multiply(s.times),
            );
            return np.meshgrid(...inputs, kwargs as { indexing: 'xy' });
          }
          default: {
            const source = viewOf(base, c.source?.view ?? '');
            const name = { zeros_like: 'zerosLike', ones_like: 'onesLike', full_like: 'fullLike', empty_like: 'emptyLike' }[
              c.call
            ] as 'zerosLike';
            const fn = np[name] as unknown as (...args: unknown[]) => NDArray;
            return [fn.call(np, source, ...c.args, kwargs)];
          }
        }
      };
      if (c.error) {
        const why = expectError(run, c.error);
        if (why) failures.push(`${label}: ${why}`);
        continue;
      }
      const results = run();
      if (results.length !== c.results!.length) failures.push(`${label}: ${results.length} arrays`);
      for (const [k, want] of c.results!.entries()) {
        const got = results[k];
        if (got.dtype !== want.dtype) failures.push(`${label}: dtype ${got.dtype}, want ${want.dtype}`);
        if (JSON.stringify(got.shape) !== JSON.stringify(want.shape))
          failures.push(`${label}: shape ${JSON.stringify(got.shape)}, want ${JSON.stringify(want.shape)}`);
        if (want.strides && got.size > 0 && JSON.stringify(got.strides) !== JSON.stringify(want.strides))
          failures.push(`${label}: strides ${JSON.stringify(got.strides)}, want ${JSON.stringify(want.strides)}`);
        if (got.base !== null || !got.flags.owndata) failures.push(`${label}: not a new array`);
        if (want.values) {
          const values = flat(await got.toArray());
          const bad = values.map((g, i) => mismatch(g, want.values![i], want.dtype, null)).filter((m) => m);
          if (values.length !== want.values.length || bad.length > 0)
            failures.push(`${label}: ${bad.slice(0, 3).join('; ')} (${values.length} values)`);
        }
        got.dispose();
      }
      base.dispose();
    }
    expect(failures).toEqual([]);
  });

  it(`isclose, allclose, arrayEqual (${data.closeness.length} cases)`, async () => {
    const np = get();
    const failures: string[] = [];
    for (const c of data.closeness) {
      // WebGPU: each pair of dtypes compiles a dozen kernels; one float, one mixed, one bool pair and scalars.
      const pair = `${c.a.dtype ?? 'scalar'},${c.b.dtype ?? 'scalar'}`;
      if (
        backend === 'webgpu' &&
        !FULL &&
        !['float32,float32', 'int8,float32', 'bool,bool', 'float32,scalar', 'int32,scalar'].includes(pair)
      )
        continue;
      const label = `${c.op}(${JSON.stringify(c.a)}, ${JSON.stringify(c.b)}, ${JSON.stringify(c.kwargs)})`;
      const side = (s: ClosenessSide): NDArray | Scalar =>
        s.scalar !== undefined ? decodeScalar(s.scalar) : arrayOf(np, s.values!, s.dtype!, s.shape);
      const a = side(c.a);
      const b = side(c.b);
      if (c.op === 'isclose') {
        const result = np.isclose(a, b, c.kwargs);
        const got = flat(await result.toArray());
        const want = c.expected as EncodedScalar[];
        if (result.dtype !== 'bool' || JSON.stringify(got) !== JSON.stringify(want))
          failures.push(`${label}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
        result.dispose();
      } else {
        const got = c.op === 'allclose' ? await np.allclose(a, b, c.kwargs) : await np.arrayEqual(a, b);
        if (got !== c.expected) failures.push(`${label}: ${got}, want ${c.expected}`);
      }
      for (const x of [a, b]) if (typeof x === 'object') x.dispose();
    }
    expect(failures).toEqual([]);
  });

  it(`integer sums and means of 2^24-element arrays are NumPy's, bytes and all (${data.large.length} layouts)`, async () => {
    const np = get();
    // Each layout reduces up to 64 MiB, a few hundred ms on lavapipe: the kernels tuned for hardware GPUs
    // (interleaved lanes; np.tuning 'gpu') run the layouts below, the default tuning and the CPU all.
    const reduced = np.tuning === 'gpu' && !FULL;
    const failures: string[] = [];
    const sources = new Map<string, NDArray>();
    let float32Differs = 0;
    let past2to32 = 0;
    for (const c of data.large) {
      const n = c.shape.reduce((p, k) => p * k, 1);
      let source = sources.get(c.name);
      if (!source) {
        for (const s of sources.values()) s.dispose(); // one large array at a time
        sources.clear();
        if (c.constant !== undefined) {
          source = np.full(c.shape, c.constant, { dtype: c.dtype });
          source.set(String(c.bump![0]), c.bump![1]);
        } else {
          source = np.array(formulaValues(n, c.formula!, c.dtype) as Uint8Array, { dtype: c.dtype, shape: c.shape });
        }
        sources.set(c.name, source);
      }
      const label = `${c.name}${c.reshape ? `.reshape(${c.reshape})` : ''}[${c.view}] axis=${JSON.stringify(c.axis)}`;
      if (reduced && !REDUCED_LAYOUTS.has(label)) continue;
      const shaped = c.reshape ? source.reshape(c.reshape) : source;
      const view = viewOf(shaped, c.view);
      if (shaped !== source) shaped.dispose();
      const sum = view.sum(c.axis as number);
      const mean = view.mean(c.axis as number);
      view.dispose();
      const [sums, means] = await Promise.all([sum.data(), mean.data()]);
      if (sum.dtype !== c.sumDtype || mean.dtype !== 'float32') failures.push(`${label}: dtypes ${sum.dtype}, ${mean.dtype}`);
      if (sum.size !== c.outputs) failures.push(`${label}: ${sum.size} outputs, want ${c.outputs}`);
      const head = (values: ArrayLike<number>) => Array.from(values).slice(0, c.sum.length);
      if (fnv1a(bytesOf(sums)) !== c.sumHash)
        failures.push(`${label}: sums ${head(sums as Uint32Array)}..., want ${c.sum.map((v) => decodeScalar(v))}...`);
      if (fnv1a(bytesOf(means)) !== c.meanHash)
        failures.push(`${label}: means ${head(means as Float32Array)}..., want ${c.mean.map((v) => decodeScalar(v))}...`);
      if (c.onceRounded !== undefined && (means as Float32Array)[0] === decodeScalar(c.onceRounded))
        failures.push(`${label}: rounded once`);
      if (c.float32MeanDiffers) float32Differs++;
      if (c.sumPasses2to32) past2to32++;
      sum.dispose();
      mean.dispose();
    }
    for (const s of sources.values()) s.dispose();
    expect(failures).toEqual([]);
    expect(float32Differs, 'layouts where a float32 mean would differ').toBeGreaterThanOrEqual(reduced ? 2 : 3);
    expect(past2to32, 'layouts whose sums pass 2^32').toBeGreaterThanOrEqual(2);
  }, 120_000);
});
