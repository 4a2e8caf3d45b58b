/**
 * WebAssembly kernels for the reductions other than float sums, over one run of `n` items `step` bytes
 * apart: `fold_<op>_<items>(p, n, step)`. What each returns is what the JavaScript fold (../reduce.ts
 * `foldRuns`) computes over the same run:
 * - `min`/`max`: the extreme item, the first NaN where there is one, and among equal items (±0) the first;
 * - `argmin`/`argmax`: the position of that item in the run;
 * - `any`/`all`: 1 or 0 (an item counts where it is not zero; NaN is not zero);
 * - `prod` of integers: the product modulo 2^32 (in any order: the wrap is modular). Integer sums are
 *   exact sums (./exact-sum-kernels.ts).
 * Contiguous runs go by vectors: min/max find the extreme value by lanes and fall back to one item at a
 * time only where the answer hangs on order (a NaN, or a zero whose sign depends on which came first);
 * arg reductions then look for the first item equal to it.
 */

import {
  f32,
  f32x4,
  f64,
  f64x2,
  i16x8,
  i32,
  i32x4,
  i8x16,
  v128,
  callAs,
  type Expr,
  type FunctionBuilder,
  type FunctionRef,
  type Local,
  type ModuleBuilder,
} from './emit.js';

type Key = 'f32' | 'f64' | 's32' | 'u32' | 's16' | 'u16' | 's8' | 'u8';
/** The item types the fold kernels (and the rows kernels, ./fold-rows-kernels.ts) read. */
export type FoldKey = Key;
type Scalar = 'i32' | 'f32' | 'f64';

/** An item type of the fold, rows and exact-sum kernels: its width, how it compares, how it loads. */
export interface FoldItems {
  size: 1 | 2 | 4 | 8;
  scalar: Scalar;
  float: boolean;
  signed: boolean;
  /** The item as a scalar (narrow integers sign- or zero-extended to 32 bits). */
  load(address: Expr<'i32'>): Expr<Scalar>;
}
type Items = FoldItems;

export const FOLD_ITEMS: Record<Key, Items> = {
  f32: { size: 4, scalar: 'f32', float: true, signed: true, load: (a) => f32.load(a) },
  f64: { size: 8, scalar: 'f64', float: true, signed: true, load: (a) => f64.load(a) },
  s32: { size: 4, scalar: 'i32', float: false, signed: true, load: (a) => i32.load(a) },
  u32: { size: 4, scalar: 'i32', float: false, signed: false, load: (a) => i32.load(a) },
  s16: { size: 2, scalar: 'i32', float: false, signed: true, load: (a) => i32.load16_s(a) },
  u16: { size: 2, scalar: 'i32', float: false, signed: false, load: (a) => i32.load16_u(a) },
  s8: { size: 1, scalar: 'i32', float: false, signed: true, load: (a) => i32.load8_s(a) },
  u8: { size: 1, scalar: 'i32', float: false, signed: false, load: (a) => i32.load8_u(a) },
};

/** The fold kernel's lane key for an input dtype (bool as bytes), or null. */
export function foldKey(dtype: string): Key | null {
  const keys: Record<string, Key> = {
    float32: 'f32',
    float64: 'f64',
    int32: 's32',
    uint32: 'u32',
    int16: 's16',
    uint16: 'u16',
    int8: 's8',
    uint8: 'u8',
    bool: 'u8',
  };
  return keys[dtype] ?? null;
}

type S = Expr<Scalar>;

/** Scalar operations on an item type. */
function scalarOps(it: Items) {
  const t = it.scalar;
  const cast = <T extends Scalar>(e: S) => e as Expr<T>;
  return {
    zero: (t === 'f32' ? f32.const(0) : t === 'f64' ? f64.const(0) : i32.const(0)) as S,
    /** a < b (by the item's order). */
    less: (a: S, b: S): Expr<'i32'> =>
      t === 'f32'
        ? f32.lt(cast(a), cast(b))
        : t === 'f64'
          ? f64.lt(cast(a), cast(b))
          : it.signed
            ? i32.lt_s(cast(a), cast(b))
            : i32.lt_u(cast(a), cast(b)),
    eq: (a: S, b: S): Expr<'i32'> =>
      t === 'f32' ? f32.eq(cast(a), cast(b)) : t === 'f64' ? f64.eq(cast(a), cast(b)) : i32.eq(cast(a), cast(b)),
    isNaN: (a: S): Expr<'i32'> => (t === 'f32' ? f32.ne(cast(a), cast(a)) : t === 'f64' ? f64.ne(cast(a), cast(a)) : i32.const(0)),
  };
}

