/**
 * Integer `floor_divide`, `remainder` and `fmod` as lane forms of the elementwise kernels
 * (./elementwise-kernels.ts), computing exactly what the operations' JavaScript forms compute (ops/, NumPy's
 * results): the quotient rounded towards -inf, the remainder with the divisor's sign (fmod: the
 * dividend's), 0 for a zero divisor (all three), and MIN // -1 wrapping to MIN.
 *
 * WebAssembly has no SIMD integer division, and its scalar one traps on a zero divisor and on MIN / -1:
 * - one item at a time, the integer instructions on a divisor made safe (1 in place of 0 and -1), the
 *   results for 0 and -1 chosen afterwards and the truncated quotient floored by its remainder's sign;
 * - vectors through floats: floor(a / b) (fmod: trunc) of the items as float64 (32-bit items) or float32
 *   (8- and 16-bit ones, widened to 32-bit lanes) is the exact quotient, since the quotient of integers
 *   below 2^53 (2^24) in magnitude rounds to a float on the same side of every integer; the remainder is a - q * b,
 *   wrapping as the items do; zero divisors are masked to 0 and -1 divisors take -a (the only quotient
 *   out of the 32-bit range, which the saturating conversion back would clamp).
 * 64-bit items have no vector form: one at a time, as doubles where both are below 2^52 in magnitude
 * (exactly, as above), else the integer instructions.
 */

import { f32x4, f64, f64x2, i16x8, i32, i32x4, i64, i8x16, shuffleLanes, v128, type Expr, type FunctionBuilder } from './emit.js';

export type DivisionOp = 'floor_divide' | 'remainder' | 'fmod';
/** Lane keys of the division forms: signed ('s') or unsigned ('u') items of 8 to 64 bits. */
export type DivisionKey = 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64';

type V = Expr<'v128'>;
type I = Expr<'i32'>;
type L = Expr<'i64'>;

export interface DivisionForm {
  vector?: (a: V, b: V, f: FunctionBuilder) => V;
  scalar: (a: Expr<'i32' | 'i64'>, b: Expr<'i32' | 'i64'>, f: FunctionBuilder) => Expr<'i32' | 'i64'>;
}

const KEYS: readonly DivisionKey[] = ['s8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64'];

/** The forms of `op` for every key. */
export function divisionForms(op: DivisionOp): Record<DivisionKey, DivisionForm> {
  const forms = {} as Record<DivisionKey, DivisionForm>;
  for (const key of KEYS) {
    const signed = key.startsWith('s');
    const bits = Number(key.slice(1));
    forms[key] = {
      scalar: bits === 64 ? scalar64(op, signed) : scalar32(op, signed),
      vector: bits === 64 ? undefined : (a, b, f) => vector(op, signed, bits as 8 | 16 | 32, a, b, f),
    };
  }
  return forms;
}

// ------------------------------------------------------------------------------------------------
// One item at a time (items loaded sign- or zero-extended to i32, or as i64)

