/**
 * Joining, splitting and rearranging against NumPy 2.4 on every backend (test/fixtures/joining.json, made
 * by scripts/gen-joining-fixtures.py): every routine over dtypes, views as inputs (transposed, reversed,
 * broadcast, read-only), empty and 0-d arrays, `out` (overlapping the inputs included) and NumPy's errors.
 * Each result's dtype, shape, strides, offset, flags, base (or identity with an argument) and values must
 * be NumPy's, with ndgpu's documented differences already written into the fixtures by the generator.
 * A family's cases run in one test: all are queued, then read together.
 *
 * Below the fixtures: a K-way concatenate is one submission on WebGPU, errors leave `out` untouched, and
 * the large-buffer window paths (`init({ maxBindingSize })`) of the copies within one buffer that pad
 * records.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AxisError,
  IndexError,
  OverflowError,
  ValueError,
  init,
  type Context,
  type DType,
  type NDArray,
  type NestedArray,
  type Scalar,
} from '../src/index.js';
import type { WebGpuBackend } from '../src/device/webgpu/webgpu-backend.js';
import { forEachBackend, testedWebGpuVariants } from './backends.js';
import { decodeScalar, type EncodedScalar } from './fixture-values.js';

// ------------------------------------------------------------------------------------------------
// The fixture format (see the generator's docstring)

type Encoded = EncodedScalar | null | Encoded[] | { $: string } | { [key: string]: Encoded };

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
  same: string | null;
}

type ViewOp = ['T'] | ['get', string] | ['transpose', number[]] | ['broadcastTo', number[]] | ['readonly'];

interface FixtureCase {
  id: string;
  family: string;
  desc: string;
  arrays: Record<string, { dtype: DType; shape: number[]; values: EncodedScalar[] }>;
  views: { name: string; src: string; ops: ViewOp[] }[];
  call: { fn: string; args: Encoded[]; options: Record<string, Encoded> };
  expect?: { list: boolean; arrays: ArrayExpect[] };
  after?: Record<string, Encoded>;
  error?: { type: 'AxisError' | 'ValueError' | 'IndexError' | 'TypeError' | 'OverflowError'; message?: string; contains?: string };
}

const fixtures = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/joining.json', import.meta.url)), 'utf8')) as {
  numpy: string;
  counts: Record<string, number>;
  cases: FixtureCase[];
};

const ERRORS = { AxisError, ValueError, IndexError, TypeError, OverflowError } as const;

// ------------------------------------------------------------------------------------------------
// Replaying a case

function decodeNested(v: Encoded, dtype: DType): NestedArray {
  if (Array.isArray(v)) return v.map((x) => decodeNested(x, dtype));
  return decodeScalar(v as EncodedScalar, dtype);
}

/** JSON arguments with `{ $: name }` as the named arrays; other objects (options) decoded likewise. */
function decodeArg(v: Encoded, named: Map<string, NDArray>): unknown {
  if (Array.isArray(v)) return v.map((x) => decodeArg(x, named));
  if (v !== null && typeof v === 'object') {
    if ('$' in v) return named.get(v.$ as string);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeArg(x, named)]));
  }
  if (typeof v === 'string' && ['nan', 'inf', '-inf', '-0'].includes(v)) return decodeScalar(v);
  return v;
}

function applyView(np: Context, a: NDArray, op: ViewOp): NDArray {
  switch (op[0]) {
    case 'T':
      return a.T;
    case 'get':
      return a.get(op[1]);
    case 'transpose':
      return a.transpose(op[1]);
    case 'broadcastTo':
      return np.broadcastTo(a, op[1]);
    case 'readonly': {
      const v = a.view();
      v.flags.writeable = false;
      return v;
    }
  }
}

type Result = NDArray | NDArray[];

