/**
 * Larger moves, checked element by element against the CPU backend: shapes big enough to span many
 * workgroups, runs that cross rows, tiled transposes with ragged edges, vec4 rows, every item width, and
 * 1-byte strided writes that would race if two invocations could write one word.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, type Context, type DType } from '../src/index.js';
import { testedWebGpuVariants } from './backends.js';
import { mulberry32 } from './random.js';

const WIDTH_DTYPES: DType[] = ['uint8', 'int16', 'float16', 'int32', 'float32', 'float64', 'int64'];

if (testedWebGpuVariants().length === 0) {
  // NDGPU_TEST_BACKENDS=cpu (npm run test:cpu) names no WebGPU backend: say so instead of failing the file.
  describe.skip('WebGPU kernels agree with the CPU backend (no WebGPU backend selected)', () => {
    it('compares every kernel with the CPU backend', () => {});
  });
}

describe.each(testedWebGpuVariants())('%s kernels agree with the CPU backend', (_name, options) => {
  let gpu: Context;
  let cpu: Context;
  beforeAll(async () => {
    gpu = await init(options);
    cpu = await init({ backend: 'cpu' });
  });
  afterAll(() => {
    gpu?.dispose();
    cpu?.dispose();
  });

  /** Runs `make` on both backends and compares the bytes of what it returns. */
  async function same(label: string, make: (np: Context) => ReturnType<Context['arange']>): Promise<void> {
    const [a, b] = [make(gpu), make(cpu)];
    const [x, y] = await Promise.all([a.data(), b.data()]);
    expect(a.shape, label).toEqual(b.shape);
    expect(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), label).toEqual(new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
    a.dispose();
    b.dispose();
  }

  it('zero and -0 fills of contiguous ranges (the device clear) leave their neighbours alone', async () => {
    // [shape, index, value]: contiguous ranges (cleared on the GPU where whole words), a strided one
    // (the fill kernel), and -0 (not all zero bits: the kernel).
    const cases = [
      [[2000], '3:1000', 0],
      [[2000], '...', 0],
      [[2000], '1:-1', -0],
      [[40, 50], '4:8', 0],
      [[40, 50], ':, 2:5', 0],
    ] as const;
    for (const dtype of WIDTH_DTYPES) {
      for (const [shape, index, value] of cases) {
        const fill = dtype.startsWith('float') ? value : 0;
        await same(`${dtype} ${JSON.stringify(shape)}[${index}] = ${Object.is(fill, -0) ? '-0' : fill}`, (np) =>
          np
            .arange(1, 2001, { dtype })
            .reshape([...shape])
            .set(index, fill),
        );
      }
    }
  });

  it('transposes of every size and width (tiles with ragged edges, batches)', async () => {
    for (const dtype of WIDTH_DTYPES) {
      for (const [r, c] of [
        [7, 9],
        [8, 8],
        [33, 65],
        [100, 31],
        [64, 256],
      ]) {
        await same(`${dtype} (${r},${c}).T`, (np) =>
          np.tidy(() =>
            np
              .arange(r * c, { dtype })
              .reshape(r, c)
              .T.copy(),
          ),
        );
      }
      await same(`${dtype} 3-D permute`, (np) =>
        np.tidy(() =>
          np
            .arange(5 * 40 * 36, { dtype })
            .reshape(5, 40, 36)
            .transpose(2, 0, 1)
            .copy(),
        ),
      );
      await same(`${dtype} batched transpose`, (np) =>
        np.tidy(() =>
          np
            .arange(3 * 40 * 36, { dtype })
            .reshape(3, 40, 36)
            .transpose(0, 2, 1)
            .copy(),
        ),
      );
    }
  });

  it('random strided views of larger arrays, copied and assigned', async () => {
    const random = mulberry32(20261125);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    for (let trial = 0; trial < 60; trial++) {
      const dtype = pick(WIDTH_DTYPES);
      const shape = [2 + Math.floor(random() * 40), 2 + Math.floor(random() * 40), 1 + Math.floor(random() * 5)];
      const size = shape[0] * shape[1] * shape[2];
      const index = shape
        .map((n) => {
          const step = pick([1, 1, 2, 3, -1, -2]);
          const start = Math.floor(random() * n);
          return step > 0 ? `${start % 3}::${step}` : `${n - 1 - (start % 3)}::${step}`;
        })
        .join(', ');
      const perm = pick([
        [0, 1, 2],
        [2, 1, 0],
        [1, 0, 2],
        [0, 2, 1],
      ]);
      const label = `${dtype} ${shape} [${index}] transpose(${perm})`;
      await same(`${label} copy`, (np) => np.tidy(() => np.arange(size, { dtype }).reshape(shape).get(index).transpose(perm).copy()));
      await same(`${label} assign`, (np) =>
        np.tidy(() => {
          const target = np.zeros(shape, { dtype });
          const view = target.get(index);
          const source = np.arange(view.size, { dtype }).reshape(view.shape);
          view.set('...', source);
          const half = Math.floor(shape[0] / 2);
          target.get(`:${2 * half}:2`).set('...', target.get('1::2').copy().get(`:${half}`));
          return target;
        }),
      );
    }
  });

  it('never loses a byte when invocations write neighbouring bytes of one word (run many times)', async () => {
    for (let round = 0; round < 20; round++) {
      const a = gpu.zeros([4099], { dtype: 'uint8' });
      // Every other byte, then the rest: both passes write into every word.
      a.set('::2', 1);
      a.set('1::2', 2);
      a.get('::3').set('...', gpu.arange(1367, { dtype: 'uint8' }));
      const expected = Array.from({ length: 4099 }, (_, i) => (i % 3 === 0 ? (i / 3) % 256 : i % 2 === 0 ? 1 : 2));
      expect(await a.toArray()).toEqual(expected);
      const h = gpu.zeros([2051], { dtype: 'int16' });
      h.set('1::2', -1);
      h.set('::2', gpu.arange(1026, { dtype: 'int16' }));
      expect(await h.toArray()).toEqual(Array.from({ length: 2051 }, (_, i) => (i % 2 ? -1 : i / 2)));
      a.dispose();
      h.dispose();
    }
  });
});
