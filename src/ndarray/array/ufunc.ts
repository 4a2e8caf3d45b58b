/**
 * Running an elementwise operation over arrays and scalars, as NumPy's ufuncs do: resolve dtypes,
 * broadcast, check or allocate `out`, stage inputs that overlap `out` (so the result is "as if the inputs
 * were copied first"), plan over merged axes, and hand the plan to the backend.
 */

import { dtypeInfo, type DType } from '../core/dtype.js';
import type { ElementwiseInput, ElementwisePlan } from '../core/elementwise-plan.js';
import { ValueError, shapeReprCompact } from '../core/errors.js';
import type { NestedArray } from '../core/host.js';
import { computeClass, type ComputeClass } from '../core/kernel-forms.js';
import { broadcastLayout, broadcastShapes, type Layout } from '../core/layout.js';
import { checkIterationSize } from '../core/limits.js';
import { aliasing } from '../core/overlap.js';
import { planItems } from '../core/plan.js';
import { integerRange, isPythonInt } from '../core/python-ints.js';
import { coerceScalar, isScalar, type Scalar } from '../core/scalars.js';
import { UFUNCS, type UfuncDef } from '../ops/ufuncs.js';
import { stagedCopy } from './assign.js';
import { requireComputable } from './capabilities.js';
import type { ArrayMemory } from './memory.js';
import { checkOperandOf, freshOperand, isArrayOperand, itemsizeOf, uploadNested, type ArrayOperand, type Operand } from './operand.js';

/** What an operation accepts as an operand: an array, a JS scalar, or nested arrays of scalars. */
export type UfuncArg = ArrayOperand | Scalar | NestedArray;

/** Where an operation writes: a new array, or the caller's `out` (any writable view). */
export interface UfuncOptions {
  out?: ArrayOperand;
}

export type UfuncName = keyof typeof UFUNCS;

const NUMPY_NAME = (dtype: DType) => `dtype('${dtype}')`;

/** NumPy's 'same_kind' casting: safe casts, or casts within a kind (bool → anything; uint → int/float). */
export function canCastSameKind(from: DType, to: DType): boolean {
  const a = dtypeInfo(from);
  const b = dtypeInfo(to);
  if (a.kind === 'b') return true;
  if (a.kind === 'f') return b.kind === 'f';
  if (a.kind === 'u') return b.kind !== 'b';
  return b.kind === 'i' || b.kind === 'f'; // signed integers never become unsigned
}

/** Runs ufunc `name` over `args`; returns the operand written (`out`, or new memory for a new array). */
export function applyUfunc(memory: ArrayMemory, name: UfuncName, args: readonly UfuncArg[], options: UfuncOptions = {}): Operand {
  const def = UFUNCS[name];
  if (!def) throw new TypeError(`unknown operation '${String(name)}'`);
  if (args.length !== def.arity)
    throw new TypeError(`${def.name}() takes ${def.arity} operand${def.arity > 1 ? 's' : ''}, got ${args.length}`);
  const exact = exactScalarComparison(name, args);
  // Run as the equivalent comparison, under the name the caller used (errors name what they called).
  if (exact) return runElementwise(memory, { ...UFUNCS[exact.name], name: def.name }, exact.args, options);
  return runElementwise(memory, def, args, options);
}

type Comparison = 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';
const MIRRORED: Record<Comparison, Comparison> = {
  equal: 'equal',
  notEqual: 'notEqual',
  less: 'greater',
  lessEqual: 'greaterEqual',
  greater: 'less',
  greaterEqual: 'lessEqual',
};

/**
 * NumPy 2 compares an integer array with a Python number exactly: with an integer its dtype cannot hold
 * (`int8 < 1000` is all true, where any other operation raises OverflowError), and with a float in
 * float64 (`int32 > 16777216.5` is true for 16777217, which a float32 loop would round away). Each such
 * comparison has the same answer as one with an integer the dtype holds (`a < 1000` as `a >= -128`,
 * true everywhere; `a > 16777216.5` as `a > 16777216`), which every backend runs in the array's own
 * dtype. Returns that comparison, or null when none is needed.
 */
