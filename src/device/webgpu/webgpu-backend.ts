/**
 * The WebGPU backend: memory (pooled GPU buffers, wrapped application buffers), transfers in queue order,
 * the kernel entry points, and failure handling (device loss, out-of-memory, validation errors surfacing
 * at the next read). Recording lives in batch.ts (one command encoder per JavaScript task, uniforms
 * in an arena), and the kernel families in strided.ts, elementwise.ts and reduce.ts.
 */

import type { Backend, BackendCapabilities, DeviceBuffer, MemoryInfo } from '../backend.js';
import { BufferUsage, MapMode } from './constants.js';
import { PipelineCache } from './pipelines.js';
import { SizeClassPool, sizeClass } from '../pool.js';
import { CommandBatch } from './batch.js';
import { GpuBuffer, alignTo, type Allocator } from './buffer.js';
import { recordElementwise } from './elementwise.js';
import { recordReduction } from './reduce.js';
import { recordProduct } from './product.js';
import { recordStrided, type KernelContext } from './strided.js';
import type { ElementwisePlan } from '../../ndarray/core/elementwise-plan.js';
import { isBlockAligned, isTransposeLike, type CastPlan, type CopyPlan, type FillPlan } from '../../ndarray/core/plan.js';
import type { ReducePlan } from '../../ndarray/core/reduce-plan.js';
import type { ProductPlan } from '../../ndarray/core/product-plan.js';
import { KERNEL_TUNINGS, type Tuning } from '../../shaders/tuning.js';

/** How long a failed map or work-done promise waits for `device.lost` to say whether the device was lost. */
const LOSS_GRACE_MS = 100;
/** Default bound on pooled memory. */
const POOL_LIMIT = 256 << 20;
/** Bound on the mappable read buffers kept for reuse (np.trim() frees them too). */
const STAGING_POOL_LIMIT = 128 << 20;

export interface WebGpuBackendOptions {
  /** Most bytes of released buffers kept for reuse (default 256 MiB). */
  poolLimit?: number;
  /** Whether `dispose()` destroys the device (true when ndgpu created it). */
  ownsDevice: boolean;
  description: string;
  /** What the kernels are tuned for (see shaders/tuning.ts). */
  tuning: Tuning;
  /** Bind buffers through windows of at most this many bytes, where the device allows more. */
  maxBindingSize?: number;
}

export class WebGpuBackend implements Backend {
  readonly kind = 'webgpu' as const;
  readonly description: string;
  readonly tuning: Tuning;
  readonly capabilities: BackendCapabilities;
  readonly device: GPUDevice;
  readonly #ownsDevice: boolean;
  readonly #pool: SizeClassPool<GPUBuffer>;
  /** Mappable buffers that reads copy through, kept for the next read: creating one costs more than
   * the copy and the map together (a 64 MiB read: ~55 ms of them fresh, ~15 reused). */
  readonly #staging = new SizeClassPool<GPUBuffer>(STAGING_POOL_LIMIT, (gpu) => gpu.size);
  readonly #live = new Set<GpuBuffer>();
  #liveBytes = 0;
  readonly #batch: CommandBatch;
  readonly #kernels: KernelContext;
  #lost: string | null = null;
  #error: Error | null = null;
  #disposed = false;

