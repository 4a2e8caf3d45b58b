/**
 * Elementwise operations on the CPU: each element's inputs are read as JS values, converted to the loop
 * dtype by NumPy's cast rules, computed by the operation's JavaScript form, and the result cast to the
 * result dtype and then the output's — the same chain of conversions the GPU kernels perform.
 */

import { walkRows, walksTransposed } from './strided-walk.js';
import { castValue } from '../ndarray/casting.js';
import { dtypeInfo } from '../ndarray/dtype.js';
import type { MapPlan } from '../ndarray/map-plan.js';
import { readItem, writeItem, type Scalar } from '../ndarray/scalars.js';
import type { JsKernel } from '../ndarray/ufunc-defs.js';
import { converter, isNumberDType, numberView, reader, rounder, wrapper, writer } from './cpu-numbers.js';

export function mapItems(dst: Uint8Array, inputs: readonly (Uint8Array | null)[], plan: MapPlan): void {
  const js = plan.js;
  if (!js) throw new TypeError(`'${plan.name}' has no CPU implementation (a WGSL expression needs the WebGPU backend; give a JavaScript function too)`);
  const dtypes = [plan.out, plan.result, ...plan.inputs.flatMap((i) => (i.kind === 'array' ? [i.dtype, i.loop] : [i.loop]))];
  if (dtypes.every(isNumberDType)) {
    mapNumbers(dst, inputs, plan, js);
    return;
  }
  const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = view(dst);
  const outSize = dtypeInfo(plan.out).itemsize;
  // Operands of the walk: the destination, then the array inputs.
  const arrays = plan.inputs.flatMap((input, k) => (input.kind === 'array' ? [{ k, input, data: view(inputs[k] as Uint8Array), size: dtypeInfo(input.dtype).itemsize }] : []));
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
function resultSource(loop: MapPlan['result'], result: MapPlan['result']) {
  return dtypeInfo(result).kind === 'f' ? 'float64' : dtypeInfo(loop).kind === 'f' ? 'float64' : loop;
}

/**
 * The same chain of conversions on numbers and TypedArrays, for every dtype but the 64-bit integers:
 * inputs converted to their loop dtype, the operation, the result rounded or wrapped into the result
 * dtype and converted to the output's (TypedArray stores round floats and wrap integers as NumPy does).
 */
function mapNumbers(dst: Uint8Array, inputs: readonly (Uint8Array | null)[], plan: MapPlan, js: JsKernel): void {
  const out = numberView(dst, plan.out);
  const encode = writer(plan.out);
  const resultInfo = dtypeInfo(plan.result);
  // Only an output of another dtype needs the result made exact in its own dtype first.
  const toResult = plan.out === plan.result ? null : resultInfo.kind === 'f' ? rounder(plan.result) : wrapper(plan.result);
  const toOut = plan.out === plan.result ? null : converter(plan.result, plan.out);
  const arrays = plan.inputs.flatMap((input, k) =>
    input.kind === 'array'
      ? [{ k, operand: input.operand, items: numberView(inputs[k] as Uint8Array, input.dtype), read: reader(input.dtype), convert: converter(input.dtype, input.loop) }]
      : [],
  );
  const last = plan.shape.length - 1;
  const offsets = [plan.dst.offset, ...arrays.map((a) => a.operand.offset)];
  const strides = [plan.dst.strides, ...arrays.map((a) => a.operand.strides)];
  const steps = strides.map((s) => s[last]);
  // Row by row, in stages the JIT keeps tight: each input's row into a buffer (read, convert), then
  // the operation over the buffers with a fixed number of arguments, then the stores.
  const width = plan.shape[last];
  // Float64Arrays, not arrays of Scalars: storing a non-integer in a plain array allocates a heap number.
  const rows = plan.inputs.map((input) => {
    const row = new Float64Array(width);
    if (input.kind === 'scalar') row.fill(Number(input.value));
    return row;
  });
  const [r0, r1, r2] = [rows[0], rows[1] ?? rows[0], rows[2] ?? rows[0]];
  const arity = plan.inputs.length;
  const tiled = walksTransposed(plan.shape, strides);
  walkRows(plan.shape, offsets, strides, (starts, n) => {
    for (let j = 0; j < arrays.length; j++) {
      const { k, items, read, convert } = arrays[j];
      const row = rows[k];
      const step = steps[j + 1];
      for (let i = 0, at = starts[j + 1]; i < n; i++, at += step) {
        const x = read(items[at]);
        row[i] = convert ? convert(x) : x;
      }
    }
    const step = steps[0];
    for (let i = 0, at = starts[0]; i < n; i++, at += step) {
      const computed = arity === 1 ? js(r0[i]) : arity === 2 ? js(r0[i], r1[i]) : js(r0[i], r1[i], r2[i]);
      let r = typeof computed === 'number' ? computed : Number(computed);
      if (toResult) r = toResult(r);
      if (toOut) r = toOut(r);
      out[at] = encode ? encode(r) : r;
    }
  }, tiled);
}