/** Lane operations on an item type (min/max by its order; NaN propagating for floats). */
function laneOps(it: Items) {
  const w = it.size;
  if (it.float) {
    const V = w === 4 ? f32x4 : f64x2;
    return { min: V.min, max: V.max, eq: V.eq, ne: V.ne, isNaN: (v: Expr<'v128'>) => V.ne(v, v) };
  }
  const V = w === 4 ? i32x4 : w === 2 ? i16x8 : i8x16;
  const eq = V.eq;
  const ne = V.ne;
  return {
    min: it.signed ? V.min_s : V.min_u,
    max: it.signed ? V.max_s : V.max_u,
    eq,
    ne,
    isNaN: (_v: Expr<'v128'>) => i32x4.splat(0),
  };
}

export function addFoldKernels(m: ModuleBuilder): void {
  for (const key of Object.keys(FOLD_ITEMS) as Key[]) {
    const it = FOLD_ITEMS[key];
    const extremes = { min: addExtreme(m, key, it, true), max: addExtreme(m, key, it, false) };
    addArg(m, key, it, 'argmin', extremes.min, true);
    addArg(m, key, it, 'argmax', extremes.max, false);
    addTruth(m, key, it, 'any');
    addTruth(m, key, it, 'all');
    if (!it.float) addIntegerProduct(m, key, it);
  }
}

const PARAMS = ['i32', 'i32', 'i32'] as const;

/** The run's parameters and a few locals every fold uses. */
function runParts(f: FunctionBuilder) {
  return { p: f.param(0, 'i32'), n: f.param(1, 'i32'), step: f.param(2, 'i32'), i: f.local('i32'), at: f.local('i32') };
}

/** The first extreme item (the first NaN where there is one), as `foldRuns` keeps it. */
function addExtreme(m: ModuleBuilder, key: Key, it: Items, lowest: boolean): FunctionRef {
  const s = scalarOps(it);
  const v = laneOps(it);
  const L = 16 / it.size;
  return m.func(`fold_${lowest ? 'min' : 'max'}_${key}`, PARAMS, [it.scalar], (f) => {
    const { p, n, step, i, at } = runParts(f);
    const best = f.local(it.scalar);
    const x = f.local(it.scalar);
    const acc = f.local('v128');
    const acc2 = f.local('v128');
    const nan = f.local('v128');
    const better = (candidate: S, current: S) => (lowest ? s.less(candidate, current) : s.less(current, candidate));
    /** One item at a time from item `i`: the strict comparison keeps the first of equal items; a NaN ends it. */
    const exact = () => {
      f.while(
        () => i32.lt_u(i, n),
        (exit) => {
          f.set(x, it.load(at));
          f.if(i32.or(better(x, best), s.isNaN(x)), () => {
            f.set(best, x);
            f.brIf(exit, s.isNaN(x));
          });
          f.set(at, i32.add(at, step));
          f.set(i, i32.add(i, 1));
        },
      );
    };
    f.set(best, it.load(p));
    f.set(at, i32.add(p, step));
    f.set(i, 1);
    f.if(
      i32.and(i32.eq(step, it.size), i32.ge_u(n, 4 * L)),
      () => {
        // Lanes: the extreme value, in two accumulators (independent chains); min/max carry a NaN through
        // to the end, so a NaN lane there says the run has one. Where the value is unambiguous it is the answer.
        f.set(acc, v128.load(p));
        f.set(acc2, v128.load(p, 16));
        f.set(i, 2 * L);
        f.set(at, i32.add(p, 32));
        f.while(
          () => i32.le_u(i32.add(i, 2 * L), n),
          () => {
            f.set(acc, (lowest ? v.min : v.max)(acc, v128.load(at)));
            f.set(acc2, (lowest ? v.min : v.max)(acc2, v128.load(at, 16)));
            f.set(at, i32.add(at, 32));
            f.set(i, i32.add(i, 2 * L));
          },
        );
        f.set(acc, (lowest ? v.min : v.max)(acc, acc2));
        f.set(nan, v.isNaN(acc));
        // The lanes' extreme, then the tail.
        f.set(best, laneValue(it, acc, 0));
        for (let lane = 1; lane < L; lane++) {
          f.set(x, laneValue(it, acc, lane));
          f.if(better(x, best), () => f.set(best, x));
        }
        f.while(
          () => i32.lt_u(i, n),
          () => {
            f.set(x, it.load(at));
            f.if(i32.or(better(x, best), s.isNaN(x)), () => f.set(best, x));
            f.if(s.isNaN(x), () => f.set(nan, i32x4.splat(-1)));
            f.set(at, i32.add(at, it.size));
            f.set(i, i32.add(i, 1));
          },
        );
        if (it.float) {
          // A NaN, or a zero (which of ±0 comes first decides the sign): again, in order.
          f.if(i32.or(v128.any_true(nan), s.eq(best, s.zero)), () => {
            f.set(best, it.load(p));
            f.set(at, i32.add(p, step));
            f.set(i, 1);
            exact();
          });
        }
      },
      () => exact(),
    );
    f.return(best);
  });
}

