/**
 * binary16 conversions (src/ndarray/core/float16.ts) against a reference built another way: decoding
 * from the definition with exact powers of two, encoding by searching the sorted list of every finite
 * binary16 value for the nearest (ties to the even significand). Every bit pattern is decoded; encoded
 * are every binary16 value, every midpoint between neighbours and the float64s just beside it, and random
 * float64s over the whole range, subnormals and overflow included.
 */

import { describe, expect, it } from 'vitest';
import { float16BitsToFloat64, float64ToFloat16Bits } from '../src/ndarray/core/float16.js';
import { mulberry32 } from './random.js';

function referenceDecode(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return exponent === 0 ? sign * fraction * 2 ** -24 : sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/** The non-negative finite binary16 values, ascending (bits 0 to 0x7bff are in value order). */
const MAGNITUDES = Array.from({ length: 0x7c00 }, (_, bits) => referenceDecode(bits));

function referenceEncode(value: number): number {
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  // Halfway between the largest finite value and 2^16 (the next one the format would have) and beyond.
  if (magnitude >= 65520) return sign | 0x7c00;
  let low = 0;
  let high = MAGNITUDES.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (MAGNITUDES[middle] <= magnitude) low = middle;
    else high = middle;
  }
  if (magnitude >= 65504) return sign | 0x7bff;
  const below = magnitude - MAGNITUDES[low];
  const above = MAGNITUDES[high] - magnitude;
  const bits = below < above ? low : above < below ? high : low % 2 === 0 ? low : high;
  return sign | bits;
}

const float64Bits = (value: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0);
};

describe('binary16 conversions', () => {
  it('decode every bit pattern exactly; every NaN decodes to the canonical NaN', () => {
    const wrong: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = float16BitsToFloat64(bits);
      const expected = referenceDecode(bits);
      const same = Number.isNaN(expected) ? float64Bits(value) === float64Bits(NaN) : Object.is(value, expected);
      if (!same) wrong.push(bits);
    }
    expect(wrong).toEqual([]);
  });

  it('encode binary16 values, the midpoints between them and their float64 neighbours to the nearest, ties to even', () => {
    const values: number[] = [];
    for (let bits = 0; bits < 0x7bff; bits++) {
      const x = MAGNITUDES[bits];
      const middle = (x + MAGNITUDES[bits + 1]) / 2;
      const ulp = middle * 2 ** -52 || 2 ** -1074;
      values.push(x, middle, middle + ulp, middle - ulp, Math.fround(middle * (1 + 2 ** -23)), Math.fround(middle * (1 - 2 ** -23)));
    }
    values.push(65504, 65519.99999999999, 65520, 65536, 1e300, Infinity, 2 ** -24, 2 ** -25, 2 ** -25 * (1 + 2 ** -52), 2 ** -26, 5e-324);
    const wrong = values.flatMap((v) =>
      [v, -v]
        .filter((x) => float64ToFloat16Bits(x) !== referenceEncode(x))
        .map((x) => `${x}: ${float64ToFloat16Bits(x)} (expected ${referenceEncode(x)})`),
    );
    expect(wrong).toEqual([]);
    expect([float64ToFloat16Bits(0), float64ToFloat16Bits(-0)]).toEqual([0, 0x8000]);
  });

  it('encode random float64s of every magnitude like the reference', () => {
    const random = mulberry32(16);
    const wrong: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const value = (random() < 0.5 ? -1 : 1) * random() * 2 ** Math.floor(random() * 64 - 40);
      if (float64ToFloat16Bits(value) !== referenceEncode(value)) wrong.push(String(value));
    }
    expect(wrong).toEqual([]);
  });

  it('encode NaN as a NaN that keeps its sign and the top of its payload (quiet where that is empty)', () => {
    const nan = (bits: bigint) => new DataView(new BigUint64Array([bits]).buffer).getFloat64(0, true);
    expect(float64ToFloat16Bits(NaN)).toBe(0x7e00);
    expect(float64ToFloat16Bits(nan(0xfff8000000000000n))).toBe(0xfe00);
    expect(float64ToFloat16Bits(nan(0x7ff4000000000000n))).toBe(0x7d00);
    expect(float64ToFloat16Bits(nan(0x7ff0000000000001n))).toBe(0x7e00);
  });
});
