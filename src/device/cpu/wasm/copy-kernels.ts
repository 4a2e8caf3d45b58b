/**
 * WebAssembly kernels for copies and fills of one 2-D block of a plan (`n0` rows of `n1` units), per
 * unit width (1, 2, 4 bytes): the same cases as the JavaScript block kernels (../templates/copy-blocks.ts),
 * with SIMD where a row allows it — contiguous rows as `memory.copy`, reversed rows as vectors with their
 * lanes reversed, stride-2 gathers and scatters as pairs of vectors and a shuffle, transposes of words
 * as 4×4 register transposes in cache-sized tiles.
 *
 * Every address and stride is in bytes, as i32 arithmetic modulo 2^32: addresses lie below 4 GiB, so a
 * position computed with wrapping arithmetic is the true one. Counts compare unsigned. Operands never
 * overlap (plans stage overlapping sources), so the order of moves is free; vectors that read or write
 * lanes between a row's elements (stride 2) never reach past the row's last element, so they stay inside
 * the operand's block.
 */

import {
  i16x8,
  i32,
  i32x4,
  i64,
  i64x2,
  i8x16,
  shuffleLanes,
  v128,
  type Expr,
  type FunctionBuilder,
  type I32,
  type Local,
  type ModuleBuilder,
} from './emit.js';

export type UnitWidth = 1 | 2 | 4;

/** Tile edge, in units, of transposed blocks: 64 rows of 64 words stay in the first-level cache. */
const TILE = 64;

function loadUnit(w: UnitWidth, address: I32, offset = 0): Expr<'i32'> {
  return w === 1 ? i32.load8_u(address, offset) : w === 2 ? i32.load16_u(address, offset) : i32.load(address, offset);
}

function storeUnit(f: FunctionBuilder, w: UnitWidth, address: I32, value: I32, offset = 0): void {
  f.store(w === 1 ? 'i32_8' : w === 2 ? 'i32_16' : 'i32', address, value, offset);
}

function splat(w: UnitWidth, value: I32): Expr<'v128'> {
  return w === 1 ? i8x16.splat(value) : w === 2 ? i16x8.splat(value) : i32x4.splat(value);
}

/** Lanes `from, from + step, ...` (k of them). */
function lanes(k: number, from: number, step: number): number[] {
  return Array.from({ length: k }, (_, i) => from + i * step);
}

/** The parameters of a function, as locals. */
function params(f: FunctionBuilder, count: number): Local<'i32'>[] {
  return Array.from({ length: count }, (_, k) => f.param(k, 'i32'));
}

const I32S = (n: number) => new Array<'i32'>(n).fill('i32');

/** The names of the kernels for a unit width. */
export const copyKernelName = (w: UnitWidth) => `copy_u${w * 8}`;
export const fillKernelName = (w: UnitWidth) => `fill_u${w * 8}`;
export const FILL_PAIR_KERNEL = 'fill_pair';

/** Adds `copy_u8/u16/u32(dst, src, n0, n1, d0, d1, s0, s1)`, `fill_u8/u16/u32(dst, n0, n1, d0, d1,
 * value)` and `fill_pair(dst, n0, n1, d0, d1, low, high)` (words of 8-byte items whose halves differ). */
export function addCopyKernels(m: ModuleBuilder): void {
  for (const w of [1, 2, 4] as const) {
    addCopy(m, w);
    addFill(m, w);
  }
  addFillPair(m);
}

