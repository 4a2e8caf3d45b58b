/**
 * A small WebAssembly emitter: a module of functions over one imported memory (`env.memory`), written in
 * TypeScript as typed expressions and structured statements, encoded to the binary format at run time.
 * Only what the CPU kernels use: the MVP instructions, sign extension, saturating conversions, bulk
 * memory and 128-bit SIMD — no tables, globals or data segments. There is no toolchain to download, and
 * bytes made here need only `WebAssembly.compile` (a Content-Security-Policy's `wasm-unsafe-eval`), never
 * `eval`.
 *
 * Expressions (`Expr`) are values of a type that write their instructions when used; numbers stand for
 * `i32.const` where an i32 is expected. Statements are written at once by a `FunctionBuilder`, which
 * tracks the open blocks so that branches name their target block, not a depth.
 */

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const TYPE_CODE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** The bytes of a module or function under construction, in a growing Uint8Array. */
class Code {
  #buffer = new Uint8Array(64);
  length = 0;

  /** The bytes written so far. */
  get bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.length);
  }

  push(value: number): void {
    if (this.length === this.#buffer.length) this.#grow(1);
    this.#buffer[this.length++] = value;
  }

  byte(...values: number[]): void {
    this.append(values);
  }

  append(values: ArrayLike<number>): void {
    if (this.length + values.length > this.#buffer.length) this.#grow(values.length);
    this.#buffer.set(values, this.length);
    this.length += values.length;
  }

  #grow(extra: number): void {
    const next = new Uint8Array(Math.max(this.#buffer.length * 2, this.length + extra));
    next.set(this.#buffer.subarray(0, this.length));
    this.#buffer = next;
  }

  /** Unsigned LEB128. */
  u32(value: number): void {
    let v = value >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.push(b);
    } while (v !== 0);
  }
  /** Signed LEB128 of a 32-bit value. */
  s32(value: number): void {
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.push(b);
        return;
      }
      this.push(b | 0x80);
    }
  }
  /** Signed LEB128 of a 64-bit value. */
  s64(value: bigint): void {
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.push(b);
        return;
      }
      this.push(b | 0x80);
    }
  }
  name(text: string): void {
    const utf8 = new TextEncoder().encode(text);
    this.u32(utf8.length);
    this.append(utf8);
  }
  vector(items: readonly ArrayLike<number>[]): void {
    this.u32(items.length);
    for (const item of items) this.append(item);
  }
}

/** A typed value: writes the instructions that leave it on the stack. */
export interface Expr<T extends ValType = ValType> {
  readonly type: T;
  write(code: Code): void;
}

export type I32 = Expr<'i32'> | number;

function asExpr<T extends ValType>(value: Expr<T> | number, type: T): Expr<T> {
  if (typeof value !== 'number') {
    if (value.type !== type) throw new TypeError(`internal error: a ${value.type} where the emitter expects ${type}`);
    return value;
  }
  if (type !== 'i32') throw new TypeError(`internal error: a number where the emitter expects ${type}`);
  return i32.const(value) as Expr<T>;
}

/** An instruction taking `args` (in order) and leaving a `type`. */
function op<T extends ValType>(type: T, opcode: readonly number[], args: readonly Expr[]): Expr<T> {
  return {
    type,
    write(code) {
      for (const a of args) a.write(code);
      code.append(opcode);
    },
  };
}

/** Prefixed opcodes: 0xfc (saturating conversions, bulk memory) and 0xfd (SIMD) take a LEB128 index. */
function prefixed(prefix: number, index: number): number[] {
  const c = new Code();
  c.push(prefix);
  c.u32(index);
  return Array.from(c.bytes);
}

const simd = (index: number) => prefixed(0xfd, index);

/** A memory access: `opcode` then the memarg (alignment hint 0, always valid; offset). */
function memarg(opcode: readonly number[], offset: number): number[] {
  const c = new Code();
  c.append(opcode);
  c.push(0);
  c.u32(offset);
  return Array.from(c.bytes);
}

function load<T extends ValType>(type: T, opcode: readonly number[]) {
  return (address: I32, offset = 0): Expr<T> => op(type, memarg(opcode, offset), [asExpr(address, 'i32')]);
}

type Unary<T extends ValType, R extends ValType = T> = (a: Expr<T>) => Expr<R>;
type Binary<T extends ValType, R extends ValType = T> = (a: Expr<T>, b: Expr<T>) => Expr<R>;

