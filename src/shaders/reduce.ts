/**
 * Reduction kernels. Two shapes of work:
 * - `serial`: one invocation per (output, span of its elements), combining them in order: a single
 *   span for short reductions; spans (sized for the tuning by device/webgpu/reduce.ts) for long reductions
 *   down columns (neighbouring outputs are neighbours in memory, so a workgroup's reads are contiguous
 *   where a tree would read one column with a large stride), whose partial results then go through tree
 *   passes;
 * - `tree`: one workgroup per (output, chunk of 64 × span elements); invocations combine interleaved
 *   elements (neighbours read neighbours), then the workgroup combines their 64 partials as a binary
 *   tree — pairwise, so long float sums stay accurate. Chunk results are reduced again, pass after pass,
 *   until one remains per output.
 * Sources are read as item bits, converted to the accumulator dtype and its compute class; partial
 * results are 32-bit words (with a position word for argmin/argmax).
 */

import { dtypeInfo, type DType } from '../ndarray/core/dtype.js';
import type { ReductionName } from '../ndarray/core/reduce-plan.js';
import { classDType, computeClass, type ComputeClass } from '../ndarray/core/kernel-forms.js';
import { MATH_WGSL } from './math.js';
import { classFromWord, classToWord, readItemFunction, type Width } from './access.js';
import { chainPairs, conversionChain, conversionLibrary } from './cast.js';
import { UniformSchema } from './uniforms.js';
import { EXACT_MEAN_WGSL } from './exact-mean.js';

export const REDUCE_GROUP = 64;

export interface ReduceKernelSpec {
  readonly op: ReductionName;
  /** Storage dtype of the source (for partial passes: the class dtype of the accumulator). */
  readonly source: DType;
  readonly accumulator: DType;
  /** 'items': a strided array of `source`; 'partials': (value, position) word pairs of a previous pass. */
  readonly from: 'items' | 'partials';
  /** 'partials': write (value, position) pairs; 'values': write class values (or positions for arg ops). */
  readonly to: 'partials' | 'values';
  readonly shape: 'serial' | 'tree';
}

export function reduceParams(capacity: number): UniformSchema {
  return new UniformSchema({
    scalars: [
      { name: 'outputs', type: 'u32' },
      { name: 'length', type: 'u32' },
      { name: 'kept_rank', type: 'u32' },
      { name: 'reduced_rank', type: 'u32' },
      { name: 'offset', type: 'u32' },
      { name: 'chunks', type: 'u32' },
      /** Elements per invocation: serial passes, consecutive (the whole length when chunks is 1); tree
       * passes, interleaved with the workgroup's other lanes. */
      { name: 'span', type: 'u32' },
      /** Where results go: slot `slot_base + output × slot_stride + chunk` (pairs for partials). */
      { name: 'slot_base', type: 'u32' },
      { name: 'slot_stride', type: 'u32' },
      /** Added to the positions of elements read from items (a piece of a split reduction). */
      { name: 'position_base', type: 'u32' },
      /** The mean of integers: the count each exact sum is divided by (see ReducePlan.divisor). */
      { name: 'divisor', type: 'u32' },
    ],
    // axes[k] = (extent, source stride) of kept axis k; axes[capacity + k] of reduced axis k.
    axes: { name: 'axes', capacity: 2 * capacity },
  });
}

export function reduceKey(spec: ReduceKernelSpec, capacity: number): string {
  return `reduce/${spec.op}/${spec.source}>${spec.accumulator}/${spec.from}>${spec.to}/${spec.shape}/r${capacity}`;
}

const NAN_TESTS = `is_nan(a) || is_nan(b)`;

/** How each reduction combines two partial results `a` and `b` of class `c` in WGSL, and its identity. Arg
 * reductions combine candidates (value, index): the better value wins, a NaN beats everything (NumPy
 * reports the first NaN), and ties go to the smaller index. */