function exactScalarComparison(name: string, args: readonly UfuncArg[]): { name: Comparison; args: UfuncArg[] } | null {
  if (!(name in MIRRORED)) return null;
  const scalarAt = args.findIndex((a) => typeof a === 'number' || typeof a === 'bigint');
  const array = args[1 - scalarAt];
  if (scalarAt < 0 || !isArrayOperand(array)) return null;
  const value = args[scalarAt] as number | bigint;
  const asArrayFirst = scalarAt === 0 ? MIRRORED[name as Comparison] : (name as Comparison);
  const integer = isPythonInt(value);
  // The comparison's integer loop: the resolved one for an integer; the array's own for a float.
  const loop = integer ? UFUNCS[name].resolve([array.dtype, value]).inputs[1 - scalarAt] : array.dtype;
  const range = integerRange(loop);
  if (!range) return null;
  const [op, bound] = integer ? [asArrayFirst, BigInt(value)] : integerEquivalent(asArrayFirst, value as number);
  const asScalar = (n: bigint) => (dtypeInfo(loop).itemsize === 8 ? n : Number(n));
  // Nothing lies below the dtype's minimum: `a < min` is false everywhere, `a >= min` true.
  const everywhere = (truth: boolean) => ({
    name: truth ? ('greaterEqual' as const) : ('less' as const),
    args: [array, asScalar(range[0])],
  });
  if (typeof bound === 'boolean') return everywhere(bound);
  if (bound > range[1]) return everywhere(['less', 'lessEqual', 'notEqual'].includes(op));
  if (bound < range[0]) return everywhere(['greater', 'greaterEqual', 'notEqual'].includes(op));
  return integer ? null : { name: op, args: [array, asScalar(bound)] };
}

/**
 * `x op f` for integers x and a non-integral number f, as a comparison with an integer (or as its answer
 * everywhere, a boolean): `x < 2.5` is `x <= 2`, `x >= 2.5` is `x >= 3`, `x == 2.5` is never true; NaN
 * compares unequal to everything; the infinities lie beyond every integer.
 */
function integerEquivalent(op: Comparison, f: number): [Comparison, bigint | boolean] {
  if (Number.isNaN(f)) return [op, op === 'notEqual'];
  if (!Number.isFinite(f))
    return [op, f > 0 ? ['less', 'lessEqual', 'notEqual'].includes(op) : ['greater', 'greaterEqual', 'notEqual'].includes(op)];
  const below = BigInt(Math.floor(f));
  switch (op) {
    case 'less':
    case 'lessEqual':
      return ['lessEqual', below];
    case 'greater':
    case 'greaterEqual':
      return ['greater', below];
    case 'equal':
      return [op, false];
    case 'notEqual':
      return [op, true];
  }
}

/** What an elementwise operation needs of its definition (ufuncs and user expressions alike). */
export type ElementwiseDef = Pick<UfuncDef, 'name' | 'resolve' | 'wgsl' | 'js' | 'chunk' | 'lanes' | 'checkScalars' | 'scalarAs'> & {
  helpers?: string;
  /** Helpers that depend on the inputs' compute classes (user expressions). */
  helpersFor?: (classes: readonly ComputeClass[]) => string;
  resultOverride?: DType;
  /** The WGSL is the user's (it may not compile: see ElementwisePlan.userCode). */
  userCode?: boolean;
};

/** The elementwise machinery shared by ufuncs and user expressions (`np.elementwise`), on the
 * caller's arguments: arrays are checked, nested arrays uploaded as temporaries. */
export function runElementwise(memory: ArrayMemory, def: ElementwiseDef, args: readonly UfuncArg[], options: UfuncOptions): Operand {
  memory.checkAlive();
  const releases: (() => void)[] = [];
  try {
    // Nested arrays become temporary arrays with inferred dtypes, as NumPy converts lists.
    const operands = args.map((arg): Operand | Scalar => {
      if (isArrayOperand(arg)) {
        checkOperandOf(memory, arg);
        return arg;
      }
      if (isScalar(arg)) return arg;
      if (Array.isArray(arg)) {
        return uploadNested(memory, arg as NestedArray, releases);
      }
      throw new TypeError(`${def.name}() operands must be arrays, numbers, booleans or bigints, got ${arg === null ? 'null' : typeof arg}`);
    });
    const out = options.out;
    if (out !== undefined) {
      if (!isArrayOperand(out)) throw new TypeError('return arrays must be of ArrayType'); // NumPy's words
      checkOperandOf(memory, out, 'out must belong to the same ndgpu context');
      if (!out.flags.writeable) throw new ValueError('output array is read-only');
    }
    return computeElementwise(memory, def, operands, out);
  } finally {
    for (const release of releases) release();
  }
}

/**
 * An elementwise operation over operands of this context (and scalars), into `out` or into new memory
 * (returned): dtypes resolved, shapes broadcast and checked with NumPy's messages, inputs that overlap
 * `out` staged, one plan for the backend.
 */
