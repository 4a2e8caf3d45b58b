/**
 * WebAssembly kernels for many outputs of the reductions other than sums at once (`a.max(1)` of a tall
 * array, `a.min(0)` of a wide one): the outputs innermost, each one's items as rows.
 * `rows_<op>_<items>(dst, values, src, count, keptStep, rows, rowStep, first)` folds, for each of `count`
 * outputs (items `keptStep` bytes apart from `src`), its `rows` items `rowStep` bytes apart into the
 * output's running result. Row `r` is the reduced position `first + r` (C order); `first` 0 starts each
 * result afresh, any other value folds on into the results already there (a reduction over several axes
 * calls once per position of the outer reduced axes, in C order). Results, as the 32-bit words (64-bit for
 * float64 items) of the plan's `temp` dtype, at `dst + o · width`:
 * - `min`/`max`: the extreme item in their order; a NaN replaces a number, never another NaN (the first
 *   NaN is kept); among equal items (±0) the first is kept (comparisons are strict);
 * - `argmin`/`argmax`: the reduced position of that item, int32; the item itself is kept at
 *   `values + o · itemWidth` between calls;
 * - `any`/`all`: 1 or 0 (an item counts where it is not zero; NaN is not zero);
 * - `prod`: the product in the order of the rows (each multiplication rounded to the item type for
 *   floats; modulo 2^32 for integers), starting from 1 — the JavaScript loops' order, one row at a time.
 * These are the values the JavaScript loops (../reduce.ts `combine`, `foldRuns`) give. Outputs that lie
 * next to each other in memory go four to a vector (narrow items widened into 32-bit lanes); others one
 * at a time, the result held in a register across the rows.
 */

import { f32, f32x4, f64, i16x8, i32, i32x4, v128, type Expr, type FunctionBuilder, type Local, type ModuleBuilder } from './emit.js';
import { FOLD_ITEMS, type FoldItems, type FoldKey } from './fold-kernels.js';

export type RowsOp = 'min' | 'max' | 'argmin' | 'argmax' | 'any' | 'all' | 'prod';
export const ROWS_OPS: readonly RowsOp[] = ['min', 'max', 'argmin', 'argmax', 'any', 'all', 'prod'];

type Scalar = 'i32' | 'f32' | 'f64';
type Items = FoldItems;

/** Bytes of a result word at `dst` for `op` on items `key`. */
export function resultWidth(op: RowsOp, key: FoldKey): 4 | 8 {
  return key === 'f64' && (op === 'min' || op === 'max' || op === 'prod') ? 8 : 4;
}

/** Bytes of an item kept at `values` by the arg reductions (narrow items as 32-bit words). */
export function valueWidth(key: FoldKey): 4 | 8 {
  return key === 'f64' ? 8 : 4;
}

type S = Expr<Scalar>;
type V = Expr<'v128'>;

/** Four neighbouring items in 32-bit lanes (narrow items sign- or zero-extended). */
function fourLoad(it: Items, address: Expr<'i32'>): V {
  if (it.size === 4) return v128.load(address);
  if (it.size === 2) return it.signed ? v128.load16x4_s(address) : v128.load16x4_u(address);
  const bytes = v128.load32_zero(address);
  return it.signed ? i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(bytes)) : i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes));
}

