/**
 * WGSL conversions between dtypes, done on integer bits so that every dtype converts on every GPU
 * (WGSL has no f64, no 64-bit integers, and f16 needs an optional feature) and every result is exactly
 * the CPU reference's (`src/ndarray/casting.ts`): integers wrap, floats round to nearest even with
 * subnormals and overflow to infinity, float→int truncates and saturates with NaN → 0, NaN → the
 * canonical quiet NaN, anything → bool is `!= 0`.
 *
 * Values travel as vec2<u32> (x = low word, y = high word). Integers are widened to 64-bit two's
 * complement; floats are decoded to sign, exponent and a 64-bit significand with its leading 1 at bit 63.
 */

import { dtypeInfo, type DType } from '../ndarray/core/dtype.js';

interface FloatFormat {
  readonly mantissaBits: number;
  readonly exponentBits: number;
  readonly bias: number;
  readonly width: number;
}

const FLOAT_FORMATS: Partial<Record<DType, FloatFormat>> = {
  float16: { mantissaBits: 10, exponentBits: 5, bias: 15, width: 16 },
  float32: { mantissaBits: 23, exponentBits: 8, bias: 127, width: 32 },
  float64: { mantissaBits: 52, exponentBits: 11, bias: 1023, width: 64 },
};

/** 64-bit helpers on vec2<u32>. WGSL takes shift amounts modulo 32, hence the explicit cases. */
const U64 = `
fn u64_shl(v: vec2<u32>, s: u32) -> vec2<u32> {
  if (s == 0u) { return v; }
  if (s >= 64u) { return vec2<u32>(0u, 0u); }
  if (s >= 32u) { return vec2<u32>(0u, v.x << (s - 32u)); }
  return vec2<u32>(v.x << s, (v.y << s) | (v.x >> (32u - s)));
}
fn u64_shr(v: vec2<u32>, s: u32) -> vec2<u32> {
  if (s == 0u) { return v; }
  if (s >= 64u) { return vec2<u32>(0u, 0u); }
  if (s >= 32u) { return vec2<u32>(v.y >> (s - 32u), 0u); }
  return vec2<u32>((v.x >> s) | (v.y << (32u - s)), v.y >> s);
}
fn u64_bit(s: u32) -> vec2<u32> { return u64_shl(vec2<u32>(1u, 0u), s); }
fn u64_low_mask(s: u32) -> vec2<u32> {
  if (s >= 64u) { return vec2<u32>(0xffffffffu, 0xffffffffu); }
  return u64_sub(u64_bit(s), vec2<u32>(1u, 0u));
}
fn u64_add(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let low = a.x + b.x;
  return vec2<u32>(low, a.y + b.y + select(0u, 1u, low < a.x));
}
fn u64_sub(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  return vec2<u32>(a.x - b.x, a.y - b.y - select(0u, 1u, a.x < b.x));
}
fn u64_neg(a: vec2<u32>) -> vec2<u32> { return u64_sub(vec2<u32>(0u, 0u), a); }
fn u64_lt(a: vec2<u32>, b: vec2<u32>) -> bool { return a.y < b.y || (a.y == b.y && a.x < b.x); }
fn u64_eq(a: vec2<u32>, b: vec2<u32>) -> bool { return a.x == b.x && a.y == b.y; }
fn u64_is_zero(a: vec2<u32>) -> bool { return (a.x | a.y) == 0u; }
fn u64_clz(v: vec2<u32>) -> u32 {
  if (v.y != 0u) { return countLeadingZeros(v.y); }
  return 32u + countLeadingZeros(v.x);
}
// v >> s rounded to nearest, ties to even.
fn u64_round_shr(v: vec2<u32>, s: u32) -> vec2<u32> {
  if (s == 0u) { return v; }
  if (s > 64u) { return vec2<u32>(0u, 0u); }
  let kept = u64_shr(v, s);
  let rest = v & u64_low_mask(s);
  let half = u64_bit(s - 1u);
  let up = u64_lt(half, rest) || (u64_eq(rest, half) && (kept.x & 1u) == 1u);
  return select(kept, u64_add(kept, vec2<u32>(1u, 0u)), up);
}`;

/** A decoded float: kind 0 zero, 1 finite, 2 infinity, 3 NaN. */
const DECODED = `
struct Decoded { kind: u32, sign_bit: u32, exponent: i32, significand: vec2<u32> }`;

