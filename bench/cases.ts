/**
 * The benchmark cases: their geometry, the bytes each moves (counted for GB/s) and their ndgpu
 * implementation. Peers implement the same case ids in bench/peers/; bench/numpy_bench.py mirrors the
 * geometry, the small-set schedule and the compute cases' inputs below.
 *
 * Four groups: "copy" (cases 1-9: copies and slice assignment; 2-8 make the strided geometric mean),
 * "compute" (cases 10-12: an elementwise add of transposed views and sums; 16-17: the exact sum and mean
 * of a uint8 image; reported on their own, and checked against a CPU computation before they are timed,
 * in ndgpu and in every peer) and "joining" (cases 13-15: concatenate, pad and roll, copies into views of
 * a new array; reported on their own).
 */

import type { Context, NDArray } from '../src/index.js';

export const CASE_IDS = [
  'copy',
  'transpose2d',
  'permute3d',
  'colslice',
  'step2',
  'reverse',
  'bcastrow',
  'fillstrided',
  'setrow',
  'smallsets',
  'addtrans',
  'sumaxis0',
  'sumaxis1',
  'sumall',
  // ----- joining, splitting, rearranging -----
  ...(['concat0', 'concat1', 'pad', 'roll'] as const),
  // ----- numerics (issue #18): exact integer reductions -----
  'sumuint8',
  'meanuint8',
  // ----- advanced indexing (cases 18-21) -----
  'gather',
  'scatter',
  'maskget',
  'cumsum',
  // ----- products (cases 22-25) -----
  'mm256',
  'mm1024',
  'mm2048',
  'mm4096',
  'mmtrans',
  'mmbatch',
  'matvec',
  // ----- float sums with many short outputs (case 26) -----
  'sumrows2',
  'sumcols2',
  // ----- integer division (case 27) -----
  ...(['floordiv', 'remainder'] as const),
] as const;
export type CaseId = (typeof CASE_IDS)[number];

export function isCaseId(value: string): value is CaseId {
  return (CASE_IDS as readonly string[]).includes(value);
}

export type CaseGroup = 'copy' | 'compute' | 'joining' | 'indexing' | 'product' | 'division';

export const COMPUTE_IDS = [
  'addtrans',
  'sumaxis0',
  'sumaxis1',
  'sumall',
  'sumuint8',
  'meanuint8',
  // ----- float sums with many short outputs (case 26) -----
  'sumrows2',
  'sumcols2',
] as const satisfies readonly CaseId[];
export type ComputeId = (typeof COMPUTE_IDS)[number];

export function isComputeCase(id: CaseId): id is ComputeId {
  return (COMPUTE_IDS as readonly string[]).includes(id);
}

export const ITEMSIZE = 4; // float32 throughout

/** Sizes derived from the element count n (a power of 4: 2^24 full, 2^20 quick). */
export interface Geometry {
  n: number;
  /** sqrt(n): the 2-D cases are (side, side). */
  side: number;
  /** A 3-D shape of n elements, as cubic as powers of two allow: (256,256,256) for 2^24. */
  cube: [number, number, number];
}

export function geometry(n: number): Geometry {
  const k = Math.log2(n);
  if (!Number.isInteger(k) || k % 2 !== 0 || k < 8) throw new RangeError(`n must be an even power of two >= 2^8, got ${n}`);
  const a = Math.floor(k / 3);
  const b = Math.floor((k - a) / 2);
  const c = k - a - b;
  return { n, side: 2 ** (k / 2), cube: [2 ** a, 2 ** b, 2 ** c] };
}

// ------------------------------------------------------------------------------------------------
// Case 9: many small sets on a (64, 64) array, then one sync.

export const SMALL = { side: 64, sets: 2000, span: 32 } as const;

/** Least warm-up and timed repetitions of a per-call case (each repetition takes milliseconds). */
export const PER_CALL_COUNTS = { warmup: 20, reps: 21 } as const;

/** Set i of case 9: even i write the scalar i into a[row, col0:col0+32] (contiguous); odd i copy the
 * strided row src[srcRow, ::2] (32 elements) into the column segment a[row0:row0+32, col]. */
export type SmallSet =
  { kind: 'scalar'; row: number; col0: number; value: number } | { kind: 'view'; row0: number; col: number; srcRow: number };

export function smallSet(i: number): SmallSet {
  if (i % 2 === 0) return { kind: 'scalar', row: i % SMALL.side, col0: (i * 7) % (SMALL.side - SMALL.span), value: i };
  return { kind: 'view', row0: (i * 5) % (SMALL.side - SMALL.span), col: i % SMALL.side, srcRow: (i * 3) % SMALL.side };
}

