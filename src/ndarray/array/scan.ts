/**
 * Cumulative sums and products (`cumsum`, `cumprod`) along one axis, or over the flattened array, as
 * NumPy's: the result dtype is the sum's (bool and narrow integers widen to int32/uint32 under ndgpu's
 * 32-bit rule), or `dtype`. The backends combine in the order core/scan-plan.ts defines.
 */

import { dtypeInfo, isDType, type DType } from '../core/dtype.js';
import { normalizeAxis } from '../core/errors.js';
import { isCContiguous, makeLayout, sizeOf, type Layout } from '../core/layout.js';
import type { ScanOp, ScanPlan } from '../core/scan-plan.js';
import { REDUCTIONS } from '../ops/reductions.js';
import { stagedCopy } from './assign.js';
import { requireComputable } from './capabilities.js';
import type { ArrayMemory } from './memory.js';
import { checkOperandOf, freshOperand, withLayout, type ArrayOperand, type Operand } from './operand.js';

/** Options of `cumsum` and `cumprod`. */
export interface ScanOptions<T extends DType = DType> {
  /** The axis to scan along; omitted or null: the flattened array (C order). */
  axis?: number | null;
  /** The accumulator and result dtype (default: the sum's, see above). */
  dtype?: T;
}

/** `np.cumsum(a, { axis, dtype })` / `np.cumprod`: new memory holding the scan. */
export function applyScan(memory: ArrayMemory, op: ScanOp, a: ArrayOperand, options: ScanOptions = {}): Operand {
  checkOperandOf(memory, a, 'the array belongs to another ndgpu context');
  if (options.dtype !== undefined && !isDType(options.dtype)) throw new TypeError(`data type '${String(options.dtype)}' not understood`);
  const accumulator = options.dtype ?? REDUCTIONS[op].result(a.dtype);
  requireComputable(memory.backend, [accumulator], `${op === 'sum' ? 'cumsum' : 'cumprod'}() would accumulate in`);
  const itemsize = dtypeInfo(a.dtype).itemsize;
  const releases: (() => void)[] = [];
  try {
    let source: Operand = a;
    let axis: number;
    if (options.axis === undefined || options.axis === null || a.layout.shape.length === 0) {
      // The flattened array (a 0-d array is one element, as NumPy scans it along any axis).
      if (options.axis !== undefined && options.axis !== null) normalizeAxis(options.axis, 1);
      const size = sizeOf(a.layout.shape);
      if (!isCContiguous(a.layout, itemsize) && size > 1) {
        const staged = stagedCopy(a);
        releases.push(staged.release);
        source = staged.operand;
      }
      source = withLayout(source, makeLayout([size], [itemsize], source.layout.offset));
      axis = 0;
    } else {
      axis = normalizeAxis(options.axis, a.layout.shape.length);
    }
    const out = freshOperand(memory, source.layout.shape, accumulator);
    try {
      if (sizeOf(source.layout.shape) > 0) memory.backend.scan(out.storage.buffer, source.storage.buffer, planScan(op, source, out, axis));
    } catch (error) {
      out.storage.free();
      throw error;
    }
    return out;
  } finally {
    for (const release of releases) release();
  }
}

function planScan(op: ScanOp, src: Operand, dst: Operand, axis: number): ScanPlan {
  const units = (layout: Layout, itemsize: number) => layout.strides.map((s) => s / itemsize);
  const srcSize = dtypeInfo(src.dtype).itemsize;
  const dstSize = dtypeInfo(dst.dtype).itemsize;
  const srcStrides = units(src.layout, srcSize);
  const dstStrides = units(dst.layout, dstSize);
  const kept = (values: readonly number[]) => values.filter((_, k) => k !== axis);
  return {
    op,
    input: src.dtype,
    accumulator: dst.dtype,
    rows: { shape: kept(src.layout.shape), src: kept(srcStrides), dst: kept(dstStrides) },
    length: src.layout.shape[axis],
    src: { offset: src.layout.offset / srcSize, stride: srcStrides[axis] },
    dst: { offset: dst.layout.offset / dstSize, stride: dstStrides[axis] },
  };
}
