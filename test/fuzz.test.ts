/**
 * Seeded fuzzing with bad input (issue 16): random index strings, shapes, dtypes, values, options and
 * nested data, and disposed, read-only and cross-context arrays, thrown at every entry point on every
 * backend (a list that contains itself, which once killed the process, is tested in a child process
 * by test/hardening.test.ts instead). Each call must either succeed or throw one of ndgpu's error classes with ndgpu's own message
 * (never an engine error such as "x.map is not a function"); a call that throws must have written
 * nothing (the bytes of every array it could write are compared) and leaked nothing (np.memory()); and
 * the context must still compute correctly at the end. A failure names the seed and the call.
 */

import { expect, it } from 'vitest';
import { AxisError, IndexError, init, OverflowError, ValueError, type Context, type NDArray } from '../src/index.js';
import { forEachBackend } from './backends.js';
import { mulberry32 } from './random.js';

// NDGPU_FUZZ_SEED and NDGPU_FUZZ_CALLS run other or longer sequences (a failure names its seed).
const SEED = Number(process.env.NDGPU_FUZZ_SEED ?? 20261216);
const CALLS = Number(process.env.NDGPU_FUZZ_CALLS ?? 300);

/** Messages that come from the JavaScript engine, not from ndgpu: a bad input reached code unchecked. */
const ENGINE_MESSAGE =
  /Cannot read propert|is not a function|is not iterable|is not a constructor|Cannot convert (a|undefined|object|a Symbol)|Cannot mix BigInt|Invalid array length|Invalid typed array length|Array buffer allocation failed|Maximum call stack|internal error/;

