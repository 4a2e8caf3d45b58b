/**
 * Running an elementwise operation over arrays and scalars, as NumPy's ufuncs do: resolve dtypes,
 * broadcast, check or allocate `out`, stage inputs that overlap `out` (so the result is "as if the inputs
 * were copied first"), plan over merged axes, and hand the plan to the backend.
 */

import { stagedCopy, type Operand } from './assign.js';
import { dtypeInfo, type DType } from '../core/dtype.js';
import type { Engine } from './memory.js';
import { ValueError, shapeReprCompact } from '../core/errors.js';
import { nestedToHost, type NestedArray } from '../core/host.js';
import { broadcastLayout, broadcastShapes, freshLayout, sizeOf, type Layout } from '../core/layout.js';
import type { MapInput, MapPlan } from '../core/elementwise-plan.js';
import { NDArray } from './ndarray.js';
import { planItems } from '../core/plan.js';
import { integerRange, isPythonInt } from '../core/python-ints.js';
import { coerceScalar, isScalar, type Scalar } from '../core/scalars.js';
import { UFUNCS, computeClass, type ComputeClass, type UfuncDef } from '../ops/ufuncs.js';

/** What an operation accepts as an operand: an array, a JS scalar, or nested arrays of scalars. */
export type UfuncArg = NDArray | Scalar | NestedArray;

export type { OpOptions as UfuncOptions } from './ndarray.js';
import type { OpOptions as UfuncOptions } from './ndarray.js';

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

