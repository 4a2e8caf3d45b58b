/**
 * Advanced indexing and its routines against NumPy 2 on every backend (test/fixtures/indexing.json, made
 * by scripts/gen-indexing-fixtures.py): `get` and `set` with integer and boolean index arrays, alone and
 * mixed with integers, slices, newaxis and ellipsis, over every dtype, views as targets and as index
 * arrays, repeated indices, empty selections and NumPy's errors; take, put, nonzero, flatnonzero,
 * argwhere, compress, extract, putmask, copyto, cumsum and cumprod.
 *
 * Every get/set case is replayed three ways: index arrays as nested JS arrays, the index as a string in
 * NumPy's syntax, and index arrays as NDArrays (integer ones then live on the device: an out-of-range
 * index is an IndexError at the next read, and nothing is written; boolean ones make the get a
 * Promise). Values must be NumPy's bit for bit (NaN equals NaN, the sign of zero counts), except float
 * scans longer than one chunk (`approx`, see src/ndarray/core/scan-plan.ts).
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  IndexError,
  OverflowError,
  ValueError,
  slice,
  type AnyIndexItem,
  type Context,
  type DType,
  type NDArray,
  type NestedArray,
} from '../src/index.js';
import { forEachBackend, type BackendName } from './backends.js';
import { decodeScalar, type EncodedScalar } from './fixture-values.js';

type ViewOp = ['get', string] | ['T'] | ['transpose', number[]] | ['flip', number] | ['broadcastTo', number[]];
interface Encoded {
  dtype: DType;
  shape: number[];
  values: EncodedScalar[];
}
type ErrorSpec = { type: 'IndexError' | 'ValueError' | 'TypeError' | 'OverflowError'; message: string };
type ListItem = { list: unknown; dtype?: DType; array?: string; ops?: ViewOp[] };
type ItemSpec = number | null | '...' | { slice: [number | null, number | null, number | null] } | { bool: boolean } | ListItem;
type Operand = { ref: string; ops: ViewOp[] } | { scalar: EncodedScalar } | { nested: unknown } | ListItem;

interface Case {
  title: string;
  arrays: Record<string, Encoded>;
  target?: { ref: string; ops: ViewOp[] };
  op?: 'get' | 'set';
  index?: ItemSpec[];
  string?: string;
  value?: Operand;
  routine?: string;
  args?: Operand[];
  options?: Record<string, unknown>;
  expect?: Encoded | Encoded[];
  after?: Record<string, EncodedScalar[]>;
  error?: ErrorSpec;
  gpu64?: boolean;
  /** Float scans longer than a chunk: `ordered` is ndgpu's defined order (bit for bit), `expect` NumPy's
   * (within `tolerance`, absolute). */
  approx?: boolean;
  ordered?: Encoded;
  tolerance?: number;
}

const fixtures = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/indexing.json', import.meta.url)), 'utf8')) as {
  numpy: string;
  cases: Case[];
};

const ERRORS = { IndexError, ValueError, TypeError, OverflowError } as const;

type Variant = 'list' | 'string' | 'device';

// ------------------------------------------------------------------------------------------------
// Building a case's arrays, views and index

function makeArrays(np: Context, c: Case): Map<string, NDArray> {
  const arrays = new Map<string, NDArray>();
  for (const [name, spec] of Object.entries(c.arrays)) {
    const values = spec.values.map((v) => decodeScalar(v, spec.dtype));
    const flat = np.array(values as NestedArray, { dtype: spec.dtype });
    if (spec.shape.length === 1) arrays.set(name, flat);
    else {
      arrays.set(name, flat.reshape(spec.shape));
      flat.dispose();
    }
  }
  return arrays;
}

/** Views made by the ops, every intermediate one noted in `made` (to dispose). */
const made: NDArray[] = [];

function view(np: Context, a: NDArray, ops: readonly ViewOp[], writeable = false): NDArray {
  let v = a;
  for (const op of ops) {
    if (v !== a) made.push(v);
    if (op[0] === 'get') v = v.get(op[1]);
    else if (op[0] === 'T') v = v.T;
    else if (op[0] === 'transpose') v = v.transpose(op[1]);
    else if (op[0] === 'flip') v = v.flip(op[1]);
    else {
      v = np.broadcastTo(v, op[1]);
      if (writeable) v.flags.writeable = true;
    }
  }
  return v;
}

