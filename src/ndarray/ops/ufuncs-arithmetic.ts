/**
 * More arithmetic ufuncs: square, reciprocal, fmod, fmax, fmin, copysign. Exact on every backend
 * (reciprocal of floats is a division: IEEE on lavapipe, within WGSL's 2.5 ULP elsewhere). Integer
 * results wrap like NumPy's; an integer fmod by zero gives 0, as NumPy's does, and so does the integer
 * reciprocal of 0 (NumPy's is platform-specific: see the README).
 */

import { dtypeInfo, type DType } from '../core/dtype.js';
import type { Scalar } from '../core/scalars.js';
import type { JsKernel } from '../core/kernel-forms.js';
import { arithmetic, big, byClass, chunks, floatFor, isBig, jsArith, num, promoted, type Resolution, type UfuncDef } from './ufunc-kit.js';

/** Binary float functions (copysign, arctan2, hypot): the first of NumPy's e/f/d loops that every input
 * casts to safely: each array's float dtype, promoted (int8 with uint8 → float16; int16 with float16 →
 * float32; int32 with uint32 → float32 under the 32-bit rule), with scalars weak. */
export function binaryFloat(operands: readonly (DType | Scalar)[]): Resolution {
  const result = floatFor(promoted(operands.map((o) => (typeof o === 'string' ? floatFor(o) : o))));
  return { inputs: operands.map(() => result), result };
}

const fmax = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));
const fmin = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b));

/** 1 / x of an integer, truncated: ±1 for ±1, else 0 (division by zero too). */
const integerReciprocal = (x: number) => (x === 1 || x === -1 ? x : 0);

/** The sign bit of a float (of its float64 bits: -0 and NaNs with the sign set included). */
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
function negativeSign(x: number): boolean {
  scratch[0] = x;
  return (words[1] & 0x80000000) !== 0;
}

/** `x` with the sign bit of `y`: bits are read only for a NaN `y` (every other number shows its sign). */
function copysign(x: number, y: number): number {
  const negative = y < 0 || (y === 0 ? 1 / y < 0 : y !== y && negativeSign(y));
  return negative ? -Math.abs(x) : Math.abs(x);
}

export const ARITHMETIC_UFUNCS: Record<string, UfuncDef> = {
  square: {
    name: 'square',
    lanes: 'square',
    arity: 1,
    resolve: arithmetic('square', 'int8'),
    wgsl: () => 'x0 * x0',
    js: (inputs): JsKernel => {
      if (isBig(inputs[0])) return (x) => big(x) * big(x);
      return dtypeInfo(inputs[0]).kind === 'f' ? (x) => num(x) * num(x) : (x) => Math.imul(num(x), num(x));
    },
    chunk: chunks(
      (o, n, a) => {
        for (let i = 0; i < n; i++) o[i] = a[i] * a[i];
      },
      (o, n, a) => {
        for (let i = 0; i < n; i++) o[i] = Math.imul(a[i], a[i]);
      },
    ),
  },
  reciprocal: {
    name: 'reciprocal',
    arity: 1,
    resolve: arithmetic('reciprocal', 'int8'),
    wgsl: (inputs) =>
      ({ f32: '1.0 / x0', i32: 'select(0, x0, x0 == 1 || x0 == -1)', u32: 'select(0u, 1u, x0 == 1u)', bool: 'x0' })[inputs[0]],
    js: (inputs): JsKernel => {
      if (isBig(inputs[0])) return (x) => (big(x) === 1n || big(x) === -1n ? big(x) : 0n);
      return dtypeInfo(inputs[0]).kind === 'f' ? (x) => 1 / num(x) : (x) => integerReciprocal(num(x));
    },
    chunk: chunks(
      (o, n, a) => {
        for (let i = 0; i < n; i++) o[i] = 1 / a[i];
      },
      (o, n, a) => {
        for (let i = 0; i < n; i++) o[i] = integerReciprocal(a[i]);
      },
    ),
  },
  fmod: {
    name: 'fmod',
    lanes: 'fmod',
    arity: 2,
    resolve: arithmetic('fmod', 'int8'),
    wgsl: byClass(
      { f32: (a, b) => `fmod_f32(${a}, ${b})`, i32: (a, b) => `fmod_i32(${a}, ${b})`, u32: (a, b) => `fmod_u32(${a}, ${b})` },
      'fmod',
    ),
    // JavaScript's % is C's fmod (for floats: exact, with the dividend's sign).
    js: jsArith(
      (a, b) => a % b,
      (a, b) => (b === 0 ? 0 : a % b),
      (a, b) => (b === 0n ? 0n : a % b),
    ),
    chunk: chunks(
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = a[i] % b[i];
      },
      (o, n, a, b) => {
        // Integers of up to 32 bits: trunc(a / b) is the exact truncated quotient (see jsIntFloorDiv in
        // ufuncs.ts), and a float division beats % on the doubles of the staged loops (C's fmod).
        for (let i = 0; i < n; i++) o[i] = b[i] === 0 ? 0 : a[i] - Math.trunc(a[i] / b[i]) * b[i];
      },
    ),
  },
  fmax: {
    name: 'fmax',
    arity: 2,
    resolve: arithmetic('fmax', 'bool'),
    wgsl: byClass(
      {
        f32: (a, b) => `fmax_f32(${a}, ${b})`,
        i32: (a, b) => `max(${a}, ${b})`,
        u32: (a, b) => `max(${a}, ${b})`,
        bool: (a, b) => `${a} || ${b}`,
      },
      'fmax',
    ),
    js: jsArith(
      fmax,
      Math.max,
      (a, b) => (a > b ? a : b),
      (a, b) => a || b,
    ),
    chunk: chunks(
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = fmax(a[i], b[i]);
      },
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = Math.max(a[i], b[i]);
      },
    ),
  },
  fmin: {
    name: 'fmin',
    arity: 2,
    resolve: arithmetic('fmin', 'bool'),
    wgsl: byClass(
      {
        f32: (a, b) => `fmin_f32(${a}, ${b})`,
        i32: (a, b) => `min(${a}, ${b})`,
        u32: (a, b) => `min(${a}, ${b})`,
        bool: (a, b) => `${a} && ${b}`,
      },
      'fmin',
    ),
    js: jsArith(
      fmin,
      Math.min,
      (a, b) => (a < b ? a : b),
      (a, b) => a && b,
    ),
    chunk: chunks(
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = fmin(a[i], b[i]);
      },
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = Math.min(a[i], b[i]);
      },
    ),
  },
  copysign: {
    name: 'copysign',
    arity: 2,
    resolve: binaryFloat,
    wgsl: () => 'copysign_f32(x0, x1)',
    js: () => (x, y) => copysign(num(x), num(y)),
    chunk: () => (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = copysign(a[i], b[i]);
    },
  },
};
