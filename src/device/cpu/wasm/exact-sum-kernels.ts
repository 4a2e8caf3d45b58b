/**
 * WebAssembly kernels for exact sums of integer items (8 to 32 bits; bools as bytes), the work of integer
 * sums and of integer means (which divide an exact sum). Items are added into 64-bit sums, which cannot
 * overflow for any array a 32-bit memory holds (at most 2^30 items of 32 bits: |sum| < 2^62). An exact sum
 * is the same in any order, so the driver (./exact-sum.ts) walks the axes in whichever order reads memory
 * best. Addresses and steps are in bytes.
 * - `xsum_block_<items>(sum, p, rows, rowStep, n, step)`: adds to the 64-bit sum at `sum` the items of
 *   `rows` runs `rowStep` apart, each of `n` items `step` apart. Contiguous runs go by vectors: narrow
 *   items are added pairwise into 16- or 32-bit lanes for as many vectors as those lanes hold exactly, then
 *   widened into 64-bit lanes.
 * - `xsum_rows_<items>(sums, src, count, keptStep, rows, rowStep)`: `sums[o] += item o` (64-bit sums,
 *   `o < count`, items `keptStep` apart) for each of `rows` rows `rowStep` apart: outputs that lie next to
 *   each other in memory (`a.sum(0)` of a C-ordered array). Contiguous outputs go four lanes at a time, in
 *   32-bit lanes over eight rows for narrow items (exact: 8 · 65535 < 2^31), then into the 64-bit sums.
 * - `xsum_wrap(dst, sums, count)`: each sum's low 32 bits (an integer sum wraps modulo 2^32).
 * - `xsum_mean(dst, sums, count, divisor)`: each sum divided by `divisor`, rounded once to float64 and
 *   once more to float32 (exact-mean.ts `float32MeanOfSum`); where |sum| ≤ 2^53 the sum is an exact double
 *   and one IEEE division rounds it, as there. Sums beyond are left for the caller, and counted.
 */

import { f32, f64, i16x8, i32, i32x4, i64, i64x2, v128, callAs, type Expr, type ModuleBuilder } from './emit.js';
import { FOLD_ITEMS, foldKey, type FoldItems, type FoldKey } from './fold-kernels.js';

export type ExactSumKey = Exclude<FoldKey, 'f32' | 'f64'>;

/** The integer item types: the fold kernels' (their widths, signs and loads). */
type Items = FoldItems & { size: 1 | 2 | 4 };
const EXACT_SUM_KEYS: readonly ExactSumKey[] = ['s32', 'u32', 's16', 'u16', 's8', 'u8'];

/** The kernels' key for an input dtype (bools as bytes, as the JavaScript loops read them), or null. */
export function exactSumKey(dtype: string): ExactSumKey | null {
  const key = foldKey(dtype);
  return key === null || key === 'f32' || key === 'f64' ? null : key;
}

/**
 * Items of a chunk of contiguous narrow items, added pairwise into narrow lanes (two chains, a vector each
 * per step) before those are widened: bytes 2048 (64 vectors a chain into 16-bit lanes; both chains
 * together: 128 · 510 < 2^16 unsigned, 128 · [-256, 254] within [-2^15, 2^15) signed); 16-bit items 65536
 * (4096 vectors a chain into 32-bit lanes: 8192 · 131070 < 2^31).
 */
const CHUNK_ITEMS = { 1: 2048, 2: 65536 } as const;
/** Rows added in 32-bit lanes (narrow items) or registers (words) before the 64-bit sums are updated. */
const ROWS_TOGETHER = 8;

/** Scalar and lane operations on one item type. */
function itemOps(it: Items) {
  const s = it.signed;
  // Integer items load as 32-bit scalars.
  const load = (address: Expr<'i32'>) => it.load(address) as Expr<'i32'>;
  return {
    /** The item at `address` as a 64-bit integer. */
    item: (address: Expr<'i32'>): Expr<'i64'> => (it.size === 4 && !s ? i64.extend_i32_u(load(address)) : i64.extend_i32_s(load(address))),
    /** Four items from `address` in 32-bit lanes (narrow items only). */
    four: (address: Expr<'i32'>): Expr<'v128'> => {
      if (it.size === 2) return s ? v128.load16x4_s(address) : v128.load16x4_u(address);
      const bytes = v128.load32_zero(address);
      return s ? i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(bytes)) : i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes));
    },
    /** 32-bit lanes widened into two vectors of 64-bit lanes. */
    low: (v: Expr<'v128'>) => (s ? i64x2.extend_low_i32x4_s(v) : i64x2.extend_low_i32x4_u(v)),
    high: (v: Expr<'v128'>) => (s ? i64x2.extend_high_i32x4_s(v) : i64x2.extend_high_i32x4_u(v)),
  };
}

