/**
 * Decimal digits of float16/float32/float64 values exactly as NumPy prints them.
 *
 * NumPy formats every float with Dragon4 (numpy/_core/src/multiarray/dragon4.c) run on the value's own
 * binary format, so a float32 0.1 prints `0.1` (its shortest round-trip digits), not the float64 digits of
 * the same number. This module is a port of that routine onto BigInt arithmetic: same margins (IEEE
 * round-half-even boundaries count as "unique"), same cutoffs, same final rounding, so the odd cases agree
 * too (`precision` cutting off a shortest repr rounds the exact binary value: 1.000000005 → `1.`).
 *
 * Pure functions; nothing here knows about arrays.
 */

import { float16BitsToFloat64, float64ToFloat16Bits } from './float16.js';

export type FloatDType = 'float16' | 'float32' | 'float64';

/** A finite float as `(-1)^negative · mantissa · 2^exponent`, plus what Dragon4 needs about its neighbours. */
interface FloatParts {
  readonly negative: boolean;
  readonly mantissa: bigint;
  readonly exponent: number;
  /** Index of the highest set bit of `mantissa` (feeds the decimal-exponent estimate). */
  readonly mantissaBit: number;
  /** True for powers of two above the smallest normal: the gap below is half the gap above. */
  readonly unequalMargins: boolean;
}

/** Bit layout of each IEEE binary format NumPy prints. */
interface BinaryFormat {
  readonly fractionBits: number;
  readonly exponentBias: number;
  readonly exponentMask: number;
  readonly totalBits: number;
}

const FORMATS: Record<FloatDType, BinaryFormat> = {
  float16: { fractionBits: 10, exponentBias: 15, exponentMask: 0x1f, totalBits: 16 },
  float32: { fractionBits: 23, exponentBias: 127, exponentMask: 0xff, totalBits: 32 },
  float64: { fractionBits: 52, exponentBias: 1023, exponentMask: 0x7ff, totalBits: 64 },
};

const scratch = new DataView(new ArrayBuffer(8));

/** The raw bits of `x` stored in `dtype` (x is rounded to the dtype first, ties to even). */
function bitsOf(x: number, dtype: FloatDType): bigint {
  if (dtype === 'float16') return BigInt(float64ToFloat16Bits(x));
  if (dtype === 'float32') {
    scratch.setFloat32(0, x);
    return BigInt(scratch.getUint32(0));
  }
  scratch.setFloat64(0, x);
  return scratch.getBigUint64(0);
}

/** Splits a finite value the way NumPy's Dragon4_PrintFloat_IEEE_binary* does before calling Dragon4. */
function decompose(x: number, dtype: FloatDType): FloatParts {
  const { fractionBits, exponentBias, exponentMask, totalBits } = FORMATS[dtype];
  const bits = bitsOf(x, dtype);
  const fraction = bits & ((1n << BigInt(fractionBits)) - 1n);
  const biased = Number((bits >> BigInt(fractionBits)) & BigInt(exponentMask));
  const negative = bits >> BigInt(totalBits - 1) === 1n;
  if (biased !== 0) {
    return {
      negative,
      mantissa: fraction | (1n << BigInt(fractionBits)),
      exponent: biased - exponentBias - fractionBits,
      mantissaBit: fractionBits,
      unequalMargins: biased !== 1 && fraction === 0n,
    };
  }
  // Subnormal (or zero): no implicit bit, evenly spaced neighbours.
  return {
    negative,
    mantissa: fraction,
    exponent: 1 - exponentBias - fractionBits,
    mantissaBit: fraction === 0n ? 0 : fraction.toString(2).length - 1,
    unequalMargins: false,
  };
}

/** Where Dragon4 stops: after `max` digits (-1: as many as uniqueness needs), but not before `min`. */
export interface Cutoff {
  /** 'fraction': counts digits after the decimal point; 'total': counts significant digits. */
  readonly mode: 'fraction' | 'total';
  readonly max: number;
  readonly min: number;
}

/** Digits d1 d2 d3… meaning d1.d2d3… × 10^exponent. */
interface Digits {
  readonly digits: string;
  readonly exponent: number;
}

