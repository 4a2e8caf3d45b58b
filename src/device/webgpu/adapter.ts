/**
 * Finding a WebGPU device: the one the application gives, `navigator.gpu` (browsers, workers, Deno), or
 * in Node the `webgpu` package (Dawn), loaded only when needed so that the browser build never reaches a
 * Node-only module. Also which kernel tuning suits the adapter found.
 */

import type { Tuning } from '../../shaders/tuning.js';

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
    return { missing: dawnLoadFailure(error) };
  }
  nodeGPU = dawn.create([]);
  return { gpu: nodeGPU };
}

/** Why the optional peer dependency `webgpu` did not load, saying what to install. */
function dawnLoadFailure(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && /['"]webgpu['"]/.test(message)) {
    return "WebGPU in Node needs the npm package 'webgpu' (Dawn), which is not installed: run npm install webgpu";
  }
  return `the npm package 'webgpu' (Dawn, WebGPU for Node) is installed but could not be loaded: ${String(message)}`;
}

export interface FoundDevice {
  device: GPUDevice;
  adapterDescription: string;
  /** The kernels' tuning for this adapter (see shaders/tuning.ts). */
  tuning: Tuning;
}

/** The identifying fields of a GPUAdapterInfo (all optional: browsers may leave them empty). */
export interface AdapterIdentity {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

/** CPU implementations of WebGPU, by the names their adapters report: Mesa's llvmpipe/lavapipe (Dawn
 * reports architecture 'software'), SwiftShader (Chrome), WARP ('Microsoft Basic Render Driver'). */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|basic render driver|\bwarp\b|^software$|\bcpu\b/i;

/** 'software' for CPU implementations of WebGPU, else 'gpu' (also when the adapter says nothing: design
 * for real GPUs first). */
export function tuningFor(info: AdapterIdentity | undefined): Tuning {
  if (!info) return 'gpu';
  if (info.isFallbackAdapter) return 'software';
  const names = [info.vendor, info.architecture, info.device, info.description];
  return names.some((name) => typeof name === 'string' && SOFTWARE_ADAPTER.test(name.trim())) ? 'software' : 'gpu';
}

/** The tuning of an application's device: from its adapter info where the implementation gives it. */
export function tuningOfDevice(device: GPUDevice): Tuning {
  const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return tuningFor(info ? identity(info) : undefined);
}

/** Requests an adapter and a device with the adapter's higher buffer limits. */
export async function requestDevice(gpu: GPU): Promise<FoundDevice | { missing: string }> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    return {
      missing: isNode()
        ? "Dawn (the npm package 'webgpu') found no WebGPU adapter: it needs a GPU driver (Vulkan on Linux, D3D12 on Windows, Metal on macOS); on Linux without a GPU, Mesa's lavapipe (mesa-vulkan-drivers 23 or later) is one"
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
  const adapterDescription =
    [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ') || 'WebGPU adapter';
  // isFallbackAdapter moved from the adapter to its info in the specification; either may say it.
  const fields = info ? identity(info) : {};
  const fallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true || fields.isFallbackAdapter === true;
  return { device, adapterDescription, tuning: tuningFor({ ...fields, isFallbackAdapter: fallback }) };
}

/** The identifying fields of an adapter info (a host object: spread would copy nothing). */
function identity(info: GPUAdapterInfo): AdapterIdentity {
  const fields = info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return {
    vendor: fields.vendor,
    architecture: fields.architecture,
    device: fields.device,
    description: fields.description,
    isFallbackAdapter: fields.isFallbackAdapter,
  };
}
