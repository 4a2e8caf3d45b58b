/**
 * `npx tsx bench/throughput.ts [--n 2^k] [--queue R] [--tunings gpu,software]` (after `npm run build`)
 *
 * Throughput of the WebGPU kernels under each kernel tuning (src/shaders/tuning.ts): every case of
 * bench/cases.ts (but the per-call case 9) issued R times and then synced once, so that the time is the
 * kernels' rather than one submit-and-wait per operation (about 0.1 ms on a real GPU, which hides a
 * kernel of 0.05 ms in the main bench). Reported beside copyBufferToBuffer queued the same way. The
 * main bench (`npm run bench`) stays the reference; this shows which tuning suits an adapter.
 */

import { parseArgs } from 'node:util';
import type { WebGpuBackend } from '../src/device/webgpu/webgpu-backend.js';
import type { Context } from '../src/index.js';
import { CASES, geometry, iota } from './cases.js';
import { init } from './library.js';
import { gbps, median } from './timing.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '24' },
    queue: { type: 'string', default: '20' },
    tunings: { type: 'string', default: 'gpu,software' },
  },
});
const n = 2 ** Number(values.n);
const queued = Number(values.queue);
const tunings = (values.tunings ?? '').split(',') as ('gpu' | 'software')[];
const g = geometry(n);
const source = iota(n);

/** Median over 5 tries of (R issues, one sync) / R, in ms. */
async function perOperation(np: Context, issue: () => void): Promise<number> {
  const times: number[] = [];
  for (let t = 0; t < 6; t++) {
    const start = performance.now();
    for (let r = 0; r < queued; r++) issue();
    await np.sync();
    if (t > 0) times.push((performance.now() - start) / queued); // the first try compiles and warms
  }
  return median(times);
}

async function rawCopy(np: Context, bytes: number): Promise<number> {
  const device = (np.backendImpl as WebGpuBackend).device;
  const usage = 0x80 | 0x04 | 0x08; // STORAGE | COPY_SRC | COPY_DST, as ndgpu's buffers
  const size = Math.ceil(bytes / 2 / 4) * 4;
  const [src, dst] = [device.createBuffer({ size, usage }), device.createBuffer({ size, usage })];
  try {
    return await perOperation(np, () => {
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(src, 0, dst, 0, size);
      device.queue.submit([encoder.finish()]);
    });
  } finally {
    src.destroy();
    dst.destroy();
  }
}

const rows: Record<string, Record<string, string>> = {};
for (const tuning of tunings) {
  const np = await init({ backend: 'webgpu', tuning });
  console.log(`[${tuning}] ${np.device}`);
  for (const def of CASES) {
    if (def.perCall) continue;
    const prepared = def.ndgpu(np, source, g);
    await np.sync();
    const ms = await perOperation(np, () => void Promise.resolve(prepared.op()).then((out) => out?.dispose()));
    const base = await rawCopy(np, def.baselineCopyBytes ? def.baselineCopyBytes(g) * 2 : def.bytes(g));
    prepared.dispose();
    np.trim();
    const cell = `${(ms * 1000).toFixed(0).padStart(6)} us ${gbps(def.bytes(g), ms).toFixed(0).padStart(5)} GB/s ${(base / ms).toFixed(2).padStart(5)}x`;
    (rows[`${def.number} ${def.id}`] ??= {})[tuning] = cell;
    console.log(`  ${def.number.padEnd(4)}${def.id.padEnd(13)} ${cell}`);
  }
  np.dispose();
}
console.log(
  `\nper operation, ${queued} queued then one sync; n = 2^${values.n}; ratio = copyBufferToBuffer (queued alike) time / ndgpu time`,
);
console.log(`${'case'.padEnd(17)}${tunings.map((t) => `tuning ${t}`.padEnd(30)).join('')}`);
for (const [name, cells] of Object.entries(rows))
  console.log(`${name.padEnd(17)}${tunings.map((t) => (cells[t] ?? '').padEnd(30)).join('')}`);
