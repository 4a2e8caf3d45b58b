/**
 * WebAssembly kernels for casts between dtypes: `cast_<from>_<to>(dst, src, n0, n1, d0, d1, s0, s1)` over
 * one 2-D block (addresses and strides in bytes), one element at a time, for every pair of distinct
 * dtypes. Each applies ndgpu's casting rule (core/casting.ts `castValue`, which the JavaScript loops
 * follow): integers wrap; floats to integers truncate toward zero and saturate, NaN becoming 0 (what
 * WebAssembly's saturating truncations do); anything to bool is `!= 0` (NaN true); to floats rounds once
 * to nearest, ties to even (64-bit integers convert in one rounding, never through float64 first, except
 * into float16, whose range float64 rounding cannot change); float16 is encoded and decoded with integer
 * arithmetic as core/float16.ts does (a NaN becomes float16's NaN 0x7e00, as the JavaScript loops give it).
 */

import type { DType } from '../../../ndarray/core/dtype.js';
import { callAs, f32, f64, i32, i64, type Expr, type FunctionBuilder, type FunctionRef, type ModuleBuilder } from './emit.js';

/** The dtypes the cast kernels convert between. */
export const CAST_DTYPES: readonly DType[] = [
  'bool',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float16',
  'float32',
  'float64',
];

export const castKernelName = (from: DType, to: DType) => `cast_${from}_${to}`;

/** A loaded item: 32-bit integers (signed or not), 64-bit integers, or floats. */
type Value =
  | { kind: 'i32s' | 'i32u'; e: Expr<'i32'> }
  | { kind: 'i64s' | 'i64u'; e: Expr<'i64'> }
  | { kind: 'f32'; e: Expr<'f32'> }
  | { kind: 'f64'; e: Expr<'f64'> };

interface Helpers {
  decodeHalf: FunctionRef;
  encodeHalf: FunctionRef;
}

function load(from: DType, at: Expr<'i32'>, h: Helpers): Value {
  switch (from) {
    case 'bool':
    case 'uint8':
      return { kind: 'i32u', e: i32.load8_u(at) };
    case 'int8':
      return { kind: 'i32s', e: i32.load8_s(at) };
    case 'int16':
      return { kind: 'i32s', e: i32.load16_s(at) };
    case 'uint16':
      return { kind: 'i32u', e: i32.load16_u(at) };
    case 'int32':
      return { kind: 'i32s', e: i32.load(at) };
    case 'uint32':
      return { kind: 'i32u', e: i32.load(at) };
    case 'int64':
      return { kind: 'i64s', e: i64.load(at) };
    case 'uint64':
      return { kind: 'i64u', e: i64.load(at) };
    case 'float16':
      return { kind: 'f64', e: callAs('f64', h.decodeHalf, i32.load16_u(at)) };
    case 'float32':
      return { kind: 'f32', e: f32.load(at) };
    default:
      return { kind: 'f64', e: f64.load(at) };
  }
}

function asF64(v: Value): Expr<'f64'> {
  switch (v.kind) {
    case 'i32s':
      return f64.convert_i32_s(v.e);
    case 'i32u':
      return f64.convert_i32_u(v.e);
    case 'i64s':
      return f64.convert_i64_s(v.e);
    case 'i64u':
      return f64.convert_i64_u(v.e);
    case 'f32':
      return f64.promote_f32(v.e);
    default:
      return v.e;
  }
}

function asF32(v: Value): Expr<'f32'> {
  switch (v.kind) {
    case 'i32s':
      return f32.convert_i32_s(v.e);
    case 'i32u':
      return f32.convert_i32_u(v.e);
    case 'i64s':
      return f32.convert_i64_s(v.e);
    case 'i64u':
      return f32.convert_i64_u(v.e);
    case 'f32':
      return v.e;
    default:
      return f32.demote_f64(v.e);
  }
}

