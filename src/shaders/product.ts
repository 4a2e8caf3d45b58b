/**
 * The product kernels: a batch of matrix products `out = a @ b` over strided operands, read where they
 * lie (offsets and strides arrive as uniforms, like every kernel's; a pipeline per dtypes and shape,
 * never per size or layout), every product of the batch in one dispatch (grid z). Two shapes share out
 * the work (see ProductShape): tiles staged in workgroup memory for GPUs, rows read at shared addresses
 * for CPU implementations of WebGPU. Each output's terms are converted to the loop's compute class and
 * added in K order, one at a time (in f32 for float16 and float32, wrapping for integers, OR of ANDs for
 * bool), starting from -0.0 (the float identity: a single term keeps its sign of zero, as NumPy's
 * `outer` does).
 *
 * Results go to the output (converted to its dtype, narrow items written atomically into their words),
 * or, for products split along K (operands larger than one storage binding), to partial sums: class
 * words that the next piece along K continues from and the last one finishes.
 */

import { dtypeInfo, type DType } from '../ndarray/core/dtype.js';
import { classDType, computeClass, type ComputeClass } from '../ndarray/core/kernel-forms.js';
import { classFromWord, readItemFunction, type Width } from './access.js';
import { chainPairs, conversionChain, conversionLibrary } from './cast.js';
import type { Tuning } from './tuning.js';
import { UniformSchema } from './uniforms.js';

/**
 * How a kernel shares out a product. Two shapes, one per kind of device (see tuning.ts):
 * - `tiles`: a workgroup computes a tile of outputs (rows × cols), staging blocks of a and b `depth`
 *   deep in workgroup memory; each invocation accumulates perRow × perCol outputs in registers (its rows
 *   and columns interleaved with the other invocations', so that neighbouring invocations read
 *   neighbouring workgroup memory and write neighbouring outputs). What GPUs run well.
 * - `rows`: a workgroup computes `rows` whole rows of outputs over lanes × perLane columns, reading its
 *   rows of a at addresses every invocation shares and its columns of b straight from the buffer, with
 *   no workgroup memory and no barrier. On CPU implementations of WebGPU (lavapipe), invocations run as
 *   SIMD lanes, a load every lane shares is one scalar load, and a load from workgroup memory is a gather
 *   like any other, so this shape, which does several outputs' work per shared load, runs several times
 *   faster there than the tiles (bench/, cases 13-16, against tfjs).
 */
export type ProductShape =
  | {
      readonly kind: 'tiles';
      readonly rows: number;
      readonly cols: number;
      readonly depth: number;
      readonly perRow: number;
      readonly perCol: number;
    }
  | { readonly kind: 'rows'; readonly rows: number; readonly lanes: number; readonly perLane: number };

/** Outputs per workgroup of a shape, along M and along N. */
export function shapeExtent(shape: ProductShape): [number, number] {
  return shape.kind === 'tiles' ? [shape.rows, shape.cols] : [shape.rows, shape.lanes * shape.perLane];
}

const LARGE_TILES: ProductShape = { kind: 'tiles', rows: 128, cols: 128, depth: 8, perRow: 8, perCol: 8 };
const SMALL_TILES: ProductShape = { kind: 'tiles', rows: 64, cols: 64, depth: 16, perRow: 4, perCol: 4 };
/** Products that fill at least this many large tiles take them (enough workgroups to occupy a GPU). */
const LARGE_TILE_WORKGROUPS = 256;

/**
 * The shape for a product of `count` M × N outputs on hardware tuned for `tuning`. A single row of
 * outputs (a vector-matrix product; executors orient matrix-vector products so) takes a `rows` shape of
 * one row on either kind of device, where tiles would leave all but one of their rows idle.
 */
export function productShape(tuning: Tuning, m: number, n: number, count: number): ProductShape {
  if (tuning === 'software') return { kind: 'rows', rows: m === 1 ? 1 : 16, lanes: 16, perLane: 4 };
  if (m === 1) return { kind: 'rows', rows: 1, lanes: 64, perLane: 4 };
  // Large tiles where they fill up (a small product would leave most of each idle) and are many.
  const large = count * Math.floor(m / 128) * Math.floor(n / 128);
  return large >= LARGE_TILE_WORKGROUPS ? LARGE_TILES : SMALL_TILES;
}

