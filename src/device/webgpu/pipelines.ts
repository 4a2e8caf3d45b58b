/**
 * Compiled kernels, cached by what they were compiled for (kind, item widths, dtypes, aliasing, rank
 * capacity), never by shape. One explicit bind group layout per number of read-only inputs serves every
 * kernel, so bind groups are shared across pipelines. A compile or validation failure is reported with the
 * WGSL source that caused it: ndgpu's own kernels to the backend's error record (a failure there is a
 * bug), user kernels to the calls that use them (see `KernelCheck`). The cache is bounded (user
 * expressions could otherwise grow it forever).
 */

import { ShaderStage } from './constants.js';
import { bindingPlan, elementsPerInvocation, kernelKey, kernelSource, type KernelSpec } from '../../shaders/strided.js';
import type { KernelTuning } from '../../shaders/tuning.js';

/** How many read-only storage bindings (2, 3, 4) follow the uniforms (0) and the destination (1). */
export type ReadBindings = 0 | 1 | 2 | 3;

/**
 * Whether some recorded GPU work was valid, which WebGPU says only asynchronously (an error scope, the
 * compilation info): `done` resolves with the failure, or null. Once settled, `error` says at once.
 */
export class KernelCheck {
  error: Error | null = null;
  settled = false;
  readonly done: Promise<Error | null>;
  constructor(outcome: Promise<Error | null>) {
    this.done = outcome
      .catch((reason: unknown) => (reason instanceof Error ? reason : new Error(String(reason))))
      .then((error) => {
        this.error = error;
        this.settled = true;
        return error;
      });
  }

  /** The first failure of several checks (all of them settled). */
  static all(checks: readonly KernelCheck[]): KernelCheck {
    return new KernelCheck(Promise.all(checks.map((c) => c.done)).then((errors) => errors.find((e) => e !== null) ?? null));
  }
}

/** A pipeline and the check of its compilation. */
export interface CheckedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly check: KernelCheck;
}

const CACHE_LIMIT = 512;

export class PipelineCache {
  readonly #device: GPUDevice;
  /** Pipelines by key, each with the tick of its last use (eviction takes the least recently used). */
  readonly #pipelines = new Map<string, { pipeline: GPUComputePipeline; check: KernelCheck; used: number }>();
  #tick = 0;
  readonly layouts: readonly GPUBindGroupLayout[];
  readonly #pipelineLayouts: readonly GPUPipelineLayout[];
  /** Layouts with a second read-write binding (2, "aux") before the read-only ones (3, 4, 5): for the
   * kernels of advanced indexing, which record checks or keep a second array (see shaders/indexing.ts). */
  readonly auxLayouts: readonly GPUBindGroupLayout[];
  readonly #auxPipelineLayouts: readonly GPUPipelineLayout[];
  readonly #onError: (error: Error) => void;
  /** The INTERLEAVED pipeline constant of the strided and elementwise kernels (see shaders/tuning.ts). */
  readonly #interleaved: number;

  constructor(device: GPUDevice, tuning: KernelTuning, onError: (error: Error) => void) {
    this.#device = device;
    this.#onError = onError;
    this.#interleaved = tuning.interleaved ? 1 : 0;
    const uniforms: GPUBindGroupLayoutEntry = {
      binding: 0,
      visibility: ShaderStage.COMPUTE,
      buffer: { type: 'uniform', hasDynamicOffset: true },
    };
    const dst: GPUBindGroupLayoutEntry = { binding: 1, visibility: ShaderStage.COMPUTE, buffer: { type: 'storage' } };
    const read = (binding: number): GPUBindGroupLayoutEntry => ({
      binding,
      visibility: ShaderStage.COMPUTE,
      buffer: { type: 'read-only-storage' },
    });
    this.layouts = [0, 1, 2, 3].map((reads) =>
      device.createBindGroupLayout({
        label: `ndgpu dst+${reads}`,
        entries: [uniforms, dst, ...Array.from({ length: reads }, (_, k) => read(2 + k))],
      }),
    );
    this.#pipelineLayouts = this.layouts.map((layout) => device.createPipelineLayout({ bindGroupLayouts: [layout] }));
    const aux: GPUBindGroupLayoutEntry = { binding: 2, visibility: ShaderStage.COMPUTE, buffer: { type: 'storage' } };
    this.auxLayouts = [0, 1, 2, 3].map((reads) =>
      device.createBindGroupLayout({
        label: `ndgpu dst+aux+${reads}`,
        entries: [uniforms, dst, aux, ...Array.from({ length: reads }, (_, k) => read(3 + k))],
      }),
    );
    this.#auxPipelineLayouts = this.auxLayouts.map((layout) => device.createPipelineLayout({ bindGroupLayouts: [layout] }));
  }

