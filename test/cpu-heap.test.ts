/**
 * The CPU backend's storage in a WebAssembly memory: the block allocator (reuse, splitting, coalescing,
 * the top), views re-taken after the memory grows, and arrays beyond the memory's limit in ArrayBuffers
 * of their own, mixed freely with arrays in the memory.
 */

import { describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { BlockAllocator, blockSize, RESERVED_BYTES, WasmHeap } from '../src/device/cpu/heap.js';
import { CpuBackend } from '../src/device/cpu/cpu-backend.js';

describe('BlockAllocator', () => {
  it('takes blocks from the top, reuses a freed block of the same size, and lowers the top when the top block is freed', () => {
    const blocks = new BlockAllocator(1024);
    const a = blocks.take(256, 1 << 20);
    const b = blocks.take(512, 1 << 20);
    const c = blocks.take(256, 1 << 20);
    expect([a, b, c]).toEqual([1024, 1280, 1792]);
    blocks.give(b as number, 512);
    expect(blocks.freeBytes).toBe(512);
    expect(blocks.take(512, 1 << 20)).toBe(1280);
    expect(blocks.freeBytes).toBe(0);
    blocks.give(c as number, 256);
    expect(blocks.top).toBe(1792);
    expect(blocks.freeBytes).toBe(0);
  });

  it('splits a larger free block, coalesces freed neighbours, and says when the capacity is reached', () => {
    const blocks = new BlockAllocator(0);
    const capacity = 4096;
    const a = blocks.take(1024, capacity) as number;
    const b = blocks.take(1024, capacity) as number;
    const c = blocks.take(1024, capacity) as number;
    const d = blocks.take(1024, capacity) as number;
    expect(blocks.take(256, capacity)).toBeNull();
    blocks.give(a, 1024);
    blocks.give(c, 1024);
    blocks.give(b, 1024); // merges with both neighbours: one free block [0, 3072)
    expect(blocks.freeBytes).toBe(3072);
    expect(blocks.take(2048, capacity)).toBe(0);
    expect(blocks.take(768, capacity)).toBe(2048); // the rest of the merged block, split
    expect(blocks.take(256, capacity)).toBe(2816);
    expect(blocks.freeBytes).toBe(0);
    blocks.give(d, 1024);
    expect(blocks.top).toBe(3072);
  });

  it('ends where it began after random allocations are all freed, never handing out overlapping blocks', () => {
    const blocks = new BlockAllocator(65536);
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const live: [number, number][] = [];
    for (let step = 0; step < 3000; step++) {
      if (live.length > 0 && random() < 0.45) {
        const [start, size] = live.splice(Math.floor(random() * live.length), 1)[0];
        blocks.give(start, size);
        continue;
      }
      const size = blockSize(1 + Math.floor(random() ** 3 * 100_000));
      const start = blocks.take(size, 2 ** 32) as number;
      expect(start % 64).toBe(0);
      for (const [s, n] of live) expect(start + size <= s || s + n <= start).toBe(true);
      live.push([start, size]);
    }
    for (const [start, size] of live) blocks.give(start, size);
    expect(blocks.top).toBe(65536);
    expect(blocks.freeBytes).toBe(0);
  });
});

describe('WasmHeap', () => {
  it('grows the memory for a block beyond it; buffers re-take their views afterwards', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 2 }));
    const backend = new CpuBackend({ heap });
    const small = backend.alloc(16);
    backend.write(small, 0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]));
    const before = small.u32;
    const generation = heap.generation;
    const large = backend.alloc(1 << 20);
    expect(heap.generation).not.toBe(generation);
    expect(before.byteLength).toBe(0); // detached by the growth
    expect(Array.from(small.u32.subarray(0, 4))).toEqual([0x04030201, 0x08070605, 0x0c0b0a09, 0x100f0e0d]);
    expect(large.bytes.byteOffset).toBeGreaterThanOrEqual(RESERVED_BYTES);
    backend.release(large);
    backend.release(small);
    expect(backend.memory()).toEqual({ buffers: 0, bytes: 0, pooledBytes: 0 });
  });

  it('gives arrays beyond its limit ArrayBuffers of their own', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 2 }), 4 * 65536);
    const backend = new CpuBackend({ heap });
    const inside = backend.alloc(65536);
    const outside = backend.alloc(4 * 65536);
    expect(inside.inHeap).toBe(true);
    expect(outside.inHeap).toBe(false);
    expect(outside.bytes.buffer).not.toBe(heap.memory.buffer);
  });
});

describe('arrays inside and outside the WebAssembly memory', () => {
  it('copy, compute and reduce alike when the memory holds only some of them', async () => {
    const np = await init({ backend: 'cpu', cpuKernels: 'wasm', cpuMemoryLimit: RESERVED_BYTES + 65536 });
    try {
      const a = np.arange(4096, { dtype: 'float32' }).reshape(64, 64); // 16 KiB: in the memory
      const b = np.arange(65536, { dtype: 'float32' }).reshape(256, 256); // 256 KiB: outside it
      const t = b.get(':64, :64').T.copy(); // outside → inside
      const u = np.add(a, b.get('::4, ::4')); // mixed inputs
      b.set(':64, :64', a.T); // inside → outside
      const expectedT = Array.from({ length: 64 }, (_, i) => Array.from({ length: 64 }, (_, j) => j * 256 + i));
      expect(await t.toArray()).toEqual(expectedT);
      const expectedU = Array.from({ length: 64 }, (_, i) => Array.from({ length: 64 }, (_, j) => i * 64 + j + i * 4 * 256 + j * 4));
      expect(await u.toArray()).toEqual(expectedU);
      expect(await b.get(':64, :64').toArray()).toEqual(expectedT.map((row, i) => row.map((_, j) => j * 64 + i)));
      expect(await b.astype('int32').sum().item()).toBe((4095 * 4096) / 2 + (65535 * 65536) / 2 - sumOfBlock()); // exact in int32
    } finally {
      np.dispose();
    }
  });
});

/** The sum of b[:64, :64] of arange(65536).reshape(256, 256). */
function sumOfBlock(): number {
  let s = 0;
  for (let i = 0; i < 64; i++) for (let j = 0; j < 64; j++) s += i * 256 + j;
  return s;
}

describe('engines whose WebAssembly cannot compile the kernels (no SIMD)', () => {
  it("init() falls back to the JavaScript loops; cpuKernels: 'wasm' says why it cannot", async () => {
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = (() =>
      Promise.reject(new WebAssembly.CompileError('invalid opcode 0xfd'))) as unknown as typeof WebAssembly.instantiate;
    try {
      const np = await init({ backend: 'cpu' });
      expect(np.device).toBe('CPU (JavaScript)');
      expect(await np.arange(5).get('::-1').copy().toArray()).toEqual([4, 3, 2, 1, 0]);
      np.dispose();
      await expect(init({ backend: 'cpu', cpuKernels: 'wasm' })).rejects.toThrow(/cannot compile the WebAssembly SIMD kernels/);
    } finally {
      WebAssembly.instantiate = instantiate;
    }
    const np = await init({ backend: 'cpu' });
    expect(np.device).toBe('CPU (WebAssembly SIMD)');
    np.dispose();
  });
});
