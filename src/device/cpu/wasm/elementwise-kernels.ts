/**
 * WebAssembly kernels for elementwise operations whose operands all have the loop dtype (no conversion
 * before or after): one function per operation (`LaneOp`, core/kernel-forms.ts) and lane type, over one
 * 2-D block of the plan — `ew_<op>_<lanes>(dst, a, b, n0, n1, d0, d1, a0, a1, b0, b1)` for binary
 * operations, `ew_<op>_<lanes>(dst, a, n0, n1, d0, d1, a0, a1)` for unary ones, addresses and strides in
 * bytes; comparisons (`cmp_<op>_<lanes>`) and float classifications (`cls_<op>_<lanes>`, one input) write
 * bools. Rows contiguous in every operand (or broadcast along the row: a scalar, a column) run as SIMD
 * vectors; blocks that an input walks transposed run in tiles, four rows per step; anything else one
 * element at a time. The forms of exact bit operations (rounding, bitwise, logical, classifications) are
 * in ./exact-lanes.ts, the integer divisions' in ./division-lanes.ts.
 *
 * Each lane operation computes what the operation's JavaScript form computes: integers wrap (as a
 * TypedArray store wraps), floats round once to the loop dtype (a float32 sum computed in float64 and
 * rounded is the float32 sum), max/min propagate NaN and order -0 below +0 as Math.max/min do.
 */

import type { ClassificationLaneOp, ComparisonLaneOp, LaneOp } from '../../../ndarray/core/kernel-forms.js';
import type { DType } from '../../../ndarray/core/dtype.js';
import {
  f32,
  f32x4,
  f64,
  f64x2,
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
  type Local,
  type ModuleBuilder,
} from './emit.js';
import { divisionForms } from './division-lanes.js';
import { bitwiseForms, classificationForms, logicalForm, roundingForms, type BitwiseOp, type ClassifyForm } from './exact-lanes.js';

/** Lane types: floats, integers whose operation ignores the sign ('i'), signed or unsigned ones, and bools
 * ('b8': only the operations that are defined on bools have forms for it). */
type LaneKey = 'f32' | 'f64' | 'i32' | 's32' | 'u32' | 'i16' | 's16' | 'u16' | 'i8' | 's8' | 'u8' | 's64' | 'u64' | 'i64' | 'b8';
type Scalar = 'i32' | 'i64' | 'f32' | 'f64';

interface LaneType {
  readonly size: 1 | 2 | 4 | 8;
  readonly scalar: Scalar;
  load(address: Expr<'i32'>): Expr<Scalar>;
  store(f: FunctionBuilder, address: Expr<'i32'>, value: Expr<Scalar>): void;
  /** A vector of the item at `address` in every lane. */
  splat(address: Expr<'i32'>): Expr<'v128'>;
}

function integer(size: 1 | 2 | 4, signed: boolean): LaneType {
  return {
    size,
    scalar: 'i32',
    load: (a) =>
      size === 4 ? i32.load(a) : size === 2 ? (signed ? i32.load16_s(a) : i32.load16_u(a)) : signed ? i32.load8_s(a) : i32.load8_u(a),
    store: (f, a, v) => f.store(size === 4 ? 'i32' : size === 2 ? 'i32_16' : 'i32_8', a, v),
    splat: (a) => (size === 4 ? v128.load32_splat(a) : size === 2 ? v128.load16_splat(a) : v128.load8_splat(a)),
  };
}

const LANES: Record<LaneKey, LaneType> = {
  f32: { size: 4, scalar: 'f32', load: (a) => f32.load(a), store: (f, a, v) => f.store('f32', a, v), splat: (a) => v128.load32_splat(a) },
  f64: { size: 8, scalar: 'f64', load: (a) => f64.load(a), store: (f, a, v) => f.store('f64', a, v), splat: (a) => v128.load64_splat(a) },
  i32: integer(4, true),
  s32: integer(4, true),
  u32: integer(4, false),
  i16: integer(2, true),
  s16: integer(2, true),
  u16: integer(2, false),
  i8: integer(1, true),
  s8: integer(1, true),
  u8: integer(1, false),
  b8: integer(1, false),
  // 64-bit integers: scalar forms only (the division forms) or the same bits whatever the sign (bitwise).
  s64: { size: 8, scalar: 'i64', load: (a) => i64.load(a), store: (f, a, v) => f.store('i64', a, v), splat: (a) => v128.load64_splat(a) },
  u64: { size: 8, scalar: 'i64', load: (a) => i64.load(a), store: (f, a, v) => f.store('i64', a, v), splat: (a) => v128.load64_splat(a) },
  i64: { size: 8, scalar: 'i64', load: (a) => i64.load(a), store: (f, a, v) => f.store('i64', a, v), splat: (a) => v128.load64_splat(a) },
};

type V = Expr<'v128'>;
type S = Expr<Scalar>;

/** An operation on lanes: on vectors (none where every item goes one at a time) and on one item. Forms
 * that use an operand more than once set it into a local of `f` first (the statements are emitted before
 * the expression that the form returns). */
