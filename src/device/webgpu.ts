/**
 * The WebGPU backend. Work is recorded into one command encoder and submitted together at the end of the
 * current JavaScript task (or when a read needs it), with every dispatch's uniforms packed into one
 * arena buffer at dynamic offsets and bind groups cached per buffer pair. Ordering follows the queue:
 * the arena is written just before the batch that reads it is submitted, and large uploads are written
 * only after the batch before them was submitted.
 */

import type { Backend, DeviceBuffer, MemoryInfo } from './backend.js';
import { BufferUsage, MapMode } from './gpu-constants.js';
import { PipelineCache, type ReadBindings } from './pipelines.js';
import { SizeClassPool, sizeClass } from './pool.js';
import { dtypeInfo } from '../ndarray/dtype.js';
import { isBlockAligned, isTransposeLike, operandRange, splitOperands, splitPlan, type ItemPlan, type CastPlan, type CopyPlan, type FillPlan, type PlanOperand, type SplittablePlan } from '../ndarray/plan.js';
import { WORKGROUP_SIZE, elementsPerInvocation, type KernelSpec, type KernelUnit } from '../shaders/strided.js';
import { BLOCK_GROUP, TILE } from '../shaders/transpose.js';
import { ELEMENTWISE_ELEMS, ELEMENTWISE_WORKGROUP, elementwiseKernelSource, elementwiseKey, readBindings, type ElementwiseSpec } from '../shaders/elementwise.js';
import type { MapPlan } from '../ndarray/map-plan.js';
import { classBits, classDType, computeClass, type ComputeClass } from '../ndarray/ufunc-defs.js';
import type { ReduceAxes, ReducePlan } from '../ndarray/reduce-plan.js';
import { REDUCE_CHUNK, REDUCE_GROUP, reduceKernelSource, reduceKey, reduceParams, type ReduceKernelSpec } from '../shaders/reduce.js';
import { elementwiseParams, rankCapacity, stridedParams, type UniformSchema } from '../shaders/uniforms.js';

class GpuBuffer implements DeviceBuffer {
  static #nextId = 1;
  readonly id = GpuBuffer.#nextId++;
  readonly byteLength: number;
  readonly gpu: GPUBuffer;
  /** An application's buffer (np.fromGPUBuffer): never destroyed, pooled or counted as ndgpu's memory. */
  readonly external: boolean;
  released = false;
  constructor(gpu: GPUBuffer, byteLength: number, external = false) {
    this.gpu = gpu;
    this.byteLength = byteLength;
    this.external = external;
  }
}

/** The GPUBuffer behind a WebGPU backend's handle (for interop), or null for other handles. */
export function gpuBufferOf(handle: DeviceBuffer): GPUBuffer | null {
  return handle instanceof GpuBuffer ? handle.gpu : null;
}

/** Reductions this long or shorter run one invocation per output; longer ones run workgroup trees. */
const SERIAL_REDUCTION = 256;

/** Arena capacity: uniforms and small uploads of one batch. */
const ARENA_BYTES = 1 << 20;
/** Uploads up to this size travel in the arena (recorded in order); larger ones flush and write directly. */
const ARENA_UPLOAD_LIMIT = 64 << 10;
/** How long a failed map or work-done promise waits for `device.lost` to say whether the device was lost. */
const LOSS_GRACE_MS = 100;
/** Default bound on pooled memory. */
const POOL_LIMIT = 256 << 20;

export interface WebGpuBackendOptions {
  /** Most bytes of released buffers kept for reuse (default 256 MiB). */
  poolLimit?: number;
  /** Whether `dispose()` destroys the device (true when ndgpu created it). */
  ownsDevice: boolean;
  description: string;
}

export class WebGpuBackend implements Backend {
  readonly kind = 'webgpu' as const;
  readonly description: string;
  readonly limits: { maxBufferSize: number; maxStorageBufferBindingSize: number; maxPlanUnit: 16; maxBindingSize: number };
  readonly device: GPUDevice;
  readonly #ownsDevice: boolean;
  readonly #pipelines: PipelineCache;
  readonly #pool: SizeClassPool<GPUBuffer>;
  readonly #live = new Set<GpuBuffer>();
  #liveBytes = 0;

  readonly #arena: GPUBuffer;
  readonly #arenaBytes = new Uint8Array(ARENA_BYTES);
  readonly #arenaView = new DataView(this.#arenaBytes.buffer);
  #arenaUsed = 0;
  readonly #uniformAlignment: number;
  readonly #uniformBindingSize: number;

  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #flushScheduled = false;
  /** Buffers to destroy once the batch that may use them is submitted. */
  #destroyAfterSubmit: GPUBuffer[] = [];
  #bindGroups = new Map<string, GPUBindGroup>();
  /** Uniform schemas by kernel family and rank capacity (built once: they are pure descriptions). */
  #schemas = new Map<string, UniformSchema>();