function addCopy(m: ModuleBuilder, w: UnitWidth): void {
  const rows = I32S(8); // dst, src, n0, n1, d0, d1, s0, s1
  const contiguous = m.func(null, rows, [], (f) => copyRowsContiguous(f, w));
  const reversed = m.func(null, rows, [], (f) => copyRowsReversed(f, w));
  const fromOne = m.func(null, rows, [], (f) => fillRowsFrom(f, w));
  const gather2 = m.func(null, rows, [], (f) => gatherRows2(f, w));
  const scatter2 = m.func(null, rows, [], (f) => scatterRows2(f, w));
  const tiled = m.func(null, rows, [], (f) => (w === 4 ? transposeWords(f) : copyTiled(f, w)));
  const strided = m.func(null, rows, [], (f) => copyStridedRows(f, w));
  m.func(copyKernelName(w), rows, [], (f) => {
    const p = params(f, 8);
    const [, , n0, n1, , d1, s0, s1] = p;
    const pick = (kernel: Parameters<FunctionBuilder['call']>[0]) => {
      f.call(kernel, ...p);
      f.return();
    };
    f.if(i32.eq(d1, w), () => {
      f.if(i32.eq(s1, w), () => pick(contiguous));
      f.if(i32.eq(s1, -w), () => pick(reversed));
      f.if(i32.eqz(s1), () => pick(fromOne));
      f.if(i32.eq(s1, 2 * w), () => pick(gather2));
      // A transposed walk (isTransposedWalk in core/plan.ts): a larger stride along the row than across rows.
      const absS0 = i32.select(s0, i32.sub(0, s0), i32.ge_s(s0, 0));
      const absS1 = i32.select(s1, i32.sub(0, s1), i32.ge_s(s1, 0));
      f.if(i32.and(i32.and(i32.gt_u(absS1, i32.select(absS0, w, i32.gt_u(absS0, w))), i32.gt_u(n0, 1)), i32.gt_u(n1, 1)), () =>
        pick(tiled),
      );
    });
    f.if(i32.and(i32.eq(d1, 2 * w), i32.eq(s1, w)), () => pick(scatter2));
    pick(strided);
  });
}

/** The loop over rows: `body(d, s)` for each row's first destination and source addresses. */
function eachRow(f: FunctionBuilder, body: (d: Local<'i32'>, s: Local<'i32'>) => void): void {
  const [dst, src, n0, , d0, , s0] = params(f, 8);
  const i = f.local('i32');
  const d = f.local('i32');
  const s = f.local('i32');
  f.set(d, dst);
  f.set(s, src);
  f.for(i, 0, n0, 1, () => {
    body(d, s);
    f.set(d, i32.add(d, d0));
    f.set(s, i32.add(s, s0));
  });
}

/** Contiguous rows: `memory.copy` per row (a broadcast row is copied from the same, cached, source), or
 * for short rows vectors, then words and smaller pieces. */
function copyRowsContiguous(f: FunctionBuilder, w: UnitWidth): void {
  const n1 = f.param(3, 'i32');
  const bytes = f.local('i32');
  const j = f.local('i32');
  f.set(bytes, i32.mul(n1, w));
  eachRow(f, (d, s) => {
    f.if(
      i32.ge_u(bytes, 64),
      () => f.memoryCopy(d, s, bytes),
      () => {
        f.set(j, 0);
        f.while(
          () => i32.le_u(i32.add(j, 16), bytes),
          () => {
            f.store('v128', i32.add(d, j), v128.load(i32.add(s, j)));
            f.set(j, i32.add(j, 16));
          },
        );
        f.if(i32.le_u(i32.add(j, 8), bytes), () => {
          f.store('i64', i32.add(d, j), i64.load(i32.add(s, j)));
          f.set(j, i32.add(j, 8));
        });
        f.while(
          () => i32.lt_u(j, bytes),
          () => {
            storeUnit(f, w, i32.add(d, j), loadUnit(w, i32.add(s, j)));
            f.set(j, i32.add(j, w));
          },
        );
      },
    );
  });
}

/** Rows read backwards: a vector of the source's lanes ending at element j, its lanes reversed. */
function copyRowsReversed(f: FunctionBuilder, w: UnitWidth): void {
  const n1 = f.param(3, 'i32');
  const k = 16 / w;
  const j = f.local('i32');
  const reverse = lanes(k, k - 1, -1);
  eachRow(f, (d, s) => {
    f.set(j, 0);
    f.while(
      () => i32.le_u(i32.add(j, k), n1),
      () => {
        const v = v128.load(i32.sub(s, i32.mul(i32.add(j, k - 1), w)));
        f.store('v128', i32.add(d, i32.mul(j, w)), shuffleLanes(w, v, v, reverse));
        f.set(j, i32.add(j, k));
      },
    );
    f.while(
      () => i32.lt_u(j, n1),
      () => {
        storeUnit(f, w, i32.add(d, i32.mul(j, w)), loadUnit(w, i32.sub(s, i32.mul(j, w))));
        f.set(j, i32.add(j, 1));
      },
    );
  });
}

