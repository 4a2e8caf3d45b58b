/**
 * Lane forms of the elementwise kernels (./elementwise-kernels.ts) whose results are exact bit operations,
 * computing what the operations' JavaScript forms compute (ops/):
 * - rounding of floats (floor, ceil, trunc, rint): the IEEE roundings, which keep -0 and ±∞; a NaN comes
 *   out as the input with its quiet bit set, as the JavaScript loops store it (a float32 item passes
 *   through a float64 number there, which quiets it), whatever NaN the engine's instruction would give (a
 *   float64 signalling NaN, which the JavaScript loops return quieted or not by V8's tier, comes out
 *   quiet, as NumPy gives it);
 * - bitwise operations on integers and bools (the bits of the items, as the TypedArray stores keep them)
 *   and logical ones on bools (any nonzero byte is true; the result 1 or 0);
 * - classifications of floats (isnan, isinf, isfinite, signbit): masks of the item width, read from the
 *   bits, for the bool kernels to narrow to bytes.
 */

import type { ClassificationLaneOp } from '../../../ndarray/core/kernel-forms.js';
import { f32, f32x4, f64, f64x2, i32, i32x4, i64, i64x2, i8x16, shuffleLanes, v128, type Expr, type FunctionBuilder } from './emit.js';

type V = Expr<'v128'>;
type S = Expr<'i32' | 'i64' | 'f32' | 'f64'>;

/** A lane form: on 16 bytes of items and on one item (`b` is `a` for unary operations). */
export interface ExactForm {
  vector(a: V, b: V, f: FunctionBuilder): V;
  scalar(a: S, b: S, f: FunctionBuilder): S;
}

/** A classification: a mask of the item width (all ones where it holds) and a 0/1 scalar. */
export interface ClassifyForm {
  vector(a: V, b: V, f: FunctionBuilder): V;
  scalar(a: S, b: S, f: FunctionBuilder): Expr<'i32'>;
}

export type RoundingOp = 'floor' | 'ceil' | 'trunc' | 'rint';
export type BitwiseOp = 'bitwise_and' | 'bitwise_or' | 'bitwise_xor' | 'invert';
export type LogicalOp = 'logical_and' | 'logical_or' | 'logical_xor' | 'logical_not';

const INSTRUCTION = { floor: 'floor', ceil: 'ceil', trunc: 'trunc', rint: 'nearest' } as const;

const local = <T extends 'v128' | 'f32' | 'f64'>(f: FunctionBuilder, type: T, e: Expr<T>) => {
  const l = f.local(type);
  f.set(l, e);
  return l;
};

/** `op` on float32 ('f32') and float64 ('f64') items. */
export function roundingForms(op: RoundingOp): Record<'f32' | 'f64', ExactForm> {
  const name = INSTRUCTION[op];
  return {
    f32: {
      vector: (a, _b, f) => {
        const x = local(f, 'v128', a);
        return v128.bitselect(v128.or(x, i32x4.splat(0x00400000)), f32x4[name](x), f32x4.ne(x, x));
      },
      scalar: (a, _b, f) => {
        const x = local(f, 'f32', a as Expr<'f32'>);
        const quieted = f32.reinterpret_i32(i32.or(i32.reinterpret_f32(x), 0x00400000));
        return f32.select(quieted, f32[name](x), f32.ne(x, x));
      },
    },
    f64: {
      vector: (a, _b, f) => {
        const x = local(f, 'v128', a);
        return v128.bitselect(v128.or(x, i64x2.splat(i64.const(QUIET64))), f64x2[name](x), f64x2.ne(x, x));
      },
      scalar: (a, _b, f) => {
        const x = local(f, 'f64', a as Expr<'f64'>);
        const quieted = f64.reinterpret_i64(i64.or(i64.reinterpret_f64(x), i64.const(QUIET64)));
        return f64.select(quieted, f64[name](x), f64.ne(x, x));
      },
    },
  };
}

/** float64's quiet bit. */
const QUIET64 = 0x0008000000000000n;

/**
 * `op` on items of 1, 2, 4 ('x8' ... 'x32', the same bits whatever the sign) or 8 bytes ('x64'), and on
 * bools ('b8': invert is `x == 0`, as the JavaScript loop computes it; the others combine the bytes as
 * the 'x8' forms do).
 */
