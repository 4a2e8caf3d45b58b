/**
 * Elementwise operations on the CPU: each element's inputs are read as JS values, converted to the loop
 * dtype by NumPy's cast rules, computed by the operation's JavaScript form, and the result cast to the
 * result dtype and then the output's — the same chain of conversions the GPU kernels perform.
 */

import { walkRows, walksTransposed } from './walk.js';
import { divideWords64 } from './division64.js';
import { castValue } from '../../ndarray/core/casting.js';
import { dtypeInfo } from '../../ndarray/core/dtype.js';
import type { ElementwisePlan } from '../../ndarray/core/elementwise-plan.js';
import { readItem, writeItem, type Scalar } from '../../ndarray/core/scalars.js';
import type { ChunkKernel, JsKernel } from '../../ndarray/core/kernel-forms.js';
import {
  isNumberDType,
  numberView,
  runConverter,
  runReader,
  runRounder,
  runsFor,
  runWrapper,
  runWriter,
  type NumberArray,
  type RunFn,
} from './number-loops.js';

export function elementwiseItems(dst: Uint8Array, inputs: readonly (Uint8Array | null)[], plan: ElementwisePlan): void {
  const js = plan.js;
  if (!js)
    throw new TypeError(
      `'${plan.name}' has no CPU implementation (a WGSL expression needs the WebGPU backend; give a JavaScript function too)`,
    );
  // 64-bit integer division without a BigInt per item (see division64.ts).
  if (divideWords64(dst, inputs, plan)) return;
  const dtypes = [plan.out, plan.result, ...plan.inputs.flatMap((i) => (i.kind === 'array' ? [i.dtype, i.loop] : [i.loop]))];
  if (dtypes.every(isNumberDType)) {
    mapNumbers(dst, inputs, plan, js);
    return;
  }
  const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = view(dst);
  const outSize = dtypeInfo(plan.out).itemsize;
  // Operands of the walk: the destination, then the array inputs.
  const arrays = plan.inputs.flatMap((input, k) =>
    input.kind === 'array' ? [{ k, input, data: view(inputs[k] as Uint8Array), size: dtypeInfo(input.dtype).itemsize }] : [],
  );
  const values: Scalar[] = plan.inputs.map((input) => (input.kind === 'scalar' ? input.value : 0));
  const last = plan.shape.length - 1;
  const steps = [plan.dst.strides[last], ...arrays.map((a) => (a.input.kind === 'array' ? a.input.operand.strides[last] : 0))];
  const offsets = [plan.dst.offset, ...arrays.map((a) => (a.input.kind === 'array' ? a.input.operand.offset : 0))];
  const strides = [plan.dst.strides, ...arrays.map((a) => (a.input.kind === 'array' ? a.input.operand.strides : []))];
  walkRows(plan.shape, offsets, strides, (starts, n) => {
    for (let i = 0; i < n; i++) {
      arrays.forEach((a, j) => {
        const raw = readItem(a.data, (starts[j + 1] + i * steps[j + 1]) * a.size, a.input.dtype);
        values[a.k] = castValue(raw, a.input.dtype, a.input.loop);
      });
      const loop = plan.inputs[0].loop;
      const computed = js(...values);
      const result = castValue(computed, typeof computed === 'boolean' ? 'bool' : resultSource(loop, plan.result), plan.result);
      writeItem(out, (starts[0] + i * steps[0]) * outSize, plan.out, castValue(result, plan.result, plan.out));
    }
  });
}

/** The dtype whose cast rules apply to a computed value: integers wrap from integer loops; anything
 * computed from floats rounds (or, into an integer result, truncates). */
function resultSource(loop: ElementwisePlan['result'], result: ElementwisePlan['result']) {
  return dtypeInfo(result).kind === 'f' ? 'float64' : dtypeInfo(loop).kind === 'f' ? 'float64' : loop;
}

/** The TypedArrays that run forms take directly: float32, float64, int32 and uint8/bool (four types, which
 * V8 still handles polymorphically; staged runs are Float64Arrays too). */
const DIRECT_TYPES = new Set<unknown>([Float32Array, Float64Array, Int32Array, Uint8Array]);

/** Elements per stage of `mapNumbers`: its buffers stay in the first-level cache. */
const CHUNK = 1024;
/** Elements per call of a run form on the direct path (scalar inputs are rows of this length). */
const DIRECT_CHUNK = 16384;

/**
 * The same chain of conversions on numbers and TypedArrays, for every dtype but the 64-bit integers:
 * inputs converted to their loop dtype, the operation, the result rounded or wrapped into the result
 * dtype and converted to the output's (TypedArray stores round floats and wrap integers as NumPy does).
 *
 * Each row goes in chunks through three stages the JIT keeps tight, each a small function: every input's
 * run into a Float64Array buffer (a native `set` where the run is contiguous, then each conversion over
 * the whole buffer: see `RunFn`), the operation over the buffers with a fixed number of arguments, and
 * the stores (the result's conversions over the buffer, then again a native `set` where possible).
 */