/** One ndgpu call per fixture `fn` (NumPy's name). */
function call(np: Context, fn: string, args: unknown[], options: Record<string, unknown>): Result {
  const a = args as [NDArray, ...unknown[]];
  const opt = (keys: string[]) => Object.fromEntries(Object.entries(options).filter(([k]) => keys.includes(k)));
  switch (fn) {
    case 'concatenate':
      return np.concatenate(args[0] as NDArray[], options);
    case 'stack':
      return np.stack(args[0] as NDArray[], options);
    case 'vstack':
      return np.vstack(args[0] as NDArray[], options);
    case 'hstack':
      return np.hstack(args[0] as NDArray[], options);
    case 'dstack':
      return np.dstack(args[0] as NDArray[]);
    case 'column_stack':
      return np.columnStack(args[0] as NDArray[]);
    case 'split':
      return np.split(a[0], a[1] as number, opt(['axis']));
    case 'array_split':
      return np.arraySplit(a[0], a[1] as number, opt(['axis']));
    case 'hsplit':
      return np.hsplit(a[0], a[1] as number);
    case 'vsplit':
      return np.vsplit(a[0], a[1] as number);
    case 'dsplit':
      return np.dsplit(a[0], a[1] as number);
    case 'moveaxis':
      return np.moveaxis(a[0], a[1] as number, a[2] as number);
    case 'rollaxis':
      return np.rollaxis(a[0], a[1] as number, a[2] as number | undefined);
    case 'broadcast_arrays':
      return np.broadcastArrays(...(args as NDArray[]));
    case 'atleast_1d':
      return np.atleast1d(a[0]);
    case 'atleast_2d':
      return np.atleast2d(a[0]);
    case 'atleast_3d':
      return np.atleast3d(a[0]);
    case 'diagonal':
      return a[0].diagonal(...(args.slice(1) as number[]));
    case 'fliplr':
      return np.fliplr(a[0]);
    case 'flipud':
      return np.flipud(a[0]);
    case 'rot90':
      return np.rot90(a[0], a[1] as number, a[2] as number[]);
    case 'sliding_window_view':
      return np.slidingWindowView(a[0], a[1] as number, options);
    case 'as_strided':
      return np.asStrided(a[0], (a[1] ?? undefined) as number[], (a[2] ?? undefined) as number[], options);
    case 'tile':
      return np.tile(a[0], a[1] as number);
    case 'repeat':
      return np.repeat(a[0], a[1] as number, options);
    case 'repeat_method':
      return a[0].repeat(a[1] as number, options);
    case 'roll':
      return np.roll(a[0], a[1] as number, options);
    case 'pad':
      return np.pad(a[0], a[1] as number, options);
    case 'ascontiguousarray':
      return np.ascontiguousarray(a[0]);
    case 'asfortranarray':
      return np.asfortranarray(a[0]);
  }
  throw new Error(`unknown fixture function ${fn}`);
}

function errorMismatch(thrown: unknown, want: NonNullable<FixtureCase['error']>): string | null {
  if (thrown === undefined) return `did not throw (want ${want.type}: ${want.message ?? want.contains})`;
  const e = thrown as Error;
  if (!(e instanceof ERRORS[want.type]) || e.name !== want.type) return `threw ${e.name}: ${e.message}; want ${want.type}`;
  if (want.message !== undefined && e.message !== want.message)
    return `message ${JSON.stringify(e.message)}, want ${JSON.stringify(want.message)}`;
  if (want.contains !== undefined && !e.message.includes(want.contains))
    return `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(want.contains)}`;
  return null;
}

/** Runs one case; its reads are pushed to `reads`, its failures to `fail`. Everything it made is
 * disposed when it returns (queued reads complete). */
