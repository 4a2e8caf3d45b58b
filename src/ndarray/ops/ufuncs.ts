/**
 * NumPy's elementwise operations (ufuncs) as data: how each resolves its dtypes, and what it computes —
 * once as a WGSL expression over 32-bit values (the GPU computes bool, 8-32-bit integers and float16/32
 * in bool/i32/u32/f32), once as a JavaScript function (the CPU backend, which also handles 64-bit types).
 *
 * Dtype resolution follows NumPy 2 with ndgpu's 32-bit narrowing (promotion.ts): every input is converted
 * to the operation's loop dtype, the operation computes, and the result has the result dtype (the loop
 * dtype, or bool for comparisons and logical operations).
 */

import { ValueError } from '../core/errors.js';
import { dtypeInfo, type DType } from '../core/dtype.js';
import { clipBound, wrappedToDType } from '../core/python-ints.js';
import type { Scalar } from '../core/scalars.js';
import type { ChunkKernel, ComparisonLaneOp, ComputeClass } from '../core/kernel-forms.js';
import {
  arithmetic,
  big,
  byClass,
  chunks,
  floatResult,
  isBig,
  jsArith,
  logical,
  maxNaN,
  minNaN,
  num,
  promoted,
  unaryFloat,
  type Resolution,
  type UfuncDef,
} from './ufunc-kit.js';

import { ARITHMETIC_UFUNCS } from './ufuncs-arithmetic.js';
import { BITWISE_UFUNCS } from './ufuncs-bitwise.js';
import { ROUNDING_UFUNCS } from './ufuncs-rounding.js';
import { TRANSCENDENTAL_UFUNCS } from './ufuncs-transcendental.js';

export { floatFor, type Resolution, type UfuncDef } from './ufunc-kit.js';

function comparison(operands: readonly (DType | Scalar)[]): Resolution {
  const exact = exactComparisonLoops(operands);
  if (exact) return { inputs: exact, result: 'bool' };
  const dtype = promoted(operands);
  return { inputs: operands.map(() => dtype), result: 'bool' };
}

/**
 * Array pairs that NumPy compares in a 64-bit loop, exactly, where ndgpu's 32-bit promotion would not:
 * a signed integer against uint32 (int64 in NumPy; int32 would wrap uint32 values from 2^31, so
 * `int32(-1) < uint32(4294967295)` would be false) and a 32-bit integer against float16/float32 (float64
 * in NumPy; float32 would round integers past 2^24). A comparison's bool result would hide either, so
 * such pairs keep 32-bit loops of their own kinds (int32 or uint32, float32) and compare exactly (see
 * `compare`; JavaScript numbers compare exactly anyway). Null for every other pair.
 */
function exactComparisonLoops(operands: readonly (DType | Scalar)[]): DType[] | null {
  if (operands.length !== 2 || typeof operands[0] !== 'string' || typeof operands[1] !== 'string') return null;
  const [a, b] = [dtypeInfo(operands[0]), dtypeInfo(operands[1])];
  const int32 = (x: typeof a) => (x.kind === 'i' || x.kind === 'u') && x.itemsize === 4;
  const pair = (x: typeof a, y: typeof a): [DType, DType] | null => {
    if (x.kind === 'i' && x.itemsize <= 4 && y.kind === 'u' && y.itemsize === 4) return ['int32', 'uint32'];
    if (int32(x) && y.kind === 'f' && y.itemsize <= 4) return [x.kind === 'i' ? 'int32' : 'uint32', 'float32'];
    return null;
  };
  const forwards = pair(a, b);
  if (forwards) return forwards;
  const backwards = pair(b, a);
  return backwards ? [backwards[1], backwards[0]] : null;
}

// ------------------------------------------------------------------------------------------------
// JavaScript implementations (the CPU backend): values in, value out; the caller casts to the result.