export function computeElementwise(
  memory: ArrayMemory,
  def: ElementwiseDef,
  operands: readonly (Operand | Scalar)[],
  out?: Operand,
): Operand {
  const releases: (() => void)[] = [];
  try {
    const isArray = (o: Operand | Scalar): o is Operand => typeof o === 'object';
    const resolution = def.resolve(operands.map((o) => (isArray(o) ? o.dtype : o)));
    const result = def.resultOverride ?? resolution.result;
    const arrays = operands.filter(isArray);
    const shape = broadcastShapes(...arrays.map((a) => a.layout.shape));
    // NumPy's message lists every operand (scalars as `()`), then `out` when it is the one that fails.
    const shapesText = operands.map((o) => shapeReprCompact(isArray(o) ? o.layout.shape : [])).join(' ');
    if (!shape) {
      const outText = out ? ` ${shapeReprCompact(out.layout.shape)}` : '';
      throw new ValueError(`operands could not be broadcast together with shapes ${shapesText}${outText} `);
    }
    checkIterationSize(shape);
    requireComputable(memory.backend, [...resolution.inputs, result], `${def.name}() would compute in`);
    // A scalar its loop dtype cannot hold raises (NumPy's OverflowError), unless the operation takes it
    // otherwise (clip, where: `scalarAs`).
    const scalars = operands.map((o, k) => {
      if (isArray(o)) return null;
      const loop = resolution.inputs[k];
      return coerceScalar(def.scalarAs ? def.scalarAs(o, k, loop) : o, loop);
    });
    def.checkScalars?.(scalars, resolution.inputs);
    if (out) checkOut(def.name, out, shape, result, shapesText);
    const target = out ?? freshOperand(memory, shape, result);
    const targetShape = target.layout.shape;
    // Inputs in the output's memory are read in place where they are exactly the output's elements or
    // disjoint from them; overlapping ones are staged first (see `aliasing`).
    const layouts: Layout[] = [];
    const sources: Operand[] = [];
    for (const o of arrays) {
      let source = o;
      let layout = broadcastLayout(o.layout, targetShape) as Layout;
      if (
        o.storage === target.storage &&
        aliasing({ layout: target.layout, itemsize: itemsizeOf(target) }, { layout, itemsize: itemsizeOf(o) }) === 'overlapping'
      ) {
        const staged = stagedCopy(o);
        releases.push(staged.release);
        source = staged.operand;
        layout = broadcastLayout(source.layout, targetShape) as Layout;
      }
      sources.push(source);
      layouts.push(layout);
    }
    const items = planItems([target.layout, ...layouts], [itemsizeOf(target), ...sources.map(itemsizeOf)]);
    if (items) {
      let next = 0;
      const inputs: ElementwiseInput[] = operands.map((o, k) => {
        const loop = resolution.inputs[k];
        if (!isArray(o)) return { kind: 'scalar', loop, value: scalars[k] as Scalar };
        const source = sources[next];
        return { kind: 'array', dtype: source.dtype, loop, operand: items.operands[1 + next++] };
      });
      const wgsl = memory.backend.capabilities.kernelForm === 'wgsl';
      const classes = resolution.inputs.map((d) => computeClass(d) ?? 'f32');
      const plan: ElementwisePlan = {
        name: def.name,
        shape: items.shape,
        count: items.count,
        dst: items.operands[0],
        inputs,
        result,
        out: target.dtype,
        wgsl: wgsl ? def.wgsl(classes, computeClass(result) ?? 'f32') : null,
        helpers: def.helpersFor ? (wgsl ? def.helpersFor(classes) : undefined) : def.helpers,
        js: def.js(resolution.inputs, result),
        chunk: def.chunk?.(resolution.inputs) ?? null,
        userCode: def.userCode,
        lanes: def.lanes ?? null,
      };
      let input = 0;
      memory.backend.elementwise(
        target.storage.buffer,
        operands.map((o) => (isArray(o) ? sources[input++].storage.buffer : null)),
        plan,
      );
    }
    return target; // a new target is released by the caller's memory.guard if this throws
  } finally {
    for (const release of releases) release();
  }
}

/** NumPy's checks of `out` against the operation's broadcast shape and result dtype. */
function checkOut(name: string, out: Operand, shape: readonly number[], result: DType, shapesText: string): void {
  const outShape = out.layout.shape;
  const combined = broadcastShapes(shape, outShape);
  if (!combined) throw new ValueError(`operands could not be broadcast together with shapes ${shapesText} ${shapeReprCompact(outShape)} `);
  if (combined.length !== outShape.length || combined.some((n, k) => n !== outShape[k])) {
    throw new ValueError(
      `non-broadcastable output operand with shape ${shapeReprCompact(outShape)} doesn't match the broadcast shape ${shapeReprCompact(combined)}`,
    );
  }
  if (!canCastSameKind(result, out.dtype)) {
    throw new TypeError(
      `Cannot cast ufunc '${name}' output from ${NUMPY_NAME(result)} to ${NUMPY_NAME(out.dtype)} with casting rule 'same_kind'`,
    );
  }
}
