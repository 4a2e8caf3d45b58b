/**
 * Float functions beyond exp/log/sin/cos/tanh: exp2, expm1, log2, log10, log1p, tan, the inverse and
 * hyperbolic trigonometric functions, arctan2 and hypot. Integers convert to the float dtype NumPy's
 * loops give them (int8 → float16, int16 → float32, int32 → float32 under the 32-bit rule).
 *
 * The CPU computes in float64 and rounds once (within 1 ULP of NumPy's float32/float16 functions); the GPU
 * runs shaders/math.ts's f32 implementations, within a few ULP (see the tests' tolerance).
 */

import type { UfuncDef } from './ufunc-kit.js';
import { chunks, num, unaryFloat } from './ufunc-kit.js';
import { binaryFloat } from './ufuncs-arithmetic.js';

/** A unary float function: WGSL `wgsl(x0)`, JavaScript `f` in float64 (the store rounds). */
function floatFunction(name: string, wgsl: string, f: (x: number) => number): UfuncDef {
  return {
    name,
    arity: 1,
    resolve: unaryFloat,
    wgsl: () => `${wgsl}(x0)`,
    js: () => (x) => f(num(x)),
    chunk: chunks((o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = f(a[i]);
    }),
  };
}

function binaryFloatFunction(name: string, wgsl: string, f: (x: number, y: number) => number): UfuncDef {
  return {
    name,
    arity: 2,
    resolve: binaryFloat,
    wgsl: () => `${wgsl}(x0, x1)`,
    js: () => (x, y) => f(num(x), num(y)),
    chunk: chunks((o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = f(a[i], b[i]);
    }),
  };
}

export const TRANSCENDENTAL_UFUNCS: Record<string, UfuncDef> = {
  exp2: floatFunction('exp2', 'exp2_f32', (x) => 2 ** x),
  expm1: floatFunction('expm1', 'expm1_f32', Math.expm1),
  log2: floatFunction('log2', 'log2_f32', Math.log2),
  log10: floatFunction('log10', 'log10_f32', Math.log10),
  log1p: floatFunction('log1p', 'log1p_f32', Math.log1p),
  tan: floatFunction('tan', 'tan_f32', Math.tan),
  arcsin: floatFunction('arcsin', 'asin_f32', Math.asin),
  arccos: floatFunction('arccos', 'acos_f32', Math.acos),
  arctan: floatFunction('arctan', 'atan_f32', Math.atan),
  sinh: floatFunction('sinh', 'sinh_f32', Math.sinh),
  cosh: floatFunction('cosh', 'cosh_f32', Math.cosh),
  arcsinh: floatFunction('arcsinh', 'asinh_f32', Math.asinh),
  arccosh: floatFunction('arccosh', 'acosh_f32', Math.acosh),
  arctanh: floatFunction('arctanh', 'atanh_f32', Math.atanh),
  arctan2: binaryFloatFunction('arctan2', 'atan2_f32', Math.atan2),
  hypot: binaryFloatFunction('hypot', 'hypot_f32', Math.hypot),
};
