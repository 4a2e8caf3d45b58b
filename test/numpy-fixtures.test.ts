/**
 * Replays NumPy 2.4's views, copies and assignments (test/fixtures/numpy-views.json, written by
 * scripts/gen-numpy-fixtures.py) on every backend: each case is a small program over named arrays whose
 * steps map one-to-one onto ndgpu calls; afterwards every named array's dtype, shape, strides, offset,
 * flags, base and values must match, or the last step must throw NumPy's error class and message.
 * Where ndgpu documents a difference from NumPy, the generator already wrote ndgpu's expectation.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AxisError,
  IndexError,
  OverflowError,
  ValueError,
  slice,
  type AssignableValue,
  type Context,
  type CopyOrder,
  type DType,
  type IndexItem,
  type NDArray,
  type NestedArray,
  type ReshapeOrder,
  type Scalar,
} from '../src/index.js';
import { forEachBackend } from './backends.js';
import { decodeScalar } from './fixture-values.js';

// ------------------------------------------------------------------------------------------------
// The fixture format (see the generator's docstring)

type Encoded = number | boolean | string | null | Encoded[];

interface ArraySpec {
  dtype: DType;
  shape: number[];
  values: Encoded[];
}

interface ArrayExpect {
  dtype: DType;
  shape: number[];
  strides: number[];
  offset: number;
  values: Encoded;
  c: boolean;
  f: boolean;
  owndata: boolean;
  writeable: boolean;
  base: string | null;
}

type EncodedIndexItem = number | null | '...' | { slice: [number | null, number | null, number | null] };

type ValueSpec = { scalar: Encoded } | { list: Encoded } | { array: string };

interface Step {
  op: string;
  src?: string;
  out?: string;
  index?: string;
  indexItems?: EncodedIndexItem[];
  value?: ValueSpec | boolean;
  shape?: number[];
  order?: string;
  axes?: number[];
  axis?: number | number[];
  axis1?: number;
  axis2?: number;
  dtype?: string;
  a?: string;
  b?: string;
}

interface ErrorExpect {
  type: 'IndexError' | 'ValueError' | 'AxisError' | 'OverflowError' | 'TypeError';
  message?: string;
  /** For ndgpu's own errors (documented differences): a fragment of the message. */
  contains?: string;
}

interface FixtureCase {
  id: string;
  family: string;
  desc: string;
  arrays: Record<string, ArraySpec>;
  steps: Step[];
  expect: Record<string, ArrayExpect>;
  result?: boolean;
  error?: ErrorExpect;
}

interface Fixtures {
  numpy: string;
  counts: Record<string, number>;
  cases: FixtureCase[];
}

const fixtures = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/numpy-views.json', import.meta.url)), 'utf8')) as Fixtures;

/**
 * Cases left out of the run, with the reason: ndgpu is known to differ and the fix is not small. Keys are
 * case ids, or `backend:id` for one backend only. Keep this list empty when possible; every entry is a bug.
 */
const knownFailures: ReadonlyMap<string, string> = new Map<string, string>([]);

// ------------------------------------------------------------------------------------------------
// Decoding

function decodeItem(v: Encoded): Scalar {
  if (v === null || Array.isArray(v)) throw new Error(`unexpected encoded scalar ${JSON.stringify(v)}`);
  return decodeScalar(v);
}

function decodeNested(v: Encoded): NestedArray {
  return Array.isArray(v) ? v.map(decodeNested) : decodeItem(v);
}

function decodeIndexItems(items: EncodedIndexItem[]): IndexItem[] {
  return items.map((item): IndexItem => {
    if (item === null || item === '...' || typeof item === 'number') return item;
    const [start, stop, step] = item.slice;
    return slice(start, stop, step);
  });
}

const errorClasses: Record<ErrorExpect['type'], new (message: string) => Error> = {
  IndexError,
  ValueError,
  AxisError,
  OverflowError,
  TypeError,
};

// ------------------------------------------------------------------------------------------------
// The interpreter: one step, one ndgpu call

type Registers = Map<string, NDArray>;

function reg(regs: Registers, name: string | undefined): NDArray {
  const a = name === undefined ? undefined : regs.get(name);
  if (!a) throw new Error(`fixture refers to unknown array '${name}'`);
  return a;
}

function valueOf(regs: Registers, spec: ValueSpec): AssignableValue {
  if ('scalar' in spec) return decodeItem(spec.scalar);
  if ('list' in spec) return decodeNested(spec.list);
  return reg(regs, spec.array);
}

