/**
 * The command batch of the WebGPU backend: work is recorded into one command encoder and submitted
 * together at the end of the current JavaScript task (or when a read or an upload needs it), with every
 * dispatch's uniforms packed into one arena buffer at dynamic offsets and bind groups cached per window.
 * Ordering follows the queue: the arena is written just before the batch that reads it is submitted.
 */

import { BufferUsage } from './constants.js';
import { KernelCheck, type PipelineCache, type ReadBindings } from './pipelines.js';
import { alignTo, bufferId, type GpuBuffer } from './buffer.js';
import { elementwiseParams, stridedParams, type UniformSchema, type UniformValues } from '../../shaders/uniforms.js';
import { reduceParams } from '../../shaders/reduce.js';
import { gatherParams, keyParams } from '../../shaders/indexing.js';
import { scanParams } from '../../shaders/scan.js';
import { productParams } from '../../shaders/product.js';

/** Arena capacity: uniforms and small uploads of one batch. */
const ARENA_BYTES = 1 << 20;
/** Uploads up to this size travel in the arena (recorded in order); larger ones are the caller's. */
export const ARENA_UPLOAD_LIMIT = 64 << 10;
/** Bind groups kept; they are cheap to remake, unbounded caches are not. */
const BIND_GROUP_LIMIT = 4096;

/** A range of a buffer bound to one kernel binding. */
export interface Window {
  readonly buffer: GPUBuffer;
  readonly start: number;
  readonly size: number;
}

export type ParamsFamily = 'strided' | 'elementwise' | 'reduce' | 'product';

const SCHEMAS: Record<ParamsFamily, (capacity: number) => UniformSchema> = {
  strided: stridedParams,
  elementwise: elementwiseParams,
  reduce: reduceParams,
  product: productParams,
};

/** One recorded dispatch: its pipeline, bindings, uniforms and grid. */
export interface Dispatch {
  readonly pipeline: GPUComputePipeline;
  readonly dst: Window;
  /** A second read-write binding (binding 2; the reads then start at 3): see PipelineCache.auxLayouts. */
  readonly aux?: Window;
  readonly reads: readonly Window[];
  readonly params: UniformSchema;
  readonly values: UniformValues;
  readonly axes: readonly (readonly number[])[];
  readonly grid: readonly [number, number, number];
}

