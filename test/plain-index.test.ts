/**
 * The direct path of small sets and gets: a plain index string (integers and slices of integers) goes
 * straight to its view (`plainIndexView`), and anything else through the general parse-resolve-apply
 * path. The direct path must change nothing: the same view (shape, strides, offset, element path) for
 * every string it takes, and for every string it declines the general path's result or error, thrown at
 * the call every time (nothing is cached from a failing index). Also the holders' list that replaced a
 * Set per storage (liveArrays' order, memory freed when the last holder goes).
 */

import { describe, expect, it } from 'vitest';
import { IndexError, ValueError } from '../src/index.js';
import { applyIndex, parseIndex, plainIndexView, type ResolvedIndex } from '../src/ndarray/core/indexing.js';
import { makeLayout, type Layout } from '../src/ndarray/core/layout.js';
import { forEachBackend } from './backends.js';
import { mulberry32 } from './random.js';

/** The general path's answer: the view, or the error it throws. */
function general(layout: Layout, text: string): ResolvedIndex | Error {
  try {
    return applyIndex(layout, parseIndex(text) as Parameters<typeof applyIndex>[1]);
  } catch (error) {
    return error as Error;
  }
}

/** Layouts of rank 0 to 3 with positive, negative, zero and large strides, empty and length-1 axes. */
const LAYOUTS: Layout[] = [
  makeLayout([], [], 12),
  makeLayout([7], [4], 0),
  makeLayout([5], [-8], 32),
  makeLayout([0], [4], 0),
  makeLayout([4, 6], [24, 4], 8),
  makeLayout([3, 1], [4, 0], 0),
  makeLayout([6, 4], [4, 24], 0),
  makeLayout([2, 3, 5], [60, 20, 4], 4),
  makeLayout([3, 4, 2], [-4, 24, 0], 40),
  makeLayout([2, 2 ** 20], [2 ** 31, 2048], 2 ** 32),
];

/** Index strings in and near the plain spellings: odd spacing, signs, steps, empty slices, bounds
 * beyond 2^53, trailing commas, and spellings only the general path takes (None, '...', lists). */
const FIXED = [
  '',
  '0',
  '-1',
  '-0',
  '3',
  ':',
  '::',
  ':::',
  '::-1',
  '::0',
  '1:',
  ':2',
  '-2:',
  '5:1',
  '5:1:-2',
  '1:1',
  '0, 0',
  '0,0,0',
  ' 1 , 2 ',
  '1 ,',
  '1,',
  '1, ',
  '1,,',
  '1,2,',
  ',1',
  ',',
  '1 2',
  '1-2',
  '- 1',
  '--1',
  '+1',
  '1:2:3:4',
  '-1:-5:-1, ::2',
  '0:100, -100:',
  '99999999999999999999',
  '0:99999999999999999999',
  '-9007199254740993:',
  '9007199254740991',
  '0, 1, 2, 3',
  '..., 1',
  '1, ...',
  'None',
  '0, None',
  '[0, 1]',
  '(1, 2)',
  'True',
  '1.5',
  '1:2.0',
  '\t1',
  '1:None',
];

function randomIndex(rng: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
  const integer = () => String(Math.floor(rng() * 15) - 7);
  const bound = () => (rng() < 0.3 ? '' : integer());
  const space = () => pick(['', '', ' ', '  ']);
  const components = Math.floor(rng() * 5);
  const parts: string[] = [];
  for (let k = 0; k < components; k++) {
    let part: string;
    const kind = rng();
    if (kind < 0.4) part = integer();
    else if (kind < 0.65) part = `${bound()}${space()}:${space()}${bound()}`;
    else if (kind < 0.9) part = `${bound()}:${bound()}:${space()}${bound()}`;
    else part = pick(['...', 'None', '', '[0]', 'x']);
    parts.push(space() + part + space());
  }
  return parts.join(',') + (rng() < 0.1 ? ',' : '');
}