/** How the tiles shape stages an operand: four items at a time along the axis it is contiguous and
 * aligned along (a: 'rows' is M, 'cols' is K; b: 'rows' is K, 'cols' is N), or one at a time (null), where
 * neighbouring invocations walk the axis the uniforms' `walk` bits name (a pipeline per vector access,
 * not per walk). */
export interface OperandAccess {
  readonly vector: 'rows' | 'cols' | null;
}

/** The `walk` uniform's bits: the operand's neighbouring items lie along its rows. */
export const WALK_A_ROWS = 1;
export const WALK_B_ROWS = 2;

export interface ProductKernelSpec {
  /** Storage dtypes of a and b, and the loop dtype both are converted to. */
  readonly a: DType;
  readonly b: DType;
  readonly loop: DType;
  /** The destination's storage dtype, or null when it holds partial sums (compute-class words). */
  readonly out: DType | null;
  /** Whether the accumulators start from partial sums of earlier pieces along K (read from the
   * destination when it holds partials, else from binding 4). */
  readonly continues: boolean;
  readonly shape: ProductShape;
  /** How the tiles shape stages a and b (ignored by the rows shape). */
  readonly aAccess: OperandAccess;
  readonly bAccess: OperandAccess;
}

export function productParams(capacity: number): UniformSchema {
  return new UniformSchema({
    scalars: [
      { name: 'm', type: 'u32' },
      { name: 'n', type: 'u32' },
      { name: 'k', type: 'u32' },
      { name: 'batch_rank', type: 'u32' },
      /** Item offsets of a, b, the output and the partial sums. */
      { name: 'offsets', type: 'vec4<u32>' },
      /** Strides along the core axes: a (rows, cols), b (rows, cols); out (rows, cols), partials (rows, cols). */
      { name: 'inputs_core', type: 'vec4<u32>' },
      { name: 'outputs_core', type: 'vec4<u32>' },
      /** Added to the workgroup id: tiles along N, along M, and the product (grids larger than the
       * device's dispatch limits are recorded as several dispatches). */
      { name: 'grid_base', type: 'vec4<u32>' },
      /** How the tiles stage operands loaded one item at a time (WALK_A_ROWS, WALK_B_ROWS). */
      { name: 'walk', type: 'u32' },
    ],
    // axes[2j] = (extent, a stride, b stride, out stride) of batch axis j; axes[2j + 1].x its partials stride.
    axes: { name: 'axes', capacity: 2 * capacity },
  });
}

function classOf(dtype: DType): ComputeClass {
  const c = computeClass(dtype);
  if (!c) throw new TypeError(`${dtype} products are not available on the GPU (WGSL has no 64-bit types)`);
  return c;
}

/** The WGSL type a class is held in inside the kernel: bool as u32 0/1 (OR of ANDs). */
function heldType(c: ComputeClass): string {
  return c === 'bool' ? 'u32' : c;
}

export function productKey(spec: ProductKernelSpec, capacity: number): string {
  const t = spec.shape;
  const access = (o: OperandAccess) => (t.kind === 'tiles' && o.vector ? `:${o.vector}4` : '');
  return [
    'product',
    `${spec.a}${access(spec.aAccess)}`,
    `${spec.b}${access(spec.bAccess)}`,
    spec.loop,
    spec.out ?? 'partials',
    spec.continues ? 'continues' : 'starts',
    t.kind === 'tiles' ? `tiles${t.rows}x${t.cols}x${t.depth}/${t.perRow}x${t.perCol}` : `rows${t.rows}/${t.lanes}x${t.perLane}`,
    `r${capacity}`,
  ].join('/');
}

/** Whether an operand of this dtype can be loaded four items at a time (4-byte items only). */
export function vectorLoadable(dtype: DType): boolean {
  return dtypeInfo(dtype).itemsize === 4;
}