interface Form {
  vector?(a: V, b: V, f: FunctionBuilder): V;
  scalar(a: S, b: S, f: FunctionBuilder): S;
}

const asI32 = (e: S) => e as Expr<'i32'>;
const asF32 = (e: S) => e as Expr<'f32'>;
const asF64 = (e: S) => e as Expr<'f64'>;

/** A form from a vector operation and a scalar one on i32/f32/f64. */
const floatForm = (
  vector: (a: V, b: V) => V,
  on32: (a: Expr<'f32'>, b: Expr<'f32'>) => Expr<'f32'>,
  on64: (a: Expr<'f64'>, b: Expr<'f64'>) => Expr<'f64'>,
) => ({
  f32: { vector, scalar: (a: S, b: S) => on32(asF32(a), asF32(b)) },
  f64: { vector, scalar: (a: S, b: S) => on64(asF64(a), asF64(b)) },
});

const f32Ops = (
  v32: (a: V, b: V) => V,
  v64: (a: V, b: V) => V,
  s32: (a: Expr<'f32'>, b: Expr<'f32'>) => Expr<'f32'>,
  s64: (a: Expr<'f64'>, b: Expr<'f64'>) => Expr<'f64'>,
): Partial<Record<LaneKey, Form>> => ({
  f32: floatForm(v32, s32, s64).f32,
  f64: floatForm(v64, s32, s64).f64,
});

const intForm = (vector: (a: V, b: V) => V, scalar: (a: Expr<'i32'>, b: Expr<'i32'>) => Expr<'i32'>): Form => ({
  vector,
  scalar: (a, b) => scalar(asI32(a), asI32(b)),
});

/** NaN results as JavaScript's NaN (0x7fc00000 as float32, 0x7ff8000000000000 as float64): what the
 * JavaScript forms' `NaN` stores, where the lanes may leave another NaN (x64's minps/maxps keep an
 * operand's sign). */
const canonicalNaN32 = (r: V): V => v128.bitselect(i32x4.splat(0x7fc00000), r, f32x4.ne(r, r));
const canonicalNaN64 = (r: V): V => v128.bitselect(i64x2.splat(i64.const(0x7ff8000000000000n)), r, f64x2.ne(r, r));
const canonical32 = (r: Expr<'f32'>): Expr<'f32'> => f32.select(f32.const(NaN), r, f32.ne(r, r));
const canonical64 = (r: Expr<'f64'>): Expr<'f64'> => f64.select(f64.const(NaN), r, f64.ne(r, r));

/** float32 items become float64 numbers in JavaScript, which quiets a signalling NaN: sign operations
 * (negative, absolute), which otherwise only touch the sign bit, set the quiet bit of NaN lanes too. */
const quieted32 = (x: V, r: V): V => v128.or(r, v128.and(f32x4.ne(x, x), i32x4.splat(0x00400000)));
const quietedScalar32 = (x: Expr<'f32'>, r: Expr<'f32'>): Expr<'f32'> =>
  f32.reinterpret_i32(i32.or(i32.reinterpret_f32(r), i32.select(0x00400000, 0, f32.ne(x, x))));

const larger = (compare: (a: Expr<'i32'>, b: Expr<'i32'>) => Expr<'i32'>) => (a: Expr<'i32'>, b: Expr<'i32'>) =>
  i32.select(a, b, compare(a, b));

/** Binary operations by lane type. Unary ones take their operand as `a` (b unused). */
type ArithmeticLaneOp = Exclude<LaneOp, ComparisonLaneOp | ClassificationLaneOp | 'where' | 'square'>;

/** A bitwise operation's forms by lane type: the items' bits, whatever their sign (bools: see
 * `BOOL_BITS`; invert has a form of its own). */
function bitwise(op: BitwiseOp): Partial<Record<LaneKey, Form>> {
  const forms = bitwiseForms(op);
  const all: Partial<Record<LaneKey, Form>> = { i32: forms.x32, i16: forms.x16, i8: forms.x8, i64: forms.x64 };
  return op === 'invert' ? { ...all, b8: forms.b8 } : all;
}

/** Operations that combine bools as bytes, whatever their values: the 8-bit integer kernels serve them. */
const BOOL_BITS = new Set<LaneOp>(['bitwise_and', 'bitwise_or', 'bitwise_xor']);