function indexArray(np: Context, arrays: Map<string, NDArray>, item: ListItem): NDArray {
  if (item.array !== undefined) return view(np, arrays.get(item.array)!, item.ops ?? []);
  const list = item.list as NestedArray;
  const isBool = JSON.stringify(list).match(/true|false/) && !/\d/.test(JSON.stringify(list));
  return np.array(list, { dtype: item.dtype ?? (isBool ? 'bool' : 'int32') });
}

function items(np: Context, arrays: Map<string, NDArray>, specs: readonly ItemSpec[], variant: Variant): AnyIndexItem[] {
  return specs.map((s): AnyIndexItem => {
    if (s === null || s === '...' || typeof s === 'number') return s;
    if ('slice' in s) return slice(s.slice[0], s.slice[1], s.slice[2]);
    if ('bool' in s) return s.bool;
    if (variant === 'device') return indexArray(np, arrays, s);
    // A 0-d list (a scalar index array) has no nested-array spelling: it stays an NDArray.
    return Array.isArray(s.list) ? (s.list as AnyIndexItem) : indexArray(np, arrays, s);
  });
}

function operand(np: Context, arrays: Map<string, NDArray>, spec: Operand, variant: Variant): unknown {
  if ('ref' in spec) return view(np, arrays.get(spec.ref)!, spec.ops);
  if ('scalar' in spec) return decodeScalar(spec.scalar);
  if ('nested' in spec) return decodeNested(spec.nested);
  if (variant === 'device' || !Array.isArray(spec.list)) return indexArray(np, arrays, spec);
  return spec.list;
}

function decodeNested(value: unknown): unknown {
  return Array.isArray(value) ? value.map(decodeNested) : decodeScalar(value as EncodedScalar);
}

// ------------------------------------------------------------------------------------------------
// Comparing

function flat(value: NestedArray): unknown[] {
  return Array.isArray(value) ? (value as NestedArray[]).flatMap(flat) : [value];
}

function same(got: unknown, want: EncodedScalar, dtype: DType, tolerance = 0): boolean {
  const w = decodeScalar(want);
  if (dtype === 'bool') return got === w;
  if (typeof got === 'bigint') return got === BigInt(w as number);
  if (typeof got !== 'number' || typeof w !== 'number') return false;
  if (Number.isNaN(w)) return Number.isNaN(got);
  if (tolerance > 0) return Math.abs(got - w) <= tolerance;
  return Object.is(got, w);
}

async function checkArray(got: NDArray, want: Encoded, label: string, tolerance = 0): Promise<string | null> {
  if (got.dtype !== want.dtype) return `${label}: dtype ${got.dtype}, want ${want.dtype}`;
  if (JSON.stringify(got.shape) !== JSON.stringify(want.shape)) return `${label}: shape [${got.shape}], want [${want.shape}]`;
  if (got.base !== null || !got.flags.owndata) return `${label}: not a copy that owns its memory`;
  const values = flat(await got.toArray());
  for (let i = 0; i < want.values.length; i++) {
    if (!same(values[i], want.values[i], want.dtype, tolerance))
      return `${label}[${i}]: ${String(values[i])}, want ${String(want.values[i])}`;
  }
  return null;
}

async function checkAfter(arrays: Map<string, NDArray>, c: Case, label: string): Promise<string | null> {
  const after = c.after ?? Object.fromEntries(Object.entries(c.arrays).map(([k, v]) => [k, v.values]));
  for (const [name, values] of Object.entries(after)) {
    const got = flat(await arrays.get(name)!.toArray());
    const dtype = c.arrays[name].dtype;
    for (let i = 0; i < values.length; i++) {
      if (!same(got[i], values[i], dtype)) return `${label}: ${name}[${i}] is ${String(got[i])}, want ${String(values[i])}`;
    }
  }
  return null;
}

function errorMismatch(error: unknown, want: ErrorSpec, label: string): string | null {
  if (!(error instanceof ERRORS[want.type])) return `${label}: threw ${String(error)}, want ${want.type}: ${want.message}`;
  if ((error as Error).message !== want.message) return `${label}: message '${(error as Error).message}', want '${want.message}'`;
  return null;
}

// ------------------------------------------------------------------------------------------------
// Running a case

/** Runs one variant of a case; resolves to what differs from NumPy, or null. Errors surface at the call
 * or at the next read (indices on the device), never later. */
