/**
 * Compiled kernels, cached by what they were compiled for (kind, item width, aliasing, rank capacity),
 * never by shape. Two explicit bind group layouts serve every kernel, so bind groups are shared across
 * pipelines. A compile or validation failure is reported with the WGSL source that caused it.
 */

import { ShaderStage } from './gpu-constants.js';
import { bindingPlan, elementsPerInvocation, kernelKey, kernelSource, type KernelSpec } from '../shaders/strided.js';

export type LayoutKind = 'dst+src' | 'dst';

export class PipelineCache {
  readonly #device: GPUDevice;
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly layouts: Record<LayoutKind, GPUBindGroupLayout>;
  readonly #pipelineLayouts: Record<LayoutKind, GPUPipelineLayout>;
  readonly #onError: (error: Error) => void;

  constructor(device: GPUDevice, onError: (error: Error) => void) {
    this.#device = device;
    this.#onError = onError;
    const uniforms: GPUBindGroupLayoutEntry = {
      binding: 0,
      visibility: ShaderStage.COMPUTE,
      buffer: { type: 'uniform', hasDynamicOffset: true },
    };
    const dst: GPUBindGroupLayoutEntry = { binding: 1, visibility: ShaderStage.COMPUTE, buffer: { type: 'storage' } };
    const src: GPUBindGroupLayoutEntry = { binding: 2, visibility: ShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } };
    this.layouts = {
      'dst+src': device.createBindGroupLayout({ label: 'ndgpu dst+src', entries: [uniforms, dst, src] }),
      dst: device.createBindGroupLayout({ label: 'ndgpu dst', entries: [uniforms, dst] }),
    };
    this.#pipelineLayouts = {
      'dst+src': device.createPipelineLayout({ bindGroupLayouts: [this.layouts['dst+src']] }),
      dst: device.createPipelineLayout({ bindGroupLayouts: [this.layouts.dst] }),
    };
  }

  /** Which bind group layout a kernel uses: aliased kernels and fills bind one storage buffer. */
  static layoutOf(spec: KernelSpec): LayoutKind {
    const plan = bindingPlan(spec);
    return plan.hasSource && !plan.aliased ? 'dst+src' : 'dst';
  }

  get size(): number {
    return this.#pipelines.size;
  }

  get(spec: KernelSpec, capacity: number): GPUComputePipeline {
    const key = kernelKey(spec, capacity);
    const cached = this.#pipelines.get(key);
    if (cached) return cached;
    const code = kernelSource(spec, capacity);
    const device = this.#device;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ label: key, code });
    const pipeline = device.createComputePipeline({
      label: key,
      layout: this.#pipelineLayouts[PipelineCache.layoutOf(spec)],
      compute: { module, entryPoint: 'main', constants: spec.kind === 'transpose' ? {} : { ELEMS: elementsPerInvocation(spec) } },
    });
    void device.popErrorScope().then(async (error) => {
      if (!error) return;
      const info = await module.getCompilationInfo();
      const messages = info.messages.map((m) => `${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`).join('\n');
      this.#onError(new Error(`ndgpu kernel ${key} failed to compile: ${error.message}\n${messages}\n--- WGSL ---\n${code}`));
    });
    this.#pipelines.set(key, pipeline);
    return pipeline;
  }
}