export function productKernelSource(spec: ProductKernelSpec, capacity: number): string {
  const c = classOf(spec.loop);
  const held = heldType(c);
  const shape = spec.shape;
  const vectors = shape.kind === 'tiles' ? [spec.aAccess.vector !== null, spec.bAccess.vector !== null] : [false, false];
  const outWidth = spec.out ? dtypeInfo(spec.out).itemsize : 4;
  const pairs: [DType, DType][] = [];
  const parts: string[] = [productParams(capacity).wgslStruct('Params'), '@group(0) @binding(0) var<uniform> params: Params;'];
  parts.push(`@group(0) @binding(1) var<storage, read_write> dst: array<${outWidth < 4 ? 'atomic<u32>' : 'u32'}>;`);
  parts.push(`@group(0) @binding(2) var<storage, read> a_words: array<${vectors[0] ? 'vec4<u32>' : 'u32'}>;`);
  parts.push(`@group(0) @binding(3) var<storage, read> b_words: array<${vectors[1] ? 'vec4<u32>' : 'u32'}>;`);
  if (spec.continues && spec.out !== null) parts.push('@group(0) @binding(4) var<storage, read> partials: array<u32>;');

  // Loads: item i of an operand as a value of the compute class (bool as u32 0/1).
  const loader = (name: 'a' | 'b', storage: DType, vector: boolean): string => {
    const width = dtypeInfo(storage).itemsize as Width;
    const lines = [`fn ${name}_word(i: u32) -> u32 { return ${vector ? `${name}_words[i >> 2u][i & 3u]` : `${name}_words[i]`}; }`];
    const value = (bits: string) => {
      const fast = loadConversion(storage, c, bits);
      if (fast) return fast;
      const chain = [storage, spec.loop, classDType(c)];
      pairs.push(...chainPairs(chain));
      return toHeld(c, `${conversionChain(`vec2<u32>(${bits}, 0u)`, chain)}.x`);
    };
    lines.push(readItemFunction(width, `${name}_item`, `${name}_word`));
    lines.push(`fn ${name}_load(i: u32) -> ${held} { return ${value(`${name}_item(i).x`)}; }`);
    if (vector) {
      lines.push(
        `fn ${name}_load4(i: u32) -> array<${held}, 4> { let v = ${name}_words[i >> 2u]; return array<${held}, 4>(${['x', 'y', 'z', 'w'].map((lane) => value(`v.${lane}`)).join(', ')}); }`,
      );
    }
    return lines.join('\n');
  };
  const loads = [loader('a', spec.a, vectors[0]), loader('b', spec.b, vectors[1])];

  // Stores: the class value → loop dtype → the output's dtype, or the class word itself (partials).
  let store: string;
  if (spec.out) {
    const loopBits = storeConversion(spec.loop, c, 'value');
    let bits = `vec2<u32>(${loopBits}, 0u)`;
    if (spec.out !== spec.loop) {
      pairs.push([spec.loop, spec.out]);
      bits = conversionChain(bits, [spec.loop, spec.out]);
    }
    store = `fn store(i: u32, value: ${held}) {\n  let bits = ${bits};\n  ${writeOut(outWidth)}\n}`;
  } else {
    store = `fn store(i: u32, value: ${held}) { dst[i] = ${c === 'f32' || c === 'i32' ? 'bitcast<u32>(value)' : 'value'}; }`;
  }
  const partialWord = spec.out ? 'partials[i]' : 'dst[i]';
  const resume = c === 'f32' ? `bitcast<f32>(${partialWord})` : c === 'i32' ? `bitcast<i32>(${partialWord})` : partialWord;

  const body = shape.kind === 'tiles' ? tilesBody(spec, shape, c, held, resume) : rowsBody(spec, shape, c, held, resume);
  parts.push(
    pairs.length > 0 ? conversionLibrary(pairs) : '',
    CONVERSIONS,
    ...loads,
    store,
    // -0.0 made at run time: a compiler may drop the sign of a zero constant (see math.ts).
    'fn negative_zero() -> f32 { var bits = 0x80000000u; return bitcast<f32>(bits); }',
    `// Item offsets of product \`index\` in a, b, the output and the partial sums.
fn bases(index: u32) -> vec4<u32> {
  var rest = index;
  var at = params.offsets;
  for (var j = i32(params.batch_rank) - 1; j >= 0; j = j - 1) {
    let axis = params.axes[2 * j];
    let coordinate = rest % axis.x;
    rest = rest / axis.x;
    at = at + coordinate * vec4<u32>(axis.y, axis.z, axis.w, params.axes[2 * j + 1].x);
  }
  return at;
}`,
    body,
  );
  return parts.filter((p) => p !== '').join('\n\n');
}