/** Bytes read + written by all of case 9's sets (a scalar set writes 32 items; a view set reads and
 * writes 32). */
export function smallSetBytes(): number {
  let bytes = 0;
  for (let i = 0; i < SMALL.sets; i++) bytes += (smallSet(i).kind === 'scalar' ? 1 : 2) * SMALL.span * ITEMSIZE;
  return bytes;
}

// ------------------------------------------------------------------------------------------------

export interface CaseDef {
  id: CaseId;
  /** Case number in the brief (1-12). */
  number: string;
  group: CaseGroup;
  label(g: Geometry): string;
  /** Cases 2-8: a strided read or write (the geometric mean of their ratios is the headline). */
  strided: boolean;
  /** Bytes read + bytes written: elements x itemsize x 2 for copies (broadcast sources count the
   * elements moved), elements x itemsize for a scalar fill; for compute cases the inputs read plus the
   * output written. */
  bytes(g: Geometry): number;
  /** Bytes the baseline copies (reading and writing them; its GB/s counts both). Default bytes / 2, so
   * that it moves the case's bytes; compute cases: the bytes the case reads. */
  baselineCopyBytes?(g: Geometry): number;
  /** Per-call cases (a few ms per repetition, thousands of calls): every implementation gets at least
   * PER_CALL_COUNTS, so that JIT-compiled call paths are measured at their top tier, not while tiering. */
  perCall?: boolean;
  /** Prepares the ndgpu operation (inputs made here, outside the timing). */
  ndgpu(np: Context, source: Float32Array, g: Geometry): NdgpuOp;
}

export interface NdgpuOp {
  /** Issues one repetition; an array it returns (or resolves to) is disposed after the clock stops. */
  op(): NDArray | void | Promise<NDArray>;
  /** Releases the inputs. */
  dispose(): void;
}

const copyBytes = (elements: number): number => elements * ITEMSIZE * 2;

/** A copy of a view of `source` (uploaded as a flat float32 array, reshaped to `shape`). */
function viewCopy(np: Context, source: Float32Array, shape: number[], view: (a: NDArray) => NDArray): NdgpuOp {
  const flat = np.array(source);
  const a = flat.reshape(shape);
  return {
    op: () => np.tidy(() => view(a).copy()),
    dispose: () => {
      a.dispose();
      flat.dispose();
    },
  };
}

export const CASES: readonly CaseDef[] = [
  {
    id: 'copy',
    number: '1',
    group: 'copy',
    label: (g) => `a.copy() (${g.n},)`,
    strided: false,
    bytes: (g) => copyBytes(g.n),
    ndgpu: (np, src, g) => viewCopy(np, src, [g.n], (a) => a),
  },
  {
    id: 'transpose2d',
    number: '2a',
    group: 'copy',
    label: (g) => `(${g.side},${g.side}).T.copy()`,
    strided: true,
    bytes: (g) => copyBytes(g.n),
    ndgpu: (np, src, g) => viewCopy(np, src, [g.side, g.side], (a) => a.T),
  },
  {
    id: 'permute3d',
    number: '2b',
    group: 'copy',
    label: (g) => `(${g.cube.join(',')}).transpose(2,0,1).copy()`,
    strided: true,
    bytes: (g) => copyBytes(g.n),
    ndgpu: (np, src, g) => viewCopy(np, src, g.cube, (a) => a.transpose(2, 0, 1)),
  },
  {
    id: 'colslice',
    number: '3',
    group: 'copy',
    label: (g) => `(${g.n / 4},4)[:, 1:3].copy()`,
    strided: true,
    bytes: (g) => copyBytes(g.n / 2),
    ndgpu: (np, src, g) => viewCopy(np, src, [g.n / 4, 4], (a) => a.get(':, 1:3')),
  },
  {
    id: 'step2',
    number: '4',
    group: 'copy',
    label: (g) => `a[::2].copy() (${g.n},)`,
    strided: true,
    bytes: (g) => copyBytes(g.n / 2),
    ndgpu: (np, src, g) => viewCopy(np, src, [g.n], (a) => a.get('::2')),
  },
  {
    id: 'reverse',
    number: '5',
    group: 'copy',
    label: (g) => `a[::-1].copy() (${g.n},)`,
    strided: true,
    bytes: (g) => copyBytes(g.n),
    ndgpu: (np, src, g) => viewCopy(np, src, [g.n], (a) => a.get('::-1')),
  },
  {
    id: 'bcastrow',
    number: '6',
    group: 'copy',
    label: (g) => `broadcastTo(row (${g.side},), (${g.side},${g.side})).copy()`,
    strided: true,
    bytes: (g) => copyBytes(g.n),
    ndgpu: (np, src, g) => {
      const row = np.array(src.subarray(0, g.side));
      return {
        op: () => np.tidy(() => np.broadcastTo(row, [g.side, g.side]).copy()),
        dispose: () => row.dispose(),
      };
    },
  },
  {
    id: 'fillstrided',
    number: '7',
    group: 'copy',
    label: (g) => `m[:, ::2] = 1.5, m (${g.side},${g.side})`,
    strided: true,
    bytes: (g) => (g.n / 2) * ITEMSIZE,
    ndgpu: (np, _src, g) => {
      const m = np.zeros([g.side, g.side]);
      return { op: () => void m.set(':, ::2', 1.5), dispose: () => m.dispose() };
    },
  },
  {
    id: 'setrow',
    number: '8',
    group: 'copy',
    label: (g) => `m[:, ::2] = row (${g.side / 2},), m (${g.side},${g.side})`,
    strided: true,
    bytes: (g) => copyBytes(g.n / 2),
    ndgpu: (np, src, g) => {
      const m = np.zeros([g.side, g.side]);
      const row = np.array(src.subarray(0, g.side / 2));
      return {
        op: () => void m.set(':, ::2', row),
        dispose: () => {
          m.dispose();
          row.dispose();
        },
      };
    },
  },
  {
    id: 'smallsets',
    number: '9',
    group: 'copy',
    label: () => `${SMALL.sets} small sets on (${SMALL.side},${SMALL.side}), one sync`,
    strided: false,
    perCall: true,
    bytes: () => smallSetBytes(),
    ndgpu: (np, src) => {
      const a = np.zeros([SMALL.side, SMALL.side]);
      const s = np.array(src.subarray(0, SMALL.side * SMALL.side), { shape: [SMALL.side, SMALL.side] });
      const end = SMALL.span;
      return {
        op: () =>
          np.tidy(() => {
            for (let i = 0; i < SMALL.sets; i++) {
              const set = smallSet(i);
              if (set.kind === 'scalar') a.set(`${set.row}, ${set.col0}:${set.col0 + end}`, set.value);
              else a.set(`${set.row0}:${set.row0 + end}, ${set.col}`, s.get(`${set.srcRow}, ::2`));
            }
          }),
        dispose: () => {
          a.dispose();
          s.dispose();
        },
      };
    },
  },
  ...computeCases(),
  ...joiningCases(),
  ...indexingCases(),
  ...productCases(),
  ...divisionCases(),
];