const FORMS: Record<ArithmeticLaneOp, Partial<Record<LaneKey, Form>>> = {
  add: {
    ...f32Ops(f32x4.add, f64x2.add, f32.add, f64.add),
    i32: intForm(i32x4.add, i32.add),
    i16: intForm(i16x8.add, i32.add),
    i8: intForm(i8x16.add, i32.add),
  },
  subtract: {
    ...f32Ops(f32x4.sub, f64x2.sub, f32.sub, f64.sub),
    i32: intForm(i32x4.sub, i32.sub),
    i16: intForm(i16x8.sub, i32.sub),
    i8: intForm(i8x16.sub, i32.sub),
  },
  multiply: {
    ...f32Ops(f32x4.mul, f64x2.mul, f32.mul, f64.mul),
    i32: intForm(i32x4.mul, i32.mul),
    i16: intForm(i16x8.mul, i32.mul),
  },
  divide: f32Ops(f32x4.div, f64x2.div, f32.div, f64.div),
  maximum: {
    ...f32Ops(
      (a, b) => canonicalNaN32(f32x4.max(a, b)),
      (a, b) => canonicalNaN64(f64x2.max(a, b)),
      (a, b) => canonical32(f32.max(a, b)),
      (a, b) => canonical64(f64.max(a, b)),
    ),
    s32: intForm(i32x4.max_s, larger(i32.gt_s)),
    u32: intForm(i32x4.max_u, larger(i32.gt_u)),
    s16: intForm(i16x8.max_s, larger(i32.gt_s)),
    u16: intForm(i16x8.max_u, larger(i32.gt_u)),
    s8: intForm(i8x16.max_s, larger(i32.gt_s)),
    u8: intForm(i8x16.max_u, larger(i32.gt_u)),
  },
  minimum: {
    ...f32Ops(
      (a, b) => canonicalNaN32(f32x4.min(a, b)),
      (a, b) => canonicalNaN64(f64x2.min(a, b)),
      (a, b) => canonical32(f32.min(a, b)),
      (a, b) => canonical64(f64.min(a, b)),
    ),
    s32: intForm(i32x4.min_s, larger(i32.lt_s)),
    u32: intForm(i32x4.min_u, larger(i32.lt_u)),
    s16: intForm(i16x8.min_s, larger(i32.lt_s)),
    u16: intForm(i16x8.min_u, larger(i32.lt_u)),
    s8: intForm(i8x16.min_s, larger(i32.lt_s)),
    u8: intForm(i8x16.min_u, larger(i32.lt_u)),
  },
  negative: {
    f32: { vector: (a) => quieted32(a, f32x4.neg(a)), scalar: (a) => quietedScalar32(asF32(a), f32.neg(asF32(a))) },
    f64: { vector: (a) => f64x2.neg(a), scalar: (a) => f64.neg(asF64(a)) },
    i32: intForm(
      (a) => i32x4.neg(a),
      (a) => i32.sub(0, a),
    ),
    i16: intForm(
      (a) => i16x8.neg(a),
      (a) => i32.sub(0, a),
    ),
    i8: intForm(
      (a) => i8x16.neg(a),
      (a) => i32.sub(0, a),
    ),
  },
  absolute: {
    f32: { vector: (a) => quieted32(a, f32x4.abs(a)), scalar: (a) => quietedScalar32(asF32(a), f32.abs(asF32(a))) },
    f64: { vector: (a) => f64x2.abs(a), scalar: (a) => f64.abs(asF64(a)) },
    // Sign-extended loads: the absolute value of the item, wrapped by the store (|-128| is -128 in int8).
    s32: intForm(
      (a) => i32x4.abs(a),
      (a) => i32.select(a, i32.sub(0, a), i32.ge_s(a, 0)),
    ),
    s16: intForm(
      (a) => i16x8.abs(a),
      (a) => i32.select(a, i32.sub(0, a), i32.ge_s(a, 0)),
    ),
    s8: intForm(
      (a) => i8x16.abs(a),
      (a) => i32.select(a, i32.sub(0, a), i32.ge_s(a, 0)),
    ),
  },
  sqrt: {
    f32: { vector: (a) => f32x4.sqrt(a), scalar: (a) => f32.sqrt(asF32(a)) },
    f64: { vector: (a) => f64x2.sqrt(a), scalar: (a) => f64.sqrt(asF64(a)) },
  },
  // Integer loops only: the float forms (JavaScript's %) stay in the JavaScript loops.
  floor_divide: divisionForms('floor_divide') as Partial<Record<LaneKey, Form>>,
  remainder: divisionForms('remainder') as Partial<Record<LaneKey, Form>>,
  fmod: divisionForms('fmod') as Partial<Record<LaneKey, Form>>,
  floor: roundingForms('floor'),
  ceil: roundingForms('ceil'),
  trunc: roundingForms('trunc'),
  rint: roundingForms('rint'),
  bitwise_and: bitwise('bitwise_and'),
  bitwise_or: bitwise('bitwise_or'),
  bitwise_xor: bitwise('bitwise_xor'),
  invert: bitwise('invert'),
  logical_and: { b8: logicalForm('logical_and') },
  logical_or: { b8: logicalForm('logical_or') },
  logical_xor: { b8: logicalForm('logical_xor') },
  logical_not: { b8: logicalForm('logical_not') },
};

const CLASSIFICATIONS: readonly ClassificationLaneOp[] = ['isnan', 'isinf', 'isfinite', 'signbit'];

/** Operations of one input. square is multiply(x, x): it runs on the multiply kernels, its operand passed
 * as both inputs. */
const UNARY = new Set<LaneOp>([
  'negative',
  'absolute',
  'sqrt',
  'square',
  'floor',
  'ceil',
  'trunc',
  'rint',
  'invert',
  'logical_not',
  ...CLASSIFICATIONS,
]);