/** NumPy's output buffer bound; only reachable with no cutoff on huge exact expansions. */
const BUFFER_SIZE = 16384;
const LOG10_2 = Math.LOG10E * Math.LN2; // log10(2)

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/**
 * Dragon4 in "unique" digit mode (Steele & White / Burger & Dybvig via Ryan Juckett, as patched by NumPy):
 * emits digits of the exact value until the prefix identifies it among its neighbours or a cutoff is hit,
 * then rounds the last digit.
 */
function dragon4(parts: FloatParts, cutoff: Cutoff): Digits {
  const { mantissa, exponent, mantissaBit, unequalMargins } = parts;
  if (mantissa === 0n) return { digits: '0', exponent: 0 };
  const isEven = (mantissa & 1n) === 0n;

  // value = scaledValue / scale; marginLow/High = half the gap to the neighbour below/above, same scale.
  let scaledValue: bigint;
  let scale: bigint;
  let marginLow: bigint;
  if (exponent > 0) {
    scaledValue = mantissa << BigInt(exponent + (unequalMargins ? 2 : 1));
    scale = unequalMargins ? 4n : 2n;
    marginLow = 1n << BigInt(exponent);
  } else {
    scaledValue = mantissa << (unequalMargins ? 2n : 1n);
    scale = 1n << BigInt(-exponent + (unequalMargins ? 2 : 1));
    marginLow = 1n;
  }
  const marginHigh = (): bigint => (unequalMargins ? marginLow * 2n : marginLow);

  // Estimate of floor(log10(value)) + 1, correct or one too small (NumPy's exact formula, since the
  // fractional-cutoff clamp below depends on it).
  let digitExponent = Math.ceil((mantissaBit + exponent) * LOG10_2 - 0.69);
  if (cutoff.max >= 0 && cutoff.mode === 'fraction' && digitExponent <= -cutoff.max) {
    digitExponent = -cutoff.max + 1;
  }
  if (digitExponent > 0) {
    scale *= pow10(digitExponent);
  } else if (digitExponent < 0) {
    const p = pow10(-digitExponent);
    scaledValue *= p;
    marginLow *= p;
  }
  if (scaledValue >= scale) {
    digitExponent += 1;
  } else {
    scaledValue *= 10n;
    marginLow *= 10n;
  }

  let cutoffExponent = digitExponent - BUFFER_SIZE;
  if (cutoff.max >= 0) {
    const desired = cutoff.mode === 'total' ? digitExponent - cutoff.max : -cutoff.max;
    cutoffExponent = Math.max(cutoffExponent, desired);
  }
  let cutoffMinExponent = digitExponent;
  if (cutoff.min >= 0) {
    const desired = cutoff.mode === 'total' ? digitExponent - cutoff.min : -cutoff.min;
    cutoffMinExponent = Math.min(cutoffMinExponent, desired);
  }
  let outExponent = digitExponent - 1;

  const out: number[] = [];
  let digit = 0;
  let low = false;
  let high = false;
  for (;;) {
    digitExponent -= 1;
    digit = Number(scaledValue / scale);
    scaledValue %= scale;
    const upper = scaledValue + marginHigh();
    low = isEven ? scaledValue <= marginLow : scaledValue < marginLow;
    high = isEven ? upper >= scale : upper > scale;
    if (((low || high) && digitExponent <= cutoffMinExponent) || digitExponent === cutoffExponent) break;
    out.push(digit);
    scaledValue *= 10n;
    marginLow *= 10n;
  }

  // Round the final digit: forced by the margins when only one direction stays unique, else to nearest
  // (ties to an even digit).
  let roundDown = low;
  if (low === high) {
    const twice = scaledValue * 2n;
    roundDown = twice < scale || (twice === scale && (digit & 1) === 0);
  }
  if (roundDown) {
    out.push(digit);
  } else if (digit < 9) {
    out.push(digit + 1);
  } else {
    // Carry through trailing nines; all nines become a single 1 one decade up.
    while (out.length > 0 && out[out.length - 1] === 9) out.pop();
    if (out.length === 0) {
      out.push(1);
      outExponent += 1;
    } else {
      out[out.length - 1] += 1;
    }
  }
  return { digits: out.join(''), exponent: outExponent };
}