/** Each row from one source unit (a broadcast along the row). */
function fillRowsFrom(f: FunctionBuilder, w: UnitWidth): void {
  const n1 = f.param(3, 'i32');
  const value = f.local('i32');
  eachRow(f, (d, s) => {
    f.set(value, loadUnit(w, s));
    fillContiguous(f, w, d, n1, value);
  });
}

/** `n` units from `d` set to `value` (of one unit): `memory.fill` where its bytes are all alike,
 * else splatted vectors and a scalar tail. */
function fillContiguous(f: FunctionBuilder, w: UnitWidth, d: I32, n: I32, value: Local<'i32'>): void {
  const j = f.local('i32');
  const bytes = f.local('i32');
  const vector = f.local('v128');
  f.set(bytes, i32.mul(n, w));
  const mask = w === 4 ? -1 : (1 << (w * 8)) - 1;
  const uniform = i32.eq(i32.and(i32.mul(i32.and(value, 0xff), 0x01010101), mask), value);
  f.if(
    uniform,
    () => f.memoryFill(d, value, bytes),
    () => {
      f.set(vector, splat(w, value));
      f.set(j, 0);
      f.while(
        () => i32.le_u(i32.add(j, 16), bytes),
        () => {
          f.store('v128', i32.add(d, j), vector);
          f.set(j, i32.add(j, 16));
        },
      );
      f.while(
        () => i32.lt_u(j, bytes),
        () => {
          storeUnit(f, w, i32.add(d, j), value);
          f.set(j, i32.add(j, w));
        },
      );
    },
  );
}

/** Rows gathered from every second source unit (`a[::2]`): two source vectors, their even lanes. */
function gatherRows2(f: FunctionBuilder, w: UnitWidth): void {
  const n1 = f.param(3, 'i32');
  const k = 16 / w;
  const j = f.local('i32');
  const even = lanes(k, 0, 2);
  eachRow(f, (d, s) => {
    f.set(j, 0);
    // Strictly below n1: the second vector's last lane (one past element j + k - 1) then stays in the row.
    f.while(
      () => i32.lt_u(i32.add(j, k), n1),
      () => {
        const at = i32.add(s, i32.mul(j, 2 * w));
        f.store('v128', i32.add(d, i32.mul(j, w)), shuffleLanes(w, v128.load(at), v128.load(at, 16), even));
        f.set(j, i32.add(j, k));
      },
    );
    f.while(
      () => i32.lt_u(j, n1),
      () => {
        storeUnit(f, w, i32.add(d, i32.mul(j, w)), loadUnit(w, i32.add(s, i32.mul(j, 2 * w))));
        f.set(j, i32.add(j, 1));
      },
    );
  });
}

/** Contiguous rows into every second destination unit (`m[:, ::2] = row`): each pair of destination
 * vectors loaded, its even lanes replaced by the source's, stored (the odd lanes keep what they hold). */
function scatterRows2(f: FunctionBuilder, w: UnitWidth): void {
  const n1 = f.param(3, 'i32');
  const k = 16 / w;
  const j = f.local('i32');
  const at = f.local('i32');
  const source = f.local('v128');
  // Output lane L: even L from the source's lane L/2 (+ k/2 for the second vector), odd L kept.
  const low = lanes(k, 0, 1).map((L) => (L % 2 === 0 ? L / 2 : k + L));
  const high = lanes(k, 0, 1).map((L) => (L % 2 === 0 ? k / 2 + L / 2 : k + L));
  eachRow(f, (d, s) => {
    f.set(j, 0);
    f.while(
      () => i32.lt_u(i32.add(j, k), n1),
      () => {
        f.set(source, v128.load(i32.add(s, i32.mul(j, w))));
        f.set(at, i32.add(d, i32.mul(j, 2 * w)));
        f.store('v128', at, shuffleLanes(w, source, v128.load(at), low));
        f.store('v128', at, shuffleLanes(w, source, v128.load(at, 16), high), 16);
        f.set(j, i32.add(j, k));
      },
    );
    f.while(
      () => i32.lt_u(j, n1),
      () => {
        storeUnit(f, w, i32.add(d, i32.mul(j, 2 * w)), loadUnit(w, i32.add(s, i32.mul(j, w))));
        f.set(j, i32.add(j, 1));
      },
    );
  });
}