/** A comparison: lanes of all ones where it holds (the lane width of the items), and a 0/1 scalar. */
interface CompareForm {
  vector(a: V, b: V): V;
  scalar(a: S, b: S): Expr<'i32'>;
}

type VectorOps = Record<string, (a: V, b: V) => V>;

/** The comparison `op` on a lane type: its vector and scalar instructions (signed or unsigned by key). */
function compareForm(op: ComparisonLaneOp, key: LaneKey): CompareForm | null {
  const lane = LANES[key];
  const suffix = { equal: 'eq', not_equal: 'ne', less: 'lt', less_equal: 'le', greater: 'gt', greater_equal: 'ge' }[op];
  const ordered = suffix !== 'eq' && suffix !== 'ne';
  // eq/ne ignore the sign: the sign-agnostic keys; ordered comparisons: the signed and unsigned ones.
  const signAgnostic = key === 'i32' || key === 'i16' || key === 'i8';
  if (lane.scalar === 'i64' || key === 'b8') return null;
  if (!lane.scalar.startsWith('f') && ordered === signAgnostic) return null;
  if (lane.scalar === 'f32' || lane.scalar === 'f64') {
    const V = (lane.scalar === 'f32' ? f32x4 : f64x2) as unknown as VectorOps;
    const F = (lane.scalar === 'f32' ? f32 : f64) as unknown as Record<string, (a: S, b: S) => Expr<'i32'>>;
    return { vector: V[suffix], scalar: F[suffix] };
  }
  const V = (lane.size === 4 ? i32x4 : lane.size === 2 ? i16x8 : i8x16) as unknown as VectorOps;
  const sign = !ordered ? '' : key.startsWith('s') ? '_s' : '_u';
  const I = i32 as unknown as Record<string, (a: Expr<'i32'>, b: Expr<'i32'>) => Expr<'i32'>>;
  return { vector: V[suffix + sign], scalar: (a, b) => I[suffix + sign](asI32(a), asI32(b)) };
}

const COMPARISONS: readonly ComparisonLaneOp[] = ['equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal'];

/** Lane types a loop dtype may run as: its own signedness first, then the sign-agnostic one. */
const KEYS_OF: Partial<Record<DType, readonly LaneKey[]>> = {
  float32: ['f32'],
  float64: ['f64'],
  int32: ['s32', 'i32'],
  uint32: ['u32', 'i32'],
  int16: ['s16', 'i16'],
  uint16: ['u16', 'i16'],
  int8: ['s8', 'i8'],
  uint8: ['u8', 'i8'],
  int64: ['s64', 'i64'],
  uint64: ['u64', 'i64'],
  bool: ['b8'],
};

function isComparison(op: LaneOp): op is ComparisonLaneOp {
  return (COMPARISONS as readonly string[]).includes(op);
}

/** The kernel running `op` on items of `loop`, or null where there is none. */
export function laneKernelName(op: LaneOp, loop: DType): string | null {
  if (op === 'where') {
    const key = SELECT_KEYS[loop];
    return key ? `ew_where_${key}` : null;
  }
  if (isClassification(op)) return loop === 'float32' ? `cls_${op}_f32` : loop === 'float64' ? `cls_${op}_f64` : null;
  if (isComparison(op)) {
    const keys = loop === 'bool' ? (['u8', 'i8'] as const) : KEYS_OF[loop];
    const key = keys?.find((k) => compareForm(op, k));
    return key ? `cmp_${op}_${key}` : null;
  }
  const kernelOp = op === 'square' ? 'multiply' : op;
  const keys = loop === 'bool' && BOOL_BITS.has(op) ? (['i8'] as const) : KEYS_OF[loop];
  const key = keys?.find((k) => FORMS[kernelOp][k]);
  return key ? `ew_${kernelOp}_${key}` : null;
}

export function isUnaryLaneOp(op: LaneOp): boolean {
  return UNARY.has(op);
}

/** Whether `op` gives a bool result (a comparison or a classification) rather than one of its loop dtype. */
export function isBoolLaneOp(op: LaneOp): boolean {
  return isComparison(op) || isClassification(op);
}

function isClassification(op: LaneOp): op is ClassificationLaneOp {
  return (CLASSIFICATIONS as readonly string[]).includes(op);
}

/** Transposes an L × L block of b-byte lanes held in `v` (v[c] lane r → v[r] lane c), by shuffles. */
function transpose(f: FunctionBuilder, b: number, v: Local<'v128'>[]): void {
  if (b === 8) {
    const t = f.local('v128');
    f.set(t, shuffleLanes(8, v[0], v[1], [0, 2]));
    f.set(v[1], shuffleLanes(8, v[0], v[1], [1, 3]));
    f.set(v[0], t);
    return;
  }
  const t = [f.local('v128'), f.local('v128'), f.local('v128'), f.local('v128')];
  f.set(t[0], shuffleLanes(4, v[0], v[1], [0, 4, 1, 5]));
  f.set(t[1], shuffleLanes(4, v[0], v[1], [2, 6, 3, 7]));
  f.set(t[2], shuffleLanes(4, v[2], v[3], [0, 4, 1, 5]));
  f.set(t[3], shuffleLanes(4, v[2], v[3], [2, 6, 3, 7]));
  f.set(v[0], shuffleLanes(4, t[0], t[2], [0, 1, 4, 5]));
  f.set(v[1], shuffleLanes(4, t[0], t[2], [2, 3, 6, 7]));
  f.set(v[2], shuffleLanes(4, t[1], t[3], [0, 1, 4, 5]));
  f.set(v[3], shuffleLanes(4, t[1], t[3], [2, 3, 6, 7]));
}

