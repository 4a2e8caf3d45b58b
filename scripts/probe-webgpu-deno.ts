// Exits 0 when Deno's WebGPU (navigator.gpu, wgpu) finds an adapter, 1 otherwise, printing the adapter
// and the limits that matter to ndgpu. Run with `deno run -A scripts/probe-webgpu-deno.ts`.
// (The project's tsc checks this file with Node's types: the two Deno members it uses are declared here.)
declare const Deno: { version: { deno: string }; exit(code: number): never };
export {};
const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
if (!gpu) {
  console.log('probe-webgpu-deno: this Deno has no navigator.gpu');
  Deno.exit(1);
}
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
if (!adapter) {
  console.log('probe-webgpu-deno: no WebGPU adapter found (wgpu needs a Vulkan driver, e.g. Mesa lavapipe)');
  Deno.exit(1);
}
const info = adapter.info;
const limits = adapter.limits;
const shown = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxUniformBufferBindingSize',
  'minStorageBufferOffsetAlignment',
  'minUniformBufferOffsetAlignment',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxStorageBuffersPerShaderStage',
  'maxDynamicUniformBuffersPerPipelineLayout',
] as const;
console.log(
  `probe-webgpu-deno: adapter found (Deno ${Deno.version.deno}, wgpu: ${[info.vendor, info.architecture, info.description].filter(Boolean).join(' ')})\n` +
    shown.map((name) => `  ${name} = ${limits[name]}`).join('\n'),
);
Deno.exit(0);
