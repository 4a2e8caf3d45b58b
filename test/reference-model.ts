/**
 * An independent, deliberately naive model of NumPy's views, copies and assignment, used as the oracle of
 * test/property.test.ts (in the spirit of tinygrad's shadow-arange tests). It shares no code with ndgpu.
 *
 * An array is a flat JS `data` list shared by reference between views (the "store", one entry per item,
 * holding its bits), a dtype, a shape, and an `index` function that maps an in-range coordinate tuple to
 * a position in `data`. Views compose index functions; values are only ever computed through them,
 * element by element, in the most literal way (slices enumerate Python's `range`, reshape enumerates
 * C/F order, assignment reads every source value before writing any). Next to that, the model predicts
 * NumPy's strides and offset (in items) from the rules of shared/spec/numpy-views.md, and
 * `layoutMismatch` checks the two descriptions against each other on every in-range element.
 *
 * Strides the model cannot predict simply are `null`: only length-1 axes that a non-contiguous reshape
 * (or expand_dims) produced, whose strides NumPy derives from its no-copy algorithm.
 */

export type RefDType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'float16' | 'int32' | 'uint32' | 'float32' | 'float64';

export const ITEMSIZE: Record<RefDType, number> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  float16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  float64: 8,
};

export const INT_RANGE: Partial<Record<RefDType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

export function isFloat(dtype: RefDType): boolean {
  return dtype.startsWith('float');
}

/** Round to nearest, ties to even, into IEEE binary16 (overflow → ±inf). Written from the definition. */
export function roundFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a >= 65520) return sign * Infinity; // 65520 = max (65504) + half an ulp (16): ties go to even = inf
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  const ulp = 2 ** (Math.max(e, -14) - 10);
  const q = a / ulp;
  const low = Math.floor(q);
  const rest = q - low;
  const n = rest > 0.5 ? low + 1 : rest < 0.5 ? low : low % 2 === 0 ? low : low + 1;
  return sign * n * ulp;
}

function roundTo(dtype: RefDType, x: number): number {
  if (dtype === 'float32') return Math.fround(x);
  if (dtype === 'float16') return roundFloat16(x);
  return x;
}

/** A JS number written into `dtype` by NumPy's Python-scalar rules (spec §5.3): floats truncate into
 * integers, NaN/inf/out of range raise; floats round to nearest. */
export function pyScalar(v: number, dtype: RefDType): number {
  const range = INT_RANGE[dtype];
  if (!range) return roundTo(dtype, v);
  if (Number.isNaN(v)) throw new RefError('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(v)) throw new RefError('OverflowError', 'cannot convert float infinity to integer');
  const t = Math.trunc(v) + 0;
  if (t < range[0] || t > range[1]) throw new RefError('OverflowError', `Python integer ${t} out of bounds for ${dtype}`);
  return t;
}

/** An array item cast between dtypes (ndgpu's defined unsafe cast): integers wrap modulo 2^bits,
 * floats truncate into integers and saturate (NaN → 0), anything into a float rounds to nearest. */
export function castItem(v: number, from: RefDType, to: RefDType): number {
  if (from === to) return v;
  const range = INT_RANGE[to];
  if (!range) return roundTo(to, v);
  if (isFloat(from)) {
    if (Number.isNaN(v)) return 0;
    return Math.min(Math.max(Math.trunc(v), range[0]), range[1]) + 0;
  }
  const modulus = range[1] - range[0] + 1;
  let w = (((v - range[0]) % modulus) + modulus) % modulus;
  w += range[0];
  return w;
}

export interface RefSlice {
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number | null;
}
export type RefItem = number | RefSlice | null | '...';

export type RefErrorKind = 'IndexError' | 'ValueError' | 'TypeError' | 'OverflowError';

/** What the model expects ndgpu to throw (ndgpu's AxisError counts as a ValueError). */
export class RefError extends Error {
  constructor(
    readonly kind: RefErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RefError';
  }
}

/**
 * The shared memory: one entry per item of the owner's dtype, holding the item's bit pattern as an
 * unsigned integer (float64 items, which no other dtype of this size can view, hold the number itself).
 * Keeping bits makes `view(dtype)` between dtypes of one item size a plain reinterpretation.
 */
export interface RefStore {
  readonly data: number[];
}

const scratch = new DataView(new ArrayBuffer(8));

/** IEEE binary16 bits of a value that float16 represents exactly (NaN → the canonical 0x7e00). */
function float16Bits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | (a / 2 ** -24); // subnormal (or zero)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  return sign | ((e + 15) << 10) | ((a / 2 ** e - 1) * 1024);
}

function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 31;
  const m = bits & 1023;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** The bits a value of `dtype` is stored as (NaN as the canonical quiet NaN). */
export function encode(v: number, dtype: RefDType): number {
  switch (dtype) {
    case 'int8':
    case 'uint8':
      return ((v % 256) + 256) % 256;
    case 'int16':
    case 'uint16':
      return ((v % 65536) + 65536) % 65536;
    case 'int32':
    case 'uint32':
      return ((v % 4294967296) + 4294967296) % 4294967296;
    case 'float16':
      return float16Bits(v);
    case 'float32':
      if (Number.isNaN(v)) return 0x7fc00000;
      scratch.setFloat32(0, v);
      return scratch.getUint32(0);
    case 'float64':
      return v;
  }
}

/** The value of stored bits read as `dtype`. */
export function decode(bits: number, dtype: RefDType): number {
  switch (dtype) {
    case 'int8':
      return bits >= 128 ? bits - 256 : bits;
    case 'int16':
      return bits >= 32768 ? bits - 65536 : bits;
    case 'int32':
      return bits >= 2147483648 ? bits - 4294967296 : bits;
    case 'float16':
      return float16Value(bits);
    case 'float32':
      scratch.setUint32(0, bits);
      return scratch.getFloat32(0);
    default:
      return bits;
  }
}

/** The value of the element at in-range coordinates `c`. */
export function read(a: RefArray, c: readonly number[]): number {
  return decode(a.store.data[a.index(c)], a.dtype);
}

export interface RefArray {
  readonly store: RefStore;
  readonly dtype: RefDType;
  readonly shape: readonly number[];
  /** Position in `store.data` of the element at in-range coordinates `c`. */
  readonly index: (c: readonly number[]) => number;
  /** NumPy's strides, in items; `null` where the model does not predict them (length-1 axes only). */
  readonly strides: readonly (number | null)[];
  /** NumPy's offset (data pointer minus the owner's), in items. */
  readonly offset: number;
  /** The array that owns the store, or null for an owner. */
  readonly owner: RefArray | null;
  /** Mutable, as NumPy's `flags.writeable` (see `refSetWriteable`). */
  writeable: boolean;
}

// ------------------------------------------------------------------------------------------------
// Small helpers

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, n) => p * n, 1);
}