/** `where`'s kernels by loop dtype: they move items as bits, but for float32's quieted NaN (see below). */
const SELECT_KEYS: Partial<Record<DType, SelectKey>> = {
  float32: 'f32',
  float64: 'x64',
  int32: 'x32',
  uint32: 'x32',
  int16: 'x16',
  uint16: 'x16',
  int8: 'x8',
  uint8: 'x8',
};
type SelectKey = 'f32' | 'x64' | 'x32' | 'x16' | 'x8';
const SELECT_SIZES: Record<SelectKey, 1 | 2 | 4 | 8> = { f32: 4, x64: 8, x32: 4, x16: 2, x8: 1 };

/** Tile edge of transposed blocks, in items. */
const TILE = 64;

export function addElementwiseKernels(m: ModuleBuilder): void {
  // `store_i32(address, value)`: a scalar operand's bits, for the kernels to splat.
  m.func('store_i32', ['i32', 'i32'], [], (f) => f.store('i32', f.param(0, 'i32'), f.param(1, 'i32')));
  for (const op of Object.keys(FORMS) as ArithmeticLaneOp[]) {
    for (const [key, form] of Object.entries(FORMS[op]) as [LaneKey, Form][]) {
      addKernel(m, `ew_${op}_${key}`, LANES[key], form, UNARY.has(op) ? 1 : 2);
    }
  }
  for (const op of COMPARISONS) {
    for (const key of Object.keys(LANES) as LaneKey[]) {
      const form = compareForm(op, key);
      if (form) addCompareKernel(m, `cmp_${op}_${key}`, LANES[key], form, 2);
    }
  }
  for (const op of CLASSIFICATIONS) {
    const forms = classificationForms(op);
    for (const key of ['f32', 'f64'] as const) addCompareKernel(m, `cls_${op}_${key}`, LANES[key], forms[key], 1);
  }
  for (const key of Object.keys(SELECT_SIZES) as SelectKey[]) addSelectKernel(m, key);
}

/**
 * `where` over one 2-D block: `(dst, c, x, y, n0, n1, d0, d1, c0, c1, x0, x1, y0, y1)`, each item
 * `c ? x : y` for bool bytes c. Rows whose destination and condition are contiguous and whose operands are
 * contiguous or broadcast go 16 items per step: the condition bytes widened to masks of the item width
 * and the items chosen by `bitselect`; anything else one item at a time. float32 items pass through
 * float64 numbers in the JavaScript loops, which quiets a signalling NaN: its quiet bit is set here too.
 */
function addSelectKernel(m: ModuleBuilder, key: SelectKey): void {
  const b = SELECT_SIZES[key];
  m.func(`ew_where_${key}`, blockParams(4), [], (f) => {
    const { operands, n0, n1 } = blockOperands(f, 4);
    const [dst, cond, x, y] = operands;
    const masks = Array.from({ length: b }, () => f.local('v128'));
    const quiet = (v: V) => (key === 'f32' ? v128.or(v, v128.and(f32x4.ne(v, v), i32x4.splat(0x00400000))) : v);
    const word = f.local('i32');
    const scalarStep = () => {
      const which = i32.load8_u(cond.at);
      if (b === 8) f.store('i64', dst.at, i64.select(i64.load(x.at), i64.load(y.at), which));
      else {
        const load = (a: Expr<'i32'>) => (b === 4 ? i32.load(a) : b === 2 ? i32.load16_u(a) : i32.load8_u(a));
        f.set(word, i32.select(load(x.at), load(y.at), which));
        if (key === 'f32') {
          // A NaN's exponent bits all set and some fraction bit: then the quiet bit too.
          const nan = i32.gt_u(i32.and(word, 0x7fffffff), 0x7f800000);
          f.set(word, i32.or(word, i32.select(0x00400000, 0, nan)));
        }
        f.store(b === 4 ? 'i32' : b === 2 ? 'i32_16' : 'i32_8', dst.at, word);
      }
      for (const o of operands) f.set(o.at, i32.add(o.at, o.inner));
    };
    const splat = (a: Expr<'i32'>) =>
      b === 8 ? v128.load64_splat(a) : b === 4 ? v128.load32_splat(a) : b === 2 ? v128.load16_splat(a) : v128.load8_splat(a);
    let vectorRows: Expr<'i32'> = i32.and(i32.eq(dst.inner, b), i32.eq(cond.inner, 1));
    for (const o of [x, y]) vectorRows = i32.and(vectorRows, i32.or(i32.eq(o.inner, b), i32.eqz(o.inner)));
    walkRowsBySixteen(f, { n0, n1, operands, pair: [x, y], vectorRows, splat, scalarStep }, (a, c) => {
      widenMasks(f, b, i8x16.ne(v128.load(cond.at), i8x16.splat(0)), masks);
      for (let v = 0; v < b; v++) f.store('v128', dst.at, quiet(v128.bitselect(a(v), c(v), masks[v])), 16 * v);
    });
  });
}