const unary =
  <T extends ValType, R extends ValType>(result: R, opcode: readonly number[]): Unary<T, R> =>
  (a) =>
    op(result, opcode, [a]);
const binary =
  <T extends ValType, R extends ValType>(result: R, opcode: readonly number[]): Binary<T, R> =>
  (a, b) =>
    op(result, opcode, [a, b]);
const i32Binary =
  (opcode: number) =>
  (a: I32, b: I32): Expr<'i32'> =>
    op('i32', [opcode], [asExpr(a, 'i32'), asExpr(b, 'i32')]);

export const i32 = {
  const(value: number): Expr<'i32'> {
    return {
      type: 'i32',
      write(code) {
        code.byte(0x41);
        code.s32(value);
      },
    };
  },
  load: load('i32', [0x28]),
  load8_s: load('i32', [0x2c]),
  load8_u: load('i32', [0x2d]),
  load16_s: load('i32', [0x2e]),
  load16_u: load('i32', [0x2f]),
  eqz: (a: I32) => op('i32', [0x45], [asExpr(a, 'i32')]),
  eq: i32Binary(0x46),
  ne: i32Binary(0x47),
  lt_s: i32Binary(0x48),
  lt_u: i32Binary(0x49),
  gt_s: i32Binary(0x4a),
  gt_u: i32Binary(0x4b),
  le_s: i32Binary(0x4c),
  le_u: i32Binary(0x4d),
  ge_s: i32Binary(0x4e),
  ge_u: i32Binary(0x4f),
  clz: (a: I32) => op('i32', [0x67], [asExpr(a, 'i32')]),
  ctz: (a: I32) => op('i32', [0x68], [asExpr(a, 'i32')]),
  add: i32Binary(0x6a),
  sub: i32Binary(0x6b),
  mul: i32Binary(0x6c),
  div_s: i32Binary(0x6d),
  div_u: i32Binary(0x6e),
  rem_s: i32Binary(0x6f),
  rem_u: i32Binary(0x70),
  and: i32Binary(0x71),
  or: i32Binary(0x72),
  xor: i32Binary(0x73),
  shl: i32Binary(0x74),
  shr_s: i32Binary(0x75),
  shr_u: i32Binary(0x76),
  wrap_i64: unary<'i64', 'i32'>('i32', [0xa7]),
  trunc_sat_f32_s: unary<'f32', 'i32'>('i32', prefixed(0xfc, 0)),
  trunc_sat_f32_u: unary<'f32', 'i32'>('i32', prefixed(0xfc, 1)),
  trunc_sat_f64_s: unary<'f64', 'i32'>('i32', prefixed(0xfc, 2)),
  trunc_sat_f64_u: unary<'f64', 'i32'>('i32', prefixed(0xfc, 3)),
  reinterpret_f32: unary<'f32', 'i32'>('i32', [0xbc]),
  extend8_s: (a: I32) => op('i32', [0xc0], [asExpr(a, 'i32')]),
  extend16_s: (a: I32) => op('i32', [0xc1], [asExpr(a, 'i32')]),
  /** `cond ? a : b` (both evaluated). */
  select: (a: I32, b: I32, cond: I32) => op('i32', [0x1b], [asExpr(a, 'i32'), asExpr(b, 'i32'), asExpr(cond, 'i32')]),
};

