/**
 * Scan kernels (cumulative sums and products, and the compaction of boolean arrays), in the order
 * ndarray/core/scan-plan.ts defines: each invocation owns one chunk of SCAN_CHUNK consecutive elements of
 * one row and combines them one after another. Passes:
 *
 * - `totals`: a chunk's total (from items, or from the partials of the level below) into the next
 *   level's partials;
 * - `scan`: a chunk's running results, combined with the scanned total of the chunks before it (the
 *   next level's partials at the chunk's position − 1), into the destination: the result's items, or the
 *   partials themselves in place;
 * - `compact`: for a boolean array, the flat position of each true element at its rank (the running
 *   count) in the keys, invalid keys from the end for the false ones, and the total count.
 *
 * Work items are (row, chunk) pairs over an axes table: axes[k] = (extent, source stride, destination
 * stride, partials stride) per axis of [kept axes..., chunks], in units of each operand.
 */

import { dtypeInfo, type DType } from '../ndarray/core/dtype.js';
import { SCAN_CHUNK, type ScanOp } from '../ndarray/core/scan-plan.js';
import { readItemFunction, writeItemFunction, type Width } from './access.js';
import { chainPairs, conversionChain, conversionLibrary } from './cast.js';
import { UniformSchema } from './uniforms.js';

export const SCAN_WORKGROUP = 64;

export function scanParams(capacity: number): UniformSchema {
  return new UniformSchema({
    scalars: [
      { name: 'count', type: 'u32' },
      { name: 'rank', type: 'u32' },
      { name: 'src_offset', type: 'u32' },
      { name: 'dst_offset', type: 'u32' },
      { name: 'part_offset', type: 'u32' },
      /** Elements per row at this level, and chunks per row (the partials' row length). */
      { name: 'length', type: 'u32' },
      { name: 'chunks', type: 'u32' },
      /** Element strides along a row, in units of the source and the destination. */
      { name: 'src_stride', type: 'u32' },
      { name: 'dst_stride', type: 'u32' },
      /** Compact: the keys' capacity, and the keys positions this dispatch writes, [lo, hi), from window. */
      { name: 'capacity', type: 'u32' },
      { name: 'lo', type: 'u32' },
      { name: 'hi', type: 'u32' },
      { name: 'window', type: 'u32' },
    ],
    axes: { name: 'axes', capacity },
  });
}

export interface ScanKernelSpec {
  readonly mode: 'totals' | 'scan' | 'compact';
  readonly op: ScanOp;
  /** 'items' of `input` (converted to the accumulator), or 'partials' (class words of the level below). */
  readonly from: 'items' | 'partials';
  readonly input: DType;
  readonly accumulator: DType;
  /** Whether a carry (the next level's scanned partials) is bound. */
  readonly carry: boolean;
}

export function scanKey(spec: ScanKernelSpec, capacity: number): string {
  return `scan/${spec.mode}/${spec.op}/${spec.from}/${spec.input}>${spec.accumulator}/${spec.carry ? 'carry' : 'first'}/r${capacity}`;
}

/** The 32-bit class an accumulator combines in (its values' bits are the partials' words). */
function classOf(accumulator: DType): { type: 'f32' | 'i32' | 'u32'; dtype: DType } {
  const { kind } = dtypeInfo(accumulator);
  if (kind === 'f') return { type: 'f32', dtype: 'float32' };
  if (kind === 'i') return { type: 'i32', dtype: 'int32' };
  return { type: 'u32', dtype: 'uint32' };
}

/** WGSL `fn combine(a, b)` rounding or wrapping as the accumulator does. */
function combineFunction(op: ScanOp, accumulator: DType): string {
  const c = classOf(accumulator).type;
  const raw = op === 'sum' ? 'a + b' : 'a * b';
  let body: string;
  switch (accumulator) {
    case 'float16':
      // NumPy's float16 loops compute in float32 and round to float16 at every step.
      body = `let r = ${raw};
  return bitcast<f32>(${conversionChain('vec2<u32>(bitcast<u32>(r), 0u)', ['float32', 'float16', 'float32'])}.x);`;
      break;
    case 'int8':
    case 'int16': {
      const shift = 32 - dtypeInfo(accumulator).itemsize * 8;
      body = `return ((${raw}) << ${shift}u) >> ${shift}u;`;
      break;
    }
    case 'uint8':
    case 'uint16':
      body = `return (${raw}) & ${accumulator === 'uint8' ? '0xffu' : '0xffffu'};`;
      break;
    case 'bool':
      body = op === 'sum' ? 'return select(0u, 1u, a != 0u || b != 0u);' : 'return select(0u, 1u, a != 0u && b != 0u);';
      break;
    default:
      body = `return ${raw};`;
  }
  return `fn combine(a: ${c}, b: ${c}) -> ${c} {\n  ${body}\n}`;
}

function wordOf(c: string, value: string): string {
  return c === 'u32' ? value : `bitcast<u32>(${value})`;
}

function fromWord(c: string, word: string): string {
  return c === 'u32' ? word : `bitcast<${c}>(${word})`;
}

