import { describe, it, expect } from 'vitest';
import type { DType } from '../src/ndarray/core/dtype.js';
import { formatArray, reprArray } from '../src/ndarray/core/format.js';
import type { Scalar } from '../src/ndarray/core/scalars.js';
import fixtures from './fixtures/format.json';
import { decodeScalar } from './fixture-values.js';

/** One NumPy observation from scripts/gen-format-fixtures.py. */
interface FormatCase {
  dtype: DType;
  shape: number[];
  values: (number | string | boolean)[];
  str: string;
  repr: string;
}

function decode(c: FormatCase): Scalar[] {
  return c.values.map((v) => decodeScalar(v, c.dtype));
}

const cases = fixtures as FormatCase[];

describe('formatArray / reprArray match NumPy 2.4 fixtures', () => {
  it('has several hundred cases', () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  cases.forEach((c, i) => {
    const label = `#${i} ${c.dtype} (${c.shape.join(',')}) ${c.repr.slice(0, 50).replace(/\n/g, '⏎')}`;
    it(label, () => {
      const values = decode(c);
      expect(formatArray(values, c.shape, c.dtype)).toBe(c.str);
      expect(reprArray(values, c.shape, c.dtype)).toBe(c.repr);
    });
  });
});

describe('hand-written cases from the spec', () => {
  it('prints the tutorial matrix', () => {
    const values = [0, 10, 10, 3, 1234, 10, 10, 7, 8, 10, 10, 11];
    expect(formatArray(values, [3, 4], 'int32')).toBe('[[   0   10   10    3]\n [1234   10   10    7]\n [   8   10   10   11]]');
    expect(reprArray(values, [3, 4], 'int64')).toBe(
      'array([[   0,   10,   10,    3],\n       [1234,   10,   10,    7],\n       [   8,   10,   10,   11]])',
    );
    expect(reprArray(values, [3, 4], 'int32')).toBe(
      'array([[   0,   10,   10,    3],\n       [1234,   10,   10,    7],\n       [   8,   10,   10,   11]], dtype=int32)',
    );
  });

  it('aligns floats on the point and pads fractions with spaces', () => {
    expect(formatArray([1.0, 2.5, -3.25], [3], 'float64')).toBe('[ 1.    2.5  -3.25]');
    expect(reprArray([1e-5, 1.0], [2], 'float64')).toBe('array([1.e-05, 1.e+00])');
    expect(reprArray([1e-4, 0.1], [2], 'float64')).toBe('array([0.0001, 0.1   ])');
    expect(reprArray([1e-4, 0.1], [2], 'float32')).toBe('array([1.e-04, 1.e-01], dtype=float32)');
    expect(reprArray([1.0, 1000.5], [2], 'float64')).toBe('array([1.0000e+00, 1.0005e+03])');
    expect(reprArray([NaN, 1.0], [2], 'float64')).toBe('array([nan,  1.])');
    expect(reprArray([-Infinity, 1e10], [2], 'float64')).toBe('array([  -inf, 1.e+10])');
    expect(reprArray([0, -0], [2], 'float64')).toBe('array([ 0., -0.])');
  });

  it('uses the dtype’s own shortest digits and cutoffs', () => {
    expect(reprArray([1e6], [1], 'float32')).toBe('array([1.e+06], dtype=float32)');
    expect(reprArray([1e6], [1], 'float64')).toBe('array([1000000.])');
    expect(reprArray([0.1], [1], 'float32')).toBe('array([0.1], dtype=float32)');
    const thirds = [0, 1, 2, 3, 4].map((k) => Math.fround(k / 3));
    expect(reprArray(thirds, [5], 'float32')).toBe(
      'array([0.        , 0.33333334, 0.6666667 , 1.        , 1.3333334 ],\n      dtype=float32)',
    );
  });

  it('prints 0-d arrays like scalars (str) and with the array formatter (repr)', () => {
    expect(formatArray([1 / 3], [], 'float64')).toBe('0.3333333333333333');
    expect(reprArray([1 / 3], [], 'float64')).toBe('array(0.33333333)');
    expect(formatArray([1e10], [], 'float64')).toBe('10000000000.0');
    expect(reprArray([1e10], [], 'float64')).toBe('array(1.e+10)');
    expect(formatArray([1e-5], [], 'float64')).toBe('1e-05');
    expect(formatArray([-0], [], 'float64')).toBe('-0.0');
    expect(formatArray([Math.fround(1 / 3)], [], 'float32')).toBe('0.33333334');
    expect(formatArray([5], [], 'int32')).toBe('5');
    expect(reprArray([5], [], 'int64')).toBe('array(5)');
    expect(reprArray([true], [], 'bool')).toBe('array(True)');
    expect(formatArray([true], [], 'bool')).toBe('True');
  });

  it('prints empty arrays', () => {
    expect(formatArray([], [2, 0], 'float64')).toBe('[]');
    expect(reprArray([], [2, 0], 'float64')).toBe('array([], shape=(2, 0), dtype=float64)');
    expect(reprArray([], [0], 'int64')).toBe('array([], dtype=int64)');
    expect(reprArray([], [0], 'int32')).toBe('array([], dtype=int32)');
  });

  it('summarises arrays with more than 1000 items', () => {
    const a = Array.from({ length: 1001 }, (_, i) => BigInt(i));
    expect(reprArray(a, [1001], 'int64')).toBe('array([   0,    1,    2, ...,  998,  999, 1000], shape=(1001,))');
    const f = Array.from({ length: 2000 }, (_, i) => i);
    expect(formatArray(f, [2000], 'float64')).toBe('[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]');
  });

  it('separates 3-D blocks with blank lines', () => {
    const a = Array.from({ length: 24 }, (_, i) => i);
    expect(formatArray(a, [2, 3, 4], 'int32')).toBe(
      '[[[ 0  1  2  3]\n  [ 4  5  6  7]\n  [ 8  9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]',
    );
  });

  it('rejects values that do not fill the shape', () => {
    expect(() => formatArray([1, 2, 3], [2, 2], 'int32')).toThrow(RangeError);
  });
});