function runCase(np: Context, c: FixtureCase, reads: Promise<void>[], fail: (why: string) => void): void {
  np.tidy(() => {
    const named = new Map<string, NDArray>();
    for (const [name, spec] of Object.entries(c.arrays)) {
      named.set(name, np.array(decodeNested(spec.values, spec.dtype) as Scalar[], { dtype: spec.dtype, shape: spec.shape }));
    }
    for (const v of c.views)
      named.set(
        v.name,
        v.ops.reduce((a, op) => applyView(np, a, op), named.get(v.src)!),
      );
    const args = c.call.args.map((x) => decodeArg(x, named));
    const options = decodeArg(c.call.options, named) as Record<string, unknown>;
    let result: Result | undefined;
    let thrown: unknown;
    try {
      result = call(np, c.call.fn, args, options);
    } catch (e) {
      thrown = e;
    }
    if (c.error) {
      const why = errorMismatch(thrown, c.error);
      if (why) fail(why);
    } else if (thrown !== undefined) {
      fail(`threw ${(thrown as Error).name}: ${(thrown as Error).message}`);
      return;
    } else {
      const want = c.expect!;
      if (want.list !== Array.isArray(result)) fail(`result is ${Array.isArray(result) ? '' : 'not '}a list`);
      const got = Array.isArray(result) ? result : [result as NDArray];
      if (got.length !== want.arrays.length) fail(`${got.length} results, want ${want.arrays.length}`);
      want.arrays.forEach((w, k) => {
        const r = got[k];
        if (!r) return;
        const label = want.list ? `result ${k}` : 'result';
        if (w.same !== null && r !== named.get(w.same)) fail(`${label} is not the argument ${w.same} itself`);
        if (w.same === null && [...named.values()].includes(r)) fail(`${label} is an argument itself; want a new array`);
        const flags = r.flags;
        const meta = {
          dtype: r.dtype,
          shape: [...r.shape],
          strides: [...r.strides],
          offset: r.offset,
          c: flags.cContiguous,
          f: flags.fContiguous,
          owndata: flags.owndata,
          writeable: flags.writeable,
        };
        const wantMeta = {
          dtype: w.dtype,
          shape: w.shape,
          strides: w.strides,
          offset: w.offset,
          c: w.c,
          f: w.f,
          owndata: w.owndata,
          writeable: w.writeable,
        };
        if (JSON.stringify(meta) !== JSON.stringify(wantMeta)) fail(`${label}: ${JSON.stringify(meta)}, want ${JSON.stringify(wantMeta)}`);
        const base = w.base === null ? null : named.get(w.base);
        if (r.base !== base) fail(`${label}.base is not ${w.base ?? 'null'}`);
        const values = decodeNested(w.values, w.dtype);
        reads.push(
          r.toArray().then((v) => {
            if (!sameValues(v, values)) fail(`${label} values ${show(v)}, want ${show(values)}`);
          }),
        );
      });
    }
    for (const [name, values] of Object.entries(c.after ?? {})) {
      const a = named.get(name)!;
      const want = decodeNested(values, a.dtype);
      reads.push(
        a.toArray().then((v) => {
          if (!sameValues(v, want)) fail(`${name} afterwards ${show(v)}, want ${show(want)}`);
        }),
      );
    }
  });
}

function sameValues(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValues(x, b[i]));
  }
  return Object.is(a, b);
}

const show = (v: unknown) =>
  JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? '-0' : x));

// ------------------------------------------------------------------------------------------------

describe('joining fixtures', () => {
  it('were generated by NumPy 2.x and cover every routine', () => {
    expect(fixtures.numpy.startsWith('2.')).toBe(true);
    const fns = new Set(fixtures.cases.map((c) => c.call.fn));
    for (const fn of [
      'concatenate',
      'stack',
      'vstack',
      'hstack',
      'dstack',
      'column_stack',
      'split',
      'array_split',
      'hsplit',
      'vsplit',
      'dsplit',
      'tile',
      'repeat',
      'roll',
      'pad',
      'moveaxis',
      'rollaxis',
      'broadcast_arrays',
      'atleast_1d',
      'atleast_2d',
      'atleast_3d',
      'diagonal',
      'fliplr',
      'flipud',
      'rot90',
      'sliding_window_view',
      'as_strided',
      'ascontiguousarray',
      'asfortranarray',
    ]) {
      expect(fns.has(fn), fn).toBe(true);
    }
  });
});

const families = [...new Set(fixtures.cases.map((c) => c.family))];

forEachBackend((backend, get) => {
  describe(`NumPy ${fixtures.numpy}`, () => {
    for (const family of families) {
      const cases = fixtures.cases.filter((c) => c.family === family);
      it(`${family}: ${cases.length} cases`, async () => {
        const np = get();
        const before = np.memory().buffers;
        const failures: string[] = [];
        const reads: Promise<void>[] = [];
        for (const c of cases) runCase(np, c, reads, (why) => failures.push(`${c.id} ${c.desc}: ${why}`));
        await Promise.all(reads);
        expect(failures.slice(0, 10), `${failures.length} failing ${family} cases on ${backend}`).toEqual([]);
        expect(np.memory().buffers, 'buffers left behind').toBe(before);
      });
    }
  });
});

// ------------------------------------------------------------------------------------------------
// Beyond the fixtures

