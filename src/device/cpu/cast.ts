/**
 * Executes a cast plan on the CPU. Number dtypes (all but the 64-bit integers) go row by row through
 * the per-type run loops: items read through their TypedArray, converted by NumPy's rule as a number
 * function, stored through the target's TypedArray; 64-bit integers go element by element through the
 * shared value rule (`castValue`), which is what the number functions are tested against.
 */

import { walkRows, walksTransposed } from './walk.js';
import { castValue } from '../../ndarray/core/casting.js';
import { dtypeInfo } from '../../ndarray/core/dtype.js';
import type { CastPlan } from '../../ndarray/core/plan.js';
import { readItem, writeItem } from '../../ndarray/core/scalars.js';
import { converter, isNumberDType, numberView, reader, runsFor, writer } from './number-loops.js';

/** Elements per stage: the staged row stays in the first-level cache. */
const CHUNK = 1024;

export function castItems(dst: Uint8Array, src: Uint8Array, plan: CastPlan): void {
  if (isNumberDType(plan.from) && isNumberDType(plan.to)) {
    castNumbers(dst, src, plan);
    return;
  }
  const to = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  const from = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const dstSize = dtypeInfo(plan.to).itemsize;
  const srcSize = dtypeInfo(plan.from).itemsize;
  const last = plan.shape.length - 1;
  const dstStep = plan.dst.strides[last];
  const srcStep = plan.src.strides[last];
  walkRows(plan.shape, [plan.dst.offset, plan.src.offset], [plan.dst.strides, plan.src.strides], (starts, n) => {
    for (let i = 0; i < n; i++) {
      const value = readItem(from, (starts[1] + i * srcStep) * srcSize, plan.from);
      writeItem(to, (starts[0] + i * dstStep) * dstSize, plan.to, castValue(value, plan.from, plan.to));
    }
  });
}

/** Number dtypes: each row in chunks, loaded (decoded and converted) into a Float64Array, then stored
 * (encoded); contiguous runs without a conversion are native TypedArray copies on both sides. */
function castNumbers(dst: Uint8Array, src: Uint8Array, plan: CastPlan): void {
  const from = numberView(src, plan.from);
  const to = numberView(dst, plan.to);
  const load = runsFor(from);
  const store = runsFor(to);
  const read = reader(plan.from);
  const convert = converter(plan.from, plan.to);
  const encode = writer(plan.to);
  const last = plan.shape.length - 1;
  const dstStep = plan.dst.strides[last];
  const srcStep = plan.src.strides[last];
  const strides = [plan.dst.strides, plan.src.strides];
  const row = new Float64Array(Math.min(plan.shape[last], CHUNK));
  walkRows(
    plan.shape,
    [plan.dst.offset, plan.src.offset],
    strides,
    (starts, n) => {
      for (let c = 0; c < n; c += CHUNK) {
        const m = Math.min(CHUNK, n - c);
        load.loadRun(row, from, starts[1] + c * srcStep, srcStep, m, read, convert);
        store.storeRun(to, starts[0] + c * dstStep, dstStep, m, row, encode);
      }
    },
    walksTransposed(plan.shape, strides),
  );
}