const COMBINE: Record<ReductionName, { combine(c: ComputeClass): string; identity(c: ComputeClass): string }> = {
  sum: { combine: (c) => (c === 'bool' ? 'a || b' : 'a + b'), identity: (c) => ({ f32: '0.0', i32: '0', u32: '0u', bool: 'false' })[c] },
  prod: { combine: (c) => (c === 'bool' ? 'a && b' : 'a * b'), identity: (c) => ({ f32: '1.0', i32: '1', u32: '1u', bool: 'true' })[c] },
  mean: { combine: () => 'a + b', identity: () => '0.0' },
  min: {
    combine: (c) => (c === 'f32' ? `select(min(a, b), nan_f32(), ${NAN_TESTS})` : c === 'bool' ? 'a && b' : 'min(a, b)'),
    identity: (c) => ({ f32: 'bitcast<f32>(0x7f800000u)', i32: '2147483647', u32: '0xffffffffu', bool: 'true' })[c],
  },
  max: {
    combine: (c) => (c === 'f32' ? `select(max(a, b), nan_f32(), ${NAN_TESTS})` : c === 'bool' ? 'a || b' : 'max(a, b)'),
    identity: (c) => ({ f32: 'bitcast<f32>(0xff800000u)', i32: '-2147483647 - 1', u32: '0u', bool: 'false' })[c],
  },
  argmin: {
    combine: (c) => argCombine(c, '<'),
    identity: (c) => ({ f32: 'bitcast<f32>(0x7f800000u)', i32: '2147483647', u32: '0xffffffffu', bool: 'true' })[c],
  },
  argmax: {
    combine: (c) => argCombine(c, '>'),
    identity: (c) => ({ f32: 'bitcast<f32>(0xff800000u)', i32: '-2147483647 - 1', u32: '0u', bool: 'false' })[c],
  },
  any: { combine: () => 'a || b', identity: () => 'false' },
  all: { combine: () => 'a && b', identity: () => 'true' },
};

/** WGSL choosing between candidates (a, ia) and (b, ib): true when `a` should win. */
function argCombine(c: ComputeClass, better: '<' | '>'): string {
  const value = c === 'bool' ? `select(0u, 1u, a) ${better} select(0u, 1u, b)` : `a ${better} b`;
  if (c !== 'f32') return `(${value}) || ((a == b) && ia < ib)`;
  return `(is_nan(a) && (!is_nan(b) || ia < ib)) || (!is_nan(a) && !is_nan(b) && ((${value}) || ((a == b) && ia < ib)))`;
}

/**
 * Whether the accumulator is a 64-bit integer kept as a pair of 32-bit words (x = low word): the exact
 * sums of integer means. Partials are then (low, high) pairs instead of (value, position).
 */
export function isWordPairAccumulator(accumulator: DType): boolean {
  const { kind, itemsize } = dtypeInfo(accumulator);
  return itemsize === 8 && kind !== 'f';
}

/** The kernel of an exact integer sum in word pairs (sum, or the mean of integers). */
function wordPairKernel(spec: ReduceKernelSpec, capacity: number): string {
  if (spec.op !== 'sum' && spec.op !== 'mean') throw new TypeError(`${spec.op} has no word-pair accumulator`);
  const load =
    spec.from === 'partials'
      ? 'fn load(position: u32) -> vec2<u32> { return vec2<u32>(src[2u * position], src[2u * position + 1u]); }'
      : `fn src_word(i: u32) -> u32 { return src[i]; }
${readItemFunction(dtypeInfo(spec.source).itemsize as Width)}
fn load(position: u32) -> vec2<u32> { return ${conversionChain('read_item(position)', [spec.source, spec.accumulator])}; }`;
  const signed = dtypeInfo(spec.accumulator).kind === 'i';
  const write =
    spec.to === 'partials'
      ? 'dst[2u * slot] = value.x; dst[2u * slot + 1u] = value.y;'
      : spec.op === 'mean'
        ? `dst[slot] = bitcast<u32>(mean_f32_of_sum(value, ${signed}, params.divisor));`
        : 'dst[slot] = value.x;';
  return kernelSource(spec, capacity, {
    type: 'vec2<u32>',
    library: [conversionLibrary(spec.from === 'items' ? chainPairs([spec.source, spec.accumulator]) : []), EXACT_MEAN_WGSL],
    combine: 'fn combine(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return u64_add(a, b); }',
    identity: 'vec2<u32>(0u, 0u)',
    load: `${load}\nfn load_position(position: u32, fallback: u32) -> u32 { return 0u; }`,
    write,
    arg: false,
  });
}

