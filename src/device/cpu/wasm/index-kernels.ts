/**
 * WebAssembly kernels for advanced indexing (../indexing.ts holds the JavaScript loops they replace, with
 * the same results): one row of a plan per call, addresses and steps in bytes, keys as 32-bit words where
 * 0xffffffff (-1 as an i32) is the invalid key.
 *
 * - `gather_<w>(dst, src, keys, n, dStep, sStep, kStep, keyStride)`: `dst = src[key × keyStride]`, zero
 *   for an invalid key; items of w bytes move as integers (8-byte items as i64), never as floats.
 * - `scatter_<w>(dst, value, keys, n, dStep, vStep, kStep, keyStride)`: the value to its key's element,
 *   one after another (a later position overwrites an earlier one), invalid keys skipped.
 * - `keys_<t>(keys, index, n, kStep, iStep, size, multiplier, flags) → j`: the key pass of one row of
 *   index items of type t (flags: 1 accumulate, 2 pass invalid); returns the row position of the first
 *   index out of range, or -1.
 * - `compact_mask(keys, count, mask, n)`: the positions of the non-zero bytes, then invalid keys, and their
 *   number at `count`; sixteen mask bytes at a time, by their bitmask.
 * - `keep_last(keys, count, seen, seenBytes)`: every key but its last occurrence made invalid, with a
 *   bitset of the key space at `seen` (cleared here).
 */

import { i32, i32x4, i64, i8x16, v128, type Expr, type FunctionBuilder, type ModuleBuilder } from './emit.js';

/** Item widths the gathers and scatters move. */
export const INDEX_WIDTHS = [1, 2, 4, 8] as const;
export type IndexWidth = (typeof INDEX_WIDTHS)[number];

/** Index item types of the key pass, by the JavaScript loops' TypedArray types. */
export const KEY_ITEMS = ['i64', 'u64', 'i32', 'u32', 'i16', 'u16', 'i8', 'u8'] as const;
export type KeyItems = (typeof KEY_ITEMS)[number];

const INVALID = -1;

/** The i32 lanes 0, 1, 2, 3. */
const FIRST_FOUR = v128.const([0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]);

function loadItem(f: FunctionBuilder, w: IndexWidth, address: Expr<'i32'>): Expr {
  void f;
  if (w === 8) return i64.load(address);
  return w === 4 ? i32.load(address) : w === 2 ? i32.load16_u(address) : i32.load8_u(address);
}

function storeItem(f: FunctionBuilder, w: IndexWidth, address: Expr<'i32'>, value: Expr | number): void {
  f.store(w === 8 ? 'i64' : w === 4 ? 'i32' : w === 2 ? 'i32_16' : 'i32_8', address, value);
}

function addGather(m: ModuleBuilder, w: IndexWidth): void {
  m.func(`gather_${w}`, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [d, s, k, n, dStep, sStep, kStep, keyStride] = [0, 1, 2, 3, 4, 5, 6, 7].map((p) => f.param(p, 'i32'));
    const j = f.local('i32');
    const key = f.local('i32');
    f.set(j, 0);
    if (w === 4) {
      // Packed keys into a packed result (a[idx], take, a mask's selection): four keys a vector, their
      // four items loaded into the lanes of one vector store, while no key of the four is invalid.
      const addresses = f.local('v128');
      const keyLanes = f.local('v128');
      f.if(i32.and(i32.and(i32.eq(dStep, 4), i32.eqz(sStep)), i32.eq(kStep, 4)), () =>
        f.block((exit) =>
          f.while(
            () => i32.le_u(i32.add(j, 4), n),
            () => {
              f.set(keyLanes, v128.load(k));
              f.brIf(exit, v128.any_true(i32x4.eq(keyLanes, i32x4.splat(INVALID))));
              f.set(addresses, i32x4.add(i32x4.splat(s), i32x4.mul(keyLanes, i32x4.splat(keyStride))));
              let lanes = v128.load32_zero(i32x4.extract_lane(addresses, 0));
              for (let lane = 1; lane < 4; lane++) lanes = v128.loadLane(32, i32x4.extract_lane(addresses, lane), lanes, lane);
              f.store('v128', d, lanes);
              f.set(j, i32.add(j, 4));
              f.set(d, i32.add(d, 16));
              f.set(k, i32.add(k, 16));
            },
          ),
        ),
      );
    }
    f.while(
      () => i32.lt_u(j, n),
      () => {
        f.set(j, i32.add(j, 1));
        f.set(key, i32.load(k));
        f.if(
          i32.eq(key, INVALID),
          () => storeItem(f, w, d, w === 8 ? i64.const(0n) : 0),
          () => storeItem(f, w, d, loadItem(f, w, i32.add(s, i32.mul(key, keyStride)))),
        );
        f.set(d, i32.add(d, dStep));
        f.set(s, i32.add(s, sStep));
        f.set(k, i32.add(k, kStep));
      },
    );
  });
}