function mapNumbers(dst: Uint8Array, inputs: readonly (Uint8Array | null)[], plan: ElementwisePlan, js: JsKernel): void {
  const out = numberView(dst, plan.out);
  const outRuns = runsFor(out);
  // Only an output of another dtype needs the result made exact in its own dtype first; then it is
  // converted to the output's dtype and encoded for its TypedArray (float16 bits).
  const sameDType = plan.out === plan.result;
  const toResult = sameDType ? null : dtypeInfo(plan.result).kind === 'f' ? runRounder(plan.result) : runWrapper(plan.result);
  const toOut = sameDType ? null : runConverter(plan.result, plan.out);
  const finish = [toResult, toOut, runWriter(plan.out)].filter((f): f is RunFn => f !== null);
  const arrays = plan.inputs.flatMap((input, k) => {
    if (input.kind !== 'array') return [];
    const items = numberView(inputs[k] as Uint8Array, input.dtype);
    return [
      {
        k,
        operand: input.operand,
        items,
        runs: runsFor(items),
        read: runReader(input.dtype),
        convert: runConverter(input.dtype, input.loop),
      },
    ];
  });
  const last = plan.shape.length - 1;
  const offsets = [plan.dst.offset, ...arrays.map((a) => a.operand.offset)];
  const strides = [plan.dst.strides, ...arrays.map((a) => a.operand.strides)];
  const steps = strides.map((s) => s[last]);
  const chunk = plan.chunk ?? null;
  // Direct: the run form reads the inputs' TypedArrays and writes the output's where nothing needs
  // converting and every run is contiguous (a quarter of the staged path's time). Only where every
  // operand is one of DIRECT_TYPES: a run form (one per operation, shared by every dtype) that V8 has
  // seen with more than four TypedArray types goes megamorphic, and np.add of float32 arrays took 900 ms
  // instead of 43 after additions in other dtypes. The others take the staged path, where run forms see
  // Float64Arrays only (int16 additions 43 -> 74 ms on their own).
  const direct =
    chunk !== null &&
    sameDType &&
    finish.length === 0 &&
    DIRECT_TYPES.has(out.constructor) &&
    steps.every((step) => step === 1) &&
    arrays.every((a) => DIRECT_TYPES.has(a.items.constructor) && a.read === null && a.convert === null);
  // Staged inputs, direct output: a contiguous output of one of DIRECT_TYPES that needs nothing done to
  // the results is written by the run form itself, which spares the results buffer and its copy (a
  // TypedArray `set` from doubles, about as slow as the operation itself).
  const directOut = chunk !== null && sameDType && finish.length === 0 && DIRECT_TYPES.has(out.constructor) && steps[0] === 1;
  const chunkSize = direct ? DIRECT_CHUNK : CHUNK;
  const width = Math.min(plan.shape[last], chunkSize);
  // Float64Arrays, not arrays of Scalars: storing a non-integer in a plain array allocates a heap number.
  const rows = plan.inputs.map((input) => {
    const row = new Float64Array(width);
    if (input.kind === 'scalar') row.fill(Number(input.value));
    return row;
  });
  const results = new Float64Array(width);
  const [r0, r1, r2] = [rows[0], rows[1] ?? rows[0], rows[2] ?? rows[0]];
  const arity = plan.inputs.length;
  const tiled = walksTransposed(plan.shape, strides);
  walkRows(
    plan.shape,
    offsets,
    strides,
    (starts, n) => {
      if (direct) {
        runDirect(chunk as ChunkKernel, out, starts, n, arrays, rows);
        return;
      }
      for (let c = 0; c < n; c += CHUNK) {
        const m = Math.min(CHUNK, n - c);
        for (let j = 0; j < arrays.length; j++) {
          const a = arrays[j];
          const step = steps[j + 1];
          const row = rows[a.k];
          a.runs.loadRun(row, a.items, starts[j + 1] + c * step, step, m, null, null);
          if (a.read) a.read(row, m);
          if (a.convert) a.convert(row, m);
        }
        if (chunk && directOut) {
          const at = starts[0] + c;
          chunk(out.subarray(at, at + m), m, r0, r1, r2);
          continue;
        }
        if (chunk) chunk(results, m, r0, r1, r2);
        else if (arity === 1) apply1(results, m, js, r0);
        else if (arity === 2) apply2(results, m, js, r0, r1);
        else apply3(results, m, js, r0, r1, r2);
        for (let f = 0; f < finish.length; f++) finish[f](results, m);
        outRuns.storeRun(out, starts[0] + c * steps[0], steps[0], m, results, null);
      }
    },
    tiled,
  );
}

/** A contiguous row on the direct path: the run form over subarrays of the operands themselves
 * (scalar inputs are their filled rows). */
function runDirect(
  chunk: ChunkKernel,
  out: NumberArray,
  starts: Int32Array | Float64Array,
  n: number,
  arrays: readonly { k: number; items: NumberArray }[],
  rows: Float64Array[],
): void {
  const views: NumberArray[] = rows.slice();
  for (let c = 0; c < n; c += DIRECT_CHUNK) {
    const m = Math.min(DIRECT_CHUNK, n - c);
    for (let j = 0; j < arrays.length; j++) {
      const at = starts[j + 1] + c;
      views[arrays[j].k] = arrays[j].items.subarray(at, at + m);
    }
    const at = starts[0] + c;
    chunk(out.subarray(at, at + m), m, views[0], views[1] ?? views[0], views[2] ?? views[0]);
  }
}

// A boolean result stored in a Float64Array becomes 1 or 0, as Number() would make it.
function apply1(results: Float64Array, n: number, js: JsKernel, a: Float64Array): void {
  for (let i = 0; i < n; i++) results[i] = js(a[i]) as number;
}

function apply2(results: Float64Array, n: number, js: JsKernel, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < n; i++) results[i] = js(a[i], b[i]) as number;
}

function apply3(results: Float64Array, n: number, js: JsKernel, a: Float64Array, b: Float64Array, c: Float64Array): void {
  for (let i = 0; i < n; i++) results[i] = js(a[i], b[i], c[i]) as number;
}
