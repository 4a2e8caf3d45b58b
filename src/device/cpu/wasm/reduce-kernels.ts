/**
 * WebAssembly kernels for float sums in NumPy's order (../reduce.ts says which order applies where):
 * - `pairwise_f32/f64(p, n, step)`: NumPy's pairwise summation of n items `step` bytes apart — below 8
 *   items one at a time from +0; up to 128 with eight partial sums r0..r7 (item i into r[i mod 8]),
 *   combined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), then the rest one at a time; above,
 *   the two halves (the first a multiple of 8 items) summed recursively and added. Contiguous items keep
 *   the eight partial sums in two (f32) or four (f64) vectors: the same additions, lane by lane, so the
 *   result is the same bits.
 * - `sum_outputs_f32/f64(dst, src, count, keptStep, n, step)`: `count` outputs `keptStep` bytes apart,
 *   each the pairwise sum of its run, written contiguously at `dst`; runs of at most 128 items (every
 *   `a.sum(1)` of a tall array) summed in the kernel itself, with no call per output.
 * - `add_rows_f32/f64(sums, src, count, keptStep, rows, rowStep, fresh)`: for each of `rows` rows
 *   `rowStep` bytes apart, `sums[o] += item o` — the reduced positions of a sum whose kept axis runs
 *   innermost (NumPy adds one element at a time there), vectors over several rows where the items are
 *   contiguous; `fresh` (not 0): the sums start from +0 instead of what `sums` holds (no fill first).
 * - `store_f32/f64(address, value)`.
 * Every addition rounds to the item type, as NumPy's float32 and float64 loops do.
 */

import {
  callAs,
  f32,
  f32x4,
  f64,
  f64x2,
  i32,
  i32x4,
  shuffleLanes,
  v128,
  type Expr,
  type FunctionBuilder,
  type FunctionRef,
  type Local,
  type ModuleBuilder,
} from './emit.js';

export type FloatType = 'f32' | 'f64';

const SIZE: Record<FloatType, 4 | 8> = { f32: 4, f64: 8 };

/** Scalar float operations of one type, behind one interface. */
function ops(t: FloatType) {
  const F = t === 'f32' ? f32 : f64;
  return {
    zero: (t === 'f32' ? f32.const(0) : f64.const(0)) as Expr<FloatType>,
    load: (address: Expr<'i32'> | number, offset = 0) => F.load(address, offset) as Expr<FloatType>,
    add: (a: Expr<FloatType>, b: Expr<FloatType>) => (F.add as (x: Expr<FloatType>, y: Expr<FloatType>) => Expr<FloatType>)(a, b),
    vadd: t === 'f32' ? f32x4.add : f64x2.add,
    lane: (v: Expr<'v128'>, k: number) => (t === 'f32' ? f32x4.extract_lane(v, k) : f64x2.extract_lane(v, k)) as Expr<FloatType>,
  };
}

export function addReduceKernels(m: ModuleBuilder): void {
  for (const t of ['f32', 'f64'] as const) {
    // `store_f32/f64(address, value)`: a result computed in JavaScript, stored without a view.
    m.func(`store_${t}`, ['i32', t], [], (f) => f.store(t, f.param(0, 'i32'), f.param(1, t)));
    const pairwise = addPairwise(m, t);
    addSumOutputs(m, t, pairwise);
    addAddRow(m, t);
  }
}

/**
 * Emits NumPy's pairwise sum of `n <= 128` items `step` bytes apart from `p` into `sum` (what
 * `pairwise_f32/f64` does without recursing): below 8 items one at a time from +0; else the eight partial
 * sums, combined, then the rest one at a time. Its locals are made once, for every use in the function.
 */
