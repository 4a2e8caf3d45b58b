// Exits 0 when Node's WebGPU (the `webgpu` package, Dawn) finds an adapter, 1 otherwise.
// Used by the test command to decide whether a driver must be installed first.
import { create } from 'webgpu';

const gpu = create([]);
const adapter = await gpu.requestAdapter().catch(() => null);
if (adapter) {
  const info = adapter.info ?? {};
  console.log(`probe-webgpu: adapter found (${[info.vendor, info.architecture, info.description].filter(Boolean).join(' ')})`);
  process.exit(0);
}
console.log('probe-webgpu: no WebGPU adapter found');
process.exit(1);