export const i64 = {
  const(value: bigint): Expr<'i64'> {
    return {
      type: 'i64',
      write(code) {
        code.byte(0x42);
        code.s64(value);
      },
    };
  },
  load: load('i64', [0x29]),
  load32_u: load('i64', [0x35]),
  eqz: unary<'i64', 'i32'>('i32', [0x50]),
  eq: binary<'i64', 'i32'>('i32', [0x51]),
  ne: binary<'i64', 'i32'>('i32', [0x52]),
  lt_s: binary<'i64', 'i32'>('i32', [0x53]),
  lt_u: binary<'i64', 'i32'>('i32', [0x54]),
  gt_s: binary<'i64', 'i32'>('i32', [0x55]),
  gt_u: binary<'i64', 'i32'>('i32', [0x56]),
  le_u: binary<'i64', 'i32'>('i32', [0x58]),
  ge_s: binary<'i64', 'i32'>('i32', [0x59]),
  add: binary<'i64', 'i64'>('i64', [0x7c]),
  sub: binary<'i64', 'i64'>('i64', [0x7d]),
  mul: binary<'i64', 'i64'>('i64', [0x7e]),
  div_s: binary<'i64', 'i64'>('i64', [0x7f]),
  div_u: binary<'i64', 'i64'>('i64', [0x80]),
  rem_s: binary<'i64', 'i64'>('i64', [0x81]),
  rem_u: binary<'i64', 'i64'>('i64', [0x82]),
  and: binary<'i64', 'i64'>('i64', [0x83]),
  or: binary<'i64', 'i64'>('i64', [0x84]),
  xor: binary<'i64', 'i64'>('i64', [0x85]),
  shl: binary<'i64', 'i64'>('i64', [0x86]),
  shr_s: binary<'i64', 'i64'>('i64', [0x87]),
  shr_u: binary<'i64', 'i64'>('i64', [0x88]),
  extend_i32_s: (a: I32) => op('i64', [0xac], [asExpr(a, 'i32')]),
  extend_i32_u: (a: I32) => op('i64', [0xad], [asExpr(a, 'i32')]),
  trunc_sat_f32_s: unary<'f32', 'i64'>('i64', prefixed(0xfc, 4)),
  trunc_sat_f32_u: unary<'f32', 'i64'>('i64', prefixed(0xfc, 5)),
  trunc_sat_f64_s: unary<'f64', 'i64'>('i64', prefixed(0xfc, 6)),
  trunc_sat_f64_u: unary<'f64', 'i64'>('i64', prefixed(0xfc, 7)),
  reinterpret_f64: unary<'f64', 'i64'>('i64', [0xbd]),
  select: (a: Expr<'i64'>, b: Expr<'i64'>, cond: I32) => op('i64', [0x1b], [a, b, asExpr(cond, 'i32')]),
};

function floats<T extends 'f32' | 'f64'>(type: T, base: number, compareBase: number, loadOp: number) {
  return {
    load: load(type, [loadOp]),
    eq: binary<T, 'i32'>('i32', [compareBase]),
    ne: binary<T, 'i32'>('i32', [compareBase + 1]),
    lt: binary<T, 'i32'>('i32', [compareBase + 2]),
    gt: binary<T, 'i32'>('i32', [compareBase + 3]),
    le: binary<T, 'i32'>('i32', [compareBase + 4]),
    ge: binary<T, 'i32'>('i32', [compareBase + 5]),
    abs: unary<T, T>(type, [base]),
    neg: unary<T, T>(type, [base + 1]),
    ceil: unary<T, T>(type, [base + 2]),
    floor: unary<T, T>(type, [base + 3]),
    trunc: unary<T, T>(type, [base + 4]),
    nearest: unary<T, T>(type, [base + 5]),
    sqrt: unary<T, T>(type, [base + 6]),
    add: binary<T, T>(type, [base + 7]),
    sub: binary<T, T>(type, [base + 8]),
    mul: binary<T, T>(type, [base + 9]),
    div: binary<T, T>(type, [base + 10]),
    min: binary<T, T>(type, [base + 11]),
    max: binary<T, T>(type, [base + 12]),
    select: (a: Expr<T>, b: Expr<T>, cond: I32) => op(type, [0x1b], [a, b, asExpr(cond, 'i32')]),
  };
}

export const f32 = {
  ...floats('f32', 0x8b, 0x5b, 0x2a),
  const(value: number): Expr<'f32'> {
    return {
      type: 'f32',
      write(code) {
        code.push(0x43);
        code.append(new Uint8Array(new Float32Array([value]).buffer));
      },
    };
  },
  convert_i32_s: (a: I32) => op('f32', [0xb2], [asExpr(a, 'i32')]),
  convert_i32_u: (a: I32) => op('f32', [0xb3], [asExpr(a, 'i32')]),
  convert_i64_s: unary<'i64', 'f32'>('f32', [0xb4]),
  convert_i64_u: unary<'i64', 'f32'>('f32', [0xb5]),
  demote_f64: unary<'f64', 'f32'>('f32', [0xb6]),
  reinterpret_i32: (a: I32) => op('f32', [0xbe], [asExpr(a, 'i32')]),
};

