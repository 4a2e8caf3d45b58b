/**
 * Bitwise and logical ufuncs: bitwise_and, bitwise_or, bitwise_xor, invert (bitwise_not), left_shift,
 * right_shift, logical_xor. Integers and bools only (floats are NumPy's TypeError), exact everywhere:
 * 8- and 16-bit dtypes compute in 32-bit words whose low bits are the dtype's, and the result wraps back.
 * Shift counts outside [0, bits) follow NumPy: everything shifts out (0, or -1 for a right shift of a
 * negative number), also for negative counts.
 */

import { dtypeInfo, type DType } from '../core/dtype.js';
import type { Scalar } from '../core/scalars.js';
import type { ChunkKernel, ComputeClass, JsKernel } from '../core/kernel-forms.js';
import { big, byClass, isBig, logical, num, promoted, type Resolution, type UfuncDef } from './ufunc-kit.js';

const unsupported = (name: string) =>
  new TypeError(
    `ufunc '${name}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''`,
  );

/** Integers and bools: the promoted dtype (bools stay bool, or become `boolAs`); floats raise. */
function integerOnly(name: string, boolAs: DType) {
  return (operands: readonly (DType | Scalar)[]): Resolution => {
    let dtype = promoted(operands);
    if (dtypeInfo(dtype).kind === 'f') throw unsupported(name);
    if (dtype === 'bool') dtype = boolAs;
    return { inputs: operands.map(() => dtype), result: dtype };
  };
}

/** A binary bitwise operation on every integer loop and on bools. */
function bitwise(
  name: 'bitwise_and' | 'bitwise_or' | 'bitwise_xor',
  op: '&' | '|' | '^',
  boolWgsl: string,
  ints: (a: number, b: number) => number,
  bigs: (a: bigint, b: bigint) => bigint,
  bools: (a: boolean, b: boolean) => boolean,
  chunk: ChunkKernel,
): UfuncDef {
  return {
    name,
    lanes: name,
    arity: 2,
    resolve: integerOnly(name, 'bool'),
    wgsl: (inputs) => (inputs[0] === 'bool' ? boolWgsl : `x0 ${op} x1`),
    js: (inputs): JsKernel => {
      const info = dtypeInfo(inputs[0]);
      if (info.kind === 'b') return (x, y) => bools(Boolean(x), Boolean(y));
      if (isBig(inputs[0])) return (x, y) => bigs(big(x), big(y));
      // JS bitwise operators give int32: uint32 results are made unsigned again.
      return info.kind === 'u' && info.itemsize === 4 ? (x, y) => ints(num(x), num(y)) >>> 0 : (x, y) => ints(num(x), num(y));
    },
    // Runs of bools hold 0 and 1, which these operators combine as bools; stores wrap int32 results.
    chunk: (inputs) => (isBig(inputs[0]) ? null : chunk),
  };
}

const SHIFT: Record<'left' | 'right', Partial<Record<ComputeClass, (a: string, b: string) => string>>> = {
  left: { i32: (a, b) => `shl_i32(${a}, ${b})`, u32: (a, b) => `shl_u32(${a}, ${b})` },
  right: { i32: (a, b) => `shr_i32(${a}, ${b})`, u32: (a, b) => `shr_u32(${a}, ${b})` },
};

function shiftLeft(a: number, b: number): number {
  return b < 0 || b >= 32 ? 0 : a << b;
}
function shiftRight(a: number, b: number, unsigned: boolean): number {
  if (unsigned) return b >= 32 ? 0 : a >>> b;
  return a >> (b < 0 || b >= 32 ? 31 : b);
}

