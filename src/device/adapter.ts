/**
 * Finding a WebGPU device: the one the application gives, `navigator.gpu` (browsers, workers, Deno), or
 * in Node the `webgpu` package (Dawn), loaded only when needed so that the browser build never reaches a
 * Node-only module.
 */

interface NodeProcessLike {
  versions?: { node?: string };
}

/** The `webgpu` package's entry: `create(flags)` returns a `GPU`. */
interface DawnModule {
  create(flags: string[]): GPU;
}

/** Dawn's GPU object must stay referenced while its devices live: once it is collected, the next
 * `mapAsync` crashes the process. Module scope keeps it for the process's lifetime. */
let nodeGPU: GPU | null = null;

export function isNode(): boolean {
  const p = (globalThis as { process?: NodeProcessLike }).process;
  return typeof p?.versions?.node === 'string' && !('Deno' in globalThis);
}

/** The environment's `GPU`, or a sentence saying why there is none. */
export async function findGPU(): Promise<{ gpu: GPU } | { missing: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu };
  if (!isNode()) return { missing: 'this environment has no navigator.gpu (WebGPU is not available or not enabled)' };
  if (nodeGPU) return { gpu: nodeGPU };
  let dawn: DawnModule;
  try {
    // A variable specifier keeps bundlers from following this Node-only import into browser builds.
    const specifier = 'webgpu';
    dawn = (await import(/* @vite-ignore */ specifier)) as DawnModule;
  } catch (error) {
    return { missing: `the npm package 'webgpu' (Dawn for Node) could not be loaded: ${(error as Error).message}` };
  }
  nodeGPU = dawn.create([]);
  return { gpu: nodeGPU };
}

export interface FoundDevice {
  device: GPUDevice;
  adapterDescription: string;
}

/** Requests an adapter and a device with the adapter's higher buffer limits. */
export async function requestDevice(gpu: GPU): Promise<FoundDevice | { missing: string }> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    return {
      missing: isNode()
        ? 'no WebGPU adapter was found (in Node on Linux without a GPU, install a Vulkan driver such as Mesa lavapipe >= 23: see scripts/setup-webgpu-driver.sh)'
        : 'navigator.gpu found no WebGPU adapter (the GPU may be blocklisted, or WebGPU disabled in this browser)',
    };
  }
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    },
  });
  const info = adapter.info as GPUAdapterInfo | undefined;
  const adapterDescription = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ') || 'WebGPU adapter';
  return { device, adapterDescription };
}