function readSource(spec: ReduceKernelSpec, c: ComputeClass): string {
  if (spec.from === 'partials') {
    return `fn load(position: u32) -> ${c} { return ${classFromWord(c, 'src[2u * position]')}; }
fn load_position(position: u32, fallback: u32) -> u32 { return src[2u * position + 1u]; }`;
  }
  const bits = conversionChain('read_item(position)', [spec.source, spec.accumulator, classDType(c)]);
  return `fn src_word(i: u32) -> u32 { return src[i]; }
${readItemFunction(dtypeInfo(spec.source).itemsize as Width)}
fn load(position: u32) -> ${c} { return ${classFromWord(c, `${bits}.x`)}; }
fn load_position(position: u32, fallback: u32) -> u32 { return fallback + params.position_base; }`;
}

export function reduceKernelSource(spec: ReduceKernelSpec, capacity: number): string {
  if (isWordPairAccumulator(spec.accumulator)) return wordPairKernel(spec, capacity);
  const forms = COMBINE[spec.op];
  const c = computeClass(spec.accumulator);
  if (!c) throw new TypeError(`${spec.op} over ${spec.accumulator} needs the CPU backend (WGSL has no 64-bit types)`);
  const type = c;
  const pairs = spec.from === 'items' ? chainPairs([spec.source, spec.accumulator, classDType(c)]) : [];
  const arg = spec.op === 'argmin' || spec.op === 'argmax';
  const combine = arg
    ? `fn better(a: ${type}, ia: u32, b: ${type}, ib: u32) -> bool { return ${forms.combine(c)}; }`
    : `fn combine(a: ${type}, b: ${type}) -> ${type} { return ${forms.combine(c)}; }`;
  // WGSL rejects infinities in constant expressions: identities that need them are made at run time.
  const identity = forms.identity(c).replace(/bitcast<f32>\((0x[0-9a-f]+u)\)/, 'runtime_f32($1)');
  const write =
    spec.to === 'partials'
      ? `dst[2u * slot] = ${classToWord(c, 'value')}; dst[2u * slot + 1u] = position;`
      : arg
        ? 'dst[slot] = position;'
        : `dst[slot] = ${classToWord(c, 'value')};`;
  return kernelSource(spec, capacity, {
    type,
    library: [pairs.length > 0 ? conversionLibrary(pairs) : ''],
    combine,
    identity,
    load: readSource(spec, c),
    write,
    arg,
  });
}

/** The parts of a reduction kernel that depend on its accumulator. */
interface KernelParts {
  /** The WGSL type of partial results. */
  readonly type: string;
  readonly library: readonly string[];
  /** `fn combine(a, b)`, or `fn better(a, ia, b, ib)` for arg reductions. */
  readonly combine: string;
  readonly identity: string;
  /** `fn load(position)` and `fn load_position(position, fallback)`. */
  readonly load: string;
  /** Stores `value` (and `position`) at `slot`. */
  readonly write: string;
  readonly arg: boolean;
}

