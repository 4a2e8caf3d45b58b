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
  /** Every pooled block, oldest release first (a Set keeps insertion order and deletes in O(1)). */
  readonly #byAge = new Set<T>();
  readonly #sizeOf: (block: T) => number;
  #pooledBytes = 0;
  /** Most bytes kept; beyond it, the oldest blocks are handed back to the caller to free. */
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
    if (block !== undefined) {
      this.#byAge.delete(block);
      this.#pooledBytes -= this.#sizeOf(block);
    }
    return block;
  }

  /**
   * Keeps `block` for reuse and returns the blocks the caller must now free: the oldest ones, evicted to
   * make room (the sizes a program uses now are the ones it will ask for next, so a full pool of blocks
   * from an earlier phase must not turn away every new one), or `block` itself when it alone exceeds the
   * limit.
   */
  give(block: T): T[] {
    const size = this.#sizeOf(block);
    if (size > this.limit) return [block];
    const evicted: T[] = [];
    for (const oldest of this.#byAge) {
      if (this.#pooledBytes + size <= this.limit) break;
      this.#evict(oldest);
      evicted.push(oldest);
    }
    const list = this.#free.get(size) ?? [];
    list.push(block);
    this.#free.set(size, list);
    this.#byAge.add(block);
    this.#pooledBytes += size;
    return evicted;
  }

  /** Removes every pooled block and returns them (for the caller to free). */
  drain(): T[] {
    const all = [...this.#byAge];
    this.#free.clear();
    this.#byAge.clear();
    this.#pooledBytes = 0;
    return all;
  }

  #evict(block: T): void {
    const size = this.#sizeOf(block);
    const list = this.#free.get(size) as T[];
    // The oldest block of its class is the first of its list (lists grow at the end, take pops the end).
    list.splice(list.indexOf(block), 1);
    this.#byAge.delete(block);
    this.#pooledBytes -= size;
  }
}