export const f64 = {
  ...floats('f64', 0x99, 0x61, 0x2b),
  const(value: number): Expr<'f64'> {
    return {
      type: 'f64',
      write(code) {
        code.push(0x44);
        code.append(new Uint8Array(new Float64Array([value]).buffer));
      },
    };
  },
  convert_i32_s: (a: I32) => op('f64', [0xb7], [asExpr(a, 'i32')]),
  convert_i32_u: (a: I32) => op('f64', [0xb8], [asExpr(a, 'i32')]),
  convert_i64_s: unary<'i64', 'f64'>('f64', [0xb9]),
  convert_i64_u: unary<'i64', 'f64'>('f64', [0xba]),
  promote_f32: unary<'f32', 'f64'>('f64', [0xbb]),
  reinterpret_i64: unary<'i64', 'f64'>('f64', [0xbf]),
};

type V = Expr<'v128'>;
const vUnary = (index: number) => (a: V) => op('v128', simd(index), [a]);
const vBinary = (index: number) => (a: V, b: V) => op('v128', simd(index), [a, b]);
const vShift = (index: number) => (a: V, count: I32) => op('v128', simd(index), [a, asExpr(count, 'i32')]);
const vTest = (index: number) => (a: V) => op('i32', simd(index), [a]);

/** Lane immediates (extract/replace lane, load/store lane) follow the opcode (and memarg). */
function withLane(bytes: readonly number[], lane: number): number[] {
  return [...bytes, lane];
}

export const v128 = {
  load: load('v128', simd(0)),
  load8x8_s: load('v128', simd(1)),
  load8x8_u: load('v128', simd(2)),
  load16x4_s: load('v128', simd(3)),
  load16x4_u: load('v128', simd(4)),
  load32x2_s: load('v128', simd(5)),
  load32x2_u: load('v128', simd(6)),
  load8_splat: load('v128', simd(7)),
  load16_splat: load('v128', simd(8)),
  load32_splat: load('v128', simd(9)),
  load64_splat: load('v128', simd(10)),
  load32_zero: load('v128', simd(92)),
  load64_zero: load('v128', simd(93)),
  /** `vector` with lane `lane` (of `bits` bits) loaded from memory. */
  loadLane: (bits: 8 | 16 | 32 | 64, address: I32, vector: V, lane: number, offset = 0): V =>
    op('v128', withLane(memarg(simd({ 8: 84, 16: 85, 32: 86, 64: 87 }[bits]), offset), lane), [asExpr(address, 'i32'), vector]),
  const(bytes: readonly number[]): V {
    if (bytes.length !== 16) throw new RangeError('internal error: v128.const takes 16 bytes');
    return {
      type: 'v128',
      write(code) {
        code.append(simd(12));
        code.append(bytes);
      },
    };
  },
  not: vUnary(77),
  and: vBinary(78),
  andnot: vBinary(79),
  or: vBinary(80),
  xor: vBinary(81),
  /** Bits of `a` where `mask` is 1, of `b` where it is 0. */
  bitselect: (a: V, b: V, mask: V) => op('v128', simd(82), [a, b, mask]),
  any_true: vTest(83),
};

/** Byte lanes `lanes` (0-15 from `a`, 16-31 from `b`). */
export function shuffle(a: V, b: V, lanes: readonly number[]): V {
  if (lanes.length !== 16 || lanes.some((l) => l < 0 || l > 31))
    throw new RangeError('internal error: i8x16.shuffle takes 16 lanes below 32');
  return op('v128', [...simd(13), ...lanes], [a, b]);
}

/** A shuffle of `width`-byte lanes: lane indices 0..(16/width - 1) from `a`, then from `b`. */
export function shuffleLanes(width: 1 | 2 | 4 | 8, a: V, b: V, lanes: readonly number[]): V {
  const bytes: number[] = [];
  for (const lane of lanes) for (let k = 0; k < width; k++) bytes.push(lane * width + k);
  return shuffle(a, b, bytes);
}

export const i8x16 = {
  splat: (a: I32) => op('v128', simd(15), [asExpr(a, 'i32')]),
  extract_lane_u: (a: V, lane: number) => op('i32', withLane(simd(22), lane), [a]),
  eq: vBinary(35),
  ne: vBinary(36),
  lt_s: vBinary(37),
  lt_u: vBinary(38),
  gt_s: vBinary(39),
  gt_u: vBinary(40),
  le_s: vBinary(41),
  le_u: vBinary(42),
  ge_s: vBinary(43),
  ge_u: vBinary(44),
  add: vBinary(110),
  sub: vBinary(113),
  min_s: vBinary(118),
  min_u: vBinary(119),
  max_s: vBinary(120),
  max_u: vBinary(121),
  abs: vUnary(96),
  neg: vUnary(97),
  narrow_i16x8_s: vBinary(101),
  narrow_i16x8_u: vBinary(102),
  shl: vShift(107),
  shr_s: vShift(108),
  shr_u: vShift(109),
  all_true: vTest(99),
  bitmask: vTest(100),
};

