/**
 * The CPU backend: executes plans on its arrays' memory — blocks of one WebAssembly memory (./heap.ts),
 * run by WebAssembly SIMD kernels (./wasm/) where every operand lies in it and a kernel serves the plan,
 * else by the JavaScript loops over views of the blocks (and over ArrayBuffers of their own for arrays
 * the memory cannot hold, or every array where the engine has no WebAssembly SIMD). Both give the same
 * bits. Elements move as unsigned integers of the plan's unit width, never as JS numbers (a float round
 * trip could change NaN payloads), so results are the same bits as the WebGPU backend's. Work happens at
 * once; reads still return Promises, as on the GPU.
 */

import type { Backend, BackendCapabilities, CheckToken, DeviceBuffer, DeviceCheck, MemoryInfo } from '../backend.js';
import { SizeClassPool, sizeClass } from '../pool.js';
import { blockSize, type WasmHeap } from './heap.js';
import type { Kernels } from './wasm/kernels.js';
import { copyInMemory, fillInMemory } from './wasm/copy.js';
import { elementwiseInMemory } from './wasm/elementwise.js';
import { castInMemory } from './wasm/cast.js';
import { productInMemory, type ProductMemory } from './wasm/product.js';
import { copyUnits, fillUnits } from './copy.js';
import { walkRows } from './walk.js';
import { castItems } from './cast.js';
import { elementwiseItems } from './elementwise.js';
import { reduceItems } from './reduce.js';
import { compactMask, gather, indexKeys, offendingIndex, readCount, scatter } from './indexing.js';
import { scanItems } from './scan.js';
import {
  compactMaskInMemory,
  gatherInMemory,
  indexKeysInMemory,
  keysServed,
  scatterInMemory,
  scatterScratchBytes,
} from './wasm/indexing.js';
import { scanInMemory, scanKernelFor, scanScratchBytes } from './wasm/scan.js';
import type { GatherPlan, KeyPlan, MaskPlan, ScatterPlan } from '../../ndarray/core/index-plan.js';
import type { ScanPlan } from '../../ndarray/core/scan-plan.js';
import { productItems } from './product.js';
import type { ElementwisePlan } from '../../ndarray/core/elementwise-plan.js';
import type { ReducePlan } from '../../ndarray/core/reduce-plan.js';
import type { ProductPlan } from '../../ndarray/core/product-plan.js';
import type { CastPlan, CopyPlan, FillPlan, UnitSize } from '../../ndarray/core/plan.js';

/**
 * One allocation: a block of the backend's WebAssembly memory (`address` ≥ 0), or an ArrayBuffer of its
 * own where there is no WebAssembly or the memory cannot hold it (`address` -1). `bytes`, `u16`, `u32`
 * and `units()` are views of exactly the block, indexed from its start; a growing memory detaches them,
 * so they are re-taken whenever it has grown: take them again after anything that allocates, never keep
 * them.
 */
class CpuBuffer implements DeviceBuffer {
  readonly byteLength: number;
  /** Byte address in the heap's memory; -1 for an ArrayBuffer of its own. */
  readonly address: number;
  /** Bytes of the block (a size class, at least 256): every unit view covers the whole block. */
  readonly size: number;
  released = false;
  readonly #heap: WasmHeap | null;
  readonly #own: ArrayBuffer | null;
  /** The heap generation the views were taken in. */
  #generation = -1;
  #bytes: Uint8Array | null = null;
  #u16: Uint16Array | null = null;
  #u32: Uint32Array | null = null;

  constructor(byteLength: number, size: number, place: { heap: WasmHeap; address: number } | ArrayBuffer) {
    this.byteLength = byteLength;
    this.size = size;
    if (place instanceof ArrayBuffer) {
      this.#heap = null;
      this.#own = place;
      this.address = -1;
    } else {
      this.#heap = place.heap;
      this.#own = null;
      this.address = place.address;
    }
  }

