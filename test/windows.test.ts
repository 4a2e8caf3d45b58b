/**
 * Buffers larger than one storage binding are bound through windows, and the work is split so that each
 * piece's elements fit one. Real bindings hold 128 MiB or more, so here the WebGPU contexts lower the limit
 * to 4 KiB (`init({ maxBindingSize })`): every operation below reads or writes arrays of several windows,
 * and its result must equal the CPU backend's (float sums within rounding: the pieces change the order).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, type Context, type DType, type NDArray } from '../src/index.js';
import { testedWebGpuVariants } from './backends.js';
import { mulberry32 } from './random.js';

const WINDOW = 4096;

const REDUCTIONS = ['sum', 'prod', 'mean', 'min', 'max', 'argmin', 'argmax', 'any', 'all'] as const;

interface Source {
  dtype: DType;
  shape: number[];
  view: string;
}

const SOURCES: Source[] = [
  { dtype: 'int32', shape: [3000], view: '' },
  { dtype: 'int32', shape: [3000], view: '::-3' },
  { dtype: 'float32', shape: [37, 61], view: '' },
  { dtype: 'float32', shape: [37, 61], view: 'T' },
  { dtype: 'int32', shape: [8, 700], view: ':, 1::2' },
  { dtype: 'uint8', shape: [64, 130], view: '::-1' },
  { dtype: 'float32', shape: [5, 7, 90], view: '' },
  { dtype: 'int16', shape: [5, 7, 90], view: 'T' },
];

function axesOf(ndim: number): (number | number[] | null)[] {
  const axes: (number | number[] | null)[] = [null];
  for (let k = 0; k < ndim; k++) axes.push(k);
  if (ndim === 3) axes.push([0, 2]);
  return axes;
}

function make(np: Context, source: Source, seed: number): NDArray {
  const random = mulberry32(seed);
  const size = source.shape.reduce((p, n) => p * n, 1);
  const float = source.dtype.startsWith('float');
  // Small integers keep products and sums meaningful; a few ties test the positions' order.
  const values = Array.from({ length: size }, () =>
    float ? random() * 4 - 2 : Math.floor(random() * 7) - (source.dtype === 'uint8' ? 0 : 3),
  );
  const a = np.array(values, { dtype: source.dtype }).reshape(source.shape);
  if (source.view === '') return a;
  return source.view === 'T' ? a.T : a.get(source.view);
}

if (testedWebGpuVariants().length === 0) {
  describe.skip('binding windows (no WebGPU backend selected)', () => {
    it('needs a WebGPU backend', () => {});
  });
}

for (const [name, options] of testedWebGpuVariants()) {
  describe(`${name}, bindings of ${WINDOW} bytes`, () => {
    let gpu: Context;
    let cpu: Context;
    beforeAll(async () => {
      gpu = await init({ ...options, maxBindingSize: WINDOW });
      cpu = await init({ backend: 'cpu' });
    });
    afterAll(() => {
      gpu?.dispose();
      cpu?.dispose();
    });

    it('reduces arrays spanning many windows, along every axis, like the CPU backend', async () => {
      const checks: Promise<string | null>[] = [];
      SOURCES.forEach((source, s) => {
        const a = make(gpu, source, s + 1);
        const b = make(cpu, source, s + 1);
        for (const axis of axesOf(source.shape.length)) {
          for (const op of REDUCTIONS) {
            if ((op === 'argmin' || op === 'argmax') && Array.isArray(axis)) continue;
            const label = `${op}(${source.dtype} ${JSON.stringify(source.shape)}[${source.view}], axis=${JSON.stringify(axis)})`;
            const got = a[op](axis as number);
            const want = b[op](axis as number);
            checks.push(
              Promise.all([got.toArray(), want.toArray()]).then(([g, w]) => {
                const gs = ([] as unknown[]).concat(g as unknown[]).flat(3) as number[];
                const ws = ([] as unknown[]).concat(w as unknown[]).flat(3) as number[];
                if (got.dtype !== want.dtype || JSON.stringify(got.shape) !== JSON.stringify(want.shape))
                  return `${label}: ${got.dtype} ${got.shape} vs ${want.dtype} ${want.shape}`;
                // Integer means divide exact sums: the same bits however the work is split.
                const inexact = source.dtype.startsWith('float') && (op === 'sum' || op === 'mean' || op === 'prod');
                for (let i = 0; i < ws.length; i++) {
                  const ok = inexact ? Math.abs(gs[i] - ws[i]) <= 1e-4 * Math.max(1, Math.abs(ws[i])) : Object.is(gs[i], ws[i]);
                  if (!ok) return `${label}[${i}]: ${gs[i]}, want ${ws[i]}`;
                }
                return null;
              }),
            );
          }
        }
      });
      const failures = (await Promise.all(checks)).filter((f): f is string => f !== null);
      expect(failures.slice(0, 10)).toEqual([]);
    });

    it('copies, writes and computes over arrays spanning many windows, like the CPU backend', async () => {
      const program = (np: Context) => {
        const m = np.arange(97 * 83, { dtype: 'float32' }).reshape(97, 83);
        const t = m.T.copy();
        const r = m.get('::-1, ::2').copy();
        const w = np.zeros([97, 83], { dtype: 'float32' });
        w.set('::3, 1::2', m.get('::3, :0:-2'));
        const sum = np.add(m.T, t.get('::-1'), { out: np.zeros([83, 97]) });
        const narrow = np.arange(9000, { dtype: 'uint8' }).get('::-1').copy();
        // Inputs in the output's buffer: far from the written elements, and overlapping them.
        const shared = np.arange(6000, { dtype: 'float32' });
        np.multiply(shared.get(':2000'), shared.get('::-3'), { out: shared.get('4000:') });
        np.add(shared.get('1000:3000'), shared.get('1001:3001'), { out: shared.get('1000:3000') });
        return [t, r, w, sum, narrow, shared];
      };
      const got = await Promise.all(program(gpu).map((a) => a.data()));
      const want = await Promise.all(program(cpu).map((a) => a.data()));
      got.forEach((g, k) => expect(Array.from(g as Float32Array), `result ${k}`).toEqual(Array.from(want[k] as Float32Array)));
    });
  });
}