forEachBackend((backend, get) => {
  describe('joining: errors write nothing', () => {
    it('a failing concatenate into out leaves out untouched (NumPy writes the inputs before the bad one)', async () => {
      const np = get();
      np.tidy(() => {
        const out = np.zeros([3, 2], { dtype: 'int32' });
        const a = np.ones([1, 2], { dtype: 'int32' });
        const b = np.ones([2, 2], { dtype: 'float32' });
        expect(() => np.concatenate([a, b], { out })).toThrow(
          new TypeError("Cannot cast array data from dtype('float32') to dtype('int32') according to the rule 'same_kind'"),
        );
        return out.toArray().then((v) =>
          expect(v).toEqual([
            [0, 0],
            [0, 0],
            [0, 0],
          ]),
        );
      });
      await np.sync();
    });

    it('pad checks every constant before it allocates, and a failing call leaks nothing', () => {
      const np = get();
      const a = np.arange(6, { dtype: 'uint8' }).reshape(2, 3);
      const before = np.memory().buffers;
      expect(() =>
        np.pad(a, 1, {
          constantValues: [
            [0, 1],
            [2, 256],
          ],
        }),
      ).toThrow(new OverflowError('Python integer 256 out of bounds for uint8'));
      expect(() => np.tile(a, [2, -1])).toThrow(ValueError);
      expect(() => np.repeat(a, [1, 2], { axis: 1 })).toThrow(ValueError);
      expect(() => np.roll(a, [1, 2, 3], { axis: [0, 1] })).toThrow(ValueError);
      expect(() => np.stack([a, a.T])).toThrow(new ValueError('all input arrays must have the same shape'));
      expect(np.memory().buffers).toBe(before);
      a.dispose();
    });
  });

  describe('joining: results and their memory', () => {
    it('copies own their memory and views keep NumPy base; identity where NumPy returns the input', () => {
      const np = get();
      np.tidy(() => {
        const m = np.arange(12).reshape(3, 4);
        const owner = m.base;
        for (const copy of [np.concatenate([m, m]), np.stack([m, m]), np.tile(m, 2), np.repeat(m, 2), np.roll(m, 1), np.pad(m, 1)]) {
          expect(copy.base).toBe(null);
          expect(copy.flags.owndata).toBe(true);
        }
        for (const view of [
          ...np.split(m, 2, { axis: 1 }),
          np.moveaxis(m, 0, 1),
          m.T.diagonal(),
          np.rot90(m),
          np.slidingWindowView(m, [2, 2]),
        ]) {
          expect(view.base).toBe(owner);
        }
        expect(np.ascontiguousarray(m)).toBe(m);
        expect(np.atleast2d(m)).toBe(m);
        expect(np.atleast1d(m, m)).toEqual([m, m]);
        const [x, y] = np.broadcastArrays(m, np.arange(4));
        expect(x).toBe(m);
        expect(y.flags.writeable).toBe(false);
        expect(() => y.set('0, 0', 1)).toThrow(new ValueError('assignment destination is read-only'));
        expect(() => m.diagonal().fill(0)).toThrow(new ValueError('assignment destination is read-only'));
      });
    });

    it('nested arrays and scalars join as NumPy converts lists (with ndgpu default dtypes)', async () => {
      const np = get();
      const r = np.hstack([[1, 2], 3, np.array([4.5])]);
      expect(r.dtype).toBe('float32');
      expect(await r.toArray()).toEqual([1, 2, 3, 4.5]);
      const s = np.stack([1, 2, 3]);
      expect([s.dtype, s.shape]).toEqual(['int32', [3]]);
      r.dispose();
      s.dispose();
    });
  });
});

