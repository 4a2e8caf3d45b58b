import { expect, it } from 'vitest';
import { forEachBackend } from './backends.js';

forEachBackend((backend, get) => {
  it('runs the tutorial on ' + backend, async () => {
    const np = get();
    expect(np.backend).toBe(backend);
    const a = np.array([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    const c = a.view();
    expect(c === a).toBe(false);
    expect(c.base).toBe(a);
    expect(c.flags.owndata).toBe(false);
    const r = c.reshape([2, 6]);
    expect(a.shape).toEqual([3, 4]);
    r.set('0, 4', 1234);
    a.get(':, 1:3').set(':', 10);
    expect(await a.toArray()).toEqual([
      [0, 10, 10, 3],
      [1234, 10, 10, 7],
      [8, 10, 10, 11],
    ]);
    const d = a.copy();
    expect(d.base).toBe(null);
    d.set('0, 0', 9999);
    expect(await a.item(0)).toBe(0);
  });
});