/** Rows strided on both sides, four moves per step. */
function copyStridedRows(f: FunctionBuilder, w: UnitWidth): void {
  const [, , , n1, , d1, , s1] = params(f, 8);
  const j = f.local('i32');
  const dd = f.local('i32');
  const ss = f.local('i32');
  eachRow(f, (d, s) => {
    f.set(dd, d);
    f.set(ss, s);
    f.set(j, 0);
    f.while(
      () => i32.le_u(i32.add(j, 4), n1),
      () => {
        for (let u = 0; u < 4; u++) {
          storeUnit(f, w, dd, loadUnit(w, ss));
          f.set(dd, i32.add(dd, d1));
          f.set(ss, i32.add(ss, s1));
        }
        f.set(j, i32.add(j, 4));
      },
    );
    f.while(
      () => i32.lt_u(j, n1),
      () => {
        storeUnit(f, w, dd, loadUnit(w, ss));
        f.set(dd, i32.add(dd, d1));
        f.set(ss, i32.add(ss, s1));
        f.set(j, i32.add(j, 1));
      },
    );
  });
}

/** The rectangle [i0, i1) × [j0, j1) of a transposed block, four rows per step along the row (each step
 * reads four neighbouring source units across rows), then the remaining rows one by one. */
function copyRectScalar(
  f: FunctionBuilder,
  w: UnitWidth,
  p: Local<'i32'>[],
  i0: I32,
  i1: I32,
  j0: I32,
  j1: I32,
  locals: { i: Local<'i32'>; j: Local<'i32'>; d: Local<'i32'>; s: Local<'i32'> },
): void {
  const [dst, src, , , d0, d1, s0, s1] = p;
  const { i, j, d, s } = locals;
  f.set(i, i0);
  f.while(
    () => i32.le_u(i32.add(i, 4), i1),
    () => {
      f.set(d, i32.add(i32.add(dst, i32.mul(i, d0)), i32.mul(j0, d1)));
      f.set(s, i32.add(i32.add(src, i32.mul(i, s0)), i32.mul(j0, s1)));
      f.for(j, j0, j1, 1, () => {
        storeUnit(f, w, d, loadUnit(w, s));
        storeUnit(f, w, i32.add(d, d0), loadUnit(w, i32.add(s, s0)));
        storeUnit(f, w, i32.add(d, i32.mul(d0, 2)), loadUnit(w, i32.add(s, i32.mul(s0, 2))));
        storeUnit(f, w, i32.add(d, i32.mul(d0, 3)), loadUnit(w, i32.add(s, i32.mul(s0, 3))));
        f.set(d, i32.add(d, d1));
        f.set(s, i32.add(s, s1));
      });
      f.set(i, i32.add(i, 4));
    },
  );
  f.while(
    () => i32.lt_u(i, i1),
    () => {
      f.set(d, i32.add(i32.add(dst, i32.mul(i, d0)), i32.mul(j0, d1)));
      f.set(s, i32.add(i32.add(src, i32.mul(i, s0)), i32.mul(j0, s1)));
      f.for(j, j0, j1, 1, () => {
        storeUnit(f, w, d, loadUnit(w, s));
        f.set(d, i32.add(d, d1));
        f.set(s, i32.add(s, s1));
      });
      f.set(i, i32.add(i, 1));
    },
  );
}