function shift(name: string, direction: 'left' | 'right'): UfuncDef {
  return {
    name,
    arity: 2,
    resolve: integerOnly(name, 'int8'),
    wgsl: byClass(SHIFT[direction], name),
    js: (inputs): JsKernel => {
      const info = dtypeInfo(inputs[0]);
      const unsigned = info.kind === 'u';
      if (isBig(inputs[0])) {
        const wrap = (x: bigint) => (unsigned ? BigInt.asUintN(64, x) : BigInt.asIntN(64, x));
        return direction === 'left'
          ? (x, y) => (big(y) < 0n || big(y) >= 64n ? 0n : wrap(big(x) << big(y)))
          : (x, y) => (big(y) < 0n || big(y) >= 64n ? (big(x) < 0n ? -1n : 0n) : big(x) >> big(y));
      }
      if (direction === 'left')
        return unsigned && info.itemsize === 4 ? (x, y) => shiftLeft(num(x), num(y)) >>> 0 : (x, y) => shiftLeft(num(x), num(y));
      return (x, y) => shiftRight(num(x), num(y), unsigned);
    },
    // The same helpers over runs (8- to 32-bit loops; stores wrap the 32-bit words into narrower dtypes).
    chunk: (inputs) => {
      if (isBig(inputs[0])) return null;
      const info = dtypeInfo(inputs[0]);
      if (direction === 'left') return info.kind === 'u' && info.itemsize === 4 ? SHIFT_LEFT_UINT32 : SHIFT_LEFT;
      return info.kind === 'u' ? SHIFT_RIGHT_UNSIGNED : SHIFT_RIGHT_SIGNED;
    },
  };
}

const SHIFT_LEFT: ChunkKernel = (o, n, a, b) => {
  for (let i = 0; i < n; i++) o[i] = shiftLeft(a[i], b[i]);
};
const SHIFT_LEFT_UINT32: ChunkKernel = (o, n, a, b) => {
  for (let i = 0; i < n; i++) o[i] = shiftLeft(a[i], b[i]) >>> 0;
};
const SHIFT_RIGHT_SIGNED: ChunkKernel = (o, n, a, b) => {
  for (let i = 0; i < n; i++) o[i] = shiftRight(a[i], b[i], false);
};
const SHIFT_RIGHT_UNSIGNED: ChunkKernel = (o, n, a, b) => {
  for (let i = 0; i < n; i++) o[i] = shiftRight(a[i], b[i], true);
};

export const BITWISE_UFUNCS: Record<string, UfuncDef> = {
  bitwiseAnd: bitwise(
    'bitwise_and',
    '&',
    'x0 && x1',
    (a, b) => a & b,
    (a, b) => a & b,
    (a, b) => a && b,
    (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] & b[i];
    },
  ),
  bitwiseOr: bitwise(
    'bitwise_or',
    '|',
    'x0 || x1',
    (a, b) => a | b,
    (a, b) => a | b,
    (a, b) => a || b,
    (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] | b[i];
    },
  ),
  bitwiseXor: bitwise(
    'bitwise_xor',
    '^',
    'x0 != x1',
    (a, b) => a ^ b,
    (a, b) => a ^ b,
    (a, b) => a !== b,
    (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = a[i] ^ b[i];
    },
  ),
  invert: {
    name: 'invert',
    lanes: 'invert',
    arity: 1,
    resolve: integerOnly('invert', 'bool'),
    wgsl: (inputs) => (inputs[0] === 'bool' ? '!x0' : '~x0'),
    js: (inputs): JsKernel => {
      const info = dtypeInfo(inputs[0]);
      if (info.kind === 'b') return (x) => !x;
      if (isBig(inputs[0])) return info.kind === 'u' ? (x) => BigInt.asUintN(64, ~big(x)) : (x) => ~big(x);
      return info.kind === 'u' && info.itemsize === 4 ? (x) => ~num(x) >>> 0 : (x) => ~num(x);
    },
    chunk: (inputs) => {
      if (isBig(inputs[0])) return null;
      if (inputs[0] === 'bool')
        return (o, n, a) => {
          for (let i = 0; i < n; i++) o[i] = a[i] === 0 ? 1 : 0;
        };
      return (o, n, a) => {
        for (let i = 0; i < n; i++) o[i] = ~a[i];
      };
    },
  },
  leftShift: shift('left_shift', 'left'),
  rightShift: shift('right_shift', 'right'),
  logicalXor: {
    name: 'logical_xor',
    lanes: 'logical_xor',
    arity: 2,
    resolve: logical,
    wgsl: () => 'x0 != x1',
    js: () => (x, y) => Boolean(x) !== Boolean(y),
    chunk: () => (o, n, a, b) => {
      for (let i = 0; i < n; i++) o[i] = (a[i] !== 0) !== (b[i] !== 0) ? 1 : 0;
    },
  },
};