/** A class value from its word (bool held as u32 0/1). */
function toHeld(c: ComputeClass, bits: string): string {
  return c === 'bool' ? `select(0u, 1u, ${classFromWord(c, bits)})` : classFromWord(c, bits);
}

type Tiles = Extract<ProductShape, { kind: 'tiles' }>;
type Rows = Extract<ProductShape, { kind: 'rows' }>;

/** The initial value of every accumulator: -0.0 for floats (the additive identity: a single term keeps
 * its sign of zero), 0 for integers and bools. */
function identityOf(c: ComputeClass): string {
  return c === 'f32' ? 'negative_zero()' : c === 'i32' ? '0i' : '0u';
}

function multiplyAdd(c: ComputeClass, acc: string, x: string, y: string): string {
  return c === 'bool' ? `${acc} | (${x} & ${y})` : `${acc} + ${x} * ${y}`;
}

/** For each accumulator (r, q) of an invocation, `body` where its output (row, col) exists. */
function eachOutput(
  perRow: number,
  perCol: number,
  position: (r: number, q: number) => [string, string],
  body: (r: number, q: number) => string,
): string {
  const lines: string[] = [];
  for (let r = 0; r < perRow; r++) {
    for (let q = 0; q < perCol; q++) {
      const [row, col] = position(r, q);
      lines.push(`  {\n    let row = ${row};\n    let col = ${col};\n    if (row < params.m && col < params.n) { ${body(r, q)} }\n  }`);
    }
  }
  return lines.join('\n');
}

function declareAccumulators(perRow: number, perCol: number, held: string, c: ComputeClass): string {
  const lines: string[] = [];
  for (let r = 0; r < perRow; r++) for (let q = 0; q < perCol; q++) lines.push(`  var acc_${r}_${q}: ${held} = ${identityOf(c)};`);
  return lines.join('\n');
}

