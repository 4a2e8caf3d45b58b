import { describe, expect, it } from 'vitest';
import { SizeClassPool, sizeClass } from '../src/device/pool.js';

/** Blocks are plain objects with a size, so identity and order are visible. */
const block = (size: number, name: string) => ({ size, name });
type Block = ReturnType<typeof block>;
const newPool = (limit: number) => new SizeClassPool<Block>(limit, (b) => b.size);

describe('SizeClassPool', () => {
  it('size classes are quarter-powers of two above 256 bytes', () => {
    expect([1, 256, 257, 1000, 1024, 1025, 1281, 3 << 20].map(sizeClass)).toEqual([256, 256, 320, 1024, 1024, 1280, 1536, 3 << 20]);
  });

  it('reuses the most recently released block of a class', () => {
    const pool = newPool(1 << 20);
    const a = block(1024, 'a');
    const b = block(1024, 'b');
    expect(pool.give(a)).toEqual([]);
    expect(pool.give(b)).toEqual([]);
    expect(pool.pooledBytes).toBe(2048);
    expect(pool.take(1024)).toBe(b);
    expect(pool.take(2048)).toBeUndefined();
    expect(pool.take(1024)).toBe(a);
    expect(pool.take(1024)).toBeUndefined();
    expect(pool.pooledBytes).toBe(0);
  });

  it('when full, evicts the oldest blocks to keep the newest', () => {
    const pool = newPool(4096);
    const old1 = block(2048, 'old1');
    const old2 = block(2048, 'old2');
    pool.give(old1);
    pool.give(old2);
    const fresh = block(1024, 'fresh');
    expect(pool.give(fresh)).toEqual([old1]);
    expect(pool.pooledBytes).toBe(3072);
    const fresh2 = block(2048, 'fresh2');
    expect(pool.give(fresh2)).toEqual([old2]);
    expect(pool.take(2048)).toBe(fresh2);
    expect(pool.take(2048)).toBeUndefined();
    expect(pool.take(1024)).toBe(fresh);
  });

  it('hands back a block larger than the whole limit and keeps the rest', () => {
    const pool = newPool(4096);
    const kept = block(1024, 'kept');
    pool.give(kept);
    const huge = block(8192, 'huge');
    expect(pool.give(huge)).toEqual([huge]);
    expect(pool.take(1024)).toBe(kept);
  });

  it('drain returns every block, oldest first, and empties the pool', () => {
    const pool = newPool(1 << 20);
    const blocks = [block(256, 'x'), block(1024, 'y'), block(256, 'z')];
    for (const b of blocks) pool.give(b);
    pool.take(1024);
    expect(pool.drain()).toEqual([blocks[0], blocks[2]]);
    expect(pool.pooledBytes).toBe(0);
    expect(pool.take(256)).toBeUndefined();
  });
});