/** Counts what a WebGPU context records and submits, by wrapping its device's methods. */
function countCommands(np: Context): { submits: number; commands: number; pipelines: number; restore(): void } {
  const device = (np.backendImpl as WebGpuBackend).device;
  const counts = { submits: 0, commands: 0, pipelines: 0, restore: () => {} };
  const queue = device.queue as GPUQueue & { submit: GPUQueue['submit'] };
  const submit = queue.submit;
  const createCommandEncoder = device.createCommandEncoder;
  const createComputePipeline = device.createComputePipeline;
  queue.submit = function (this: GPUQueue, buffers: Iterable<GPUCommandBuffer>) {
    counts.submits++;
    return submit.call(this, buffers);
  };
  device.createComputePipeline = function (this: GPUDevice, descriptor: GPUComputePipelineDescriptor) {
    counts.pipelines++;
    return createComputePipeline.call(this, descriptor);
  };
  device.createCommandEncoder = function (this: GPUDevice, descriptor?: GPUCommandEncoderDescriptor) {
    const encoder = createCommandEncoder.call(this, descriptor);
    const copy = encoder.copyBufferToBuffer.bind(encoder) as (...args: unknown[]) => void;
    const beginComputePass = encoder.beginComputePass.bind(encoder);
    (encoder as { copyBufferToBuffer: unknown }).copyBufferToBuffer = (...args: unknown[]) => {
      counts.commands++;
      copy(...args);
    };
    encoder.beginComputePass = (d?: GPUComputePassDescriptor) => {
      const pass = beginComputePass(d);
      const dispatch = pass.dispatchWorkgroups.bind(pass);
      pass.dispatchWorkgroups = (x: number, y?: number, z?: number) => {
        counts.commands++;
        dispatch(x, y, z);
      };
      return pass;
    };
    return encoder;
  };
  counts.restore = () => {
    queue.submit = submit;
    device.createCommandEncoder = createCommandEncoder;
    device.createComputePipeline = createComputePipeline;
  };
  return counts;
}

for (const [name, options] of testedWebGpuVariants()) {
  describe(`joining on ${name}: one batch, no new pipelines`, () => {
    let np: Context;
    beforeAll(async () => {
      np = await init(options);
    });
    afterAll(() => np?.dispose());

    it('a K-way concatenate is K copies in one submission, with the pipelines of the first', async () => {
      for (const axis of [0, 1]) {
        // Another shape and input count, with rows of the same alignment (pipelines depend on the unit
        // a copy moves, never on shapes or counts).
        const warm = np.tidy(() => np.concatenate([np.ones([5, 12]), np.ones([5, 12]), np.ones([5, 12])], { axis }));
        await np.sync();
        warm.dispose();
        const inputs = Array.from({ length: 8 }, (_, k) => np.full([16, 24], k, { dtype: 'float32' }));
        await np.sync();
        const counts = countCommands(np);
        try {
          const result = np.concatenate(inputs, { axis });
          await np.sync();
          expect({ submits: counts.submits, commands: counts.commands, pipelines: counts.pipelines }, `axis ${axis}`).toEqual({
            submits: 1,
            commands: 8,
            pipelines: 0,
          });
          const values = (await result.data()) as Float32Array;
          expect(values[axis === 0 ? 16 * 24 * 7 : 24 * 7]).toBe(7);
          result.dispose();
        } finally {
          counts.restore();
          for (const a of inputs) a.dispose();
        }
      }
    });
  });

  describe(`joining on ${name} through binding windows`, () => {
    let np: Context;
    let cpu: Context;
    beforeAll(async () => {
      np = await init({ ...options, maxBindingSize: 4096 });
      cpu = await init({ backend: 'cpu' });
    });
    afterAll(() => {
      np?.dispose();
      cpu?.dispose();
    });

    it('pad, roll, tile, repeat and concatenate of arrays several windows long equal the CPU backend', async () => {
      const run = (ctx: Context) =>
        ctx.tidy(() => {
          const a = ctx.arange(37 * 61, { dtype: 'int32' }).reshape(37, 61);
          const b = ctx.arange(3000, { dtype: 'uint8' });
          const results: NDArray[] = [
            ctx.pad(
              a,
              [
                [40, 3],
                [2, 70],
              ],
              { mode: 'reflect' },
            ),
            ctx.pad(a.T, 33, { mode: 'wrap' }),
            ctx.pad(b, [1500, 900], { mode: 'symmetric' }),
            ctx.pad(
              a,
              [
                [2, 50],
                [1, 1],
              ],
              { mode: 'edge' },
            ),
            ctx.pad(b.get('::-1'), 2000, { constantValues: [7, 9] }),
            ctx.roll(a, [5, -7], { axis: [0, 1] }),
            ctx.roll(b, 1234),
            ctx.tile(a.get(':, ::3'), [2, 3]),
            ctx.repeat(b, 3),
            ctx.concatenate([a, a.T.get(':37, :61'), a.get('::-1')], { axis: 1 }),
          ];
          const c = ctx.arange(4000, { dtype: 'int16' });
          ctx.concatenate([c.get('2000:'), c.get(':2000')], { out: c });
          results.push(c);
          return Promise.all(results.map((r) => r.toArray()));
        });
      expect(await run(np)).toEqual(await run(cpu));
    });
  });
}
