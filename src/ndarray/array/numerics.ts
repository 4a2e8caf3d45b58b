/**
 * Numerical routines composed of ufuncs and reductions, step for step as NumPy composes them, so that
 * every intermediate rounds where NumPy's does: `round(decimals)`, `var`/`std`, `ptp`, `count_nonzero`,
 * `isclose` (and the reads behind `allclose`/`array_equal`). Intermediates are temporaries freed before
 * returning; a call that throws frees what it made.
 */

import { dtypeInfo } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import type { NestedArray } from '../core/host.js';
import { isScalar, type Scalar } from '../core/scalars.js';
import { UFUNCS } from '../ops/ufuncs.js';
import { copyOperand, fillScalar, moveElements, readContiguousBytes } from './assign.js';
import type { ArrayMemory } from './memory.js';
import { checkOperandOf, freshOperand, isArrayOperand, uploadNested, type ArrayOperand, type Operand } from './operand.js';
import { reduceOperand, reducedAxes, type Axis } from './reduce.js';
import { canCastSameKind, computeElementwise, type UfuncArg } from './ufunc.js';

/** Options of `ptp` and `countNonzero`. */
export interface KeepdimsOptions {
  /** Keep reduced axes as length-1 axes, so the result broadcasts against the input. */
  keepdims?: boolean;
}

/**
 * `var`, `std`, `ptp` and `countNonzero` compute into new memory and take no `out` (the API has none for
 * them): one given from untyped code is refused rather than ignored, which would leave it unwritten.
 */
function refuseOut(options: object, name: string): void {
  if ((options as { out?: unknown }).out !== undefined) {
    throw new TypeError(`${name}() takes no 'out' argument in ndgpu; copy the result into it with np.copyto(out, result)`);
  }
}

/** Options of `var` and `std`. */
export interface VarianceOptions {
  /** Keep reduced axes as length-1 axes, so the result broadcasts against the input. */
  keepdims?: boolean;
  /** Delta degrees of freedom: the sum of squares is divided by `n - ddof` (0 when negative). */
  ddof?: number;
}

/** Options of `isclose` and `allclose`: `|a - b| <= atol + rtol * |b|`. */
export interface IscloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** NaNs in the same place compare equal. */
  equalNan?: boolean;
}