/** Tiles of TILE × TILE over the block, each through `rect(i0, i1, j0, j1)`. */
function eachTile(f: FunctionBuilder, n0: I32, n1: I32, rect: (i0: I32, i1: I32, j0: I32, j1: I32) => void): void {
  const ti = f.local('i32');
  const tj = f.local('i32');
  const iEnd = f.local('i32');
  const jEnd = f.local('i32');
  f.for(ti, 0, n0, TILE, () => {
    f.set(iEnd, i32.add(ti, TILE));
    f.if(i32.gt_u(iEnd, n0), () => f.set(iEnd, n0));
    f.for(tj, 0, n1, TILE, () => {
      f.set(jEnd, i32.add(tj, TILE));
      f.if(i32.gt_u(jEnd, n1), () => f.set(jEnd, n1));
      rect(ti, iEnd, tj, jEnd);
    });
  });
}

/** A transposed block of 1- or 2-byte units, in tiles. */
function copyTiled(f: FunctionBuilder, w: UnitWidth): void {
  const p = params(f, 8);
  const locals = { i: f.local('i32'), j: f.local('i32'), d: f.local('i32'), s: f.local('i32') };
  eachTile(f, p[2], p[3], (i0, i1, j0, j1) => copyRectScalar(f, w, p, i0, i1, j0, j1, locals));
}

/**
 * A transposed block of words. Where the source is contiguous across rows (s0 = 4: a transpose), in
 * tiles of 4 × 4 blocks: four source vectors (four neighbouring rows at four columns) transposed in
 * registers by eight shuffles into four destination row pieces. Elsewhere, and at the edges, the
 * scalar tiles.
 */
function transposeWords(f: FunctionBuilder): void {
  const p = params(f, 8);
  const [dst, src, n0, n1, d0, , s0, s1] = p;
  const locals = { i: f.local('i32'), j: f.local('i32'), d: f.local('i32'), s: f.local('i32') };
  const n0x4 = f.local('i32');
  const n1x4 = f.local('i32');
  const i = f.local('i32');
  const j = f.local('i32');
  const s = f.local('i32');
  const d = f.local('i32');
  const v = [f.local('v128'), f.local('v128'), f.local('v128'), f.local('v128')];
  const t = [f.local('v128'), f.local('v128'), f.local('v128'), f.local('v128')];
  f.if(
    i32.ne(s0, 4),
    () => eachTile(f, n0, n1, (i0, i1, j0, j1) => copyRectScalar(f, 4, p, i0, i1, j0, j1, locals)),
    () => {
      f.set(n0x4, i32.and(n0, -4));
      f.set(n1x4, i32.and(n1, -4));
      eachTile(f, n0x4, n1x4, (i0, i1, j0, j1) => {
        f.for(i, i0, i1, 4, () => {
          f.set(d, i32.add(i32.add(dst, i32.mul(i, d0)), i32.mul(j0, 4)));
          f.set(s, i32.add(i32.add(src, i32.mul(i, 4)), i32.mul(j0, s1)));
          f.for(j, j0, j1, 4, () => {
            // v[c] holds rows i..i+3 of column j+c; the destination's row i+r takes lane r of each.
            for (let c = 0; c < 4; c++) f.set(v[c], v128.load(i32.add(s, i32.mul(s1, c))));
            f.set(t[0], shuffleLanes(4, v[0], v[1], [0, 4, 1, 5]));
            f.set(t[1], shuffleLanes(4, v[0], v[1], [2, 6, 3, 7]));
            f.set(t[2], shuffleLanes(4, v[2], v[3], [0, 4, 1, 5]));
            f.set(t[3], shuffleLanes(4, v[2], v[3], [2, 6, 3, 7]));
            f.store('v128', d, shuffleLanes(4, t[0], t[2], [0, 1, 4, 5]));
            f.store('v128', i32.add(d, d0), shuffleLanes(4, t[0], t[2], [2, 3, 6, 7]));
            f.store('v128', i32.add(d, i32.mul(d0, 2)), shuffleLanes(4, t[1], t[3], [0, 1, 4, 5]));
            f.store('v128', i32.add(d, i32.mul(d0, 3)), shuffleLanes(4, t[1], t[3], [2, 3, 6, 7]));
            f.set(d, i32.add(d, 16));
            f.set(s, i32.add(s, i32.mul(s1, 4)));
          });
        });
      });
      // The columns past the last multiple of 4 (every row), then the rows past it (the other columns).
      copyRectScalar(f, 4, p, 0, n0, n1x4, n1, locals);
      copyRectScalar(f, 4, p, n0x4, n0, 0, n1x4, locals);
    },
  );
}