export function applyUfunc(engine: Engine, name: keyof typeof UFUNCS, args: readonly UfuncArg[], options: UfuncOptions = {}): NDArray {
  const def = UFUNCS[name];
  if (!def) throw new TypeError(`unknown operation '${String(name)}'`);
  if (args.length !== def.arity) throw new TypeError(`${def.name}() takes ${def.arity} operand${def.arity > 1 ? 's' : ''}, got ${args.length}`);
  const exact = exactScalarComparison(name, args);
  // Run as the equivalent comparison, under the name the caller used (errors name what they called).
  if (exact) return runElementwise(engine, { ...UFUNCS[exact.name], name: def.name }, exact.args, options);
  return runElementwise(engine, def, args, options);
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
  if (scalarAt < 0 || !(array instanceof NDArray)) return null;
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
  const everywhere = (truth: boolean) => ({ name: truth ? ('greaterEqual' as const) : ('less' as const), args: [array, asScalar(range[0])] });
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
  if (!Number.isFinite(f)) return [op, f > 0 ? ['less', 'lessEqual', 'notEqual'].includes(op) : ['greater', 'greaterEqual', 'notEqual'].includes(op)];
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

/** The elementwise machinery shared by ufuncs and user expressions (`np.elementwise`). */
export function runElementwise(
  engine: Engine,
  def: Pick<UfuncDef, 'name' | 'resolve' | 'wgsl' | 'js' | 'chunk' | 'checkScalars' | 'scalarAs'> & {
    helpers?: string;
    /** Helpers that depend on the inputs' compute classes (user expressions). */
    helpersFor?: (classes: readonly ComputeClass[]) => string;
    resultOverride?: DType;
  },
  args: readonly UfuncArg[],
  options: UfuncOptions,
): NDArray {
  engine.checkAlive();
  const temporaries: NDArray[] = [];
  const releases: (() => void)[] = [];
  let allocated: NDArray | null = null;
  try {
    // Nested arrays become (temporary) arrays with inferred dtypes, as NumPy converts lists.
    const operands = args.map((arg): NDArray | Scalar => {
      if (arg instanceof NDArray) {
        arg.checkUsable();
        if (arg.engine !== engine) throw new ValueError('all operands must belong to the same ndgpu context');
        return arg;
      }
      if (isScalar(arg)) return arg;
      if (Array.isArray(arg)) {
        const host = nestedToHost(arg as NestedArray);
        const array = hostArray(engine, host.shape, host.dtype, host.bytes);
        temporaries.push(array);
        return array;
      }
      throw new TypeError(`${def.name}() operands must be arrays, numbers, booleans or bigints, got ${arg === null ? 'null' : typeof arg}`);
    });
    const resolution = def.resolve(operands.map((o) => (o instanceof NDArray ? o.dtype : o)));
    const result = def.resultOverride ?? resolution.result;
    const arrays = operands.filter((o): o is NDArray => o instanceof NDArray);
    const shape = broadcastShapes(...arrays.map((a) => a.shape));
    // NumPy's message lists every operand (scalars as `()`), then `out` when it is the one that fails.
    const shapesText = operands.map((o) => shapeReprCompact(o instanceof NDArray ? o.shape : [])).join(' ');
    if (!shape) throw new ValueError(`operands could not be broadcast together with shapes ${shapesText} `);
    if (engine.backend.kind === 'webgpu') {
      for (const dtype of [...resolution.inputs, result]) {
        if (!computeClass(dtype)) {
          throw new TypeError(
            `${def.name}() would compute in ${dtype}, which WebGPU cannot (WGSL has no 64-bit types): cast the operands to 32-bit dtypes with astype(), or use the CPU backend`,
          );
        }
      }
    }
    // A scalar its loop dtype cannot hold raises (NumPy's OverflowError), unless the operation takes it
    // otherwise (clip, where: `scalarAs`).
    const scalars = operands.map((o, k) => {
      if (o instanceof NDArray) return null;
      const loop = resolution.inputs[k];
      return coerceScalar(def.scalarAs ? def.scalarAs(o, k, loop) : o, loop);
    });
    def.checkScalars?.(scalars, resolution.inputs);
    const out = prepareOut(engine, def.name, options.out, shape, result, shapesText);
    if (options.out === undefined) allocated = out.array;
    const target = out.array;
    const targetShape = target.shape;
    // Inputs sharing the output's memory are read in place only where each element is read by the
    // invocation that writes it (the very same layout); anything else is staged first.
    const layouts: Layout[] = [];
    const sources: Operand[] = [];
    operands.forEach((o) => {
      if (!(o instanceof NDArray)) return;
      let source: Operand = o;
      let layout = broadcastLayout(o.layout, targetShape) as Layout;
      if (o.storage === target.storage && !sameLayout(layout, target.layout)) {
        const staged = stagedCopy(o);
        releases.push(staged.release);
        source = staged.operand;
        layout = broadcastLayout(source.layout, targetShape) as Layout;
      }
      sources.push(source);
      layouts.push(layout);
    });
    const itemsizes = [target.itemsize, ...sources.map((s) => dtypeInfo(s.dtype).itemsize)];
    const items = planItems([target.layout, ...layouts], itemsizes);
    if (items) {
      let next = 1;
      const inputs: MapInput[] = operands.map((o, k) => {
        const loop = resolution.inputs[k];
        if (!(o instanceof NDArray)) return { kind: 'scalar', loop, value: scalars[k] as Scalar };
        const source = sources[next - 1];
        return { kind: 'array', dtype: source.dtype, loop, operand: items.operands[next++] };
      });
      const classes = resolution.inputs.map((d) => computeClass(d) ?? 'f32');
      const plan: MapPlan = {
        name: def.name,
        shape: items.shape,
        count: items.count,
        dst: items.operands[0],
        inputs,
        result,
        out: target.dtype,
        wgsl: engine.backend.kind === 'webgpu' ? def.wgsl(classes, computeClass(result) ?? 'f32') : null,
        helpers: def.helpersFor ? def.helpersFor(classes) : def.helpers,
        js: def.js(resolution.inputs, result),
        chunk: def.chunk?.(resolution.inputs) ?? null,
      };
      let buffer = 0;
      engine.backend.map(
        target.storage.buffer,
        operands.map((o) => (o instanceof NDArray ? sources[buffer++].storage.buffer : null)),
        plan,
      );
    }
    return out.array;
  } catch (error) {
    allocated?.dispose(); // nothing half-made stays behind
    throw error;
  } finally {
    for (const release of releases) release();
    for (const t of temporaries) t.dispose();
  }
}

function sameLayout(a: Layout, b: Layout): boolean {
  return a.offset === b.offset && a.shape.every((n, k) => n === b.shape[k] && (n === 1 || a.strides[k] === b.strides[k]));
}

/** The output: the caller's `out` (checked like NumPy) or a new C-contiguous array. */
function prepareOut(
  engine: Engine,
  name: string,
  out: NDArray | undefined,
  shape: readonly number[],
  result: DType,
  shapesText: string,
): { array: NDArray } {
  if (out === undefined) {
    const itemsize = dtypeInfo(result).itemsize;
    const storage = engine.allocate(sizeOf(shape) * itemsize);
    return { array: new NDArray({ engine, storage, layout: freshLayout(shape, itemsize), dtype: result, owner: null, writeable: true }) };
  }
  if (!(out instanceof NDArray)) throw new TypeError('out must be an NDArray');
  out.checkUsable();
  if (out.engine !== engine) throw new ValueError('out must belong to the same ndgpu context');
  if (!out.flags.writeable) throw new ValueError('output array is read-only');
  const combined = broadcastShapes(shape, out.shape);
  if (!combined) throw new ValueError(`operands could not be broadcast together with shapes ${shapesText} ${shapeReprCompact(out.shape)} `);
  if (combined.length !== out.ndim || combined.some((n, k) => n !== out.shape[k])) {
    throw new ValueError(`non-broadcastable output operand with shape ${shapeReprCompact(out.shape)} doesn't match the broadcast shape ${shapeReprCompact(combined)}`);
  }
  if (!canCastSameKind(result, out.dtype)) {
    throw new TypeError(`Cannot cast ufunc '${name}' output from ${NUMPY_NAME(result)} to ${NUMPY_NAME(out.dtype)} with casting rule 'same_kind'`);
  }
  return { array: out };
}

function hostArray(engine: Engine, shape: readonly number[], dtype: DType, bytes: Uint8Array): NDArray {
  const itemsize = dtypeInfo(dtype).itemsize;
  const storage = engine.allocate(sizeOf(shape) * itemsize);
  if (bytes.byteLength > 0) engine.backend.write(storage.buffer, 0, bytes);
  return new NDArray({ engine, storage, layout: freshLayout(shape, itemsize), dtype, owner: null, writeable: true });
}
