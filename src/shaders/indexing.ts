/**
 * The kernels of advanced indexing (see ndarray/core/index-plan.ts). Shapes, strides and offsets arrive
 * as uniforms, so one pipeline per item width (or index dtype) serves every shape up to its rank
 * capacity. Keys are 32-bit; INVALID (0xffffffff) selects nothing.
 *
 * - key pass: `keys = normalise(index) × multiplier` (or added to the keys there), every index checked
 *   against its axis; a failure makes the key invalid and records, in the check slot, the smallest
 *   failing position (atomicMax of its complement); a second dispatch of the same pipeline in capture
 *   mode then stores the index value at that position, for the error message;
 * - gather: each result element from its basic position plus its key's offset (through a window of the
 *   source: addresses outside it are another dispatch's), zero for invalid keys;
 * - scatter: each value to its key's element, unless one of the operation's check slots failed; where
 *   keys may repeat with different values, a winners pass first keeps each key's last occurrence
 *   (atomicMax of positions + 1 in a zeroed winners array) and a resolve pass invalidates the others and
 *   zeroes the winners array again;
 * - check count and spread key: the small checks of boolean arrays' counts.
 *
 * Bindings: 0 uniforms, 1 the written array; kernels that also write a second array (check slots,
 * winners) use the layouts with the aux binding 2, and their read-only arrays start at binding 3.
 */

import { dtypeInfo, type DType } from '../ndarray/core/dtype.js';
import { bindingDeclarations, readItemFunction, wordAccessors, writeItemFunction, type Width } from './access.js';
import { UniformSchema } from './uniforms.js';

export const INDEX_WORKGROUP = 64;
/** Elements each key pass, gather or scatter invocation handles: consecutive ones, or with INTERLEAVED
 * every INDEX_WORKGROUP-th of its workgroup's block (neighbouring lanes on neighbouring elements, as GPUs
 * coalesce them; see tuning.ts). */
export const INDEX_ELEMS = 8;
/** Words per check slot: the complement of the smallest failing position, then the value (low, high). */
export const SLOT_WORDS = 4;

const INVALID = '0xffffffffu';

export function keyParams(capacity: number): UniformSchema {
  return new UniformSchema({
    scalars: [
      { name: 'count', type: 'u32' },
      { name: 'rank', type: 'u32' },
      { name: 'keys_offset', type: 'u32' },
      { name: 'index_offset', type: 'u32' },
      { name: 'size', type: 'u32' },
      { name: 'multiplier', type: 'u32' },
      /** Bit 0: accumulate; bit 1: pass invalid index values through; bit 2: capture mode. */
      { name: 'flags', type: 'u32' },
      { name: 'slot', type: 'u32' },
      /** The keys' position of the keys window's start (positions are absolute keys indices). */
      { name: 'position_base', type: 'u32' },
    ],
    axes: { name: 'axes', capacity },
  });
}

/** Gathers and scatters: axes[k] = (extent, dst, src or value, keys) of the result space; axes[capacity
 * + k] = (length, stride) of key axis k. */
export function gatherParams(capacity: number): UniformSchema {
  return new UniformSchema({
    scalars: [
      { name: 'count', type: 'u32' },
      { name: 'rank', type: 'u32' },
      { name: 'dst_offset', type: 'u32' },
      { name: 'src_offset', type: 'u32' },
      { name: 'keys_offset', type: 'u32' },
      { name: 'key_rank', type: 'u32' },
      /** The indexed array's addresses this dispatch handles, [lo, hi), and its window's start (items). */
      { name: 'lo', type: 'u32' },
      { name: 'hi', type: 'u32' },
      { name: 'window', type: 'u32' },
      /** Gather: whether invalid keys write zero here (one window's dispatch does). */
      { name: 'write_invalid', type: 'u32' },
      /** Scatter: the operation's check slots; any failed one cancels the writes. */
      { name: 'gate_first', type: 'u32' },
      { name: 'gate_count', type: 'u32' },
    ],
    axes: { name: 'axes', capacity: 2 * capacity },
  });
}

