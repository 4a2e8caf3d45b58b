/**
 * The product kernel: a batch of matrix products `out = a @ b` over strided operands, one workgroup per
 * tile of outputs (TM × TN) of one product. Each K step the workgroup stages a TM × TK block of a and a
 * TK × TN block of b in workgroup memory, converted to the loop's compute class, and every invocation
 * accumulates its RM × RN outputs in registers from them; operands are read where they lie (offsets and
 * strides arrive as uniforms, like every kernel's), with vec4 loads along an axis where the operand is
 * contiguous and aligned. Each output's terms are added in K order, one at a time, starting from -0.0
 * (the float identity: a single term keeps its sign of zero, as NumPy's `outer` does).
 *
 * Results go to the output (converted to its dtype, narrow items written atomically into their words),
 * or, for products split along K (operands larger than one storage binding), to partial sums: class
 * words that the next piece along K continues from and the last one finishes.
 */

import { dtypeInfo, type DType } from '../ndarray/core/dtype.js';
import { classDType, computeClass, type ComputeClass } from '../ndarray/core/kernel-forms.js';
import { classFromWord, classToWord, readItemFunction, type Width } from './access.js';
import { chainPairs, conversionChain, conversionLibrary } from './cast.js';
import type { Tuning } from './tuning.js';
import { UniformSchema } from './uniforms.js';

/** How a workgroup shares out a product: its tile of outputs (rows × cols), the depth of the K blocks it
 * stages, and the outputs each invocation accumulates (a block of perRow × perCol, rows and columns
 * interleaved with the other invocations'). */
export interface ProductTile {
  readonly rows: number;
  readonly cols: number;
  readonly depth: number;
  readonly perRow: number;
  readonly perCol: number;
}

/** The product tiles per tuning (see tuning.ts). */
export const PRODUCT_TILES: Readonly<Record<Tuning, ProductTile>> = {
  gpu: { rows: 64, cols: 64, depth: 16, perRow: 4, perCol: 4 },
  software: { rows: 64, cols: 64, depth: 16, perRow: 4, perCol: 4 },
};

/** Which axis of an operand neighbouring invocations walk when staging it (the one it is contiguous
 * along, where it has one), and whether they load four items at once along it. */