/** The value's low 64 bits (integers wrap; floats truncate and saturate into the signedness given). */
function asI64(v: Value, signed: boolean): Expr<'i64'> {
  switch (v.kind) {
    case 'i32s':
      return i64.extend_i32_s(v.e);
    case 'i32u':
      return i64.extend_i32_u(v.e);
    case 'i64s':
    case 'i64u':
      return v.e;
    case 'f32':
      return signed ? i64.trunc_sat_f32_s(v.e) : i64.trunc_sat_f32_u(v.e);
    default:
      return signed ? i64.trunc_sat_f64_s(v.e) : i64.trunc_sat_f64_u(v.e);
  }
}

/** An integer of at most 32 bits: its low 32 bits (a store narrows them); floats truncated, saturated
 * at the target's bounds. */
function asI32(f: FunctionBuilder, v: Value, to: DType): Expr<'i32'> {
  if (v.kind === 'i32s' || v.kind === 'i32u') return v.e;
  if (v.kind === 'i64s' || v.kind === 'i64u') return i32.wrap_i64(v.e);
  const x = asF64(v); // exact for float32
  if (to === 'int32') return i32.trunc_sat_f64_s(x);
  if (to === 'uint32') return i32.trunc_sat_f64_u(x);
  const [low, high] = { int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535] }[to as 'int8'] ?? [0, 0];
  const t = f.local('i32');
  f.set(t, i32.trunc_sat_f64_s(x));
  return i32.select(low, i32.select(high, t, i32.gt_s(t, high)), i32.lt_s(t, low));
}

function nonZero(v: Value): Expr<'i32'> {
  switch (v.kind) {
    case 'i32s':
    case 'i32u':
      return i32.ne(v.e, 0);
    case 'i64s':
    case 'i64u':
      return i64.ne(v.e, i64.const(0n));
    case 'f32':
      return f32.ne(v.e, f32.const(0)); // NaN != 0
    default:
      return f64.ne(v.e, f64.const(0));
  }
}

function store(f: FunctionBuilder, to: DType, at: Expr<'i32'>, v: Value, h: Helpers): void {
  switch (to) {
    case 'bool':
      return f.store('i32_8', at, nonZero(v));
    case 'int8':
    case 'uint8':
      return f.store('i32_8', at, asI32(f, v, to));
    case 'int16':
    case 'uint16':
      return f.store('i32_16', at, asI32(f, v, to));
    case 'int32':
    case 'uint32':
      return f.store('i32', at, asI32(f, v, to));
    case 'int64':
    case 'uint64':
      return f.store('i64', at, asI64(v, to === 'int64'));
    case 'float16':
      return f.store('i32_16', at, callAs('i32', h.encodeHalf, asF64(v)));
    case 'float32':
      return f.store('f32', at, asF32(v));
    default:
      return f.store('f64', at, asF64(v));
  }
}

export function addCastKernels(m: ModuleBuilder): void {
  const helpers = { decodeHalf: addDecodeHalf(m), encodeHalf: addEncodeHalf(m) };
  for (const from of CAST_DTYPES) {
    for (const to of CAST_DTYPES) {
      if (from === to) continue;
      m.func(castKernelName(from, to), new Array<'i32'>(8).fill('i32'), [], (f) => {
        const [dst, src, n0, n1, d0, d1, s0, s1] = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => f.param(k, 'i32'));
        const i = f.local('i32');
        const j = f.local('i32');
        const d = f.local('i32');
        const s = f.local('i32');
        f.for(i, 0, n0, 1, () => {
          f.set(d, i32.add(dst, i32.mul(i, d0)));
          f.set(s, i32.add(src, i32.mul(i, s0)));
          f.for(j, 0, n1, 1, () => {
            store(f, to, d, load(from, s, helpers), helpers);
            f.set(d, i32.add(d, d1));
            f.set(s, i32.add(s, s1));
          });
        });
      });
    }
  }
}