function jsFloorDiv(a: number, b: number): number {
  if (b === 0) return a / b;
  const m = a % b;
  let d = (a - m) / b;
  if (m !== 0 && b < 0 !== m < 0) d -= 1;
  if (d === 0) return (a < 0 || Object.is(a, -0)) !== (b < 0 || Object.is(b, -0)) ? -0 : 0; // copysign(0, a / b)
  let f = Math.floor(d);
  if (d - f > 0.5) f += 1;
  return f;
}

function jsMod(a: number, b: number): number {
  if (b === 0) return NaN;
  let m = a % b;
  if (m !== 0) {
    if (b < 0 !== m < 0) m += b;
  } else m = b < 0 ? -0 : 0;
  return m;
}

/** Integers of up to 32 bits: the quotient of integers below 2^53 rounds to a double on the same side of
 * every integer, so its floor is the exact floor quotient. */
function jsIntFloorDiv(a: number, b: number): number {
  if (b === 0) return 0;
  return Math.floor(a / b);
}

/** Integers of up to 32 bits: the floor quotient is exact (see jsIntFloorDiv), and so is the product and
 * difference (below 2^53); a float division is faster than `%` on numbers V8 holds as doubles (the staged
 * loops' Float64Arrays), which calls C's fmod. */
function jsIntMod(a: number, b: number): number {
  if (b === 0) return 0;
  return a - Math.floor(a / b) * b;
}

function jsBigFloorDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function jsBigMod(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

/**
 * `a ** e` of integers of up to 32 bits, wrapped to int32 (stores wrap it further to narrower dtypes;
 * uint32's bits are the same): square-and-multiply in Math.imul, which is exact modulo 2^32.
 */
function jsIntPow(a: number, e: number): number {
  if (e < 0) return a === 1 ? 1 : a === -1 ? (e % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  let base = a | 0;
  // n < 2^32 (the exponent of a 32-bit loop): `>>>` halves it exactly.
  for (let n = e; n > 0; n >>>= 1) {
    if (n & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
  }
  return result;
}

function jsPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  return Math.pow(x, y);
}

// ------------------------------------------------------------------------------------------------
// The table

export const UFUNCS: Record<string, UfuncDef> = {
  // The families of issue #18, each in a module of its own (ops/ufuncs-*.ts).
  ...ROUNDING_UFUNCS,
  ...BITWISE_UFUNCS,
  ...ARITHMETIC_UFUNCS,
  ...TRANSCENDENTAL_UFUNCS,
  add: {
    name: 'add',
    lanes: 'add',
    arity: 2,
    resolve: arithmetic('add', 'bool'),
    wgsl: byClass(
      { f32: (a, b) => `${a} + ${b}`, i32: (a, b) => `${a} + ${b}`, u32: (a, b) => `${a} + ${b}`, bool: (a, b) => `${a} || ${b}` },
      'add',
    ),
    js: jsArith(
      (a, b) => a + b,
      (a, b) => a + b,
      (a, b) => a + b,
      (a, b) => a || b,
    ),
    chunk: chunks((o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] + b[i];
    }),
  },
  subtract: {
    name: 'subtract',
    lanes: 'subtract',
    arity: 2,
    resolve: arithmetic(
      'subtract',
      'error',
      'numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.',
    ),
    wgsl: byClass({ f32: (a, b) => `${a} - ${b}`, i32: (a, b) => `${a} - ${b}`, u32: (a, b) => `${a} - ${b}` }, 'subtract'),
    js: jsArith(
      (a, b) => a - b,
      (a, b) => a - b,
      (a, b) => a - b,
    ),
    chunk: chunks((o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] - b[i];
    }),
  },
  multiply: {
    name: 'multiply',
    lanes: 'multiply',
    arity: 2,
    resolve: arithmetic('multiply', 'bool'),
    wgsl: byClass(
      { f32: (a, b) => `${a} * ${b}`, i32: (a, b) => `${a} * ${b}`, u32: (a, b) => `${a} * ${b}`, bool: (a, b) => `${a} && ${b}` },
      'multiply',
    ),
    js: jsArith(
      (a, b) => a * b,
      (a, b) => Math.imul(a, b),
      (a, b) => a * b,
      (a, b) => a && b,
    ),
    chunk: chunks(
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = a[i] * b[i];
      },
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = Math.imul(a[i], b[i]);
      },
    ),
  },
  divide: {
    name: 'divide',
    lanes: 'divide',
    arity: 2,
    resolve: floatResult,
    wgsl: () => 'x0 / x1',
    js: () => (x, y) => num(x) / num(y),
    chunk: chunks((o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] / b[i];
    }),
  },
  floorDivide: {
    name: 'floor_divide',
    lanes: 'floor_divide',
    arity: 2,
    resolve: arithmetic('floor_divide', 'int8'),
    wgsl: byClass(
      {
        f32: (a, b) => `floor_div_f32(${a}, ${b})`,
        i32: (a, b) => `floor_div_i32(${a}, ${b})`,
        u32: (a, b) => `floor_div_u32(${a}, ${b})`,
      },
      'floor_divide',
    ),
    js: jsArith(jsFloorDiv, jsIntFloorDiv, jsBigFloorDiv),
    chunk: chunks(
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = jsFloorDiv(a[i], b[i]);
      },
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = jsIntFloorDiv(a[i], b[i]);
      },
    ),
  },
  mod: {
    name: 'remainder',
    lanes: 'remainder',
    arity: 2,
    resolve: arithmetic('remainder', 'int8'),
    wgsl: byClass(
      { f32: (a, b) => `mod_f32(${a}, ${b})`, i32: (a, b) => `mod_i32(${a}, ${b})`, u32: (a, b) => `mod_u32(${a}, ${b})` },
      'remainder',
    ),
    js: jsArith(jsMod, jsIntMod, jsBigMod),
    chunk: chunks(
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = jsMod(a[i], b[i]);
      },
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = jsIntMod(a[i], b[i]);
      },
    ),
  },
  power: {
    name: 'power',
    arity: 2,
    resolve: arithmetic('power', 'int8'),
    // NumPy raises for any negative integer exponent; a scalar one can be checked before anything runs
    // (negative elements of an exponent array give 0, or ±1 for bases ±1: see the README).
    checkScalars: (scalars, inputs) => {
      const exponent = scalars[1];
      if (dtypeInfo(inputs[1]).kind !== 'f' && exponent !== null && typeof exponent !== 'boolean' && exponent < 0) {
        throw new ValueError('Integers to negative integer powers are not allowed.');
      }
    },
    wgsl: byClass(
      { f32: (a, b) => `pow_f32(${a}, ${b})`, i32: (a, b) => `pow_i32(${a}, ${b})`, u32: (a, b) => `pow_u32(${a}, ${b})` },
      'power',
    ),
    js: (inputs) => {
      const dtype = inputs[0];
      const info = dtypeInfo(dtype);
      if (info.kind === 'f') return (x, y) => jsPow(num(x), num(y));
      if (isBig(dtype)) {
        const bits = 64;
        return (x, y) => {
          const e = big(y);
          if (e < 0n) return big(x) === 1n ? 1n : big(x) === -1n ? (e % 2n === 0n ? 1n : -1n) : 0n;
          let result = 1n;
          let base = big(x);
          let n = e;
          while (n > 0n) {
            if (n & 1n) result = BigInt.asUintN(bits, result * base);
            base = BigInt.asUintN(bits, base * base);
            n >>= 1n;
          }
          return result;
        };
      }
      return (x, y) => jsIntPow(num(x), num(y));
    },
    chunk: chunks(
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = jsPow(a[i], b[i]);
      },
      (o, n, a, b) => {
        // Squares, the common power, inline (jsIntPow's product): V8 leaves jsIntPow's loop a call.
        for (let i = 0; i < n; i++) o[i] = b[i] === 2 ? Math.imul(a[i], a[i]) : jsIntPow(a[i], b[i]);
      },
    ),
  },
  maximum: {
    name: 'maximum',
    lanes: 'maximum',
    arity: 2,
    resolve: arithmetic('maximum', 'bool'),
    wgsl: byClass(
      {
        f32: (a, b) => `max_f32(${a}, ${b})`,
        i32: (a, b) => `max(${a}, ${b})`,
        u32: (a, b) => `max(${a}, ${b})`,
        bool: (a, b) => `${a} || ${b}`,
      },
      'maximum',
    ),
    js: jsArith(
      maxNaN,
      Math.max,
      (a, b) => (a > b ? a : b),
      (a, b) => a || b,
    ),
    chunk: chunks(
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = maxNaN(a[i], b[i]);
      },
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = Math.max(a[i], b[i]);
      },
    ),
  },
  minimum: {
    name: 'minimum',
    lanes: 'minimum',
    arity: 2,
    resolve: arithmetic('minimum', 'bool'),
    wgsl: byClass(
      {
        f32: (a, b) => `min_f32(${a}, ${b})`,
        i32: (a, b) => `min(${a}, ${b})`,
        u32: (a, b) => `min(${a}, ${b})`,
        bool: (a, b) => `${a} && ${b}`,
      },
      'minimum',
    ),
    js: jsArith(
      minNaN,
      Math.min,
      (a, b) => (a < b ? a : b),
      (a, b) => a && b,
    ),
    chunk: chunks(
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = minNaN(a[i], b[i]);
      },
      (o, n, a, b) => {
        for (let i = 0; i < n; i++) o[i] = Math.min(a[i], b[i]);
      },
    ),
  },
  negative: {
    name: 'negative',
    lanes: 'negative',
    arity: 1,
    resolve: arithmetic(
      'negative',
      'error',
      'The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.',
    ),
    wgsl: (inputs) => (inputs[0] === 'u32' ? '0u - x0' : '-x0'),
    js: (inputs) => (isBig(inputs[0]) ? (x) => -big(x) : (x) => -num(x)),
    chunk: chunks((o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = -a[i];
    }),
  },
  abs: {
    name: 'absolute',
    lanes: 'absolute',
    arity: 1,
    resolve: arithmetic('absolute', 'bool'),
    wgsl: (inputs) => ({ f32: 'abs_f32(x0)', i32: 'abs(x0)', u32: 'x0', bool: 'x0' })[inputs[0]],
    js: (inputs) =>
      isBig(inputs[0])
        ? (x) => (big(x) < 0n ? -big(x) : big(x))
        : dtypeInfo(inputs[0]).kind === 'b'
          ? (x) => Boolean(x)
          : (x) => Math.abs(num(x)),
    chunk: chunks((o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]);
    }),
  },
  sqrt: {
    name: 'sqrt',
    lanes: 'sqrt',
    arity: 1,
    resolve: unaryFloat,
    wgsl: () => 'sqrt(x0)',
    js: () => (x) => Math.sqrt(num(x)),
    chunk: chunks((o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]);
    }),
  },
  exp: {
    name: 'exp',
    arity: 1,
    resolve: unaryFloat,
    wgsl: () => 'exp_f32(x0)', // shaders/math.ts: WGSL's exp is specified loosely (lavapipe: 36 ULP at 79)
    js: () => (x) => Math.exp(num(x)),
    chunk: chunks((o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]);
    }),
  },
  log: {
    name: 'log',
    arity: 1,
    resolve: unaryFloat,
    wgsl: () => 'log_f32(x0)', // shaders/math.ts: lavapipe's log misses by thousands of ULP near 1
    js: () => (x) => Math.log(num(x)),
    chunk: chunks((o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = Math.log(a[i]);
    }),
  },
  sin: {
    name: 'sin',
    arity: 1,
    resolve: unaryFloat,
    wgsl: () => 'sin(x0)',
    js: () => (x) => Math.sin(num(x)),
    chunk: chunks((o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = Math.sin(a[i]);
    }),
  },
  cos: {
    name: 'cos',
    arity: 1,
    resolve: unaryFloat,
    wgsl: () => 'cos(x0)',
    js: () => (x) => Math.cos(num(x)),
    chunk: chunks((o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = Math.cos(a[i]);
    }),
  },
  tanh: {
    name: 'tanh',
    arity: 1,
    resolve: unaryFloat,
    wgsl: () => 'tanh_f32(x0)',
    js: () => (x) => Math.tanh(num(x)),
    chunk: chunks((o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i]);
    }),
  },
  equal: compare(
    'equal',
    '==',
    (a, b) => a === b,
    (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] === b[i] ? 1 : 0;
    },
  ),
  notEqual: compare(
    'not_equal',
    '!=',
    (a, b) => a !== b,
    (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] !== b[i] ? 1 : 0;
    },
  ),
  less: compare(
    'less',
    '<',
    (a, b) => a < b,
    (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] < b[i] ? 1 : 0;
    },
  ),
  lessEqual: compare(
    'less_equal',
    '<=',
    (a, b) => a <= b,
    (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] <= b[i] ? 1 : 0;
    },
  ),
  greater: compare(
    'greater',
    '>',
    (a, b) => a > b,
    (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] > b[i] ? 1 : 0;
    },
  ),
  greaterEqual: compare(
    'greater_equal',
    '>=',
    (a, b) => a >= b,
    (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] >= b[i] ? 1 : 0;
    },
  ),
  // Run forms on the bool loop: runs of 0 and 1.
  logicalAnd: {
    name: 'logical_and',
    lanes: 'logical_and',
    arity: 2,
    resolve: logical,
    wgsl: () => 'x0 && x1',
    js: () => (x, y) => Boolean(x) && Boolean(y),
    chunk: () => (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] !== 0 && b[i] !== 0 ? 1 : 0;
    },
  },
  logicalOr: {
    name: 'logical_or',
    lanes: 'logical_or',
    arity: 2,
    resolve: logical,
    wgsl: () => 'x0 || x1',
    js: () => (x, y) => Boolean(x) || Boolean(y),
    chunk: () => (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] !== 0 || b[i] !== 0 ? 1 : 0;
    },
  },
  logicalNot: {
    name: 'logical_not',
    lanes: 'logical_not',
    arity: 1,
    resolve: logical,
    wgsl: () => '!x0',
    js: () => (x) => !x,
    chunk: () => (o, n, a) => {
      for (let i = 0; i < n; i++) o[i] = a[i] === 0 ? 1 : 0;
    },
  },
  where: {
    name: 'where',
    lanes: 'where',
    arity: 3,
    resolve: (operands) => {
      const dtype = promoted(operands.slice(1));
      return { inputs: ['bool', dtype, dtype], result: dtype };
    },
    // Its scalars convert as C converts them: `where(c, int8, 1000)` takes -24.
    scalarAs: (value, _operand, loop) => wrappedToDType(value, loop),
    wgsl: () => 'select(x2, x1, x0)',
    js: () => (c, x, y) => (c ? x : y),
    // The condition's loop dtype is bool: its run holds 0 and 1.
    chunk: (inputs) =>
      isBig(inputs[1])
        ? null
        : (o, n, c, x, y) => {
            for (let i = 0; i < n; i++) o[i] = c[i] ? x[i] : y[i];
          },
  },
  clip: {
    name: 'clip',
    lanes: ['maximum', 'minimum'],
    arity: 3,
    resolve: arithmetic('clip', 'bool'),
    // A bound that cannot bind is dropped to the dtype's range: `clip(int8, 0, 1000)` clips below only.
    scalarAs: (value, operand, loop) => (operand === 0 ? value : clipBound(value, loop, operand === 1 ? 'lower' : 'upper')),
    // NumPy's clip is minimum(maximum(a, lo), hi), propagating NaN.
    wgsl: byClass(
      {
        f32: () => 'min_f32(max_f32(x0, x1), x2)',
        i32: () => 'min(max(x0, x1), x2)',
        u32: () => 'min(max(x0, x1), x2)',
        bool: () => '(x0 || x1) && x2',
      },
      'clip',
    ),
    js: (inputs) => {
      const dtype = inputs[0];
      if (dtypeInfo(dtype).kind === 'b') return (x, lo, hi) => (Boolean(x) || Boolean(lo)) && Boolean(hi);
      if (isBig(dtype))
        return (x, lo, hi) => {
          const m = big(x) > big(lo) ? big(x) : big(lo);
          return m < big(hi) ? m : big(hi);
        };
      return (x, lo, hi) => minNaN(maxNaN(num(x), num(lo)), num(hi));
    },
    chunk: chunks(
      (o, n, a, lo, hi) => {
        for (let i = 0; i < n; i++) o[i] = minNaN(maxNaN(a[i], lo[i]), hi[i]);
      },
      (o, n, a, lo, hi) => {
        for (let i = 0; i < n; i++) o[i] = Math.min(Math.max(a[i], lo[i]), hi[i]);
      },
    ),
  },
};

