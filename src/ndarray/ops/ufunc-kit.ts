/**
 * What every ufunc definition is made of (ufuncs.ts and the families beside it): the definition's shape,
 * NumPy 2's dtype resolutions with ndgpu's 32-bit narrowing (promotion.ts), and the helpers that build
 * WGSL expressions per compute class and JavaScript forms per loop dtype.
 */

import { dtypeInfo, type DType } from '../core/dtype.js';
import { narrowTo32, resultTypeOf } from '../core/promotion.js';
import type { Scalar } from '../core/scalars.js';
import type { ChunkKernel, ComputeClass, JsKernel, Lanes } from '../core/kernel-forms.js';

export interface Resolution {
  /** The dtype each input is converted to before computing. */
  readonly inputs: readonly DType[];
  /** The result's dtype. */
  readonly result: DType;
}

export interface UfuncDef {
  /** NumPy's name, used in messages. */
  readonly name: string;
  readonly arity: 1 | 2 | 3;
  resolve(operands: readonly (DType | Scalar)[]): Resolution;
  /** A WGSL expression in `x0`, `x1`, `x2` (of the inputs' compute classes) giving the result class. */
  wgsl(inputs: readonly ComputeClass[], result: ComputeClass): string;
  js(inputs: readonly DType[], result: DType): JsKernel;
  /** The run form for these loop dtypes, where there is one (number loops of common operations). */
  chunk?(inputs: readonly DType[]): ChunkKernel | null;
  /** The operation as SIMD lanes, where it is one a backend may run that way (see `Lanes`). */
  readonly lanes?: Lanes;
  /** Checks the scalar operands (null for arrays), converted to their loop dtypes, before any work. */
  checkScalars?(scalars: readonly (Scalar | null)[], inputs: readonly DType[]): void;
  /** Scalar operand `operand` as this operation takes it before it is coerced to its `loop` dtype, where
   * NumPy does not raise for a Python int the dtype cannot hold (see python-ints.ts). */
  scalarAs?(value: Scalar, operand: number, loop: DType): Scalar;
}

// ------------------------------------------------------------------------------------------------
// Dtype resolution

export const promoted = (operands: readonly (DType | Scalar)[]) => resultTypeOf(operands);

/** Arithmetic: loop and result are the promoted dtype; bool inputs become `boolAs` (or stay bool). */
export function arithmetic(name: string, boolAs: DType | 'bool' | 'error', error?: string) {
  return (operands: readonly (DType | Scalar)[]): Resolution => {
    let dtype = promoted(operands);
    if (dtype === 'bool') {
      if (boolAs === 'error') throw new TypeError(error ?? `numpy boolean ${name} is not supported`);
      dtype = boolAs;
    }
    return { inputs: operands.map(() => dtype), result: dtype };
  };
}

/** The float dtype a unary float function gives for an input dtype (bool/int8/uint8 → float16...). */
export function floatFor(dtype: DType): DType {
  const { kind, itemsize } = dtypeInfo(dtype);
  if (kind === 'f') return dtype;
  if (itemsize === 8) return 'float64';
  if (kind === 'b' || itemsize === 1) return 'float16';
  if (itemsize === 2) return 'float32';
  return narrowTo32('float64', [dtype]);
}

export function floatResult(operands: readonly (DType | Scalar)[]): Resolution {
  const dtype = promoted(operands);
  const result = dtypeInfo(dtype).kind === 'f' ? dtype : narrowTo32('float64', operands);
  return { inputs: operands.map(() => result), result };
}

export function unaryFloat(operands: readonly (DType | Scalar)[]): Resolution {
  const result = floatFor(promoted(operands));
  return { inputs: [result], result };
}

export function logical(operands: readonly (DType | Scalar)[]): Resolution {
  return { inputs: operands.map(() => 'bool' as DType), result: 'bool' };
}

/** Binary arithmetic: one WGSL template per class. */
export function byClass(table: Partial<Record<ComputeClass, (a: string, b: string) => string>>, name: string) {
  return (inputs: readonly ComputeClass[]): string => {
    const f = table[inputs[0]];
    if (!f) throw new TypeError(`ufunc '${name}' has no loop for ${inputs[0]} on the GPU`);
    return f('x0', 'x1');
  };
}

// ------------------------------------------------------------------------------------------------
// JavaScript forms

export const isBig = (d: DType) => dtypeInfo(d).itemsize === 8 && dtypeInfo(d).kind !== 'f';
export const num = (x: Scalar) => (typeof x === 'boolean' ? Number(x) : Number(x));
export const big = (x: Scalar) => (typeof x === 'bigint' ? x : BigInt(typeof x === 'boolean' ? Number(x) : Math.trunc(x)));

export const maxNaN = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));
export const minNaN = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));

/** A JS kernel choosing its arithmetic by the loop dtype: floats, 32-bit-or-narrower ints, or bigints. */
export function jsArith(
  f: (a: number, b: number) => number,
  i: (a: number, b: number) => number,
  b: (a: bigint, b: bigint) => bigint,
  bool?: (a: boolean, b: boolean) => boolean,
) {
  return (inputs: readonly DType[]): JsKernel => {
    const dtype = inputs[0];
    const kind = dtypeInfo(dtype).kind;
    if (kind === 'b' && bool) return (x, y) => bool(Boolean(x), Boolean(y));
    if (kind === 'f') return (x, y) => f(num(x), num(y));
    if (isBig(dtype)) return (x, y) => b(big(x), big(y));
    return (x, y) => i(num(x), num(y));
  };
}

/**
 * Run forms of an operation whose per-element JS form is one expression on numbers: `float` for float
 * loops, `int` (default: the same) for 8- to 32-bit integer loops, none for bools and 64-bit integers.
 */
export function chunks(float: ChunkKernel, int: ChunkKernel | null = float) {
  return (inputs: readonly DType[]): ChunkKernel | null => {
    const info = dtypeInfo(inputs[0]);
    if (info.kind === 'f') return float;
    return (info.kind === 'i' || info.kind === 'u') && info.itemsize <= 4 ? int : null;
  };
}
