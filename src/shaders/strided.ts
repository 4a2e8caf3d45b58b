/**
 * The strided kernels: invocations walk runs of a plan's iteration space, locating elements by
 * decomposing linear indices over the plan's axes (shape and strides arrive as uniforms, so one
 * compiled pipeline serves every shape up to its rank capacity). Kinds:
 * - copy: moves units of 1, 2, 4 or 16 bytes (8-byte items arrive as word pairs from the planner;
 *   16-byte units are four aligned words, where rows are contiguous and aligned);
 * - fill: writes the unit of an 8-byte pattern that matches the unit's address;
 * - cast: reads an item of one dtype, converts it (see cast.ts), writes an item of another.
 */

import type { DType } from '../ndarray/core/dtype.js';
import { dtypeInfo } from '../ndarray/core/dtype.js';
import { bindingDeclarations, readItemFunction, wordAccessors, writeItemFunction, type BindingPlan, type Width } from './access.js';
import { conversionFunction } from './cast.js';
import { blockedTransposeKernelSource, transposeKernelSource } from './transpose.js';
import { locateFunction, stridedParams } from './uniforms.js';

export const WORKGROUP_SIZE = 64;

/** Units a copy or fill moves per element: bytes, a word, or two or four words (vec2/vec4) when rows are
 * contiguous and aligned. */
export type KernelUnit = 1 | 2 | 4 | 8 | 16;

export type KernelSpec =
  /** `reversed`: vector units whose lanes come reversed (a source walking its rows backwards). */
  | { readonly kind: 'copy'; readonly unit: KernelUnit; readonly aliased: boolean; readonly reversed?: boolean }
  | { readonly kind: 'fill'; readonly unit: KernelUnit }
  | { readonly kind: 'cast'; readonly from: DType; readonly to: DType; readonly aliased: boolean }
  /** A copy of 4-byte units tile by tile (see transpose.ts); never aliased. `blocked`: 4×4 vector blocks
   * for aligned plans, else 32×32 tiles through workgroup memory. */
  | { readonly kind: 'transpose'; readonly blocked: boolean };

/** Elements each invocation moves (the pipeline's ELEMS): enough to amortise locating the first. */
export function elementsPerInvocation(spec: KernelSpec): number {
  return (spec.kind === 'copy' || spec.kind === 'fill') && spec.unit >= 8 ? 8 : 16;
}

/** A stable cache key for a kernel and rank capacity. */
export function kernelKey(spec: KernelSpec, capacity: number): string {
  switch (spec.kind) {
    case 'copy':
      return `copy/u${spec.unit}${spec.reversed ? '-reversed' : ''}/${spec.aliased ? 'aliased' : 'separate'}/r${capacity}`;
    case 'fill':
      return `fill/u${spec.unit}/r${capacity}`;
    case 'cast':
      return `cast/${spec.from}->${spec.to}/${spec.aliased ? 'aliased' : 'separate'}/r${capacity}`;
    case 'transpose':
      return `transpose${spec.blocked ? '-blocked' : ''}/r${capacity}`;
  }
}

export function bindingPlan(spec: KernelSpec): BindingPlan {
  switch (spec.kind) {
    case 'copy':
      return { aliased: spec.aliased, hasSource: true, dstWidth: spec.unit >= 8 ? 4 : (spec.unit as Width), vector: vectorOf(spec.unit) };
    case 'fill':
      return { aliased: false, hasSource: false, dstWidth: spec.unit >= 8 ? 4 : (spec.unit as Width), vector: vectorOf(spec.unit) };
    case 'cast':
      return { aliased: spec.aliased, hasSource: true, dstWidth: dtypeInfo(spec.to).itemsize as Width, vector: null };
    case 'transpose':
      return { aliased: false, hasSource: true, dstWidth: 4, vector: null };
  }
}

function vectorOf(unit: KernelUnit): 2 | 4 | null {
  return unit === 16 ? 4 : unit === 8 ? 2 : null;
}

/** Element `index`'s unit positions in the destination (.x) and the source (.y). */
const LOCATE = locateFunction('locate', 0);

/** The statement that moves (or writes) one element at unit positions `at`. */
function body(spec: KernelSpec): string {
  switch (spec.kind) {
    case 'copy': {
      if (spec.unit <= 2) return 'write_item(at.x, read_item(at.y));';
      const swizzle = spec.reversed ? (spec.unit === 16 ? '.wzyx' : '.yx') : '';
      return spec.aliased ? `buf[at.x] = buf[at.y]${swizzle};` : `dst[at.x] = src[at.y]${swizzle};`;
    }
    case 'fill':
      if (spec.unit === 16) return 'dst[at.x] = vec4<u32>(params.pattern, params.pattern);';
      if (spec.unit === 8) return 'dst[at.x] = params.pattern;';
      // The unit at byte address A takes the pattern's bytes at A mod 8.
      return `{
      let address = at.x * ${spec.unit}u;
      let word = select(params.pattern.x, params.pattern.y, (address & 4u) != 0u);
      ${spec.unit === 4 ? 'dst[at.x] = word;' : 'write_item(at.x, vec2<u32>(word >> ((address & 3u) * 8u), 0u));'}
    }`;
    case 'cast':
      return 'write_item(at.x, convert(read_item(at.y)));';
    case 'transpose':
      throw new Error('internal error: transposes have their own kernel');
  }
}

