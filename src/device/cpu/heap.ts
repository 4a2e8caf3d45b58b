/**
 * The CPU backend's memory: one `WebAssembly.Memory` per backend, so that its WebAssembly kernels reach
 * every array, with an allocator of blocks inside it.
 *
 * What a WebAssembly memory implies:
 * - It grows in 64 KiB pages and never shrinks (WebAssembly has no way to give pages back): freed
 *   blocks are reused, neighbours coalesce, and a block freed at the top lowers the top; the pages stay
 *   with the backend until it is disposed.
 * - Growing it detaches every view of its old `ArrayBuffer`: views are re-taken whenever `generation`
 *   has changed, and never kept across an allocation.
 * - Its size is bounded by the engine (4 GiB for 32-bit addresses in V8 — Chrome, Node, Deno — and in
 *   Firefox and Safari on 64-bit hosts; less on 32-bit hosts, or where the host refuses the pages).
 *   `alloc` returns null when the memory cannot hold a block: the backend then gives that array an
 *   ArrayBuffer of its own, which the JavaScript loops serve.
 */

/** Blocks start and end on multiples of this: a cache line, so every SIMD vector of a block is aligned. */
export const BLOCK_ALIGN = 64;
/** Bytes at the start of the memory that no array gets, for the kernels' own data: the scalar operands of
 * elementwise operations (bytes 16-63, wasm/elementwise.ts), the gemm's packed panel of B and staged
 * row of sums (bytes 4096-12319, wasm/gemm-kernels.ts) and the 64-bit sums of integer sums and means
 * (bytes 32768-65535, wasm/exact-sum.ts; the same bytes keep argmin/argmax's items, wasm/fold-rows.ts). Address 0 is never a block. */
export const RESERVED_BYTES = 64 << 10;
const PAGE = 64 << 10;
/** The most pages a 32-bit WebAssembly memory has (4 GiB). */
const MAX_PAGES = 65536;

/** The bin of a free block of `size` bytes (a multiple of BLOCK_ALIGN): blocks below 256 bytes by 64s,
 * then four bins per power of two (the quarter-power size classes of ../pool.ts start each bin). */
function binOf(size: number): number {
  if (size < 256) return size / BLOCK_ALIGN - 1;
  const e = Math.floor(Math.log2(size));
  const low = 2 ** e;
  return 3 + (e - 8) * 4 + Math.floor(((size - low) * 4) / low);
}

const BINS = binOf(2 ** 33) + 1;

/**
 * Addresses of blocks in `[base, capacity)`: blocks come from the free blocks first (the smallest bin
 * that holds one large enough, split), else from above `top`. Freed blocks merge with free neighbours;
 * one that reaches `top` lowers it. Pure bookkeeping, no memory: `WasmHeap` supplies the capacity.
 */
export class BlockAllocator {
  #top: number;
  /** Free blocks by bin: start addresses. */
  readonly #bins: Set<number>[] = Array.from({ length: BINS }, () => new Set<number>());
  /** Bit `b` of word `w` is set when bin `32w + b` holds a block (so a miss costs no scan of empty bins). */
  readonly #nonEmpty = new Uint32Array(Math.ceil(BINS / 32));
  /** Free blocks: start → size, and end → start (to find the neighbours of a freed block). */
  readonly #sizeAt = new Map<number, number>();
  readonly #startBefore = new Map<number, number>();
  #freeBytes = 0;

  constructor(base: number) {
    this.#top = base;
  }

  /** The first address above every block (free or not). */
  get top(): number {
    return this.#top;
  }