export const i16x8 = {
  splat: (a: I32) => op('v128', simd(16), [asExpr(a, 'i32')]),
  extract_lane_u: (a: V, lane: number) => op('i32', withLane(simd(25), lane), [a]),
  eq: vBinary(45),
  ne: vBinary(46),
  lt_s: vBinary(47),
  lt_u: vBinary(48),
  gt_s: vBinary(49),
  gt_u: vBinary(50),
  le_s: vBinary(51),
  le_u: vBinary(52),
  ge_s: vBinary(53),
  ge_u: vBinary(54),
  abs: vUnary(128),
  neg: vUnary(129),
  narrow_i32x4_s: vBinary(133),
  narrow_i32x4_u: vBinary(134),
  extend_low_i8x16_s: vUnary(135),
  extend_high_i8x16_s: vUnary(136),
  extend_low_i8x16_u: vUnary(137),
  extend_high_i8x16_u: vUnary(138),
  /** Lane k: the sum of byte lanes 2k and 2k + 1, widened. */
  extadd_pairwise_i8x16_s: vUnary(124),
  extadd_pairwise_i8x16_u: vUnary(125),
  shl: vShift(139),
  shr_s: vShift(140),
  shr_u: vShift(141),
  add: vBinary(142),
  sub: vBinary(145),
  mul: vBinary(149),
  min_s: vBinary(150),
  min_u: vBinary(151),
  max_s: vBinary(152),
  max_u: vBinary(153),
};

export const i32x4 = {
  splat: (a: I32) => op('v128', simd(17), [asExpr(a, 'i32')]),
  extract_lane: (a: V, lane: number) => op('i32', withLane(simd(27), lane), [a]),
  replace_lane: (a: V, lane: number, value: I32) => op('v128', withLane(simd(28), lane), [a, asExpr(value, 'i32')]),
  eq: vBinary(55),
  ne: vBinary(56),
  lt_s: vBinary(57),
  lt_u: vBinary(58),
  gt_s: vBinary(59),
  gt_u: vBinary(60),
  le_s: vBinary(61),
  le_u: vBinary(62),
  ge_s: vBinary(63),
  ge_u: vBinary(64),
  abs: vUnary(160),
  neg: vUnary(161),
  extend_low_i16x8_s: vUnary(167),
  extend_high_i16x8_s: vUnary(168),
  extend_low_i16x8_u: vUnary(169),
  extend_high_i16x8_u: vUnary(170),
  /** Lane k: the sum of 16-bit lanes 2k and 2k + 1, widened. */
  extadd_pairwise_i16x8_s: vUnary(126),
  extadd_pairwise_i16x8_u: vUnary(127),
  shl: vShift(171),
  shr_s: vShift(172),
  shr_u: vShift(173),
  add: vBinary(174),
  sub: vBinary(177),
  mul: vBinary(181),
  all_true: vTest(163),
  min_s: vBinary(182),
  min_u: vBinary(183),
  max_s: vBinary(184),
  max_u: vBinary(185),
  trunc_sat_f32x4_s: vUnary(248),
  trunc_sat_f32x4_u: vUnary(249),
  trunc_sat_f64x2_s_zero: vUnary(252),
  trunc_sat_f64x2_u_zero: vUnary(253),
};

export const i64x2 = {
  splat: (a: Expr<'i64'>) => op('v128', simd(18), [a]),
  extract_lane: (a: V, lane: number) => op('i64', withLane(simd(29), lane), [a]),
  extend_low_i32x4_s: vUnary(199),
  extend_high_i32x4_s: vUnary(200),
  extend_low_i32x4_u: vUnary(201),
  extend_high_i32x4_u: vUnary(202),
  add: vBinary(206),
  sub: vBinary(209),
  mul: vBinary(213),
};