/** The tiles shape (see ProductShape). */
function tilesBody(spec: ProductKernelSpec, shape: Tiles, c: ComputeClass, held: string, resume: string): string {
  const { rows: TM, cols: TN, depth: TK, perRow: RM, perCol: RN } = shape;
  const WX = TN / RN;
  const WY = TM / RM;
  const THREADS = WX * WY;
  if (!Number.isInteger(WX) || !Number.isInteger(WY) || TK % 4 !== 0 || TM % 4 !== 0 || TN % 4 !== 0)
    throw new RangeError('internal error: a product tile must divide into invocations and vec4 steps');

  // Staging one operand's block into workgroup memory, K-major: a's block (TM × TK) to
  // tile_a[kk * TM + mm], b's (TK × TN) to tile_b[kk * TN + nn]; items outside the operand are zeros.
  const stage = (name: 'a' | 'b', access: OperandAccess): string => {
    const isA = name === 'a';
    // The block's two axes: for a, rows = M (TM), cols = K (TK); for b, rows = K (TK), cols = N (TN).
    const blockRows = isA ? TM : TK;
    const blockCols = isA ? TK : TN;
    const limitRows = isA ? 'params.m' : 'params.k';
    const limitCols = isA ? 'params.k' : 'params.n';
    const start = isA ? ['m0', 'k0'] : ['k0', 'n0'];
    const stride = isA ? ['params.inputs_core.x', 'params.inputs_core.y'] : ['params.inputs_core.z', 'params.inputs_core.w'];
    const base = isA ? 'base.x' : 'base.y';
    const tileIndex = (row: string, col: string) => (isA ? `(${col}) * ${TM}u + ${row}` : `(${row}) * ${TN}u + ${col}`);
    const lanes = access.vector ? 4 : 1;
    const lines: string[] = [];
    const count = (blockRows * blockCols) / lanes;
    const steps = count / THREADS;
    lines.push(
      Number.isInteger(steps)
        ? `  for (var s = 0u; s < ${steps}u; s = s + 1u) {\n    let index = lane + s * ${THREADS}u;`
        : `  for (var index = lane; index < ${count}u; index = index + ${THREADS}u) {`,
    );
    if (access.vector) {
      const fastRows = access.vector === 'rows';
      const fastExtent = (fastRows ? blockRows : blockCols) / lanes;
      const [fast, slow] = [`(index % ${fastExtent}u) * 4u`, `index / ${fastExtent}u`];
      const [row, col] = fastRows ? [fast, slow] : [slow, fast];
      lines.push(`    let r = ${row};`, `    let q = ${col};`);
    } else {
      // The walk is the uniforms' (neighbouring invocations take neighbouring items, where they lie).
      lines.push(`    let rows_fast = (params.walk & ${isA ? WALK_A_ROWS : WALK_B_ROWS}u) != 0u;`);
      lines.push(`    let r = select(index / ${blockCols}u, index % ${blockRows}u, rows_fast);`);
      lines.push(`    let q = select(index % ${blockCols}u, index / ${blockRows}u, rows_fast);`);
    }
    lines.push(`    let row = ${start[0]} + r;`, `    let col = ${start[1]} + q;`);
    lines.push(`    let at = ${base} + row * ${stride[0]} + col * ${stride[1]};`);
    if (!access.vector) {
      lines.push(`    var value = ${held}();`);
      lines.push(`    if (row < ${limitRows} && col < ${limitCols}) { value = ${name}_load(at); }`);
      lines.push(`    tile_${name}[${tileIndex('r', 'q')}] = value;`);
    } else {
      const fastRows = access.vector === 'rows';
      const [lastRow, lastCol] = fastRows ? ['row + 3u', 'col'] : ['row', 'col + 3u'];
      lines.push(`    var values = array<${held}, 4>();`);
      lines.push(`    if (${lastRow} < ${limitRows} && ${lastCol} < ${limitCols}) { values = ${name}_load4(at); }`);
      const [lr, lc] = fastRows ? ['row + l', 'col'] : ['row', 'col + l'];
      lines.push(
        `    else { for (var l = 0u; l < 4u; l = l + 1u) { if (${lr} < ${limitRows} && ${lc} < ${limitCols}) { values[l] = ${name}_load(at + l); } } }`,
      );
      for (let l = 0; l < 4; l++) {
        const [tr, tc] = fastRows ? [`r + ${l}u`, 'q'] : ['r', `q + ${l}u`];
        lines.push(`    tile_${name}[${tileIndex(tr, tc)}] = values[${l}];`);
      }
    }
    lines.push('  }');
    return lines.join('\n');
  };

  // One K step over the staged blocks: every invocation's RM × RN outputs.
  const step = (kk: string): string => {
    const lines: string[] = [];
    for (let r = 0; r < RM; r++) lines.push(`    let x${r} = tile_a[${kk} * ${TM}u + local.y + ${r * WY}u];`);
    for (let q = 0; q < RN; q++) lines.push(`    let y${q} = tile_b[${kk} * ${TN}u + local.x + ${q * WX}u];`);
    for (let r = 0; r < RM; r++)
      for (let q = 0; q < RN; q++) lines.push(`    acc_${r}_${q} = ${multiplyAdd(c, `acc_${r}_${q}`, `x${r}`, `y${q}`)};`);
    return lines.join('\n');
  };
  const position = (r: number, q: number): [string, string] => [`m0 + local.y + ${r * WY}u`, `n0 + local.x + ${q * WX}u`];

  return `var<workgroup> tile_a: array<${held}, ${TK * TM}>;
var<workgroup> tile_b: array<${held}, ${TK * TN}>;

@compute @workgroup_size(${WX}, ${WY})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>,
        @builtin(local_invocation_index) lane: u32) {
  let base = bases(params.grid_base.z + group.z);
  let m0 = (params.grid_base.y + group.y) * ${TM}u;
  let n0 = (params.grid_base.x + group.x) * ${TN}u;
${declareAccumulators(RM, RN, held, c)}
${spec.continues ? eachOutput(RM, RN, position, (r, q) => `let i = ${PARTIAL_INDEX}; acc_${r}_${q} = ${resume};`) : ''}
  for (var k0 = 0u; k0 < params.k; k0 = k0 + ${TK}u) {
${stage('a', spec.aAccess)}
${stage('b', spec.bAccess)}
    workgroupBarrier();
    // The last block's bound keeps out-of-range terms (staged as zeros) out of the sums.
    let depth = min(${TK}u, params.k - k0);
    for (var kk = 0u; kk < depth; kk = kk + 1u) {
${step('kk')}
    }
    workgroupBarrier();
  }
${storeAll(RM, RN, held, `m0 + local.y + (t / ${RN}u) * ${WY}u`, `n0 + local.x + (t % ${RN}u) * ${WX}u`, spec.out ? OUT_INDEX : PARTIAL_INDEX)}
}`;
}