export class CommandBatch {
  readonly #device: GPUDevice;
  readonly #pipelines: PipelineCache;
  readonly #isActive: () => boolean;
  readonly #arena: GPUBuffer;
  readonly #arenaBytes = new Uint8Array(ARENA_BYTES);
  readonly #arenaView = new DataView(this.#arenaBytes.buffer);
  #arenaUsed = 0;
  readonly #uniformAlignment: number;
  /** One uniform window size fits every kernel's parameters at any rank. */
  readonly #uniformBindingSize = Math.max(
    ...[...Object.values(SCHEMAS), gatherParams, keyParams, scanParams].map((schema) => schema(64).byteSize),
  );
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  /** The pipeline last set in the open pass: setting it again per dispatch costs a native call. */
  #passPipeline: GPUComputePipeline | null = null;
  /** The one dynamic offset of a dispatch (its uniforms), reused: setBindGroup reads it at once. */
  readonly #dynamicOffset = [0];
  /** The device's limits, read once: each `device.limits` read makes a new object in some bindings. */
  readonly maxBindingSize: number;
  readonly maxWorkgroupsPerDimension: number;
  /** Window starts are multiples of this (the device's minStorageBufferOffsetAlignment). */
  readonly storageOffsetAlignment: number;
  #flushScheduled = false;
  /** Buffers to destroy once the batch that may use them is submitted. */
  #destroyAfterSubmit: GPUBuffer[] = [];
  #bindGroups = new Map<string, GPUBindGroup>();
  /** Uniform schemas by family and rank capacity (built once: they are pure descriptions). */
  #schemas: Record<ParamsFamily, Map<number, UniformSchema>> = {
    strided: new Map(),
    elementwise: new Map(),
    reduce: new Map(),
    product: new Map(),
  };
  /** The bind group of the last dispatch, per number of read bindings: consecutive small operations on
   * the same arrays reuse it without building a cache key. */
  #lastBindGroups: ({ dst: Window; reads: readonly Window[]; group: GPUBindGroup } | undefined)[] = [];

  /**
   * `isActive` says whether a scheduled flush should still run (not after dispose or device loss);
   * `maxBindingSize` may lower the device's maxStorageBufferBindingSize (tests use it to exercise the
   * windowed paths on small arrays).
   */
  constructor(device: GPUDevice, pipelines: PipelineCache, isActive: () => boolean, maxBindingSize?: number) {
    this.#device = device;
    this.#pipelines = pipelines;
    this.#isActive = isActive;
    const limits = device.limits;
    this.#uniformAlignment = limits.minUniformBufferOffsetAlignment;
    this.maxBindingSize = Math.min(limits.maxStorageBufferBindingSize, maxBindingSize ?? Infinity);
    this.maxWorkgroupsPerDimension = limits.maxComputeWorkgroupsPerDimension;
    this.storageOffsetAlignment = limits.minStorageBufferOffsetAlignment;
    this.#arena = device.createBuffer({
      label: 'ndgpu arena',
      size: ARENA_BYTES,
      usage: BufferUsage.UNIFORM | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
  }

  schema(family: ParamsFamily, capacity: number): UniformSchema {
    const byCapacity = this.#schemas[family];
    let schema = byCapacity.get(capacity);
    if (!schema) {
      schema = SCHEMAS[family](capacity);
      byCapacity.set(capacity, schema);
    }
    return schema;
  }

  /** The binding window covering `[low, high)` bytes of `buffer`: the whole buffer when it fits a binding. */
  window(buffer: GpuBuffer, [low, high]: readonly [number, number]): Window {
    if (buffer.size <= this.maxBindingSize) return { buffer: buffer.gpu, start: 0, size: buffer.size };
    const alignment = this.storageOffsetAlignment;
    const start = Math.floor(low / alignment) * alignment;
    const end = Math.min(alignTo(high, 4), buffer.size);
    return { buffer: buffer.gpu, start, size: end - start };
  }

  whole(buffer: GpuBuffer): Window {
    return this.window(buffer, [0, buffer.size]);
  }

  /** Records a kernel dispatch: its uniforms go into the arena, its bind group comes from the cache. */
  dispatch(d: Dispatch): void {
    // Every kernel splits its work so that each binding fits; a window past the limit is a bug (the
    // device's own validation would not see one past a lowered limit).
    if (
      d.dst.size > this.maxBindingSize ||
      (d.aux && d.aux.size > this.maxBindingSize) ||
      d.reads.some((w) => w.size > this.maxBindingSize)
    ) {
      throw new RangeError(`internal error: a binding window exceeds this device's binding limit (${this.maxBindingSize} bytes)`);
    }
    const at = this.#reserveArena(alignTo(d.params.byteSize, this.#uniformAlignment), this.#uniformAlignment, this.#uniformBindingSize);
    d.params.pack(this.#arenaView, at, d.values, d.axes);
    const pass = this.#computePass();
    if (d.pipeline !== this.#passPipeline) {
      pass.setPipeline(d.pipeline);
      this.#passPipeline = d.pipeline;
    }
    this.#dynamicOffset[0] = at;
    pass.setBindGroup(0, d.aux ? this.#auxBindGroup(d.dst, d.aux, d.reads) : this.#bindGroup(d.dst, d.reads), this.#dynamicOffset);
    pass.dispatchWorkgroups(d.grid[0], d.grid[1], d.grid[2]);
    this.scheduleFlush();
  }

  /** Records a buffer-to-buffer copy in order with the dispatches. */
  copy(from: GPUBuffer, fromOffset: number, to: GPUBuffer, toOffset: number, bytes: number): void {
    this.#endPass();
    this.#commandEncoder().copyBufferToBuffer(from, fromOffset, to, toOffset, bytes);
    this.scheduleFlush();
  }

  /** Records zeroing `bytes` bytes of `to` from `toOffset` (both multiples of 4): the device's memset. */
  clear(to: GPUBuffer, toOffset: number, bytes: number): void {
    this.#endPass();
    this.#commandEncoder().clearBuffer(to, toOffset, bytes);
    this.scheduleFlush();
  }

  /**
   * Records a small upload in order with the dispatches (its bytes travel in the arena). Returns false
   * when it does not fit; the caller then flushes and writes through the queue.
   */
  upload(bytes: Uint8Array, to: GPUBuffer, toOffset: number): boolean {
    const padded = alignTo(bytes.byteLength, 4);
    if (padded > ARENA_UPLOAD_LIMIT || this.#arenaUsed + padded > ARENA_BYTES) return false;
    const at = this.#reserveArena(padded, 4);
    this.#arenaBytes.set(bytes, at);
    this.#arenaBytes.fill(0, at + bytes.byteLength, at + padded);
    this.copy(this.#arena, at, to, toOffset, padded);
    return true;
  }

  /**
   * Records `work` in a submission of its own, inside a validation error scope, and returns the check of
   * it: an error it causes (an invalid pipeline makes its whole command buffer invalid) then rejects
   * none of the work recorded before or after it, and belongs to what it writes.
   */
  isolated(work: () => void): KernelCheck {
    this.flush();
    this.#device.pushErrorScope('validation');
    let outcome: Promise<GPUError | null>;
    try {
      work();
    } finally {
      try {
        this.flush();
      } finally {
        outcome = this.#device.popErrorScope();
      }
    }
    return new KernelCheck(outcome.then((error) => (error ? new Error(error.message) : null)));
  }

  /** Destroys `gpu` once nothing recorded can still use it. */
  destroyLater(gpu: GPUBuffer): void {
    this.forgetBindGroups(gpu);
    if (this.#encoder) this.#destroyAfterSubmit.push(gpu);
    else gpu.destroy();
  }

  forgetBindGroups(gpu: GPUBuffer): void {
    this.#lastBindGroups = [];
    const id = `:${bufferId(gpu)}@`;
    for (const key of this.#bindGroups.keys()) if (key.includes(id)) this.#bindGroups.delete(key);
  }

  scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      if (this.#isActive()) this.flush();
    });
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.#encoder) return;
    this.#endPass();
    if (this.#arenaUsed > 0) this.#device.queue.writeBuffer(this.#arena, 0, this.#arenaBytes, 0, alignTo(this.#arenaUsed, 4));
    this.#device.queue.submit([this.#encoder.finish()]);
    this.#encoder = null;
    this.#arenaUsed = 0;
    for (const gpu of this.#destroyAfterSubmit) gpu.destroy();
    this.#destroyAfterSubmit = [];
  }

  dispose(): void {
    this.#bindGroups.clear();
    this.#lastBindGroups = [];
    this.#arena.destroy();
  }

  #commandEncoder(): GPUCommandEncoder {
    if (!this.#encoder) this.#encoder = this.#device.createCommandEncoder({ label: 'ndgpu batch' });
    return this.#encoder;
  }

  #computePass(): GPUComputePassEncoder {
    if (!this.#pass) this.#pass = this.#commandEncoder().beginComputePass();
    return this.#pass;
  }

  #endPass(): void {
    if (this.#pass) {
      this.#pass.end();
      this.#pass = null;
      this.#passPipeline = null;
    }
  }

  /** Space in this batch's arena, flushing the batch first when it is full. `span` is how many bytes
   * from the offset a binding may cover (uniform bindings see a fixed window). */
  #reserveArena(bytes: number, alignment: number, span = bytes): number {
    let at = alignTo(this.#arenaUsed, alignment);
    if (at + Math.max(bytes, span) > ARENA_BYTES) {
      this.flush();
      at = 0;
    }
    this.#arenaUsed = at + bytes;
    return at;
  }

  /** The bind group for a destination window and read-only input windows (bindings 2, 3, 4). */
  #bindGroup(dst: Window, reads: readonly Window[]): GPUBindGroup {
    const last = this.#lastBindGroups[reads.length];
    if (last && sameWindow(last.dst, dst) && last.reads.every((w, k) => sameWindow(w, reads[k]))) return last.group;
    const group = this.#cachedBindGroup(dst, reads);
    this.#lastBindGroups[reads.length] = { dst, reads, group };
    return group;
  }

  /** The bind group of a layout with the aux binding (not kept as "last": these kernels are few). */
  #auxBindGroup(dst: Window, aux: Window, reads: readonly Window[]): GPUBindGroup {
    const key = `aux${reads.length}:${windowKey(dst)}:${windowKey(aux)}:${reads.map(windowKey).join(':')}`;
    let group = this.#bindGroups.get(key);
    if (group) return group;
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.#arena, offset: 0, size: this.#uniformBindingSize } },
      { binding: 1, resource: { buffer: dst.buffer, offset: dst.start, size: dst.size } },
      { binding: 2, resource: { buffer: aux.buffer, offset: aux.start, size: aux.size } },
      ...reads.map((w, k) => ({ binding: 3 + k, resource: { buffer: w.buffer, offset: w.start, size: w.size } })),
    ];
    group = this.#device.createBindGroup({ layout: this.#pipelines.auxLayouts[reads.length as ReadBindings], entries });
    if (this.#bindGroups.size >= BIND_GROUP_LIMIT) this.#bindGroups.clear();
    this.#bindGroups.set(key, group);
    return group;
  }

  #cachedBindGroup(dst: Window, reads: readonly Window[]): GPUBindGroup {
    const key = `${reads.length}:${windowKey(dst)}:${reads.map(windowKey).join(':')}`;
    let group = this.#bindGroups.get(key);
    if (group) return group;
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.#arena, offset: 0, size: this.#uniformBindingSize } },
      { binding: 1, resource: { buffer: dst.buffer, offset: dst.start, size: dst.size } },
      ...reads.map((w, k) => ({ binding: 2 + k, resource: { buffer: w.buffer, offset: w.start, size: w.size } })),
    ];
    group = this.#device.createBindGroup({ layout: this.#pipelines.layouts[reads.length as ReadBindings], entries });
    if (this.#bindGroups.size >= BIND_GROUP_LIMIT) this.#bindGroups.clear();
    this.#bindGroups.set(key, group);
    return group;
  }
}

function sameWindow(a: Window, b: Window): boolean {
  return a.buffer === b.buffer && a.start === b.start && a.size === b.size;
}

function windowKey(window: Window): string {
  return `${bufferId(window.buffer)}@${window.start}+${window.size}`;
}

/** Workgroups for `groups` workgroups' worth of work, folded into two dimensions. */
export function foldedGrid(groups: number, maxPerDimension: number): [number, number, number] {
  const x = Math.min(groups, maxPerDimension);
  const y = Math.ceil(groups / Math.max(1, x));
  if (y > maxPerDimension) throw new RangeError(`a kernel of ${groups} workgroups exceeds this device's dispatch limits`);
  return [Math.max(1, x), y, 1];
}
