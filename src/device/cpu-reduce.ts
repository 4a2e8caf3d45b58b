/**
 * Reductions on the CPU: each output's elements are read in C order of the reduced axes, converted to
 * the accumulator dtype, and combined — floats by NumPy's pairwise summation (blocks of 128 summed with
 * eight partial sums, halves recursively), rounding to the accumulator's precision at every step.
 */

import { castValue } from '../ndarray/casting.js';
import { dtypeInfo, type DType } from '../ndarray/dtype.js';
import type { ReducePlan } from '../ndarray/reduce-plan.js';
import { readItem, writeItem, type Scalar } from '../ndarray/scalars.js';
import { converter, isNumberDType, numberView, reader } from './cpu-numbers.js';

const BLOCK = 128;

/** Positions (in items) of the elements along some axes, in C order. */
function positions(shape: readonly number[], strides: readonly number[], base: number): Float64Array {
  const count = shape.reduce((p, n) => p * n, 1);
  const out = new Float64Array(count);
  const rank = shape.length;
  const counter = new Array<number>(rank).fill(0);
  let at = base;
  for (let i = 0; i < count; i++) {
    out[i] = at;
    for (let k = rank - 1; k >= 0; k--) {
      counter[k]++;
      at += strides[k];
      if (counter[k] < shape[k]) break;
      at -= strides[k] * shape[k];
      counter[k] = 0;
    }
  }
  return out;
}

function rounder(dtype: DType): (x: number) => number {
  if (dtype === 'float32' || dtype === 'float16') return Math.fround; // float16 accumulates in float32, as NumPy
  return (x) => x;
}

/** NumPy's pairwise summation of `values[start, start + n)`, rounding each addition with `round`. */
function pairwiseSum(values: Float64Array, start: number, n: number, round: (x: number) => number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum = round(sum + values[start + i]);
    return sum;
  }
  if (n <= BLOCK) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => values[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = round(r[j] + values[start + i + j]);
    let sum = round(round(round(r[0] + r[1]) + round(r[2] + r[3])) + round(round(r[4] + r[5]) + round(r[6] + r[7])));
    for (; i < n; i++) sum = round(sum + values[start + i]);
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return round(pairwiseSum(values, start, half, round) + pairwiseSum(values, start + half, n - half, round));
}

export function reduceItems(dst: Uint8Array, src: Uint8Array, plan: ReducePlan): void {
  const from = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const to = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  const inSize = dtypeInfo(plan.input).itemsize;
  const outSize = dtypeInfo(plan.temp).itemsize;
  const acc = plan.accumulator;
  const accInfo = dtypeInfo(acc);
  const bigint = accInfo.kind !== 'f' && accInfo.itemsize === 8;
  const outputs = positions(plan.kept.shape, plan.kept.strides, plan.offset);
  const along = positions(plan.reduced.shape, plan.reduced.strides, 0);
  const n = along.length;
  const round = rounder(acc);
  const values = new Float64Array(n);
  const bigValues: bigint[] = new Array<bigint>(bigint ? n : 0);
  // Numbers (every dtype but the 64-bit integers) are read through a TypedArray and converted with
  // number functions; bigints through the general path.
  const fast = isNumberDType(plan.input) && isNumberDType(acc);
  const items = fast ? numberView(src, plan.input) : null;
  const read = reader(plan.input);
  const convert = converter(plan.input, acc);
  for (let o = 0; o < outputs.length; o++) {
    if (items) {
      const base = outputs[o];
      for (let r = 0; r < n; r++) {
        const x = read(items[base + along[r]]);
        values[r] = convert ? convert(x) : x;
      }
    } else {
      for (let r = 0; r < n; r++) {
        const v = castValue(readItem(from, (outputs[o] + along[r]) * inSize, plan.input), plan.input, acc);
        if (bigint) bigValues[r] = v as bigint;
        else values[r] = Number(v);
      }
    }
    const result = bigint ? combineBig(plan, bigValues, accInfo.kind === 'u') : combine(plan, values, round, accInfo.kind);
    writeItem(to, o * outSize, plan.temp, castValue(result, resultSource(plan, accInfo.kind, bigint), plan.temp));
  }
}

/** Whose cast rules turn a combined value into the temp dtype: positions are int32; float results round;
 * integer results wrap from the accumulator. */
function resultSource(plan: ReducePlan, kind: string, bigint: boolean): DType {
  if (plan.op === 'argmin' || plan.op === 'argmax') return 'int32';
  if (!bigint && kind === 'f') return 'float64';
  return plan.accumulator;
}

function combine(plan: ReducePlan, values: Float64Array, round: (x: number) => number, kind: string): Scalar {
  const n = values.length;
  const wrap = (x: number) => (kind === 'i' ? x | 0 : kind === 'u' ? x >>> 0 : x);
  switch (plan.op) {
    case 'sum':
    case 'mean': {
      if (kind === 'f') return pairwiseSum(values, 0, n, round);
      let s = 0;
      for (let i = 0; i < n; i++) s = wrap(s + values[i]);
      return kind === 'b' ? s !== 0 : s;
    }
    case 'prod': {
      let p = 1;
      for (let i = 0; i < n; i++) p = kind === 'f' ? round(p * values[i]) : wrap(Math.imul(p, values[i]) >>> 0);
      return kind === 'b' ? p !== 0 : kind === 'i' ? p | 0 : p;
    }
    case 'min':
    case 'max': {
      const better = plan.op === 'min' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
      let m = values[0];
      for (let i = 1; i < n; i++) {
        if (Number.isNaN(m)) break;
        if (Number.isNaN(values[i]) || better(values[i], m)) m = values[i];
      }
      return kind === 'b' ? m !== 0 : m;
    }
    case 'argmin':
    case 'argmax': {
      const better = plan.op === 'argmin' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
      let best = 0;
      for (let i = 1; i < n; i++) {
        if (Number.isNaN(values[best])) break;
        if (Number.isNaN(values[i]) || better(values[i], values[best])) best = i;
      }
      return best;
    }
    case 'any':
      return values.some((v) => v !== 0);
    case 'all':
      return values.every((v) => v !== 0);
  }
}

function combineBig(plan: ReducePlan, values: bigint[], unsigned: boolean): Scalar {
  const wrap = (x: bigint) => (unsigned ? BigInt.asUintN(64, x) : BigInt.asIntN(64, x));
  switch (plan.op) {
    case 'sum':
      return values.reduce((a, b) => wrap(a + b), 0n);
    case 'prod':
      return values.reduce((a, b) => wrap(a * b), 1n);
    case 'min':
      return values.reduce((a, b) => (b < a ? b : a));
    case 'max':
      return values.reduce((a, b) => (b > a ? b : a));
    case 'argmin':
    case 'argmax': {
      let best = 0;
      values.forEach((v, i) => {
        if (plan.op === 'argmin' ? v < values[best] : v > values[best]) best = i;
      });
      return best;
    }
    case 'any':
      return values.some((v) => v !== 0n);
    case 'all':
      return values.every((v) => v !== 0n);
    case 'mean':
      return values.reduce((a, b) => a + b, 0n);
  }
}