function laneValue(it: Items, v: Local<'v128'>, lane: number): S {
  if (it.scalar === 'f32') return f32x4.extract_lane(v, lane);
  if (it.scalar === 'f64') return f64x2.extract_lane(v, lane);
  if (it.size === 4) return i32x4.extract_lane(v, lane);
  if (it.size === 2) return it.signed ? i32.extend16_s(i16x8.extract_lane_u(v, lane)) : i16x8.extract_lane_u(v, lane);
  return it.signed ? i32.extend8_s(i8x16.extract_lane_u(v, lane)) : i8x16.extract_lane_u(v, lane);
}

/** The position of the first item equal to the run's extreme (the first NaN where there is one). */
function addArg(m: ModuleBuilder, key: Key, it: Items, name: string, extreme: FunctionRef, lowest: boolean): void {
  const s = scalarOps(it);
  void lowest;
  m.func(`fold_${name}_${key}`, PARAMS, ['i32'], (f) => {
    const { p, n, step, i, at } = runParts(f);
    const target = f.local(it.scalar);
    const x = f.local(it.scalar);
    const nan = f.local('i32');
    f.set(target, callAs(it.scalar, extreme, p, n, step));
    f.set(nan, s.isNaN(target));
    f.set(at, p);
    f.for(i, 0, n, 1, () => {
      f.set(x, it.load(at));
      f.if(i32.select(s.isNaN(x), s.eq(x, target), nan), () => f.return(i));
      f.set(at, i32.add(at, step));
    });
    f.return(i32.const(0));
  });
}

/** any: 1 at the first item that is not zero; all: 0 at the first that is. */
function addTruth(m: ModuleBuilder, key: Key, it: Items, name: 'any' | 'all'): void {
  const s = scalarOps(it);
  const v = laneOps(it);
  const L = 16 / it.size;
  const decided = name === 'any' ? 1 : 0;
  m.func(`fold_${name}_${key}`, PARAMS, ['i32'], (f) => {
    const { p, n, step, i, at } = runParts(f);
    const zero = f.local('v128');
    f.set(zero, i32x4.splat(0));
    f.set(i, 0);
    f.set(at, p);
    f.if(i32.eq(step, it.size), () => {
      f.while(
        () => i32.le_u(i32.add(i, L), n),
        () => {
          // Lanes that decide: not zero (any) or zero (all); NaN is not zero.
          const deciding = name === 'any' ? v.ne(v128.load(at), zero) : v.eq(v128.load(at), zero);
          f.if(v128.any_true(deciding), () => f.return(i32.const(decided)));
          f.set(at, i32.add(at, 16));
          f.set(i, i32.add(i, L));
        },
      );
    });
    f.while(
      () => i32.lt_u(i, n),
      () => {
        const isZero = s.eq(it.load(at), s.zero);
        f.if(name === 'any' ? i32.eqz(isZero) : isZero, () => f.return(i32.const(decided)));
        f.set(at, i32.add(at, step));
        f.set(i, i32.add(i, 1));
      },
    );
    f.return(i32.const(1 - decided));
  });
}

/** The product of integer items modulo 2^32 (items sign- or zero-extended as their dtype). */
function addIntegerProduct(m: ModuleBuilder, key: Key, it: Items): void {
  m.func(`fold_prod_${key}`, PARAMS, ['i32'], (f) => {
    const { p, n, step, i, at } = runParts(f);
    const total = f.local('i32');
    const lanes = f.local('v128');
    f.set(total, 1);
    f.set(i, 0);
    f.set(at, p);
    if (it.size === 4) {
      // Words by lanes: four partial products, combined at the end (the wrap is modular).
      f.if(i32.eq(step, 4), () => {
        f.set(lanes, i32x4.splat(1));
        f.while(
          () => i32.le_u(i32.add(i, 4), n),
          () => {
            f.set(lanes, i32x4.mul(lanes, v128.load(at)));
            f.set(at, i32.add(at, 16));
            f.set(i, i32.add(i, 4));
          },
        );
        for (let lane = 0; lane < 4; lane++) f.set(total, i32.mul(total, i32x4.extract_lane(lanes, lane)));
      });
    }
    f.while(
      () => i32.lt_u(i, n),
      () => {
        f.set(total, i32.mul(total, it.load(at) as Expr<'i32'>));
        f.set(at, i32.add(at, step));
        f.set(i, i32.add(i, 1));
      },
    );
    f.return(total);
  });
}