/** Winners, check count and spread key: one dimension, no axes. */
export function smallParams(): UniformSchema {
  return new UniformSchema({
    scalars: [
      { name: 'count', type: 'u32' },
      { name: 'offset', type: 'u32' },
      { name: 'position_base', type: 'u32' },
      { name: 'lo', type: 'u32' },
      { name: 'hi', type: 'u32' },
      { name: 'slot', type: 'u32' },
      { name: 'expected', type: 'u32' },
      /** Check count: bit 0 compare with the second buffer's count; bit 1 a count of 1 broadcasts. */
      { name: 'flags', type: 'u32' },
      /** Winners: the key of the winners window's first word. */
      { name: 'window', type: 'u32' },
    ],
    axes: { name: 'axes', capacity: 1 },
  });
}

const globalIndex = `let index = (group.y * groups.x + group.x) * ${INDEX_WORKGROUP}u + lane;`;
/** The first element of an invocation and the gap to its next (see INDEX_ELEMS). */
const FIRST = `var first = index * ${INDEX_ELEMS}u;
  var gap = 1u;
  if (INTERLEAVED) {
    first = (group.y * groups.x + group.x) * ${INDEX_WORKGROUP * INDEX_ELEMS}u + lane;
    gap = ${INDEX_WORKGROUP}u;
  }`;
const OVERRIDE = 'override INTERLEAVED: bool = false;';
const entry = `@compute @workgroup_size(${INDEX_WORKGROUP})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) lane: u32)`;

/** WGSL turning an index item's bits (zero-extended, high word in .y) into its axis position, or INVALID. */
function normaliseFunction(dtype: DType): string {
  const { kind, itemsize } = dtypeInfo(dtype);
  let body: string;
  if (itemsize === 8) {
    body =
      kind === 'u'
        ? `if (bits.y == 0u && bits.x < params.size) { return bits.x; }
  return ${INVALID};`
        : `if (bits.y == 0u && bits.x < 0x80000000u && bits.x < params.size) { return bits.x; }
  if (bits.y == 0xffffffffu && bits.x >= 0x80000000u) {
    let magnitude = 0u - bits.x;
    if (magnitude <= params.size) { return params.size - magnitude; }
  }
  return ${INVALID};`;
  } else if (kind === 'u') {
    body = `if (bits.x < params.size) { return bits.x; }
  return ${INVALID};`;
  } else {
    const shift = 32 - itemsize * 8;
    body = `let x = ${shift === 0 ? 'bitcast<i32>(bits.x)' : `bitcast<i32>(bits.x << ${shift}u) >> ${shift}u`};
  if (x < 0) {
    let magnitude = 0u - bitcast<u32>(x);
    if (magnitude <= params.size) { return params.size - magnitude; }
    return ${INVALID};
  }
  if (bitcast<u32>(x) < params.size) { return bitcast<u32>(x); }
  return ${INVALID};`;
  }
  return `fn normalise(bits: vec2<u32>) -> u32 {
  ${body}
}`;
}

export function keyKernelKey(dtype: DType, capacity: number): string {
  return `index-keys/${dtype}/r${capacity}`;
}

