/**
 * Elementwise operations on the CPU: each element's inputs are read as JS values, converted to the loop
 * dtype by NumPy's cast rules, computed by the operation's JavaScript form, and the result cast to the
 * result dtype and then the output's — the same chain of conversions the GPU kernels perform.
 */

import { walkRows } from './strided-walk.js';
import { castValue } from '../ndarray/casting.js';
import { dtypeInfo } from '../ndarray/dtype.js';
import type { MapPlan } from '../ndarray/map-plan.js';
import { readItem, writeItem, type Scalar } from '../ndarray/scalars.js';

export function mapItems(dst: Uint8Array, inputs: readonly (Uint8Array | null)[], plan: MapPlan): void {
  const js = plan.js;
  if (!js) throw new TypeError(`'${plan.name}' has no CPU implementation (a WGSL expression needs the WebGPU backend; give a JavaScript function too)`);
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