/** Every in-range coordinate tuple of `shape`, in C order (last axis fastest). */
export function allCoords(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  const n = shape.length;
  if (sizeOf(shape) === 0) return out;
  const c = new Array<number>(n).fill(0);
  for (;;) {
    out.push([...c]);
    let k = n - 1;
    while (k >= 0) {
      c[k]++;
      if (c[k] < shape[k]) break;
      c[k] = 0;
      k--;
    }
    if (k < 0) return out;
  }
}

/** Coordinates in F order (first axis fastest). */
function allCoordsF(shape: readonly number[]): number[][] {
  const reversed = [...shape].reverse();
  return allCoords(reversed).map((c) => c.reverse());
}

function coordsInOrder(shape: readonly number[], order: 'C' | 'F'): number[][] {
  return order === 'C' ? allCoords(shape) : allCoordsF(shape);
}

/** Element values in C order. */
export function valuesC(a: RefArray): number[] {
  return allCoords(a.shape).map((c) => read(a, c));
}

/** Element bits in C order: what a same-dtype copy moves (NaN payloads included). */
function bitsC(a: RefArray): number[] {
  return allCoords(a.shape).map((c) => a.store.data[a.index(c)]);
}

/** Nested lists, as `tolist()`: the element itself for a 0-d array. */
export function toNested(a: RefArray): unknown {
  const build = (prefix: number[]): unknown => {
    if (prefix.length === a.shape.length) return read(a, prefix);
    const out: unknown[] = [];
    for (let i = 0; i < a.shape[prefix.length]; i++) out.push(build([...prefix, i]));
    return out;
  };
  return build([]);
}

/** Contiguous strides in items (a length-0 axis counts as 1, as NumPy's). */
function contiguous(shape: readonly number[], order: 'C' | 'F'): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  let step = 1;
  const axes = shape.map((_, k) => k);
  if (order === 'C') axes.reverse();
  for (const k of axes) {
    strides[k] = step;
    step *= shape[k] === 0 ? 1 : shape[k];
  }
  return strides;
}

/** NumPy's C/F_CONTIGUOUS flags from the predicted strides (spec §1.4). */
export function flagsOf(a: RefArray): { c: boolean; f: boolean } {
  const check = (axes: number[]): boolean => {
    if (a.shape.some((n) => n === 0)) return true;
    let expect = 1;
    for (const k of axes) {
      if (a.shape[k] === 1) continue;
      if (a.strides[k] !== expect) return false;
      expect *= a.shape[k];
    }
    return true;
  };
  const axes = a.shape.map((_, k) => k);
  return { c: check([...axes].reverse()), f: check(axes) };
}

function normAxis(axis: number, ndim: number): number {
  const k = axis < 0 ? axis + ndim : axis;
  if (!(k >= 0 && k < ndim)) throw new RefError('ValueError', `axis ${axis} is out of bounds for array of dimension ${ndim}`);
  return k;
}

/**
 * Checks the predicted layout against the index function on every in-range element: the element at `c`
 * must sit at `offset + Σ c_k·strides_k`. Returns a description of the first disagreement, or null.
 */
export function layoutMismatch(a: RefArray): string | null {
  for (const c of allCoords(a.shape)) {
    let expected = a.offset;
    for (let k = 0; k < c.length; k++) {
      const s = a.strides[k];
      if (s === null) {
        if (a.shape[k] !== 1) return `axis ${k} of length ${a.shape[k]} has no predicted stride`;
        continue;
      }
      expected += c[k] * s;
    }
    const actual = a.index(c);
    if (actual !== expected) return `element [${c}] is at ${actual}, the predicted layout says ${expected}`;
  }
  return null;
}

// ------------------------------------------------------------------------------------------------
// Owners (new memory)

/** A new owner holding the item `bits` (C order of `shape`), laid out with `strides` (items). */
export function refOwner(dtype: RefDType, shape: readonly number[], bits: readonly number[], strides: readonly number[]): RefArray {
  const size = sizeOf(shape);
  if (bits.length !== size) throw new Error('refOwner: wrong number of items');
  const place = (c: readonly number[]) => c.reduce((p, ck, k) => p + ck * strides[k], 0);
  const data = new Array<number>(size).fill(NaN);
  allCoords(shape).forEach((c, i) => {
    data[place(c)] = bits[i];
  });
  return { store: { data }, dtype, shape: [...shape], index: place, strides: [...strides], offset: 0, owner: null, writeable: true };
}

/** Strides of newly allocated memory: contiguous in `order`, all zero for a size-0 array (spec §1.5). */
export function freshStrides(shape: readonly number[], order: 'C' | 'F'): number[] {
  return sizeOf(shape) === 0 ? shape.map(() => 0) : contiguous(shape, order);
}

/** `np.arange(size).reshape(shape)`-like owner in C order (values 0, 1, 2, ...). */
export function refArangeOwner(dtype: RefDType, shape: readonly number[]): RefArray {
  const size = sizeOf(shape);
  return refOwner(
    dtype,
    shape,
    [...Array(size).keys()].map((v) => encode(v, dtype)),
    freshStrides(shape, 'C'),
  );
}

// ------------------------------------------------------------------------------------------------
// Views

function view(
  a: RefArray,
  shape: readonly number[],
  strides: readonly (number | null)[],
  offset: number,
  index: (c: readonly number[]) => number,
  writeable = a.writeable,
): RefArray {
  return { store: a.store, dtype: a.dtype, shape: [...shape], index, strides: [...strides], offset, owner: a.owner ?? a, writeable };
}