export function keyKernelSource(dtype: DType, capacity: number): string {
  const width = dtypeInfo(dtype).itemsize as Width;
  return [
    keyParams(capacity).wgslStruct('Params'),
    '@group(0) @binding(0) var<uniform> params: Params;',
    '@group(0) @binding(1) var<storage, read_write> keys: array<u32>;',
    '@group(0) @binding(2) var<storage, read_write> checks: array<atomic<u32>>;',
    '@group(0) @binding(3) var<storage, read> index: array<u32>;',
    'fn src_word(i: u32) -> u32 { return index[i]; }',
    readItemFunction(width),
    normaliseFunction(dtype),
    OVERRIDE,
    `// The keys' and the index's unit positions of element \`i\` of the plan.
fn locate(i: u32) -> vec2<u32> {
  var rest = i;
  var at = vec2<u32>(params.keys_offset, params.index_offset);
  for (var k = i32(params.rank) - 1; k >= 1; k = k - 1) {
    let axis = params.axes[k];
    at = at + (rest % axis.x) * axis.yz;
    rest = rest / axis.x;
  }
  return at + rest * params.axes[0].yz;
}

${entry} {
  ${globalIndex}
  let slot = ${SLOT_WORDS}u * params.slot;
  if ((params.flags & 4u) != 0u) {
    // Capture: the value at the smallest failing position, when it lies in this piece (the keys are
    // packed, so a piece's element i is at keys position keys_offset + i).
    if (index != 0u) { return; }
    let flag = atomicLoad(&checks[slot]);
    if (flag == 0u) { return; }
    let i = ~flag - params.position_base - params.keys_offset;
    if (i >= params.count) { return; }
    let bits = read_item(locate(i).y);
    atomicStore(&checks[slot + 1u], bits.x);
    atomicStore(&checks[slot + 2u], bits.y);
    return;
  }
  ${FIRST}
  for (var e = 0u; e < ${INDEX_ELEMS}u; e = e + 1u) {
    let i = first + e * gap;
    if (i >= params.count) { return; }
    let at = locate(i);
    let bits = read_item(at.y);
    if ((params.flags & 2u) != 0u && bits.x == ${INVALID}) {
      keys[at.x] = ${INVALID};
      continue;
    }
    let n = normalise(bits);
    if (n == ${INVALID}) {
      keys[at.x] = ${INVALID};
      atomicMax(&checks[slot], ~(params.position_base + at.x));
      continue;
    }
    let term = n * params.multiplier;
    if ((params.flags & 1u) == 0u) {
      keys[at.x] = term;
    } else {
      let old = keys[at.x];
      if (old != ${INVALID}) { keys[at.x] = old + term; }
    }
  }
}`,
  ].join('\n\n');
}

/** `fn locate(i) -> vec3<u32>` (dst, src or value, keys positions) and `fn key_offset(key) -> u32`. */
function locateAndKeyOffset(capacity: number): string {
  return `fn locate(i: u32) -> vec3<u32> {
  var rest = i;
  var at = vec3<u32>(params.dst_offset, params.src_offset, params.keys_offset);
  for (var k = i32(params.rank) - 1; k >= 1; k = k - 1) {
    let axis = params.axes[k];
    at = at + (rest % axis.x) * axis.yzw;
    rest = rest / axis.x;
  }
  return at + rest * params.axes[0].yzw;
}
// A key's offset in items: its coordinates over the key axes (C order) times their strides.
fn key_offset(key: u32) -> u32 {
  var rest = key;
  var offset = 0u;
  for (var k = i32(params.key_rank) - 1; k >= 1; k = k - 1) {
    let axis = params.axes[${capacity} + k];
    offset = offset + (rest % axis.x) * axis.y;
    rest = rest / axis.x;
  }
  return offset + rest * params.axes[${capacity}].y;
}`;
}

export function gatherKernelKey(itemsize: number, capacity: number): string {
  return `gather/u${itemsize}/r${capacity}`;
}

/** Gather: dst (packed result) ← src at basic position + key offset. */
export function gatherKernelSource(itemsize: Width, capacity: number): string {
  const plan = { aliased: false, hasSource: true, dstWidth: itemsize, vector: null } as const;
  return [
    gatherParams(capacity).wgslStruct('Params'),
    '@group(0) @binding(0) var<uniform> params: Params;',
    bindingDeclarations(plan),
    '@group(0) @binding(3) var<storage, read> keys: array<u32>;',
    wordAccessors(plan),
    readItemFunction(itemsize),
    writeItemFunction(itemsize),
    locateAndKeyOffset(capacity),
    OVERRIDE,
    `${entry} {
  ${globalIndex}
  ${FIRST}
  for (var e = 0u; e < ${INDEX_ELEMS}u; e = e + 1u) {
    let i = first + e * gap;
    if (i >= params.count) { return; }
    let at = locate(i);
    let key = keys[at.z];
    if (key == ${INVALID}) {
      if (params.write_invalid != 0u) { write_item(at.x, vec2<u32>(0u, 0u)); }
      continue;
    }
    let address = at.y + key_offset(key);
    if (address - params.lo < params.hi - params.lo) { write_item(at.x, read_item(address - params.window)); }
  }
}`,
  ].join('\n\n');
}

export function scatterKernelKey(itemsize: number, capacity: number): string {
  return `scatter/u${itemsize}/r${capacity}`;
}