function scalar32(op: DivisionOp, signed: boolean): DivisionForm['scalar'] {
  return (a, b, f) => {
    const [x, y, d, q, r] = [f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32'), f.local('i32')];
    f.set(x, a as I);
    f.set(y, b as I);
    if (!signed) {
      f.set(d, i32.select(y, 1, y));
      return i32.select(op === 'floor_divide' ? i32.div_u(x, d) : i32.rem_u(x, d), 0, y);
    }
    // fmod is the truncated remainder: rem_s by 1 for a zero divisor gives its 0 (MIN rem -1 is 0, no trap).
    if (op === 'fmod') {
      f.set(d, i32.select(y, 1, y));
      return i32.rem_s(x, d);
    }
    // Divisors 0 and -1 (y + 1 <= 1 unsigned) divide by 1: no trap, and a zero remainder.
    f.set(d, i32.select(1, y, i32.le_u(i32.add(y, 1), 1)));
    f.set(r, i32.rem_s(x, d));
    // A nonzero remainder whose sign differs from the divisor's: one step towards -inf.
    const floors = i32.and(i32.ne(r, 0), i32.lt_s(i32.xor(r, y), 0));
    if (op === 'remainder') return i32.select(i32.add(r, y), r, floors);
    f.set(q, i32.sub(i32.div_s(x, d), floors));
    return i32.select(i32.sub(0, x), i32.select(q, 0, y), i32.eq(y, -1));
  };
}

/** 2^52: 64-bit items below it in magnitude divide exactly as doubles (see division64.ts). */
const DOUBLE_EXACT = 2n ** 52n;

/**
 * 64-bit items: where both are below 2^52 in magnitude (nearly always), the quotient of their doubles,
 * floored or truncated, is the exact one (see the vectors below), and a float division is faster than a
 * 64-bit integer one; the others take the integer instructions.
 */
function scalar64(op: DivisionOp, signed: boolean): DivisionForm['scalar'] {
  const exact = integer64(op, signed);
  return (a, b, f) => {
    const [x, y, q, result] = [f.local('i64'), f.local('i64'), f.local('i64'), f.local('i64')];
    f.set(x, a as L);
    f.set(y, b as L);
    const below = (v: L) =>
      signed ? i64.lt_u(i64.add(v, i64.const(DOUBLE_EXACT)), i64.const(2n * DOUBLE_EXACT)) : i64.lt_u(v, i64.const(DOUBLE_EXACT));
    f.if(
      i32.and(below(x), below(y)),
      () => {
        const convert = signed ? f64.convert_i64_s : f64.convert_i64_u;
        f.set(q, i64.trunc_sat_f64_s(f64[op === 'fmod' ? 'trunc' : 'floor'](f64.div(convert(x), convert(y)))));
        const value = op === 'floor_divide' ? q : i64.sub(x, i64.mul(q, y));
        f.set(result, i64.select(value, i64.const(0n), i64.ne(y, i64.const(0n))));
      },
      () => f.set(result, exact(x, y, f)),
    );
    return result;
  };
}

/** The integer instructions on 64-bit items (locals), as scalar32 does on 32-bit ones. */
function integer64(op: DivisionOp, signed: boolean): (x: L, y: L, f: FunctionBuilder) => L {
  return (x, y, f) => {
    const [d, q, r] = [f.local('i64'), f.local('i64'), f.local('i64')];
    const zero = i64.const(0n);
    const one = i64.const(1n);
    if (!signed) {
      f.set(d, i64.select(y, one, i64.ne(y, zero)));
      return i64.select(op === 'floor_divide' ? i64.div_u(x, d) : i64.rem_u(x, d), zero, i64.ne(y, zero));
    }
    if (op === 'fmod') {
      f.set(d, i64.select(y, one, i64.ne(y, zero)));
      return i64.rem_s(x, d);
    }
    f.set(d, i64.select(one, y, i64.le_u(i64.add(y, one), one)));
    f.set(r, i64.rem_s(x, d));
    const floors = i32.and(i64.ne(r, zero), i64.lt_s(i64.xor(r, y), zero));
    if (op === 'remainder') return i64.select(i64.add(r, y), r, floors);
    f.set(q, i64.sub(i64.div_s(x, d), i64.extend_i32_u(floors)));
    return i64.select(i64.sub(zero, x), i64.select(q, zero, i64.ne(y, zero)), i64.eq(y, i64.const(-1n)));
  };
}

// ------------------------------------------------------------------------------------------------
// Vectors: 16 bytes of items, in 32-bit lanes (8- and 16-bit items widened, the results narrowed back)

function vector(op: DivisionOp, signed: boolean, bits: 8 | 16 | 32, a: V, b: V, f: FunctionBuilder): V {
  const x = f.local('v128');
  const y = f.local('v128');
  f.set(x, a);
  f.set(y, b);
  const xs = widen(x, bits, signed, f);
  const ys = widen(y, bits, signed, f);
  const results = xs.map((xk, k) => {
    const yk = ys[k];
    const q = f.local('v128');
    // fmod's quotient is truncated, the others' floored.
    const round = op === 'fmod' ? 'trunc' : 'floor';
    f.set(q, bits === 32 ? quotient64(xk, yk, signed, round, f) : quotient32(xk, yk, round));
    // -1 divisors: -x (MIN // -1 wraps to MIN, where the conversion back saturated).
    if (bits === 32 && signed) f.set(q, v128.bitselect(i32x4.neg(xk), q, i32x4.eq(yk, i32x4.splat(-1))));
    const result = op === 'floor_divide' ? q : i32x4.sub(xk, i32x4.mul(q, yk));
    return v128.and(result, i32x4.ne(yk, i32x4.splat(0)));
  });
  return narrow(results, bits, f);
}

/** The vector's items as 32-bit lanes (locals): itself, or 2 or 4 vectors of widened items in order. */
function widen(v: V, bits: 8 | 16 | 32, signed: boolean, f: FunctionBuilder): V[] {
  const local = (e: V) => {
    const l = f.local('v128');
    f.set(l, e);
    return l;
  };
  if (bits === 32) return [v];
  const halves = (w: V, from: 8 | 16): V[] =>
    from === 16
      ? [
          signed ? i32x4.extend_low_i16x8_s(w) : i32x4.extend_low_i16x8_u(w),
          signed ? i32x4.extend_high_i16x8_s(w) : i32x4.extend_high_i16x8_u(w),
        ]
      : [
          signed ? i16x8.extend_low_i8x16_s(w) : i16x8.extend_low_i8x16_u(w),
          signed ? i16x8.extend_high_i8x16_s(w) : i16x8.extend_high_i8x16_u(w),
        ];
  if (bits === 16) return halves(v, 16).map(local);
  return halves(v, 8).flatMap((w) => halves(local(w), 16).map(local));
}

/** 32-bit lanes back to `bits`-bit items, wrapping (the unsigned narrowing of masked lanes never saturates). */
function narrow(lanes: V[], bits: 8 | 16 | 32, f: FunctionBuilder): V {
  if (bits === 32) return lanes[0];
  const to16 = (lo: V, hi: V) => i16x8.narrow_i32x4_u(v128.and(lo, i32x4.splat(0xffff)), v128.and(hi, i32x4.splat(0xffff)));
  if (bits === 16) return to16(lanes[0], lanes[1]);
  const words = [to16(lanes[0], lanes[1]), to16(lanes[2], lanes[3])].map((w) => {
    const l = f.local('v128');
    f.set(l, v128.and(w, i16x8.splat(0xff)));
    return l;
  });
  return i8x16.narrow_i16x8_u(words[0], words[1]);
}

/** floor(x / y) or trunc(x / y) of 32-bit lanes holding 8- or 16-bit values, through float32 (exact below 2^24). */
function quotient32(x: V, y: V, round: 'floor' | 'trunc'): V {
  return i32x4.trunc_sat_f32x4_s(f32x4[round](f32x4.div(f32x4.convert_i32x4_s(x), f32x4.convert_i32x4_s(y))));
}

/** floor(x / y) or trunc(x / y) of 32-bit lanes, through float64 two lanes at a time (exact below 2^53). */
function quotient64(x: V, y: V, signed: boolean, round: 'floor' | 'trunc', f: FunctionBuilder): V {
  const high = (v: V) => shuffleLanes(4, v, v, [2, 3, 2, 3]);
  const convert = signed ? f64x2.convert_low_i32x4_s : f64x2.convert_low_i32x4_u;
  const back = signed ? i32x4.trunc_sat_f64x2_s_zero : i32x4.trunc_sat_f64x2_u_zero;
  const half = (xs: V, ys: V) => back(f64x2[round](f64x2.div(convert(xs), convert(ys))));
  const low = f.local('v128');
  f.set(low, half(x, y));
  return shuffleLanes(4, low, half(high(x), high(y)), [0, 1, 4, 5]);
}