function addFill(m: ModuleBuilder, w: UnitWidth): void {
  m.func(fillKernelName(w), I32S(6), [], (f) => {
    const [dst, n0, n1, d0, d1, value] = params(f, 6);
    const i = f.local('i32');
    const j = f.local('i32');
    const d = f.local('i32');
    const dd = f.local('i32');
    const k = 16 / w;
    const splatted = f.local('v128');
    const evenMask = f.local('v128');
    f.set(splatted, splat(w, value));
    // Lanes of every second unit: all ones in the even lanes of width w.
    f.set(
      evenMask,
      shuffleLanes(
        w,
        i32x4.splat(-1),
        i32x4.splat(0),
        lanes(k, 0, 1).map((L) => (L % 2 === 0 ? 0 : k)),
      ),
    );
    f.set(d, dst);
    f.for(i, 0, n0, 1, () => {
      f.if(
        i32.eq(d1, w),
        () => fillContiguous(f, w, d, n1, value),
        () => {
          f.set(dd, d);
          f.set(j, 0);
          f.if(i32.eq(d1, 2 * w), () => {
            // Every second unit: whole vectors, the odd lanes kept (strictly inside the row, as gathers).
            f.while(
              () => i32.lt_u(i32.add(j, k / 2), n1),
              () => {
                f.store('v128', dd, v128.bitselect(splatted, v128.load(dd), evenMask));
                f.set(dd, i32.add(dd, 16));
                f.set(j, i32.add(j, k / 2));
              },
            );
          });
          f.while(
            () => i32.lt_u(j, n1),
            () => {
              storeUnit(f, w, dd, value);
              f.set(dd, i32.add(dd, d1));
              f.set(j, i32.add(j, 1));
            },
          );
        },
      );
      f.set(d, i32.add(d, d0));
    });
  });
}

/** Words of 8-byte items whose halves differ: the word at an address ≡ 4 (mod 8) takes `high`, the
 * others `low` (blocks are 64-byte aligned, so that is the item's half). */
function addFillPair(m: ModuleBuilder): void {
  m.func(FILL_PAIR_KERNEL, I32S(7), [], (f) => {
    const [dst, n0, n1, d0, d1, low, high] = params(f, 7);
    const i = f.local('i32');
    const j = f.local('i32');
    const d = f.local('i32');
    const dd = f.local('i32');
    const end = f.local('i32');
    const pattern = f.local('v128');
    f.set(pattern, i64x2.splat(i64.or(i64.extend_i32_u(low), i64.shl(i64.extend_i32_u(high), i64.const(32n)))));
    const word = (address: I32) => i32.select(high, low, i32.and(address, 4));
    f.set(d, dst);
    f.for(i, 0, n0, 1, () => {
      f.set(dd, d);
      f.set(j, 0);
      f.if(i32.eq(d1, 4), () => {
        f.set(end, i32.add(d, i32.mul(n1, 4)));
        f.if(i32.and(i32.ne(i32.and(dd, 4), 0), i32.lt_u(j, n1)), () => {
          f.store('i32', dd, high);
          f.set(dd, i32.add(dd, 4));
        });
        f.while(
          () => i32.le_u(i32.add(dd, 16), end),
          () => {
            f.store('v128', dd, pattern);
            f.set(dd, i32.add(dd, 16));
          },
        );
        f.set(j, i32.shr_u(i32.sub(dd, d), 2));
      });
      f.while(
        () => i32.lt_u(j, n1),
        () => {
          f.store('i32', dd, word(dd));
          f.set(dd, i32.add(dd, d1));
          f.set(j, i32.add(j, 1));
        },
      );
      f.set(d, i32.add(d, d0));
    });
  });
}