/** A flat float32 source 0, 1, 2, ... of n elements (shared by every implementation; read only). */
export function iota(n: number): Float32Array {
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = i;
  return data;
}

// ------------------------------------------------------------------------------------------------
// Cases 10-12: compute on a (side, side) float32 array.

/**
 * The compute cases' inputs (shared by every implementation; read only; mirrored by numpy_bench.py), as
 * (side, side) arrays in C order: a[r, c] = (r + 2c) mod 3 and b[r, c] = ((3r + c) mod 7) - 3. Neither is
 * symmetric (a pattern in the flat index would be, for side ≡ 1 modulo its period: 4096 ≡ 1 mod 3, 5 and
 * 7), so a.T differs from a and a.sum(0) from a.sum(1). a's elements are small non-negative integers that
 * add up to less than 2^24 (2^24 - 1 for side 4096), so every partial sum of them, in any order, is an
 * integer float32 holds exactly: results are checked for equality, and an element left out or counted
 * twice changes them.
 */
export interface ComputeInputs {
  a: Float32Array;
  b: Float32Array;
}

let inputsCache: { side: number; inputs: ComputeInputs } | null = null;

export function computeInputs(g: Geometry): ComputeInputs {
  const side = g.side;
  if (inputsCache?.side === side) return inputsCache.inputs;
  const a = new Float32Array(side * side);
  const b = new Float32Array(side * side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      a[r * side + c] = (r + 2 * c) % 3;
      b[r * side + c] = ((3 * r + c) % 7) - 3;
    }
  }
  inputsCache = { side, inputs: { a, b } };
  return inputsCache.inputs;
}