export function bitwiseForms(op: BitwiseOp): Record<'x8' | 'x16' | 'x32' | 'x64' | 'b8', ExactForm> {
  const i32s = { bitwise_and: i32.and, bitwise_or: i32.or, bitwise_xor: i32.xor } as const;
  const i64s = { bitwise_and: i64.and, bitwise_or: i64.or, bitwise_xor: i64.xor } as const;
  const vs = { bitwise_and: v128.and, bitwise_or: v128.or, bitwise_xor: v128.xor } as const;
  const narrow: ExactForm =
    op === 'invert'
      ? { vector: (a) => v128.not(a), scalar: (a) => i32.xor(a as Expr<'i32'>, -1) }
      : { vector: (a, b) => vs[op](a, b), scalar: (a, b) => i32s[op](a as Expr<'i32'>, b as Expr<'i32'>) };
  const wide: ExactForm =
    op === 'invert'
      ? { vector: (a) => v128.not(a), scalar: (a) => i64.xor(a as Expr<'i64'>, i64.const(-1n)) }
      : { vector: (a, b) => vs[op](a, b), scalar: (a, b) => i64s[op](a as Expr<'i64'>, b as Expr<'i64'>) };
  const bool: ExactForm =
    op === 'invert'
      ? { vector: (a) => v128.and(i8x16.eq(a, i8x16.splat(0)), i8x16.splat(1)), scalar: (a) => i32.eqz(a as Expr<'i32'>) }
      : narrow;
  return { x8: narrow, x16: narrow, x32: narrow, x64: wide, b8: bool };
}

/** `op` on bools: bytes made 0/1 (min with 1, unsigned) and combined. */
export function logicalForm(op: LogicalOp): ExactForm {
  const truth = (v: V) => i8x16.min_u(v, i8x16.splat(1));
  const ne0 = (s: S) => i32.ne(s as Expr<'i32'>, 0);
  switch (op) {
    case 'logical_and':
      return { vector: (a, b) => v128.and(truth(a), truth(b)), scalar: (a, b) => i32.and(ne0(a), ne0(b)) };
    case 'logical_or':
      return { vector: (a, b) => truth(v128.or(a, b)), scalar: (a, b) => ne0(i32.or(a as Expr<'i32'>, b as Expr<'i32'>)) };
    case 'logical_xor':
      return { vector: (a, b) => v128.xor(truth(a), truth(b)), scalar: (a, b) => i32.xor(ne0(a), ne0(b)) };
    case 'logical_not':
      return { vector: (a) => v128.xor(truth(a), i8x16.splat(1)), scalar: (a) => i32.eqz(a as Expr<'i32'>) };
  }
}

/** `op` on float32 and float64 items. float64 masks need only be right in each item's low word (the bool
 * kernels narrow by it). */
export function classificationForms(op: ClassificationLaneOp): Record<'f32' | 'f64', ClassifyForm> {
  const magnitude32 = (s: S) => i32.and(i32.reinterpret_f32(s as Expr<'f32'>), 0x7fffffff);
  const magnitude64 = (s: S) => i64.and(i64.reinterpret_f64(s as Expr<'f64'>), i64.const(0x7fffffffffffffffn));
  const absolute32 = (v: V) => v128.and(v, i32x4.splat(0x7fffffff));
  const infinity64 = () => f64x2.splat(f64.const(Infinity));
  const EXPONENT32 = 0x7f800000;
  const EXPONENT64 = i64.const(0x7ff0000000000000n);
  switch (op) {
    case 'isnan':
      return {
        f32: { vector: (a, _b, f) => selfUnequal(f32x4.ne, a, f), scalar: (a) => i32.gt_u(magnitude32(a), EXPONENT32) },
        f64: { vector: (a, _b, f) => selfUnequal(f64x2.ne, a, f), scalar: (a) => i64.gt_u(magnitude64(a), EXPONENT64) },
      };
    case 'isinf':
      return {
        f32: { vector: (a) => i32x4.eq(absolute32(a), i32x4.splat(EXPONENT32)), scalar: (a) => i32.eq(magnitude32(a), EXPONENT32) },
        f64: { vector: (a) => f64x2.eq(f64x2.abs(a), infinity64()), scalar: (a) => i64.eq(magnitude64(a), EXPONENT64) },
      };
    case 'isfinite':
      return {
        f32: { vector: (a) => i32x4.lt_s(absolute32(a), i32x4.splat(EXPONENT32)), scalar: (a) => i32.lt_u(magnitude32(a), EXPONENT32) },
        f64: { vector: (a) => f64x2.lt(f64x2.abs(a), infinity64()), scalar: (a) => i64.lt_u(magnitude64(a), EXPONENT64) },
      };
    case 'signbit':
      return {
        f32: { vector: (a) => i32x4.shr_s(a, 31), scalar: (a) => i32.shr_u(i32.reinterpret_f32(a as Expr<'f32'>), 31) },
        f64: {
          // The sign word (the high one) spread over the item: its low word holds the mask.
          vector: (a, _b, f) => {
            const signs = local(f, 'v128', i32x4.shr_s(a, 31));
            return shuffleLanes(4, signs, signs, [1, 1, 3, 3]);
          },
          scalar: (a) => i64.lt_s(i64.reinterpret_f64(a as Expr<'f64'>), i64.const(0n)),
        },
      };
  }
}

const selfUnequal = (ne: (a: V, b: V) => V, a: V, f: FunctionBuilder): V => {
  const x = local(f, 'v128', a);
  return ne(x, x);
};