function deep(depth: number): unknown {
  let value: unknown = [1];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

class Generator {
  readonly #random: () => number;
  constructor(seed: number) {
    this.#random = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.#random() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.#random() < p;
  }

  indexString(): string {
    const parts = ['0', '-1', '1', '1:', '::-1', 'None', '...', ':', '5', '-7', '2:1', '::0', '1.5', 'a', '[0]', '9007199254740993'];
    parts.push('99999999999999999999', '', '::2', '-1:-3:-1', '(', '0:1:2:3', 'True', '1e3', '-0', ' 1 ');
    const n = this.int(5);
    return Array.from({ length: n }, () => this.pick(parts)).join(this.pick([', ', ',', ' , ']));
  }

  shapeEntry(): unknown {
    return this.pick([0, 1, 2, 3, 4, 6, -1, -2, 2.5, 2 ** 53, 2 ** 62, 2 ** 63, NaN, Infinity, '3', null, undefined, 1n]);
  }

  shape(): any {
    if (this.chance(0.05)) return Array(65).fill(1);
    if (this.chance(0.05)) return this.shapeEntry();
    return Array.from({ length: this.int(5) }, () => this.shapeEntry());
  }

  dtype(): any {
    return this.pick([
      'bool',
      'int8',
      'uint8',
      'int16',
      'uint16',
      'int32',
      'uint32',
      'float16',
      'float32',
      'float64',
      'int64',
      'uint64',
      'int',
      'float128',
      undefined,
      5,
      null,
    ]);
  }

  scalar(): unknown {
    return this.pick([0, -1, 1, 300, -129, 1.5, -0, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 64, 10n ** 400n, -1n, 2n ** 70n, true, false]);
  }

  nested(depth = 0): unknown {
    if (depth > 2 || this.chance(0.3)) return this.scalar();
    const length = this.int(4);
    const items = Array.from({ length }, () => this.nested(depth + 1));
    return this.chance(0.8) && items.length > 0 ? items.map(() => items[0]) : items; // mostly homogeneous
  }

  value(pool: readonly NDArray[]): unknown {
    const kind = this.int(10);
    if (kind < 3) return this.scalar();
    if (kind < 6) return this.nested();
    if (kind < 8) return this.pick(pool);
    // (Lists that contain themselves are tested in a child process: test/hostile-input-child.ts.)
    return this.pick([deep(70), deep(3), 'text', null, undefined, {}, [1, [2]], new Float32Array(3), () => 1, Symbol('s')]);
  }

  axis(): any {
    return this.pick([0, 1, 2, -1, -4, 3, 0.5, '0', [0, 0], [5], [0, 1], null, undefined, {}]);
  }

  order(): any {
    return this.pick(['C', 'F', 'A', 'K', 'Z', undefined, 0]);
  }
}

interface FuzzCall {
  readonly text: string;
  /** Arrays whose memory the call may write (their owners are compared when it throws). */
  readonly writes: readonly NDArray[];
  readonly run: () => unknown;
}

function makeCall(g: Generator, np: Context, pool: readonly NDArray[]): FuzzCall {
  const t = g.pick(pool);
  const call = (text: string, run: () => unknown, writes: NDArray[] = []): FuzzCall => ({ text, run, writes });
  const show = (v: unknown): string => {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'object' && v !== null && 'shape' in (v as object)) return String(v);
    try {
      const json = JSON.stringify(v, (_, x: unknown) =>
        typeof x === 'number' && !Number.isFinite(x) ? String(x) : typeof x === 'bigint' ? `${x}n` : x,
      );
      return json?.slice(0, 60) ?? String(v);
    } catch {
      return String(v).slice(0, 60);
    }
  };
  const out = () => (g.chance(0.4) ? g.pick(pool) : undefined);
  switch (g.int(28)) {
    case 0: {
      const index = g.indexString();
      return call(`${t}.get('${index}')`, () => t.get(index));
    }
    case 1: {
      const index = g.indexString();
      const value = g.value(pool);
      return call(`${t}.set('${index}', ${show(value)})`, () => t.set(index, value as any), [t]);
    }
    case 2: {
      const shape = g.shape();
      return call(`${t}.reshape(${show(shape)})`, () => t.reshape(shape));
    }
    case 3: {
      const [shape, dtype] = [g.shape(), g.dtype()];
      return call(`np.zeros(${show(shape)}, ${show(dtype)})`, () => np.zeros(shape, { dtype }));
    }
    case 4: {
      const [value, dtype] = [g.value(pool), g.dtype()];
      return call(`np.array(${show(value)}, ${show(dtype)})`, () => np.array(value as any, { dtype }));
    }
    case 5: {
      const [value, o] = [g.value(pool), out()];
      return call(`np.add(${t}, ${show(value)}, out ${o})`, () => np.add(t, value as any, { out: o }), o ? [o] : []);
    }
    case 6: {
      const [axis, o, keepdims] = [g.axis(), out(), g.chance(0.3)];
      return call(`${t}.sum(${show(axis)}, keepdims ${keepdims}, out ${o})`, () => t.sum(axis, { keepdims, out: o }), o ? [o] : []);
    }
    case 7: {
      const [axis, o] = [g.axis(), out()];
      return call(`${t}.argmax(${show(axis)}, out ${o})`, () => t.argmax(axis, { out: o }), o ? [o] : []);
    }
    case 8: {
      const args = Array.from({ length: g.int(4) }, () => g.pick([0, 1, -1, 3, 2.5, 0.1, 1e5, 1e300, Infinity, NaN, -5, 2 ** 53]));
      const dtype = g.dtype();
      return call(`np.arange(${show(args)}, ${show(dtype)})`, () => (np.arange as (...a: unknown[]) => NDArray)(...args, { dtype }));
    }
    case 9: {
      const shape = g.shape();
      return call(`np.broadcastTo(${t}, ${show(shape)})`, () => np.broadcastTo(t, shape));
    }
    case 10: {
      const [a, b] = [g.axis(), g.axis()];
      const which = g.int(4);
      const text = ['expandDims', 'transpose', 'squeeze', 'swapaxes'][which];
      return call(`${t}.${text}(${show(a)}, ${show(b)})`, () =>
        which === 0 ? t.expandDims(a) : which === 1 ? t.transpose(a) : which === 2 ? t.squeeze(a) : t.swapaxes(a, b),
      );
    }
    case 11: {
      const dtype = g.dtype();
      return g.chance(0.5)
        ? call(`${t}.astype(${show(dtype)})`, () => t.astype(dtype))
        : call(`${t}.view(${show(dtype)})`, () => t.view(dtype));
    }
    case 12: {
      const [shape, value, dtype] = [g.shape(), g.scalar(), g.dtype()];
      return call(`np.full(${show(shape)}, ${show(value)}, ${show(dtype)})`, () => np.full(shape, value as any, { dtype }));
    }
    case 13: {
      const index = g.pick<any>([undefined, 0, -1, 100, 1.5, [0, 0], [0, 0, 0], '0, 0', 'x', [], null]);
      return call(`${t}.item(${show(index)})`, () => t.item(index));
    }
    case 14: {
      const expression = g.pick(['x +', '(x', 'x)', '', ';', 'x {', '// x', 'x.', '* ', '[x']);
      return call(`np.elementwise('${expression}')`, () => np.elementwise(expression, { x: t }, { cpu: (x) => x }));
    }
    case 15: {
      const value = g.value(pool);
      return call(`${t}.fill(${show(value)})`, () => t.fill(value as any), [t]);
    }
    case 16: {
      const order = g.order();
      return g.chance(0.5)
        ? call(`${t}.copy(${show(order)})`, () => t.copy(order))
        : call(`${t}.flatten(${show(order)})`, () => t.flatten(order));
    }
    case 18: {
      const [others, axis, o] = [Array.from({ length: g.int(3) }, () => g.value(pool)), g.axis(), out()];
      return call(
        `np.concatenate([${t}, ${others.map(show)}], ${show(axis)}, out ${o})`,
        () => np.concatenate([t, ...(others as any[])], { axis, out: o }),
        o ? [o] : [],
      );
    }
    case 19: {
      const [width, mode, value] = [
        g.pick<any>([
          1,
          -1,
          [1, 2],
          [[1, 0]],
          2.5,
          [
            [1, 1],
            [0, 2],
            [1, 1],
          ],
          null,
          'x',
        ]),
        g.pick<any>(['constant', 'edge', 'reflect', 'symmetric', 'wrap', 'mean', 3]),
        g.scalar(),
      ];
      return call(`np.pad(${t}, ${show(width)}, ${show(mode)}, ${show(value)})`, () =>
        np.pad(t, width, { mode, constantValues: value as any }),
      );
    }
    case 20: {
      const [shift, axis] = [g.pick<any>([1, -3, [1, 2], 2.5, 'a', 1e20]), g.axis()];
      return g.chance(0.5)
        ? call(`np.roll(${t}, ${show(shift)}, ${show(axis)})`, () => np.roll(t, shift, { axis }))
        : call(`np.tile(${t}, ${show(shift)})`, () => np.tile(t, shift));
    }
    case 21: {
      const [sections, axis] = [g.pick<any>([0, 2, 3, [1, 2], [5, 1], -1, 1.5, 'a']), g.axis()];
      return call(`np.split(${t}, ${show(sections)}, ${show(axis)})`, () => np.split(t, sections, { axis }));
    }
    case 22: {
      const [o, decimals] = [out(), g.pick<any>([0, 1, -1, 2.5, 'x', 400])];
      return g.chance(0.5)
        ? call(`np.floor(${t}, out ${o})`, () => np.floor(t, { out: o }), o ? [o] : [])
        : call(`${t}.round(${show(decimals)}, out ${o})`, () => t.round(decimals, { out: o }), o ? [o] : []);
    }
    case 23: {
      const [axis, ddof] = [g.axis(), g.pick<any>([0, 1, -1, 2.5, 'x', 1e9])];
      return call(`${t}.var(${show(axis)}, ddof ${show(ddof)})`, () => t.var(axis, { ddof }));
    }
    case 24: {
      const index = g.pick<any>([
        [[0, 2]],
        [[-1, 5]],
        [[true, false]],
        '[0, 9]',
        '[[0], [1]], ::2',
        '[True]',
        [g.pick(pool)],
        [[1.5]],
        [[2 ** 40]],
      ]);
      return call(`${t}.get(${show(index)})`, () => t.get(index));
    }
    case 25: {
      const [index, value] = [g.pick<any>([[[0, 0]], [[1, -1]], '[0, 7]', [[true]], [[0, 2 ** 33]], [g.pick(pool)]]), g.value(pool)];
      return call(`${t}.set(${show(index)}, ${show(value)})`, () => t.set(index, value as any), [t]);
    }
    case 26: {
      const [indices, axis] = [g.pick<any>([[0, 1], [-9], 3, [[0]], [1.5], 'x', g.pick(pool)]), g.axis()];
      return g.chance(0.5)
        ? call(`np.take(${t}, ${show(indices)}, ${show(axis)})`, () => np.take(t, indices, { axis }))
        : call(`np.cumsum(${t}, ${show(axis)})`, () => np.cumsum(t, { axis }));
    }
    case 27: {
      const [other, o] = [g.value(pool), out()];
      return g.chance(0.5)
        ? call(`np.matmul(${t}, ${show(other)}, out ${o})`, () => np.matmul(t, other as any, { out: o }), o ? [o] : [])
        : call(`np.tensordot(${t}, ${show(other)})`, () => np.tensordot(t, other as any, g.pick<any>([0, 1, 2, [[0], [1]], -1, 'x'])));
    }
    default: {
      const [c, y, o] = [g.value(pool), g.value(pool), out()];
      return call(`np.where(${show(c)}, ${t}, ${show(y)}, out ${o})`, () => np.where(c as any, t, y as any, { out: o }), o ? [o] : []);
    }
  }
}