/** The rows shape (see ProductShape). Rows and columns past the product's are clamped to its last (their
 * sums are computed and never stored), so the loop over K has no branch. */
function rowsBody(spec: ProductKernelSpec, shape: Rows, c: ComputeClass, held: string, resume: string): string {
  const { rows: RM, lanes: WG, perLane: RN } = shape;
  const lines: string[] = [];
  for (let r = 0; r < RM; r++) lines.push(`  let a_${r} = base.x + min(m0 + ${r}u, params.m - 1u) * params.inputs_core.x;`);
  for (let q = 0; q < RN; q++) lines.push(`  let b_${q} = base.y + min(n0 + ${q * WG}u, params.n - 1u) * params.inputs_core.w;`);
  const step: string[] = [];
  // The same order as the tiles shape: each sum gains its terms in K order.
  for (let q = 0; q < RN; q++) step.push(`    let y${q} = b_load(b_${q} + k * params.inputs_core.z);`);
  for (let r = 0; r < RM; r++) step.push(`    let x${r} = a_load(a_${r} + k * params.inputs_core.y);`);
  for (let r = 0; r < RM; r++)
    for (let q = 0; q < RN; q++) step.push(`    acc_${r}_${q} = ${multiplyAdd(c, `acc_${r}_${q}`, `x${r}`, `y${q}`)};`);
  const position = (r: number, q: number): [string, string] => [`m0 + ${r}u`, `n0 + ${q * WG}u`];
  return `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  let base = bases(params.grid_base.z + group.z);
  let m0 = (params.grid_base.y + group.y) * ${RM}u;
  let n0 = (params.grid_base.x + group.x) * ${WG * RN}u + lane;
${lines.join('\n')}
${declareAccumulators(RM, RN, held, c)}
${spec.continues ? eachOutput(RM, RN, position, (r, q) => `let i = ${PARTIAL_INDEX}; acc_${r}_${q} = ${resume};`) : ''}
  for (var k = 0u; k < params.k; k = k + 1u) {
${step.join('\n')}
  }
${storeAll(RM, RN, held, `m0 + t / ${RN}u`, `n0 + (t % ${RN}u) * ${WG}u`, spec.out ? OUT_INDEX : PARTIAL_INDEX)}
}`;
}

/**
 * Stores every accumulator whose output exists, through a loop over an array of them: the store's
 * conversion then appears once in the compiled kernel, where an unrolled store per accumulator made
 * drivers that inline every call (lavapipe) compile it RM × RN times.
 */
function storeAll(perRow: number, perCol: number, held: string, row: string, col: string, index: string): string {
  const names: string[] = [];
  for (let r = 0; r < perRow; r++) for (let q = 0; q < perCol; q++) names.push(`acc_${r}_${q}`);
  return `  var results = array<${held}, ${names.length}>(${names.join(', ')});
  for (var t = 0u; t < ${names.length}u; t = t + 1u) {
    let row = ${row};
    let col = ${col};
    if (row < params.m && col < params.n) { store(${index}, results[t]); }
  }`;
}

/** Small exact conversions the loads and stores use (the general ones of cast.ts are far larger, and
 * products convert every element they load). */