/** Scalar comparisons on the item type. */
function scalarOps(it: Items) {
  const t = it.scalar;
  const c = <T extends Scalar>(e: S) => e as Expr<T>;
  // Narrow items are loaded extended to 32 bits, so signed comparison orders unsigned narrow items too.
  const unsigned = !it.signed && it.size === 4;
  return {
    less: (a: S, b: S): Expr<'i32'> =>
      t === 'f32' ? f32.lt(c(a), c(b)) : t === 'f64' ? f64.lt(c(a), c(b)) : unsigned ? i32.lt_u(c(a), c(b)) : i32.lt_s(c(a), c(b)),
    nonzero: (a: S): Expr<'i32'> =>
      t === 'f32' ? f32.ne(c(a), f32.const(0)) : t === 'f64' ? f64.ne(c(a), f64.const(0)) : i32.ne(c(a), i32.const(0)),
    isNaN: (a: S): Expr<'i32'> => (t === 'f32' ? f32.ne(c(a), c(a)) : t === 'f64' ? f64.ne(c(a), c(a)) : i32.const(0)),
    isNumber: (a: S): Expr<'i32'> => (t === 'f32' ? f32.eq(c(a), c(a)) : t === 'f64' ? f64.eq(c(a), c(a)) : i32.const(1)),
    one: (t === 'f32' ? f32.const(1) : t === 'f64' ? f64.const(1) : i32.const(1)) as S,
    mul: (a: S, b: S): S => (t === 'f32' ? f32.mul(c(a), c(b)) : t === 'f64' ? f64.mul(c(a), c(b)) : i32.mul(c(a), c(b))),
  };
}

/** Lane operations on items in 32-bit lanes. */
function laneOps(it: Items) {
  const float = it.float;
  const unsigned = !it.signed && it.size === 4;
  return {
    less: (a: V, b: V): V => (float ? f32x4.lt(a, b) : unsigned ? i32x4.lt_u(a, b) : i32x4.lt_s(a, b)),
    nonzero: (a: V): V => (float ? f32x4.ne(a, i32x4.splat(0)) : i32x4.ne(a, i32x4.splat(0))),
    isNaN: (a: V): V => (float ? f32x4.ne(a, a) : i32x4.splat(0)),
    isNumber: (a: V): V => (float ? f32x4.eq(a, a) : i32x4.splat(-1)),
    mul: (a: V, b: V): V => (float ? f32x4.mul(a, b) : i32x4.mul(a, b)),
  };
}

export function addFoldRowsKernels(m: ModuleBuilder): void {
  for (const key of Object.keys(FOLD_ITEMS) as FoldKey[]) for (const op of ROWS_OPS) addRowsKernel(m, key, FOLD_ITEMS[key], op);
}

const PARAMS = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'] as const;