/** Python's `range(*slice(start, stop, step).indices(n))`, enumerated literally. */
export function sliceRange(s: RefSlice, n: number): number[] {
  const step = s.step ?? 1;
  if (step === 0) throw new RefError('ValueError', 'slice step cannot be zero');
  const lower = step > 0 ? 0 : -1;
  const upper = step > 0 ? n : n - 1;
  const bound = (x: number | null, dflt: number): number => {
    if (x === null) return dflt;
    if (x < 0) return Math.max(x + n, lower);
    return Math.min(x, upper);
  };
  const start = bound(s.start, step > 0 ? lower : upper);
  const stop = bound(s.stop, step > 0 ? upper : lower);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** Basic indexing (spec §2): the view, and whether NumPy would take the element path. */
export function refGet(a: RefArray, items: readonly RefItem[]): { view: RefArray; isElement: boolean } {
  const ndim = a.shape.length;
  const used = items.filter((x) => x !== null && x !== '...').length;
  const ellipses = items.filter((x) => x === '...').length;
  if (ellipses > 1) throw new RefError('IndexError', "an index can only have a single ellipsis ('...')");
  if (used > ndim) throw new RefError('IndexError', `too many indices for array: array is ${ndim}-dimensional, but ${used} were indexed`);
  const isElement = ellipses === 0 && items.length === ndim && items.every((x) => typeof x === 'number');

  type Expanded = number | RefSlice | null | 'all';
  const expanded: Expanded[] = [];
  for (const item of items) {
    if (item === '...') for (let i = 0; i < ndim - used; i++) expanded.push('all');
    else expanded.push(item);
  }
  if (ellipses === 0) for (let i = 0; i < ndim - used; i++) expanded.push('all');

  // For every source axis: a fixed coordinate, or [output axis, list of source coordinates].
  const fixed = new Array<number>(ndim).fill(0);
  const fromOut: { out: number; positions: number[] | null }[] = [];
  const shape: number[] = [];
  const strides: (number | null)[] = [];
  let offset = a.offset;
  let k = 0;
  for (const item of expanded) {
    if (item === null) {
      shape.push(1);
      strides.push(0);
    } else if (item === 'all') {
      fromOut[k] = { out: shape.length, positions: null };
      shape.push(a.shape[k]);
      strides.push(a.strides[k]);
      k++;
    } else if (typeof item === 'number') {
      const n = a.shape[k];
      const j = item < 0 ? item + n : item;
      if (!(j >= 0 && j < n)) throw new RefError('IndexError', `index ${item} is out of bounds for axis ${k} with size ${n}`);
      fixed[k] = j;
      const s = a.strides[k];
      if (s !== null) offset += j * s;
      k++;
    } else {
      const positions = sliceRange(item, a.shape[k]);
      // NumPy's layout of the slice: start and step, except that an empty slice is (0, 1).
      const start = positions.length === 0 ? 0 : positions[0];
      const step = positions.length === 0 ? 1 : (item.step ?? 1);
      const s = a.strides[k];
      fromOut[k] = { out: shape.length, positions };
      shape.push(positions.length);
      strides.push(s === null ? null : s * step);
      if (s !== null) offset += start * s;
      k++;
    }
  }
  const index = (c: readonly number[]) => {
    const src = [...fixed];
    fromOut.forEach((m, axis) => {
      src[axis] = m.positions === null ? c[m.out] : m.positions[c[m.out]];
    });
    return a.index(src);
  };
  return { view: view(a, shape, strides, offset, index), isElement };
}

/** `transpose(perm)`: result axis o is source axis perm[o]. */
export function refPermute(a: RefArray, perm: readonly number[]): RefArray {
  const index = (c: readonly number[]) => {
    const src = new Array<number>(a.shape.length);
    perm.forEach((p, o) => {
      src[p] = c[o];
    });
    return a.index(src);
  };
  return view(
    a,
    perm.map((p) => a.shape[p]),
    perm.map((p) => a.strides[p]),
    a.offset,
    index,
  );
}

/** `flip(axes)`: reverses each listed axis (= `[::-1]` on it). */
export function refFlip(a: RefArray, axes: readonly number[]): RefArray {
  const set = new Set(axes);
  const strides = [...a.strides];
  let offset = a.offset;
  for (const k of set) {
    const n = a.shape[k];
    if (n === 0) continue; // the slice rule: an empty ::-1 is 0:0:1
    const s = strides[k];
    if (s !== null) {
      offset += (n - 1) * s;
      strides[k] = -s;
    }
  }
  const index = (c: readonly number[]) => a.index(c.map((ck, k) => (set.has(k) ? a.shape[k] - 1 - ck : ck)));
  return view(a, a.shape, strides, offset, index);
}

/** `squeeze(axes)`: removes the listed length-1 axes. */
export function refSqueeze(a: RefArray, axes: readonly number[]): RefArray {
  const drop = new Set(axes);
  for (const k of drop)
    if (a.shape[k] !== 1) throw new RefError('ValueError', 'cannot select an axis to squeeze out which has size not equal to one');
  const keep = a.shape.map((_, k) => k).filter((k) => !drop.has(k));
  const index = (c: readonly number[]) => {
    const src = new Array<number>(a.shape.length).fill(0);
    keep.forEach((k, o) => {
      src[k] = c[o];
    });
    return a.index(src);
  };
  return view(
    a,
    keep.map((k) => a.shape[k]),
    keep.map((k) => a.strides[k]),
    a.offset,
    index,
  );
}

/** `np.broadcast_to(a, shape)`: read-only; new and length-1 source axes get stride 0. */
export function refBroadcastTo(a: RefArray, shape: readonly number[]): RefArray {
  const lead = shape.length - a.shape.length;
  if (lead < 0) throw new RefError('ValueError', 'input operand has more dimensions than allowed by the axis remapping');
  const strides: (number | null)[] = shape.map(() => 0);
  for (let k = 0; k < a.shape.length; k++) {
    if (a.shape[k] === 1) continue;
    if (a.shape[k] !== shape[lead + k]) throw new RefError('ValueError', 'operands could not be broadcast together');
    strides[lead + k] = a.strides[k];
  }
  const index = (c: readonly number[]) => a.index(a.shape.map((n, k) => (n === 1 ? 0 : c[lead + k])));
  return view(a, shape, strides, a.offset, index, false);
}

/** Position of coordinate `c` of `shape` when enumerated in `order`. */
function flatIndex(c: readonly number[], shape: readonly number[], order: 'C' | 'F'): number {
  let flat = 0;
  if (order === 'C') for (let k = 0; k < shape.length; k++) flat = flat * shape[k] + c[k];
  else for (let k = shape.length - 1; k >= 0; k--) flat = flat * shape[k] + c[k];
  return flat;
}

function unflatIndex(flat: number, shape: readonly number[], order: 'C' | 'F'): number[] {
  const c = new Array<number>(shape.length).fill(0);
  const axes = shape.map((_, k) => k);
  if (order === 'C') axes.reverse();
  for (const k of axes) {
    c[k] = flat % shape[k];
    flat = Math.floor(flat / shape[k]);
  }
  return c;
}

/**
 * `reshape(newShape, order)` (spec §4.1; `order` already resolved from 'A'; `requestHadUnknown`: the
 * request spelled a -1, which NumPy resolves only after its same-shape check). The values are defined by
 * enumeration: element i (in `order`) of the result is element i (in `order`) of the source. A view when
 * the shape is unchanged, when the source is contiguous in `order` (or empty), or when that enumeration
 * is an affine (strided) map — which is what NumPy's no-copy algorithm decides; otherwise a copy.
 */
export function refReshape(
  a: RefArray,
  newShape: readonly number[],
  order: 'C' | 'F',
  requestHadUnknown = false,
): { result: RefArray; isView: boolean } {
  if (sizeOf(newShape) !== sizeOf(a.shape)) throw new RefError('ValueError', 'cannot reshape');
  const enumerate = (c: readonly number[]) => a.index(unflatIndex(flatIndex(c, newShape, order), a.shape, order));
  // NumPy's quick "same shape" check compares the requested dims, before -1 is resolved.
  const same = !requestHadUnknown && newShape.length === a.shape.length && newShape.every((n, k) => n === a.shape[k]);
  if (same) return { result: view(a, a.shape, a.strides, a.offset, a.index), isView: true };
  const flags = flagsOf(a);
  if (sizeOf(a.shape) === 0 || (order === 'C' ? flags.c : flags.f)) {
    return { result: view(a, newShape, contiguous(newShape, order), a.offset, enumerate), isView: true };
  }
  // Strided iff the enumeration is affine: derive the strides of the axes longer than 1, then verify.
  const zero = newShape.map(() => 0);
  const origin = enumerate(zero);
  const strides = newShape.map((n, k) => {
    if (n === 1) return null;
    const e = [...zero];
    e[k] = 1;
    return enumerate(e) - origin;
  });
  if (origin !== a.offset) throw new Error('model: the first element of a non-empty array must sit at its offset');
  const candidate = view(a, newShape, strides, a.offset, enumerate);
  if (layoutMismatch(candidate) === null) return { result: candidate, isView: true };
  const bits = coordsInOrder(newShape, 'C').map((c) => a.store.data[enumerate(c)]);
  return { result: refOwner(a.dtype, newShape, bits, freshStrides(newShape, order)), isView: false };
}

/** `expand_dims(a, axes)`: NumPy implements it as a reshape (so its strides follow §4.1). */
export function refExpandDims(a: RefArray, axes: readonly number[]): RefArray {
  const outNdim = a.shape.length + axes.length;
  const positions = axes.map((x) => normAxis(x, outNdim));
  if (new Set(positions).size !== positions.length) throw new RefError('ValueError', 'repeated axis');
  const shape: number[] = [];
  let src = 0;
  for (let k = 0; k < outNdim; k++) shape.push(positions.includes(k) ? 1 : a.shape[src++]);
  const { result, isView } = refReshape(a, shape, 'C');
  if (!isView) throw new Error('model: expand_dims must always be a view');
  return result;
}

// ------------------------------------------------------------------------------------------------
// Copies

export type RefCopyOrder = 'C' | 'F' | 'A' | 'K';

/** `copy(order)`: new owner; strides per spec §1.5 and NumPy's order rules ('K' keeps memory order). */
export function refCopy(a: RefArray, order: RefCopyOrder): RefArray {
  const values = bitsC(a);
  const shape = a.shape;
  const flags = flagsOf(a);
  let strides: (number | null)[];
  if (sizeOf(shape) === 0) strides = shape.map(() => 0);
  else if (order === 'C') strides = contiguous(shape, 'C');
  else if (order === 'F') strides = contiguous(shape, 'F');
  else if (order === 'A') strides = contiguous(shape, flags.f && !flags.c ? 'F' : 'C');
  else if (shape.length <= 1 || flags.c) strides = contiguous(shape, 'C');
  else if (flags.f) strides = contiguous(shape, 'F');
  else {
    // Axes sorted by |stride| descending, ties: lower axis outermost; innermost gets stride 1.
    // Axes with unpredicted strides have length 1 and do not change the others' strides.
    const known = shape.map((_, k) => k).filter((k) => a.strides[k] !== null);
    known.sort((x, y) => Math.abs(a.strides[y]!) - Math.abs(a.strides[x]!) || x - y);
    strides = shape.map(() => null);
    let step = 1;
    for (let t = known.length - 1; t >= 0; t--) {
      strides[known[t]] = step;
      step *= shape[known[t]];
    }
  }
  if (strides.every((s) => s !== null)) return refOwner(a.dtype, shape, values, strides as number[]);
  // Place the values with the known strides (the unknown ones belong to length-1 axes).
  const owner = refOwner(
    a.dtype,
    shape,
    values,
    strides.map((s) => s ?? 0),
  );
  return { ...owner, strides };
}

/** `astype(dtype)`: a copy in the source's memory order ('K'), every item cast (`np.array(a, { dtype })`
 * is the same in order 'C'). */
export function refAstype(a: RefArray, dtype: RefDType, order: 'C' | 'K' = 'K'): RefArray {
  const copy = refCopy(a, order);
  if (dtype === a.dtype) return copy; // bits move unchanged
  const data = copy.store.data.map((bits) => encode(castItem(decode(bits, a.dtype), a.dtype, dtype), dtype));
  return { ...copy, dtype, store: { data } };
}

/** `view(dtype)` for a dtype of the same item size: the same elements' bits, read as `dtype`. */
export function refView(a: RefArray, dtype: RefDType = a.dtype): RefArray {
  if (ITEMSIZE[dtype] !== ITEMSIZE[a.dtype]) throw new Error('model: view(dtype) is modelled for one item size only');
  return { ...view(a, a.shape, a.strides, a.offset, a.index), dtype };
}

/**
 * The axes in memory order (spec §4.3 'K'): axes walked backwards are reversed, then sorted by |stride|
 * descending, ties keeping the lower axis outermost. Returns the permuted, forward-walking view.
 */
function memoryOrderView(a: RefArray): RefArray {
  const negative = a.shape.map((_, k) => k).filter((k) => (a.strides[k] ?? 0) < 0);
  const forward = refFlip(a, negative);
  const perm = forward.shape.map((_, k) => k);
  perm.sort((x, y) => Math.abs(forward.strides[y] ?? 0) - Math.abs(forward.strides[x] ?? 0) || x - y);
  return refPermute(forward, perm);
}

/**
 * The axis order in which NumPy's nditer walks one operand for order 'K' without negating strides
 * (`flatten('K')`, spec §6 "K never reverses"): starting from C order, a stable insertion sort by |stride|
 * where any comparison with a zero stride is ambiguous and skipped (nditer gives length-1 axes stride 0).
 */
function iterationOrderView(a: RefArray): RefArray {
  const n = a.shape.length;
  const stride = (k: number) => (a.shape[k] === 1 ? 0 : a.strides[k]!);
  const innerFirst = a.shape.map((_, k) => n - 1 - k);
  for (let i = 1; i < n; i++) {
    const axis = innerFirst[i];
    let to = i;
    for (let j = i - 1; j >= 0; j--) {
      const mine = stride(axis);
      const theirs = stride(innerFirst[j]);
      if (mine === 0 || theirs === 0) continue;
      if (Math.abs(theirs) <= Math.abs(mine)) break;
      to = j;
    }
    innerFirst.splice(i, 1);
    innerFirst.splice(to, 0, axis);
  }
  return refPermute(a, innerFirst.reverse());
}

/** `flatten('K')`: the elements in nditer's 'K' order (never reversed), as a new 1-D owner. */
export function refFlattenK(a: RefArray): RefArray {
  const values = bitsC(iterationOrderView(a));
  return refOwner(a.dtype, [values.length], values, values.length === 0 ? [0] : [1]);
}

/** `ravel('K')`: a view when C- or F-contiguous, or when memory order is one contiguous forward run;
 * else `flatten('K')`. */
export function refRavelK(a: RefArray): { result: RefArray; isView: boolean } {
  const flags = flagsOf(a);
  if (flags.c) return refRavel(a, 'C');
  if (flags.f) return refRavel(a, 'F');
  // Non-unit axes sorted by |stride| descending must be exactly 1, n, n·m, ... items (all positive).
  const axes = a.shape.map((_, k) => k).filter((k) => a.shape[k] !== 1);
  axes.sort((x, y) => Math.abs(a.strides[y]!) - Math.abs(a.strides[x]!) || x - y);
  let expect = 1;
  let ok = true;
  for (let t = axes.length - 1; t >= 0; t--) {
    if (a.strides[axes[t]] !== expect) ok = false;
    expect *= a.shape[axes[t]];
  }
  if (!ok) return { result: refFlattenK(a), isView: false };
  const inOrder = memoryOrderView(a);
  const coords = allCoords(inOrder.shape);
  const index = (c: readonly number[]) => inOrder.index(coords[c[0]]);
  return { result: view(a, [coords.length], [1], a.offset, index), isView: true };
}

/** Store positions of the elements of `a`. */
function positions(a: RefArray): number[] {
  return allCoords(a.shape).map((c) => a.index(c));
}

/** `np.shares_memory`: a common element (same store, same item size here). */
export function refSharesMemory(a: RefArray, b: RefArray): boolean {
  if (a.store !== b.store) return false;
  const mine = new Set(positions(a));
  return positions(b).some((p) => mine.has(p));
}

/** `np.may_share_memory`: the [first, last] element ranges intersect (empty arrays share nothing). */
export function refMaySharesMemory(a: RefArray, b: RefArray): boolean {
  if (a.store !== b.store) return false;
  const pa = positions(a);
  const pb = positions(b);
  if (pa.length === 0 || pb.length === 0) return false;
  return Math.min(...pa) <= Math.max(...pb) && Math.min(...pb) <= Math.max(...pa);
}

/** `flatten(order)`: a 1-D copy ('A' is F-order only for F-but-not-C sources). */
export function refFlatten(a: RefArray, order: 'C' | 'F' | 'A'): RefArray {
  const flags = flagsOf(a);
  const o = order === 'A' ? (flags.f && !flags.c ? 'F' : 'C') : order;
  const values = coordsInOrder(a.shape, o).map((c) => a.store.data[a.index(c)]);
  const size = values.length;
  return refOwner(a.dtype, [size], values, size === 0 ? [0] : [1]);
}

/** `ravel(order)` for 'C', 'F', 'A': a view when contiguous in that order, else `flatten`. */
export function refRavel(a: RefArray, order: 'C' | 'F' | 'A'): { result: RefArray; isView: boolean } {
  const flags = flagsOf(a);
  const size = sizeOf(a.shape);
  let o: 'C' | 'F' | null;
  if (order === 'C') o = flags.c ? 'C' : null;
  else if (order === 'F') o = flags.f ? 'F' : null;
  else o = flags.f && !flags.c ? 'F' : flags.c ? 'C' : null;
  if (o === null) return { result: refFlatten(a, order === 'F' ? 'F' : 'C'), isView: false };
  // NumPy's ravel is reshape(-1): the request has an unknown dimension, so no same-shape shortcut.
  const { result, isView } = refReshape(a, [size], o, true);
  if (!isView) throw new Error('model: a contiguous ravel must be a view');
  return { result, isView };
}

/** `a.flags.writeable = value` (spec §1.3): clearing is always allowed; setting needs the array to own its
 * memory or its owner (the collapsed base) to be writeable. */
export function refSetWriteable(a: RefArray, value: boolean): void {
  if (value && !a.writeable && a.owner !== null && !a.owner.writeable) {
    throw new RefError('ValueError', 'cannot set WRITEABLE flag to True of this array');
  }
  a.writeable = value;
}

/** Whether two in-range elements of `a` are the same memory (a broadcast axis, say). */
export function selfOverlaps(a: RefArray): boolean {
  const seen = new Set<number>();
  for (const c of allCoords(a.shape)) {
    const p = a.index(c);
    if (seen.has(p)) return true;
    seen.add(p);
  }
  return false;
}

// ------------------------------------------------------------------------------------------------
// Assignment

export type RefValue =
  | { kind: 'scalar'; value: number }
  | { kind: 'nested'; shape: readonly number[]; values: readonly number[] }
  | { kind: 'array'; array: RefArray };

function broadcastsInto(src: readonly number[], dst: readonly number[]): boolean {
  if (src.length > dst.length) return false;
  const lead = dst.length - src.length;
  return src.every((n, k) => n === 1 || n === dst[lead + k]);
}

/**
 * `a[items] = value`. All source values are read before anything is written ("as if the source were
 * copied first"), so overlapping assignments need no special care here.
 */
export function refSet(a: RefArray, items: readonly RefItem[], value: RefValue): void {
  const { view: target, isElement } = refGet(a, items);
  if (!a.writeable) throw new RefError('ValueError', 'assignment destination is read-only');
  const coords = allCoords(target.shape);
  let values: number[]; // item bits to write
  if (value.kind === 'scalar') {
    const v = encode(pyScalar(value.value, a.dtype), a.dtype);
    values = coords.map(() => v);
  } else if (value.kind === 'nested') {
    if (isElement)
      throw new RefError(a.dtype.startsWith('float') ? 'ValueError' : 'TypeError', 'setting an array element with a sequence.');
    if (value.shape.length > target.shape.length) throw new RefError('ValueError', 'setting an array element with a sequence.');
    value.values.forEach((v) => pyScalar(v, a.dtype)); // conversion errors come before shape errors
    if (!broadcastsInto(value.shape, target.shape)) throw new RefError('ValueError', 'could not broadcast input array');
    const lead = target.shape.length - value.shape.length;
    values = coords.map((c) => {
      const vc = value.shape.map((n, k) => (n === 1 ? 0 : c[lead + k]));
      return value.values[flatIndex(vc, value.shape, 'C')];
    });
    values = values.map((v) => encode(pyScalar(v, a.dtype), a.dtype));
  } else {
    const src = value.array;
    if (isElement && src.shape.length > 0) throw new RefError('ValueError', 'setting an array element with a sequence.');
    // NumPy strips leading length-1 axes of a value with more dimensions than the target.
    let lead = 0;
    while (src.shape.length - lead > target.shape.length && src.shape[lead] === 1) lead++;
    const srcShape = src.shape.slice(lead);
    if (!broadcastsInto(srcShape, target.shape)) throw new RefError('ValueError', 'could not broadcast input array');
    const off = target.shape.length - srcShape.length;
    values = coords.map((c) => {
      const sc = [...new Array<number>(lead).fill(0), ...srcShape.map((n, k) => (n === 1 ? 0 : c[off + k]))];
      // Same dtype: the bits move unchanged; else a cast of the value.
      if (src.dtype === a.dtype) return src.store.data[src.index(sc)];
      return encode(castItem(read(src, sc), src.dtype, a.dtype), a.dtype);
    });
  }
  // Write only after every source value was read.
  coords.forEach((c, i) => {
    target.store.data[target.index(c)] = values[i];
  });
}

// ------------------------------------------------------------------------------------------------
// ----- joining, splitting, rearranging: the view routines (NumPy's Python, step by step) -----

/** `normalize_axis_tuple`: every axis in range (a ValueError, as ndgpu's AxisError is one), no repeats
 * unless allowed. */
function normAxes(axes: readonly number[], ndim: number, allowDuplicates = false): number[] {
  const out = axes.map((x) => normAxis(x, ndim));
  if (!allowDuplicates && new Set(out).size !== out.length) throw new RefError('ValueError', 'repeated axis');
  return out;
}

/**
 * `np.split` / `np.array_split(a, sectionsOrIndices, axis)`: `a.shape[axis]` first (a bad axis is
 * Python's IndexError), then every piece is the slice `bounds[k]:bounds[k + 1]` of the axis (Python's
 * clipping rules), taken with `refGet`.
 */
export function refSplit(
  a: RefArray,
  sectionsOrIndices: number | readonly number[],
  axis: number,
  kind: 'split' | 'array_split',
): RefArray[] {
  const ndim = a.shape.length;
  if (axis < -ndim || axis >= ndim) throw new RefError('IndexError', 'tuple index out of range');
  const k = axis < 0 ? axis + ndim : axis;
  const n = a.shape[k];
  let bounds: number[];
  if (typeof sectionsOrIndices === 'number') {
    const sections = sectionsOrIndices;
    if (kind === 'split' && sections !== 0 && n % sections !== 0) {
      throw new RefError('ValueError', 'array split does not result in an equal division');
    }
    if (sections <= 0) throw new RefError('ValueError', 'number sections must be larger than 0.');
    const each = Math.floor(n / sections);
    const extras = n % sections;
    bounds = [0];
    for (let i = 0; i < sections; i++) bounds.push(bounds[i] + each + (i < extras ? 1 : 0));
  } else {
    bounds = [0, ...sectionsOrIndices, n];
  }
  const pieces: RefArray[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const items: RefItem[] = a.shape.map(() => ({ start: null, stop: null, step: null }));
    items[k] = { start: bounds[i], stop: bounds[i + 1], step: null };
    pieces.push(refGet(a, items).view);
  }
  return pieces;
}

/** `np.moveaxis`: `order = [n for n in range(ndim) if n not in source]`, then each (dest, src) pair of
 * `sorted(zip(destination, source))` inserted. */
export function refMoveaxis(a: RefArray, source: readonly number[], destination: readonly number[]): RefArray {
  const ndim = a.shape.length;
  const src = normAxes(source, ndim);
  const dst = normAxes(destination, ndim);
  if (src.length !== dst.length) {
    throw new RefError('ValueError', '`source` and `destination` arguments must have the same number of elements');
  }
  const order = [...Array(ndim).keys()].filter((x) => !src.includes(x));
  const pairs = dst.map((d, i) => [d, src[i]]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  for (const [d, s] of pairs) order.splice(d, 0, s);
  return refPermute(a, order);
}

/** `np.rollaxis(a, axis, start)`: `a[...]` when the axis stays, else a transpose. */
export function refRollaxis(a: RefArray, axis: number, start: number): RefArray {
  const n = a.shape.length;
  const k = normAxis(axis, n);
  let s = start < 0 ? start + n : start;
  if (!(s >= 0 && s < n + 1)) throw new RefError('ValueError', `'start' arg requires ${-n} <= start < ${n + 1}, but ${s} was passed in`);
  if (k < s) s -= 1;
  if (k === s) return refGet(a, ['...']).view;
  const axes = [...Array(n).keys()].filter((x) => x !== k);
  axes.splice(s, 0, k);
  return refPermute(a, axes);
}

/**
 * `a.diagonal(offset, axis1, axis2)`, read-only: element i of the diagonal is `a[..., i + max(0, -offset)
 * on axis1, i + max(0, offset) on axis2, ...]`. Null when NumPy's offset (moved by `offset` strides of an
 * axis even when the diagonal is exactly empty) needs a stride the model does not know.
 */
export function refDiagonal(a: RefArray, offset: number, axis1: number, axis2: number): RefArray | null {
  const ndim = a.shape.length;
  if (ndim < 2) throw new RefError('ValueError', 'diag requires an array of at least two dimensions');
  const p = normAxis(axis1, ndim);
  const q = normAxis(axis2, ndim);
  if (p === q) throw new RefError('ValueError', 'axis1 and axis2 cannot be the same');
  const rowStart = offset < 0 ? -offset : 0;
  const colStart = offset > 0 ? offset : 0;
  const length = Math.max(0, Math.min(a.shape[p] - rowStart, a.shape[q] - colStart));
  const rest = a.shape.map((_, k) => k).filter((k) => k !== p && k !== q);
  const index = (c: readonly number[]) => {
    const src = new Array<number>(ndim).fill(0);
    rest.forEach((k, o) => (src[k] = c[o]));
    src[p] = c[c.length - 1] + rowStart;
    src[q] = c[c.length - 1] + colStart;
    return a.index(src);
  };
  // The data pointer moves unless the offset lies beyond the array (a negative length).
  const beyond = Math.min(a.shape[p] - rowStart, a.shape[q] - colStart) < 0;
  let start = a.offset;
  if (!beyond && offset !== 0) {
    const s = offset > 0 ? a.strides[q] : a.strides[p];
    if (s === null) return null;
    start += Math.abs(offset) * s;
  }
  const sp = a.strides[p];
  const sq = a.strides[q];
  const diagonalStride = sp === null || sq === null ? null : sp + sq;
  if (diagonalStride === null && length > 1) return null;
  return view(a, [...rest.map((k) => a.shape[k]), length], [...rest.map((k) => a.strides[k]), diagonalStride], start, index, false);
}

/** `np.rot90(m, k, axes)`: k = 1 is `transpose(flip(m, axes[1]), swapped)`, 2 flips both axes, 3 is
 * `flip(transpose(m, swapped), axes[1])`, 0 is `m[:]`. */
export function refRot90(a: RefArray, k: number, axes: readonly [number, number]): RefArray {
  const ndim = a.shape.length;
  const [x, y] = axes;
  if (x === y || Math.abs(x - y) === ndim) throw new RefError('ValueError', 'Axes must be different.');
  if (x >= ndim || x < -ndim || y >= ndim || y < -ndim) {
    throw new RefError('ValueError', `Axes=(${x}, ${y}) out of range for array of ndim=${ndim}.`);
  }
  const p = (x + ndim) % ndim;
  const q = (y + ndim) % ndim;
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return refGet(a, [{ start: null, stop: null, step: null }]).view;
  if (turns === 2) return refFlip(refFlip(a, [p]), [q]);
  const perm = [...Array(ndim).keys()];
  [perm[p], perm[q]] = [perm[q], perm[p]];
  if (turns === 1) return refPermute(refFlip(a, [q]), perm);
  return refFlip(refPermute(a, perm), [q]);
}

/** `np.fliplr` / `np.flipud`: `m[:, ::-1]` / `m[::-1, ...]`. */
export function refFlipSide(a: RefArray, which: 'lr' | 'ud'): RefArray {
  if (which === 'lr' && a.shape.length < 2) throw new RefError('ValueError', 'Input must be >= 2-d.');
  if (which === 'ud' && a.shape.length < 1) throw new RefError('ValueError', 'Input must be >= 1-d.');
  return refFlip(a, [which === 'lr' ? 1 : 0]);
}

/** `sliding_window_view(a, window, axis)`, read-only: element (i..., w...) is `a` at i with every windowed
 * axis advanced by its window index. */
export function refSlidingWindow(a: RefArray, window: readonly number[], axis: readonly number[] | null): RefArray {
  const ndim = a.shape.length;
  if (window.some((w) => w < 0)) throw new RefError('ValueError', '`window_shape` cannot contain negative values');
  let axes: number[];
  if (axis === null) {
    axes = [...Array(ndim).keys()];
    if (window.length !== ndim) throw new RefError('ValueError', 'Since axis is `None`, must provide window_shape for all dimensions');
  } else {
    axes = normAxes(axis, ndim, true);
    if (window.length !== axes.length) throw new RefError('ValueError', 'Must provide matching length window_shape and axis');
  }
  const trimmed = [...a.shape];
  axes.forEach((x, k) => {
    if (trimmed[x] < window[k]) throw new RefError('ValueError', 'window shape cannot be larger than input array shape');
    trimmed[x] -= window[k] - 1;
  });
  const index = (c: readonly number[]) => {
    const src = c.slice(0, ndim);
    axes.forEach((x, k) => (src[x] += c[ndim + k]));
    return a.index(src);
  };
  return view(a, [...trimmed, ...window], [...a.strides, ...axes.map((x) => a.strides[x])], a.offset, index, false);
}

/** `np.atleast_1d/2d/3d`: 0-d reshaped to ones, 1-D `a[None, :]` / `a[None, :, None]`, 2-D `a[:, :, None]`;
 * `a` itself when it has enough axes. */
export function refAtLeast(a: RefArray, n: 1 | 2 | 3): RefArray {
  const ndim = a.shape.length;
  if (ndim >= n) return a;
  const all = { start: null, stop: null, step: null };
  if (ndim === 0) return refReshape(a, new Array<number>(n).fill(1), 'C').result;
  if (ndim === 1) return refGet(a, n === 2 ? [null, all] : [null, all, null]).view;
  return refGet(a, [all, all, null]).view;
}

/** `np.broadcast_arrays`: the common shape; arrays of that shape themselves, the others broadcast
 * (read-only in ndgpu, as broadcast_to). */
export function refBroadcastArrays(arrays: readonly RefArray[]): RefArray[] {
  const ndim = Math.max(0, ...arrays.map((x) => x.shape.length));
  const shape = new Array<number>(ndim).fill(1);
  for (const x of arrays) {
    x.shape.forEach((len, k) => {
      const at = ndim - x.shape.length + k;
      if (len === 1) return;
      if (shape[at] !== 1 && shape[at] !== len)
        throw new RefError('ValueError', 'shape mismatch: objects cannot be broadcast to a single shape.');
      shape[at] = len;
    });
  }
  return arrays.map((x) => (x.shape.length === ndim && x.shape.every((len, k) => len === shape[k]) ? x : refBroadcastTo(x, shape)));
}

// Advanced indexing (integer and boolean index arrays), from NumPy's documented rules ("Integer array
// indexing", "Boolean array indexing", "Combining advanced and basic indexing"), as literal loops:
// boolean arrays become their nonzero() index arrays; every index array (and, when arrays are present,
// every integer) broadcasts into B; B goes where the advanced items are when they are adjacent in the
// index, else first; a get copies element by element into a new owner, a set reads every value and then
// writes in C order of the indexed shape (so a repeated element keeps the last value written).

/** An index array: its shape and values (integers, or booleans for a mask). */
export interface RefIndexArray {
  readonly kind: 'ints' | 'bools';
  readonly shape: readonly number[];
  readonly values: readonly (number | boolean)[];
}
export type RefAdvancedItem = RefItem | RefIndexArray;

export function isIndexArray(item: RefAdvancedItem): item is RefIndexArray {
  return item !== null && typeof item === 'object' && 'kind' in item;
}

/** For each result coordinate, the source coordinates it reads (or writes). */
interface AdvancedMapping {
  readonly shape: number[];
  readonly source: (c: readonly number[]) => number[];
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length).fill(0);
  for (let k = shape.length - 1; k >= 0; k--) {
    c[k] = flat % shape[k];
    flat = Math.floor(flat / shape[k]);
  }
  return c;
}

function broadcastAll(shapes: readonly (readonly number[])[]): number[] | null {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let k = 0; k < s.length; k++) {
      const at = ndim - s.length + k;
      if (out[at] === 1) out[at] = s[k];
      else if (s[k] !== 1 && s[k] !== out[at]) return null;
    }
  }
  return out;
}