/** A value in positional notation, split at the decimal point. */
export interface PositionalParts {
  readonly negative: boolean;
  /** Integer digits, at least one. */
  readonly whole: string;
  /** Fraction digits with trailing zeros removed (may be empty). */
  readonly fraction: string;
}

/**
 * NumPy's `dragon4_positional(x, precision, unique=True, fractional=True, trim='.')` for a finite value:
 * shortest round-trip digits for the dtype, but at most `precision` fraction digits (-1: no limit).
 */
export function positionalParts(x: number, dtype: FloatDType, precision: number): PositionalParts {
  const parts = decompose(x, dtype);
  const { digits, exponent } = dragon4(parts, { mode: 'fraction', max: precision, min: -1 });
  let whole: string;
  let fraction: string;
  if (exponent >= 0) {
    whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    fraction = digits.slice(exponent + 1);
  } else {
    whole = '0';
    fraction = '0'.repeat(-exponent - 1) + digits;
  }
  return { negative: parts.negative, whole, fraction: fraction.replace(/0+$/, '') };
}

/** A value in scientific notation: `lead.fraction e exponent`. */
export interface ScientificParts {
  readonly negative: boolean;
  /** The single digit before the point. */
  readonly lead: string;
  readonly fraction: string;
  readonly exponent: number;
}

/**
 * NumPy's `dragon4_scientific(x, precision, min_digits, unique=True)` for a finite value: shortest digits
 * for the dtype with at most `precision` fraction digits (-1: no limit). With `minDigits` ≥ 0 Dragon4 keeps
 * producing exact digits up to that many fraction digits (trim='k'); with -1 trailing zeros are trimmed.
 */
export function scientificParts(x: number, dtype: FloatDType, precision: number, minDigits: number): ScientificParts {
  const parts = decompose(x, dtype);
  const { digits, exponent } = dragon4(parts, {
    mode: 'total',
    max: precision < 0 ? -1 : precision + 1,
    min: minDigits < 0 ? -1 : minDigits + 1,
  });
  let fraction = digits.slice(1);
  fraction = minDigits < 0 ? fraction.replace(/0+$/, '') : fraction.padEnd(minDigits, '0');
  return { negative: parts.negative, lead: digits[0], fraction, exponent };
}

/** `e+05`, `e-100`: sign always, at least `minDigits` (and at least 2) exponent digits. */
export function exponentText(exponent: number, minDigits: number): string {
  const sign = exponent < 0 ? '-' : '+';
  return `e${sign}${String(Math.abs(exponent)).padStart(Math.max(2, minDigits), '0')}`;
}

/**
 * Below this magnitude NumPy's scalar `str` stays positional. float64 scalars print like Python's
 * `repr(float)` (cutoff 1e16); float32 and float16 scalars switch earlier (checked on NumPy 2.4).
 */
const SCALAR_POSITIONAL_LIMIT: Record<FloatDType, number> = { float16: 1e3, float32: 1e6, float64: 1e16 };

/**
 * `str()` of a NumPy float scalar (what `str(a)` prints for a 0-d array): full shortest round-trip digits,
 * `5.0`, `0.1`, `1e-05`, `1.5e+16`, `nan`, `-inf`.
 */
export function scalarFloatStr(x: number, dtype: FloatDType): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const abs = Math.abs(x);
  if (abs === 0 || (abs >= 1e-4 && abs < SCALAR_POSITIONAL_LIMIT[dtype])) {
    const p = positionalParts(x, dtype, -1);
    return `${p.negative ? '-' : ''}${p.whole}.${p.fraction === '' ? '0' : p.fraction}`;
  }
  const s = scientificParts(x, dtype, -1, -1);
  const mantissa = s.fraction === '' ? s.lead : `${s.lead}.${s.fraction}`;
  return `${s.negative ? '-' : ''}${mantissa}${exponentText(s.exponent, 2)}`;
}

/** `value` rounded into `dtype` (float64 values pass through), so that comparisons happen in the dtype. */
export function roundToDType(value: number, dtype: FloatDType): number {
  if (dtype === 'float32') return Math.fround(value);
  if (dtype === 'float16') return float16BitsToFloat64(float64ToFloat16Bits(value));
  return value;
}
