/**
 * The WebGPU backend: memory (pooled GPU buffers, wrapped application buffers), transfers in queue order,
 * the kernel entry points, and failure handling (device loss, out-of-memory, validation errors surfacing
 * at the next read; a user kernel that fails to compile fails the reads of what it wrote, and of what
 * was computed from that, and the next sync — never unrelated reads). Recording lives in batch.ts (one command encoder per JavaScript task, uniforms
 * in an arena), and the kernel families in strided.ts, elementwise.ts and reduce.ts.
 */

import type { Backend, BackendCapabilities, CheckToken, DeviceBuffer, DeviceCheck, MemoryInfo } from '../backend.js';
import type { GatherPlan, KeyPlan, MaskPlan, ScatterPlan } from '../../ndarray/core/index-plan.js';
import type { ScanPlan } from '../../ndarray/core/scan-plan.js';
import { BufferUsage, MapMode } from './constants.js';
import { PipelineCache, type KernelCheck } from './pipelines.js';
import { SizeClassPool, sizeClass } from '../pool.js';
import { CommandBatch } from './batch.js';
import { GpuBuffer, alignTo, mergeChecks, type Allocator } from './buffer.js';
import { recordElementwise } from './elementwise.js';
import { recordReduction } from './reduce.js';
import { recordProduct } from './product.js';
import { recordStrided, type KernelContext } from './strided.js';
import { CheckSlots } from './checks.js';
import { recordCheckCount, recordGather, recordKeys, recordScatter, recordSpreadKey } from './indexing.js';
import { recordCompact, recordScan } from './scan.js';
import { SLOT_WORDS } from '../../shaders/indexing.js';
import type { DType } from '../../ndarray/core/dtype.js';
import type { ElementwisePlan } from '../../ndarray/core/elementwise-plan.js';
import { isBlockAligned, isTransposeLike, type CastPlan, type CopyPlan, type FillPlan } from '../../ndarray/core/plan.js';
import type { ReducePlan } from '../../ndarray/core/reduce-plan.js';
import type { ProductPlan } from '../../ndarray/core/product-plan.js';
import { KERNEL_TUNINGS, type Tuning } from '../../shaders/tuning.js';

