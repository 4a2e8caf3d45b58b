/**
 * Repeated keys in a scatter: each element ends with the value of its key's last occurrence. The CPU
 * executors skip the last-occurrence pass when their walk visits the keys in packed order (what every plan
 * of `planScatter` does, so the indexing tests cannot tell whether the pass runs); these plans are built by
 * hand to walk the keys out of order, where the pass decides the result.
 */

import { describe, expect, it } from 'vitest';
import { walkKeepsKeyOrder, type ScatterPlan } from '../src/ndarray/core/index-plan.js';
import { createCpuBackend } from '../src/device/cpu/create.js';

/** Six float32 values into a target of four, keys over a (2, 3) walk whose inner axis steps two packed
 * positions: positions are visited 0, 2, 4, 1, 3, 5. Keys 3 (positions 3 and 4) and 2 (positions 2 and
 * 5) repeat; in walk order position 3 comes after position 4. */
function outOfOrderPlan(keySpace: ScatterPlan['keySpace']): ScatterPlan {
  return {
    itemsize: 4,
    shape: [2, 3],
    count: 6,
    dst: { offset: 0, strides: [0, 0] },
    value: { offset: 0, strides: [1, 2] },
    keys: { offset: 0, strides: [1, 2] },
    keySpace,
    dstRange: [0, 4],
    lastWins: { keys: 6, space: 4 },
  };
}

const KEYS = [0, 1, 2, 3, 3, 2];
const VALUES = [10, 11, 12, 13, 14, 15];
/** Element 3 gets position 4's value (its last occurrence), not position 3's (the last one walked). */
const EXPECTED = [10, 11, 15, 14];

describe('scatter with repeated keys walked out of their packed order', () => {
  it('walkKeepsKeyOrder sees the order', () => {
    const plan = outOfOrderPlan({ shape: [4], strides: [1] });
    expect(walkKeepsKeyOrder(plan)).toBe(false);
    expect(walkKeepsKeyOrder({ ...plan, value: { offset: 0, strides: [3, 1] }, keys: { offset: 0, strides: [3, 1] } })).toBe(true);
    // An axis that moves both the target and the keys leaves no order to rely on.
    expect(walkKeepsKeyOrder({ ...plan, dst: { offset: 0, strides: [0, 1] }, keys: { offset: 0, strides: [3, 1] } })).toBe(false);
  });

  for (const kernels of ['wasm', 'js'] as const) {
    for (const keySpace of [
      { shape: [4], strides: [1] }, // keys on one axis: the row loops (and kernels)
      { shape: [2, 2], strides: [2, 1] }, // keys over two axes: the general walk
    ]) {
      it(`leaves the last occurrence's value (cpuKernels '${kernels}', key space over ${keySpace.shape.length} axes)`, async () => {
        const backend = await createCpuBackend({ kernels });
        try {
          const dst = backend.alloc(16);
          const value = backend.alloc(24);
          const keys = backend.alloc(24);
          backend.write(dst, 0, new Uint8Array(16));
          backend.write(value, 0, new Uint8Array(new Float32Array(VALUES).buffer));
          backend.write(keys, 0, new Uint8Array(new Uint32Array(KEYS).buffer));
          backend.scatter(dst, value, keys, outOfOrderPlan(keySpace), []);
          const bytes = backend.readSync(dst, 0, 16);
          expect(Array.from(new Float32Array(bytes.slice().buffer))).toEqual(EXPECTED);
          for (const buffer of [dst, value, keys]) backend.release(buffer);
        } finally {
          backend.dispose();
        }
      });
    }
  }
});