/**
 * The WGSL source of a strided kernel for plans of rank ≤ \`capacity\`. Each invocation moves \`ELEMS\`
 * elements of the iteration space, \`gap\` apart: consecutive ones (gap 1), or with INTERLEAVED every
 * 64th of its workgroup's block (see tuning.ts for which suits which adapter). It locates the first (one
 * division per axis), then steps along the innermost axis by its strides, locating afresh only where a
 * row ends: that amortises the index arithmetic, which otherwise costs more than the move itself.
 */
export function kernelSource(spec: KernelSpec, capacity: number): string {
  if (spec.kind === 'transpose') return spec.blocked ? blockedTransposeKernelSource(capacity) : transposeKernelSource(capacity);
  return stridedKernelSource(spec, capacity);
}

export function stridedKernelSource(spec: KernelSpec, capacity: number): string {
  const plan = bindingPlan(spec);
  const direct = (spec.kind === 'copy' || spec.kind === 'fill') && spec.unit >= 4;
  const readWidth: Width =
    spec.kind === 'cast' ? (dtypeInfo(spec.from).itemsize as Width) : spec.kind === 'copy' && spec.unit <= 2 ? (spec.unit as Width) : 4;
  const BODY = body(spec);
  const parts = [
    stridedParams(capacity).wgslStruct('Params'),
    '@group(0) @binding(0) var<uniform> params: Params;',
    bindingDeclarations(plan),
    direct ? '' : wordAccessors(plan),
    plan.hasSource && !direct ? readItemFunction(readWidth) : '',
    direct ? '' : writeItemFunction(plan.dstWidth),
    spec.kind === 'cast' ? conversionFunction(spec.from, spec.to) : '',
    LOCATE,
    `override ELEMS: u32 = 16u;
override INTERLEAVED: bool = false;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) lane: u32) {
  let workgroup = group.y * groups.x + group.x;
  var first = (workgroup * ${WORKGROUP_SIZE}u + lane) * ELEMS;
  var gap = 1u;
  if (INTERLEAVED) {
    first = workgroup * ${WORKGROUP_SIZE}u * ELEMS + lane;
    gap = ${WORKGROUP_SIZE}u;
  }
  if (first >= params.count) { return; }
  let inner = params.axes[params.rank - 1u];
  var column = first; // a rank-1 plan's row is the whole space: no division
  if (params.rank > 1u) { column = first % inner.x; }
  var at = locate(first);
  let leap = gap * inner.yz;
  let reach = gap * (ELEMS - 1u); // from the first element to the last
  if (first + reach < params.count && column + reach < inner.x) {
    // All ELEMS elements lie in one row (the common case): step along it with no row checks, a trip
    // count fixed at pipeline creation (the compiler can unroll it).
    for (var k = 0u; k < ELEMS; k = k + 1u) {
      ${BODY}
      at = at + leap;
    }
    return;
  }
  if (INTERLEAVED) {
    // Rows end between the elements (or the space does): locate afresh past each row's end.
    for (var k = 0u; k < ELEMS; k = k + 1u) {
      let index = first + k * gap;
      if (index >= params.count) { return; }
      if (column >= inner.x) {
        column = index % inner.x;
        at = locate(index);
      }
      ${BODY}
      column = column + gap;
      at = at + leap;
    }
    return;
  }
  let last = min(first + ELEMS, params.count);
  if (column + (last - first) <= inner.x) {
    for (var index = first; index < last; index = index + 1u) {
      ${BODY}
      at = at + inner.yz;
    }
    return;
  }
  // Runs that cross rows: an odometer over the two innermost axes, locating afresh (divisions) only when
  // the outer of the two wraps, so short rows (a column pair, say) cost no division per row.
  var outer = vec4<u32>(0xffffffffu, 0u, 0u, 0u);
  if (params.rank >= 2u) { outer = params.axes[params.rank - 2u]; }
  var row = (first / inner.x) % outer.x;
  var row_start = at - column * inner.yz;
  for (var index = first; index < last; index = index + 1u) {
    ${BODY}
    column = column + 1u;
    at = at + inner.yz;
    if (column == inner.x) {
      column = 0u;
      row = row + 1u;
      if (row == outer.x) {
        row = 0u;
        at = locate(index + 1u);
        row_start = at;
      } else {
        row_start = row_start + outer.yz;
        at = row_start;
      }
    }
  }
}`,
  ];
  return parts.filter((p) => p !== '').join('\n\n');
}
