/**
 * Products as data: the dtype a product computes in. NumPy's matmul and dot promote both operands to
 * their common type and multiply-add in it (float16 adding in float32, integers wrapping, bool as OR of
 * ANDs); ndgpu narrows that type to 32 bits where no operand is 64-bit, as for every operation.
 */

import type { DType } from '../core/dtype.js';
import { resultType } from '../core/promotion.js';

/** The loop (and result) dtype of a product of arrays of dtypes `a` and `b`. */
export function productLoop(a: DType, b: DType): DType {
  return resultType(a, b);
}