function shortPairwise(f: FunctionBuilder, t: FloatType) {
  const b = SIZE[t];
  const F = ops(t);
  const i = f.local('i32');
  const at = f.local('i32');
  const end = f.local('i32');
  const r = Array.from({ length: 8 }, () => f.local(t));
  const v = Array.from({ length: 4 }, () => f.local('v128'));
  const steps = Array.from({ length: 8 }, () => f.local('i32')); // k * step
  return (p: Local<'i32'>, n: Local<'i32'>, step: Local<'i32'>, sum: Local<FloatType>) => {
    /** sum = sum + item, for the items from `i` to `n`, from address `at`. */
    const rest = () =>
      f.while(
        () => i32.lt_u(i, n),
        () => {
          f.set(sum, F.add(sum, F.load(at)));
          f.set(at, i32.add(at, step));
          f.set(i, i32.add(i, 1));
        },
      );
    f.if(
      i32.lt_u(n, 8),
      () => {
        f.set(sum, F.zero);
        f.set(at, p);
        f.set(i, 0);
        rest();
      },
      () => {
        f.set(end, i32.and(n, -8));
        f.set(i, 8);
        f.if(
          i32.eq(step, b),
          () => {
            // The eight partial sums in vectors: lanes of v[0], v[1] (and v[2], v[3] for f64) are r0..r7.
            const vectors = 32 / 16 / (4 / b); // 2 for f32, 4 for f64
            for (let k = 0; k < vectors; k++) f.set(v[k], v128.load(p, 16 * k));
            f.set(at, i32.add(p, 8 * b));
            f.while(
              () => i32.lt_u(i, end),
              () => {
                for (let k = 0; k < vectors; k++) f.set(v[k], F.vadd(v[k], v128.load(at, 16 * k)));
                f.set(at, i32.add(at, 8 * b));
                f.set(i, i32.add(i, 8));
              },
            );
            if (t === 'f32') {
              // [r0 + r1, r2 + r3, r4 + r5, r6 + r7], then the pairs of pairs.
              const pairs = F.vadd(shuffleLanes(4, v[0], v[1], [0, 2, 4, 6]), shuffleLanes(4, v[0], v[1], [1, 3, 5, 7]));
              f.set(v[0], pairs);
              f.set(sum, F.add(F.add(F.lane(v[0], 0), F.lane(v[0], 1)), F.add(F.lane(v[0], 2), F.lane(v[0], 3))));
            } else {
              const low = F.vadd(shuffleLanes(8, v[0], v[1], [0, 2]), shuffleLanes(8, v[0], v[1], [1, 3]));
              const high = F.vadd(shuffleLanes(8, v[2], v[3], [0, 2]), shuffleLanes(8, v[2], v[3], [1, 3]));
              f.set(v[0], low);
              f.set(v[1], high);
              f.set(sum, F.add(F.add(F.lane(v[0], 0), F.lane(v[0], 1)), F.add(F.lane(v[1], 0), F.lane(v[1], 1))));
            }
          },
          () => {
            for (let k = 0; k < 8; k++) f.set(steps[k], i32.mul(step, k));
            for (let k = 0; k < 8; k++) f.set(r[k], F.load(i32.add(p, steps[k])));
            f.set(at, i32.add(p, i32.mul(step, 8)));
            f.while(
              () => i32.lt_u(i, end),
              () => {
                for (let k = 0; k < 8; k++) f.set(r[k], F.add(r[k], F.load(i32.add(at, steps[k]))));
                f.set(at, i32.add(at, i32.mul(step, 8)));
                f.set(i, i32.add(i, 8));
              },
            );
            f.set(sum, F.add(F.add(F.add(r[0], r[1]), F.add(r[2], r[3])), F.add(F.add(r[4], r[5]), F.add(r[6], r[7]))));
          },
        );
        rest();
      },
    );
  };
}

/** NumPy's pairwise block: runs this long or shorter are summed without recursing. */
const BLOCK = 128;

function addPairwise(m: ModuleBuilder, t: FloatType): FunctionRef {
  const F = ops(t);
  const fn = m.declare(`pairwise_${t}`, ['i32', 'i32', 'i32'], [t]);
  m.define(fn, (f) => {
    const p = f.param(0, 'i32');
    const n = f.param(1, 'i32');
    const step = f.param(2, 'i32');
    const sum = f.local(t);
    const half = f.local('i32');
    const short = shortPairwise(f, t);
    f.if(i32.le_u(n, BLOCK), () => {
      short(p, n, step, sum);
      f.return(sum);
    });
    f.set(half, i32.and(i32.shr_u(n, 1), -8));
    f.return(F.add(callAs(t, fn, p, half, step), callAs(t, fn, i32.add(p, i32.mul(half, step)), i32.sub(n, half), step)));
  });
  return fn;
}

/** `sum_outputs`: short runs (every a.sum(1) of a tall array) summed in the kernel itself, without a call
 * per output; longer ones by `pairwise`. */
function addSumOutputs(m: ModuleBuilder, t: FloatType, pairwise: FunctionRef): void {
  const b = SIZE[t];
  m.func(`sum_outputs_${t}`, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [dst, src, count, keptStep, n, step] = [0, 1, 2, 3, 4, 5].map((k) => f.param(k, 'i32'));
    const o = f.local('i32');
    const at = f.local('i32');
    const out = f.local('i32');
    const sum = f.local(t);
    const short = shortPairwise(f, t);
    f.set(at, src);
    f.set(out, dst);
    f.if(
      i32.le_u(n, BLOCK),
      () =>
        f.for(o, 0, count, 1, () => {
          short(at, n, step, sum);
          f.store(t, out, sum);
          f.set(at, i32.add(at, keptStep));
          f.set(out, i32.add(out, b));
        }),
      () =>
        f.for(o, 0, count, 1, () => {
          f.store(t, out, callAs(t, pairwise, at, n, step));
          f.set(at, i32.add(at, keptStep));
          f.set(out, i32.add(out, b));
        }),
    );
  });
}