export function scanKernelSource(spec: ScanKernelSpec, capacity: number): string {
  const klass = classOf(spec.accumulator);
  const c = klass.type;
  const pairs: [DType, DType][] = [];
  const parts: string[] = [scanParams(capacity).wgslStruct('Params'), '@group(0) @binding(0) var<uniform> params: Params;'];
  const inPlace = spec.mode === 'scan' && spec.from === 'partials';
  const itemsOut = spec.mode === 'scan' && spec.from === 'items';
  const outWidth = dtypeInfo(spec.accumulator).itemsize as Width;
  const atomicOut = itemsOut && outWidth < 4;
  // Bindings: 1 the written array (2 the count, for compact), then the source and the carry.
  let binding = 2;
  if (spec.mode === 'compact') {
    parts.push('@group(0) @binding(1) var<storage, read_write> keys: array<u32>;');
    parts.push('@group(0) @binding(2) var<storage, read_write> count: array<u32>;');
    binding = 3;
  } else {
    parts.push(`@group(0) @binding(1) var<storage, read_write> dst: array<${atomicOut ? 'atomic<u32>' : 'u32'}>;`);
  }
  if (!inPlace) parts.push(`@group(0) @binding(${binding++}) var<storage, read> src: array<u32>;`);
  if (spec.carry) parts.push(`@group(0) @binding(${binding++}) var<storage, read> carry: array<u32>;`);
  // Loading element at a source position, as the accumulator's class.
  if (spec.from === 'items') {
    const chain = [spec.input, spec.accumulator, klass.dtype];
    pairs.push(...chainPairs(chain));
    parts.push('fn src_word(i: u32) -> u32 { return src[i]; }', readItemFunction(dtypeInfo(spec.input).itemsize as Width));
    parts.push(`fn load(i: u32) -> ${c} { return ${fromWord(c, `${conversionChain('read_item(i)', chain)}.x`)}; }`);
  } else if (inPlace) {
    parts.push(`fn load(i: u32) -> ${c} { return ${fromWord(c, 'dst[i]')}; }`);
  } else {
    parts.push(`fn load(i: u32) -> ${c} { return ${fromWord(c, 'src[i]')}; }`);
  }
  if (spec.accumulator === 'float16') pairs.push(['float32', 'float16'], ['float16', 'float32']);
  let store: string;
  if (itemsOut) {
    const outChain = [klass.dtype, spec.accumulator];
    pairs.push(...chainPairs(outChain));
    parts.push(
      atomicOut
        ? `fn dst_store_lane(byte_address: u32, value: u32, width: u32) {
  let word = byte_address >> 2u;
  let shift = (byte_address & 3u) * 8u;
  let mask = select(0xffffu, 0xffu, width == 1u) << shift;
  atomicAnd(&dst[word], ~mask);
  atomicOr(&dst[word], (value << shift) & mask);
}`
        : 'fn dst_store_word(i: u32, value: u32) { dst[i] = value; }',
      writeItemFunction(outWidth),
    );
    store = `write_item(d, ${conversionChain(`vec2<u32>(${wordOf(c, 'r')}, 0u)`, outChain)});`;
  } else {
    store = `dst[d] = ${wordOf(c, 'r')};`;
  }
  parts.push(conversionLibrary(pairs), combineFunction(spec.op, spec.accumulator));
  parts.push(`fn locate(i: u32) -> vec3<u32> {
  var rest = i;
  var at = vec3<u32>(params.src_offset, params.dst_offset, params.part_offset);
  for (var k = i32(params.rank) - 1; k >= 1; k = k - 1) {
    let axis = params.axes[k];
    at = at + (rest % axis.x) * axis.yzw;
    rest = rest / axis.x;
  }
  return at + rest * params.axes[0].yzw;
}`);
  let body: string;
  if (spec.mode === 'totals') {
    body = `var acc = load(at.x);
  var s = at.x;
  for (var j = 1u; j < n; j = j + 1u) {
    s = s + params.src_stride;
    acc = combine(acc, load(s));
  }
  dst[at.z] = ${wordOf(c, 'acc')};`;
  } else if (spec.mode === 'scan') {
    const src = 'at.x';
    const dst = 'at.y';
    body = `${spec.carry ? `let has_carry = chunk > 0u;\n  var c: ${c} = ${fromWord(c, '0u')};\n  if (has_carry) { c = ${fromWord(c, 'carry[at.z - 1u]')}; }` : 'let has_carry = false;\n  let c = ' + fromWord(c, '0u') + ';'}
  var acc = load(${src});
  var s = ${src};
  var d = ${dst};
  for (var j = 0u; j < n; j = j + 1u) {
    if (j > 0u) {
      s = s + params.src_stride;
      d = d + params.dst_stride;
      acc = combine(acc, load(s));
    }
    var r = acc;
    if (has_carry) { r = combine(c, acc); }
    ${store}
  }`;
  } else {
    body = `var rank = 0u;
  ${spec.carry ? 'if (chunk > 0u) { rank = carry[at.z - 1u]; }' : ''}
  var s = at.x;
  let start = chunk * ${SCAN_CHUNK}u;
  for (var j = 0u; j < n; j = j + 1u) {
    if (j > 0u) { s = s + params.src_stride; }
    let p = start + j;
    var place = 0u;
    var key = 0xffffffffu;
    if (load(s) != 0u) {
      place = rank;
      key = p;
      rank = rank + 1u;
    } else {
      place = params.capacity - 1u - (p - rank);
    }
    if (place - params.lo < params.hi - params.lo) { keys[place - params.window] = key; }
    if (p + 1u == params.length && params.lo == 0u) { count[0] = rank; }
  }`;
  }
  parts.push(`@compute @workgroup_size(${SCAN_WORKGROUP})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) lane: u32) {
  let index = (group.y * groups.x + group.x) * ${SCAN_WORKGROUP}u + lane;
  if (index >= params.count) { return; }
  let at = locate(index);
  let chunk = at.z % params.chunks;
  let n = min(${SCAN_CHUNK}u, params.length - chunk * ${SCAN_CHUNK}u);
  ${body}
}`);
  return parts.filter((p) => p !== '').join('\n\n');
}