export interface OperandAccess {
  /** a: 'rows' (M) or 'cols' (K); b: 'rows' (K) or 'cols' (N). */
  readonly along: 'rows' | 'cols';
  readonly vector: boolean;
}

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
  readonly aAccess: OperandAccess;
  readonly bAccess: OperandAccess;
  readonly tile: ProductTile;
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
  const access = (o: OperandAccess) => `${o.along}${o.vector ? '4' : ''}`;
  const t = spec.tile;
  return [
    'product',
    `${spec.a}:${access(spec.aAccess)}`,
    `${spec.b}:${access(spec.bAccess)}`,
    spec.loop,
    spec.out ?? 'partials',
    spec.continues ? 'continues' : 'starts',
    `${t.rows}x${t.cols}x${t.depth}/${t.perRow}x${t.perCol}`,
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
  const { rows: TM, cols: TN, depth: TK, perRow: RM, perCol: RN } = spec.tile;
  const WX = TN / RN;
  const WY = TM / RM;
  const THREADS = WX * WY;
  if (!Number.isInteger(WX) || !Number.isInteger(WY) || TK % 4 !== 0 || TM % 4 !== 0 || TN % 4 !== 0)
    throw new RangeError('internal error: a product tile must divide into invocations and vec4 steps');
  const outWidth = spec.out ? dtypeInfo(spec.out).itemsize : 4;
  const atomic = outWidth < 4;
  const pairs: [DType, DType][] = [];
  const parts: string[] = [productParams(capacity).wgslStruct('Params'), '@group(0) @binding(0) var<uniform> params: Params;'];
  parts.push(`@group(0) @binding(1) var<storage, read_write> dst: array<${atomic ? 'atomic<u32>' : 'u32'}>;`);
  parts.push(`@group(0) @binding(2) var<storage, read> a_words: array<${spec.aAccess.vector ? 'vec4<u32>' : 'u32'}>;`);
  parts.push(`@group(0) @binding(3) var<storage, read> b_words: array<${spec.bAccess.vector ? 'vec4<u32>' : 'u32'}>;`);
  const partialsRead = spec.continues && spec.out !== null;
  if (partialsRead) parts.push('@group(0) @binding(4) var<storage, read> partials: array<u32>;');

  // Loads: item i of an operand, as a value of the compute class (held type).
  const loader = (name: 'a' | 'b', storage: DType, vector: boolean): string => {
    const word = vector ? `${name}_words[i >> 2u][i & 3u]` : `${name}_words[i]`;
    const chain = [storage, spec.loop, classDType(c)];
    pairs.push(...chainPairs(chain));
    const width = dtypeInfo(storage).itemsize as Width;
    const toHeld = (bits: string) => (c === 'bool' ? `select(0u, 1u, ${classFromWord(c, bits)})` : classFromWord(c, bits));
    // 4-byte items of the class's own dtype need no conversion: the hot path.
    const direct = width === 4 && storage === spec.loop && spec.loop === classDType(c);
    const lines = [`fn ${name}_word(i: u32) -> u32 { return ${word}; }`];
    if (direct) lines.push(`fn ${name}_load(i: u32) -> ${held} { return ${toHeld(`${name}_word(i)`)}; }`);
    else {
      lines.push(readItemFunction(width, `${name}_item`, `${name}_word`));
      lines.push(`fn ${name}_load(i: u32) -> ${held} { return ${toHeld(`${conversionChain(`${name}_item(i)`, chain)}.x`)}; }`);
    }
    if (vector) {
      const each = (lane: string) => (direct ? toHeld(`v.${lane}`) : toHeld(`${conversionChain(`vec2<u32>(v.${lane}, 0u)`, chain)}.x`));
      lines.push(
        `fn ${name}_load4(i: u32) -> array<${held}, 4> { let v = ${name}_words[i >> 2u]; return array<${held}, 4>(${['x', 'y', 'z', 'w'].map(each).join(', ')}); }`,
      );
    }
    return lines.join('\n');
  };
  const loads = [loader('a', spec.a, spec.aAccess.vector), loader('b', spec.b, spec.bAccess.vector)];

  // Stores: the result class → loop dtype → the output's dtype, or the class word itself (partials).
  let store: string;
  if (spec.out) {
    const outChain = [classDType(c), spec.loop, spec.out];
    pairs.push(...chainPairs(outChain));
    const bits = conversionChain(`vec2<u32>(${classToWord(c, c === 'bool' ? 'value != 0u' : 'value')}, 0u)`, outChain);
    store = `fn store(i: u32, value: ${held}) {
  let bits = ${bits};
  ${writeOut(outWidth)}
}`;
  } else {
    store = `fn store(i: u32, value: ${held}) { dst[i] = ${c === 'f32' || c === 'i32' ? `bitcast<u32>(value)` : 'value'}; }`;
  }
  const partialWord = spec.continues ? (spec.out ? 'partials[i]' : 'dst[i]') : '0u';
  const fromPartial = (word: string) => (c === 'f32' ? `bitcast<f32>(${word})` : c === 'i32' ? `bitcast<i32>(${word})` : word);

  // -0.0 made at run time: a compiler may drop the sign of a zero constant (see math.ts).
  const identity = c === 'f32' ? 'negative_zero()' : c === 'i32' ? '0i' : '0u';
  const multiplyAdd = (acc: string, x: string, y: string) => (c === 'bool' ? `${acc} | (${x} & ${y})` : `${acc} + ${x} * ${y}`);

  const accumulators: string[] = [];
  for (let r = 0; r < RM; r++) for (let q = 0; q < RN; q++) accumulators.push(`acc_${r}_${q}`);

  // Staging one operand's block: `extentRows × extentCols` items of the operand from (row0, col0), into
  // tile[col-major-by-K]: a's block (TM × TK) goes to tile_a[kk * TM + mm], b's (TK × TN) to tile_b[kk * TN + nn].
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
    const fastRows = access.along === 'rows';
    const lanes = access.vector ? 4 : 1;
    const fastExtent = (fastRows ? blockRows : blockCols) / lanes;
    const steps = (blockRows * blockCols) / (lanes * THREADS);
    const lines: string[] = [];
    const loopHead = Number.isInteger(steps)
      ? `for (var s = 0u; s < ${steps}u; s = s + 1u) {\n    let index = lane + s * ${THREADS}u;`
      : `for (var index = lane; index < ${(blockRows * blockCols) / lanes}u; index = index + ${THREADS}u) {`;
    lines.push(`  ${loopHead}`);
    const fast = `(index % ${fastExtent}u) * ${lanes}u`;
    const slow = `index / ${fastExtent}u`;
    const [row, col] = fastRows ? [fast, slow] : [slow, fast];
    lines.push(`    let r = ${row};`, `    let q = ${col};`);
    lines.push(`    let row = ${start[0]} + r;`, `    let col = ${start[1]} + q;`);
    lines.push(`    let at = ${base} + row * ${stride[0]} + col * ${stride[1]};`);
    if (!access.vector) {
      lines.push(`    var value = ${held}();`);
      lines.push(`    if (row < ${limitRows} && col < ${limitCols}) { value = ${name}_load(at); }`);
      lines.push(`    tile_${name}[${tileIndex('r', 'q')}] = value;`);
    } else {
      const lastRow = fastRows ? 'row + 3u' : 'row';
      const lastCol = fastRows ? 'col' : 'col + 3u';
      lines.push(`    var values = array<${held}, 4>();`);
      lines.push(`    if (${lastRow} < ${limitRows} && ${lastCol} < ${limitCols}) { values = ${name}_load4(at); }`);
      lines.push(`    else {`);
      for (let l = 0; l < 4; l++) {
        const [lr, lc] = fastRows ? [`row + ${l}u`, 'col'] : ['row', `col + ${l}u`];
        lines.push(`      if (${lr} < ${limitRows} && ${lc} < ${limitCols}) { values[${l}] = ${name}_load(at + ${l}u); }`);
      }
      lines.push(`    }`);
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
      for (let q = 0; q < RN; q++) lines.push(`    acc_${r}_${q} = ${multiplyAdd(`acc_${r}_${q}`, `x${r}`, `y${q}`)};`);
    return lines.join('\n');
  };

  const each = (body: (r: number, q: number) => string): string => {
    const lines: string[] = [];
    for (let r = 0; r < RM; r++) {
      for (let q = 0; q < RN; q++) {
        lines.push(`  {
    let row = m0 + local.y + ${r * WY}u;
    let col = n0 + local.x + ${q * WX}u;
    if (row < params.m && col < params.n) { ${body(r, q)} }
  }`);
      }
    }
    return lines.join('\n');
  };

  parts.push(
    pairs.length > 0 ? conversionLibrary(pairs) : '',
    ...loads,
    store,
    'fn negative_zero() -> f32 { var bits = 0x80000000u; return bitcast<f32>(bits); }',
    `var<workgroup> tile_a: array<${held}, ${TK * TM}>;
var<workgroup> tile_b: array<${held}, ${TK * TN}>;

// Item offsets of product \`index\` in a, b, the output and the partial sums.
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
}

@compute @workgroup_size(${WX}, ${WY})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>,
        @builtin(local_invocation_index) lane: u32) {
  let base = bases(params.grid_base.z + group.z);
  let m0 = (params.grid_base.y + group.y) * ${TM}u;
  let n0 = (params.grid_base.x + group.x) * ${TN}u;
${accumulators.map((name) => `  var ${name}: ${held} = ${identity};`).join('\n')}
${spec.continues ? each((r, q) => `let i = ${PARTIAL_INDEX}; acc_${r}_${q} = ${fromPartial(partialWord)};`) : ''}
  var k0 = 0u;
  // Whole blocks of ${TK}, then what is left (its bound keeps out-of-range terms out of the sums).
  for (; k0 + ${TK}u <= params.k; k0 = k0 + ${TK}u) {
${stage('a', spec.aAccess)}
${stage('b', spec.bAccess)}
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk = kk + 1u) {
${step('kk')}
    }
    workgroupBarrier();
  }
  if (k0 < params.k) {
${stage('a', spec.aAccess)}
${stage('b', spec.bAccess)}
    workgroupBarrier();
    let depth = params.k - k0;
    for (var kk = 0u; kk < depth; kk = kk + 1u) {
${step('kk')}
    }
  }
${each((r, q) => `store(${spec.out ? OUT_INDEX : PARTIAL_INDEX}, acc_${r}_${q});`)}
}`,
  );
  return parts.filter((p) => p !== '').join('\n\n');
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