function addRowsKernel(m: ModuleBuilder, key: FoldKey, it: Items, op: RowsOp): void {
  const arg = op === 'argmin' || op === 'argmax';
  const extreme = arg || op === 'min' || op === 'max';
  const lowest = op === 'min' || op === 'argmin';
  const width = resultWidth(op, key);
  const vWidth = valueWidth(key);
  const s = scalarOps(it);
  const l = laneOps(it);
  /** The result's scalar type (any/all: 0 or 1 as an i32). */
  const stateType: Scalar = op === 'any' || op === 'all' ? 'i32' : it.scalar;
  const stateKind = stateType as 'i32' | 'f32' | 'f64';
  m.func(`rows_${op}_${key}`, PARAMS, [], (f: FunctionBuilder) => {
    const [dst, values, src, count, keptStep, rows, rowStep, first] = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => f.param(k, 'i32'));
    const o = f.local('i32');
    const r = f.local('i32');
    const r0 = f.local('i32');
    const at = f.local('i32');
    const item = f.local('i32');
    const out = f.local('i32');
    const val = f.local('i32');
    const acc = f.local(stateType);
    const x = f.local(it.scalar);
    const index = f.local('i32');
    const vacc = f.local('v128');
    const vx = f.local('v128');
    const vindex = f.local('v128');
    const better = f.local('v128');
    const fresh = i32.eqz(first);
    // min/max/arg start from row 0's item; the others from their identity.
    f.set(r0, extreme ? i32.select(i32.const(1), i32.const(0), fresh) : 0);
    f.set(o, 0);
    f.set(item, src);
    f.set(out, dst);
    f.set(val, values);

    /** The scalar result's update by `x` (row `r`). */
    const update = (xs: Local<Scalar>) => {
      if (extreme) {
        const cond = i32.or(lowest ? s.less(xs, acc) : s.less(acc, xs), i32.and(s.isNaN(xs), s.isNumber(acc)));
        f.if(cond, () => {
          f.set(acc, xs);
          if (arg) f.set(index, i32.add(first, r));
        });
      } else if (op === 'any') f.set(acc as Local<'i32'>, i32.or(acc as Local<'i32'>, s.nonzero(xs)));
      else if (op === 'all') f.set(acc as Local<'i32'>, i32.and(acc as Local<'i32'>, s.nonzero(xs)));
      else f.set(acc, s.mul(acc, xs));
    };

    if (it.size <= 4) {
      // Neighbouring outputs, four to a vector.
      f.if(i32.eq(keptStep, it.size), () => {
        f.while(
          () => i32.le_u(i32.add(o, 4), count),
          () => {
            f.if(
              fresh,
              () => {
                if (extreme) f.set(vacc, fourLoad(it, item));
                else if (op === 'any') f.set(vacc, i32x4.splat(0));
                else if (op === 'all') f.set(vacc, i32x4.splat(1));
                else f.set(vacc, it.float ? f32x4.splat(f32.const(1)) : i32x4.splat(1));
                if (arg) f.set(vindex, i32x4.splat(0));
              },
              () => {
                f.set(vacc, v128.load(arg ? val : out));
                if (arg) f.set(vindex, v128.load(out));
              },
            );
            f.set(at, i32.add(item, i32.mul(r0, rowStep)));
            f.for(r, r0, rows, 1, () => {
              f.set(vx, fourLoad(it, at));
              if (extreme) {
                const b = lowest ? l.less(vx, vacc) : l.less(vacc, vx);
                f.set(better, it.float ? v128.or(b, v128.and(l.isNaN(vx), l.isNumber(vacc))) : b);
                f.set(vacc, v128.bitselect(vx, vacc, better));
                if (arg) f.set(vindex, v128.bitselect(i32x4.splat(i32.add(first, r)), vindex, better));
              } else if (op === 'any') f.set(vacc, v128.or(vacc, v128.and(l.nonzero(vx), i32x4.splat(1))));
              else if (op === 'all') f.set(vacc, v128.and(vacc, v128.and(l.nonzero(vx), i32x4.splat(1))));
              else f.set(vacc, l.mul(vacc, vx));
              f.set(at, i32.add(at, rowStep));
            });
            if (arg) {
              f.store('v128', val, vacc);
              f.store('v128', out, vindex);
            } else f.store('v128', out, vacc);
            f.set(o, i32.add(o, 4));
            f.set(item, i32.add(item, 4 * it.size));
            f.set(out, i32.add(out, 16));
            f.set(val, i32.add(val, 16));
          },
        );
      });
    }
    // The other outputs, one at a time.
    f.while(
      () => i32.lt_u(o, count),
      () => {
        f.if(
          fresh,
          () => {
            if (extreme) f.set(acc, it.load(item));
            else if (op === 'any') f.set(acc, 0);
            else if (op === 'all') f.set(acc, 1);
            else f.set(acc, s.one);
            if (arg) f.set(index, 0);
          },
          () => {
            if (arg) {
              f.set(acc, (it.scalar === 'f64' ? f64.load(val) : it.scalar === 'f32' ? f32.load(val) : i32.load(val)) as S);
              f.set(index, i32.load(out));
            } else f.set(acc, (stateKind === 'f64' ? f64.load(out) : stateKind === 'f32' ? f32.load(out) : i32.load(out)) as S);
          },
        );
        f.set(at, i32.add(item, i32.mul(r0, rowStep)));
        f.for(r, r0, rows, 1, () => {
          f.set(x, it.load(at));
          update(x);
          f.set(at, i32.add(at, rowStep));
        });
        if (arg) {
          f.store(it.scalar, val, acc);
          f.store('i32', out, index);
        } else f.store(stateKind, out, acc);
        f.set(o, i32.add(o, 1));
        f.set(item, i32.add(item, keptStep));
        f.set(out, i32.add(out, width));
        f.set(val, i32.add(val, vWidth));
      },
    );
  });
}