function addScatter(m: ModuleBuilder, w: IndexWidth): void {
  m.func(`scatter_${w}`, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [d, v, k, n, dStep, vStep, kStep, keyStride] = [0, 1, 2, 3, 4, 5, 6, 7].map((p) => f.param(p, 'i32'));
    const j = f.local('i32');
    const key = f.local('i32');
    f.for(j, 0, n, 1, () => {
      f.set(key, i32.load(k));
      f.if(i32.ne(key, INVALID), () => storeItem(f, w, i32.add(d, i32.mul(key, keyStride)), loadItem(f, w, v)));
      f.set(d, i32.add(d, dStep));
      f.set(v, i32.add(v, vStep));
      f.set(k, i32.add(k, kStep));
    });
  });
}

function addKeys(m: ModuleBuilder, t: KeyItems): void {
  const signed = t.startsWith('i');
  const bits = Number(t.slice(1));
  const load = (a: Expr<'i32'>) =>
    bits === 32 ? i32.load(a) : bits === 16 ? (signed ? i32.load16_s(a) : i32.load16_u(a)) : signed ? i32.load8_s(a) : i32.load8_u(a);
  m.func(`keys_${t}`, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], ['i32'], (f) => {
    const [k, i, n, kStep, iStep, size, multiplier, flags] = [0, 1, 2, 3, 4, 5, 6, 7].map((p) => f.param(p, 'i32'));
    const j = f.local('i32');
    const v = f.local('i32');
    const wide = f.local('i64');
    const limit = f.local('i64');
    const bad = f.local('i32');
    const accumulate = f.local('i32');
    const passInvalid = f.local('i32');
    f.set(bad, INVALID);
    f.set(limit, i64.extend_i32_u(size));
    f.set(accumulate, i32.and(flags, 1));
    // Only a uint32 index can hold the invalid key's value (the unused places of a mask's keys).
    f.set(passInvalid, t === 'u32' ? i32.and(i32.shr_u(flags, 1), 1) : 0);
    f.set(j, 0);
    if (bits === 32) {
      // Packed 32-bit indices, keys written afresh, an axis below 2^31: four at a time (normalised by
      // adding the size to negative values, checked by one unsigned comparison), up to the first
      // vector with an index out of range, which the loop below finds again one index at a time.
      const sizes = f.local('v128');
      const vector = f.local('v128');
      f.if(i32.and(i32.and(i32.eqz(flags), i32.ge_s(size, 0)), i32.and(i32.eq(kStep, 4), i32.eq(iStep, 4))), () => {
        f.set(sizes, i32x4.splat(size));
        f.block((exit) =>
          f.while(
            () => i32.le_u(i32.add(j, 4), n),
            () => {
              f.set(vector, v128.load(i));
              if (signed) f.set(vector, i32x4.add(vector, v128.and(i32x4.lt_s(vector, i32x4.splat(0)), sizes)));
              f.brIf(exit, i32.eqz(i32x4.all_true(i32x4.lt_u(vector, sizes))));
              f.store('v128', k, i32x4.mul(vector, i32x4.splat(multiplier)));
              f.set(j, i32.add(j, 4));
              f.set(k, i32.add(k, 16));
              f.set(i, i32.add(i, 16));
            },
          ),
        );
      });
    }
    f.while(
      () => i32.lt_u(j, n),
      () => {
        f.block((next) => {
          if (bits === 64) {
            f.set(wide, i64.load(i));
          } else {
            f.set(v, load(i));
            f.if(i32.and(passInvalid, i32.eq(v, INVALID)), () => {
              f.store('i32', k, INVALID);
              f.br(next);
            });
            f.set(wide, signed ? i64.extend_i32_s(v) : i64.extend_i32_u(v));
          }
          // The value's range check in 64 bits: the axis may be longer than 2^31 and the index unsigned.
          const outOfRange = signed
            ? i32.or(i64.lt_s(wide, i64.sub(i64.const(0n), limit)), i64.ge_s(wide, limit))
            : i32.eqz(i64.lt_u(wide, limit));
          f.if(outOfRange, () => {
            f.store('i32', k, INVALID);
            f.if(i32.lt_s(bad, 0), () => f.set(bad, j));
            f.br(next);
          });
          // Normalised (a negative index counts from the end) times the multiplier, modulo 2^32 like the
          // JavaScript loops' Uint32Array store (a valid key is below 2^32, so the product is exact there).
          // A value in range fits 32 bits once normalised, so a 64-bit one is taken by its low word.
          if (bits === 64) f.set(v, i32.wrap_i64(wide));
          const negative = bits === 64 ? i64.lt_s(wide, i64.const(0n)) : i32.lt_s(v, 0);
          const term = i32.mul(signed ? i32.add(v, i32.select(size, 0, negative)) : v, multiplier);
          f.if(
            accumulate,
            () => {
              f.if(i32.ne(i32.load(k), INVALID), () => f.store('i32', k, i32.add(i32.load(k), term)));
            },
            () => f.store('i32', k, term),
          );
        });
        f.set(k, i32.add(k, kStep));
        f.set(i, i32.add(i, iStep));
        f.set(j, i32.add(j, 1));
      },
    );
    f.return(bad);
  });
}