/** The expected result of a compute case, computed on the CPU in float64 (C order, flat). */
function expected(id: ComputeId, g: Geometry): Float64Array {
  const { a, b } = computeInputs(g);
  const side = g.side;
  switch (id) {
    case 'addtrans': {
      // out[r, c] = a.T[r, c] + b.T[r, c] = a[c, r] + b[c, r]
      const out = new Float64Array(g.n);
      for (let c = 0; c < side; c++) for (let r = 0; r < side; r++) out[r * side + c] = a[c * side + r] + b[c * side + r];
      return out;
    }
    case 'sumaxis0': {
      const out = new Float64Array(side);
      for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) out[c] += a[r * side + c];
      return out;
    }
    case 'sumaxis1': {
      const out = new Float64Array(side);
      for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) out[r] += a[r * side + c];
      return out;
    }
    case 'sumall': {
      let sum = 0;
      for (let i = 0; i < g.n; i++) sum += a[i];
      return Float64Array.of(sum);
    }
    // ----- float sums with many short outputs (case 26): a as (n / 2, 2) and as (2, n / 2) -----
    case 'sumrows2': {
      const out = new Float64Array(g.n / 2);
      for (let r = 0; r < g.n / 2; r++) out[r] = a[2 * r] + a[2 * r + 1];
      return out;
    }
    case 'sumcols2': {
      const out = new Float64Array(g.n / 2);
      for (let c = 0; c < g.n / 2; c++) out[c] = a[c] + a[g.n / 2 + c];
      return out;
    }
    case 'sumuint8':
    case 'meanuint8': {
      const bytes = uint8Input(g);
      let sum = 0;
      for (let i = 0; i < g.n; i++) sum += bytes[i];
      // The exact sum (uint32: it stays below 2^31), and NumPy's float64 mean rounded to float32.
      return Float64Array.of(id === 'sumuint8' ? sum : Math.fround(sum / g.n));
    }
  }
}

// ----- numerics (issue #18): the uint8 input of cases 13-14 -----

let uint8Cache: { n: number; bytes: Uint8Array } | null = null;

/** Cases 13-14's input (mirrored by numpy_bench.py): element i is (7i + i // 4096) mod 200, an image-like
 * uint8 array whose sum (about 1.7e9) passes 2^24 many times over (a float32 sum would drift) but stays
 * below 2^31 (every peer's int32 holds it). */
export function uint8Input(g: Geometry): Uint8Array {
  if (uint8Cache?.n === g.n) return uint8Cache.bytes;
  const bytes = new Uint8Array(g.n);
  for (let i = 0; i < g.n; i++) bytes[i] = (7 * i + Math.floor(i / 4096)) % 200;
  uint8Cache = { n: g.n, bytes };
  return bytes;
}

/** Compares a compute case's result (C order, flat) with the CPU's, element by element: null when
 * every element matches, else what differs. */
export function checkCompute(id: ComputeId, g: Geometry, values: ArrayLike<number>): string | null {
  const want = expected(id, g);
  if (values.length !== want.length) return `${values.length} elements, expected ${want.length}`;
  let wrong = 0;
  let first = -1;
  for (let i = 0; i < want.length; i++) {
    if (values[i] !== want[i]) {
      if (first < 0) first = i;
      wrong++;
    }
  }
  if (wrong === 0) return null;
  return `${wrong} of ${want.length} elements differ from the CPU's; first at flat index ${first}: ${values[first]}, expected ${want[first]}`;
}

function computeCases(): CaseDef[] {
  const square = (g: Geometry) => `(${g.side},${g.side})`;
  /** Uploads the inputs as (side, side) arrays. */
  const upload = (np: Context, g: Geometry) => {
    const { a, b } = computeInputs(g);
    return { a: np.array(a, { shape: [g.side, g.side] }), b: np.array(b, { shape: [g.side, g.side] }) };
  };
  const sum = (
    id: ComputeId,
    number: string,
    label: (g: Geometry) => string,
    outputs: (g: Geometry) => number,
    axis?: number,
  ): CaseDef => ({
    id,
    number,
    group: 'compute',
    label,
    strided: false,
    bytes: (g) => (g.n + outputs(g)) * ITEMSIZE,
    baselineCopyBytes: (g) => g.n * ITEMSIZE,
    ndgpu: (np, _src, g) => {
      const a = np.array(computeInputs(g).a, { shape: [g.side, g.side] });
      return { op: () => a.sum(axis), dispose: () => a.dispose() };
    },
  });
  return [
    {
      id: 'addtrans',
      number: '10',
      group: 'compute',
      label: (g) => `np.add(a.T, b.T), a, b ${square(g)}`,
      strided: false,
      bytes: (g) => 3 * g.n * ITEMSIZE,
      baselineCopyBytes: (g) => 2 * g.n * ITEMSIZE,
      ndgpu: (np, _src, g) => {
        const { a, b } = upload(np, g);
        return {
          op: () => np.tidy(() => np.add(a.T, b.T)),
          dispose: () => {
            a.dispose();
            b.dispose();
          },
        };
      },
    },
    sum(
      'sumaxis0',
      '11a',
      (g) => `a.sum(0), a ${square(g)}`,
      (g) => g.side,
      0,
    ),
    sum(
      'sumaxis1',
      '11b',
      (g) => `a.sum(1), a ${square(g)}`,
      (g) => g.side,
      1,
    ),
    sum(
      'sumall',
      '12',
      (g) => `a.sum(), a ${square(g)}`,
      () => 1,
    ),
    // ----- numerics (issue #18): exact integer reductions of a uint8 image -----
    uint8Reduction('sumuint8', '16', 'sum'),
    uint8Reduction('meanuint8', '17', 'mean'),
    // ----- float sums with many short outputs (case 26) -----
    shortSum('sumrows2', '26a', 1),
    shortSum('sumcols2', '26b', 0),
  ];
}