/** Sixteen byte masks (all ones or zeros) widened to b-byte lanes: b vectors, in item order. */
function widenMasks(f: FunctionBuilder, b: number, bytes: V, masks: Local<'v128'>[]): void {
  if (b === 1) {
    f.set(masks[0], bytes);
    return;
  }
  f.set(masks[0], i16x8.extend_low_i8x16_s(bytes));
  f.set(masks[b / 2], i16x8.extend_high_i8x16_s(bytes));
  if (b === 2) return;
  // Halves in place: masks[0] and masks[b/2] hold 16-bit lanes of items 0-7 and 8-15.
  for (const at of [0, b / 2]) {
    const wide = masks[at];
    f.set(masks[at + b / 4], i32x4.extend_high_i16x8_s(wide));
    f.set(masks[at], i32x4.extend_low_i16x8_s(wide));
  }
  if (b === 4) return;
  for (const at of [0, 2, 4, 6]) {
    const wide = masks[at];
    f.set(masks[at + 1], i64x2.extend_high_i32x4_s(wide));
    f.set(masks[at], i64x2.extend_low_i32x4_s(wide));
  }
}

/**
 * A comparison (or, with one input, a classification) over one 2-D block into bool items (bytes 0/1):
 * `(dst, a, b, n0, n1, d0, d1, a0, a1, b0, b1)`, or `(dst, a, n0, n1, d0, d1, a0, a1)`. Rows whose
 * destination is contiguous and whose inputs are contiguous or broadcast go 16 items per step: each
 * input's lanes compared (masks of the item width), the masks narrowed to bytes and made 0/1; anything
 * else one item at a time.
 */
function addCompareKernel(m: ModuleBuilder, name: string, lane: LaneType, form: CompareForm | ClassifyForm, arity: 1 | 2): void {
  m.func(name, blockParams(1 + arity), [], (f) => {
    const { operands, n0, n1 } = blockOperands(f, 1 + arity);
    const [dst, ...ins] = operands;
    const b = lane.size;
    const vectors = b; // 16 items per step: b vectors of each input
    const masks = Array.from({ length: vectors }, () => f.local('v128'));
    const ones = f.local('v128');
    f.set(ones, i8x16.splat(1));
    const scalarStep = () => {
      const values = ins.map((x) => lane.load(x.at));
      f.store('i32_8', dst.at, form.scalar(values[0], values[1] ?? values[0], f));
      for (const x of operands) f.set(x.at, i32.add(x.at, x.inner));
    };
    let vectorRows: Expr<'i32'> = i32.eq(dst.inner, 1);
    for (const x of ins) vectorRows = i32.and(vectorRows, i32.or(i32.eq(x.inner, b), i32.eqz(x.inner)));
    walkRowsBySixteen(f, { n0, n1, operands, pair: ins, vectorRows, splat: lane.splat, scalarStep }, (a, c) => {
      for (let v = 0; v < vectors; v++) f.set(masks[v], form.vector(a(v), c(v), f));
      f.store('v128', dst.at, v128.and(narrowMasks(f, b, masks), ones));
    });
  });
}

/**
 * The rows of a 2-D block: where `vectorRows` holds, sixteen items a step (`sixteen`, given vector v of
 * each of the `pair` of inputs: a load, or the splat of an input broadcast along the row; one way for each
 * of the four ways the two may be broadcast), then the rest of the row one item at a time (`scalarStep`,
 * which advances every operand by one item).
 */
function walkRowsBySixteen(
  f: FunctionBuilder,
  walk: {
    n0: Expr<'i32'>;
    n1: Expr<'i32'>;
    operands: readonly Operand[];
    /** The inputs read as vectors (one or two). */
    pair: readonly Operand[];
    vectorRows: Expr<'i32'>;
    splat: (address: Expr<'i32'>) => V;
    scalarStep: () => void;
  },
  sixteen: (a: (v: number) => V, c: (v: number) => V) => void,
): void {
  const { n0, n1, operands, pair, vectorRows, splat, scalarStep } = walk;
  const i = f.local('i32');
  const j = f.local('i32');
  const splats = [f.local('v128'), f.local('v128')];
  f.for(i, 0, n0, 1, () => {
    for (const x of operands) f.set(x.at, i32.add(x.base, i32.mul(i, x.outer)));
    f.set(j, 0);
    f.if(vectorRows, () => {
      for (let mask = 0; mask < 1 << pair.length; mask++) {
        const broadcast = (k: number) => (mask >> k) & 1;
        let matches: Expr<'i32'> = i32.const(1);
        pair.forEach((x, k) => (matches = i32.and(matches, broadcast(k) ? i32.eqz(x.inner) : i32.ne(x.inner, 0))));
        f.if(matches, () => {
          pair.forEach((x, k) => {
            if (broadcast(k)) f.set(splats[k], splat(x.at));
          });
          // A unary walk reads its one input as both.
          const vector = (k: number) => (v: number) => {
            const at = Math.min(k, pair.length - 1);
            return broadcast(at) ? splats[at] : v128.load(pair[at].at, 16 * v);
          };
          f.while(
            () => i32.le_u(i32.add(j, 16), n1),
            () => {
              sixteen(vector(0), vector(1));
              for (const x of operands) f.set(x.at, i32.add(x.at, i32.mul(x.inner, 16)));
              f.set(j, i32.add(j, 16));
            },
          );
        });
      }
    });
    f.while(
      () => i32.lt_u(j, n1),
      () => {
        scalarStep();
        f.set(j, i32.add(j, 1));
      },
    );
  });
}

