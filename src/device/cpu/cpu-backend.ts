/**
 * The CPU backend: executes plans on ArrayBuffers. Elements move as unsigned integers of the plan's unit
 * width, never as JS numbers (a float round trip could change NaN payloads), so results are the same
 * bits as the WebGPU backend's. Work happens at once; reads still return Promises, as on the GPU.
 */

import type { Backend, BackendCapabilities, CheckToken, DeviceBuffer, DeviceCheck, MemoryInfo } from '../backend.js';
import { SizeClassPool, sizeClass } from '../pool.js';
import { copyUnits, fillUnits } from './copy.js';
import { walkRows } from './walk.js';
import { castItems } from './cast.js';
import { elementwiseItems } from './elementwise.js';
import { reduceItems } from './reduce.js';
import { compactMask, gather, indexKeys, readCount, scatter } from './indexing.js';
import { scanItems } from './scan.js';
import type { GatherPlan, KeyPlan, MaskPlan, ScatterPlan } from '../../ndarray/core/index-plan.js';
import type { ScanPlan } from '../../ndarray/core/scan-plan.js';
import { productItems } from './product.js';
import type { ElementwisePlan } from '../../ndarray/core/elementwise-plan.js';
import type { ReducePlan } from '../../ndarray/core/reduce-plan.js';
import type { ProductPlan } from '../../ndarray/core/product-plan.js';
import type { CastPlan, CopyPlan, FillPlan, UnitSize } from '../../ndarray/core/plan.js';

class CpuBuffer implements DeviceBuffer {
  readonly byteLength: number;
  /** Padded to 8 bytes so that every unit view covers it. */
  readonly bytes: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  released = false;
  constructor(byteLength: number, buffer: ArrayBuffer) {
    this.byteLength = byteLength;
    this.bytes = new Uint8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.u32 = new Uint32Array(buffer);
  }
  units(unit: UnitSize): Uint8Array | Uint16Array | Uint32Array {
    if (unit === 16) throw new RangeError('internal error: the CPU backend plans in units of at most 4 bytes');
    return unit === 1 ? this.bytes : unit === 2 ? this.u16 : this.u32;
  }
}

/** The largest ArrayBuffer this backend hands out (V8's limit on 64-bit hosts is larger; 4 GiB matches WebGPU). */
const MAX_BUFFER_SIZE = 2 ** 32;
/** Default bound on memory kept for reuse. */
const DEFAULT_POOL_LIMIT = 256 << 20;

export class CpuBackend implements Backend {
  readonly kind = 'cpu' as const;
  readonly description = 'CPU (JavaScript)';
  readonly capabilities: BackendCapabilities = { maxBufferSize: MAX_BUFFER_SIZE, maxPlanUnit: 4, compute64: true, kernelForm: 'js' };
  #live = new Set<CpuBuffer>();
  /** Released ArrayBuffers for reuse: allocating a large one costs several times the copy into it. */
  #pool: SizeClassPool<ArrayBuffer>;

  constructor(options: { poolLimit?: number } = {}) {
    this.#pool = new SizeClassPool<ArrayBuffer>(options.poolLimit ?? DEFAULT_POOL_LIMIT, (b) => b.byteLength);
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
    const size = sizeClass(Math.max(8, byteLength));
    const buffer = new CpuBuffer(byteLength, this.#pool.take(size) ?? new ArrayBuffer(size));
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
    this.#pool.give(b.bytes.buffer as ArrayBuffer); // evicted ArrayBuffers are left to the GC
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
    copyUnits(this.#own(dst).units(plan.unit), this.#own(src).units(plan.unit), plan.shape, plan.dst, plan.src);
  }

  fill(dst: DeviceBuffer, plan: FillPlan): void {
    const unit = plan.unit;
    const to = this.#own(dst).units(unit);
    const [low, high] = plan.pattern;
    if (patternRepeatsEveryUnit(plan.pattern, unit)) {
      // One value for every unit (all but 8-byte items whose halves differ).
      const mask = unit >= 4 ? 0xffffffff : (1 << (unit * 8)) - 1;
      fillUnits(to, plan.shape, plan.dst, (low & mask) >>> 0);
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
    castItems(this.#own(dst).bytes, this.#own(src).bytes, plan);
  }

  reduce(dst: DeviceBuffer, src: DeviceBuffer, plan: ReducePlan): void {
    reduceItems(this.#own(dst).bytes, this.#own(src).bytes, plan);
  }

  product(dst: DeviceBuffer, a: DeviceBuffer, b: DeviceBuffer, plan: ProductPlan): void {
    productItems(this.#own(dst).bytes, this.#own(a).bytes, this.#own(b).bytes, plan);
  }

  elementwise(dst: DeviceBuffer, inputs: readonly (DeviceBuffer | null)[], plan: ElementwisePlan): void {
    elementwiseItems(
      this.#own(dst).bytes,
      inputs.map((b) => (b ? this.#own(b).bytes : null)),
      plan,
    );
  }

  // ----- advanced indexing and scans -----
  // Checks run at once here, but their failures surface where WebGPU's do (at the next read or sync),
  // so that a program behaves the same on both backends.

  indexKeys(keys: DeviceBuffer, index: DeviceBuffer, plan: KeyPlan, check: DeviceCheck): CheckToken {
    const bad = indexKeys(this.#own(keys).bytes, this.#own(index).bytes, plan);
    return this.#recordCheck(bad === null ? null : check.error(bad));
  }

  gather(dst: DeviceBuffer, src: DeviceBuffer, keys: DeviceBuffer, plan: GatherPlan): void {
    gather(this.#own(dst).bytes, this.#own(src).bytes, this.#own(keys).bytes, plan);
  }

  scatter(dst: DeviceBuffer, value: DeviceBuffer, keys: DeviceBuffer, plan: ScatterPlan, gates: readonly CheckToken[]): void {
    if (gates.some((gate) => this.#failedChecks.has(gate.id))) return;
    scatter(this.#own(dst).bytes, this.#own(value).bytes, this.#own(keys).bytes, plan);
  }

  compactMask(keys: DeviceBuffer, count: DeviceBuffer, mask: DeviceBuffer, plan: MaskPlan): void {
    compactMask(this.#own(keys).bytes, this.#own(count).bytes, this.#own(mask).bytes, plan);
  }

  checkCount(count: DeviceBuffer, expected: number | DeviceBuffer, broadcast: boolean, check: DeviceCheck): CheckToken {
    const actual = readCount(this.#own(count).bytes);
    const wanted = typeof expected === 'number' ? expected : readCount(this.#own(expected).bytes);
    const ok = actual === wanted || (broadcast && (actual === 1 || wanted === 1));
    return this.#recordCheck(ok ? null : check.error(actual, wanted));
  }

  spreadKey(keys: DeviceBuffer, count: DeviceBuffer, length: number): void {
    if (readCount(this.#own(count).bytes) !== 1) return;
    const words = new Uint32Array(this.#own(keys).bytes.buffer, 0, length);
    words.fill(words[0]);
  }

  scan(dst: DeviceBuffer, src: DeviceBuffer, plan: ScanPlan): void {
    scanItems(this.#own(dst).bytes, this.#own(src).bytes, plan);
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
    return { buffers: this.#live.size, bytes: this.#liveBytes, pooledBytes: this.#pool.pooledBytes };
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
