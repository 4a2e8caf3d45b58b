/**
 * The tiled transpose: for plans whose destination is contiguous along the innermost axis while the
 * source is contiguous along the next one (a transposed copy, possibly batched over outer axes). A
 * workgroup moves a 32×32 tile through workgroup memory: it reads the tile along the source's contiguous
 * axis and writes it along the destination's, so both sides are read and written in whole cache lines
 * (on a GPU: coalesced) instead of one side striding through memory.
 */

import { locateFunction, stridedParams } from './uniforms.js';

export const TILE = 32;

/** The positions of batch element `batch` (over all axes but the last two), in both operands. */
const LOCATE_BATCH = locateFunction('locate_batch', 2);

/** Rows of the tile each pass of the workgroup covers (the workgroup is TILE × TILE_ROWS). */
export const TILE_ROWS = 8;

export function transposeKernelSource(capacity: number): string {
  return `${stridedParams(capacity).wgslStruct('Params')}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;
@group(0) @binding(2) var<storage, read> src: array<u32>;

// One row of padding keeps the column reads of the second phase off a single memory bank.
var<workgroup> tile: array<u32, ${TILE * (TILE + 1)}>;

${LOCATE_BATCH}

@compute @workgroup_size(${TILE}, ${TILE_ROWS})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>) {
  let rows = params.axes[params.rank - 2u];   // the source is contiguous along this axis
  let columns = params.axes[params.rank - 1u]; // the destination is contiguous along this one
  let at = locate_batch(group.z);
  let row0 = group.y * ${TILE}u;
  let column0 = group.x * ${TILE}u;
  // Read: neighbouring invocations take neighbouring rows, i.e. neighbouring source elements.
  for (var k = 0u; k < ${TILE}u; k = k + ${TILE_ROWS}u) {
    let row = row0 + local.x;
    let column = column0 + local.y + k;
    if (row < rows.x && column < columns.x) {
      tile[(local.y + k) * ${TILE + 1}u + local.x] = src[at.y + row * rows.z + column * columns.z];
    }
  }
  workgroupBarrier();
  // Write: neighbouring invocations take neighbouring columns, i.e. neighbouring destination elements.
  for (var k = 0u; k < ${TILE}u; k = k + ${TILE_ROWS}u) {
    let row = row0 + local.y + k;
    let column = column0 + local.x;
    if (row < rows.x && column < columns.x) {
      dst[at.x + row * rows.y + column * columns.y] = tile[local.x * ${TILE + 1}u + local.y + k];
    }
  }
}`;
}

/** Invocations per workgroup side for the blocked transpose (each moves a 4×4 block). */
export const BLOCK_GROUP = 8;

/**
 * The transpose for aligned plans (both sides' rows start on 16-byte boundaries, both extents multiples
 * of 4): each invocation reads four vec4s along the source's contiguous axis, transposes the 4×4 block
 * in registers and writes four vec4s along the destination's. Every access is a full 16-byte vector, and
 * no barrier is needed; an 8×8 workgroup covers a 32×32 tile, so neighbours share cache lines.
 */
export function blockedTransposeKernelSource(capacity: number): string {
  return `${stridedParams(capacity).wgslStruct('Params')}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> src: array<vec4<u32>>;

${LOCATE_BATCH}

@compute @workgroup_size(${BLOCK_GROUP}, ${BLOCK_GROUP})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>) {
  let rows = params.axes[params.rank - 2u];    // source contiguous along rows (rows.z == 1)
  let columns = params.axes[params.rank - 1u]; // destination contiguous along columns (columns.y == 1)
  let row = (group.y * ${BLOCK_GROUP}u + local.y) * 4u;
  let column = (group.x * ${BLOCK_GROUP}u + local.x) * 4u;
  if (row >= rows.x || column >= columns.x) { return; }
  let at = locate_batch(group.z);
  // Word positions (two's complement strides wrap correctly in u32), then vec4 indices.
  let s = at.y + row + column * columns.z;
  let a = src[s / 4u];
  let b = src[(s + columns.z) / 4u];
  let c = src[(s + 2u * columns.z) / 4u];
  let d = src[(s + 3u * columns.z) / 4u];
  let o = at.x + row * rows.y + column;
  dst[o / 4u] = vec4<u32>(a.x, b.x, c.x, d.x);
  dst[(o + rows.y) / 4u] = vec4<u32>(a.y, b.y, c.y, d.y);
  dst[(o + 2u * rows.y) / 4u] = vec4<u32>(a.z, b.z, c.z, d.z);
  dst[(o + 3u * rows.y) / 4u] = vec4<u32>(a.w, b.w, c.w, d.w);
}`;
}
