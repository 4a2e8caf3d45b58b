/**
 * Memory kept for reuse, by size class. Allocating device memory (or a large JS ArrayBuffer) costs more
 * than the copies that fill it, and arrays of similar sizes come and go constantly (temporaries of
 * `set`, copies, reads). Classes are quarter-powers of two above 256 bytes, so a reused block wastes at
 * most a quarter of its size. The pool is bounded; `drain()` empties it (np.trim()).
 */

export function sizeClass(byteLength: number): number {
  if (byteLength <= 256) return 256;
  const top = 2 ** Math.floor(Math.log2(byteLength));
  const step = Math.max(4, top / 4);
  return Math.ceil(byteLength / step) * step;
}

export class SizeClassPool<T> {
  readonly #free = new Map<number, T[]>();
  readonly #sizeOf: (block: T) => number;
  #pooledBytes = 0;
  /** Most bytes kept; beyond it, released blocks are handed back to the caller to free. */
  limit: number;

  constructor(limit: number, sizeOf: (block: T) => number) {
    this.limit = limit;
    this.#sizeOf = sizeOf;
  }

  get pooledBytes(): number {
    return this.#pooledBytes;
  }

  take(size: number): T | undefined {
    const block = this.#free.get(size)?.pop();
    if (block !== undefined) this.#pooledBytes -= this.#sizeOf(block);
    return block;
  }

  /** Keeps `block` for reuse, or returns false when the pool is full (the caller frees it). */
  give(block: T): boolean {
    const size = this.#sizeOf(block);
    if (this.#pooledBytes + size > this.limit) return false;
    const list = this.#free.get(size) ?? [];
    list.push(block);
    this.#free.set(size, list);
    this.#pooledBytes += size;
    return true;
  }

  /** Removes every pooled block and returns them (for the caller to free). */
  drain(): T[] {
    const all = [...this.#free.values()].flat();
    this.#free.clear();
    this.#pooledBytes = 0;
    return all;
  }
}
