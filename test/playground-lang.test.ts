/**
 * The playground's NumPy-style mini-language (demo/src/lang), run in Node on the CPU backend: parsing,
 * Python's printing, NumPy's errors shown as values, and the reference-counting rule for `del`.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, type Context } from '../src/index.js';
import { Workspace, type Outcome } from '../demo/src/lang/interpreter.js';
import { parse } from '../demo/src/lang/parser.js';
import { floatRepr } from '../demo/src/lang/values.js';

let np: Context;
beforeAll(async () => {
  np = await init({ backend: 'cpu' });
});
afterAll(() => np.dispose());

async function run(ws: Workspace, source: string): Promise<Outcome[]> {
  return ws.run(source);
}

/** Runs `source` and returns what a Python REPL would print (errors as `Name: message`). */
async function repl(ws: Workspace, source: string): Promise<string> {
  const outcomes = await run(ws, source);
  return outcomes
    .flatMap((o) => [o.output, o.error ? `${o.error.name}: ${o.error.message}` : null])
    .filter((line): line is string => line !== null)
    .join('\n');
}

describe('parser', () => {
  it('parses statements, keeping index text as written', () => {
    const [a, b, c, d] = parse('a = np.arange(12).reshape(3, 4)\ns = a[:, 1:3]; s[ : ] = 10\ndel a, s');
    expect(a.kind).toBe('assign');
    expect(b).toMatchObject({ kind: 'assign', target: { kind: 'name', name: 's' }, value: { kind: 'index', text: ':, 1:3' } });
    expect(c).toMatchObject({ kind: 'assign', target: { kind: 'index', text: ':' } });
    expect(d).toMatchObject({ kind: 'del', names: ['a', 's'] });
  });

  it('joins lines inside brackets and drops comments', () => {
    const statements = parse('a = np.array([[0, 1],  # first row\n              [2, 3]])\nb = a  # no copy');
    expect(statements).toHaveLength(2);
    expect(statements[1].source).toBe('b = a');
  });

  it('reports syntax errors with a position', async () => {
    const ws = new Workspace(np);
    const [outcome] = await run(ws, 'a = arange(12');
    expect(outcome.error).toMatchObject({ name: 'SyntaxError', message: "'(' was never closed" });
    expect(outcome.error?.excerpt).toBe('a = arange(12\n          ^');
    expect((await run(ws, '3 = a'))[0].error?.name).toBe('SyntaxError');
  });
});

