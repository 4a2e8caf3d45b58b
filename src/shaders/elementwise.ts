/**
 * Elementwise kernels (ufuncs and user expressions) over strided operands: up to three inputs, each an
 * array (with its own dtype, offset and strides, any item width) or a scalar passed in the uniforms.
 * Each input is read as item bits, converted to the operation's loop dtype and then to its compute class
 * (bool, i32, u32, f32) with the exact conversions of cast.ts; the result is converted to the result
 * dtype and then to the output's. Like the strided kernels, invocations walk runs of elements, or
 * interleave with their workgroup's other lanes (see tuning.ts).
 */

import { dtypeInfo, type DType } from '../ndarray/core/dtype.js';
import { classDType, computeClass, type ComputeClass } from '../ndarray/core/kernel-forms.js';
import { MATH_WGSL, mathFunctionsFor } from './math.js';
import { classFromWord, classToWord, readItemFunction, type Width } from './access.js';
import { chainPairs, conversionChain, conversionLibrary } from './cast.js';
import { elementwiseParams } from './uniforms.js';

export const ELEMENTWISE_WORKGROUP = 64;
export const ELEMENTWISE_ELEMS = 8;

export type ElementwiseInput =
  /** An array input: its storage dtype; `aliased` when it lives in the output's buffer (read from there:
   * WebGPU forbids binding one buffer as read_write and read in one dispatch). */
  | { readonly kind: 'array'; readonly dtype: DType; readonly loop: DType; readonly aliased: boolean }
  /** A scalar, already converted to its loop dtype's compute class (bits in the uniforms). */
  | { readonly kind: 'scalar'; readonly loop: DType };

export interface ElementwiseSpec {
  /** A WGSL expression in x0..x2 (compute-class values) giving the result class. */
  readonly expression: string;
  readonly inputs: readonly ElementwiseInput[];
  readonly result: DType;
  readonly out: DType;
  /** Extra WGSL (helper functions) the expression needs. */
  readonly helpers?: string;
}

/** Bindings 2, 3, 4 hold the array inputs that are not aliased to the output, in input order. */
export function readBindings(spec: ElementwiseSpec): number {
  return spec.inputs.filter((i) => i.kind === 'array' && !i.aliased).length;
}

export function elementwiseKey(spec: ElementwiseSpec, capacity: number): string {
  const inputs = spec.inputs.map((i) => (i.kind === 'array' ? `${i.dtype}>${i.loop}${i.aliased ? '@dst' : ''}` : `scalar>${i.loop}`));
  // The helpers are part of the program: user expressions all call `user_expression(...)`.
  return `map/${inputs.join(',')}/${spec.result}>${spec.out}/r${capacity}/${spec.expression}${spec.helpers ? `/${spec.helpers}` : ''}`;
}

function classOf(dtype: DType): ComputeClass {
  const c = computeClass(dtype);
  if (!c) throw new TypeError(`${dtype} arithmetic is not available on the GPU (WGSL has no 64-bit types)`);
  return c;
}

function writeItem(width: number): string {
  switch (width) {
    case 8:
      return 'fn write_out(i: u32, bits: vec2<u32>) { dst[2u * i] = bits.x; dst[2u * i + 1u] = bits.y; }';
    case 4:
      return 'fn write_out(i: u32, bits: vec2<u32>) { dst[i] = bits.x; }';
    default:
      return `fn write_out(i: u32, bits: vec2<u32>) {
  let byte_address = i * ${width}u;
  let word = byte_address >> 2u;
  let shift = (byte_address & 3u) * 8u;
  let mask = ${width === 1 ? '0xffu' : '0xffffu'} << shift;
  atomicAnd(&dst[word], ~mask);
  atomicOr(&dst[word], (bits.x << shift) & mask);
}`;
  }
}