/** Temporaries of one routine: freed together, except the one it returns. */
class Scratch {
  readonly #made: Operand[] = [];
  readonly #releases: (() => void)[] = [];
  constructor(readonly memory: ArrayMemory) {}
  keep<T extends Operand>(operand: T): T {
    this.#made.push(operand);
    return operand;
  }
  /** An array, a scalar, or nested arrays uploaded as a temporary (as NumPy converts lists). */
  operand(arg: UfuncArg, name: string): Operand | Scalar {
    if (isArrayOperand(arg)) {
      checkOperandOf(this.memory, arg);
      return arg;
    }
    if (isScalar(arg)) return arg;
    if (Array.isArray(arg)) {
      return uploadNested(this.memory, arg as NestedArray, this.#releases);
    }
    throw new TypeError(`${name}() operands must be arrays, numbers, booleans or bigints`);
  }
  /** Frees everything but `result`. */
  release(result?: Operand): void {
    for (const operand of this.#made) if (operand !== result) operand.storage.free();
    for (const release of this.#releases) release();
  }
}

/** Runs `body` with a scratch; frees its temporaries (all of them when `body` throws). */
function withScratch<T extends Operand>(memory: ArrayMemory, body: (scratch: Scratch) => T): T {
  const scratch = new Scratch(memory);
  let result: T | undefined;
  try {
    result = body(scratch);
    return result;
  } finally {
    scratch.release(result);
  }
}

function checkArray(memory: ArrayMemory, array: ArrayOperand, name: string): void {
  if (!isArrayOperand(array)) throw new TypeError(`${name}() takes an NDArray`);
  checkOperandOf(memory, array, 'the array belongs to another ndgpu context');
}

/**
 * NumPy's `round(a, decimals)`: floats as `rint(a * 10^d) / 10^d` (d < 0: `rint(a / 10^-d) * 10^-d`),
 * each step into the result (`out`, or new memory of a's dtype) as NumPy's `PyArray_Round` does;
 * integers unchanged for d >= 0 (a copy) and rounded half to even to multiples of 10^-d otherwise.
 */
export function roundOperand(memory: ArrayMemory, array: ArrayOperand, decimals: number, out?: ArrayOperand): Operand {
  checkArray(memory, array, 'round');
  if (!Number.isInteger(decimals)) throw new TypeError("'float' object cannot be interpreted as an integer");
  if (out !== undefined) {
    if (!isArrayOperand(out)) throw new TypeError('out must be an NDArray');
    checkOperandOf(memory, out, 'out must belong to the same ndgpu context');
    if (!out.flags.writeable) throw new ValueError('output array is read-only');
  }
  const kind = dtypeInfo(array.dtype).kind;
  if (kind === 'i' || kind === 'u') {
    // Into an `out`, NumPy takes the float path (which fails for integer outs, as below).
    if (decimals < 0 && !out) return computeElementwise(memory, UFUNCS.roundTens, [array, -decimals]);
  }
  if ((kind === 'i' || kind === 'u') && decimals >= 0) {
    if (!out) return copyOperand(array, { order: 'C' });
    if (JSON.stringify(out.layout.shape) !== JSON.stringify(array.layout.shape)) {
      throw new ValueError('round: out must have the shape of the array');
    }
    if (!canCastSameKind(array.dtype, out.dtype)) {
      throw new TypeError(`Cannot cast array data from dtype('${array.dtype}') to dtype('${out.dtype}') according to the rule 'same_kind'`);
    }
    moveElements(out, array);
    return out;
  }
  if (decimals === 0) return computeElementwise(memory, UFUNCS.rint, [array], out);
  const [first, second] = decimals > 0 ? [UFUNCS.multiply, UFUNCS.divide] : [UFUNCS.divide, UFUNCS.multiply];
  const factor = 10 ** Math.abs(decimals);
  // NumPy's factor is a Python float: bools and integers step into a float dtype, which the result
  // (of a's dtype, or out's) must hold.
  const stepped = first.resolve([array.dtype, 1.5]).result;
  const targetDType = out?.dtype ?? array.dtype;
  if (!canCastSameKind(stepped, targetDType)) {
    throw new TypeError(
      `Cannot cast ufunc '${first.name}' output from dtype('${stepped}') to dtype('${targetDType}') with casting rule 'same_kind'`,
    );
  }
  // NumPy writes every step into the result, whose dtype is a's (or out's).
  return withScratch(memory, (scratch) => {
    const target = out ?? scratch.keep(freshOperand(memory, array.layout.shape, array.dtype));
    computeElementwise(memory, first, [array, factor], target);
    computeElementwise(memory, UFUNCS.rint, [target], target);
    computeElementwise(memory, second, [target, factor], target);
    return target;
  });
}

/**
 * NumPy's `_var`: the mean (kept as length-1 axes; integers' exact mean, float arrays' sum divided in
 * their own dtype), the squared deviations in the deviations' dtype, their sum, divided by
 * `max(n - ddof, 0)`; `std` takes the square root in place. Integers and bools compute in float32
 * (NumPy: float64; see the README's 32-bit rule).
 */
export function varianceOperand(memory: ArrayMemory, array: ArrayOperand, axis: Axis, options: VarianceOptions, root: boolean): Operand {
  const name = root ? 'std' : 'var';
  checkArray(memory, array, name);
  refuseOut(options, name);
  const ddof = options.ddof ?? 0;
  if (typeof ddof !== 'number' || Number.isNaN(ddof)) throw new TypeError(`${name}(): ddof must be a number`);
  const shape = array.layout.shape;
  const axes = reducedAxes(axis, shape.length, false);
  const count = axes.reduce((p, k) => p * shape[k], 1);
  const float = dtypeInfo(array.dtype).kind === 'f';
  return withScratch(memory, (scratch) => {
    let mean: Operand;
    if (float) {
      mean = scratch.keep(reduceOperand(memory, 'sum', array, axes, true));
      computeElementwise(memory, UFUNCS.divide, [mean, count], mean);
    } else {
      mean = scratch.keep(reduceOperand(memory, 'mean', array, axes, true));
    }
    const deviations = scratch.keep(computeElementwise(memory, UFUNCS.subtract, [array, mean]));
    computeElementwise(memory, UFUNCS.multiply, [deviations, deviations], deviations);
    const result = scratch.keep(reduceOperand(memory, 'sum', deviations, axes, options.keepdims ?? false));
    computeElementwise(memory, UFUNCS.divide, [result, Math.max(count - ddof, 0)], result);
    if (root) computeElementwise(memory, UFUNCS.sqrt, [result], result);
    return result;
  });
}

/** NumPy's `ptp`: `max - min` along the axes, in the array's dtype (integers wrap; bools raise). */
export function ptpOperand(memory: ArrayMemory, array: ArrayOperand, axis: Axis, options: KeepdimsOptions = {}): Operand {
  checkArray(memory, array, 'ptp');
  refuseOut(options, 'ptp');
  UFUNCS.subtract.resolve([array.dtype, array.dtype]); // NumPy's TypeError for bools, before any work
  const axes = reducedAxes(axis, array.layout.shape.length, false);
  return withScratch(memory, (scratch) => {
    const high = scratch.keep(reduceOperand(memory, 'max', array, axes, options.keepdims ?? false));
    const low = scratch.keep(reduceOperand(memory, 'min', array, axes, options.keepdims ?? false));
    computeElementwise(memory, UFUNCS.subtract, [high, low], high);
    return high;
  });
}

/** NumPy's `count_nonzero` along the axes (all by default): int32 counts (NumPy: intp). */
export function countNonzeroOperand(memory: ArrayMemory, array: ArrayOperand, axis: Axis, options: KeepdimsOptions = {}): Operand {
  checkArray(memory, array, 'count_nonzero');
  refuseOut(options, 'countNonzero');
  const axes = reducedAxes(axis, array.layout.shape.length, false);
  return withScratch(memory, (scratch) => {
    const truth = array.dtype === 'bool' ? array : scratch.keep(copyOperand(array, { order: 'C', dtype: 'bool' }));
    return scratch.keep(reduceOperand(memory, 'sum', truth, axes, options.keepdims ?? false));
  });
}

/**
 * NumPy 2's `isclose`, operation by operation: y made inexact (`result_type(y, 1.0)`), then
 * `(|x - y| <= atol + rtol * |y|) & isfinite(y) | (x == y)`, and with `equalNan` `| isnan(x) & isnan(y)`.
 * The tolerances are weak scalars, so float32 operands compare in float32, as in NumPy. A JS number y is
 * Python's float(y): the bound is computed in float64 and integer x subtracts it in float32.
 */
export function iscloseOperand(memory: ArrayMemory, a: UfuncArg, b: UfuncArg, options: IscloseOptions = {}): Operand {
  memory.checkAlive();
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  if (typeof rtol !== 'number' || typeof atol !== 'number') throw new TypeError('isclose(): rtol and atol must be numbers');
  const equalNan = options.equalNan ?? false;
  return withScratch(memory, (scratch) => {
    const x = scratch.operand(a, 'isclose');
    const y = scratch.operand(b, 'isclose');
    const run = (name: string, args: (Operand | Scalar)[], out?: Operand) =>
      out ? computeElementwise(memory, UFUNCS[name], args, out) : scratch.keep(computeElementwise(memory, UFUNCS[name], args));
    if (typeof y !== 'object') {
      const value = Number(y);
      const isX = typeof x === 'object';
      if (!isX) {
        // Two scalars: NumPy's answer, computed here, as a 0-d array.
        const answer =
          (Math.abs(Number(x) - value) <= atol + rtol * Math.abs(value) && Number.isFinite(value)) ||
          Number(x) === value ||
          (equalNan && Number.isNaN(Number(x)) && Number.isNaN(value));
        const result = scratch.keep(freshOperand(memory, [], 'bool'));
        fillScalar(result, answer);
        return result;
      }
      const result = run('equal', [x, value]);
      if (Number.isFinite(value)) {
        const inexact = dtypeInfo(x.dtype).kind === 'f' ? x : scratch.keep(copyOperand(x, { order: 'C', dtype: 'float32' }));
        const difference = run('subtract', [inexact, value]);
        run('abs', [difference], difference);
        const close = run('lessEqual', [difference, atol + rtol * Math.abs(value)]);
        run('logicalOr', [result, close], result);
      } else if (equalNan && Number.isNaN(value)) {
        const nanX = run('isnan', [x]);
        run('logicalOr', [result, nanX], result);
      }
      return result;
    }
    const inexactDType = UFUNCS.divide.resolve([y.dtype, 1.5]).result;
    const yf = inexactDType === y.dtype ? y : scratch.keep(copyOperand(y, { order: 'C', dtype: inexactDType }));
    const difference = run('subtract', [x, yf]);
    run('abs', [difference], difference);
    const bound = run('abs', [yf]);
    run('multiply', [rtol, bound], bound);
    run('add', [atol, bound], bound);
    const result = run('lessEqual', [difference, bound]);
    const finite = run('isfinite', [yf]);
    run('logicalAnd', [result, finite], result);
    const equal = run('equal', [x, yf]);
    run('logicalOr', [result, equal], result);
    if (equalNan) {
      const nanX = run('isnan', [x]);
      const nanY = run('isnan', [yf]);
      run('logicalAnd', [nanX, nanY], nanX);
      run('logicalOr', [result, nanX], result);
    }
    return result;
  });
}

/** Whether every element of a bool operand is true (an empty one: true), read from the device; the
 * operand is freed once read. */
export function allTrue(memory: ArrayMemory, truth: Operand): Promise<boolean> {
  let all: Operand;
  try {
    all = reduceOperand(memory, 'all', truth, [...truth.layout.shape.keys()], false);
  } finally {
    truth.storage.free();
  }
  return readContiguousBytes(all).then(
    (bytes) => {
      all.storage.free();
      return bytes[0] !== 0;
    },
    (error: unknown) => {
      all.storage.free();
      throw error;
    },
  );
}

/** NumPy's `array_equal`: same shape and equal everywhere (NaN never equals NaN). The elementwise
 * equality to reduce, or the answer itself where no array is needed. */
export function arrayEqualTruth(memory: ArrayMemory, a: UfuncArg, b: UfuncArg): Operand | boolean {
  memory.checkAlive();
  const scratch = new Scratch(memory);
  try {
    const x = scratch.operand(a, 'array_equal');
    const y = scratch.operand(b, 'array_equal');
    if (typeof x !== 'object' && typeof y !== 'object') return x === y || Number(x) === Number(y);
    const shapeOf = (o: Operand | Scalar) => (typeof o === 'object' ? o.layout.shape : []);
    if (JSON.stringify(shapeOf(x)) !== JSON.stringify(shapeOf(y))) return false;
    return computeElementwise(memory, UFUNCS.equal, [x, y]);
  } finally {
    scratch.release();
  }
}
