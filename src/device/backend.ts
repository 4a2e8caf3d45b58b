/**
 * The one interface both backends implement. Backends know devices and bytes, not NumPy: plans arrive
 * already simplified (see `src/ndarray/plan.ts`), and a backend only executes them, which is what makes
 * the CPU and WebGPU results bit-identical.
 *
 * Ordering contract: every call takes effect in call order. `write`, `copy`, `fill` and `cast` are queued
 * and return at once; `read` resolves with the bytes as they are after everything queued before it.
 */

import type { ElementwisePlan } from '../ndarray/core/elementwise-plan.js';
import type { GatherPlan, KeyPlan, MaskPlan, ScatterPlan } from '../ndarray/core/index-plan.js';
import type { ScanPlan } from '../ndarray/core/scan-plan.js';
import type { ReducePlan } from '../ndarray/core/reduce-plan.js';
import type { ProductPlan } from '../ndarray/core/product-plan.js';
import type { CastPlan, CopyPlan, FillPlan } from '../ndarray/core/plan.js';
import type { Tuning } from '../shaders/tuning.js';

export type { Tuning };

/** Which backend a context runs on. */
export type BackendKind = 'webgpu' | 'cpu';

/** Opaque handle to device memory. `byteLength` is what was asked for (the device may hold more). */
export interface DeviceBuffer {
  readonly byteLength: number;
}

/** What `np.memory()` reports. */
export interface MemoryInfo {
  /** Allocations held by live arrays. */
  readonly buffers: number;
  /** Bytes of those allocations. */
  readonly bytes: number;
  /** Memory kept for reuse, not held by any array. */
  readonly pooledBytes: number;
}

/** What a backend can do, as data: the semantic layer asks these, never which backend it is. */
export interface BackendCapabilities {
  /** The largest single allocation, in bytes. */
  readonly maxBufferSize: number;
  /** The widest unit plans may use: 16 where the backend moves four-word vectors. */
  readonly maxPlanUnit: 4 | 16;
  /** Whether operations may compute in 64-bit types (float64, int64, uint64); WGSL has none. */
  readonly compute64: boolean;
  /** Which form of an operation's computation the backend runs (see ndarray/core/kernel-forms.ts): a
   * WGSL expression, or a JavaScript function. */
  readonly kernelForm: 'wgsl' | 'js';
}

/**
 * A check that kernels make on the device, where the host cannot see the data (an index array of the
 * device's, a count): a failure leaves the operation's writes undone and surfaces as `error(value)` at the
 * next read or sync of the context. `value` is what the kernel saw: the first offending index (in C order
 * of the index array), or the count.
 */
export interface DeviceCheck {
  /** `value`: the offending index, or the count seen; `expected`: for counts, the count it was checked
   * against. */
  error(value: number | bigint, expected?: number): Error;
}

/** A check recorded by a backend, which later kernels of the same operation can wait on (see `scatter`). */
export interface CheckToken {
  readonly id: number;
}

export interface Backend {
  readonly kind: BackendKind;
  readonly capabilities: BackendCapabilities;
  /** A short description of the device, for logs (`'lavapipe (Vulkan)'`, `'CPU'`). */
  readonly description: string;
  /** WebGPU: what its kernels are tuned for (see shaders/tuning.ts); absent on the CPU. */
  readonly tuning?: Tuning;

  /** New memory of at least `byteLength` bytes; its contents are unspecified. Throws when it cannot. */
  alloc(byteLength: number): DeviceBuffer;
  /** Gives memory back; the handle must not be used afterwards. Work already queued on it completes.
   * Wrapped application buffers are never destroyed or pooled. */
  release(buffer: DeviceBuffer): void;

  /** Queues writing `bytes` at `byteOffset`; the bytes are copied before it returns (callers may hand
   * over views of the application's own data). */
  write(buffer: DeviceBuffer, byteOffset: number, bytes: Uint8Array): void;
  read(buffer: DeviceBuffer, byteOffset: number, byteLength: number): Promise<Uint8Array>;
  /** The bytes now, where the backend's memory is the host's (the CPU): everything queued has run. */
  readSync?(buffer: DeviceBuffer, byteOffset: number, byteLength: number): Uint8Array;
  /**
   * A handle through which this backend's plans may read `buffer`, memory of the backend `owner`, or
   * null where they cannot (another kind of backend, another device). `owner`'s queued work is
   * submitted first; the caller releases the handle, and submits (`flush`) right after recording what
   * reads it, before `owner` can reuse the memory.
   */
  borrow?(buffer: DeviceBuffer, owner: Backend): DeviceBuffer | null;