  /** Read-only bindings of a strided kernel: aliased kernels and fills bind only the destination. */
  static readsOf(spec: KernelSpec): ReadBindings {
    const plan = bindingPlan(spec);
    return plan.hasSource && !plan.aliased ? 1 : 0;
  }

  get size(): number {
    return this.#pipelines.size;
  }

  /** The pipeline of a strided kernel (copy, fill, cast, transpose). */
  get(spec: KernelSpec, capacity: number): GPUComputePipeline {
    const constants: Record<string, number> =
      spec.kind === 'transpose' ? {} : { ELEMS: elementsPerInvocation(spec), INTERLEAVED: this.#interleaved };
    return this.compile(kernelKey(spec, capacity), () => kernelSource(spec, capacity), PipelineCache.readsOf(spec), constants);
  }

  /** The pipeline of an elementwise kernel (its source declares the INTERLEAVED constant). */
  elementwise(key: string, source: () => string, reads: ReadBindings): GPUComputePipeline {
    return this.compile(key, source, reads, { INTERLEAVED: this.#interleaved });
  }

  /**
   * The pipeline of an elementwise kernel with user code in it, and the check of its compilation: a
   * failure is not reported to the backend but made by `failure` from the compiler's messages, for the
   * calls that use the kernel.
   */
  userElementwise(key: string, source: () => string, reads: ReadBindings, failure: (details: string) => Error): CheckedPipeline {
    return this.#compile(key, source, reads, { INTERLEAVED: this.#interleaved }, false, failure);
  }

  /** The pipeline for `key`, compiling `source()` on first use; `aux`: its layout has the aux binding. */
  compile(key: string, source: () => string, reads: ReadBindings, constants: Record<string, number> = {}, aux = false): GPUComputePipeline {
    return this.#compile(key, source, reads, constants, aux, null).pipeline;
  }

  #compile(
    key: string,
    source: () => string,
    reads: ReadBindings,
    constants: Record<string, number>,
    aux: boolean,
    failure: ((details: string) => Error) | null,
  ): CheckedPipeline {
    const cached = this.#pipelines.get(key);
    if (cached) {
      cached.used = ++this.#tick; // a field write, not a map update: this runs once per dispatch
      return cached;
    }
    const code = source();
    const device = this.#device;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ label: key, code });
    const pipeline = device.createComputePipeline({
      label: key,
      layout: (aux ? this.#auxPipelineLayouts : this.#pipelineLayouts)[reads],
      compute: { module, entryPoint: 'main', constants },
    });
    const check = new KernelCheck(
      device.popErrorScope().then(async (error) => {
        if (!error) return null;
        const info = await module.getCompilationInfo();
        const messages = info.messages.map((m) => `${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`).join('\n');
        // Dawn says it in the error, wgpu in the compilation messages: the first line says what failed.
        const details = `${[error.message.trim(), messages].filter(Boolean).join('\n')}\n--- WGSL ---\n${code}`;
        return failure ? failure(details) : new Error(`ndgpu kernel ${key} failed to compile: ${details}`);
      }),
    );
    if (!failure) void check.done.then((error) => error && this.#onError(error));
    if (this.#pipelines.size >= CACHE_LIMIT) this.#evictLeastRecentlyUsed();
    const entry = { pipeline, check, used: ++this.#tick };
    this.#pipelines.set(key, entry);
    return entry;
  }

  /** Drops the pipeline unused for longest (a scan: it runs only when the cache is full). */
  #evictLeastRecentlyUsed(): void {
    let oldest: string | null = null;
    let oldestUse = Infinity;
    for (const [key, entry] of this.#pipelines) {
      if (entry.used < oldestUse) {
        oldest = key;
        oldestUse = entry.used;
      }
    }
    if (oldest !== null) this.#pipelines.delete(oldest);
  }
}