/** `fn decode_<name>(bits) -> Decoded` for one float format. */
function decodeFunction(f: FloatFormat, name: string): string {
  const m = f.mantissaBits;
  const exponentMask = (1 << f.exponentBits) - 1;
  return `
fn decode_${name}(bits: vec2<u32>) -> Decoded {
  let sign_bit = u64_shr(bits, ${f.width - 1}u).x & 1u;
  let field = u64_shr(bits, ${m}u).x & ${exponentMask}u;
  let mantissa = bits & u64_low_mask(${m}u);
  if (field == ${exponentMask}u) {
    return Decoded(select(3u, 2u, u64_is_zero(mantissa)), sign_bit, 0, vec2<u32>(0u, 0u));
  }
  if (field == 0u) {
    if (u64_is_zero(mantissa)) { return Decoded(0u, sign_bit, 0, vec2<u32>(0u, 0u)); }
    // Subnormal: value = mantissa * 2^(1 - bias - m); normalise its leading 1 to bit 63.
    let lead = 63u - u64_clz(mantissa);
    return Decoded(1u, sign_bit, i32(lead) + ${1 - f.bias - m}, u64_shl(mantissa, 63u - lead));
  }
  let full = mantissa | u64_bit(${m}u);
  return Decoded(1u, sign_bit, i32(field) - ${f.bias}, u64_shl(full, ${63 - m}u));
}`;
}

/** `fn encode_finite_<name>(sign, exponent, significand) -> vec2<u32>` and the special values, for one format. */
function encodeFunctions(f: FloatFormat, name: string): string {
  const m = f.mantissaBits;
  const exponentMax = (1 << f.exponentBits) - 1;
  return `
fn with_sign_${name}(bits: vec2<u32>, sign_bit: u32) -> vec2<u32> { return bits | u64_shl(vec2<u32>(sign_bit, 0u), ${f.width - 1}u); }
fn encode_infinity_${name}(sign_bit: u32) -> vec2<u32> { return with_sign_${name}(u64_shl(vec2<u32>(${exponentMax}u, 0u), ${m}u), sign_bit); }
fn encode_nan_${name}() -> vec2<u32> { return u64_shl(vec2<u32>(${exponentMax * 2 + 1}u, 0u), ${m - 1}u); }
// Rounds sign * significand * 2^(exponent - 63) (leading 1 at bit 63) to the nearest value, ties to even.
fn encode_finite_${name}(sign_bit: u32, exponent: i32, significand: vec2<u32>) -> vec2<u32> {
  var field = exponent + ${f.bias};
  var shift = ${63 - m}u;
  if (field < 1) {
    shift = shift + u32(1 - field);
    field = 0;
  }
  var kept = u64_round_shr(significand, shift);
  if (field == 0) {
    // Subnormal (a carry into bit m makes it the smallest normal, which these bits already spell).
    return with_sign_${name}(kept, sign_bit);
  }
  if (!u64_lt(kept, u64_bit(${m + 1}u))) {
    kept = u64_shr(kept, 1u);
    field = field + 1;
  }
  if (field >= ${exponentMax}) { return encode_infinity_${name}(sign_bit); }
  let bits = u64_shl(vec2<u32>(u32(field), 0u), ${m}u) | (kept & u64_low_mask(${m}u));
  return with_sign_${name}(bits, sign_bit);
}`;
}

/** Widens integer item bits to 64-bit two's complement (bool becomes 0 or 1). */
function widenInteger(dtype: DType): string {
  const { itemsize, kind } = dtypeInfo(dtype);
  if (kind === 'b') return 'vec2<u32>(select(0u, 1u, (bits.x & 0xffu) != 0u), 0u)';
  if (itemsize === 8) return 'bits';
  // The low item bits only: a chain of conversions (uint32 -> uint8 -> int16) passes unmasked bits on.
  if (kind === 'u') return itemsize === 4 ? 'vec2<u32>(bits.x, 0u)' : `vec2<u32>(bits.x & ${itemsize === 1 ? '0xffu' : '0xffffu'}, 0u)`;
  const bitsWide = itemsize * 8;
  const low = bitsWide === 32 ? 'bits.x' : `bitcast<u32>(bitcast<i32>(bits.x << ${32 - bitsWide}u) >> ${32 - bitsWide}u)`;
  return `vec2<u32>(${low}, select(0u, 0xffffffffu, (${low} & 0x80000000u) != 0u))`;
}

/** Saturating conversion of a decoded float to an integer dtype (NaN → 0), as 64-bit bits. */
function floatToIntegerBody(from: DType, to: DType): string {
  const { itemsize, kind } = dtypeInfo(to);
  const n = itemsize * 8;
  const signed = kind === 'i';
  const maxMagnitude = signed ? `u64_low_mask(${n - 1}u)` : `u64_low_mask(${n}u)`;
  const minBits = signed ? `u64_neg(u64_bit(${n - 1}u))` : 'vec2<u32>(0u, 0u)';
  return `
  let d = decode_${from}(bits);
  if (d.kind == 0u || d.kind == 3u) { return vec2<u32>(0u, 0u); }
  let negative = d.sign_bit == 1u;
  // |value| truncated toward zero; exponents of 64 or more overflow every integer dtype.
  let overflow = d.kind == 2u || d.exponent >= 64;
  var magnitude = vec2<u32>(0u, 0u);
  if (!overflow && d.exponent >= 0) { magnitude = u64_shr(d.significand, u32(63 - d.exponent)); }
  if (negative) {
    ${
      signed
        ? `if (overflow || u64_lt(u64_bit(${n - 1}u), magnitude)) { return ${minBits}; }
    return u64_neg(magnitude);`
        : `return ${minBits};`
    }
  }
  if (overflow || u64_lt(${maxMagnitude}, magnitude)) { return ${maxMagnitude}; }
  return magnitude;`;
}

