/**
 * Rounding and classification ufuncs: floor, ceil, trunc, rint, sign, the integer rounding behind
 * `round(decimals < 0)`, isnan, isinf, isfinite, signbit. All are exact on every backend: floats round
 * to integral values (signed zeros and NaN kept), integers pass through (NumPy 2 keeps their dtype), and
 * the classifications read bits.
 */

import { dtypeInfo, type DType } from '../core/dtype.js';
import type { Scalar } from '../core/scalars.js';
import type { ChunkKernel, ClassificationLaneOp, ComputeClass, JsKernel } from '../core/kernel-forms.js';
import { arithmetic, big, isBig, num, promoted, unaryFloat, type Resolution, type UfuncDef } from './ufunc-kit.js';

/** floor, ceil, trunc: the input's own dtype (NumPy 2: integers and bools are returned as they are). */
function sameDType(operands: readonly (DType | Scalar)[]): Resolution {
  const dtype = promoted(operands);
  return { inputs: [dtype], result: dtype };
}

/** Round half to even (C's rint in the default rounding mode), keeping the sign of zeros. */
export function rint(x: number): number {
  const r = Math.round(x); // half up
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A float function that is the identity on integers (and bools). */
function integral(name: 'floor' | 'ceil' | 'trunc', wgsl: string, f: (x: number) => number, chunk: ChunkKernel): UfuncDef {
  return {
    name,
    lanes: name,
    arity: 1,
    resolve: sameDType,
    wgsl: (inputs) => (inputs[0] === 'f32' ? `${wgsl}(x0)` : 'x0'),
    js: (inputs): JsKernel => {
      const kind = dtypeInfo(inputs[0]).kind;
      if (kind === 'f') return (x) => f(num(x));
      if (kind === 'b') return (x) => Boolean(x);
      return (x) => x;
    },
    chunk: (inputs) => {
      const info = dtypeInfo(inputs[0]);
      if (info.kind === 'f') return chunk;
      return isBig(inputs[0]) ? null : COPY;
    },
  };
}

const COPY: ChunkKernel = (o, n, a) => {
  for (let i = 0; i < n; i++) o[i] = a[i];
};

/** 10^k for k < 16, each exact (a lookup, where `10 ** k` is a call per element). */
const TENS = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** `out[i] = x / 10^k` rounded half to even, times 10^k, for integer x (wrapping to the dtype) and integer
 * k >= 1 (`round`'s -decimals). */
function roundTens(x: number, k: number): number {
  if (k >= 16) return 0; // |x| < 2^32 < 10^16 / 2
  const p = TENS[k];
  const q = Math.trunc(x / p);
  const r = x - q * p;
  const twice = 2 * Math.abs(r);
  const away = twice > p || (twice === p && (q & 1) !== 0); // q is an integer: & keeps its parity
  return (away ? q + Math.sign(r) : q) * p;
}

function roundTensBig(x: bigint, k: bigint): bigint {
  if (k >= 40n) return 0n;
  const p = 10n ** k;
  const q = x / p;
  const r = x - q * p;
  const twice = 2n * (r < 0n ? -r : r);
  const away = twice > p || (twice === p && q % 2n !== 0n);
  return (away ? q + (r < 0n ? -1n : 1n) : q) * p;
}

/** NaN stays NaN; -0 gives +0, as NumPy. */
const signOf = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : v);

const SIGN: Record<ComputeClass, string> = { f32: 'sign_f32(x0)', i32: 'sign(x0)', u32: 'select(0u, 1u, x0 > 0u)', bool: 'x0' };

/** isnan, isinf, isfinite: the float loops read bits; every integer and bool is finite. */
function classification(numpyName: ClassificationLaneOp, wgsl: string, f: (x: number) => boolean, integers: boolean): UfuncDef {
  return {
    name: numpyName,
    lanes: numpyName,
    arity: 1,
    resolve: (operands) => ({ inputs: [promoted(operands)], result: 'bool' }),
    wgsl: (inputs) => (inputs[0] === 'f32' ? wgsl : `${integers}`),
    js: (inputs) => (dtypeInfo(inputs[0]).kind === 'f' ? (x) => f(num(x)) : () => integers),
    chunk: (inputs) => {
      if (dtypeInfo(inputs[0]).kind !== 'f') return isBig(inputs[0]) ? null : (o, n) => o.fill(integers ? 1 : 0, 0, n);
      return (o, n, a) => {
        for (let i = 0; i < n; i++) o[i] = f(a[i]) ? 1 : 0;
      };
    },
  };
}

/** The sign bit of a float, NaN's included, read from its float64 bits. */
const signScratch = new Float64Array(1);
const signWords = new Uint32Array(signScratch.buffer);
function signbit(x: number): boolean {
  signScratch[0] = x;
  return (signWords[1] & 0x80000000) !== 0;
}

export const ROUNDING_UFUNCS: Record<string, UfuncDef> = {
  floor: integral('floor', 'floor', Math.floor, (o, n, a) => {
    for (let i = 0; i < n; i++) o[i] = Math.floor(a[i]);
  }),
  ceil: integral('ceil', 'ceil', Math.ceil, (o, n, a) => {
    for (let i = 0; i < n; i++) o[i] = Math.ceil(a[i]);
  }),
  trunc: integral('trunc', 'trunc', Math.trunc, (o, n, a) => {
    for (let i = 0; i < n; i++) o[i] = Math.trunc(a[i]);
  }),
  rint: {
    name: 'rint',
    lanes: 'rint',
    arity: 1,
    resolve: unaryFloat,
    wgsl: () => 'rint_f32(x0)',
    js: () => (x) => rint(num(x)),
    chunk: () => (o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = rint(a[i]);
    },
  },
  /** `round(a, decimals)` of integers with decimals < 0: x0 the integers, x1 = -decimals (int32). */
  roundTens: {
    name: 'round',
    arity: 2,
    resolve: (operands) => {
      const dtype = promoted([operands[0]]);
      return { inputs: [dtype, 'int32'], result: dtype };
    },
    wgsl: (inputs) => (inputs[0] === 'u32' ? 'round_tens_u32(x0, x1)' : 'round_tens_i32(x0, x1)'),
    js: (inputs) => (isBig(inputs[0]) ? (x, k) => roundTensBig(big(x), big(k)) : (x, k) => roundTens(num(x), num(k))),
    chunk: (inputs) =>
      isBig(inputs[0])
        ? null
        : (o, n, a, k) => {
            for (let i = 0; i < n; i++) o[i] = roundTens(a[i], k[i]);
          },
  },
  sign: {
    name: 'sign',
    arity: 1,
    resolve: arithmetic(
      'sign',
      'error',
      "ufunc 'sign' did not contain a loop with signature matching types <class 'numpy.dtypes.BoolDType'> -> None",
    ),
    wgsl: (inputs) => SIGN[inputs[0]],
    js: (inputs) => {
      if (isBig(inputs[0])) return (x) => (big(x) > 0n ? 1n : big(x) < 0n ? -1n : 0n);
      return (x) => signOf(num(x));
    },
    chunk: (inputs) =>
      isBig(inputs[0])
        ? null
        : (o, n, a) => {
            for (let i = 0; i < n; i++) o[i] = signOf(a[i]);
          },
  },
  isnan: classification('isnan', 'is_nan(x0)', Number.isNaN, false),
  isinf: classification('isinf', 'is_inf(x0)', (x) => x === Infinity || x === -Infinity, false),
  isfinite: classification('isfinite', 'is_finite_f32(x0)', Number.isFinite, true),
  signbit: {
    name: 'signbit',
    lanes: 'signbit',
    arity: 1,
    // NumPy converts integers to floats first (the float dtype of unary float functions).
    resolve: (operands) => ({ inputs: unaryFloat(operands).inputs, result: 'bool' }),
    wgsl: () => 'signbit_f32(x0)',
    js: () => (x) => signbit(num(x)),
    chunk: () => (o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = signbit(a[i]) ? 1 : 0;
    },
  },
};