export const f32x4 = {
  splat: (a: Expr<'f32'>) => op('v128', simd(19), [a]),
  extract_lane: (a: V, lane: number) => op('f32', withLane(simd(31), lane), [a]),
  replace_lane: (a: V, lane: number, value: Expr<'f32'>) => op('v128', withLane(simd(32), lane), [a, value]),
  eq: vBinary(65),
  ne: vBinary(66),
  lt: vBinary(67),
  gt: vBinary(68),
  le: vBinary(69),
  ge: vBinary(70),
  abs: vUnary(224),
  neg: vUnary(225),
  ceil: vUnary(103),
  floor: vUnary(104),
  trunc: vUnary(105),
  nearest: vUnary(106),
  sqrt: vUnary(227),
  add: vBinary(228),
  sub: vBinary(229),
  mul: vBinary(230),
  div: vBinary(231),
  min: vBinary(232),
  max: vBinary(233),
  pmin: vBinary(234),
  pmax: vBinary(235),
  demote_f64x2_zero: vUnary(94),
  convert_i32x4_s: vUnary(250),
  convert_i32x4_u: vUnary(251),
};

export const f64x2 = {
  splat: (a: Expr<'f64'>) => op('v128', simd(20), [a]),
  extract_lane: (a: V, lane: number) => op('f64', withLane(simd(33), lane), [a]),
  replace_lane: (a: V, lane: number, value: Expr<'f64'>) => op('v128', withLane(simd(34), lane), [a, value]),
  eq: vBinary(71),
  ne: vBinary(72),
  lt: vBinary(73),
  gt: vBinary(74),
  le: vBinary(75),
  ge: vBinary(76),
  abs: vUnary(236),
  neg: vUnary(237),
  ceil: vUnary(116),
  floor: vUnary(117),
  trunc: vUnary(122),
  nearest: vUnary(148),
  sqrt: vUnary(239),
  add: vBinary(240),
  sub: vBinary(241),
  mul: vBinary(242),
  div: vBinary(243),
  min: vBinary(244),
  max: vBinary(245),
  pmin: vBinary(246),
  pmax: vBinary(247),
  promote_low_f32x4: vUnary(95),
  convert_low_i32x4_s: vUnary(254),
  convert_low_i32x4_u: vUnary(255),
};

/** A function's local (or parameter): read it as an expression. */
export class Local<T extends ValType = ValType> implements Expr<T> {
  constructor(
    readonly index: number,
    readonly type: T,
  ) {}
  write(code: Code): void {
    code.byte(0x20);
    code.u32(this.index);
  }
}

/** A block, loop or if: the target of branches inside it. */
export interface Label {
  readonly id: number;
}

/** A function of the module, callable from later functions. */
export interface FunctionRef {
  readonly index: number;
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

const STORE: Record<string, number[]> = {
  i32: [0x36],
  i64: [0x37],
  f32: [0x38],
  f64: [0x39],
  i32_8: [0x3a],
  i32_16: [0x3b],
  i64_32: [0x3e],
  v128: simd(11),
};

export class FunctionBuilder {
  readonly code = new Code();
  readonly #locals: ValType[] = [];
  readonly #params: number;
  readonly #open: Label[] = [];
  #nextLabel = 0;

  constructor(params: readonly ValType[]) {
    this.#params = params.length;
    this.#locals = [...params];
  }

