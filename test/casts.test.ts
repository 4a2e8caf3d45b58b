/**
 * Casts between every pair of dtypes, on every backend, against NumPy (test/fixtures/casts.json, made by
 * scripts/gen-cast-fixtures.py). Where C leaves NumPy's result undefined the fixture holds ndgpu's
 * documented rule (saturate, NaN → 0, canonical NaN); every other value is NumPy's own.
 */

import { expect, it } from 'vitest';
import fixtures from './fixtures/casts.json';
import type { DType, HostTypedArray } from '../src/index.js';
import { forEachBackend } from './backends.js';

interface CastCase {
  from: DType;
  to: DType;
  source: string;
  expected: string;
}

const cases = (fixtures as { cases: CastCase[] }).cases;

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const ITEMSIZE: Record<DType, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float16: 2,
  float32: 4,
  float64: 8,
  int64: 8,
  uint64: 8,
};

/** A TypedArray over the source bytes with the source dtype's item width (np.array copies it bit for bit). */
function typed(bytes: Uint8Array, dtype: DType): HostTypedArray {
  const buffer = bytes.slice().buffer;
  switch (ITEMSIZE[dtype]) {
    case 1:
      return new Uint8Array(buffer);
    case 2:
      return new Uint16Array(buffer);
    case 4:
      return new Uint32Array(buffer);
    default:
      return new BigUint64Array(buffer);
  }
}

function hex(view: ArrayBufferView): string {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('hex');
}

forEachBackend((backend, get) => {
  it(`casts every dtype to every dtype like NumPy (${cases.length} pairs)`, async () => {
    const np = get();
    const mismatches: string[] = [];
    for (const c of cases) {
      const bytes = hexBytes(c.source);
      const n = bytes.length / ITEMSIZE[c.from];
      // Reinterpret the raw bytes as the source dtype (same item size), then cast.
      const raw = np.array(typed(bytes, c.from), { shape: [n] });
      const source = raw.view(c.from);
      const cast = source.astype(c.to);
      // The same conversion through set() into a strided destination (the assign path).
      const target = np.zeros([2 * n], { dtype: c.to });
      target.set('1::2', source.get('::-1'));
      const [viaAstype, viaSet] = await Promise.all([cast.data(), np.tidy(() => target.get('-1::-2').copy().data())]);
      if (hex(viaAstype) !== c.expected) mismatches.push(`${c.from} -> ${c.to} (astype): got ${hex(viaAstype)}, want ${c.expected}`);
      if (hex(viaSet) !== c.expected) mismatches.push(`${c.from} -> ${c.to} (set): got ${hex(viaSet)}, want ${c.expected}`);
      for (const a of [raw, source, cast, target]) a.dispose();
    }
    expect(mismatches.slice(0, 5), `${mismatches.length} mismatching pairs on ${backend}`).toEqual([]);
  });
});