  /** Executes a copy plan. `dst` and `src` may be the same buffer, but the plan's elements never overlap. */
  copy(dst: DeviceBuffer, src: DeviceBuffer, plan: CopyPlan): void;
  fill(dst: DeviceBuffer, plan: FillPlan): void;
  /** Executes a conversion between dtypes, element by element; the operands never overlap. */
  cast(dst: DeviceBuffer, src: DeviceBuffer, plan: CastPlan): void;
  /** Executes an elementwise operation; `inputs[k]` is null for scalar inputs. Array inputs may share the
   * destination's buffer only where their elements are exactly the destination's or disjoint from them. */
  elementwise(dst: DeviceBuffer, inputs: readonly (DeviceBuffer | null)[], plan: ElementwisePlan): void;
  /** Executes a reduction: one `plan.temp` value per output, written contiguously into `dst`. */
  reduce(dst: DeviceBuffer, src: DeviceBuffer, plan: ReducePlan): void;
  /** Executes a batch of matrix products `out = a @ b` (see core/product-plan.ts). The destination's
   * elements never share memory with the operands' (the semantic layer stages those), but `dst` may be
   * the same buffer as `a` or `b`, and `a` the same as `b`. */
  product(dst: DeviceBuffer, a: DeviceBuffer, b: DeviceBuffer, plan: ProductPlan): void;

  // ----- advanced indexing and scans (see ndarray/core/index-plan.ts, scan-plan.ts) -----

  /** Executes a key pass; every index is checked against the plan's size, failures recorded by `check`. */
  indexKeys(keys: DeviceBuffer, index: DeviceBuffer, plan: KeyPlan, check: DeviceCheck): CheckToken;
  /** Executes a gather (`src` and `dst` are different buffers; keys are valid or invalid, never out of range). */
  gather(dst: DeviceBuffer, src: DeviceBuffer, keys: DeviceBuffer, plan: GatherPlan): void;
  /** Executes a scatter, unless one of `gates` failed; with `plan.lastWins` it rewrites `keys`. `value` and
   * `keys` never share `dst`'s buffer. */
  scatter(dst: DeviceBuffer, value: DeviceBuffer, keys: DeviceBuffer, plan: ScatterPlan, gates: readonly CheckToken[]): void;
  /** Lists a packed boolean array's true positions into `keys` and their number into `count`. */
  compactMask(keys: DeviceBuffer, count: DeviceBuffer, mask: DeviceBuffer, plan: MaskPlan): void;
  /** Checks that the 32-bit count at the start of `count` equals `expected` (a number, or the count at
   * the start of another buffer) — or, with `broadcast`, that either is 1; failures recorded by `check`,
   * with the count seen. */
  checkCount(count: DeviceBuffer, expected: number | DeviceBuffer, broadcast: boolean, check: DeviceCheck): CheckToken;
  /** Where the 32-bit count at the start of `count` is 1, copies the first of the packed keys to the
   * first `length` places (a single selection broadcast against a longer index array). */
  spreadKey(keys: DeviceBuffer, count: DeviceBuffer, length: number): void;
  /** Executes a scan (`dst` and `src` are different buffers, or the same elements). */
  scan(dst: DeviceBuffer, src: DeviceBuffer, plan: ScanPlan): void;

  /** Submits queued work and resolves when the device has finished it. */
  sync(): Promise<void>;
  memory(): MemoryInfo;
  /** Frees the memory kept for reuse (arrays keep theirs). */
  trimPool(): void;
  /** Submits queued work without waiting (so that work an application submits afterwards sees it). */
  flush(): void;
  /** The GPUBuffer behind a handle, for the application's own pipelines; null on the CPU. */
  nativeBuffer(buffer: DeviceBuffer): GPUBuffer | null;
  /** Wraps an application's GPUBuffer (WebGPU only). */
  wrap?(buffer: GPUBuffer): DeviceBuffer;
  /** Throws when the backend can no longer be used (disposed, or its device lost). */
  checkUsable(): void;
  /** Releases everything; later calls fail. */
  dispose(): void;
}