/** Scatter: dst at basic position + key offset ← value, unless a gate failed. */
export function scatterKernelSource(itemsize: Width, capacity: number): string {
  const plan = { aliased: false, hasSource: true, dstWidth: itemsize, vector: null } as const;
  return [
    gatherParams(capacity).wgslStruct('Params'),
    '@group(0) @binding(0) var<uniform> params: Params;',
    bindingDeclarations(plan),
    '@group(0) @binding(3) var<storage, read> keys: array<u32>;',
    '@group(0) @binding(4) var<storage, read> checks: array<u32>;',
    wordAccessors(plan),
    readItemFunction(itemsize),
    writeItemFunction(itemsize),
    locateAndKeyOffset(capacity),
    OVERRIDE,
    `${entry} {
  for (var s = 0u; s < params.gate_count; s = s + 1u) {
    if (checks[${SLOT_WORDS}u * (params.gate_first + s)] != 0u) { return; }
  }
  ${globalIndex}
  ${FIRST}
  for (var e = 0u; e < ${INDEX_ELEMS}u; e = e + 1u) {
    let i = first + e * gap;
    if (i >= params.count) { return; }
    let at = locate(i);
    let key = keys[at.z];
    if (key == ${INVALID}) { continue; }
    let address = at.x + key_offset(key);
    if (address - params.lo < params.hi - params.lo) { write_item(address - params.window, read_item(at.y)); }
  }
}`,
  ].join('\n\n');
}

const SMALL_HEADER = [smallParams().wgslStruct('Params'), '@group(0) @binding(0) var<uniform> params: Params;'].join('\n');

/** Winners: each valid key's largest position + 1, over keys [lo, hi) of the winners window. */
export const WINNERS_KERNEL = `${SMALL_HEADER}
@group(0) @binding(1) var<storage, read_write> winners: array<atomic<u32>>;
@group(0) @binding(2) var<storage, read> keys: array<u32>;

${entry} {
  ${globalIndex}
  if (index >= params.count) { return; }
  let key = keys[params.offset + index];
  if (key == ${INVALID} || key < params.lo || key >= params.hi) { return; }
  atomicMax(&winners[key - params.window], params.position_base + params.offset + index + 1u);
}`;

/** Resolve: a key that is not its winner becomes invalid; the winner zeroes its place again. */
export const RESOLVE_KERNEL = `${SMALL_HEADER}
@group(0) @binding(1) var<storage, read_write> keys: array<u32>;
@group(0) @binding(2) var<storage, read_write> winners: array<atomic<u32>>;

${entry} {
  ${globalIndex}
  if (index >= params.count) { return; }
  let key = keys[params.offset + index];
  if (key == ${INVALID} || key < params.lo || key >= params.hi) { return; }
  let position = params.position_base + params.offset + index + 1u;
  if (atomicLoad(&winners[key - params.window]) == position) {
    atomicStore(&winners[key - params.window], 0u);
  } else {
    keys[params.offset + index] = ${INVALID};
  }
}`;

/** Check count: the count (word 0 of binding 2) against `expected` or the count of binding 3. */
export const CHECK_COUNT_KERNEL = `${SMALL_HEADER}
@group(0) @binding(1) var<storage, read_write> checks: array<u32>;
@group(0) @binding(2) var<storage, read> count: array<u32>;
@group(0) @binding(3) var<storage, read> other: array<u32>;

${entry} {
  ${globalIndex}
  if (index != 0u) { return; }
  let n = count[0];
  let expected = select(params.expected, other[0], (params.flags & 1u) != 0u);
  let broadcast = (params.flags & 2u) != 0u && (n == 1u || expected == 1u);
  if (n != expected && !broadcast) {
    let slot = ${SLOT_WORDS}u * params.slot;
    checks[slot] = 0xffffffffu;
    checks[slot + 1u] = n;
    checks[slot + 2u] = expected;
  }
}`;

/** Spread key: where the count is 1, the first key to places [1, count). */
export const SPREAD_KEY_KERNEL = `${SMALL_HEADER}
@group(0) @binding(1) var<storage, read_write> keys: array<u32>;
@group(0) @binding(2) var<storage, read> count: array<u32>;

${entry} {
  ${globalIndex}
  if (index == 0u || index >= params.count || count[0] != 1u) { return; }
  keys[index] = keys[0];
}`;