async function run(np: Context, backend: BackendName, c: Case, variant: Variant): Promise<string | null> {
  const label = `${c.title} [${variant}]`;
  const arrays = makeArrays(np, c);
  made.push(...arrays.values());
  try {
    let result: unknown;
    try {
      result = execute(np, c, arrays, variant);
      if (result instanceof Promise) result = await result;
      if (Array.isArray(result)) made.push(...(result as NDArray[]));
      else if (result) made.push(result as NDArray);
      // Device checks surface at the next read or sync.
      await np.sync();
    } catch (error) {
      if (!c.error && !(c.gpu64 && backend === 'webgpu')) return `${label}: threw ${(error as Error).stack}`;
      const want = c.error ?? { type: 'TypeError', message: (error as Error).message };
      if (c.gpu64 && backend === 'webgpu') {
        return error instanceof TypeError && /64-bit/.test(error.message) ? null : `${label}: ${String(error)}`;
      }
      return errorMismatch(error, want, label) ?? (await checkAfter(arrays, c, `${label} (after the error)`));
    }
    if (c.gpu64 && backend === 'webgpu') return `${label}: computed in 64 bits on WebGPU`;
    if (c.error) return `${label}: no error, want ${c.error.type}: ${c.error.message}`;
    if (Array.isArray(c.expect)) {
      const list = result as NDArray[];
      if (list.length !== c.expect.length) return `${label}: ${list.length} arrays, want ${c.expect.length}`;
      for (let k = 0; k < list.length; k++) {
        const problem = await checkArray(list[k], c.expect[k], `${label} #${k}`);
        if (problem) return problem;
      }
      return null;
    }
    if (c.expect) {
      if (c.ordered) {
        const exact = await checkArray(result as NDArray, c.ordered, `${label} (ndgpu's order)`);
        if (exact) return exact;
        return await checkArray(result as NDArray, c.expect, `${label} (NumPy's, within ${c.tolerance})`, c.tolerance);
      }
      return await checkArray(result as NDArray, c.expect, label);
    }
    return await checkAfter(arrays, c, label);
  } finally {
    for (const a of made.splice(0)) a.dispose();
  }
}

function execute(np: Context, c: Case, arrays: Map<string, NDArray>, variant: Variant): unknown {
  const keep = <T>(x: T): T => {
    if (x && typeof x === 'object' && 'dispose' in x) made.push(x as unknown as NDArray);
    return x;
  };
  if (c.op) {
    const target = keep(view(np, arrays.get(c.target!.ref)!, c.target!.ops, c.op === 'set'));
    const index = variant === 'string' ? c.string! : items(np, arrays, c.index!, variant);
    if (Array.isArray(index)) index.forEach((i) => keep(i));
    if (c.op === 'get') return target.get(index);
    const value = keep(operand(np, arrays, c.value!, variant));
    target.set(index, value as never);
    return undefined;
  }
  const args = c.args!.map((a) => keep(operand(np, arrays, a, variant)));
  const o = c.options ?? {};
  const fn = (np as unknown as Record<string, (...a: unknown[]) => unknown>)[c.routine!].bind(np);
  switch (c.routine) {
    case 'take':
    case 'compress':
    case 'cumsum':
    case 'cumprod':
      return fn(...args, o);
    case 'copyto':
      return fn(args[0], args[1], o.where === undefined ? {} : { where: o.where });
    default:
      return fn(...args);
  }
}

function variantsOf(c: Case): Variant[] {
  const v: Variant[] = ['list'];
  if (c.string !== undefined) v.push('string');
  const hasList =
    (c.index ?? []).some((i) => i !== null && typeof i === 'object' && 'list' in i) || (c.args ?? []).some((a) => 'list' in a);
  if (hasList) v.push('device');
  return v;
}

forEachBackend((backend, get) => {
  describe(`advanced indexing against NumPy ${fixtures.numpy}`, () => {
    for (const kind of ['get', 'set', 'routines'] as const) {
      const cases = fixtures.cases.filter((c) => (kind === 'routines' ? c.routine !== undefined : c.op === kind));
      it(`${kind}: ${cases.length} cases, each as lists, strings and NDArrays`, async () => {
        const np = get();
        const before = np.memory().buffers;
        const failures: string[] = [];
        // One case at a time: an error on the device surfaces at the context's next read, whichever case
        // reads.
        for (const c of cases) {
          for (const variant of variantsOf(c)) {
            const buffers = np.memory().buffers;
            const problem = await run(np, backend, c, variant);
            if (problem) failures.push(problem);
            else if (np.memory().buffers !== buffers)
              failures.push(`${c.title} [${variant}]: leaked ${np.memory().buffers - buffers} buffers`);
          }
        }
        expect(failures.slice(0, 12)).toEqual([]);
        await np.sync();
        expect(np.memory().buffers).toBe(before);
      });
    }
  });
});
