/** The public API's contract beyond the NumPy fixtures: creation inputs, reads, lifetime, errors. */

import { describe, expect, it } from 'vitest';
import { init, IndexError, ValueError, OverflowError, slice } from '../src/index.js';
import { forEachBackend } from './backends.js';

describe('init', () => {
  it('forces the CPU backend', async () => {
    const np = await init({ backend: 'cpu' });
    expect(np.backend).toBe('cpu');
    np.dispose();
  });
  it('rejects an unknown backend name', async () => {
    await expect(init({ backend: 'metal' as 'cpu' })).rejects.toThrow(TypeError);
  });
});

forEachBackend((backend, get) => {
  describe('creation', () => {
    it('infers dtypes like ndgpu documents', () => {
      const np = get();
      expect(np.array([1, 2]).dtype).toBe('int32');
      expect(np.array([1, 2.5]).dtype).toBe('float32');
      expect(np.array([true, false]).dtype).toBe('bool');
      expect(np.arange(3).dtype).toBe('int32');
      expect(np.arange(0, 1, 0.25).dtype).toBe('float32');
      expect(np.zeros([2]).dtype).toBe('float32');
      expect(np.full([2], 7).dtype).toBe('int32');
      expect(np.full([2], 7, { dtype: 'uint8' }).dtype).toBe('uint8');
    });

    it('copies a broadcast row into every row (any row count, also into part of a larger array)', async () => {
      const np = get();
      for (const rows of [2, 3, 7, 64, 100]) {
        const row = np.arange(5, 5 + 37, { dtype: 'float32' });
        const copy = np.broadcastTo(row, [rows, 37]).copy();
        const expected = Array.from({ length: rows }, () => Array.from({ length: 37 }, (_, j) => 5 + j));
        expect(await copy.toArray(), `${rows} rows`).toEqual(expected);
        // Rows 2..rows+1 of a larger array take the row; the rows around them stay as they were.
        const m = np.zeros([rows + 3, 37], { dtype: 'float32' });
        m.set(`2:${rows + 2}`, row);
        const values = (await m.toArray()) as number[][];
        expect(values.slice(2, rows + 2)).toEqual(expected);
        expect([...values.slice(0, 2), ...values.slice(rows + 2)].flat().every((v) => v === 0)).toBe(true);
        for (const a of [row, copy, m]) a.dispose();
      }
    });

    it('copies long reversed rows (in pieces), from another buffer and within one', async () => {
      const np = get();
      const n = 200_003;
      const a = np.arange(n, { dtype: 'int32' });
      const reversed = a.get('::-1').copy();
      const values = (await reversed.data()) as Int32Array;
      expect(values.length).toBe(n);
      expect(values.every((v, i) => v === n - 1 - i)).toBe(true);
      // Within one buffer, regions apart: elements 199,999 down to 130,000 into 0..69,999.
      a.set('0:70000', a.get('199999:129999:-1'));
      const after = (await a.data()) as Int32Array;
      expect(after.subarray(0, 70_000).every((v, i) => v === 199_999 - i)).toBe(true);
      expect(after.subarray(70_000).every((v, i) => v === 70_000 + i)).toBe(true);
      a.dispose();
      reversed.dispose();
    });

    it('takes TypedArrays with a shape, bit for bit', async () => {
      const np = get();
      const bits = new Uint32Array([0x7fc00001, 0xffffffff, 1, 2, 3, 4]);
      const a = np.array(new Float32Array(bits.buffer), { shape: [2, 3] });
      expect(a.shape).toEqual([2, 3]);
      expect(a.dtype).toBe('float32');
      const back = (await a.data()) as Float32Array;
      expect(new Uint32Array(back.buffer)).toEqual(bits); // NaN payloads survive
      expect(() => np.array(new Int32Array(5), { shape: [2, 3] })).toThrow(ValueError);
    });

    it('takes a copy of the TypedArray: changing it afterwards changes nothing, also before a sync', async () => {
      const np = get();
      const source = new Int32Array([1, 2, 3, 4, 5, 6, 7, 8]);
      const a = np.array(source.subarray(2, 6)); // a view with an offset into a larger buffer
      const big = new Float32Array(1 << 20).fill(1.5); // larger than the WebGPU upload arena
      const b = np.array(big);
      source.fill(0);
      big.fill(-1);
      expect(await a.toArray()).toEqual([3, 4, 5, 6]);
      expect(await np.tidy(() => b.get('::262144')).toArray()).toEqual([1.5, 1.5, 1.5, 1.5]);
      a.dispose();
      b.dispose();
    });

    it('copies an NDArray given to array()', async () => {
      const np = get();
      const a = np.arange(6);
      const b = np.array(a.get('::-1'));
      expect(b.base).toBe(null);
      expect(b.flags.owndata).toBe(true);
      a.set('...', 0);
      expect(await b.toArray()).toEqual([5, 4, 3, 2, 1, 0]);
    });

    it('reports ragged nested arrays', () => {
      expect(() => get().array([[1, 2], [3]])).toThrow(/inhomogeneous shape after 1 dimensions/);
    });

    it('makes arange like NumPy', async () => {
      const np = get();
      expect(await np.arange(2, 11, 3).toArray()).toEqual([2, 5, 8]);
      expect(await np.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
      expect(np.arange(3, 3).shape).toEqual([0]);
      expect(await np.arange(0, 1, 0.25).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    });
  });

  describe('reads', () => {
    it('item() takes nothing, a flat index, a tuple or an index string', async () => {
      const np = get();
      const m = np.arange(12).reshape(3, 4).T;
      expect(await m.item(1)).toBe(4);
      expect(await m.item(-1)).toBe(11);
      expect(await m.item([3, 2])).toBe(11);
      expect(await m.item('1, 2')).toBe(9);
      expect(await np.array(5).item()).toBe(5);
      expect(() => m.item()).toThrow('can only convert an array of size 1 to a Python scalar');
      expect(() => m.item(12)).toThrow(IndexError);
      expect(await np.array([true]).item(0)).toBe(true);
    });

    it('data() gives a C-ordered TypedArray of the dtype', async () => {
      const np = get();
      const d = await np.arange(6, { dtype: 'int16' }).reshape(2, 3).T.data();
      expect(d).toBeInstanceOf(Int16Array);
      expect([...(d as Int16Array)]).toEqual([0, 3, 1, 4, 2, 5]);
      expect(await np.zeros([0, 3]).data()).toHaveLength(0);
    });

    it('toArray() of a 0-d array is the element', async () => {
      expect(await get().array(2.5).toArray()).toBe(2.5);
    });

    it('reads see every write queued before them', async () => {
      const np = get();
      const a = np.zeros([1000], { dtype: 'int32' });
      for (let i = 0; i < 50; i++) a.set(slice(i, null, 50), i);
      const values = (await a.toArray()) as number[];
      expect(values.every((v, i) => v === i % 50)).toBe(true);
      await np.sync();
    });
  });

  describe('errors are thrown at once and leave nothing half-written', () => {
    it('writing a read-only broadcast view', async () => {
      const np = get();
      const a = np.arange(3);
      const b = np.broadcastTo(a, [2, 3]);
      expect(b.flags.writeable).toBe(false);
      expect(() => b.set('0, 0', 1)).toThrow(new ValueError('assignment destination is read-only'));
      expect(await a.toArray()).toEqual([0, 1, 2]);
    });

    it('an out-of-range value in a nested array writes nothing', async () => {
      const np = get();
      const a = np.zeros([3], { dtype: 'uint8' });
      expect(() => a.set(':', [1, 2, 300])).toThrow(new OverflowError('Python integer 300 out of bounds for uint8'));
      expect(await a.toArray()).toEqual([0, 0, 0]);
    });

    it('a disposed array says what happened', () => {
      const np = get();
      const a = np.arange(3);
      a.dispose();
      expect(() => a.get('0')).toThrow(ValueError);
      expect(() => a.get('0')).toThrow(/disposed/);
      a.dispose(); // twice is harmless
    });

    it('wrong argument kinds are TypeErrors', () => {
      const np = get();
      const a = np.arange(3);
      expect(() => a.set('0', 'x' as unknown as number)).toThrow(TypeError);
      expect(() => np.zeros([2.5])).toThrow(TypeError);
      expect(() => np.zeros([2], { dtype: 'complex64' as 'float32' })).toThrow(TypeError);
      expect(() => np.zeros([-1])).toThrow(new ValueError('negative dimensions are not allowed'));
    });
  });

  describe('lifetime', () => {
    it('frees memory when the owner and every view are disposed', async () => {
      const np = get();
      const before = np.memory();
      const a = np.arange(1000);
      const v = a.get('::2');
      expect(np.memory().buffers).toBe(before.buffers + 1);
      const bytes = np.memory().bytes - before.bytes;
      expect(bytes).toBeGreaterThanOrEqual(a.nbytes);
      a.dispose();
      expect(np.memory().buffers).toBe(before.buffers + 1); // v keeps the memory alive
      expect(((await v.toArray()) as number[]).slice(0, 3)).toEqual([0, 2, 4]);
      // Counted again after the await: meanwhile the collector may have freed arrays earlier tests dropped.
      const afterRead = np.memory();
      v.dispose();
      expect(np.memory().buffers).toBe(afterRead.buffers - 1);
      expect(np.memory().bytes).toBe(afterRead.bytes - bytes);
    });
  });
});

describe('a disposed context', () => {
  it('fails every later call', async () => {
    const np = await init({ backend: 'cpu' });
    const a = np.arange(3);
    np.dispose();
    expect(() => a.get('0')).toThrow(/context was disposed/);
    expect(() => np.arange(3)).toThrow(/context was disposed/);
  });
});