/** What is wrong with an error a bad call threw, or null when it is one of ndgpu's. */
function errorProblem(error: unknown): string | null {
  const known = [IndexError, ValueError, AxisError, TypeError, OverflowError, RangeError];
  if (!known.some((cls) => error instanceof cls)) return `not one of ndgpu's error classes: ${String(error)}`;
  const message = (error as Error).message;
  if (ENGINE_MESSAGE.test(message)) return `an engine error: ${(error as Error).name}: ${message}`;
  if (error instanceof RangeError && !/cannot allocate|cannot make an array/.test(message)) return `an engine RangeError: ${message}`;
  return null;
}

forEachBackend((backend, get) => {
  it(`${CALLS} seeded bad calls: NumPy's error classes, nothing written or leaked, the context still works`, async () => {
    const np = get();
    const other = await init({ backend: 'cpu' });
    const owners: NDArray[] = [
      np.arange(24, { dtype: 'int32' }).reshape(2, 3, 4),
      np.arange(12, { dtype: 'float32' }).reshape(3, 4),
      np.arange(5, { dtype: 'uint8' }),
      np.array([
        [true, false],
        [false, true],
      ]),
      np.array([0.5, 1.5, -2, 65504], { dtype: 'float16' }),
      np.array([1n, -2n, 3n], { dtype: 'int64' }),
      np.full([], -3, { dtype: 'int8' }),
      np.zeros([0, 3]),
    ];
    const dead = np.arange(3);
    dead.dispose();
    const pool: NDArray[] = [
      ...owners,
      owners[0].get(':, ::-1, 1::2'),
      owners[1].T,
      np.broadcastTo(owners[1].get('0'), [2, 4]), // read-only
      dead,
      other.arange(4), // another context
    ];
    const ownerOf = (a: NDArray) => a.base ?? a;
    const comparable = (a: NDArray) => !a.disposed && owners.includes(ownerOf(a));
    /** Bytes of each owner as last read, or missing when a call that succeeded may have changed them. */
    const known = new Map<NDArray, Uint8Array>();
    const bytesOf = async (owner: NDArray) => {
      const data = (await owner.data()) as ArrayBufferView;
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    };

    const g = new Generator(SEED + (backend === 'cpu' ? 0 : 1));
    let failures = 0;
    const problems: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const { text, run, writes } = makeCall(g, np, pool);
      const where = `seed ${SEED}, call ${i}: ${text}`;
      const written = [...new Set(writes.filter(comparable).map(ownerOf))];
      for (const owner of written) if (!known.has(owner)) known.set(owner, await bytesOf(owner));
      const before = np.memory();
      let error: unknown = null;
      let pending: unknown = null;
      np.tidy(() => {
        try {
          pending = run(); // tidy disposes whatever it made, so memory must come back whether or not it threw
        } catch (e) {
          error = e;
        }
      });
      if (pending instanceof Promise) await pending.catch((e: unknown) => problems.push(`${where}: a read rejected: ${String(e)}`));
      // Indices held in NDArrays are checked on the device: their errors surface at the next sync.
      if (error === null) {
        try {
          await np.sync();
        } catch (e) {
          error = e;
        }
      }
      const after = np.memory();
      if (after.buffers !== before.buffers || after.bytes !== before.bytes) {
        problems.push(`${where}: memory ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      }
      if (error === null) {
        for (const owner of written) known.delete(owner);
        continue;
      }
      failures++;
      const problem = errorProblem(error);
      if (problem) problems.push(`${where}: ${problem}`);
      for (const owner of written) {
        const bytes = await bytesOf(owner);
        if (bytes.some((b, k) => b !== known.get(owner)?.[k])) problems.push(`${where}: it threw (${String(error)}) but wrote ${owner}`);
      }
    }
    expect(problems).toEqual([]);
    // Most calls are bad: the generator must keep testing failures, not valid calls.
    expect(failures).toBeGreaterThan(CALLS / 2);
    // The context still computes, and nothing was left to fail a later sync.
    await np.sync();
    const check = np.arange(6, { dtype: 'float32' }).reshape(2, 3);
    expect(await check.T.add(1).sum(1).toArray()).toEqual([5, 7, 9]);
    expect(await np.array(other.arange(3)).toArray()).toEqual([0, 1, 2]);
    for (const a of [...pool.slice(owners.length), ...owners, check]) a.dispose();
    other.dispose();
  });
});