  /** Parameter `k`. */
  param<T extends ValType>(k: number, type: T): Local<T> {
    if (k >= this.#params || this.#locals[k] !== type) throw new TypeError(`internal error: parameter ${k} is not a ${type}`);
    return new Local(k, type);
  }

  /** A new local, zero at entry. */
  local<T extends ValType>(type: T): Local<T> {
    this.#locals.push(type);
    return new Local(this.#locals.length - 1, type);
  }

  /** The locals beyond the parameters, for the function body's header. */
  declaredLocals(): ValType[] {
    return this.#locals.slice(this.#params);
  }

  set<T extends ValType>(local: Local<T>, value: Expr<T> | number): void {
    asExpr(value, local.type).write(this.code);
    this.code.byte(0x21);
    this.code.u32(local.index);
  }

  /** Stores `value` at `address + offset`: `kind` names the store ('i32_8' and 'i32_16' narrow). */
  store(kind: keyof typeof STORE, address: I32, value: Expr | number, offset = 0): void {
    asExpr(address, 'i32').write(this.code);
    const type: ValType = kind.startsWith('i32') ? 'i32' : kind.startsWith('i64') ? 'i64' : (kind as ValType);
    asExpr(value, type).write(this.code);
    this.code.append(memarg(STORE[kind], offset));
  }

  /** Stores lane `lane` (of `bits` bits) of `vector` at `address + offset`. */
  storeLane(bits: 8 | 16 | 32 | 64, address: I32, vector: Expr<'v128'>, lane: number, offset = 0): void {
    asExpr(address, 'i32').write(this.code);
    vector.write(this.code);
    this.code.append(withLane(memarg(simd({ 8: 88, 16: 89, 32: 90, 64: 91 }[bits]), offset), lane));
  }

  /** `memory.copy`: `length` bytes from `source` to `target` (overlapping ranges as memmove). */
  memoryCopy(target: I32, source: I32, length: I32): void {
    for (const e of [target, source, length]) asExpr(e, 'i32').write(this.code);
    this.code.append(prefixed(0xfc, 10));
    this.code.byte(0, 0);
  }

  /** `memory.fill`: `length` bytes at `target` set to the low byte of `value`. */
  memoryFill(target: I32, value: I32, length: I32): void {
    for (const e of [target, value, length]) asExpr(e, 'i32').write(this.code);
    this.code.append(prefixed(0xfc, 11));
    this.code.push(0);
  }

  /** Evaluates `value` and discards it. */
  drop(value: Expr): void {
    value.write(this.code);
    this.code.byte(0x1a);
  }

  /** Calls `fn` for its effects (results dropped). */
  call(fn: FunctionRef, ...args: (Expr | number)[]): void {
    const e = call(fn, ...args);
    e.write(this.code);
    for (let k = 0; k < fn.results.length; k++) this.code.byte(0x1a);
  }

  block(body: (label: Label) => void): void {
    this.#structured(0x02, body);
  }

  loop(body: (label: Label) => void): void {
    this.#structured(0x03, body);
  }

  if(condition: I32, then: () => void, otherwise?: () => void): void {
    asExpr(condition, 'i32').write(this.code);
    const label = this.#openLabel(0x04);
    then();
    if (otherwise) {
      this.code.byte(0x05);
      otherwise();
    }
    this.#close(label);
  }

  /** Branches to `label` (the end of a block or if, the start of a loop). */
  br(label: Label): void {
    this.code.byte(0x0c);
    this.code.u32(this.#depth(label));
  }

  brIf(label: Label, condition: I32): void {
    asExpr(condition, 'i32').write(this.code);
    this.code.byte(0x0d);
    this.code.u32(this.#depth(label));
  }

  return(value?: Expr): void {
    value?.write(this.code);
    this.code.byte(0x0f);
  }

  /** `while (condition) body`; `body` gets the labels that break out of the loop and continue it. */
  while(condition: () => I32, body: (exit: Label, next: Label) => void): void {
    this.block((exit) => {
      this.loop((next) => {
        this.brIf(exit, i32.eqz(condition()));
        body(exit, next);
        this.br(next);
      });
    });
  }

  /** `for (i = from; i < to (unsigned); i += step) body`. */
  for(i: Local<'i32'>, from: I32, to: I32, step: I32, body: (exit: Label) => void): void {
    this.set(i, from);
    this.while(
      () => i32.lt_u(i, to),
      (exit) => {
        body(exit);
        this.set(i, i32.add(i, step));
      },
    );
  }

  #structured(opcode: number, body: (label: Label) => void): void {
    const label = this.#openLabel(opcode);
    body(label);
    this.#close(label);
  }

  #openLabel(opcode: number): Label {
    this.code.byte(opcode, 0x40); // no block results
    const label = { id: this.#nextLabel++ };
    this.#open.push(label);
    return label;
  }

  #close(label: Label): void {
    if (this.#open.pop() !== label) throw new Error('internal error: blocks closed out of order');
    this.code.byte(0x0b);
  }

  #depth(label: Label): number {
    const at = this.#open.lastIndexOf(label);
    if (at < 0) throw new Error('internal error: a branch to a block that is not open');
    return this.#open.length - 1 - at;
  }
}

/** A call as an expression (of the function's single result). */
export function call(fn: FunctionRef, ...args: (Expr | number)[]): Expr {
  if (args.length !== fn.params.length) throw new TypeError(`internal error: function ${fn.index} takes ${fn.params.length} arguments`);
  const typed = args.map((a, k) => asExpr(a, fn.params[k]));
  return {
    type: fn.results[0] ?? 'i32',
    write(code) {
      for (const a of typed) a.write(code);
      code.byte(0x10);
      code.u32(fn.index);
    },
  };
}

/** A typed call expression: `callAs('f64', fn, ...)`. */
export function callAs<T extends ValType>(type: T, fn: FunctionRef, ...args: (Expr | number)[]): Expr<T> {
  if (fn.results[0] !== type) throw new TypeError(`internal error: function ${fn.index} does not return ${type}`);
  return call(fn, ...args) as Expr<T>;
}

interface DefinedFunction extends FunctionRef {
  readonly name: string | null;
  body: FunctionBuilder | null;
}

export class ModuleBuilder {
  readonly #functions: DefinedFunction[] = [];

  /**
   * Declares a function (exported as `name`, unless null) and writes its body with `body(f, params)`;
   * returns a reference that later functions call. `declare` + `define` split the two for recursion.
   */
  func(
    name: string | null,
    params: readonly ValType[],
    results: readonly ValType[],
    body: (f: FunctionBuilder, self: FunctionRef) => void,
  ): FunctionRef {
    const fn = this.declare(name, params, results);
    this.define(fn, (f) => body(f, fn));
    return fn;
  }

  declare(name: string | null, params: readonly ValType[], results: readonly ValType[]): FunctionRef {
    const fn: DefinedFunction = { index: this.#functions.length, name, params, results, body: null };
    this.#functions.push(fn);
    return fn;
  }

  define(ref: FunctionRef, body: (f: FunctionBuilder) => void): void {
    const fn = this.#functions[ref.index];
    if (fn.body) throw new Error(`internal error: function ${fn.name ?? fn.index} defined twice`);
    const builder = new FunctionBuilder(fn.params);
    body(builder);
    fn.body = builder;
  }

  /** The module's bytes. */
  encode(): Uint8Array<ArrayBuffer> {
    const out = new Code();
    out.byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
    const types: string[] = [];
    const typeIndex = this.#functions.map((fn) => {
      const key = `${fn.params.join(',')}->${fn.results.join(',')}`;
      let at = types.indexOf(key);
      if (at < 0) at = types.push(key) - 1;
      return at;
    });
    const signatures = types.map((key) => {
      const [params, results] = key.split('->').map((s) => (s ? (s.split(',') as ValType[]) : []));
      const c = new Code();
      c.push(0x60);
      c.vector(params.map((t) => [TYPE_CODE[t]]));
      c.vector(results.map((t) => [TYPE_CODE[t]]));
      return Array.from(c.bytes);
    });
    section(out, 1, (c) => c.vector(signatures));
    section(out, 2, (c) => {
      c.u32(1);
      c.name('env');
      c.name('memory');
      c.byte(0x02, 0x00); // a memory, limits: a minimum only
      c.u32(1);
    });
    section(out, 3, (c) => {
      c.u32(typeIndex.length);
      for (const t of typeIndex) c.u32(t);
    });
    const exported = this.#functions.filter((fn) => fn.name !== null);
    section(out, 7, (c) => {
      c.u32(exported.length);
      for (const fn of exported) {
        c.name(fn.name as string);
        c.byte(0x00);
        c.u32(fn.index);
      }
    });
    section(out, 10, (c) => {
      c.u32(this.#functions.length);
      for (const fn of this.#functions) {
        if (!fn.body) throw new Error(`internal error: function ${fn.name ?? fn.index} declared, never defined`);
        const body = new Code();
        const locals = fn.body.declaredLocals();
        // Runs of equal types, as the format groups them.
        const groups: [number, ValType][] = [];
        for (const t of locals) {
          const last = groups[groups.length - 1];
          if (last && last[1] === t) last[0]++;
          else groups.push([1, t]);
        }
        body.u32(groups.length);
        for (const [count, t] of groups) {
          body.u32(count);
          body.byte(TYPE_CODE[t]);
        }
        body.append(fn.body.code.bytes);
        body.push(0x0b);
        c.u32(body.length);
        c.append(body.bytes);
      }
    });
    return out.bytes.slice();
  }
}

function section(out: Code, id: number, content: (c: Code) => void): void {
  const c = new Code();
  content(c);
  out.push(id);
  out.u32(c.length);
  out.append(c.bytes);
}