/** `x0 op x1` for operands of different compute classes (see exactComparisonLoops), exactly. */
function exactComparison(op: string, inputs: readonly ComputeClass[]): string {
  return inputs.includes('f32') ? integerFloatComparison(op, inputs) : mixedSignComparison(op, inputs);
}

/** An i32 against a u32: a negative signed value is below every unsigned one, so the answer is fixed
 * there; otherwise both compare as u32. */
function mixedSignComparison(op: string, inputs: readonly ComputeClass[]): string {
  const signedFirst = inputs[0] === 'i32';
  // With the signed operand negative: `s op u` holds for <, <= and !=; `u op s` for >, >= and !=.
  const whenNegative = (signedFirst ? ['<', '<=', '!='] : ['>', '>=', '!=']).includes(op);
  const [a, b, signed] = signedFirst ? ['bitcast<u32>(x0)', 'x1', 'x0'] : ['x0', 'bitcast<u32>(x1)', 'x1'];
  return `select(${a} ${op} ${b}, ${whenNegative}, ${signed} < 0i)`;
}

/** Which of order_*_f32's bits (x < y: 1, x == y: 2, x > y: 4) make `x op y` true. */
const ORDER_BITS: Record<string, number> = { '<': 1, '<=': 3, '==': 2, '>=': 6, '>': 4 };
const MIRRORED_OP: Record<string, string> = { '<': '>', '<=': '>=', '==': '==', '!=': '!=', '>=': '<=', '>': '<' };