  constructor(device: GPUDevice, options: WebGpuBackendOptions) {
    this.device = device;
    this.description = options.description;
    this.#ownsDevice = options.ownsDevice;
    this.#pool = new SizeClassPool<GPUBuffer>(options.poolLimit ?? POOL_LIMIT, (gpu) => gpu.size);
    this.capabilities = {
      // Buffers are whole 4-byte words (copies and storage bindings are), and the limit need not be one:
      // wgpu reports 2^31 - 1, Dawn 2^32 - 1.
      maxBufferSize: Math.floor(device.limits.maxBufferSize / 4) * 4,
      maxPlanUnit: 16,
      compute64: false,
      kernelForm: 'wgsl',
    };
    this.tuning = options.tuning;
    const kernelTuning = KERNEL_TUNINGS[options.tuning];
    const pipelines = new PipelineCache(device, kernelTuning, (error) => this.#recordError(error));
    this.#batch = new CommandBatch(device, pipelines, () => !this.#disposed && !this.#lost, options.maxBindingSize);
    const allocator: Allocator = { alloc: (bytes) => this.alloc(bytes), release: (buffer) => this.release(buffer) };
    this.#kernels = { batch: this.#batch, pipelines, allocator, tuning: kernelTuning };
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
    if (byteLength > this.capabilities.maxBufferSize) {
      throw new RangeError(
        `cannot allocate ${byteLength} bytes: larger than this device's maxBufferSize (${this.capabilities.maxBufferSize} bytes)`,
      );
    }
    const size = sizeClass(Math.max(4, byteLength));
    let gpu = this.#pool.take(size);
    if (!gpu) {
      // Out-of-memory is only reported asynchronously: it surfaces at the next read or sync.
      this.device.pushErrorScope('out-of-memory');
      gpu = this.device.createBuffer({
        // The size class may exceed maxBufferSize for the largest arrays: then use the exact size.
        size: size <= this.capabilities.maxBufferSize ? size : alignTo(byteLength, 4),
        usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      });
      void this.device.popErrorScope().then((error) => {
        if (error) {
          this.#recordError(
            new Error(
              `the GPU is out of memory: allocating ${byteLength} bytes for an array failed (${error.message}); dispose arrays you no longer need, or call np.trim()`,
            ),
          );
        }
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
      this.#batch.forgetBindGroups(buffer.gpu);
      return;
    }
    if (buffer.released || !this.#live.has(buffer)) return;
    buffer.released = true;
    this.#live.delete(buffer);
    this.#liveBytes -= buffer.byteLength;
    if (this.#disposed) return;
    // Pooled buffers are reused in queue order, which keeps earlier work on them correct.
    for (const evicted of this.#pool.give(buffer.gpu)) this.#batch.destroyLater(evicted);
  }

  memory(): MemoryInfo {
    return { buffers: this.#live.size, bytes: this.#liveBytes, pooledBytes: this.#pool.pooledBytes + this.#staging.pooledBytes };
  }

  /** Destroys every pooled buffer (memory held by arrays is unaffected). */
  trimPool(): void {
    for (const gpu of this.#pool.drain()) this.#batch.destroyLater(gpu);
    for (const gpu of this.#staging.drain()) gpu.destroy(); // idle: none is mapped or in a recorded copy
    this.flush();
  }

  // ------------------------------------------------------------------------------------------
  // Transfers

  write(handle: DeviceBuffer, byteOffset: number, bytes: Uint8Array): void {
    this.#checkUsable();
    const buffer = this.#own(handle);
    if (byteOffset % 4 !== 0) throw new RangeError('internal error: WebGPU writes start at multiples of 4 bytes');
    if (this.#batch.upload(bytes, buffer.gpu, byteOffset)) return;
    // Too large for the arena: submit what was recorded before, so this write lands after it.
    this.flush();
    const padded = alignTo(bytes.byteLength, 4);
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
    const size = end - start;
    const stagingSize = sizeClass(size);
    const staging =
      this.#staging.take(stagingSize) ??
      this.device.createBuffer({ size: stagingSize, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    this.#batch.copy(buffer.gpu, start, staging, 0, size);
    this.flush();
    let bytes: Uint8Array;
    let reusable = false;
    try {
      await staging.mapAsync(MapMode.READ, 0, size);
      // On a device destroyed meanwhile, wgpu resolves the map and getMappedRange throws instead.
      bytes = new Uint8Array(staging.getMappedRange(0, size)).slice(byteOffset - start, byteOffset - start + byteLength);
      staging.unmap();
      reusable = !this.#disposed;
    } catch (error) {
      throw await this.#failure(error);
    } finally {
      // Back to the pool only once unmapped: a read is never handed a buffer another read still maps.
      const discarded = reusable ? this.#staging.give(staging) : [staging];
      for (const gpu of discarded) gpu.destroy();
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
    const aliased = to === from;
    if (isPlainCopy(plan) && !aliased && this.#kernels.tuning.copyEngine) {
      // Both sides contiguous in distinct buffers: the device's own copy (where it is the faster way).
      this.#batch.copy(from.gpu, plan.src.offset * plan.unit, to.gpu, plan.dst.offset * plan.unit, plan.count * plan.unit);
    } else if (!aliased && isTransposeLike(plan)) {
      recordStrided(this.#kernels, { kind: 'transpose', blocked: isBlockAligned(plan) }, plan, to, from);
    } else {
      recordStrided(
        this.#kernels,
        { kind: 'copy', unit: plan.unit, aliased, reversed: plan.reversedLanes },
        plan,
        to,
        aliased ? null : from,
      );
    }
  }

  fill(dst: DeviceBuffer, plan: FillPlan): void {
    this.#checkUsable();
    const to = this.#own(dst);
    if (isPlainZeroing(plan)) {
      // Zeros over a contiguous range of whole words: the device's own clear (np.zeros, a[...] = 0).
      this.#batch.clear(to.gpu, plan.dst.offset * plan.unit, plan.count * plan.unit);
      return;
    }
    recordStrided(this.#kernels, { kind: 'fill', unit: plan.unit }, plan, to, null, plan.pattern);
  }

  cast(dst: DeviceBuffer, src: DeviceBuffer, plan: CastPlan): void {
    this.#checkUsable();
    const to = this.#own(dst);
    const from = this.#own(src);
    const aliased = to === from;
    recordStrided(this.#kernels, { kind: 'cast', from: plan.from, to: plan.to, aliased }, plan, to, aliased ? null : from);
  }

  elementwise(dst: DeviceBuffer, inputs: readonly (DeviceBuffer | null)[], plan: ElementwisePlan): void {
    this.#checkUsable();
    recordElementwise(
      this.#kernels,
      this.#own(dst),
      inputs.map((b) => (b ? this.#own(b) : null)),
      plan,
    );
  }

  reduce(dst: DeviceBuffer, src: DeviceBuffer, plan: ReducePlan): void {
    this.#checkUsable();
    recordReduction(this.#kernels, this.#own(dst), this.#own(src), plan);
  }

  product(dst: DeviceBuffer, a: DeviceBuffer, b: DeviceBuffer, plan: ProductPlan): void {
    this.#checkUsable();
    recordProduct(this.#kernels, this.#own(dst), this.#own(a), this.#own(b), plan);
  }

  // ------------------------------------------------------------------------------------------
  // Submission and lifetime

  /** Submits everything recorded so far. */
  flush(): void {
    this.#batch.flush();
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
    for (const gpu of this.#staging.drain()) gpu.destroy();
    this.#batch.dispose();
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

/** Zeros over a 1-D contiguous range of whole words: what `clearBuffer` does. */
function isPlainZeroing(plan: FillPlan): boolean {
  return plan.unit >= 4 && plan.pattern[0] === 0 && plan.pattern[1] === 0 && plan.shape.length === 1 && plan.dst.strides[0] === 1;
}

/** A 1-D copy of whole contiguous words: what `copyBufferToBuffer` does. */
function isPlainCopy(plan: CopyPlan): boolean {
  return plan.unit >= 4 && !plan.reversedLanes && plan.shape.length === 1 && plan.dst.strides[0] === 1 && plan.src.strides[0] === 1;
}