const CONVERSIONS = `// float16 bits to f32, exactly (subnormals included; a NaN stays a NaN), without branches.
fn f16_to_f32(h: u32) -> f32 {
  let exponent = h & 0x7c00u;
  let mantissa = h & 0x3ffu;
  let normal = bitcast<f32>(((h & 0x7fffu) + 0x1c000u) << 13u); // exponent + 112, mantissa << 13
  let subnormal = f32(mantissa) * 5.9604644775390625e-8; // mantissa × 2^-24
  let special = bitcast<f32>(0x7f800000u | (mantissa << 13u));
  let magnitude = select(select(normal, subnormal, exponent == 0u), special, exponent == 0x7c00u);
  return bitcast<f32>(bitcast<u32>(magnitude) | ((h & 0x8000u) << 16u));
}
// f32 to the nearest float16 bits, ties to even (overflow to infinity, NaN to the quiet NaN).
fn f32_to_f16(x: f32) -> u32 {
  let bits = bitcast<u32>(x);
  let sign = (bits >> 16u) & 0x8000u;
  let exponent = i32((bits >> 23u) & 0xffu);
  let mantissa = bits & 0x7fffffu;
  if (exponent == 255) { return sign | select(0x7c00u, 0x7e00u, mantissa != 0u); }
  let e = exponent - 112;
  if (e >= 31) { return sign | 0x7c00u; }
  var kept: u32;
  var rest: u32;
  var half: u32;
  if (e <= 0) {
    if (e < -10) { return sign; }
    let significand = mantissa | 0x800000u;
    let shift = u32(14 - e);
    kept = significand >> shift;
    rest = significand & ((1u << shift) - 1u);
    half = 1u << (shift - 1u);
  } else {
    kept = (u32(e) << 10u) | (mantissa >> 13u);
    rest = mantissa & 0x1fffu;
    half = 0x1000u;
  }
  // Rounding up may carry into the exponent: the next binade, or infinity. Both are right.
  if (rest > half || (rest == half && (kept & 1u) == 1u)) { kept = kept + 1u; }
  return sign | kept;
}
// 32-bit integers to the nearest f32 (ties to even): two exact halves, one correctly rounded addition.
fn i32_to_f32(x: i32) -> f32 { return f32(x >> 16) * 65536.0 + f32(x & 0xffff); }
fn u32_to_f32(x: u32) -> f32 { return f32(x >> 16u) * 65536.0 + f32(x & 0xffffu); }`;

/** `bits` (a zero-extended item of `storage`) as a value of class `c` for loop dtype `loop`, with the
 * conversions above; null where those do not cover the pair (the caller uses cast.ts's). */
function loadConversion(storage: DType, c: ComputeClass, bits: string): string | null {
  const { kind, itemsize } = dtypeInfo(storage);
  if (kind === 'f') {
    if (c !== 'f32') return null;
    if (storage === 'float32') return `bitcast<f32>(${bits})`;
    // A float16 operand of a float16 or float32 loop: exact in f32.
    return storage === 'float16' ? `f16_to_f32(${bits})` : null;
  }
  // Integers and bools as i32 (sign-extended) or u32 (zero-extended) values, exact.
  const bool = kind === 'b';
  const signed = kind === 'i';
  const shift = 32 - itemsize * 8;
  const asI32 = bool
    ? `i32(${bits} != 0u)`
    : signed
      ? shift
        ? `(bitcast<i32>(${bits} << ${shift}u) >> ${shift}u)`
        : `bitcast<i32>(${bits})`
      : `bitcast<i32>(${bits})`;
  const asU32 = bool ? `u32(${bits} != 0u)` : signed && shift ? `bitcast<u32>(${asI32})` : bits;
  switch (c) {
    case 'i32':
      return asI32;
    case 'u32':
    case 'bool':
      return asU32;
    case 'f32':
      // Narrow integers are exact in f32 (a float16 loop only meets 8-bit ones, exact in float16 too).
      if (itemsize < 4) return `f32(${asI32})`;
      return signed ? `i32_to_f32(${asI32})` : `u32_to_f32(${bits})`;
  }
}

/** A class value as the bits of the loop dtype (the low bytes of a narrow integer wrap it). */
function storeConversion(loop: DType, c: ComputeClass, value: string): string {
  if (c === 'f32') return loop === 'float16' ? `f32_to_f16(${value})` : `bitcast<u32>(${value})`;
  if (c === 'i32') return `bitcast<u32>(${value})`;
  return value; // u32, and bool held as u32 0/1
}

const OUT_INDEX = 'base.z + row * params.outputs_core.x + col * params.outputs_core.y';
const PARTIAL_INDEX = 'base.w + row * params.outputs_core.z + col * params.outputs_core.w';

/** `fn`-body lines writing `bits` (vec2<u32>) as item i of the destination. */
function writeOut(width: number): string {
  switch (width) {
    case 8:
      return 'dst[2u * i] = bits.x; dst[2u * i + 1u] = bits.y;';
    case 4:
      return 'dst[i] = bits.x;';
    default: {
      const mask = width === 1 ? '0xffu' : '0xffffu';
      return `let byte_address = i * ${width}u;
  let word = byte_address >> 2u;
  let shift = (byte_address & 3u) * 8u;
  let mask = ${mask} << shift;
  atomicAnd(&dst[word], ~mask);
  atomicOr(&dst[word], (bits.x << shift) & mask);`;
    }
  }
}
