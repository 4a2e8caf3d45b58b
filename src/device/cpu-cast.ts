/** Executes a cast plan on the CPU, element by element through the shared value rule. */

import { walkRows } from './strided-walk.js';
import { castValue } from '../ndarray/casting.js';
import { dtypeInfo } from '../ndarray/dtype.js';
import type { CastPlan } from '../ndarray/plan.js';
import { readItem, writeItem } from '../ndarray/scalars.js';

export function castItems(dst: Uint8Array, src: Uint8Array, plan: CastPlan): void {
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