/** Case 26: float32 sums with n / 2 outputs of two items each — `a.sum(1)` of a (n / 2, 2) array (NumPy
 * calls its pairwise loop once per output) and `a.sum(0)` of a (2, n / 2) one (it adds the second row to
 * the first) — on case 11's input `a` (small integers: exact sums). */
function shortSum(id: 'sumrows2' | 'sumcols2', number: string, axis: 0 | 1): CaseDef {
  const shape = (g: Geometry) => (axis === 1 ? [g.n / 2, 2] : [2, g.n / 2]);
  return {
    id,
    number,
    group: 'compute',
    label: (g) => `a.sum(${axis}), a (${shape(g).join(',')})`,
    strided: false,
    bytes: (g) => (g.n + g.n / 2) * ITEMSIZE,
    baselineCopyBytes: (g) => g.n * ITEMSIZE,
    ndgpu: (np, _src, g) => {
      const a = np.array(computeInputs(g).a, { shape: shape(g) });
      return { op: () => a.sum(axis), dispose: () => a.dispose() };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// ----- joining, splitting, rearranging -----
// Cases 13-15: concatenate 8 arrays of n/8 float32 along axis 0 (8 contiguous copies) and along the last
// axis of (side, side/8) inputs (8 strided copies), pad a (side, side) image by 16 on each side (the
// default constant mode: the image into the middle, zeros around), roll n elements by 1000 (2 copies).

export const JOINING_IDS = ['concat0', 'concat1', 'pad', 'roll'] as const satisfies readonly CaseId[];
export type JoiningId = (typeof JOINING_IDS)[number];

export function isJoiningCase(id: CaseId): id is JoiningId {
  return (JOINING_IDS as readonly string[]).includes(id);
}

/** Elements each side of case 14's image gets. */
export const PAD_WIDTH = 16;
/** Case 15's shift. */
export const ROLL_SHIFT = 1000;
/** Case 13's input count. */
export const CONCAT_PARTS = 8;

/** Case 13's inputs: the source cut into CONCAT_PARTS consecutive pieces, 1-D (axis 0) or
 * (side, side / CONCAT_PARTS) (axis 1). */
export function concatParts(source: Float32Array, g: Geometry, axis: 0 | 1): { data: Float32Array; shape: number[] }[] {
  const each = g.n / CONCAT_PARTS;
  return Array.from({ length: CONCAT_PARTS }, (_, k) => ({
    data: source.subarray(k * each, (k + 1) * each),
    shape: axis === 0 ? [each] : [g.side, g.side / CONCAT_PARTS],
  }));
}

function joiningCases(): CaseDef[] {
  const concat = (axis: 0 | 1): CaseDef => ({
    id: axis === 0 ? 'concat0' : 'concat1',
    number: axis === 0 ? '13a' : '13b',
    group: 'joining',
    label: (g) =>
      axis === 0
        ? `concatenate ${CONCAT_PARTS} × (${g.n / CONCAT_PARTS},)`
        : `concatenate ${CONCAT_PARTS} × (${g.side},${g.side / CONCAT_PARTS}), axis 1`,
    strided: false,
    bytes: (g) => copyBytes(g.n),
    ndgpu: (np, src, g) => {
      const parts = concatParts(src, g, axis).map((p) => np.array(p.data, { shape: p.shape }));
      return {
        op: () => np.concatenate(parts, { axis }),
        dispose: () => parts.forEach((p) => p.dispose()),
      };
    },
  });
  return [
    concat(0),
    concat(1),
    {
      id: 'pad',
      number: '14',
      group: 'joining',
      label: (g) => `pad (${g.side},${g.side}) by ${PAD_WIDTH}`,
      strided: false,
      // The image read and the padded result written.
      bytes: (g) => (g.n + (g.side + 2 * PAD_WIDTH) ** 2) * ITEMSIZE,
      ndgpu: (np, src, g) => {
        const a = np.array(src, { shape: [g.side, g.side] });
        return { op: () => np.pad(a, PAD_WIDTH), dispose: () => a.dispose() };
      },
    },
    {
      id: 'roll',
      number: '15',
      group: 'joining',
      label: (g) => `roll (${g.n},) by ${ROLL_SHIFT}`,
      strided: false,
      bytes: (g) => copyBytes(g.n),
      ndgpu: (np, src) => {
        const a = np.array(src);
        return { op: () => np.roll(a, ROLL_SHIFT), dispose: () => a.dispose() };
      },
    },
  ];
}

// ------------------------------------------------------------------------------------------------
// ----- advanced indexing -----
// Cases 18-21: advanced indexing on n float32 (uniform in [0, 1)) with n / 4 int32 indices (uniform in
// [0, n): repeats included). Mirrored by numpy_bench.py (same geometry and distributions, NumPy's own
// generator). Bytes counted: what the operation must read and write at least (18, 19: the indices, the
// elements read, the elements written; 20: the array read, the selection written; 21: read + written).

export const INDEXING_IDS = ['gather', 'scatter', 'maskget', 'cumsum'] as const satisfies readonly CaseId[];
export type IndexingId = (typeof INDEXING_IDS)[number];

export function isIndexingCase(id: CaseId): id is IndexingId {
  return (INDEXING_IDS as readonly string[]).includes(id);
}

export interface IndexingInputs {
  /** n floats, uniform in [0, 1). */
  values: Float32Array;
  /** n / 4 indices, uniform in [0, n). */
  indices: Int32Array;
}

let indexingCache: { n: number; inputs: IndexingInputs } | null = null;

export function indexingInputs(g: Geometry): IndexingInputs {
  if (indexingCache?.n === g.n) return indexingCache.inputs;
  // A fixed xorshift stream: the same inputs in every implementation written in JavaScript.
  let state = 0x2545f491;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  const values = new Float32Array(g.n);
  for (let i = 0; i < g.n; i++) values[i] = next();
  const indices = new Int32Array(g.n / 4);
  for (let i = 0; i < indices.length; i++) indices[i] = Math.floor(next() * g.n);
  indexingCache = { n: g.n, inputs: { values, indices } };
  return indexingCache.inputs;
}

function indexingCases(): CaseDef[] {
  const m = (g: Geometry) => g.n / 4;
  return [
    {
      id: 'gather',
      number: '18',
      group: 'indexing',
      label: (g) => `a[idx], ${m(g)} int32 indices into (${g.n},)`,
      strided: false,
      bytes: (g) => 3 * m(g) * ITEMSIZE,
      ndgpu: (np, _src, g) => {
        const { values, indices } = indexingInputs(g);
        const a = np.array(values);
        const idx = np.array(indices);
        return {
          op: () => a.get(idx) as NDArray,
          dispose: () => {
            a.dispose();
            idx.dispose();
          },
        };
      },
    },
    {
      id: 'scatter',
      number: '19',
      group: 'indexing',
      label: (g) => `a[idx] = v, ${m(g)} int32 indices (repeats: the last wins) into (${g.n},)`,
      strided: false,
      bytes: (g) => 3 * m(g) * ITEMSIZE,
      ndgpu: (np, _src, g) => {
        const { values, indices } = indexingInputs(g);
        const a = np.array(values);
        const idx = np.array(indices);
        const v = np.array(values.subarray(0, m(g)));
        return {
          op: () => void a.set(idx, v),
          dispose: () => {
            for (const x of [a, idx, v]) x.dispose();
          },
        };
      },
    },
    {
      id: 'maskget',
      number: '20',
      group: 'indexing',
      label: (g) => `a[a > 0.5], a (${g.n},)`,
      strided: false,
      bytes: (g) => (g.n + g.n / 2) * ITEMSIZE,
      ndgpu: (np, _src, g) => {
        const a = np.array(indexingInputs(g).values);
        return {
          op: async () => {
            const mask = a.greater(0.5);
            try {
              return await a.get(mask);
            } finally {
              mask.dispose();
            }
          },
          dispose: () => a.dispose(),
        };
      },
    },
    {
      id: 'cumsum',
      number: '21',
      group: 'indexing',
      label: (g) => `a.cumsum(), a (${g.n},)`,
      strided: false,
      bytes: (g) => 2 * g.n * ITEMSIZE,
      ndgpu: (np, _src, g) => {
        const a = np.array(indexingInputs(g).values);
        return { op: () => a.cumsum(), dispose: () => a.dispose() };
      },
    },
  ];
}

/** Cases 16-17: `a.sum()` (exact, uint32) and `a.mean()` (the exact sum divided once) of n uint8. */
function uint8Reduction(id: 'sumuint8' | 'meanuint8', number: string, op: 'sum' | 'mean'): CaseDef {
  return {
    id,
    number,
    group: 'compute',
    label: (g) => `a.${op}(), a (${g.side},${g.side}) uint8`,
    strided: false,
    bytes: (g) => g.n + 4,
    baselineCopyBytes: (g) => g.n,
    ndgpu: (np, _src, g) => {
      const a = np.array(uint8Input(g), { shape: [g.side, g.side] });
      return { op: () => a[op](), dispose: () => a.dispose() };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// ----- products -----
// Cases 22-25: float32 matrix products, in GFLOP/s (a case's `bytes` counts its FLOPs: 2 · m · n · k
// per product), beside tfjs matMul on the same device and NumPy on the CPU.

export const PRODUCT_IDS = ['mm256', 'mm1024', 'mm2048', 'mm4096', 'mmtrans', 'mmbatch', 'matvec'] as const satisfies readonly CaseId[];
export type ProductId = (typeof PRODUCT_IDS)[number];

export function isProductCase(id: CaseId): id is ProductId {
  return (PRODUCT_IDS as readonly string[]).includes(id);
}

/** One product case's geometry: `batch` products of (m, k) @ (k, n); b stored as (n, k) and used
 * transposed (`a @ b.T`), or a vector of k (a matrix-vector product, n = 1). */
export interface ProductCase {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposeB: boolean;
  readonly vector: boolean;
}

/**
 * The geometry of a product case. Square sizes are capped at the run's side (4096 for a full run, 1024
 * for --quick, whose large cases therefore run at 1024: CPU implementations of WebGPU and the CPU
 * backend take seconds per repetition there already).
 */
export function productCase(id: ProductId, g: Geometry): ProductCase {
  const square = (size: number): ProductCase => {
    const side = Math.min(size, g.side);
    return { batch: 1, m: side, n: side, k: side, transposeB: false, vector: false };
  };
  switch (id) {
    case 'mm256':
      return square(256);
    case 'mm1024':
      return square(1024);
    case 'mm2048':
      return square(2048);
    case 'mm4096':
      return square(4096);
    case 'mmtrans':
      return { ...square(4096), transposeB: true };
    case 'mmbatch':
      return { batch: 512, m: 64, n: 64, k: 64, transposeB: false, vector: false };
    case 'matvec':
      return { ...square(4096), n: 1, vector: true };
  }
}

export function productFlops(p: ProductCase): number {
  return 2 * p.batch * p.m * p.n * p.k;
}

/** The shapes of a product case's operands as stored, C order (b as (n, k) when used transposed). */
export function productShapes(p: ProductCase): { a: number[]; b: number[] } {
  const lead = p.batch > 1 ? [p.batch] : [];
  return { a: [...lead, p.m, p.k], b: p.vector ? [p.k] : p.transposeB ? [p.n, p.k] : [...lead, p.k, p.n] };
}

/**
 * The inputs of a product case (mirrored by numpy_bench.py), as stored: a[i, r, c] = (r + 2c + i) mod 3
 * and b[i, r, c] = ((3r + c + i) mod 7) - 3 (stored transposed for mmtrans: bt[c, r] = b[r, c]; the
 * vector is b's first column). Small integers: every sum of k <= 4096 terms is below 2^24 in magnitude,
 * so float32 holds every partial sum exactly in any order, and results are checked for equality.
 */
export function productInputs(p: ProductCase): { a: Float32Array; b: Float32Array } {
  const a = new Float32Array(p.batch * p.m * p.k);
  for (let i = 0; i < p.batch; i++)
    for (let r = 0; r < p.m; r++) for (let c = 0; c < p.k; c++) a[(i * p.m + r) * p.k + c] = (r + 2 * c + i) % 3;
  const bAt = (i: number, r: number, c: number) => ((3 * r + c + i) % 7) - 3;
  const b = new Float32Array(p.vector ? p.k : p.batch * p.k * p.n);
  if (p.vector) for (let r = 0; r < p.k; r++) b[r] = bAt(0, r, 0);
  else if (p.transposeB) for (let r = 0; r < p.k; r++) for (let c = 0; c < p.n; c++) b[c * p.k + r] = bAt(0, r, c);
  else
    for (let i = 0; i < p.batch; i++) for (let r = 0; r < p.k; r++) for (let c = 0; c < p.n; c++) b[(i * p.k + r) * p.n + c] = bAt(i, r, c);
  return { a, b };
}

/** Compares a product case's result (C order, flat) with sums computed here, at 257 sampled outputs
 * spread over the whole result (a full check would take longer than the product): null when they match. */
export function checkProduct(p: ProductCase, values: ArrayLike<number>): string | null {
  const outputs = p.batch * p.m * p.n;
  if (values.length !== outputs) return `${values.length} elements, expected ${outputs}`;
  for (let s = 0; s <= 256; s++) {
    const index = Math.min(outputs - 1, Math.floor((s * outputs) / 256));
    const i = Math.floor(index / (p.m * p.n));
    const r = Math.floor(index / p.n) % p.m;
    const c = index % p.n;
    let sum = 0;
    for (let t = 0; t < p.k; t++) sum += ((r + 2 * t + i) % 3) * (((3 * t + c + i) % 7) - 3);
    if (values[index] !== sum) return `flat index ${index}: ${values[index]}, expected ${sum}`;
  }
  return null;
}

function productCases(): CaseDef[] {
  const describe = (p: ProductCase): string => {
    const lead = p.batch > 1 ? `${p.batch}× ` : '';
    if (p.vector) return `(${p.m},${p.k}) @ (${p.k},)`;
    return `${lead}(${p.m},${p.k}) @ ${p.transposeB ? `(${p.n},${p.k}).T` : `(${p.k},${p.n})`}`;
  };
  const numbers: Record<ProductId, string> = {
    mm256: '22a',
    mm1024: '22b',
    mm2048: '22c',
    mm4096: '22d',
    mmtrans: '23',
    mmbatch: '24',
    matvec: '25',
  };
  // Not PRODUCT_IDS: CASES is built when this module loads, before the declarations below it.
  return (Object.keys(numbers) as ProductId[]).map((id): CaseDef => ({
    id,
    number: numbers[id],
    group: 'product',
    label: (g) => `matmul ${describe(productCase(id, g))}`,
    strided: false,
    bytes: (g) => productFlops(productCase(id, g)),
    ndgpu: (np, _src, g) => {
      const p = productCase(id, g);
      const inputs = productInputs(p);
      const shapes = productShapes(p);
      const a = np.array(inputs.a, { shape: shapes.a });
      const b = np.array(inputs.b, { shape: shapes.b });
      const right = p.transposeB ? b.T : b;
      return {
        op: () => np.matmul(a, right),
        dispose: () => {
          if (right !== b) right.dispose();
          a.dispose();
          b.dispose();
        },
      };
    },
  }));
}

// ------------------------------------------------------------------------------------------------
// ----- integer division -----
// Case 27: np.floor_divide(a, b) and np.remainder(a, b) of two int32 arrays of n items (the CPU's
// WebAssembly kernels have no SIMD integer division to call), beside NumPy's.

export const DIVISION_IDS = ['floordiv', 'remainder'] as const satisfies readonly CaseId[];
export type DivisionId = (typeof DIVISION_IDS)[number];

export function isDivisionCase(id: CaseId): id is DivisionId {
  return (DIVISION_IDS as readonly string[]).includes(id);
}

/**
 * Case 27's inputs (mirrored by numpy_bench.py): a[i] = ((7919 i) mod 20001) - 10000, dividends of
 * both signs, and b[i] from v = (31 i) mod 18 as v - 9 below 9, else v - 8: divisors -9..-1 and 1..9
 * (no zero: NumPy would warn on every repetition).
 */
export function divisionInputs(g: Geometry): { a: Int32Array; b: Int32Array } {
  const a = new Int32Array(g.n);
  const b = new Int32Array(g.n);
  for (let i = 0; i < g.n; i++) {
    a[i] = ((7919 * i) % 20001) - 10000;
    const v = (31 * i) % 18;
    b[i] = v < 9 ? v - 9 : v - 8;
  }
  return { a, b };
}

function divisionCases(): CaseDef[] {
  // Not DIVISION_IDS: CASES is built when this module loads, before the declarations above run.
  const cases = [
    { id: 'floordiv', number: '27a', name: 'floor_divide', op: 'floorDivide' },
    { id: 'remainder', number: '27b', name: 'remainder', op: 'mod' },
  ] as const;
  return cases.map(({ id, number, name, op }): CaseDef => ({
    id,
    number,
    group: 'division',
    label: (g) => `np.${name}(a, b), a, b (${g.n},) int32`,
    strided: false,
    bytes: (g) => 3 * g.n * 4,
    baselineCopyBytes: (g) => 2 * g.n * 4,
    ndgpu: (np, _src, g) => {
      const inputs = divisionInputs(g);
      const a = np.array(inputs.a);
      const b = np.array(inputs.b);
      let checked = false;
      return {
        op: () => {
          const out = np[op](a, b);
          if (checked) return out;
          checked = true;
          // Once, on the first (warm-up) repetition: the result must be the definition's.
          return out.data().then((got) => {
            for (let i = 0; i < g.n; i++) {
              const [x, y] = [inputs.a[i], inputs.b[i]];
              const q = Math.floor(x / y);
              if (got[i] !== (op === 'floorDivide' ? q : x - q * y)) throw new Error(`wrong result at ${i}: ${got[i]}`);
            }
            return out;
          });
        },
        dispose: () => {
          a.dispose();
          b.dispose();
        },
      };
    },
  }));
}