  /** The ArrayBuffer the views look at now, and the block's byte offset in it. */
  #source(): ArrayBuffer {
    const heap = this.#heap;
    if (heap === null) return this.#own as ArrayBuffer;
    if (heap.generation !== this.#generation) {
      this.#generation = heap.generation;
      this.#bytes = this.#u16 = this.#u32 = null;
    }
    return heap.memory.buffer;
  }

  get bytes(): Uint8Array {
    const buffer = this.#source();
    return (this.#bytes ??= new Uint8Array(buffer, Math.max(0, this.address), this.size));
  }

  get u16(): Uint16Array {
    const buffer = this.#source();
    return (this.#u16 ??= new Uint16Array(buffer, Math.max(0, this.address), this.size / 2));
  }

  get u32(): Uint32Array {
    const buffer = this.#source();
    return (this.#u32 ??= new Uint32Array(buffer, Math.max(0, this.address), this.size / 4));
  }

  /** Whether the block lies in the WebAssembly memory (where the kernels reach it). */
  get inHeap(): boolean {
    return this.#heap !== null;
  }

  units(unit: UnitSize): Uint8Array | Uint16Array | Uint32Array {
    if (unit === 16) throw new RangeError('internal error: the CPU backend plans in units of at most 4 bytes');
    return unit === 1 ? this.bytes : unit === 2 ? this.u16 : this.u32;
  }

  /** The ArrayBuffer of a block outside the heap (for the pool), null for a heap block. */
  get ownBuffer(): ArrayBuffer | null {
    return this.#own;
  }
}

/** The largest allocation this backend hands out (V8's limit on 64-bit hosts is larger; 4 GiB matches WebGPU). */
const MAX_BUFFER_SIZE = 2 ** 32;
/** Default bound on ArrayBuffers kept for reuse (arrays outside the WebAssembly memory). */
const DEFAULT_POOL_LIMIT = 256 << 20;

export interface CpuBackendOptions {
  poolLimit?: number;
  /** The WebAssembly memory the arrays live in; absent: every array is an ArrayBuffer of its own and
   * the JavaScript loops serve them. */
  heap?: WasmHeap | null;
  /** The WebAssembly kernels over the heap's memory; absent: the JavaScript loops serve every array. */
  kernels?: Kernels | null;
}

export class CpuBackend implements Backend {
  readonly kind = 'cpu' as const;
  readonly description: string;
  readonly capabilities: BackendCapabilities = { maxBufferSize: MAX_BUFFER_SIZE, maxPlanUnit: 4, compute64: true, kernelForm: 'js' };
  #live = new Set<CpuBuffer>();
  /** Released ArrayBuffers (of arrays outside the heap) for reuse: allocating a large one costs several
   * times the copy into it. */
  #pool: SizeClassPool<ArrayBuffer>;
  #heap: WasmHeap | null;
  #kernels: Kernels | null;
  /** The kernels and scratch blocks of the heap, for products; null without kernels. */
  #productMemory: ProductMemory | null;

  constructor(options: CpuBackendOptions = {}) {
    this.#pool = new SizeClassPool<ArrayBuffer>(options.poolLimit ?? DEFAULT_POOL_LIMIT, (b) => b.byteLength);
    const heap = (this.#heap = options.heap ?? null);
    const kernels = (this.#kernels = heap ? (options.kernels ?? null) : null);
    this.#productMemory =
      heap && kernels
        ? {
            kernels,
            bytes: () => heap.bytes,
            alloc: (bytes) => heap.alloc(blockSize(bytes)),
            free: (address, bytes) => heap.free(address, blockSize(bytes)),
          }
        : null;
    this.description = this.#kernels ? 'CPU (WebAssembly SIMD)' : 'CPU (JavaScript)';
  }
  #liveBytes = 0;
  #disposed = false;
  /** Checks made since the last read or sync: the failed ones' errors, in order (see `#failed`). */
  #checkErrors: Error[] = [];
  #failedChecks = new Set<number>();
  #nextCheck = 0;

  alloc(byteLength: number): CpuBuffer {
    this.#checkAlive();
    if (byteLength > MAX_BUFFER_SIZE) {
      throw new RangeError(`cannot allocate ${byteLength} bytes: the CPU backend's limit is ${MAX_BUFFER_SIZE} bytes`);
    }
    const buffer = this.#inHeap(byteLength) ?? this.#ownArrayBuffer(byteLength);
    this.#live.add(buffer);
    this.#liveBytes += byteLength;
    return buffer;
  }

  release(buffer: DeviceBuffer): void {
    const b = this.#own(buffer);
    if (b.released) return;
    b.released = true;
    this.#live.delete(b);
    this.#liveBytes -= b.byteLength;
    const own = b.ownBuffer;
    if (own)
      this.#pool.give(own); // evicted ArrayBuffers are left to the GC
    else this.#heap?.free(b.address, b.size);
  }

  /** A block of the heap, or null where there is no heap or it cannot hold one more. */
  #inHeap(byteLength: number): CpuBuffer | null {
    const heap = this.#heap;
    if (!heap) return null;
    const size = blockSize(byteLength);
    const address = heap.alloc(size);
    return address === null ? null : new CpuBuffer(byteLength, size, { heap, address });
  }

  #ownArrayBuffer(byteLength: number): CpuBuffer {
    const size = sizeClass(Math.max(8, byteLength));
    return new CpuBuffer(byteLength, size, this.#pool.take(size) ?? new ArrayBuffer(size));
  }

  write(buffer: DeviceBuffer, byteOffset: number, bytes: Uint8Array): void {
    this.#own(buffer).bytes.set(bytes, byteOffset);
  }

  readSync(buffer: DeviceBuffer, byteOffset: number, byteLength: number): Uint8Array {
    return this.#own(buffer).bytes.slice(byteOffset, byteOffset + byteLength);
  }

  read(buffer: DeviceBuffer, byteOffset: number, byteLength: number): Promise<Uint8Array> {
    try {
      const bytes = this.#own(buffer).bytes.slice(byteOffset, byteOffset + byteLength);
      this.#throwFailedCheck();
      return Promise.resolve(bytes);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  copy(dst: DeviceBuffer, src: DeviceBuffer, plan: CopyPlan): void {
    const d = this.#own(dst);
    const s = this.#own(src);
    if (this.#kernels && d.inHeap && s.inHeap) return copyInMemory(this.#kernels, d.address, s.address, plan);
    copyUnits(d.units(plan.unit), s.units(plan.unit), plan.shape, plan.dst, plan.src);
  }

  fill(dst: DeviceBuffer, plan: FillPlan): void {
    const unit = plan.unit;
    const d = this.#own(dst);
    const [low, high] = plan.pattern;
    // One value for every unit (all but 8-byte items whose halves differ).
    const mask = unit >= 4 ? 0xffffffff : (1 << (unit * 8)) - 1;
    const value = patternRepeatsEveryUnit(plan.pattern, unit) ? (low & mask) >>> 0 : null;
    if (this.#kernels && d.inHeap) return fillInMemory(this.#kernels, d.address, plan, value);
    const to = d.units(unit);
    if (value !== null) {
      fillUnits(to, plan.shape, plan.dst, value);
      return;
    }
    // 8-byte items as word pairs: the unit at byte address A takes the pattern's word at A mod 8.
    const words = to as Uint32Array;
    const last = plan.shape.length - 1;
    const step = plan.dst.strides[last];
    walkRows(plan.shape, [plan.dst.offset], [plan.dst.strides], (starts, n) => {
      for (let i = 0, d = starts[0]; i < n; i++, d += step) words[d] = d & 1 ? high : low;
    });
  }

  cast(dst: DeviceBuffer, src: DeviceBuffer, plan: CastPlan): void {
    const d = this.#own(dst);
    const s = this.#own(src);
    if (this.#kernels && d.inHeap && s.inHeap && castInMemory(this.#kernels, d.address, s.address, plan)) return;
    castItems(d.bytes, s.bytes, plan);
  }

  reduce(dst: DeviceBuffer, src: DeviceBuffer, plan: ReducePlan): void {
    const d = this.#own(dst);
    const s = this.#own(src);
    const inMemory = this.#kernels && d.inHeap && s.inHeap ? { kernels: this.#kernels, dst: d.address, src: s.address } : null;
    reduceItems(d.bytes, s.bytes, plan, inMemory);
  }

  product(dst: DeviceBuffer, a: DeviceBuffer, b: DeviceBuffer, plan: ProductPlan): void {
    const [d, x, y] = [this.#own(dst), this.#own(a), this.#own(b)];
    const memory = this.#productMemory;
    if (memory && d.inHeap && x.inHeap && y.inHeap && productInMemory(memory, { dst: d.address, a: x.address, b: y.address }, plan)) return;
    productItems(d.bytes, x.bytes, y.bytes, plan); // views taken after any growth of the memory
  }

  elementwise(dst: DeviceBuffer, inputs: readonly (DeviceBuffer | null)[], plan: ElementwisePlan): void {
    const d = this.#own(dst);
    const sources = inputs.map((b) => (b ? this.#own(b) : null));
    if (this.#kernels && d.inHeap && sources.every((b) => !b || b.inHeap)) {
      const addresses = sources.map((b) => (b ? b.address : null));
      if (elementwiseInMemory(this.#kernels, d.address, addresses, plan)) return;
    }
    elementwiseItems(
      d.bytes,
      sources.map((b) => (b ? b.bytes : null)),
      plan,
    );
  }

  // ----- advanced indexing and scans -----
  // Checks run at once here, but their failures surface where WebGPU's do (at the next read or sync),
  // so that a program behaves the same on both backends.

  indexKeys(keys: DeviceBuffer, index: DeviceBuffer, plan: KeyPlan, check: DeviceCheck): CheckToken {
    const k = this.#own(keys);
    const i = this.#own(index);
    if (this.#kernels && k.inHeap && i.inHeap && keysServed(plan)) {
      const badAt = indexKeysInMemory(this.#kernels, k.address, i.address, plan);
      return this.#recordCheck(badAt < 0 ? null : check.error(offendingIndex(i.bytes, plan, badAt)));
    }
    const bad = indexKeys(k.bytes, i.bytes, plan);
    return this.#recordCheck(bad === null ? null : check.error(bad));
  }

  gather(dst: DeviceBuffer, src: DeviceBuffer, keys: DeviceBuffer, plan: GatherPlan): void {
    const [d, s, k] = [this.#own(dst), this.#own(src), this.#own(keys)];
    if (this.#kernels && d.inHeap && s.inHeap && k.inHeap && gatherInMemory(this.#kernels, d.address, s.address, k.address, plan)) return;
    gather(d.bytes, s.bytes, k.bytes, plan);
  }

  scatter(dst: DeviceBuffer, value: DeviceBuffer, keys: DeviceBuffer, plan: ScatterPlan, gates: readonly CheckToken[]): void {
    if (gates.some((gate) => this.#failedChecks.has(gate.id))) return;
    const [d, v, k] = [this.#own(dst), this.#own(value), this.#own(keys)];
    if (this.#kernels && d.inHeap && v.inHeap && k.inHeap) {
      // The last-occurrence pass marks keys in a bitset of the key space, a scratch block of the memory.
      const seenBytes = scatterScratchBytes(plan);
      const seen = seenBytes > 0 ? this.#scratch(seenBytes) : null;
      try {
        if (seenBytes === 0 || seen) {
          if (scatterInMemory(this.#kernels, d.address, v.address, k.address, plan, seen ? seen.address : null)) return;
        }
      } finally {
        if (seen) this.release(seen);
      }
    }
    scatter(d.bytes, v.bytes, k.bytes, plan);
  }

  compactMask(keys: DeviceBuffer, count: DeviceBuffer, mask: DeviceBuffer, plan: MaskPlan): void {
    const [k, c, m] = [this.#own(keys), this.#own(count), this.#own(mask)];
    if (this.#kernels && k.inHeap && c.inHeap && m.inHeap) return compactMaskInMemory(this.#kernels, k.address, c.address, m.address, plan);
    compactMask(k.bytes, c.bytes, m.bytes, plan);
  }

  /** A scratch block of the WebAssembly memory (released by the caller), or null where none is free. */
  #scratch(byteLength: number): CpuBuffer | null {
    const block = this.#inHeap(Math.max(1, byteLength));
    if (!block) return null;
    this.#live.add(block);
    this.#liveBytes += block.byteLength;
    return block;
  }

  checkCount(count: DeviceBuffer, expected: number | DeviceBuffer, broadcast: boolean, check: DeviceCheck): CheckToken {
    const actual = readCount(this.#own(count).bytes);
    const wanted = typeof expected === 'number' ? expected : readCount(this.#own(expected).bytes);
    const ok = actual === wanted || (broadcast && (actual === 1 || wanted === 1));
    return this.#recordCheck(ok ? null : check.error(actual, wanted));
  }

  spreadKey(keys: DeviceBuffer, count: DeviceBuffer, length: number): void {
    if (readCount(this.#own(count).bytes) !== 1) return;
    const bytes = this.#own(keys).bytes; // a block of the WebAssembly memory starts at its byteOffset
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, length);
    words.fill(words[0]);
  }

  scan(dst: DeviceBuffer, src: DeviceBuffer, plan: ScanPlan): void {
    const d = this.#own(dst);
    const s = this.#own(src);
    if (this.#kernels && d.inHeap && s.inHeap && scanKernelFor(plan)) {
      const scratchBytes = scanScratchBytes(plan);
      const scratch = scratchBytes > 0 ? this.#scratch(scratchBytes) : null;
      if (scratchBytes === 0 || scratch) {
        try {
          // Views are taken after the scratch block: allocating it may have grown (detached) the memory.
          return scanInMemory(this.#kernels, d.address, s.address, plan, d.bytes, scratch ? scratch.address : 0);
        } finally {
          if (scratch) this.release(scratch);
        }
      }
    }
    scanItems(d.bytes, s.bytes, plan);
  }

  #recordCheck(error: Error | null): CheckToken {
    const token = { id: this.#nextCheck++ };
    if (error) {
      this.#failedChecks.add(token.id);
      this.#checkErrors.push(error);
    }
    return token;
  }

  /** Throws the first failed check's error (and forgets the others), as WebGPU's reads do. */
  #throwFailedCheck(): void {
    const first = this.#checkErrors[0];
    this.#checkErrors = [];
    this.#failedChecks.clear();
    if (first) throw first;
  }

  sync(): Promise<void> {
    if (this.#disposed) return Promise.reject(new Error('the CPU backend was disposed'));
    try {
      this.#throwFailedCheck();
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve();
  }

  memory(): MemoryInfo {
    return { buffers: this.#live.size, bytes: this.#liveBytes, pooledBytes: this.#pool.pooledBytes + (this.#heap?.freeBytes ?? 0) };
  }

  flush(): void {}

  nativeBuffer(): GPUBuffer | null {
    return null;
  }

  trimPool(): void {
    this.#pool.drain();
  }

  dispose(): void {
    this.#disposed = true;
    this.#live.clear();
    this.#pool.drain();
    this.#heap = null; // the WebAssembly memory goes with its last reference
    this.#kernels = null;
    this.#productMemory = null;
    this.#liveBytes = 0;
  }

  checkUsable(): void {
    this.#checkAlive();
  }

  #checkAlive(): void {
    if (this.#disposed) throw new Error('this ndgpu context was disposed');
  }

  #own(buffer: DeviceBuffer): CpuBuffer {
    this.#checkAlive();
    if (!(buffer instanceof CpuBuffer) || buffer.released) throw new Error('buffer is not a live buffer of this CPU backend');
    return buffer;
  }
}

/** True when every unit of the pattern holds the same bits (so a plain TypedArray fill is exact). */
function patternRepeatsEveryUnit(pattern: readonly [number, number], unit: UnitSize): boolean {
  if (pattern[0] !== pattern[1]) return false;
  if (unit >= 4) return true;
  const mask = (1 << (unit * 8)) - 1;
  const first = pattern[0] & mask;
  for (let shift = unit * 8; shift < 32; shift += unit * 8) if (((pattern[0] >>> shift) & mask) !== first) return false;
  return true;
}