/** An i32 or u32 against an f32, through math.ts's exact order_i32_f32 / order_u32_f32. */
function integerFloatComparison(op: string, inputs: readonly ComputeClass[]): string {
  const integerFirst = inputs[1] === 'f32';
  const integerClass = integerFirst ? inputs[0] : inputs[1];
  const order = integerFirst ? `order_${integerClass}_f32(x0, x1)` : `order_${integerClass}_f32(x1, x0)`;
  const asIntegerFirst = integerFirst ? op : MIRRORED_OP[op];
  // Unordered (NaN) has no bit set: only != holds then.
  return asIntegerFirst === '!=' ? `(${order} & 2u) == 0u` : `(${order} & ${ORDER_BITS[asIntegerFirst]}u) != 0u`;
}

function compare(
  name: ComparisonLaneOp,
  op: string,
  js: (a: number | bigint, b: number | bigint) => boolean,
  chunk: ChunkKernel,
): UfuncDef {
  return {
    name,
    lanes: name,
    arity: 2,
    resolve: comparison,
    wgsl: (inputs) => {
      if (inputs[0] !== inputs[1]) return exactComparison(op, inputs);
      // IEEE: every comparison with NaN is false except !=, which is true.
      if (inputs[0] === 'f32') return op === '!=' ? `is_nan(x0) || is_nan(x1) || x0 != x1` : `!is_nan(x0) && !is_nan(x1) && x0 ${op} x1`;
      if (inputs[0] === 'bool') return `select(0u, 1u, x0) ${op} select(0u, 1u, x1)`;
      return `x0 ${op} x1`;
    },
    js: (inputs) => (isBig(inputs[0]) ? (x, y) => js(big(x), big(y)) : (x, y) => js(num(x), num(y))),
    // Every loop but the 64-bit integers compares numbers (bools as 0 and 1).
    chunk: (inputs) => (isBig(inputs[0]) ? null : chunk),
  };
}
