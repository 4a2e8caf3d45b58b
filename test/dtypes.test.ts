/** Every dtype as a first-class citizen: bit-exact moves, readback types, the acceptance examples. */

import { expect, it } from 'vitest';
import { float16BitsToNumbers } from '../src/index.js';
import { forEachBackend } from './backends.js';

forEachBackend((backend, get) => {
  it('moves NaN payloads bit for bit in every float width (copies, transposes, sets)', async () => {
    const np = get();
    const f32 = new Uint32Array([0x7fc00001, 0xffbadbad, 0x7f800001, 0x80000000, 0x00000001, 0x7fffffff]);
    const f16 = new Uint16Array([0x7c01, 0xfe55, 0x7e00, 0x8000, 0x0001, 0x7fff]);
    const f64 = new BigUint64Array([
      0x7ff0000000000001n,
      0xfff8dead0000beefn,
      0x8000000000000000n,
      1n,
      0x7ff8000000000000n,
      0x7fffffffffffffffn,
    ]);
    for (const [bits, dtype] of [
      [f32, 'float32'],
      [f16, 'float16'],
      [f64, 'float64'],
    ] as const) {
      const a = np.array(bits, { shape: [2, 3] }).view(dtype);
      const moved = np.tidy(() => {
        const t = a.T.copy(); // a transpose kernel
        const b = np.zeros([3, 4], { dtype });
        b.set(':, 1:3', t); // a strided set
        return b.get(':, 1:3').get('::-1').copy(); // a reversed copy
      });
      const back = await moved
        .get('::-1')
        .view(bits.constructor === Uint32Array ? 'uint32' : bits.constructor === Uint16Array ? 'uint16' : 'uint64')
        .T.copy()
        .data();
      expect([...(back as Uint32Array)]).toEqual([...bits]);
      a.dispose();
      moved.dispose();
    }
  });

  it('reads back the matching TypedArray for every dtype', async () => {
    const np = get();
    const types: [string, unknown][] = [
      ['bool', Uint8Array],
      ['int8', Int8Array],
      ['uint8', Uint8Array],
      ['int16', Int16Array],
      ['uint16', Uint16Array],
      ['int32', Int32Array],
      ['uint32', Uint32Array],
      ['float32', Float32Array],
      ['float64', Float64Array],
      ['int64', BigInt64Array],
      ['uint64', BigUint64Array],
    ];
    for (const [dtype, ctor] of types) {
      const data = await np.tidy(() => np.arange(2, { dtype: dtype as 'int8' }).data());
      expect(data, dtype).toBeInstanceOf(ctor);
    }
    const half = await np.array([1.5, -2, 65504], { dtype: 'float16' }).data();
    const Float16 = (globalThis as { Float16Array?: unknown }).Float16Array;
    if (Float16) expect([...(half as unknown as number[])]).toEqual([1.5, -2, 65504]);
    else expect([...float16BitsToNumbers(half as Uint16Array)]).toEqual([1.5, -2, 65504]);
  });

  it('gives 64-bit integers as bigints', async () => {
    const np = get();
    const a = np.array([2n ** 62n, -5n, 7n], { dtype: 'int64' });
    expect(await a.item(0)).toBe(2n ** 62n);
    expect(await a.get('::-1').toArray()).toEqual([7n, -5n, 2n ** 62n]);
    const u = np.full([2], 2n ** 64n - 1n, { dtype: 'uint64' });
    expect(await u.toArray()).toEqual([2n ** 64n - 1n, 2n ** 64n - 1n]);
    expect(await u.format()).toBe('[18446744073709551615 18446744073709551615]');
  });

  it("meets issue 3's acceptance examples", async () => {
    const np = get();
    expect(await np.tidy(() => np.arange(10, { dtype: 'uint8' }).get('1::3').copy().toArray())).toEqual([1, 4, 7]);
    const a = np.arange(9, { dtype: 'int16' });
    a.set('::-1', a); // overlapping, reversed
    expect(await a.toArray()).toEqual([8, 7, 6, 5, 4, 3, 2, 1, 0]);
    a.set('1:', a.get(':-1'));
    expect(await a.toArray()).toEqual([8, 8, 7, 6, 5, 4, 3, 2, 1]);
    const m = np.arange(6, { dtype: 'float64' }).reshape(2, 3);
    expect(await np.tidy(() => m.T.copy().toArray())).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    const h = np.zeros([3, 4], { dtype: 'float16' });
    h.set('...', np.array([0.1, 1 / 3, 65504, -0], { dtype: 'float16' }));
    // NumPy prints float16's 0.1 as 9.998e-02 (its shortest digits at float16's precision, in scientific).
    expect(await h.format()).toBe(
      '[[ 9.998e-02  3.333e-01  6.550e+04 -0.000e+00]\n [ 9.998e-02  3.333e-01  6.550e+04 -0.000e+00]\n [ 9.998e-02  3.333e-01  6.550e+04 -0.000e+00]]',
    );
    expect(() => np.arange(3, { dtype: 'bool' })).toThrow('arange() is only supported for booleans when the result has at most length 2.');
    const u8 = np.arange(7, { dtype: 'uint8' });
    u8.set('1:', u8.get(':-1')); // overlapping 1-byte shift
    expect(await u8.toArray()).toEqual([0, 0, 1, 2, 3, 4, 5]);
  });
});