describe('plainIndexView', () => {
  it('gives exactly the general path’s view for every string it takes, and takes every plain string that succeeds', () => {
    const rng = mulberry32(2024);
    const strings = [...FIXED, ...Array.from({ length: 1000 }, () => randomIndex(rng))];
    let taken = 0;
    const wrong: string[] = [];
    for (const layout of LAYOUTS) {
      for (const text of strings) {
        const plain = plainIndexView(layout, text);
        const expected = general(layout, text);
        const where = `'${text}' on shape (${layout.shape.join(', ')})`;
        if (plain) {
          taken++;
          if (expected instanceof Error) wrong.push(`${where}: taken, but the general path throws ${expected.message}`);
          else if (JSON.stringify(plain) !== JSON.stringify(expected)) wrong.push(`${where}: ${JSON.stringify(plain)}`);
          continue;
        }
        // Declined: the index fails, or it is not in the plain spellings. (A trailing comma after several
        // items is Python's too, but only the general path reads it.)
        const plainSpelling =
          /^[ 0-9:,-]*$/.test(text) &&
          !/-(?![0-9])/.test(text) &&
          !/[0-9] +[0-9]/.test(text) &&
          !(/, *$/.test(text) && text.split(',').length > 2);
        // Only values beyond 2^53 (exact bigints on the general path) go there while succeeding.
        if (plainSpelling && text.trim() !== '' && !(expected instanceof Error) && !/[0-9]{16}/.test(text)) {
          wrong.push(`${where}: declined`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(taken).toBeGreaterThan(800);
  });

  it('makes views of small integers, with no -0 and no state kept between calls', () => {
    const layout = makeLayout([4, 6], [24, 4], 8);
    const view = plainIndexView(layout, '-0, ::-1')!;
    expect(view).toEqual({ layout: { shape: [6], strides: [-4], offset: 8 + 20 }, isElement: false });
    expect(Object.is(view.layout.offset, -0)).toBe(false);
    expect(plainIndexView(layout, '1, 2')).toEqual({ layout: { shape: [], strides: [], offset: 8 + 24 + 8 }, isElement: true });
    // The same string on layouts of other ranks: each its own view, or declined.
    expect(plainIndexView(makeLayout([3], [8], 0), '1, 2')).toBeNull();
    expect(plainIndexView(makeLayout([2, 3, 4], [48, 16, 4], 0), '1, 2')).toEqual({
      layout: { shape: [4], strides: [4], offset: 48 + 32 },
      isElement: false,
    });
    // A layout with 0-stride, empty and reversed axes.
    expect(plainIndexView(makeLayout([3, 0, 5], [0, 20, -4], 16), '::-1, 1:, -1')).toEqual({
      layout: { shape: [3, 0], strides: [0, 20], offset: 0 },
      isElement: false,
    });
  });
});

forEachBackend((_backend, get) => {
  describe('indexing through the direct path and the general path', () => {
    it('the same index string on arrays of different shapes gives each its view or its IndexError', async () => {
      const np = get();
      // Every array made here is disposed at the end: one left to the garbage collector could be
      // collected during a later test of this context and change its count of live arrays.
      const a1 = np.arange(5);
      const o2 = np.arange(12);
      const a2 = o2.reshape(3, 4);
      const o3 = np.arange(24);
      const a3 = o3.reshape(2, 3, 4);
      const text = '1, -1';
      expect(() => a1.get(text)).toThrow(new IndexError('too many indices for array: array is 1-dimensional, but 2 were indexed'));
      const v2 = a2.get(text);
      const v3 = a3.get(text);
      expect([v2.shape, v2.strides, v2.offset, v2.base === a2.base, v2.flags.owndata]).toEqual([[], [], 28, true, false]);
      expect([v3.shape, v3.strides, v3.offset, v3.base === a3.base]).toEqual([[4], [4], 80, true]);
      const v3tail = a3.get('1, 2:');
      expect(v3tail.shape).toEqual([1, 4]);
      expect(() => a2.get('1, 2:, 0')).toThrow(IndexError);
      const [r2, r3] = await Promise.all([v2.toArray(), v3.toArray()]);
      expect(r2).toBe(7);
      expect(r3).toEqual([20, 21, 22, 23]);
      for (const x of [v2, v3, v3tail, a1, a2, o2, a3, o3]) x.dispose();
    });

    it('a bad index throws at every call, get and set alike, and writes nothing', async () => {
      const np = get();
      const a = np.zeros([3, 4], { dtype: 'int32' });
      for (let k = 0; k < 3; k++) {
        expect(() => a.get('3, 0')).toThrow(new IndexError('index 3 is out of bounds for axis 0 with size 3'));
        expect(() => a.set('0, -5', 1)).toThrow(new IndexError('index -5 is out of bounds for axis 1 with size 4'));
        expect(() => a.set('::0', 1)).toThrow(new ValueError('slice step cannot be zero'));
        expect(() => a.get('1 2')).toThrow(IndexError);
        expect(() => a.set('0, 1, 2', 1)).toThrow(new IndexError('too many indices for array: array is 2-dimensional, but 3 were indexed'));
      }
      // The element path (NumPy's int() of a list for an integer array), and the index checked before the
      // read-only flag.
      expect(() => a.set('0, 1', [1, 2])).toThrow(
        new TypeError("int() argument must be a string, a bytes-like object or a real number, not 'list'"),
      );
      expect(() => a.set('0, 1:', [1, 2])).toThrow(new ValueError('could not broadcast input array from shape (2,) into shape (3,)'));
      const ro = a.get(':, 1:');
      ro.flags.writeable = false;
      expect(() => ro.set('5', 1)).toThrow(IndexError);
      expect(() => ro.set('0, 0', 1)).toThrow(new ValueError('assignment destination is read-only'));
      expect(await a.toArray()).toEqual([
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]);
      ro.dispose();
      a.dispose();
    });

    it('negative indices, steps, empty slices, ..., None and trailing commas give NumPy’s views and writes', async () => {
      const np = get();
      const owner = np.arange(24, { dtype: 'float32' });
      const a = owner.reshape(4, 6);
      const views = {
        '-1, ::-2': a.get('-1, ::-2'),
        '1:-1, -3::-1': a.get('1:-1, -3::-1'),
        '3:1, :': a.get('3:1, :'),
        '..., 2': a.get('..., 2'),
        'None, 1, 1:3': a.get('None, 1, 1:3'),
        '2,': a.get('2,'),
        ' 0 , 4 : ': a.get(' 0 , 4 : '),
      };
      const layouts = Object.values(views).map((v) => [v.shape, v.strides, v.offset]);
      expect(layouts).toEqual([
        [[3], [-8], 92],
        [[2, 4], [24, -4], 36],
        [[0, 6], [24, 4], 0],
        [[4], [24], 8],
        [[1, 2], [0, 4], 28],
        [[6], [4], 48],
        [[2], [4], 16],
      ]);
      const values = await Promise.all(Object.values(views).map((v) => v.toArray()));
      expect(values).toEqual([
        [23, 21, 19],
        [
          [9, 8, 7, 6],
          [15, 14, 13, 12],
        ],
        [],
        [2, 8, 14, 20],
        [[7, 8]],
        [12, 13, 14, 15, 16, 17],
        [4, 5],
      ]);
      np.tidy(() => {
        a.set('-1, ::-2', -1);
        a.set('0, 1:4', np.array([10, 20, 30], { dtype: 'float32' }));
        a.set('1:3, 0', a.get('0, 1:3'));
        a.set('3:1, :', 99); // empty: nothing written
        a.set('1, 1', 7.5);
      });
      expect(await a.toArray()).toEqual([
        [0, 10, 20, 30, 4, 5],
        [10, 7.5, 8, 9, 10, 11],
        [20, 13, 14, 15, 16, 17],
        [18, -1, 20, -1, 22, -1],
      ]);
      for (const v of Object.values(views)) v.dispose();
      a.dispose();
      owner.dispose();
    });

    it('views made and disposed in a tidy loop leave the holders listed in order and free their memory', async () => {
      const np = get();
      // The earlier tests dispose what they make: an array left to the collector could be dropped while
      // this test awaits, and the counts below would depend on when the collector ran.
      expect(np.liveArrays()).toEqual([]);
      const owner = np.arange(64, { dtype: 'float32' });
      const a = owner.reshape(8, 8);
      const kept = np.tidy(() => {
        for (let i = 0; i < 200; i++) a.set(`${i % 8}, ${i % 5}:${(i % 5) + 3}`, a.get(`${(i * 3) % 8}, ::3`));
        return a.get('1:3, 2');
      });
      const middle = a.get('0');
      const last = a.get('7, :2');
      // The arange's owner, then its views in the order they were made.
      expect(np.liveArrays().map((x) => x.label)).toEqual([
        'float32 (64,) owner',
        'float32 (8, 8) view',
        'float32 (2,) view',
        'float32 (8,) view',
        'float32 (2,) view',
      ]);
      middle.dispose();
      expect(np.liveArrays().map((x) => x.label)).toEqual([
        'float32 (64,) owner',
        'float32 (8, 8) view',
        'float32 (2,) view',
        'float32 (2,) view',
      ]);
      a.dispose();
      owner.dispose();
      expect(await kept.toArray()).toHaveLength(2);
      kept.dispose();
      np.keep(last); // outside any scope: nothing to do, and disposing it still frees the memory
      last.dispose();
      expect(np.liveArrays()).toEqual([]);
    });
  });
});
