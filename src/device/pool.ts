/**
 * GPU buffers kept for reuse, by size class. Allocating and freeing GPU memory is slow and fragments it;
 * arrays of similar sizes come and go constantly (temporaries of `set`, copies, reads). Classes are
 * quarter-powers of two above 256 bytes, so a reused buffer wastes at most a quarter of its size.
 */

export function sizeClass(byteLength: number): number {
  if (byteLength <= 256) return 256;
  const top = 2 ** Math.floor(Math.log2(byteLength));
  const step = Math.max(4, top / 4);
  return Math.ceil(byteLength / step) * step;
}

export class BufferPool {
  readonly #free = new Map<number, GPUBuffer[]>();
  #pooledBytes = 0;
  /** Most bytes kept; beyond it, released buffers are destroyed. */
  limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get pooledBytes(): number {
    return this.#pooledBytes;
  }

  take(size: number): GPUBuffer | undefined {
    const list = this.#free.get(size);
    const buffer = list?.pop();
    if (buffer) this.#pooledBytes -= buffer.size;
    return buffer;
  }

  /** Keeps `buffer` for reuse, or returns false when the pool is full (the caller destroys it). */
  give(buffer: GPUBuffer): boolean {
    if (this.#pooledBytes + buffer.size > this.limit) return false;
    const list = this.#free.get(buffer.size) ?? [];
    list.push(buffer);
    this.#free.set(buffer.size, list);
    this.#pooledBytes += buffer.size;
    return true;
  }

  /** Removes every pooled buffer and returns them (for the caller to destroy). */
  drain(): GPUBuffer[] {
    const all = [...this.#free.values()].flat();
    this.#free.clear();
    this.#pooledBytes = 0;
    return all;
  }
}
