/**
 * The playground (demo/src/lang) speaks NumPy's joining, splitting and rearranging routines on the CPU
 * backend: results print as Python would print them, lists of views are drawn as the named pieces
 * (`parts[0]`...) over their owner's buffer, and errors read as NumPy's.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, type Context } from '../src/index.js';
import { Workspace } from '../demo/src/lang/interpreter.js';

let np: Context;
beforeAll(async () => {
  np = await init({ backend: 'cpu' });
});
afterAll(() => np.dispose());

async function repl(ws: Workspace, source: string): Promise<string> {
  const outcomes = await ws.run(source);
  return outcomes
    .flatMap((o) => [o.output, o.error ? `${o.error.name}: ${o.error.message}` : null])
    .filter((line): line is string => line !== null)
    .join('\n');
}

describe('playground: joining, splitting, rearranging', () => {
  it('splits into named views over one buffer', async () => {
    const ws = new Workspace(np);
    expect(await repl(ws, 'a = np.arange(6)\nparts = np.split(a, 3)\nlen(parts)\nparts[1]\nparts[1].base is a, parts[2].offset')).toBe(
      '3\n[2 3]\n(True, 16)',
    );
    const entries = ws.arrays();
    expect(entries.map((e) => e.names.join(','))).toEqual(['a', 'parts[0]', 'parts[1]', 'parts[2]']);
    expect(entries.slice(1).every((e) => e.array.base === entries[0].array)).toBe(true);
    expect(await repl(ws, 'np.split(a, 4)')).toBe('ValueError: array split does not result in an equal division');
    expect(await repl(ws, 'del a\nparts[0].base.shape')).toBe('(6,)');
    ws.reset();
  });

  it('views: diagonal, rot90, moveaxis, windows, flips', async () => {
    const ws = new Workspace(np);
    await repl(ws, 'a = np.arange(12).reshape(3, 4)');
    expect(await repl(ws, 'd = a.T.diagonal()\nd\nd.strides, d.flags.writeable, d.base is a.base')).toBe(
      '[ 0  5 10]\n((20,), False, True)',
    );
    expect(await repl(ws, 'r = np.rot90(a)\nr.strides, r.offset')).toBe('((-4, 16), 12)');
    expect(await repl(ws, 'np.moveaxis(a.reshape(2, 2, 3), 0, -1).shape')).toBe('(2, 3, 2)');
    expect(await repl(ws, 'w = np.lib.stride_tricks.sliding_window_view(a, (2, 2))\nw.shape, w.strides')).toBe(
      '((2, 3, 2, 2), (16, 4, 16, 4))',
    );
    expect(await repl(ws, 'np.fliplr(a)[0], np.flipud(a)[0]')).toBe('([3 2 1 0], [ 8  9 10 11])');
    expect(await repl(ws, 'np.atleast_3d(a).shape, np.broadcast_arrays(a, a[0])[1].strides')).toBe('((3, 4, 1), (0, 4))');
    expect(await repl(ws, 'a.diagonal(0, 0, 0)')).toBe('ValueError: axis1 and axis2 cannot be the same');
    ws.reset();
  });

  it('copies: concatenate, stack, tile, repeat, roll, pad', async () => {
    const ws = new Workspace(np);
    await repl(ws, 'a = np.arange(4).reshape(2, 2)');
    expect(await repl(ws, 'np.concatenate((a, a.T), axis=1)')).toBe('[[0 1 0 2]\n [2 3 1 3]]');
    expect(await repl(ws, 'np.concatenate([a, [[7, 8]]])')).toBe('[[0 1]\n [2 3]\n [7 8]]');
    expect(await repl(ws, 'np.concatenate([a, a], axis=None).shape, np.stack([a, a], axis=2).shape')).toBe('((8,), (2, 2, 2))');
    expect(await repl(ws, 'np.hstack([a, a]).shape, np.vstack([a, a]).shape, np.dstack([a, a]).shape')).toBe('((2, 4), (4, 2), (2, 2, 2))');
    expect(await repl(ws, 'np.tile(a, 2)\na.repeat(2, axis=0)\nnp.roll(a, 1)')).toBe(
      '[[0 1 0 1]\n [2 3 2 3]]\n[[0 1]\n [0 1]\n [2 3]\n [2 3]]\n[[3 0]\n [1 2]]',
    );
    expect(await repl(ws, "np.pad(a, 1, mode='edge')\nnp.pad(a, ((0, 0), (1, 0)), constant_values=9)")).toBe(
      '[[0 0 1 1]\n [0 0 1 1]\n [2 2 3 3]\n [2 2 3 3]]\n[[9 0 1]\n [9 2 3]]',
    );
    expect(await repl(ws, 'c = np.concatenate([a, a])\nc.base is None, c.flags.owndata')).toBe('(True, True)');
    expect(await repl(ws, 'np.concatenate([a, a[:, :1]])')).toBe(
      'ValueError: all the input array dimensions except for the concatenation axis must match exactly, but along dimension 1, the array at index 0 has size 2 and the array at index 1 has size 1',
    );
    ws.reset();
  });
});