export function addExactSumKernels(m: ModuleBuilder): void {
  for (const key of EXACT_SUM_KEYS) {
    addBlock(m, key, FOLD_ITEMS[key] as Items);
    addRows(m, key, FOLD_ITEMS[key] as Items);
  }
  addFinishers(m);
}

/** `xsum_block_<key>`, with the sum of one run as a function of its own. */
function addBlock(m: ModuleBuilder, key: ExactSumKey, it: Items): void {
  const ops = itemOps(it);
  const b = it.size;
  const run = m.func(null, ['i32', 'i32', 'i32'], ['i64'], (f) => {
    const p = f.param(0, 'i32');
    const n = f.param(1, 'i32');
    const step = f.param(2, 'i32');
    const i = f.local('i32');
    const at = f.local('i32');
    const end = f.local('i32');
    const chunkEnd = f.local('i32');
    const total = f.local('i64');
    const a = f.local('v128');
    const c = f.local('v128');
    const v = f.local('v128');
    const wide = f.local('v128');
    const zero = i32x4.splat(0);
    f.set(at, p);
    f.set(i, 0);
    f.if(i32.eq(step, b), () => {
      // Two vectors a step, in two accumulators (independent chains).
      const perStep = 32 / b;
      f.set(end, i32.and(n, -perStep));
      if (b === 4) {
        f.while(
          () => i32.lt_u(i, end),
          () => {
            f.set(v, v128.load(at));
            f.set(a, i64x2.add(a, ops.low(v)));
            f.set(c, i64x2.add(c, ops.high(v)));
            f.set(v, v128.load(at, 16));
            f.set(a, i64x2.add(a, ops.low(v)));
            f.set(c, i64x2.add(c, ops.high(v)));
            f.set(at, i32.add(at, 32));
            f.set(i, i32.add(i, perStep));
          },
        );
        f.set(wide, i64x2.add(a, c));
      } else {
        // Chunks of as many vectors as the narrow lanes hold exactly, each widened into `wide` after it.
        const chunk = CHUNK_ITEMS[b];
        const pairs = (x: Expr<'v128'>) =>
          b === 1
            ? it.signed
              ? i16x8.extadd_pairwise_i8x16_s(x)
              : i16x8.extadd_pairwise_i8x16_u(x)
            : it.signed
              ? i32x4.extadd_pairwise_i16x8_s(x)
              : i32x4.extadd_pairwise_i16x8_u(x);
        const add = b === 1 ? i16x8.add : i32x4.add;
        f.while(
          () => i32.lt_u(i, end),
          () => {
            f.set(chunkEnd, i32.add(i, chunk));
            f.set(chunkEnd, i32.select(chunkEnd, end, i32.lt_u(chunkEnd, end)));
            f.set(a, zero);
            f.set(c, zero);
            f.while(
              () => i32.lt_u(i, chunkEnd),
              () => {
                f.set(a, add(a, pairs(v128.load(at))));
                f.set(c, add(c, pairs(v128.load(at, 16))));
                f.set(at, i32.add(at, 32));
                f.set(i, i32.add(i, perStep));
              },
            );
            // 32-bit lanes: the two chains' 16-bit lanes added, then pairwise once more.
            if (b === 1)
              f.set(v, it.signed ? i32x4.extadd_pairwise_i16x8_s(i16x8.add(a, c)) : i32x4.extadd_pairwise_i16x8_u(i16x8.add(a, c)));
            else f.set(v, i32x4.add(a, c));
            f.set(wide, i64x2.add(wide, i64x2.add(ops.low(v), ops.high(v))));
          },
        );
      }
      f.set(total, i64.add(i64x2.extract_lane(wide, 0), i64x2.extract_lane(wide, 1)));
    });
    f.while(
      () => i32.lt_u(i, n),
      () => {
        f.set(total, i64.add(total, ops.item(at)));
        f.set(at, i32.add(at, step));
        f.set(i, i32.add(i, 1));
      },
    );
    f.return(total);
  });
  m.func(`xsum_block_${key}`, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [sum, p, rows, rowStep, n, step] = [0, 1, 2, 3, 4, 5].map((k) => f.param(k, 'i32'));
    const r = f.local('i32');
    const at = f.local('i32');
    const total = f.local('i64');
    f.set(total, i64.load(sum));
    f.set(at, p);
    f.for(r, 0, rows, 1, () => {
      f.set(total, i64.add(total, callAs('i64', run, at, n, step)));
      f.set(at, i32.add(at, rowStep));
    });
    f.store('i64', sum, total);
  });
}

