/**
 * `npx tsx bench/recording.ts` (after `npm run build`; Node only)
 *
 * The CPU cost of recording case 9's 2,000 small sets on WebGPU, apart from any GPU: on Dawn's null
 * backend (`create(['backend=null'])`, which validates and records but executes nothing), ndgpu's sets
 * (case 9's own code, bench/cases.ts) against the same number of raw dispatches recorded in one pass
 * (bench/baselines.ts). On a real GPU that cost is most of case 9, and the speed issue's target is at most
 * 2x the raw dispatches; here it is measured without the GPU's or the driver's noise.
 */

import { webgpuDispatchBaseline } from './baselines.js';
import { CASES, geometry, iota } from './cases.js';
import { init } from './library.js';
import { measure } from './timing.js';

const dawn = (await import('webgpu')) as unknown as { create(flags: string[]): GPU };
const gpu = dawn.create(['backend=null']);
const adapter = await gpu.requestAdapter();
if (!adapter) throw new Error("Dawn's null backend is not available in this build of the webgpu package");
const device = await adapter.requestDevice();
const counts = { warmup: 30, reps: 41 };
const sets = 2000;

const results: string[] = [];
for (const tuning of ['software', 'gpu'] as const) {
  const np = await init({ device, tuning });
  const def = CASES.find((c) => c.id === 'smallsets');
  if (!def) throw new Error('bench/cases.ts has no smallsets case');
  const prepared = def.ndgpu(np, iota(2 ** 12), geometry(2 ** 12));
  const ndgpu = await measure(async () => {
    prepared.op();
    await np.sync();
  }, counts);
  prepared.dispose();
  np.dispose();
  results.push(`ndgpu (tuning ${tuning}) ${((ndgpu.medianMs / sets) * 1000).toFixed(2)} us per set`);
}
const raw = await webgpuDispatchBaseline(device, counts);
results.push(`raw dispatches ${((raw.medianMs / sets) * 1000).toFixed(2)} us each`);
console.log(`case 9's recording on Dawn's null backend (CPU only), median of ${counts.reps}:\n  ${results.join('\n  ')}`);
device.destroy();
// The GPU object must outlive its devices (see src/device/adapter.ts); exit explicitly.
process.exit(0);