/** Masks of b-byte lanes (b vectors, 16 items) as 16 bytes of all ones or zeros, in item order. */
function narrowMasks(f: FunctionBuilder, b: number, masks: Local<'v128'>[]): V {
  if (b === 1) return masks[0];
  if (b === 2) return i8x16.narrow_i16x8_s(masks[0], masks[1]);
  let words = masks;
  if (b === 8) {
    // Each 8-byte lane is all ones or zeros: its low word stands for it.
    words = [0, 1, 2, 3].map((k) => {
      const w = f.local('v128');
      f.set(w, shuffleLanes(4, masks[2 * k], masks[2 * k + 1], [0, 2, 4, 6]));
      return w;
    });
  }
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(words[0], words[1]), i16x8.narrow_i32x4_s(words[2], words[3]));
}

/** Operand k's parameters: its address and its two byte strides. */
interface Operand {
  readonly base: Local<'i32'>;
  readonly outer: Local<'i32'>;
  readonly inner: Local<'i32'>;
  /** Its address in the current row. */
  readonly at: Local<'i32'>;
}

/** A block kernel's parameters, all i32: the `count` operands' base addresses (the destination first), the
 * block's extents (n0 rows of n1 items), then each operand's outer and inner steps in bytes. */
function blockParams(count: number): 'i32'[] {
  return new Array<'i32'>(3 * count + 2).fill('i32');
}

/** The parameters `blockParams(count)` declares, as the kernel's operands and extents. */
function blockOperands(f: FunctionBuilder, count: number): { operands: Operand[]; n0: Local<'i32'>; n1: Local<'i32'> } {
  const p = blockParams(count).map((_, k) => f.param(k, 'i32'));
  const operands = Array.from({ length: count }, (_, k) => ({
    base: p[k],
    outer: p[count + 2 + 2 * k],
    inner: p[count + 3 + 2 * k],
    at: f.local('i32'),
  }));
  return { operands, n0: p[count], n1: p[count + 1] };
}

