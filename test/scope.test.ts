/**
 * np.scope(): a lifetime scope that stays open across awaits. It disposes what its context made while it
 * was open except what it returns; scopes open at the same time (nested, or interleaved) share what was
 * made while they were all open, so that none disposes an array another may still use; np.keep() takes
 * an array out of every scope. On every backend.
 */

import { describe, expect, it } from 'vitest';
import { ValueError, init, type Context, type NDArray } from '../src/index.js';
import { forEachBackend } from './backends.js';

/** A promise with its resolve function, to run two scopes interleaved in a chosen order. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Live arrays (owners and views) of the context. */
const live = (np: Context) => np.liveArrays().length;

forEachBackend((_backend, get) => {
  describe('np.scope()', () => {
    it('disposes the arrays made after its awaits too, and hands back what it returns', async () => {
      const np = get();
      const flat = np.arange(24, { dtype: 'float32' });
      const f = flat.reshape(2, 3, 4);
      const w = np.array([1, 2, 3], { dtype: 'float32' });
      const before = live(np);
      const bytesBefore = np.memory().bytes;
      const { total, rows } = await np.scope(async () => {
        const s = f.get('..., :3').multiply(w).sum(-1); // a view, a product, a sum: temporaries
        const values = (await s.toArray()) as number[][]; // a read in the middle
        const t = s.add(values.length); // made after the await
        const rows = await t.get('0').toArray();
        return { total: t.sum(), rows };
      });
      expect(rows).toEqual([8 + 2, 32 + 2, 56 + 2]); // s is [[8, 32, 56], [80, 104, 128]], plus len(s)
      expect(await total.item()).toBe(8 + 32 + 56 + 80 + 104 + 128 + 6 * 2);
      expect(live(np)).toBe(before + 1); // only the returned total
      total.dispose();
      expect(live(np)).toBe(before);
      expect(np.memory().bytes).toBe(bytesBefore);
      f.dispose();
      flat.dispose(); // f's owner: disposed here rather than by the collector in the middle of a later test
      w.dispose();
    });

    it('keeps arrays inside a returned array or object; a read started inside completes', async () => {
      const np = get();
      const before = live(np);
      let pending: Promise<unknown> | undefined;
      const [a, { b }] = await np.scope(async () => {
        const x = np.arange(6);
        await Promise.resolve();
        const t = x.multiply(3);
        pending = t.toArray(); // not awaited: t is disposed when the scope closes
        return [x.get('1:3'), { b: x.reshape(2, 3).T }] as const;
      });
      expect(await pending).toEqual([0, 3, 6, 9, 12, 15]);
      expect(await a.toArray()).toEqual([1, 2]);
      expect(await b.toArray()).toEqual([
        [0, 3],
        [1, 4],
        [2, 5],
      ]);
      // x was not returned: the scope released its hold, and its memory stays while the views hold it.
      expect(live(np)).toBe(before + 2);
      expect(a.base?.disposed).toBe(true);
      const buffers = np.memory().buffers;
      a.dispose();
      b.dispose();
      expect(live(np)).toBe(before);
      expect(np.memory().buffers).toBe(buffers - 1);
    });

    it('works with tidy: tidy inside frees its block at once, a scope inside tidy outlives it', async () => {
      const np = get();
      const before = live(np);
      const result = await np.scope(async () => {
        const kept = np.tidy(() => np.arange(4).add(1)); // the arange is freed at once
        expect(live(np)).toBe(before + 1);
        await Promise.resolve();
        return kept.multiply(2);
      });
      expect(await result.toArray()).toEqual([2, 4, 6, 8]);
      expect(live(np)).toBe(before + 1);
      result.dispose();

      // A scope opened inside tidy: what its body makes before its first await belongs to the scope,
      // not to the tidy block that closes right after.
      let inner: Promise<NDArray> | undefined;
      np.tidy(() => {
        inner = np.scope(async () => {
          const x = np.arange(3);
          await new Promise((resolve) => setTimeout(resolve, 1));
          return x.add(10);
        });
      });
      const y = await inner!;
      expect(await y.toArray()).toEqual([10, 11, 12]);
      expect(live(np)).toBe(before + 1);
      y.dispose();
      expect(live(np)).toBe(before);
    });

    it('nested scopes: the inner one’s temporaries live until the outer one closes; results leave both', async () => {
      const np = get();
      const before = live(np);
      let afterInner = 0;
      let innerResult: NDArray | undefined;
      const outer = await np.scope(async () => {
        const x = np.arange(4);
        const inner = await np.scope(async () => {
          const t = x.add(1); // a temporary of the inner scope
          await Promise.resolve();
          return t.multiply(2);
        });
        afterInner = live(np); // x, t (shared with the outer scope, so still alive) and inner
        innerResult = inner;
        return inner.add(x);
      });
      expect(afterInner).toBe(before + 3);
      expect(await outer.toArray()).toEqual([2, 5, 8, 11]);
      // x and t were disposed by the outer scope; inner left both scopes when it was returned (the
      // collector watches it), outer is the caller's.
      expect(live(np)).toBe(before + 2);
      outer.dispose();
      expect(live(np)).toBe(before + 1);
      // Disposed here rather than left to the collector, so that no later test sees it go mid-count.
      innerResult!.dispose();
      expect(live(np)).toBe(before);
    });

    it('two scopes running interleaved: neither disposes what the other may still use', async () => {
      const np = get();
      const before = live(np);
      const aGo = gate();
      const bGo = gate();
      const aMade: NDArray[] = [];
      const bMade: NDArray[] = [];
      // A opens first; B opens while A waits; A makes a2 while B is open; B closes first.
      const first = np.scope(async () => {
        aMade.push(np.arange(3)); // a1: A's alone
        await aGo.opened;
        aMade.push(np.arange(3).add(100)); // a2: made while B is open too
        bGo.open();
        await new Promise((resolve) => setTimeout(resolve, 5)); // B closes meanwhile
        expect(aMade[1].disposed).toBe(false); // B's closing left A's array alone
        return aMade[1].add(aMade[0]);
      });
      const second = np.scope(async () => {
        bMade.push(np.arange(2)); // b1: made while A is open too
        aGo.open();
        await bGo.opened;
        return bMade[0].multiply(5);
      });
      const b = await second;
      expect(bMade[0].disposed).toBe(false); // shared with A, which is still open
      expect(aMade[0].disposed).toBe(false);
      const a = await first;
      expect(aMade.map((x) => x.disposed)).toEqual([true, true]);
      expect(bMade[0].disposed).toBe(true); // disposed when the last scope holding it closed
      expect(await a.toArray()).toEqual([100, 102, 104]);
      expect(await b.toArray()).toEqual([0, 5]); // B's result left both scopes
      a.dispose();
      b.dispose();
      expect(live(np)).toBe(before);
    });

    it('two scopes running interleaved, the first to open closing first: its result survives the other', async () => {
      const np = get();
      const before = live(np);
      const bGo = gate();
      const aGo = gate();
      let shared: NDArray | undefined;
      const first = np.scope(async () => {
        await aGo.opened;
        shared = np.arange(4); // made while B is open too, returned by A
        return shared;
      });
      const second = np.scope(async () => {
        const t = np.ones([2]);
        aGo.open();
        await bGo.opened;
        return t.sum();
      });
      const a = await first;
      expect(a).toBe(shared);
      bGo.open();
      const b = await second;
      expect(a.disposed).toBe(false); // B closing after A did not dispose what A returned
      expect(await a.toArray()).toEqual([0, 1, 2, 3]);
      expect(await b.item()).toBe(2);
      a.dispose();
      b.dispose();
      expect(live(np)).toBe(before);
    });

    it('keep() takes an array out of every open scope; a rejected scope disposes nothing', async () => {
      const np = get();
      const before = live(np);
      let weights: NDArray | undefined;
      await np.scope(async () => {
        const t = np.arange(5);
        await Promise.resolve();
        weights = np.keep(t.multiply(2)); // stored outside instead of returned
        np.tidy(() => np.keep(np.zeros([2]))).dispose(); // keep() inside tidy, then disposed
      });
      expect(await weights!.toArray()).toEqual([0, 2, 4, 6, 8]);
      expect(live(np)).toBe(before + 1);
      weights!.dispose();

      let made: NDArray | undefined;
      await expect(
        np.scope(async () => {
          made = np.arange(3);
          await Promise.resolve();
          throw new ValueError('boom');
        }),
      ).rejects.toThrow('boom');
      expect(made!.disposed).toBe(false); // left to the caller and the collector, as tidy() does
      made!.dispose();
      expect(live(np)).toBe(before);
      const outside = np.arange(1);
      expect(np.keep(outside)).toBe(outside); // outside any scope: nothing to do
      outside.dispose();
    });
  });
});

describe('np.scope() arguments', () => {
  it('throws at once on a disposed context or a non-function', async () => {
    const np = await init({ backend: 'cpu' });
    expect(() => np.scope(42 as unknown as () => void)).toThrow(TypeError);
    expect(() => np.keep({} as NDArray)).toThrow(TypeError);
    np.dispose();
    expect(() => np.scope(async () => 1)).toThrow(/disposed/);
  });
});