function kernelSource(spec: ReduceKernelSpec, capacity: number, parts: KernelParts): string {
  const { type, combine, identity, write, arg } = parts;
  const step = arg ? `if (better(v, p, acc, best)) { acc = v; best = p; }` : 'acc = combine(acc, v);';
  const serial = `@compute @workgroup_size(${REDUCE_GROUP})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  // x (+ z × 65535): a block of ${REDUCE_GROUP} neighbouring outputs; y: the span of each.
  let output = (group.z * 65535u + group.x) * ${REDUCE_GROUP}u + lane;
  if (output >= params.outputs) { return; }
  let base = params.offset + locate_kept(output);
  var acc: ${type} = ${identity};
  var best = 0xffffffffu;
  let single = params.reduced_rank == 1u;
  let stride = params.axes[${capacity}].y;
  let start = group.y * params.span;
  let end = min(start + params.span, params.length);
  for (var r = start; r < end; r = r + 1u) {
    let position = base + reduced_position(r, single, stride);
    let v = load(position);
    let p = load_position(position, r);
    ${step}
  }
  let slot = params.slot_base + output * params.slot_stride + group.y;
  let value = acc;
  let position = best;
  ${write}
}`;
  const body =
    spec.shape === 'serial'
      ? serial
      : `var<workgroup> partial_values: array<${type}, ${REDUCE_GROUP}>;
var<workgroup> partial_positions: array<u32, ${REDUCE_GROUP}>;

@compute @workgroup_size(${REDUCE_GROUP})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  // x: chunk; y (+ z × 65535): output. The whole workgroup shares one output, so exits are uniform.
  let output = group.y + group.z * 65535u;
  if (output >= params.outputs) { return; }
  let base = params.offset + locate_kept(output);
  let start = group.x * ${REDUCE_GROUP}u * params.span;
  var acc: ${type} = ${identity};
  var best = 0xffffffffu;
  // One reduced axis (the usual case after merging): step through it without dividing.
  let single = params.reduced_rank == 1u;
  let stride = params.axes[${capacity}].y;
  for (var k = 0u; k < params.span; k = k + 1u) {
    let r = start + k * ${REDUCE_GROUP}u + lane;
    if (r < params.length) {
      let position = base + reduced_position(r, single, stride);
      let v = load(position);
      let p = load_position(position, r);
      ${step}
    }
  }
  partial_values[lane] = acc;
  partial_positions[lane] = best;
  workgroupBarrier();
  for (var width = ${REDUCE_GROUP / 2}u; width > 0u; width = width >> 1u) {
    if (lane < width) {
      let a = partial_values[lane];
      let b = partial_values[lane + width];
      ${
        arg
          ? `if (better(b, partial_positions[lane + width], a, partial_positions[lane])) {
        partial_values[lane] = b;
        partial_positions[lane] = partial_positions[lane + width];
      }`
          : 'partial_values[lane] = combine(a, b);'
      }
    }
    workgroupBarrier();
  }
  if (lane == 0u) {
    let slot = params.slot_base + output * params.slot_stride + group.x;
    let value = partial_values[0];
    let position = partial_positions[0];
    ${write}
  }
}`;
  return [
    reduceParams(capacity).wgslStruct('Params'),
    '@group(0) @binding(0) var<uniform> params: Params;',
    '@group(0) @binding(1) var<storage, read_write> dst: array<u32>;',
    '@group(0) @binding(2) var<storage, read> src: array<u32>;',
    ...parts.library,
    MATH_WGSL,
    'fn runtime_f32(bits: u32) -> f32 { var b = bits; return bitcast<f32>(b); }',
    combine,
    parts.load,
    `fn locate_kept(index: u32) -> u32 {
  var rest = index;
  var at = 0u;
  for (var k = i32(params.kept_rank) - 1; k >= 0; k = k - 1) {
    let axis = params.axes[k];
    at = at + (rest % axis.x) * axis.y;
    rest = rest / axis.x;
  }
  return at;
}
fn locate_reduced(index: u32) -> u32 {
  var rest = index;
  var at = 0u;
  for (var k = i32(params.reduced_rank) - 1; k >= 0; k = k - 1) {
    let axis = params.axes[${capacity} + k];
    at = at + (rest % axis.x) * axis.y;
    rest = rest / axis.x;
  }
  return at;
}
// A branch, not select(): select() evaluates both operands, so every element would pay for the divisions.
fn reduced_position(r: u32, single: bool, stride: u32) -> u32 {
  if (single) { return r * stride; }
  return locate_reduced(r);
}`,
    body,
  ]
    .filter((p) => p !== '')
    .join('\n\n');
}
