/**
 * The strided kernels: one invocation per element of a plan's iteration space, which it locates by
 * decomposing its linear index over the plan's axes (shape and strides arrive as uniforms, so one
 * compiled pipeline serves every shape up to its rank capacity). Kinds:
 * - copy: moves units of 1, 2 or 4 bytes (8-byte items arrive as word pairs from the planner);
 * - fill: writes the unit of an 8-byte pattern that matches the unit's address;
 * - cast: reads an item of one dtype, converts it (see cast.ts), writes an item of another.
 */

import type { DType } from '../ndarray/dtype.js';
import { dtypeInfo } from '../ndarray/dtype.js';
import { bindingDeclarations, readItemFunction, wordAccessors, writeItemFunction, type BindingPlan, type Width } from './access.js';
import { conversionFunction } from './cast.js';
import { stridedParams } from './uniforms.js';

export const WORKGROUP_SIZE = 64;

export type KernelSpec =
  | { readonly kind: 'copy'; readonly unit: 1 | 2 | 4; readonly aliased: boolean }
  | { readonly kind: 'fill'; readonly unit: 1 | 2 | 4 }
  | { readonly kind: 'cast'; readonly from: DType; readonly to: DType; readonly aliased: boolean };

/** A stable cache key for a kernel and rank capacity. */
export function kernelKey(spec: KernelSpec, capacity: number): string {
  switch (spec.kind) {
    case 'copy':
      return `copy/u${spec.unit}/${spec.aliased ? 'aliased' : 'separate'}/r${capacity}`;
    case 'fill':
      return `fill/u${spec.unit}/r${capacity}`;
    case 'cast':
      return `cast/${spec.from}->${spec.to}/${spec.aliased ? 'aliased' : 'separate'}/r${capacity}`;
  }
}

export function bindingPlan(spec: KernelSpec): BindingPlan {
  switch (spec.kind) {
    case 'copy':
      return { aliased: spec.aliased, hasSource: true, dstWidth: spec.unit };
    case 'fill':
      return { aliased: false, hasSource: false, dstWidth: spec.unit };
    case 'cast':
      return { aliased: spec.aliased, hasSource: true, dstWidth: dtypeInfo(spec.to).itemsize as Width };
  }
}

const LOCATE = `
// The unit index of element \`index\` in the destination (.x) and the source (.y): the linear index is
// decomposed over the axes, innermost last; strides are two's complement, so u32 arithmetic wraps right.
fn locate(index: u32) -> vec2<u32> {
  var rest = index;
  var at = vec2<u32>(params.dst_offset, params.src_offset);
  for (var k = i32(params.rank) - 1; k >= 0; k = k - 1) {
    let axis = params.axes[k];
    let coordinate = rest % axis.x;
    rest = rest / axis.x;
    at = at + coordinate * axis.yz;
  }
  return at;
}`;

function body(spec: KernelSpec): string {
  switch (spec.kind) {
    case 'copy':
      return 'write_item(at.x, read_item(at.y));';
    case 'fill':
      // The unit at byte address A takes the pattern's bytes at A mod 8.
      return `let address = at.x * ${spec.unit}u;
  let word = select(params.pattern.x, params.pattern.y, (address & 4u) != 0u);
  write_item(at.x, vec2<u32>(${spec.unit === 4 ? 'word' : `word >> ((address & 3u) * 8u)`}, 0u));`;
    case 'cast':
      return 'write_item(at.x, convert(read_item(at.y)));';
  }
}

/** The WGSL source of a strided kernel for plans of rank ≤ `capacity`. */
export function stridedKernelSource(spec: KernelSpec, capacity: number): string {
  const plan = bindingPlan(spec);
  const readWidth: Width = spec.kind === 'cast' ? (dtypeInfo(spec.from).itemsize as Width) : spec.kind === 'copy' ? spec.unit : 4;
  const writeWidth: Width = plan.dstWidth;
  const parts = [
    stridedParams(capacity).wgslStruct('Params'),
    '@group(0) @binding(0) var<uniform> params: Params;',
    bindingDeclarations(plan),
    wordAccessors(plan),
    plan.hasSource ? readItemFunction(readWidth) : '',
    writeItemFunction(writeWidth),
    spec.kind === 'cast' ? conversionFunction(spec.from, spec.to) : '',
    LOCATE,
    `@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) lane: u32) {
  let index = (group.y * groups.x + group.x) * ${WORKGROUP_SIZE}u + lane;
  if (index >= params.count) { return; }
  let at = locate(index);
  ${body(spec)}
}`,
  ];
  return parts.filter((p) => p !== '').join('\n\n');
}