export function elementwiseKernelSource(spec: ElementwiseSpec, capacity: number): string {
  const outWidth = dtypeInfo(spec.out).itemsize;
  const atomic = outWidth < 4;
  const resultClass = classOf(spec.result);
  const parts: string[] = [elementwiseParams(capacity).wgslStruct('Params'), '@group(0) @binding(0) var<uniform> params: Params;'];
  parts.push(`@group(0) @binding(1) var<storage, read_write> dst: array<${atomic ? 'atomic<u32>' : 'u32'}>;`);
  const pairs: [DType, DType][] = [];
  const loads: string[] = [];
  let binding = 2;
  spec.inputs.forEach((input, k) => {
    const c = classOf(input.loop);
    if (input.kind === 'scalar') {
      loads.push(`fn load_${k}(i: u32) -> ${c} { return ${classFromWord(c, `params.scalars[${k}]`)}; }`);
      return;
    }
    const chain = [input.dtype, input.loop, classDType(c)];
    pairs.push(...chainPairs(chain));
    let word: string;
    if (input.aliased) {
      word = `in${k}_word`;
      loads.push(`fn ${word}(i: u32) -> u32 { return ${atomic ? 'atomicLoad(&dst[i])' : 'dst[i]'}; }`);
    } else {
      parts.push(`@group(0) @binding(${binding++}) var<storage, read> in${k}: array<u32>;`);
      word = `in${k}_word`;
      loads.push(`fn ${word}(i: u32) -> u32 { return in${k}[i]; }`);
    }
    loads.push(readItemFunction(dtypeInfo(input.dtype).itemsize as Width, `read_${k}`, word));
    loads.push(`fn load_${k}(i: u32) -> ${c} { return ${classFromWord(c, `${conversionChain(`read_${k}(i)`, chain)}.x`)}; }`);
  });
  const outChain = [classDType(resultClass), spec.result, spec.out];
  pairs.push(...chainPairs(outChain));
  parts.push(
    conversionLibrary(pairs),
    MATH_WGSL,
    mathFunctionsFor(`${spec.expression}\n${spec.helpers ?? ''}`),
    spec.helpers ?? '',
    ...loads,
    writeItem(outWidth),
  );
  const positions = ['at.y', 'at.z', 'at.w'];
  const inputLets = spec.inputs.map((_, k) => `let x${k} = load_${k}(${positions[k]});`).join(' ');
  const step = 'vec4<u32>(a.y, a.z, a.w, b.x)';
  parts.push(`
// Unit positions of element \`index\`: (dst, in0, in1, in2). Axis k's data is axes[2k] = (extent, dst,
// in0, in1) and axes[2k+1].x = in2; strides are two's complement, so u32 arithmetic wraps right.
fn locate(index: u32) -> vec4<u32> {
  var rest = index;
  var at = vec4<u32>(params.dst_offset, params.offsets.x, params.offsets.y, params.offsets.z);
  for (var k = i32(params.rank) - 1; k >= 1; k = k - 1) {
    let a = params.axes[2 * k];
    let b = params.axes[2 * k + 1];
    let coordinate = rest % a.x;
    rest = rest / a.x;
    at = at + coordinate * ${step};
  }
  // The outermost axis takes what is left, without dividing (plans have rank >= 1).
  let a = params.axes[0];
  let b = params.axes[1];
  return at + rest * ${step};
}

override INTERLEAVED: bool = false;

@compute @workgroup_size(${ELEMENTWISE_WORKGROUP})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) lane: u32) {
  let workgroup = group.y * groups.x + group.x;
  // ${ELEMENTWISE_ELEMS} elements per invocation, \`gap\` apart: a run of consecutive ones, or with INTERLEAVED every
  // ${ELEMENTWISE_WORKGROUP}th of the workgroup's block (see tuning.ts).
  var first = (workgroup * ${ELEMENTWISE_WORKGROUP}u + lane) * ${ELEMENTWISE_ELEMS}u;
  var gap = 1u;
  if (params.row_blocks != 0u) {
    // Rows in blocks: a workgroup's lanes take the same run of ${ELEMENTWISE_ELEMS} columns in ${ELEMENTWISE_WORKGROUP} neighbouring rows
    // (rows are whole runs here), so an operand walking the two innermost axes transposed reads
    // neighbouring memory across the lanes instead of one element per row.
    let row_length = params.axes[2u * (params.rank - 1u)].x;
    let runs = row_length / ${ELEMENTWISE_ELEMS}u;
    first = ((workgroup / runs) * ${ELEMENTWISE_WORKGROUP}u + lane) * row_length + (workgroup % runs) * ${ELEMENTWISE_ELEMS}u;
  } else if (INTERLEAVED) {
    first = workgroup * ${ELEMENTWISE_WORKGROUP * ELEMENTWISE_ELEMS}u + lane;
    gap = ${ELEMENTWISE_WORKGROUP}u;
  }
  if (first >= params.count) { return; }
  let a = params.axes[2u * (params.rank - 1u)];
  let b = params.axes[2u * (params.rank - 1u) + 1u];
  let leap = gap * ${step};
  var column = first; // a rank-1 plan's row is the whole space: no division
  if (params.rank > 1u) { column = first % a.x; }
  var at = locate(first);
  for (var k = 0u; k < ${ELEMENTWISE_ELEMS}u; k = k + 1u) {
    let index = first + k * gap;
    if (index >= params.count) { return; }
    if (column >= a.x) {
      // Past the row's end: locate afresh.
      column = index % a.x;
      at = locate(index);
    }
    ${inputLets}
    let r: ${resultClass} = ${spec.expression};
    write_out(at.x, ${conversionChain(`vec2<u32>(${classToWord(resultClass, 'r')}, 0u)`, outChain)});
    column = column + gap;
    at = at + leap;
  }
}`);
  return parts.filter((p) => p !== '').join('\n\n');
}
