// Setup for the Deno run (vitest.deno.config.ts): every test file's worker must be a Deno process with
// navigator.gpu, or the file fails (a worker that silently fell back to Node would test Dawn again).
const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
if (!deno) throw new Error('the Deno run of the suite is running in a worker that is not Deno');
if (!(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) {
  throw new Error(`Deno ${deno.version.deno} has no navigator.gpu: the WebGPU tests cannot run on wgpu`);
}