function addKernel(m: ModuleBuilder, name: string, lane: LaneType, form: Form, arity: 1 | 2): void {
  m.func(name, blockParams(1 + arity), [], (f) => {
    const { operands, n0, n1 } = blockOperands(f, 1 + arity);
    const [dst, ...ins] = operands;
    const b = lane.size;
    const L = 16 / b;
    const i = f.local('i32');
    const j = f.local('i32');
    const splats = ins.map(() => f.local('v128'));
    const compute = (values: Expr<Scalar>[]) => form.scalar(values[0], values[1] ?? values[0], f);
    const vectorForm = form.vector?.bind(form);
    const computeVector = (values: V[]) => (vectorForm as NonNullable<Form['vector']>)(values[0], values[1] ?? values[0], f);
    const scalarStep = () => {
      lane.store(f, dst.at, compute(ins.map((x) => lane.load(x.at))));
      for (const x of operands) f.set(x.at, i32.add(x.at, x.inner));
    };
    /** The rows from `rowStart` to `rowEnd`, columns from `colStart` to `colEnd`, one element at a time. */
    const rect = (
      rowStart: Expr<'i32'> | number,
      rowEnd: Expr<'i32'> | number,
      colStart: Expr<'i32'> | number,
      colEnd: Expr<'i32'> | number,
    ) => {
      f.for(i, rowStart, rowEnd, 1, () => {
        for (const x of operands) f.set(x.at, i32.add(i32.add(x.base, i32.mul(i, x.outer)), i32.mul(colStart, x.inner)));
        f.for(j, colStart, colEnd, 1, () => scalarStep());
      });
    };
    // Transposed: some input walks the row with a larger stride than across rows (isTransposedWalk).
    const abs = (x: Expr<'i32'>) => i32.select(x, i32.sub(0, x), i32.ge_s(x, 0));
    let transposed: Expr<'i32'> = i32.const(0);
    for (const x of ins) transposed = i32.or(transposed, i32.gt_u(abs(x.inner), i32.select(abs(x.outer), b, i32.gt_u(abs(x.outer), b))));
    f.if(i32.and(i32.and(transposed, i32.gt_u(n0, 1)), i32.gt_u(n1, 1)), () => {
      const ti = f.local('i32');
      const tj = f.local('i32');
      const iEnd = f.local('i32');
      const jEnd = f.local('i32');
      const tiles = (
        n0: Expr<'i32'> | Local<'i32'>,
        n1: Expr<'i32'> | Local<'i32'>,
        body: (i0: Local<'i32'>, i1: Local<'i32'>, j0: Local<'i32'>, j1: Local<'i32'>) => void,
      ) => {
        f.for(ti, 0, n0, TILE, () => {
          f.set(iEnd, i32.add(ti, TILE));
          f.if(i32.gt_u(iEnd, n0), () => f.set(iEnd, n0));
          f.for(tj, 0, n1, TILE, () => {
            f.set(jEnd, i32.add(tj, TILE));
            f.if(i32.gt_u(jEnd, n1), () => f.set(jEnd, n1));
            body(ti, iEnd, tj, jEnd);
          });
        });
      };
      if ((b === 4 || b === 8) && vectorForm) {
        // L × L blocks through registers where the destination's rows are contiguous and each input
        // is contiguous along the row or across rows (a transpose: L columns loaded, transposed by
        // shuffles); the edges past the last multiple of L, one element at a time.
        const m0 = f.local('i32');
        const m1 = f.local('i32');
        const rows = Array.from({ length: arity }, () => Array.from({ length: L }, () => f.local('v128')));
        const across = (x: Operand) => i32.eq(x.outer, b);
        let blocks: Expr<'i32'> = i32.eq(dst.inner, b);
        for (const x of ins) blocks = i32.and(blocks, i32.or(i32.eq(x.inner, b), across(x)));
        f.if(blocks, () => {
          f.set(m0, i32.and(n0, -L));
          f.set(m1, i32.and(n1, -L));
          // Down the tile's columns first: a transposed input then reads along its own rows.
          tiles(m0, m1, (i0, i1, j0, j1) => {
            f.for(j, j0, j1, L, () => {
              f.for(i, i0, i1, L, () => {
                ins.forEach((x, k) => {
                  f.set(x.at, i32.add(i32.add(x.base, i32.mul(i, x.outer)), i32.mul(j, x.inner)));
                  // Which way each input runs does not change within a call: a predictable branch.
                  f.if(
                    across(x),
                    () => {
                      // Vector c holds rows i..i+L-1 of column j+c; row r of the block takes lane r of each.
                      for (let c = 0; c < L; c++) f.set(rows[k][c], v128.load(i32.add(x.at, i32.mul(x.inner, c))));
                      transpose(f, b, rows[k]);
                    },
                    () => {
                      for (let r = 0; r < L; r++) f.set(rows[k][r], v128.load(i32.add(x.at, i32.mul(x.outer, r))));
                    },
                  );
                });
                f.set(dst.at, i32.add(i32.add(dst.base, i32.mul(i, dst.outer)), i32.mul(j, b)));
                for (let r = 0; r < L; r++) {
                  f.store('v128', i32.add(dst.at, i32.mul(dst.outer, r)), computeVector(ins.map((_, k) => rows[k][r])));
                }
              });
            });
          });
          // The columns past the last multiple of L (every row), then the rows past it.
          rect(0, n0, m1, n1);
          rect(m0, n0, 0, m1);
          f.return();
        });
      }
      tiles(n0, n1, (i0, i1, j0, j1) => rect(i0, i1, j0, j1));
      f.return();
    });
    // Rows: vectors where the destination is contiguous and each input contiguous or broadcast.
    let vectorRows: Expr<'i32'> = i32.eq(dst.inner, b);
    for (const x of ins) vectorRows = i32.and(vectorRows, i32.or(i32.eq(x.inner, b), i32.eqz(x.inner)));
    f.for(i, 0, n0, 1, () => {
      for (const x of operands) f.set(x.at, i32.add(x.base, i32.mul(i, x.outer)));
      f.set(j, 0);
      if (vectorForm)
        f.if(vectorRows, () => {
          // One loop per combination of broadcast inputs (a broadcast input is splatted once per row;
          // loading a vector at its item could reach past the end of the memory).
          for (let mask = 0; mask < 1 << arity; mask++) {
            const broadcast = (k: number) => (mask >> k) & 1;
            let matches: Expr<'i32'> = i32.const(1);
            ins.forEach((x, k) => (matches = i32.and(matches, broadcast(k) ? i32.eqz(x.inner) : i32.ne(x.inner, 0))));
            f.if(matches, () => {
              ins.forEach((x, k) => {
                if (broadcast(k)) f.set(splats[k], lane.splat(x.at));
              });
              f.while(
                () => i32.le_u(i32.add(j, L), n1),
                () => {
                  f.store('v128', dst.at, computeVector(ins.map((x, k) => (broadcast(k) ? splats[k] : v128.load(x.at)))));
                  for (const x of operands) f.set(x.at, i32.add(x.at, i32.mul(x.inner, L)));
                  f.set(j, i32.add(j, L));
                },
              );
            });
          }
        });
      f.while(
        () => i32.lt_u(j, n1),
        () => {
          scalarStep();
          f.set(j, i32.add(j, 1));
        },
      );
    });
  });
}
