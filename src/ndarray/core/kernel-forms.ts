/**
 * The forms an operation's computation takes on the backends, and what the GPU computes in. Operations
 * (ops/) produce these forms; plans carry them; executors (device/, shaders/) run them without knowing
 * which operation they belong to.
 * - WGSL: the GPU computes bool, 8-32-bit integers and float16/float32 in one of four 32-bit compute
 *   classes (WGSL has no 64-bit types);
 * - JavaScript: a function per element (`JsKernel`), and for common number loops a function per run of
 *   elements (`ChunkKernel`), the CPU backend's fast path.
 */

import { dtypeInfo, type DType } from './dtype.js';
import type { Scalar } from './scalars.js';

/** What the GPU computes in for a loop dtype. */
export type ComputeClass = 'bool' | 'i32' | 'u32' | 'f32';

export function computeClass(dtype: DType): ComputeClass | null {
  const { kind, itemsize } = dtypeInfo(dtype);
  if (itemsize === 8) return null;
  if (kind === 'b') return 'bool';
  if (kind === 'f') return 'f32';
  return kind === 'i' ? 'i32' : 'u32';
}

/** The dtype that holds a compute class's values as bits. */
export function classDType(c: ComputeClass): DType {
  return c === 'bool' ? 'bool' : c === 'i32' ? 'int32' : c === 'u32' ? 'uint32' : 'float32';
}

/** A scalar (already in `loop`'s values) as the bits of its compute class, for the GPU's uniforms. */
export function classBits(value: Scalar, loop: DType): number {
  const c = computeClass(loop);
  if (c === 'f32') return new Uint32Array(new Float32Array([Number(value)]).buffer)[0];
  if (c === 'bool') return value ? 1 : 0;
  return Number(BigInt.asUintN(32, BigInt(typeof value === 'boolean' ? Number(value) : value))) >>> 0;
}

/** A JavaScript implementation: inputs are JS values of the input loop dtypes (numbers, booleans,
 * bigints for 64-bit integers); the result is converted to the result dtype by NumPy's cast rules. */
export type JsKernel = (...inputs: Scalar[]) => Scalar;

/** The TypedArrays a run form reads and writes. */
export type NumberArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/**
 * The same operation over a whole run at once: `out[i] = op(a[i], b[i], c[i])` for i < n, on numbers of
 * the loop dtype; the store into `out` rounds or wraps as a cast to its dtype does. The CPU backend's
 * fast path: each is a literal loop, so the JIT inlines its operation, where calling a `JsKernel` per
 * element goes through a call site that sees every operation a program uses. It must give exactly what
 * the `JsKernel` gives (booleans as 1 and 0).
 */
export type ChunkKernel = (out: NumberArray, n: number, a: NumberArray, b: NumberArray, c: NumberArray) => void;

/**
 * Operations the CPU backend may run as WebAssembly SIMD lanes, for the loop dtypes it has lanes for
 * (`where` takes a bool condition and two operands of the loop dtype; the others all of the loop dtype):
 * each names exactly what the operation's JavaScript form computes on numbers of the loop dtype (integers
 * wrapping as their TypedArray stores do, floats rounding once to the loop dtype), so that a backend may
 * run either and get the same results. The integer divisions (floor_divide, remainder, fmod) have no SIMD
 * instruction and run in scalar or float lanes; the JavaScript loops go by their names too, for a 64-bit
 * loop without BigInts (device/cpu/division64.ts). Rounding (floor, ceil, trunc, rint) is of float loops;
 * `square` is `multiply(x, x)`; the bitwise operations take integer and bool loops, the logical ones bool
 * loops (any nonzero byte is true, the result 1 or 0).
 */
export type LaneOp =
  | 'add'
  | 'subtract'
  | 'multiply'
  | 'divide'
  | 'floor_divide'
  | 'remainder'
  | 'fmod'
  | 'maximum'
  | 'minimum'
  | 'negative'
  | 'absolute'
  | 'sqrt'
  | 'square'
  | 'floor'
  | 'ceil'
  | 'trunc'
  | 'rint'
  | 'bitwise_and'
  | 'bitwise_or'
  | 'bitwise_xor'
  | 'invert'
  | 'logical_and'
  | 'logical_or'
  | 'logical_xor'
  | 'logical_not'
  | 'where'
  | ComparisonLaneOp
  | ClassificationLaneOp;

/**
 * An operation as lanes: one `LaneOp`, or a chain of binary ones applied left to right, each to the
 * previous result and the next input (`clip` is `minimum(maximum(x0, x1), x2)`).
 */
export type Lanes = LaneOp | readonly [LaneOp, ...LaneOp[]];

/** Comparisons: both inputs of one loop dtype, a bool result (1 or 0; NaN compares false but for !=). */
export type ComparisonLaneOp = 'equal' | 'not_equal' | 'less' | 'less_equal' | 'greater' | 'greater_equal';

/** Classifications of floats: one input of the loop dtype, a bool result (1 or 0), read from its bits. */
export type ClassificationLaneOp = 'isnan' | 'isinf' | 'isfinite' | 'signbit';