/** float16 bits → float64 (exact; NaN becomes JavaScript's NaN, as float16BitsToFloat64 gives it). */
function addDecodeHalf(m: ModuleBuilder): FunctionRef {
  return m.func(null, ['i32'], ['f64'], (f) => {
    const bits = f.param(0, 'i32');
    const exponent = f.local('i32');
    const mantissa = f.local('i32');
    const sign = f.local('i64');
    f.set(exponent, i32.and(i32.shr_u(bits, 10), 0x1f));
    f.set(mantissa, i32.and(bits, 0x3ff));
    f.set(sign, i64.shl(i64.extend_i32_u(i32.shr_u(bits, 15)), i64.const(63n)));
    f.if(i32.eqz(exponent), () => {
      const magnitude = f64.mul(f64.convert_i32_u(mantissa), f64.const(2 ** -24));
      f.return(f64.reinterpret_i64(i64.or(i64.reinterpret_f64(magnitude), sign)));
    });
    f.if(i32.eq(exponent, 0x1f), () => {
      f.if(mantissa, () => f.return(f64.const(NaN)));
      f.return(f64.reinterpret_i64(i64.or(i64.const(0x7ff0000000000000n), sign)));
    });
    const biased = i64.shl(i64.extend_i32_u(i32.add(exponent, 1023 - 15)), i64.const(52n));
    const fraction = i64.shl(i64.extend_i32_u(mantissa), i64.const(42n));
    f.return(f64.reinterpret_i64(i64.or(i64.or(sign, biased), fraction)));
  });
}

/** float64 → the nearest float16 bits, ties to even (core/float16.ts `float64ToFloat16Bits`); NaN → 0x7e00. */
function addEncodeHalf(m: ModuleBuilder): FunctionRef {
  // (v >> shift) rounded half to even, for 0 < shift < 64.
  const roundShift = m.func(null, ['i64', 'i64'], ['i32'], (f) => {
    const v = f.param(0, 'i64');
    const shift = f.param(1, 'i64');
    const kept = f.local('i64');
    const rest = f.local('i64');
    const half = f.local('i64');
    f.set(kept, i64.shr_u(v, shift));
    f.set(rest, i64.and(v, i64.sub(i64.shl(i64.const(1n), shift), i64.const(1n))));
    f.set(half, i64.shl(i64.const(1n), i64.sub(shift, i64.const(1n))));
    const up = i32.or(i64.gt_u(rest, half), i32.and(i64.eq(rest, half), i64.ne(i64.and(kept, i64.const(1n)), i64.const(0n))));
    f.return(i32.add(i32.wrap_i64(kept), up));
  });
  return m.func(null, ['f64'], ['i32'], (f) => {
    const bits = f.local('i64');
    const sign = f.local('i32');
    const exponent = f.local('i32');
    const mantissa = f.local('i64');
    const e = f.local('i32');
    f.set(bits, i64.reinterpret_f64(f.param(0, 'f64')));
    f.set(sign, i32.and(i32.wrap_i64(i64.shr_u(bits, i64.const(48n))), 0x8000));
    f.set(exponent, i32.and(i32.wrap_i64(i64.shr_u(bits, i64.const(52n))), 0x7ff));
    f.set(mantissa, i64.and(bits, i64.const(0xfffffffffffffn)));
    f.if(i32.eq(exponent, 0x7ff), () => {
      f.if(i64.eqz(mantissa), () => f.return(i32.or(sign, 0x7c00)));
      // NaN: the JavaScript loops round to float16 and then encode (float64ToFloat16Bits of a decoded
      // NaN), which leaves float16's NaN, 0x7e00, whatever the payload and sign.
      f.return(i32.const(0x7e00));
    });
    f.set(e, i32.sub(exponent, 1023 - 15));
    f.if(i32.ge_s(e, 0x1f), () => f.return(i32.or(sign, 0x7c00)));
    f.if(i32.le_s(e, 0), () => {
      f.if(i32.lt_s(e, -10), () => f.return(sign));
      const significand = i64.or(mantissa, i64.const(1n << 52n));
      f.return(i32.or(sign, callAs('i32', roundShift, significand, i64.extend_i32_u(i32.sub(43, e)))));
    });
    // A carry out of the mantissa bumps the exponent, which is exactly right (and may reach infinity).
    f.return(i32.or(sign, i32.add(i32.shl(e, 10), callAs('i32', roundShift, mantissa, i64.const(42n)))));
  });
}