function addRows(m: ModuleBuilder, key: ExactSumKey, it: Items): void {
  const ops = itemOps(it);
  const b = it.size;
  m.func(`xsum_rows_${key}`, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [sums, src, count, keptStep, rows, rowStep] = [0, 1, 2, 3, 4, 5].map((k) => f.param(k, 'i32'));
    const o = f.local('i32');
    const r = f.local('i32');
    const row = f.local('i32');
    const at = f.local('i32');
    const s = f.local('i32');
    const lanes = f.local('v128');
    const low = f.local('v128');
    const high = f.local('v128');
    const v = f.local('v128');
    const total = f.local('i64');
    f.set(r, 0);
    f.set(row, src);
    f.if(i32.eq(keptStep, b), () => {
      f.while(
        () => i32.le_u(i32.add(r, ROWS_TOGETHER), rows),
        () => {
          f.set(o, 0);
          f.set(s, sums);
          f.set(at, row);
          f.while(
            () => i32.le_u(i32.add(o, 4), count),
            () => {
              if (b < 4) {
                // Eight rows in 32-bit lanes, then into the four 64-bit sums.
                f.set(lanes, ops.four(at));
                for (let k = 1; k < ROWS_TOGETHER; k++) f.set(lanes, i32x4.add(lanes, ops.four(i32.add(at, i32.mul(rowStep, k)))));
                f.store('v128', s, i64x2.add(v128.load(s), ops.low(lanes)));
                f.store('v128', s, i64x2.add(v128.load(s, 16), ops.high(lanes)), 16);
              } else {
                f.set(low, v128.load(s));
                f.set(high, v128.load(s, 16));
                for (let k = 0; k < ROWS_TOGETHER; k++) {
                  f.set(v, v128.load(k === 0 ? at : i32.add(at, i32.mul(rowStep, k))));
                  f.set(low, i64x2.add(low, ops.low(v)));
                  f.set(high, i64x2.add(high, ops.high(v)));
                }
                f.store('v128', s, low);
                f.store('v128', s, high, 16);
              }
              f.set(at, i32.add(at, 4 * b));
              f.set(s, i32.add(s, 32));
              f.set(o, i32.add(o, 4));
            },
          );
          // The last outputs (fewer than four), one at a time over the same rows.
          f.while(
            () => i32.lt_u(o, count),
            () => {
              f.set(total, i64.load(s));
              for (let k = 0; k < ROWS_TOGETHER; k++)
                f.set(total, i64.add(total, ops.item(k === 0 ? at : i32.add(at, i32.mul(rowStep, k)))));
              f.store('i64', s, total);
              f.set(at, i32.add(at, b));
              f.set(s, i32.add(s, 8));
              f.set(o, i32.add(o, 1));
            },
          );
          f.set(row, i32.add(row, i32.mul(rowStep, ROWS_TOGETHER)));
          f.set(r, i32.add(r, ROWS_TOGETHER));
        },
      );
    });
    // The remaining rows (all of them where the outputs' items are `keptStep` apart), one at a time.
    f.while(
      () => i32.lt_u(r, rows),
      () => {
        f.set(at, row);
        f.set(s, sums);
        f.for(o, 0, count, 1, () => {
          f.store('i64', s, i64.add(i64.load(s), ops.item(at)));
          f.set(at, i32.add(at, keptStep));
          f.set(s, i32.add(s, 8));
        });
        f.set(row, i32.add(row, rowStep));
        f.set(r, i32.add(r, 1));
      },
    );
  });
}

/** 2^53: the sums up to this magnitude are exact doubles. */
const SAFE = 2n ** 53n;

function addFinishers(m: ModuleBuilder): void {
  m.func('xsum_wrap', ['i32', 'i32', 'i32'], [], (f) => {
    const [dst, sums, count] = [0, 1, 2].map((k) => f.param(k, 'i32'));
    const o = f.local('i32');
    f.for(o, 0, count, 1, () => {
      f.store('i32', i32.add(dst, i32.mul(o, 4)), i32.wrap_i64(i64.load(i32.add(sums, i32.mul(o, 8)))));
    });
  });
  m.func('xsum_mean', ['i32', 'i32', 'i32', 'f64'], ['i32'], (f) => {
    const [dst, sums, count] = [0, 1, 2].map((k) => f.param(k, 'i32'));
    const divisor = f.param(3, 'f64');
    const o = f.local('i32');
    const sum = f.local('i64');
    const left = f.local('i32');
    f.for(o, 0, count, 1, () => {
      f.set(sum, i64.load(i32.add(sums, i32.mul(o, 8))));
      f.if(
        // |sum| ≤ 2^53, as one unsigned comparison.
        i64.le_u(i64.add(sum, i64.const(SAFE)), i64.const(2n * SAFE)),
        () => f.store('f32', i32.add(dst, i32.mul(o, 4)), f32.demote_f64(f64.div(f64.convert_i64_s(sum), divisor))),
        () => f.set(left, i32.add(left, 1)),
      );
    });
    f.return(left);
  });
}