  /** Bytes in free blocks below the top. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /** A block of `size` bytes (a multiple of BLOCK_ALIGN), or null when neither a free block nor the
   * space between the top and `capacity` holds it. */
  take(size: number, capacity: number): number | null {
    // Sizes are size classes, which start bins: every block of the first bin searched is large enough.
    for (let bin = this.#firstBinFrom(binOf(size)); bin >= 0; bin = this.#firstBinFrom(bin + 1)) {
      for (const start of this.#bins[bin]) {
        const blockSize = this.#sizeAt.get(start) as number;
        if (blockSize < size) continue; // only for a size that is not a class (none is asked for)
        this.#remove(start, blockSize);
        if (blockSize > size) this.#insert(start + size, blockSize - size);
        return start;
      }
    }
    if (this.#top + size > capacity) return null;
    const start = this.#top;
    this.#top += size;
    return start;
  }

  /** Returns a block taken earlier. */
  give(start: number, size: number): void {
    let end = start + size;
    const before = this.#startBefore.get(start);
    if (before !== undefined) {
      this.#remove(before, start - before);
      start = before;
    }
    const afterSize = this.#sizeAt.get(end);
    if (afterSize !== undefined) {
      this.#remove(end, afterSize);
      end += afterSize;
    }
    if (end === this.#top) this.#top = start;
    else this.#insert(start, end - start);
  }

  /** The first bin from `bin` on that holds a block, or -1. */
  #firstBinFrom(bin: number): number {
    for (let word = bin >> 5; word < this.#nonEmpty.length; word++) {
      let bits = this.#nonEmpty[word];
      if (word === bin >> 5) bits &= ~((1 << (bin & 31)) - 1);
      if (bits !== 0) return word * 32 + 31 - Math.clz32(bits & -bits);
    }
    return -1;
  }

  #insert(start: number, size: number): void {
    const bin = binOf(size);
    this.#bins[bin].add(start);
    this.#nonEmpty[bin >> 5] |= 1 << (bin & 31);
    this.#sizeAt.set(start, size);
    this.#startBefore.set(start + size, start);
    this.#freeBytes += size;
  }

  #remove(start: number, size: number): void {
    const bin = binOf(size);
    this.#bins[bin].delete(start);
    if (this.#bins[bin].size === 0) this.#nonEmpty[bin >> 5] &= ~(1 << (bin & 31));
    this.#sizeAt.delete(start);
    this.#startBefore.delete(start + size);
    this.#freeBytes -= size;
  }
}

/** The block size for `byteLength` bytes: a quarter-power size class (as ../pool.ts), at least 256. */
export function blockSize(byteLength: number): number {
  if (byteLength <= 256) return 256;
  const top = 2 ** Math.floor(Math.log2(byteLength));
  const step = Math.max(BLOCK_ALIGN, top / 4);
  return Math.ceil(byteLength / step) * step;
}

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  /** Changes whenever the memory grows (and every view of it is detached). */
  generation = 0;
  readonly #blocks = new BlockAllocator(RESERVED_BYTES);
  /** The most pages this heap asks for (tests lower it to reach the fallback on small arrays). */
  readonly #maxPages: number;
  #bytes: Uint8Array;

  constructor(memory: WebAssembly.Memory, maxBytes = MAX_PAGES * PAGE) {
    this.memory = memory;
    this.#maxPages = Math.min(MAX_PAGES, Math.floor(maxBytes / PAGE));
    this.#bytes = new Uint8Array(memory.buffer);
  }

  /** The memory's bytes now (re-taken after growth). */
  get bytes(): Uint8Array {
    if (this.#bytes.byteLength === 0 || this.#bytes.buffer !== this.memory.buffer) this.#bytes = new Uint8Array(this.memory.buffer);
    return this.#bytes;
  }

  /** Bytes freed by arrays and kept for reuse. */
  get freeBytes(): number {
    return this.#blocks.freeBytes;
  }

  /** The address of a new block of `size` bytes (a `blockSize`), or null when the memory cannot hold
   * it. Growing the memory detaches its views: callers re-take theirs (see `generation`). */
  alloc(size: number): number | null {
    const capacity = this.memory.buffer.byteLength;
    const address = this.#blocks.take(size, capacity);
    if (address !== null) return address;
    if (!this.#grow(this.#blocks.top + size - capacity)) return null;
    return this.#blocks.take(size, this.memory.buffer.byteLength);
  }

  free(address: number, size: number): void {
    this.#blocks.give(address, size);
  }

  /** Grows by at least `bytes`, by half the current size where the engine allows (growth only reserves
   * address space: pages are committed when first written); false when the engine refuses. */
  #grow(bytes: number): boolean {
    const pages = this.memory.buffer.byteLength / PAGE;
    const needed = Math.ceil(bytes / PAGE);
    if (pages + needed > this.#maxPages) return false;
    const generous = Math.min(Math.max(needed, Math.ceil(pages / 2)), this.#maxPages - pages);
    for (const delta of generous > needed ? [generous, needed] : [needed]) {
      try {
        this.memory.grow(delta);
        this.generation++;
        return true;
      } catch {
        // RangeError: the engine's limit, or the host refused the pages; try the least that is needed.
      }
    }
    return false;
  }
}
