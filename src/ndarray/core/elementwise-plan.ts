/**
 * What an elementwise operation must do, ready for a backend: the iteration (merged axes, operands in
 * items of their own dtypes), each input's storage and loop dtypes (or its scalar value, already in the
 * loop dtype), the result and output dtypes, and the computation — a WGSL expression for the GPU and a
 * JavaScript function for the CPU.
 */

import type { DType } from './dtype.js';
import type { PlanOperand } from './plan.js';
import type { Scalar } from './scalars.js';
import type { ChunkKernel, JsKernel, Lanes } from './kernel-forms.js';

export type ElementwiseInput =
  | { readonly kind: 'array'; readonly dtype: DType; readonly loop: DType; readonly operand: PlanOperand }
  | { readonly kind: 'scalar'; readonly loop: DType; readonly value: Scalar };

export interface ElementwisePlan {
  /** The operation's name, for messages. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly count: number;
  readonly dst: PlanOperand;
  readonly inputs: readonly ElementwiseInput[];
  readonly result: DType;
  readonly out: DType;
  /** WGSL expression over x0..x2 (compute-class values); null when there is no GPU form. */
  readonly wgsl: string | null;
  /** WGSL helper functions the expression calls. */
  readonly helpers?: string;
  /** The CPU form; null when there is none (a user's WGSL expression without a JS counterpart). */
  readonly js: JsKernel | null;
  /** The run form of `js` for the CPU's number loops, where the operation has one. */
  readonly chunk?: ChunkKernel | null;
  /** Whether the WGSL comes from the user (np.elementwise), so that it may fail to compile. */
  readonly userCode?: boolean;
  /** The operation as SIMD lanes (the CPU's WebAssembly kernels), where it is one of those. */
  readonly lanes?: Lanes | null;
}