function addCompactMask(m: ModuleBuilder): void {
  m.func('compact_mask', ['i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [keys, countAt, mask, n] = [0, 1, 2, 3].map((p) => f.param(p, 'i32'));
    const i = f.local('i32');
    const count = f.local('i32');
    const bits = f.local('i32');
    const at = f.local('i32');
    f.set(i, 0);
    // Sixteen bytes at a time: the bitmask of the true ones, each set bit a position.
    f.while(
      () => i32.le_u(i32.add(i, 16), n),
      () => {
        f.set(bits, i8x16.bitmask(i8x16.ne(v128.load(i32.add(mask, i)), i8x16.splat(0))));
        f.if(
          i32.eq(bits, 0xffff),
          () => {
            // Sixteen true bytes: sixteen consecutive positions, four vectors.
            f.set(at, i32.add(keys, i32.shl(count, 2)));
            for (let q = 0; q < 4; q++) f.store('v128', at, i32x4.add(i32x4.splat(i32.add(i, 4 * q)), FIRST_FOUR), 16 * q);
            f.set(count, i32.add(count, 16));
          },
          () =>
            f.if(bits, () => {
              // Branch-free: each position written at the count so far, which only true bytes advance
              // (a branch per byte would be mispredicted half the time on a random mask).
              for (let q = 0; q < 16; q++) {
                f.store('i32', i32.add(keys, i32.shl(count, 2)), i32.add(i, q));
                f.set(count, i32.add(count, i32.and(i32.shr_u(bits, q), 1)));
              }
            }),
        );
        f.set(i, i32.add(i, 16));
      },
    );
    // The rest branch-free: every position is written at the count so far, which only true bytes advance.
    f.while(
      () => i32.lt_u(i, n),
      () => {
        f.store('i32', i32.add(keys, i32.shl(count, 2)), i);
        f.set(count, i32.add(count, i32.ne(i32.load8_u(i32.add(mask, i)), 0)));
        f.set(i, i32.add(i, 1));
      },
    );
    f.memoryFill(i32.add(keys, i32.shl(count, 2)), 0xff, i32.shl(i32.sub(n, count), 2));
    f.store('i32', countAt, count);
  });
}

function addKeepLast(m: ModuleBuilder): void {
  m.func('keep_last', ['i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [keys, count, seen, seenBytes] = [0, 1, 2, 3].map((p) => f.param(p, 'i32'));
    const at = f.local('i32');
    const key = f.local('i32');
    const byte = f.local('i32');
    const bit = f.local('i32');
    f.memoryFill(seen, 0, seenBytes);
    // From the last key back: the first time a key is seen is its last occurrence.
    f.set(at, i32.add(keys, i32.shl(count, 2)));
    f.while(
      () => i32.gt_u(at, keys),
      () => {
        f.set(at, i32.sub(at, 4));
        f.set(key, i32.load(at));
        f.if(i32.ne(key, INVALID), () => {
          f.set(byte, i32.add(seen, i32.shr_u(key, 3)));
          f.set(bit, i32.shl(1, i32.and(key, 7)));
          f.if(
            i32.and(i32.load8_u(byte), bit),
            () => f.store('i32', at, INVALID),
            () => f.store('i32_8', byte, i32.or(i32.load8_u(byte), bit)),
          );
        });
      },
    );
  });
}

export function addIndexKernels(m: ModuleBuilder): void {
  for (const w of INDEX_WIDTHS) {
    addGather(m, w);
    addScatter(m, w);
  }
  for (const t of KEY_ITEMS) addKeys(m, t);
  addCompactMask(m);
  addKeepLast(m);
}