/** The name of the WGSL function converting item bits of `from` into item bits of `to`. */
export function conversionName(from: DType, to: DType): string {
  return `convert_${from}_to_${to}`;
}

/** The body of one conversion function (its helpers come from `conversionLibrary`). */
function conversionBody(from: DType, to: DType): string {
  const source = dtypeInfo(from);
  const target = dtypeInfo(to);
  const sourceFloat = FLOAT_FORMATS[from];
  const targetFloat = FLOAT_FORMATS[to];
  if (from === to) return 'return bits;';
  if (target.kind === 'b') {
    const test = sourceFloat
      ? `!u64_is_zero(bits & u64_low_mask(${sourceFloat.width - 1}u))` // any bit but the sign: NaN is true, -0 false
      : `!u64_is_zero(bits & u64_low_mask(${source.itemsize * 8}u))`;
    return `return vec2<u32>(select(0u, 1u, ${test}), 0u);`;
  }
  // Integer to integer: widen, and the writer keeps the low bytes (wrapping modulo 2^bits).
  if (!sourceFloat && !targetFloat) return `return ${widenInteger(from)};`;
  if (sourceFloat && !targetFloat) return floatToIntegerBody(from, to);
  if (!sourceFloat) {
    // Integer to float: exact magnitude, one rounding.
    const signed = source.kind === 'i';
    return `
  let wide = ${widenInteger(from)};
  let negative = ${signed ? '(wide.y & 0x80000000u) != 0u' : 'false'};
  let magnitude = select(wide, u64_neg(wide), negative);
  if (u64_is_zero(magnitude)) { return vec2<u32>(0u, 0u); }
  let lead = 63u - u64_clz(magnitude);
  return encode_finite_${to}(select(0u, 1u, negative), i32(lead), u64_shl(magnitude, 63u - lead));`;
  }
  return `
  let d = decode_${from}(bits);
  if (d.kind == 3u) { return encode_nan_${to}(); }
  if (d.kind == 2u) { return encode_infinity_${to}(d.sign_bit); }
  if (d.kind == 0u) { return with_sign_${to}(vec2<u32>(0u, 0u), d.sign_bit); }
  return encode_finite_${to}(d.sign_bit, d.exponent, d.significand);`;
}

/**
 * WGSL for a set of conversions: the shared 64-bit helpers and float decoders/encoders once each, then
 * `fn convert_<from>_to_<to>(bits: vec2<u32>) -> vec2<u32>` for every pair.
 */
export function conversionLibrary(pairs: readonly (readonly [DType, DType])[]): string {
  const unique = [...new Map(pairs.map(([f, t]) => [`${f}:${t}`, [f, t] as const])).values()];
  const decoders = new Set<DType>();
  const encoders = new Set<DType>();
  for (const [from, to] of unique) {
    if (from === to) continue;
    const toBool = dtypeInfo(to).kind === 'b';
    if (FLOAT_FORMATS[from] && !toBool) decoders.add(from);
    if (FLOAT_FORMATS[to]) encoders.add(to);
  }
  const parts = [U64];
  if (decoders.size > 0) parts.push(DECODED);
  for (const d of decoders) parts.push(decodeFunction(FLOAT_FORMATS[d] as FloatFormat, d));
  for (const e of encoders) parts.push(encodeFunctions(FLOAT_FORMATS[e] as FloatFormat, e));
  for (const [from, to] of unique) {
    parts.push(`fn ${conversionName(from, to)}(bits: vec2<u32>) -> vec2<u32> {\n  ${conversionBody(from, to).trim()}\n}`);
  }
  return parts.join('\n');
}

/** WGSL defining `fn convert(bits: vec2<u32>) -> vec2<u32>` from item bits of `from` to item bits of `to`. */
export function conversionFunction(from: DType, to: DType): string {
  return `${conversionLibrary([[from, to]])}\nfn convert(bits: vec2<u32>) -> vec2<u32> { return ${conversionName(from, to)}(bits); }`;
}

/** `expression` (item bits of chain[0]) converted along `chain` (a → b → c), skipping identities. */
export function conversionChain(expression: string, chain: readonly DType[]): string {
  let out = expression;
  for (let k = 1; k < chain.length; k++) if (chain[k] !== chain[k - 1]) out = `${conversionName(chain[k - 1], chain[k])}(${out})`;
  return out;
}

/** The conversions a chain needs, for `conversionLibrary`. */
export function chainPairs(chain: readonly DType[]): [DType, DType][] {
  const pairs: [DType, DType][] = [];
  for (let k = 1; k < chain.length; k++) if (chain[k] !== chain[k - 1]) pairs.push([chain[k - 1], chain[k]]);
  return pairs;
}