  #lost: string | null = null;
  #error: Error | null = null;
  #disposed = false;

  constructor(device: GPUDevice, options: WebGpuBackendOptions) {
    this.device = device;
    this.description = options.description;
    this.#ownsDevice = options.ownsDevice;
    this.#pool = new SizeClassPool<GPUBuffer>(options.poolLimit ?? POOL_LIMIT, (gpu) => gpu.size);
    this.limits = {
      // Buffers are whole 4-byte words (copies and storage bindings are), and the limit need not be one:
      // wgpu reports 2^31 - 1, Dawn 2^32 - 1.
      maxBufferSize: Math.floor(device.limits.maxBufferSize / 4) * 4,
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxPlanUnit: 16,
      maxBindingSize: device.limits.maxStorageBufferBindingSize,
    };
    this.#uniformAlignment = device.limits.minUniformBufferOffsetAlignment;
    // One uniform window size fits every kernel's parameters at any rank.
    this.#uniformBindingSize = Math.max(stridedParams(64).byteSize, elementwiseParams(64).byteSize, reduceParams(64).byteSize);
    this.#pipelines = new PipelineCache(device, (error) => this.#recordError(error));
    this.#arena = device.createBuffer({
      label: 'ndgpu arena',
      size: ARENA_BYTES,
      usage: BufferUsage.UNIFORM | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
    device.addEventListener('uncapturederror', (event) => {
      this.#recordError(new Error(`WebGPU error: ${(event as GPUUncapturedErrorEvent).error.message}`));
    });
    void device.lost.then((info) => {
      if (!this.#disposed) this.#lost = `${info.reason}: ${info.message}`;
    });
  }

  // ------------------------------------------------------------------------------------------
  // Memory

  alloc(byteLength: number): GpuBuffer {
    this.#checkUsable();
    if (byteLength > this.limits.maxBufferSize) {
      throw new RangeError(
        `cannot allocate ${byteLength} bytes: larger than this device's maxBufferSize (${this.limits.maxBufferSize} bytes)`,
      );
    }
    const size = sizeClass(Math.max(4, byteLength));
    let gpu = this.#pool.take(size);
    if (!gpu) {
      // Out-of-memory is only reported asynchronously: it surfaces at the next read or sync.
      this.device.pushErrorScope('out-of-memory');
      gpu = this.device.createBuffer({
        // The size class may exceed maxBufferSize for the largest arrays: then use the exact size.
        size: size <= this.limits.maxBufferSize ? size : alignTo(byteLength, 4),
        usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      });
      void this.device.popErrorScope().then((error) => {
        if (error) this.#recordError(new Error(`the GPU is out of memory: allocating ${byteLength} bytes for an array failed (${error.message}); dispose arrays you no longer need, or call np.trim()`));
      });
    }
    const buffer = new GpuBuffer(gpu, byteLength);
    this.#live.add(buffer);
    this.#liveBytes += byteLength;
    return buffer;
  }

  nativeBuffer(handle: DeviceBuffer): GPUBuffer | null {
    return this.#own(handle).gpu;
  }

  /** Wraps an application's buffer: usable like ndgpu's own, never destroyed by ndgpu. */
  wrap(gpu: GPUBuffer): GpuBuffer {
    this.#checkUsable();
    const needed = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    if ((gpu.usage & needed) !== needed) {
      throw new TypeError('fromGPUBuffer: the buffer needs usage STORAGE | COPY_SRC | COPY_DST to be read, written and copied by ndgpu');
    }
    return new GpuBuffer(gpu, gpu.size, true);
  }

  release(handle: DeviceBuffer): void {
    const buffer = handle as GpuBuffer;
    if (buffer instanceof GpuBuffer && buffer.external) {
      buffer.released = true;
      this.#forgetBindGroups(buffer.gpu);
      return;
    }
    if (buffer.released || !this.#live.has(buffer)) return;
    buffer.released = true;
    this.#live.delete(buffer);
    this.#liveBytes -= buffer.byteLength;
    if (this.#disposed) return;
    // Pooled buffers are reused in queue order, which keeps earlier work on them correct.
    if (!this.#pool.give(buffer.gpu)) this.#destroyLater(buffer.gpu);
  }

  memory(): MemoryInfo {
    return { buffers: this.#live.size, bytes: this.#liveBytes, pooledBytes: this.#pool.pooledBytes };
  }

  /** Destroys every pooled buffer (memory held by arrays is unaffected). */
  trimPool(): void {
    for (const gpu of this.#pool.drain()) this.#destroyLater(gpu);
    this.flush();
  }

  #destroyLater(gpu: GPUBuffer): void {
    this.#forgetBindGroups(gpu);
    if (this.#encoder) this.#destroyAfterSubmit.push(gpu);
    else gpu.destroy();
  }

  // ------------------------------------------------------------------------------------------
  // Transfers

  write(handle: DeviceBuffer, byteOffset: number, bytes: Uint8Array): void {
    this.#checkUsable();
    const buffer = this.#own(handle);
    if (byteOffset % 4 !== 0) throw new RangeError('internal error: WebGPU writes start at multiples of 4 bytes');
    const padded = alignTo(bytes.byteLength, 4);
    if (padded <= ARENA_UPLOAD_LIMIT && this.#arenaUsed + padded <= ARENA_BYTES) {
      const at = this.#reserveArena(padded, 4);
      this.#arenaBytes.set(bytes, at);
      this.#arenaBytes.fill(0, at + bytes.byteLength, at + padded);
      this.#endPass();
      this.#commandEncoder().copyBufferToBuffer(this.#arena, at, buffer.gpu, byteOffset, padded);
      this.#scheduleFlush();
      return;
    }
    // Submit what was recorded before, so this write lands after it in queue order.
    this.flush();
    if (padded === bytes.byteLength) this.device.queue.writeBuffer(buffer.gpu, byteOffset, bytes as Uint8Array<ArrayBuffer>);
    else {
      const copy = new Uint8Array(padded);
      copy.set(bytes);
      this.device.queue.writeBuffer(buffer.gpu, byteOffset, copy);
    }
  }

  async read(handle: DeviceBuffer, byteOffset: number, byteLength: number): Promise<Uint8Array> {
    this.#checkUsable();
    const buffer = this.#own(handle);
    if (byteLength === 0) return new Uint8Array(0);
    // Copies must start and end on multiples of 4: read the enclosing words and cut.
    const start = Math.floor(byteOffset / 4) * 4;
    const end = alignTo(byteOffset + byteLength, 4);
    const staging = this.device.createBuffer({ size: end - start, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    this.#endPass();
    this.#commandEncoder().copyBufferToBuffer(buffer.gpu, start, staging, 0, end - start);
    this.flush();
    let bytes: Uint8Array;
    try {
      await staging.mapAsync(MapMode.READ);
      // On a device destroyed meanwhile, wgpu resolves the map and getMappedRange throws instead.
      bytes = new Uint8Array(staging.getMappedRange()).slice(byteOffset - start, byteOffset - start + byteLength);
      staging.unmap();
    } catch (error) {
      throw await this.#failure(error);
    } finally {
      staging.destroy();
    }
    this.#throwRecordedError();
    return bytes;
  }

  // ------------------------------------------------------------------------------------------
  // Kernels

  copy(dst: DeviceBuffer, src: DeviceBuffer, plan: CopyPlan): void {
    this.#checkUsable();
    const to = this.#own(dst);
    const from = this.#own(src);
    if (isPlainCopy(plan) && to !== from) {
      // Both sides contiguous in distinct buffers: the device's own copy.
      this.#endPass();
      const unit = plan.unit;
      this.#commandEncoder().copyBufferToBuffer(from.gpu, plan.src.offset * unit, to.gpu, plan.dst.offset * unit, plan.count * unit);
      this.#scheduleFlush();
      return;
    }
    const aliased = to === from;
    if (!aliased && isTransposeLike(plan)) {
      this.#dispatch({ kind: 'transpose', blocked: isBlockAligned(plan) }, plan, to, from);
      return;
    }
    this.#dispatch({ kind: 'copy', unit: plan.unit, aliased, reversed: plan.reversedLanes }, plan, to, aliased ? null : from);
  }

  fill(dst: DeviceBuffer, plan: FillPlan): void {
    this.#checkUsable();
    this.#dispatch({ kind: 'fill', unit: plan.unit }, plan, this.#own(dst), null, plan.pattern);
  }

  cast(dst: DeviceBuffer, src: DeviceBuffer, plan: CastPlan): void {
    this.#checkUsable();
    const to = this.#own(dst);
    const from = this.#own(src);
    const aliased = to === from;
    this.#dispatch({ kind: 'cast', from: plan.from, to: plan.to, aliased }, plan, to, aliased ? null : from);
  }

  /**
   * An elementwise operation. Array inputs in the destination's buffer must have exactly the
   * destination's layout (the semantic layer stages any other): they are read through its binding, each
   * element by the invocation that writes it. Buffers larger than one binding go through windows.
   */
  /**
   * A reduction: short ones in one serial pass; long ones as workgroup trees over chunks, whose partial
   * results are reduced again until one per output remains. The source must fit one storage binding.
   */
  reduce(dst: DeviceBuffer, src: DeviceBuffer, plan: ReducePlan): void {
    this.#checkUsable();
    const to = this.#own(dst);
    const from = this.#own(src);
    if (!computeClass(plan.accumulator)) {
      throw new TypeError(`${plan.op} over ${plan.accumulator} needs the CPU backend (WGSL has no 64-bit types)`);
    }
    // The source is read through one window covering the elements this plan touches.
    const itemsize = dtypeInfo(plan.input).itemsize;
    const extents = [...plan.kept.shape.map((n, k) => (n - 1) * plan.kept.strides[k]), ...plan.reduced.shape.map((n, k) => (n - 1) * plan.reduced.strides[k])];
    const low = plan.offset + extents.reduce((sum, e) => sum + Math.min(0, e), 0);
    const high = plan.offset + extents.reduce((sum, e) => sum + Math.max(0, e), 0) + 1;
    const sourceWindow = this.#window(from, [low * itemsize, high * itemsize]);
    if (sourceWindow.size > this.limits.maxStorageBufferBindingSize) {
      throw new RangeError(
        `${plan.op}() reads ${(high - low) * itemsize} bytes through one storage binding, more than this device allows (${this.limits.maxStorageBufferBindingSize}); reduce it in parts`,
      );
    }
    if (plan.outputs === 0) return;
    const rebasedOffset = plan.offset - sourceWindow.start / itemsize;
    const capacity = rankCapacity(Math.max(plan.kept.shape.length, plan.reduced.shape.length, 1));
    const pass = (
      spec: ReduceKernelSpec,
      target: GpuBuffer,
      source: GpuBuffer,
      uniforms: Record<string, number>,
      kept: ReduceAxes,
      reduced: ReduceAxes,
      chunks: number,
      window: Window = this.#window(source, [0, source.gpu.size]),
    ) => {
      const schema = this.#schema('reduce', capacity);
      const pipeline = this.#pipelines.compile(reduceKey(spec, capacity), () => reduceKernelSource(spec, capacity), 1);
      const at = this.#reserveArena(alignTo(schema.byteSize, this.#uniformAlignment), this.#uniformAlignment, this.#uniformBindingSize);
      const axes: number[][] = Array.from({ length: 2 * capacity }, () => [1, 0, 0, 0]);
      kept.shape.forEach((n, k) => (axes[k] = [n, kept.strides[k], 0, 0]));
      reduced.shape.forEach((n, k) => (axes[capacity + k] = [n, reduced.strides[k], 0, 0]));
      schema.pack(this.#arenaView, at, { ...uniforms, kept_rank: kept.shape.length, reduced_rank: reduced.shape.length, chunks }, axes);
      let grid: [number, number, number];
      if (spec.shape === 'serial') {
        const groups = Math.ceil(plan.outputs / REDUCE_GROUP);
        const x = Math.min(groups, 65535);
        grid = [x, Math.ceil(groups / x), 1];
      } else {
        grid = [chunks, Math.min(plan.outputs, 65535), Math.ceil(plan.outputs / 65535)];
      }
      const encoderPass = this.#computePass();
      encoderPass.setPipeline(pipeline);
      encoderPass.setBindGroup(0, this.#bindGroup(this.#window(target, [0, target.gpu.size]), [window]), [at]);
      encoderPass.dispatchWorkgroups(...grid);
    };
    const base = { op: plan.op, source: plan.input, accumulator: plan.accumulator } as const;
    if (plan.length <= SERIAL_REDUCTION) {
      pass({ ...base, from: 'items', to: 'values', shape: 'serial' }, to, from, { outputs: plan.outputs, length: plan.length, offset: rebasedOffset }, plan.kept, plan.reduced, 1, sourceWindow);
      this.#scheduleFlush();
      return;
    }
    // Tree passes: items → partials → ... → values.
    const temporaries: GpuBuffer[] = [];
    let chunks = Math.ceil(plan.length / REDUCE_CHUNK);
    if (chunks > 65535) throw new RangeError(`${plan.op}() over ${plan.length} elements per output exceeds this device's dispatch limits`);
    let source: GpuBuffer = from;
    let spec: ReduceKernelSpec = { ...base, from: 'items', to: chunks > 1 ? 'partials' : 'values', shape: 'tree' };
    let kept: ReduceAxes = plan.kept;
    let reduced: ReduceAxes = plan.reduced;
    let offset = rebasedOffset;
    let length = plan.length;
    let window: Window | undefined = sourceWindow;
    try {
      for (;;) {
        const target = spec.to === 'values' ? to : this.alloc(plan.outputs * chunks * 8);
        if (target !== to) temporaries.push(target);
        pass(spec, target, source, { outputs: plan.outputs, length, offset }, kept, reduced, chunks, window);
        if (spec.to === 'values') break;
        window = undefined; // partial buffers are bound whole
        // The next pass reduces each output's `chunks` partials (pairs), laid out output by output.
        source = target;
        kept = { shape: [plan.outputs], strides: [chunks] };
        reduced = { shape: [chunks], strides: [1] };
        offset = 0;
        length = chunks;
        chunks = Math.ceil(length / REDUCE_CHUNK);
        spec = { ...base, source: classDType(computeClass(plan.accumulator) as ComputeClass), from: 'partials', to: chunks > 1 ? 'partials' : 'values', shape: 'tree' };
      }
    } finally {
      for (const t of temporaries) this.release(t);
    }
    this.#scheduleFlush();
  }

  map(dst: DeviceBuffer, inputs: readonly (DeviceBuffer | null)[], plan: MapPlan): void {
    this.#checkUsable();
    if (plan.wgsl === null) throw new TypeError(`'${plan.name}' has no WebGPU kernel (a JavaScript function runs on the CPU backend only)`);
    const to = this.#own(dst);
    const buffers = inputs.map((b) => (b ? this.#own(b) : null));
    const spec: ElementwiseSpec = {
      expression: plan.wgsl,
      helpers: plan.helpers,
      result: plan.result,
      out: plan.out,
      inputs: plan.inputs.map((input, k) =>
        input.kind === 'array'
          ? { kind: 'array', dtype: input.dtype, loop: input.loop, aliased: buffers[k] === to }
          : { kind: 'scalar', loop: input.loop },
      ),
    };
    const arrays = plan.inputs.flatMap((input, k) => (input.kind === 'array' ? [{ k, input, buffer: buffers[k] as GpuBuffer }] : []));
    const units = [dtypeInfo(plan.out).itemsize, ...arrays.map((a) => dtypeInfo(a.input.dtype).itemsize)];
    const operands = [plan.dst, ...arrays.map((a) => (a.input.kind === 'array' ? a.input.operand : plan.dst))];
    const windowsOf = (piece: ItemPlan) => {
      const dstWindow = this.#window(to, byteRange(piece.shape, piece.operands[0], units[0]));
      return arrays.map((a, j) => (a.buffer === to ? dstWindow : this.#window(a.buffer, byteRange(piece.shape, piece.operands[j + 1], units[j + 1])))).concat([dstWindow]);
    };
    const maxBinding = this.limits.maxStorageBufferBindingSize;
    const whole = [to, ...arrays.map((a) => a.buffer)].every((b) => b.gpu.size <= maxBinding);
    const item: ItemPlan = { shape: plan.shape, count: plan.count, operands };
    const pieces = whole ? [item] : splitOperands(item, (piece) => windowsOf(piece).every((w) => w.size <= maxBinding));
    const capacity = rankCapacity(plan.shape.length);
    const schema = this.#schema('elementwise', capacity);
    const pipeline = this.#pipelines.compile(elementwiseKey(spec, capacity), () => elementwiseKernelSource(spec, capacity), readBindings(spec) as ReadBindings);
    const scalars = plan.inputs.map((input) => (input.kind === 'scalar' ? classBits(input.value, input.loop) : 0));
    for (const piece of pieces) {
      const windows = windowsOf(piece);
      const dstWindow = windows[windows.length - 1];
      const rebased = piece.operands.map((o, j) => o.offset - (j === 0 ? dstWindow : windows[j - 1]).start / units[j]);
      const offsets = [0, 0, 0];
      const strides = plan.inputs.map(() => piece.shape.map(() => 0));
      arrays.forEach((a, j) => {
        offsets[a.k] = rebased[j + 1];
        strides[a.k] = [...piece.operands[j + 1].strides];
      });
      const at = this.#reserveArena(alignTo(schema.byteSize, this.#uniformAlignment), this.#uniformAlignment, this.#uniformBindingSize);
      schema.pack(
        this.#arenaView,
        at,
        { count: piece.count, rank: piece.shape.length, dst_offset: rebased[0], offsets, scalars },
        piece.shape.flatMap((n, axis) => [
          [n, piece.operands[0].strides[axis], strides[0]?.[axis] ?? 0, strides[1]?.[axis] ?? 0],
          [strides[2]?.[axis] ?? 0, 0, 0, 0],
        ]),
      );
      const groups = Math.ceil(piece.count / (ELEMENTWISE_WORKGROUP * ELEMENTWISE_ELEMS));
      const maxPerDimension = this.device.limits.maxComputeWorkgroupsPerDimension;
      const x = Math.min(groups, maxPerDimension);
      const y = Math.ceil(groups / x);
      const reads = arrays.flatMap((a, j) => (a.buffer === to ? [] : [windows[j]]));
      const pass = this.#computePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, this.#bindGroup(dstWindow, reads), [at]);
      pass.dispatchWorkgroups(x, y);
    }
    this.#scheduleFlush();
  }

  /**
   * Records one kernel over `plan`. Buffers larger than one storage binding are bound through windows:
   * the plan is split (pure `splitPlan`) until each piece's byte range fits a window, and each piece's
   * offsets are rebased onto its window (offsets travel as uniforms, so any window start works).
   */
  #dispatch(
    spec: KernelSpec,
    plan: StridedPlan,
    dst: GpuBuffer,
    src: GpuBuffer | null,
    pattern: readonly [number, number] = [0, 0],
  ): void {
    const [dstUnit, srcUnit] = unitBytes(spec);
    const maxBinding = this.limits.maxStorageBufferBindingSize;
    const aliasedSource = spec.kind !== 'fill' && src === null;
    const windowsOf = (piece: StridedPlan): { dst: Window; src: Window | null } => {
      const dstRange = byteRange(piece.shape, piece.dst, dstUnit);
      if (aliasedSource && piece.src) {
        const srcRange = byteRange(piece.shape, piece.src, srcUnit);
        return { dst: this.#window(dst, [Math.min(dstRange[0], srcRange[0]), Math.max(dstRange[1], srcRange[1])]), src: null };
      }
      return {
        dst: this.#window(dst, dstRange),
        src: src && piece.src ? this.#window(src, byteRange(piece.shape, piece.src, srcUnit)) : null,
      };
    };
    const whole = dst.gpu.size <= maxBinding && (!src || src.gpu.size <= maxBinding);
    if (!whole && aliasedSource && windowsOf(plan).dst.size > maxBinding) {
      // Source and destination lie further apart in one buffer than a binding reaches, and one buffer
      // cannot be bound twice when one binding writes: move the source through a temporary.
      this.#dispatchThroughTemporary(spec, plan, dst, srcUnit);
      return;
    }
    const pieces = whole
      ? [plan]
      : splitPlan(plan, (piece) => {
          const w = windowsOf(piece);
          return w.dst.size <= maxBinding && (!w.src || w.src.size <= maxBinding);
        });
    for (const original of pieces) {
      // A transpose split down to single rows is an ordinary copy.
      const piece = original;
      const pieceSpec: KernelSpec =
        spec.kind === 'transpose' && piece.shape.length < 2 ? { kind: 'copy', unit: 4, aliased: false } : spec;
      const windows = windowsOf(piece);
      // Operands are rebased onto their windows; an aliased source shares the destination's window.
      const rebase = (operand: PlanOperand, window: Window, unit: number): PlanOperand => ({
        offset: operand.offset - window.start / unit,
        strides: operand.strides,
      });
      const dstOperand = rebase(piece.dst, windows.dst, dstUnit);
      const srcOperand = piece.src
        ? rebase(piece.src, windows.src ?? windows.dst, srcUnit)
        : { offset: 0, strides: piece.shape.map(() => 0) };
      this.#record(pieceSpec, piece, dstOperand, srcOperand, windows.dst, windows.src, pattern);
    }
  }

  /** `dst ← src` within one buffer, staged through a contiguous temporary (two non-aliased kernels). */
  #dispatchThroughTemporary(spec: KernelSpec, plan: StridedPlan, buffer: GpuBuffer, srcUnit: number): void {
    const src = plan.src as PlanOperand;
    const temporary = this.alloc(plan.count * srcUnit);
    const packed = { offset: 0, strides: contiguousUnitStrides(plan.shape) };
    try {
      // First a same-dtype move of the source into the temporary (lanes put in order), then the real
      // kernel from the temporary.
      const reversed = spec.kind === 'copy' && spec.reversed === true;
      const moveSpec: KernelSpec = { kind: 'copy', unit: srcUnit as KernelUnit, aliased: false, reversed };
      this.#dispatch(moveSpec, { ...plan, dst: packed, src }, temporary, buffer);
      const second = (spec.kind === 'copy' ? { ...spec, aliased: false, reversed: false } : { ...spec, aliased: false }) as KernelSpec;
      this.#dispatch(second, { ...plan, src: packed }, buffer, temporary);
    } finally {
      this.release(temporary);
    }
  }

  #record(
    spec: KernelSpec,
    plan: StridedPlan,
    dstOperand: PlanOperand,
    srcOperand: PlanOperand,
    dstWindow: Window,
    srcWindow: Window | null,
    pattern: readonly [number, number],
  ): void {
    const rank = plan.shape.length;
    const capacity = rankCapacity(rank);
    const schema = this.#schema('strided', capacity);
    const pipeline = this.#pipelines.get(spec, capacity);
    const offset = this.#reserveArena(alignTo(schema.byteSize, this.#uniformAlignment), this.#uniformAlignment, this.#uniformBindingSize);
    schema.pack(
      this.#arenaView,
      offset,
      { count: plan.count, rank, dst_offset: dstOperand.offset, src_offset: srcOperand.offset, pattern },
      plan.shape.map((n, k) => [n, dstOperand.strides[k], srcOperand.strides[k], 0]),
    );
    const [x, y, z] = this.#grid(spec, plan);
    const pass = this.#computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.#bindGroup(dstWindow, srcWindow ? [srcWindow] : []), [offset]);
    pass.dispatchWorkgroups(x, y, z);
    this.#scheduleFlush();
  }

  /** Workgroups for a plan: runs of ELEMS folded into two dimensions, or tiles (× batches) for transposes. */
  #grid(spec: KernelSpec, plan: StridedPlan): [number, number, number] {
    const maxPerDimension = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (spec.kind === 'transpose') {
      const rank = plan.shape.length;
      const batches = plan.count / (plan.shape[rank - 2] * plan.shape[rank - 1]);
      const side = spec.blocked ? 4 * BLOCK_GROUP : TILE; // elements per workgroup along each axis
      const grid: [number, number, number] = [Math.ceil(plan.shape[rank - 1] / side), Math.ceil(plan.shape[rank - 2] / side), batches];
      if (grid.some((n) => n > maxPerDimension)) throw new RangeError('internal error: transpose grid exceeds the dispatch limits');
      return grid;
    }
    const groups = Math.ceil(plan.count / (WORKGROUP_SIZE * elementsPerInvocation(spec)));
    const x = Math.min(groups, maxPerDimension);
    const y = Math.ceil(groups / x);
    if (y > maxPerDimension) throw new RangeError(`a kernel over ${plan.count} elements exceeds this device's dispatch limits`);
    return [x, y, 1];
  }

  /** The binding window covering `[low, high)` bytes of `buffer`: the whole buffer when it fits a binding. */
  #window(buffer: GpuBuffer, [low, high]: [number, number]): Window {
    if (buffer.gpu.size <= this.limits.maxStorageBufferBindingSize) return { buffer: buffer.gpu, start: 0, size: buffer.gpu.size };
    const alignment = this.device.limits.minStorageBufferOffsetAlignment;
    const start = Math.floor(low / alignment) * alignment;
    const end = Math.min(alignTo(high, 4), buffer.gpu.size);
    return { buffer: buffer.gpu, start, size: end - start };
  }

  #schema(family: 'strided' | 'elementwise' | 'reduce', capacity: number): UniformSchema {
    const key = `${family}/${capacity}`;
    let schema = this.#schemas.get(key);
    if (!schema) {
      schema = (family === 'strided' ? stridedParams : family === 'elementwise' ? elementwiseParams : reduceParams)(capacity);
      this.#schemas.set(key, schema);
    }
    return schema;
  }

  /** The bind group for a destination window and read-only input windows (bindings 2, 3, 4). */
  #bindGroup(dst: Window, reads: readonly Window[]): GPUBindGroup {
    const key = `${reads.length}:${windowKey(dst)}:${reads.map(windowKey).join(':')}`;
    let group = this.#bindGroups.get(key);
    if (group) return group;
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.#arena, offset: 0, size: this.#uniformBindingSize } },
      { binding: 1, resource: { buffer: dst.buffer, offset: dst.start, size: dst.size } },
      ...reads.map((w, k) => ({ binding: 2 + k, resource: { buffer: w.buffer, offset: w.start, size: w.size } })),
    ];
    group = this.device.createBindGroup({ layout: this.#pipelines.layouts[reads.length as ReadBindings], entries });
    // Bounded: bind groups are cheap to remake, unbounded caches are not.
    if (this.#bindGroups.size >= 4096) this.#bindGroups.clear();
    this.#bindGroups.set(key, group);
    return group;
  }

  #forgetBindGroups(gpu: GPUBuffer): void {
    const id = `:${bufferId(gpu)}@`;
    for (const key of this.#bindGroups.keys()) if (key.includes(id)) this.#bindGroups.delete(key);
  }

  // ------------------------------------------------------------------------------------------
  // Batching

  #commandEncoder(): GPUCommandEncoder {
    if (!this.#encoder) this.#encoder = this.device.createCommandEncoder({ label: 'ndgpu batch' });
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

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      if (!this.#disposed && !this.#lost) this.flush();
    });
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.#encoder) return;
    this.#endPass();
    if (this.#arenaUsed > 0) this.device.queue.writeBuffer(this.#arena, 0, this.#arenaBytes, 0, alignTo(this.#arenaUsed, 4));
    this.device.queue.submit([this.#encoder.finish()]);
    this.#encoder = null;
    this.#arenaUsed = 0;
    for (const gpu of this.#destroyAfterSubmit) gpu.destroy();
    this.#destroyAfterSubmit = [];
  }

  async sync(): Promise<void> {
    this.#checkUsable();
    this.flush();
    try {
      await this.device.queue.onSubmittedWorkDone();
    } catch (error) {
      throw await this.#failure(error);
    }
    this.#throwRecordedError();
  }

  dispose(): void {
    if (this.#disposed) return;
    if (!this.#lost) {
      try {
        this.flush();
      } catch {
        // The device may already be unusable; disposing must still succeed.
      }
    }
    this.#disposed = true;
    for (const buffer of this.#live) buffer.gpu.destroy();
    this.#live.clear();
    this.#liveBytes = 0;
    for (const gpu of this.#pool.drain()) gpu.destroy();
    this.#bindGroups.clear();
    this.#arena.destroy();
    if (this.#ownsDevice) this.device.destroy();
  }

  // ------------------------------------------------------------------------------------------
  // Failure handling

  #checkUsable(): void {
    if (this.#disposed) throw new Error('this ndgpu context was disposed');
    if (this.#lost) throw new Error(`the WebGPU device was lost (${this.#lost}); create a new context with init()`);
  }

  #own(handle: DeviceBuffer): GpuBuffer {
    const buffer = handle as GpuBuffer;
    if (!(buffer instanceof GpuBuffer) || buffer.released) throw new Error('internal error: not a live buffer of this backend');
    return buffer;
  }

  #recordError(error: Error): void {
    this.#error ??= error;
  }

  #throwRecordedError(): void {
    if (this.#error) {
      const error = this.#error;
      this.#error = null;
      throw error;
    }
  }

  /** What a rejected map or work-done promise becomes. The specification does not order that rejection
   * against `device.lost` (wgpu rejects a map on a destroyed device before `lost` resolves; Dawn resolves
   * `lost` first), so a failure waits briefly for `lost` before deciding it is not a device loss. */
  async #failure(error: unknown): Promise<Error> {
    if (!this.#lost) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, LOSS_GRACE_MS)));
      // The constructor's `lost` handler was attached first, so it has run when this race settles.
      await Promise.race([this.device.lost, grace]);
      clearTimeout(timer);
    }
    if (this.#lost) return new Error(`the WebGPU device was lost (${this.#lost})`);
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** A 1-D copy of whole contiguous words: what `copyBufferToBuffer` does. */
function isPlainCopy(plan: CopyPlan): boolean {
  return plan.unit >= 4 && !plan.reversedLanes && plan.shape.length === 1 && plan.dst.strides[0] === 1 && plan.src.strides[0] === 1;
}

function alignTo(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

/** A range of a buffer bound to one kernel binding. */
interface Window {
  buffer: GPUBuffer;
  start: number;
  size: number;
}

type StridedPlan = SplittablePlan;

/** C-order strides in units for a packed temporary of `shape`. */
function contiguousUnitStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = step;
    step *= shape[k];
  }
  return strides;
}

function windowKey(window: Window): string {
  return `${bufferId(window.buffer)}@${window.start}+${window.size}`;
}

/** Bytes per unit of the destination and the source operand. */
function unitBytes(spec: KernelSpec): [number, number] {
  if (spec.kind === 'cast') return [dtypeInfo(spec.to).itemsize, dtypeInfo(spec.from).itemsize];
  if (spec.kind === 'transpose') return [4, 4];
  return [spec.unit, spec.unit];
}

function byteRange(shape: readonly number[], operand: PlanOperand, unit: number): [number, number] {
  const [low, high] = operandRange(shape, operand);
  return [low * unit, high * unit];
}

const ids = new WeakMap<GPUBuffer, number>();
let nextBufferId = 1;
function bufferId(gpu: GPUBuffer): number {
  let id = ids.get(gpu);
  if (id === undefined) {
    id = nextBufferId++;
    ids.set(gpu, id);
  }
  return id;
}