/** Check slots an operation's end harvests in the background beyond (see `#harvestIfMany`). */
const HARVEST_AT = 4096;
/** Bytes of one check slot. */
const SLOT_BYTES = SLOT_WORDS * 4;

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
  readonly #checks: CheckSlots;
  /** Harvests of check slots started before a read or sync asked (see `#harvestIfMany`). */
  #background: Promise<Error | null>[] = [];
  #lost: string | null = null;
  #error: Error | null = null;
  /** Checks of user kernels not yet confirmed, or failed and not yet reported by a sync. */
  readonly #unreported = new Set<KernelCheck>();
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
    this.#checks = new CheckSlots(device, this.#batch);
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

  /** Another WebGPU backend's buffer on this same device, read in place (see Backend.borrow). */
  borrow(handle: DeviceBuffer, owner: Backend): GpuBuffer | null {
    this.#checkUsable();
    if (!(owner instanceof WebGpuBackend) || owner.device !== this.device) return null;
    const gpu = owner.nativeBuffer(handle);
    if (!gpu) return null;
    owner.flush(); // its queued writes to the buffer come before what this backend records
    const borrowed = new GpuBuffer(gpu, gpu.size, true);
    borrowed.checks = (handle as GpuBuffer).checks; // a failed user kernel's error travels with a copy
    return borrowed;
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
    // The checks made since the last read travel in the same staging buffer, after the bytes.
    const checksAt = alignTo(size, 8);
    const mapped = this.#checks.pending ? checksAt + this.#checks.pendingBytes : size;
    const stagingSize = sizeClass(mapped);
    const staging =
      this.#staging.take(stagingSize) ??
      this.device.createBuffer({ size: stagingSize, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    this.#batch.copy(buffer.gpu, start, staging, 0, size);
    const decodeChecks = this.#checks.pending ? this.#checks.harvest(staging, checksAt) : null;
    this.flush();
    let bytes: Uint8Array;
    let reusable = false;
    let failed: Error | null = null;
    try {
      await staging.mapAsync(MapMode.READ, 0, mapped);
      // On a device destroyed meanwhile, wgpu resolves the map and getMappedRange throws instead.
      const range = new Uint8Array(staging.getMappedRange(0, mapped));
      bytes = range.slice(byteOffset - start, byteOffset - start + byteLength);
      if (decodeChecks) failed = decodeChecks(range.subarray(checksAt));
      staging.unmap();
      reusable = !this.#disposed;
    } catch (error) {
      throw await this.#failure(error);
    } finally {
      // Back to the pool only once unmapped: a read is never handed a buffer another read still maps.
      const discarded = reusable ? this.#staging.give(staging) : [staging];
      for (const gpu of discarded) gpu.destroy();
    }
    const earlier = await this.#backgroundFailure();
    if (earlier ?? failed) throw earlier ?? failed;
    // Work on this memory whose validity WebGPU reports only asynchronously (user kernels).
    for (const check of buffer.checks ?? []) {
      const error = await check.done;
      if (error) throw error;
    }
    this.#throwRecordedError();
    return bytes;
  }

  /** Harvests started in the background (see `#harvestIfMany`), awaited: the first failure, or null. */
  async #backgroundFailure(): Promise<Error | null> {
    if (this.#background.length === 0) return null;
    const failures = await Promise.all(this.#background.splice(0));
    return failures.find((f) => f !== null) ?? null;
  }

  /**
   * Checks pile up (a slot each) until a read or sync harvests them: past HARVEST_AT, an operation's end
   * starts a harvest in the background (never in the middle of one: its writes wait on a range of slots).
   */
  #harvestIfMany(): void {
    if (this.#checks.pendingBytes / SLOT_BYTES < HARVEST_AT) return;
    const harvest = this.#harvestChecks();
    harvest.catch(() => {}); // awaited (and its failure thrown) by the next read or sync
    this.#background.push(harvest);
  }

  /** Reads back the checks made since the last read (a sync's harvest); the first failure, or null. */
  async #harvestChecks(): Promise<Error | null> {
    if (!this.#checks.pending) return null;
    const size = this.#checks.pendingBytes;
    const stagingSize = sizeClass(size);
    const staging =
      this.#staging.take(stagingSize) ??
      this.device.createBuffer({ size: stagingSize, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    const decode = this.#checks.harvest(staging, 0);
    this.flush();
    let reusable = false;
    try {
      await staging.mapAsync(MapMode.READ, 0, size);
      const failed = decode(new Uint8Array(staging.getMappedRange(0, size)).slice());
      staging.unmap();
      reusable = !this.#disposed;
      return failed;
    } catch (error) {
      throw await this.#failure(error);
    } finally {
      const discarded = reusable ? this.#staging.give(staging) : [staging];
      for (const gpu of discarded) gpu.destroy();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Kernels

  copy(dst: DeviceBuffer, src: DeviceBuffer, plan: CopyPlan): void {
    this.#checkUsable();
    const to = this.#own(dst);
    const from = this.#own(src);
    if (from.checks) to.checks = mergeChecks(to.checks, from.checks);
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
    if (from.checks) to.checks = mergeChecks(to.checks, from.checks);
    const aliased = to === from;
    recordStrided(this.#kernels, { kind: 'cast', from: plan.from, to: plan.to, aliased }, plan, to, aliased ? null : from);
  }

  elementwise(dst: DeviceBuffer, inputs: readonly (DeviceBuffer | null)[], plan: ElementwisePlan): void {
    this.#checkUsable();
    const to = this.#own(dst);
    const from = inputs.map((b) => (b ? this.#own(b) : null));
    const check = recordElementwise(this.#kernels, to, from, plan);
    for (const input of from) if (input?.checks) to.checks = mergeChecks(to.checks, input.checks);
    if (check) {
      to.checks = mergeChecks(to.checks, [check]);
      this.#unreported.add(check);
      void check.done.then((error) => error || this.#unreported.delete(check));
    }
  }

  reduce(dst: DeviceBuffer, src: DeviceBuffer, plan: ReducePlan): void {
    this.#checkUsable();
    const to = this.#own(dst);
    const from = this.#own(src);
    if (from.checks) to.checks = mergeChecks(to.checks, from.checks);
    recordReduction(this.#kernels, to, from, plan);
  }

  // ----- advanced indexing and scans -----

  indexKeys(keys: DeviceBuffer, index: DeviceBuffer, plan: KeyPlan, check: DeviceCheck): CheckToken {
    this.#checkUsable();
    const token = this.#checks.reserve(check, indexValueDecoder(plan.dtype));
    recordKeys(this.#kernels, this.#checks, this.#own(keys), this.#own(index), plan, token);
    return token;
  }

  gather(dst: DeviceBuffer, src: DeviceBuffer, keys: DeviceBuffer, plan: GatherPlan): void {
    this.#checkUsable();
    const [to, from] = [this.#own(dst), this.#own(src)];
    if (from.checks) to.checks = mergeChecks(to.checks, from.checks);
    recordGather(this.#kernels, to, from, this.#own(keys), plan);
    this.#harvestIfMany();
  }

  scatter(dst: DeviceBuffer, value: DeviceBuffer, keys: DeviceBuffer, plan: ScatterPlan, gates: readonly CheckToken[]): void {
    this.#checkUsable();
    const [to, from] = [this.#own(dst), this.#own(value)];
    if (from.checks) to.checks = mergeChecks(to.checks, from.checks);
    recordScatter(this.#kernels, this.#checks, this.#winners, to, from, this.#own(keys), plan, gates);
    this.#harvestIfMany();
  }

  compactMask(keys: DeviceBuffer, count: DeviceBuffer, mask: DeviceBuffer, plan: MaskPlan): void {
    this.#checkUsable();
    recordCompact(this.#kernels, this.#own(keys), this.#own(count), this.#own(mask), plan);
  }

  checkCount(count: DeviceBuffer, expected: number | DeviceBuffer, broadcast: boolean, check: DeviceCheck): CheckToken {
    this.#checkUsable();
    const token = this.#checks.reserve(check, (low) => low);
    const other = typeof expected === 'number' ? expected : this.#own(expected);
    recordCheckCount(this.#kernels, this.#checks, this.#own(count), other, broadcast, token);
    return token;
  }

  spreadKey(keys: DeviceBuffer, count: DeviceBuffer, length: number): void {
    this.#checkUsable();
    recordSpreadKey(this.#kernels, this.#own(keys), this.#own(count), length);
  }

  scan(dst: DeviceBuffer, src: DeviceBuffer, plan: ScanPlan): void {
    this.#checkUsable();
    const [to, from] = [this.#own(dst), this.#own(src)];
    if (from.checks) to.checks = mergeChecks(to.checks, from.checks);
    recordScan(this.#kernels, to, from, plan);
  }

  /** The winners array of scatters with repeated keys: zeroed when made, and left zeroed by every scatter
   * (see shaders/indexing.ts), so it is kept and only grows. */
  readonly #winners = {
    ensure: (words: number): GpuBuffer => {
      const bytes = Math.max(4, words * 4);
      if (!this.#winnersBuffer || this.#winnersBuffer.size < bytes) {
        if (this.#winnersBuffer) this.#batch.destroyLater(this.#winnersBuffer.gpu);
        const gpu = this.device.createBuffer({
          label: 'ndgpu winners',
          size: alignTo(Math.max(bytes, (this.#winnersBuffer?.size ?? 0) * 2), 4),
          usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
        });
        this.#winnersBuffer = new GpuBuffer(gpu, gpu.size);
      }
      return this.#winnersBuffer;
    },
  };
  #winnersBuffer: GpuBuffer | null = null;

  product(dst: DeviceBuffer, a: DeviceBuffer, b: DeviceBuffer, plan: ProductPlan): void {
    this.#checkUsable();
    const to = this.#own(dst);
    for (const operand of [this.#own(a), this.#own(b)]) if (operand.checks) to.checks = mergeChecks(to.checks, operand.checks);
    recordProduct(this.#kernels, to, this.#own(a), this.#own(b), plan);
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
    const checks = this.#harvestChecks();
    try {
      await this.device.queue.onSubmittedWorkDone();
    } catch (error) {
      throw await this.#failure(error);
    }
    const earlier = await this.#backgroundFailure();
    const failed = await checks;
    if (earlier ?? failed) throw earlier ?? failed;
    // User kernels that failed since the last sync: each is reported by one sync.
    const kernelChecks = [...this.#unreported];
    const errors = await Promise.all(kernelChecks.map((check) => check.done));
    for (const check of kernelChecks) this.#unreported.delete(check);
    const failure = errors.find((error) => error !== null);
    if (failure) throw failure;
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
    this.#checks.dispose();
    this.#winnersBuffer?.gpu.destroy();
    this.#batch.dispose();
    if (this.#ownsDevice) this.device.destroy();
  }

  // ------------------------------------------------------------------------------------------
  // Failure handling

  checkUsable(): void {
    this.#checkUsable();
  }

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

/** An index value's words (low, high; zero-extended) as the number (or bigint) the error names. */
function indexValueDecoder(dtype: DType): (low: number, high: number) => number | bigint {
  switch (dtype) {
    case 'int8':
      return (low) => (low << 24) >> 24;
    case 'int16':
      return (low) => (low << 16) >> 16;
    case 'int32':
      return (low) => low | 0;
    case 'int64':
      return (low, high) => BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
    case 'uint64':
      return (low, high) => (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
    default:
      return (low) => low >>> 0;
  }
}