function advancedMapping(a: RefArray, items: readonly RefAdvancedItem[]): AdvancedMapping {
  const ndim = a.shape.length;
  const arrays = items.filter(isIndexArray);
  const consumedBy = (item: RefAdvancedItem) =>
    isIndexArray(item) ? (item.kind === 'bools' ? item.shape.length : 1) : item === null || item === '...' ? 0 : 1;
  const used = items.reduce<number>((n, item) => n + consumedBy(item), 0);
  if (items.filter((x) => x === '...').length > 1) throw new RefError('IndexError', "an index can only have a single ellipsis ('...')");
  if (used > ndim) throw new RefError('IndexError', `too many indices for array: array is ${ndim}-dimensional, but ${used} were indexed`);
  // Expand the ellipsis, and turn boolean arrays into their nonzero() integer arrays.
  type Part =
    | { kind: 'basic'; item: RefItem; axis: number }
    | { kind: 'array'; shape: readonly number[]; values: number[]; axis: number; position: number };
  const parts: Part[] = [];
  let axis = 0;
  items.forEach((item, position) => {
    if (item === '...') {
      for (let k = 0; k < ndim - used; k++) parts.push({ kind: 'basic', item: { start: null, stop: null, step: null }, axis: axis++ });
    } else if (isIndexArray(item) && item.kind === 'bools') {
      const shape = a.shape.slice(axis, axis + item.shape.length);
      item.shape.forEach((n, k) => {
        if (n !== shape[k]) {
          throw new RefError(
            'IndexError',
            `boolean index did not match indexed array along axis ${axis + k}; size of axis is ${shape[k]} but size of corresponding boolean axis is ${n}`,
          );
        }
      });
      const trues = item.values.flatMap((v, i) => (v ? [unravel(i, item.shape)] : []));
      item.shape.forEach((_, k) =>
        parts.push({ kind: 'array', shape: [trues.length], values: trues.map((c) => c[k]), axis: axis++, position }),
      );
    } else if (isIndexArray(item)) {
      const n = a.shape[axis];
      for (const v of item.values as number[]) {
        if (!(v >= -n && v < n)) throw new RefError('IndexError', `index ${v} is out of bounds for axis ${axis} with size ${n}`);
      }
      parts.push({
        kind: 'array',
        shape: item.shape,
        values: (item.values as number[]).map((v) => (v < 0 ? v + n : v)),
        axis: axis++,
        position,
      });
    } else if (item === null) {
      parts.push({ kind: 'basic', item, axis: -1 });
    } else if (typeof item === 'number' && arrays.length > 0) {
      const n = a.shape[axis];
      if (!(item >= -n && item < n)) throw new RefError('IndexError', `index ${item} is out of bounds for axis ${axis} with size ${n}`);
      parts.push({ kind: 'array', shape: [], values: [item < 0 ? item + n : item], axis: axis++, position });
    } else {
      parts.push({ kind: 'basic', item, axis: axis++ });
    }
  });
  for (; axis < ndim; axis++) parts.push({ kind: 'basic', item: { start: null, stop: null, step: null }, axis });
  const advanced = parts.filter((p): p is Extract<Part, { kind: 'array' }> => p.kind === 'array');
  const b = broadcastAll(advanced.map((p) => p.shape));
  if (!b) {
    const shapes = advanced
      .filter((p) => p.shape.length > 0)
      .map((p) => (p.shape.length === 1 ? `(${p.shape[0]},)` : `(${p.shape.join(',')})`));
    throw new RefError('IndexError', `shape mismatch: indexing arrays could not be broadcast together with shapes ${shapes.join(' ')} `);
  }
  // Adjacent: the advanced items take consecutive places in the index as written.
  const positions = [...new Set(advanced.map((p) => p.position))].sort((x, y) => x - y);
  const adjacent = positions.length > 0 && positions[positions.length - 1] - positions[0] + 1 === positions.length;
  // The result's axes: basic parts in order, B at the first advanced part (adjacent) or first.
  type Axis = { kind: 'basic'; part: Extract<Part, { kind: 'basic' }>; positions: number[] | null } | { kind: 'b'; k: number };
  const axes: Axis[] = [];
  let placed = false;
  const placeB = () => {
    if (!placed) b.forEach((_, k) => axes.push({ kind: 'b', k }));
    placed = true;
  };
  if (!adjacent) placeB();
  for (const p of parts) {
    if (p.kind === 'array') {
      placeB();
      continue;
    }
    if (p.item === null) axes.push({ kind: 'basic', part: p, positions: [0] });
    else if (typeof p.item === 'number') {
      const n = a.shape[p.axis];
      if (!(p.item >= -n && p.item < n))
        throw new RefError('IndexError', `index ${p.item} is out of bounds for axis ${p.axis} with size ${n}`);
    } else axes.push({ kind: 'basic', part: p, positions: sliceRange(p.item as RefSlice, a.shape[p.axis]) });
  }
  placeB();
  const shape = axes.map((x) => (x.kind === 'b' ? b[x.k] : (x.positions as number[]).length));
  const valueAt = (p: Extract<Part, { kind: 'array' }>, bc: readonly number[]) => {
    const lead = b.length - p.shape.length;
    const own = p.shape.map((n, k) => (n === 1 ? 0 : bc[lead + k]));
    let flat = 0;
    own.forEach((x, k) => (flat = flat * p.shape[k] + x));
    return p.values[flat];
  };
  const source = (c: readonly number[]) => {
    const src = new Array<number>(ndim).fill(0);
    const bc = axes.flatMap((x, k) => (x.kind === 'b' ? [c[k]] : []));
    axes.forEach((x, k) => {
      if (x.kind === 'basic' && x.part.axis >= 0) src[x.part.axis] = (x.positions as number[])[c[k]];
    });
    for (const p of parts) {
      if (p.kind === 'array') src[p.axis] = valueAt(p, bc);
      else if (typeof p.item === 'number') src[p.axis] = p.item < 0 ? p.item + a.shape[p.axis] : p.item;
    }
    return src;
  };
  return { shape, source };
}