describe('interpreter', () => {
  it("replays NumPy's Copies and Views tutorial", async () => {
    const ws = new Workspace(np);
    expect(
      await repl(
        ws,
        'import numpy as np\na = np.array([[0, 1, 2, 3],\n              [4, 5, 6, 7],\n              [8, 9, 10, 11]])\nb = a\nb is a',
      ),
    ).toBe('True');
    expect(await repl(ws, 'id(a) == id(b)')).toBe('True');
    expect(await repl(ws, 'c = a.view()\nc is a\nc.base is a\nc.flags.owndata')).toBe('False\nTrue\nFalse');
    expect(await repl(ws, 'c = c.reshape((2, 6))\na.shape\nc[0, 4] = 1234\na')).toBe(
      '(3, 4)\n[[   0    1    2    3]\n [1234    5    6    7]\n [   8    9   10   11]]',
    );
    expect(await repl(ws, 's = a[:, 1:3]\ns[:] = 10\nprint(a)')).toBe(
      '[[   0   10   10    3]\n [1234   10   10    7]\n [   8   10   10   11]]',
    );
    expect(await repl(ws, 'd = a.copy()\nd is a\nd.base is a\nd[0, 0] = 9999\na[0, 0]')).toBe('False\nFalse\n0');
    expect(ws.arrays().map((e) => e.names.join(','))).toEqual(['a,b', 'c', 's', 'd']);
  });

  it('frees an owner on del unless a view holds it', async () => {
    const ws = new Workspace(np);
    const before = np.memory().bytes;
    await repl(ws, 'a = np.arange(1000)\nb = a[:100].copy()\ndel a');
    expect(np.memory().bytes - before).toBe(400);
    await repl(ws, 'a = np.arange(1000)\nb = a[:100]\ndel a');
    expect(np.memory().bytes - before).toBe(4000);
    const [owner, view] = ws.arrays();
    expect(owner).toMatchObject({ names: [], label: 'a' });
    expect(view.names).toEqual(['b']);
    expect(await repl(ws, 'b.base is None\nb.base.shape')).toBe('False\n(1000,)');
    ws.reset();
    expect(np.memory().bytes).toBe(before);
  });

  it('prints attributes like Python', async () => {
    const ws = new Workspace(np);
    await repl(ws, 'a = arange(12).reshape(3, 4)');
    expect(await repl(ws, 'a.strides\na.T.strides\na[::-1, ::2].offset\na.dtype\nx = a[::-1, ::2]\nx.shape, x.strides')).toBe(
      "(16, 4)\n(4, 16)\n32\ndtype('int32')\n((3, 2), (-16, 8))",
    );
    // a is a view of the unnamed arange(12), as in NumPy
    expect(await repl(ws, 'a.flags')).toBe('  C_CONTIGUOUS : True\n  F_CONTIGUOUS : False\n  OWNDATA : False\n  WRITEABLE : True');
    expect(await repl(ws, 'a.base.shape, a.copy("F").flags.f_contiguous')).toBe('((12,), True)');
    expect(await repl(ws, 'np.zeros((2,)).dtype, np.array([1, 2.5]).dtype, np.full(2, 7).dtype')).toBe(
      "(dtype('float32'), dtype('float32'), dtype('int32'))",
    );
    expect(await repl(ws, 'a.item(5), a[1, 2].item(), a.astype(np.float32).item(1), len(a), a.shape[0] * 2, 7 / 2')).toBe(
      '(5, 6, 1.0, 3, 6, 3.5)',
    );
    expect(await repl(ws, 'a.ravel().base is a.base, a.T.flatten().base is None, a.T.ravel().flags.owndata')).toBe('(True, True, True)');
    expect(await repl(ws, 'a[0].tolist(), type(a)')).toBe("([0, 1, 2, 3], <class 'numpy.ndarray'>)");
    expect(await repl(ws, 'a.astype(bool).dtype, a.astype(float).dtype, a[0, :2].astype(bool), bool(a[0, 0])')).toBe(
      "(dtype('bool'), dtype('float64'), [False  True], False)",
    );
    expect(await repl(ws, 'np.shares_memory(a[::2], a[1::2]), np.may_share_memory(a[::2], a[1::2])')).toBe('(False, True)');
  });

  it('assigns numbers, nested lists, other arrays and indexed expressions', async () => {
    const ws = new Workspace(np);
    expect(await repl(ws, 'a = arange(6)\na[1:] = a[:-1]\na')).toBe('[0 0 1 2 3 4]');
    expect(await repl(ws, 'b = zeros((2, 3), dtype="int32")\nb[:] = [1, 2, 3]\nb[1] = a[::2]\nb')).toBe('[[1 2 3]\n [0 1 3]]');
    expect(await repl(ws, 'c = broadcast_to(a[:3], (2, 3))\nc.strides')).toBe('(0, 4)');
    expect(await repl(ws, 'b.flags.writeable = False\nb[0, 0] = 5')).toBe('ValueError: assignment destination is read-only');
  });

  it("shows ndgpu's NumPy-style errors and stops at the first", async () => {
    const ws = new Workspace(np);
    await repl(ws, 'a = arange(12).reshape(3, 4)');
    expect(await repl(ws, 'a[3, 0]')).toBe('IndexError: index 3 is out of bounds for axis 0 with size 3');
    expect(await repl(ws, 'a.reshape(5, 2)')).toBe('ValueError: cannot reshape array of size 12 into shape (5,2)');
    expect(await repl(ws, 'a[:, 1:3] = [1, 2, 3]')).toBe('ValueError: could not broadcast input array from shape (3,) into shape (3,2)');
    expect(await repl(ws, 'a.transpose(0, 2)')).toBe('AxisError: axis 2 is out of bounds for array of dimension 2');
    expect(await repl(ws, 'q')).toBe("NameError: name 'q' is not defined");
    expect(await repl(ws, 'a.foo')).toBe("AttributeError: 'numpy.ndarray' object has no attribute 'foo'");
    expect(await repl(ws, 'a + 1')).toMatch(/^TypeError: the playground has no arithmetic/);
    expect(await repl(ws, 'x = 1\na[9] = 0\ny = 2')).toBe('IndexError: index 9 is out of bounds for axis 0 with size 3');
    expect(await repl(ws, 'y')).toBe("NameError: name 'y' is not defined");
  });

  it('prints floats as Python does', () => {
    expect([1, 0.1, 1e16, 1.5e-7, -0, Infinity, NaN, 123.25].map(floatRepr)).toEqual([
      '1.0',
      '0.1',
      '1e+16',
      '1.5e-07',
      '-0.0',
      'inf',
      'nan',
      '123.25',
    ]);
  });
});