/** Rows added at once by `add_rows`: each vector of sums stays in a register over this many rows. */
const ROWS_TOGETHER = 8;
/** Vectors of sums per step of `add_rows`: independent chains of additions (measured against 1-16 rows
 * and 2-4 vectors, alternating in one process: 8 rows of 2 vectors read fastest). */
const COLUMN_VECTORS = 2;

function addAddRow(m: ModuleBuilder, t: FloatType): void {
  const b = SIZE[t];
  const F = ops(t);
  const lanes = 16 / b;
  m.func(`add_rows_${t}`, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [sums, src, count, keptStep, rows, rowStep, fresh] = [0, 1, 2, 3, 4, 5, 6].map((k) => f.param(k, 'i32'));
    const o = f.local('i32');
    const r = f.local('i32');
    const k = f.local('i32');
    const block = f.local('i32');
    const at = f.local('i32');
    const row = f.local('i32');
    const s = f.local('i32');
    const acc = f.local('v128');
    const accs = Array.from({ length: COLUMN_VECTORS }, () => f.local('v128'));
    const scalar = f.local(t);
    /** A vector of sums as it starts a block of rows: +0 on the first block of a fresh call, else what
     * the sums hold at `s + offset`. */
    const startVector = (v: Local<'v128'>, offset = 0) =>
      f.if(
        fresh,
        () => f.set(v, i32x4.splat(0)),
        () => f.set(v, v128.load(s, offset)),
      );
    const startScalar = () =>
      f.if(
        fresh,
        () => f.set(scalar, F.zero),
        () => f.set(scalar, F.load(s)),
      );
    f.set(r, 0);
    f.set(row, src);
    // Contiguous items: ROWS_TOGETHER rows per pass (fewer in the last), each vector of sums adding their
    // items in row order (the same additions, in the same order, as one row at a time).
    f.if(i32.eq(keptStep, b), () => {
      f.while(
        () => i32.lt_u(r, rows),
        () => {
          f.set(block, i32.sub(rows, r));
          f.set(o, 0);
          f.if(i32.ge_u(block, ROWS_TOGETHER), () => {
            f.set(block, ROWS_TOGETHER);
            // COLUMN_VECTORS vectors of sums per step: independent chains of additions.
            f.while(
              () => i32.le_u(i32.add(o, COLUMN_VECTORS * lanes), count),
              () => {
                f.set(s, i32.add(sums, i32.mul(o, b)));
                f.set(at, i32.add(row, i32.mul(o, b)));
                for (let c = 0; c < COLUMN_VECTORS; c++) startVector(accs[c], 16 * c);
                for (let q = 0; q < ROWS_TOGETHER; q++) {
                  for (let c = 0; c < COLUMN_VECTORS; c++) f.set(accs[c], F.vadd(accs[c], v128.load(at, 16 * c)));
                  if (q < ROWS_TOGETHER - 1) f.set(at, i32.add(at, rowStep));
                }
                for (let c = 0; c < COLUMN_VECTORS; c++) f.store('v128', s, accs[c], 16 * c);
                f.set(o, i32.add(o, COLUMN_VECTORS * lanes));
              },
            );
          });
          // The other vectors of sums (all of them over a last block of fewer rows), then single sums.
          f.while(
            () => i32.le_u(i32.add(o, lanes), count),
            () => {
              f.set(s, i32.add(sums, i32.mul(o, b)));
              f.set(at, i32.add(row, i32.mul(o, b)));
              startVector(acc);
              f.for(k, 0, block, 1, () => {
                f.set(acc, F.vadd(acc, v128.load(at)));
                f.set(at, i32.add(at, rowStep));
              });
              f.store('v128', s, acc);
              f.set(o, i32.add(o, lanes));
            },
          );
          f.while(
            () => i32.lt_u(o, count),
            () => {
              f.set(s, i32.add(sums, i32.mul(o, b)));
              f.set(at, i32.add(row, i32.mul(o, b)));
              startScalar();
              f.for(k, 0, block, 1, () => {
                f.set(scalar, F.add(scalar, F.load(at)));
                f.set(at, i32.add(at, rowStep));
              });
              f.store(t, s, scalar);
              f.set(o, i32.add(o, 1));
            },
          );
          f.set(row, i32.add(row, i32.mul(rowStep, block)));
          f.set(r, i32.add(r, block));
          f.set(fresh, 0);
        },
      );
    });
    // Items `keptStep` apart: one row at a time.
    f.while(
      () => i32.lt_u(r, rows),
      () => {
        f.set(at, row);
        f.set(o, 0);
        f.while(
          () => i32.lt_u(o, count),
          () => {
            f.set(s, i32.add(sums, i32.mul(o, b)));
            startScalar();
            f.store(t, s, F.add(scalar, F.load(at)));
            f.set(at, i32.add(at, keptStep));
            f.set(o, i32.add(o, 1));
          },
        );
        f.set(row, i32.add(row, rowStep));
        f.set(r, i32.add(r, 1));
        f.set(fresh, 0);
      },
    );
  });
}