/** `a[items]` with index arrays: a new owner holding a copy of the selected elements. */
export function refGetAdvanced(a: RefArray, items: readonly RefAdvancedItem[]): RefArray {
  const m = advancedMapping(a, items);
  const bits = allCoords(m.shape).map((c) => a.store.data[a.index(m.source(c))]);
  return refOwner(a.dtype, m.shape, bits, freshStrides(m.shape, 'C'));
}

/** `a[items] = value` with index arrays: every value read first, then written in C order. */
export function refSetAdvanced(a: RefArray, items: readonly RefAdvancedItem[], value: RefValue): void {
  // NumPy checks the destination before the index.
  if (!a.writeable) throw new RefError('ValueError', 'assignment destination is read-only');
  const m = advancedMapping(a, items);
  const coords = allCoords(m.shape);
  // NumPy's own path for one boolean array as deep as the array: a 0-d or 1-d value of size 1 or count.
  const single =
    items.length === 1 &&
    isIndexArray(items[0]) &&
    items[0].kind === 'bools' &&
    items[0].shape.length === a.shape.length &&
    a.shape.length > 0;
  let values: number[];
  if (value.kind === 'scalar') {
    const v = encode(pyScalar(value.value, a.dtype), a.dtype);
    values = coords.map(() => v);
  } else {
    const isArray = value.kind === 'array';
    const vshape0 = isArray ? value.array.shape : value.shape;
    if (single && vshape0.length > 1)
      throw new RefError('TypeError', 'NumPy boolean array indexing assignment requires a 0 or 1-dimensional input');
    if (!isArray) value.values.forEach((v) => pyScalar(v, a.dtype));
    let lead = 0;
    while (vshape0.length - lead > m.shape.length && vshape0[lead] === 1) lead++;
    const vshape = vshape0.slice(lead);
    if (!broadcastsInto(vshape, m.shape))
      throw new RefError('ValueError', 'shape mismatch: value array could not be broadcast to indexing result');
    const off = m.shape.length - vshape.length;
    values = coords.map((c) => {
      const vc = vshape.map((n, k) => (n === 1 ? 0 : c[off + k]));
      if (!isArray) return encode(pyScalar(value.values[flatIndex(vc, vshape, 'C')], a.dtype), a.dtype);
      const src = value.array;
      const sc = [...new Array<number>(lead).fill(0), ...vc];
      if (src.dtype === a.dtype) return src.store.data[src.index(sc)];
      return encode(castItem(read(src, sc), src.dtype, a.dtype), a.dtype);
    });
  }
  coords.forEach((c, i) => {
    a.store.data[a.index(m.source(c))] = values[i];
  });
}