// ----- numerics (issue #18) -----
describe('numerics in the playground', () => {
  it('knows the ufuncs, round, var/std/ptp, creation and comparison helpers', async () => {
    const ws = new Workspace(np);
    expect(await repl(ws, 'a = np.linspace(0, 1, 5)\nnp.rint(a)')).toBe('[0. 0. 0. 1. 1.]');
    expect(await repl(ws, 'b = np.arange(6).reshape(2, 3)\nnp.left_shift(b, 2)')).toBe('[[ 0  4  8]\n [12 16 20]]');
    expect(await repl(ws, 'np.round(np.array([1.25, 2.5, -0.5]), 1)')).toBe('[ 1.2  2.5 -0.5]');
    expect(await repl(ws, 'b.std(axis=0, ddof=1)')).toBe('[2.1213202 2.1213202 2.1213202]');
    expect(await repl(ws, 'np.ptp(b, axis=1)')).toBe('[2 2]');
    expect(await repl(ws, 'np.count_nonzero(b)')).toBe('5');
    expect(await repl(ws, 'np.eye(2, k=1, dtype=np.int8)')).toBe('[[0 1]\n [0 0]]');
    expect(await repl(ws, 'np.zeros_like(b.T).strides')).toBe('(4, 12)');
    expect(await repl(ws, 'g = np.meshgrid(np.arange(2), np.arange(2), indexing="ij")\nlen(g)')).toBe('2');
    expect(await repl(ws, 'np.allclose(a, a)\nnp.array_equal(b, b.T)')).toBe('True\nFalse');
    expect(await repl(ws, 'np.bitwise_and(a, 1)')).toMatch(/^TypeError: ufunc 'bitwise_and' not supported/);
  });
});

describe('advanced indexing in the playground', () => {
  it('selects with lists and masks into copies that own their memory, and writes through them', async () => {
    const ws = new Workspace(np);
    await repl(ws, 'a = np.arange(12).reshape(3, 4)');
    expect(await repl(ws, 'b = a[[0, 2]]\nb\nb.base is None, b.flags.owndata, np.shares_memory(a, b)')).toBe(
      '[[ 0  1  2  3]\n [ 8  9 10 11]]\n(True, True, False)',
    );
    expect(await repl(ws, 'a[[0, 2], 1:]\na[:, [3, 0]]\na[[True, False, True], 0]')).toBe(
      '[[ 1  2  3]\n [ 9 10 11]]\n[[ 3  0]\n [ 7  4]\n [11  8]]\n[0 8]',
    );
    expect(await repl(ws, 'a[a > 5]\na > 9')).toBe(
      '[ 6  7  8  9 10 11]\n[[False False False False]\n [False False False False]\n [False False  True  True]]',
    );
    expect(await repl(ws, 'a[a > 5] = 0\na')).toBe('[[0 1 2 3]\n [4 5 0 0]\n [0 0 0 0]]');
    expect(await repl(ws, 'i = np.array([2, 0, 2])\na[i, 1] = [7, 8, 9]\na[:, 1]')).toBe('[8 5 9]');
    expect(await repl(ws, 'np.nonzero(a[0])\na.cumsum(1)[0]\nnp.take(a, [1, -1])')).toBe('([1 2 3],)\n[ 0  8 10 13]\n[8 0]');
    expect(await repl(ws, 'a[[0, 5]]')).toBe('IndexError: index 5 is out of bounds for axis 0 with size 3');
    expect(await repl(ws, 'a + 1')).toMatch(/^TypeError: the playground has no arithmetic/);
  });
});

// ----- products -----
describe('products in the playground', () => {
  it('runs a @ b and np.matmul on views, and NumPy-style errors', async () => {
    const ws = new Workspace(np);
    await repl(ws, 'a = arange(6).reshape(2, 3)\nb = arange(12).reshape(4, 3)');
    expect(await repl(ws, 'a @ b.T')).toBe('[[  5  14  23  32]\n [ 14  50  86 122]]');
    expect(await repl(ws, 'np.matmul(a[:, ::-1], b[1:3].T)')).toBe('[[10 19]\n [46 82]]');
    expect(await repl(ws, 'c = zeros((4, 2), dtype="int32")\nnp.matmul(b, a.T, out=c)\nc.T @ [1, 1, 1, 1]')).toBe(
      '[[  5  14]\n [ 14  50]\n [ 23  86]\n [ 32 122]]\n[ 74 272]',
    );
    expect(await repl(ws, 'np.dot(a, [1, 0, 2]), a.dot(a.T), np.inner(a, a)[1, 1], np.outer([1, 2], [3]).shape')).toBe(
      '([ 4 13], [[ 5 14]\n [14 50]], 50, (2, 1))',
    );
    expect(await repl(ws, 'np.tensordot(a, b, axes=([1], [1])).shape, np.vdot(a, a)')).toBe('((2, 4), 55)');
    expect(await repl(ws, 'a @ b')).toBe(
      'ValueError: matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)',
    );
    expect(await repl(ws, '2 @ 3')).toBe("TypeError: unsupported operand type(s) for @: 'int' and 'int'");
  });
});