/** Runs one step; returns the boolean answer of sharesMemory/maySharesMemory. */
function runStep(np: Context, regs: Registers, step: Step): boolean | undefined {
  const src = () => reg(regs, step.src);
  let out: NDArray | undefined;
  switch (step.op) {
    case 'get':
      out = src().get(step.indexItems ? decodeIndexItems(step.indexItems) : (step.index as string));
      break;
    case 'set':
      src().set(step.index as string, valueOf(regs, step.value as ValueSpec));
      break;
    case 'fill':
      src().fill(valueOf(regs, step.value as ValueSpec) as Scalar);
      break;
    case 'reshape':
      out = step.order === undefined ? src().reshape(step.shape!) : src().reshape(step.shape!, { order: step.order as ReshapeOrder });
      break;
    case 'transpose':
      out = step.axes === undefined ? src().transpose() : src().transpose(step.axes);
      break;
    case 'T':
      out = src().T;
      break;
    case 'swapaxes':
      out = src().swapaxes(step.axis1!, step.axis2!);
      break;
    case 'squeeze':
      out = src().squeeze(step.axis);
      break;
    case 'expandDims':
      out = src().expandDims(step.axis!);
      break;
    case 'flip':
      out = src().flip(step.axis);
      break;
    case 'ravel':
      out = step.order === undefined ? src().ravel() : src().ravel(step.order as CopyOrder);
      break;
    case 'flatten':
      out = step.order === undefined ? src().flatten() : src().flatten(step.order as CopyOrder);
      break;
    case 'copy':
      out = step.order === undefined ? src().copy() : src().copy(step.order as CopyOrder);
      break;
    case 'astype':
      out = src().astype(step.dtype as DType);
      break;
    case 'view':
      out = step.dtype === undefined ? src().view() : src().view(step.dtype as DType);
      break;
    case 'broadcastTo':
      out = np.broadcastTo(src(), step.shape!);
      break;
    case 'setWriteable':
      src().flags.writeable = step.value as boolean;
      break;
    case 'sharesMemory':
      return np.sharesMemory(reg(regs, step.a), reg(regs, step.b));
    case 'maySharesMemory':
      return np.maySharesMemory(reg(regs, step.a), reg(regs, step.b));
    default:
      throw new Error(`unknown fixture op '${step.op}'`);
  }
  if (step.out !== undefined) {
    if (!out) throw new Error(`op '${step.op}' gave no array`);
    regs.set(step.out, out);
  }
  return undefined;
}

function expectThrows(fn: () => unknown, error: ErrorExpect): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) {
    expect.fail(`expected ${error.type}: ${error.message ?? error.contains}, but nothing was thrown`);
  }
  const e = thrown as Error;
  expect(`${e.name}: ${e.message}`).toBe(`${error.type}: ${error.message ?? e.message}`);
  expect(e).toBeInstanceOf(errorClasses[error.type]);
  if (error.contains !== undefined) expect(e.message).toContain(error.contains);
}

async function checkArray(regs: Registers, name: string, want: ArrayExpect): Promise<void> {
  const a = reg(regs, name);
  const flags = a.flags;
  expect(
    {
      dtype: a.dtype,
      shape: [...a.shape],
      strides: [...a.strides],
      offset: a.offset,
      c: flags.cContiguous,
      f: flags.fContiguous,
      owndata: flags.owndata,
      writeable: flags.writeable,
    },
    `layout and flags of '${name}'`,
  ).toEqual({
    dtype: want.dtype,
    shape: want.shape,
    strides: want.strides,
    offset: want.offset,
    c: want.c,
    f: want.f,
    owndata: want.owndata,
    writeable: want.writeable,
  });
  const base = want.base === null ? null : reg(regs, want.base);
  expect(a.base === base, `'${name}'.base should be ${want.base ?? 'null'}`).toBe(true);
  // toEqual compares numbers with Object.is semantics for -0 and treats NaN as equal to NaN; float32
  // items read back as the exact float32 value, which is what NumPy's tolist() wrote.
  expect(await a.toArray(), `values of '${name}'`).toEqual(decodeNested(want.values));
}

async function runCase(np: Context, c: FixtureCase): Promise<void> {
  const regs: Registers = new Map();
  try {
    for (const [name, spec] of Object.entries(c.arrays)) {
      regs.set(name, np.array(spec.values.map(decodeNested), { dtype: spec.dtype, shape: spec.shape }));
    }
    let result: boolean | undefined;
    c.steps.forEach((step, i) => {
      if (c.error && i === c.steps.length - 1) expectThrows(() => runStep(np, regs, step), c.error);
      else result = runStep(np, regs, step);
    });
    if (c.result !== undefined) expect(result, 'sharesMemory / maySharesMemory answer').toBe(c.result);
    for (const [name, want] of Object.entries(c.expect)) await checkArray(regs, name, want);
  } finally {
    for (const a of regs.values()) a.dispose();
  }
}

// ------------------------------------------------------------------------------------------------

describe('NumPy fixtures', () => {
  it('were generated by NumPy 2.x and cover every family', () => {
    expect(fixtures.numpy.startsWith('2.')).toBe(true);
    for (const family of ['index', 'reshape', 'axes', 'ravel', 'copy', 'view', 'broadcast', 'set', 'astype', 'shares', 'large']) {
      expect(fixtures.counts[family], family).toBeGreaterThan(20);
    }
    expect(fixtures.cases.length).toBeGreaterThan(2000);
  });
});

const families = [...new Set(fixtures.cases.map((c) => c.family))];

forEachBackend((backend, get) => {
  for (const family of families) {
    describe(family, () => {
      for (const c of fixtures.cases) {
        if (c.family !== family) continue;
        const title = `${c.id} ${c.desc}`;
        const known = knownFailures.get(`${backend}:${c.id}`) ?? knownFailures.get(c.id);
        if (known !== undefined) {
          it.skip(`${title} [known failure: ${known}]`, () => {});
          continue;
        }
        it(title, () => runCase(get(), c));
      }
    });
  }
});
