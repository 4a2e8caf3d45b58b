/**
 * WGSL for reading and writing items of any width in buffers of 32-bit words. WGSL has no 8- or 16-bit
 * storage types, so narrow items live in lanes of a word; a narrow write is an atomic AND (clear the
 * lane) then an atomic OR (set it), so invocations writing neighbouring lanes of one word never lose each
 * other's bytes. 8-byte items are word pairs (little-endian: low word first).
 */

import type { ComputeClass } from '../ndarray/core/kernel-forms.js';

export type Width = 1 | 2 | 4 | 8;

export interface BindingPlan {
  /** One read_write buffer serves as source and destination (WebGPU forbids binding one buffer twice
   * with a writable usage in one dispatch). */
  readonly aliased: boolean;
  readonly hasSource: boolean;
  readonly dstWidth: Width;
  /** Bind as `array<vec2<u32>>` or `array<vec4<u32>>`: the kernel moves 2 or 4 words per element. */
  readonly vector: 2 | 4 | null;
}

/** Whether the destination words must be `atomic<u32>` (narrow writes share words). */
export function dstIsAtomic(plan: BindingPlan): boolean {
  return plan.dstWidth < 4;
}

/** Binding declarations (binding 0 is the uniforms, declared by the caller). */
export function bindingDeclarations(plan: BindingPlan): string {
  const vector = plan.vector ? `vec${plan.vector}<u32>` : null;
  const word = vector ?? (dstIsAtomic(plan) ? 'atomic<u32>' : 'u32');
  if (plan.aliased) return `@group(0) @binding(1) var<storage, read_write> buf: array<${word}>;`;
  const dst = `@group(0) @binding(1) var<storage, read_write> dst: array<${word}>;`;
  const srcWord = vector ?? 'u32';
  return plan.hasSource ? `${dst}\n@group(0) @binding(2) var<storage, read> src: array<${srcWord}>;` : dst;
}

/** `src_word(i)`, `dst_store_word(i, v)`, `dst_store_lane(byte_address, v, width)` for the binding plan. */
export function wordAccessors(plan: BindingPlan): string {
  const atomic = dstIsAtomic(plan);
  const dstName = plan.aliased ? 'buf' : 'dst';
  const parts: string[] = [];
  if (plan.hasSource) {
    const load = plan.aliased ? (atomic ? 'atomicLoad(&buf[i])' : 'buf[i]') : 'src[i]';
    parts.push(`fn src_word(i: u32) -> u32 { return ${load}; }`);
  }
  if (atomic) {
    parts.push(`fn dst_store_lane(byte_address: u32, value: u32, width: u32) {
  let word = byte_address >> 2u;
  let shift = (byte_address & 3u) * 8u;
  let mask = select(0xffffu, 0xffu, width == 1u) << shift;
  atomicAnd(&${dstName}[word], ~mask);
  atomicOr(&${dstName}[word], (value << shift) & mask);
}`);
  } else {
    parts.push(`fn dst_store_word(i: u32, value: u32) { ${dstName}[i] = value; }`);
  }
  return parts.join('\n');
}

/**
 * `fn <name>(i: u32) -> vec2<u32>`: item i (of `width` bytes) read through `word(i)`, which returns the
 * 32-bit word at a word index; zero-extended, high word in .y.
 */
export function readItemFunction(width: Width, name = 'read_item', word = 'src_word'): string {
  switch (width) {
    case 8:
      return `fn ${name}(i: u32) -> vec2<u32> { return vec2<u32>(${word}(2u * i), ${word}(2u * i + 1u)); }`;
    case 4:
      return `fn ${name}(i: u32) -> vec2<u32> { return vec2<u32>(${word}(i), 0u); }`;
    default: {
      const mask = width === 1 ? '0xffu' : '0xffffu';
      return `fn ${name}(i: u32) -> vec2<u32> {
  let byte_address = i * ${width}u;
  return vec2<u32>((${word}(byte_address >> 2u) >> ((byte_address & 3u) * 8u)) & ${mask}, 0u);
}`;
    }
  }
}

/** A value of compute class `c` (its name is its WGSL type) from the 32-bit word holding its bits. */
export function classFromWord(c: ComputeClass, word: string): string {
  return c === 'f32' ? `bitcast<f32>(${word})` : c === 'i32' ? `bitcast<i32>(${word})` : c === 'u32' ? word : `(${word} != 0u)`;
}

/** The 32-bit word holding a value of compute class `c`. */
export function classToWord(c: ComputeClass, value: string): string {
  return c === 'f32' || c === 'i32' ? `bitcast<u32>(${value})` : c === 'u32' ? value : `select(0u, 1u, ${value})`;
}

/** `fn write_item(i: u32, bits: vec2<u32>)`: stores the low `w` bytes of `bits` as item i of the destination. */
export function writeItemFunction(width: Width): string {
  switch (width) {
    case 8:
      return 'fn write_item(i: u32, bits: vec2<u32>) { dst_store_word(2u * i, bits.x); dst_store_word(2u * i + 1u, bits.y); }';
    case 4:
      return 'fn write_item(i: u32, bits: vec2<u32>) { dst_store_word(i, bits.x); }';
    default:
      return `fn write_item(i: u32, bits: vec2<u32>) { dst_store_lane(i * ${width}u, bits.x, ${width}u); }`;
  }
}
