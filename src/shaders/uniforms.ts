/**
 * One schema yields both the WGSL struct of a kernel's uniforms and the function that packs values into
 * it, so the two cannot drift. Layout follows WGSL's uniform rules: u32 aligns to 4, vec2<u32> to 8,
 * vec4<u32> (and arrays of it, whose element stride must be 16) to 16; the struct rounds up to 16.
 */

export type ScalarFieldType = 'u32' | 'vec2<u32>' | 'vec4<u32>';

export interface UniformSchemaSpec {
  readonly scalars: readonly { readonly name: string; readonly type: ScalarFieldType }[];
  /** A trailing `array<vec4<u32>, capacity>`: one vec4 per axis. */
  readonly axes: { readonly name: string; readonly capacity: number };
}

export type UniformValues = Record<string, number | readonly number[]>;

const SIZE: Record<ScalarFieldType, number> = { u32: 4, 'vec2<u32>': 8, 'vec4<u32>': 16 };

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

export class UniformSchema {
  readonly spec: UniformSchemaSpec;
  readonly byteSize: number;
  /** Each scalar field's name, byte offset and 32-bit lanes, in order (packing runs per dispatch). */
  readonly #fields: readonly { readonly name: string; readonly offset: number; readonly lanes: number }[];
  readonly #axesOffset: number;

  constructor(spec: UniformSchemaSpec) {
    this.spec = spec;
    const fields: { name: string; offset: number; lanes: number }[] = [];
    let at = 0;
    for (const field of spec.scalars) {
      at = alignUp(at, SIZE[field.type]);
      fields.push({ name: field.name, offset: at, lanes: field.type === 'u32' ? 0 : SIZE[field.type] / 4 });
      at += SIZE[field.type];
    }
    this.#fields = fields;
    this.#axesOffset = alignUp(at, 16);
    this.byteSize = alignUp(this.#axesOffset + 16 * spec.axes.capacity, 16);
  }

  /** The WGSL declaration `struct <name> { ... }`. */
  wgslStruct(name: string): string {
    const lines = this.spec.scalars.map((f) => `  ${f.name}: ${f.type},`);
    lines.push(`  ${this.spec.axes.name}: array<vec4<u32>, ${this.spec.axes.capacity}>,`);
    return `struct ${name} {\n${lines.join('\n')}\n}`;
  }

  /**
   * Writes `values` and per-axis vectors at `byteOffset`. Axis entries may be negative (strides): they are
   * stored as two's complement u32, which the kernels use with wrapping u32 arithmetic.
   */
  pack(target: DataView, byteOffset: number, values: UniformValues, axes: readonly (readonly number[])[]): void {
    if (axes.length > this.spec.axes.capacity) {
      throw new RangeError(`rank ${axes.length} exceeds this kernel's capacity ${this.spec.axes.capacity}`);
    }
    for (const field of this.#fields) {
      const value = values[field.name] ?? 0;
      const at = byteOffset + field.offset;
      if (field.lanes === 0) target.setUint32(at, (value as number) >>> 0, true);
      else {
        const lanes = value as readonly number[];
        for (let c = 0; c < field.lanes; c++) target.setUint32(at + 4 * c, (lanes[c] ?? 0) >>> 0, true);
      }
    }
    for (let k = 0; k < axes.length; k++) {
      const axis = axes[k];
      const at = byteOffset + this.#axesOffset + 16 * k;
      for (let c = 0; c < 4; c++) target.setUint32(at + 4 * c, (axis[c] ?? 0) >>> 0, true);
    }
  }
}

/** Rank capacities kernels are compiled for: a plan of rank r uses the smallest capacity ≥ r. */
export const RANK_CAPACITIES = [4, 16, 64] as const;

export function rankCapacity(rank: number): number {
  for (const c of RANK_CAPACITIES) if (rank <= c) return c;
  throw new RangeError(`rank ${rank} exceeds NumPy's maximum of 64 dimensions`);
}

/**
 * WGSL `fn <name>(index: u32) -> vec2<u32>` for the strided parameters: the positions of element
 * `index` in the destination (.x) and the source (.y), decomposing it over all axes but the last
 * `skipped` (innermost last). Strides are two's complement, so u32 arithmetic wraps right.
 */
export function locateFunction(name: string, skipped: number): string {
  // The outermost axis takes what is left without dividing (index < the product of the extents):
  // integer division is slow on GPUs, and each saved one is one less per run.
  return `fn ${name}(index: u32) -> vec2<u32> {
  var rest = index;
  var at = vec2<u32>(params.dst_offset, params.src_offset);
  for (var k = i32(params.rank) - ${1 + skipped}; k >= 1; k = k - 1) {
    let axis = params.axes[k];
    let coordinate = rest % axis.x;
    rest = rest / axis.x;
    at = at + coordinate * axis.yz;
  }
  if (params.rank > ${skipped}u) { at = at + rest * params.axes[0].yz; }
  return at;
}`;
}

/** The uniforms of every strided kernel (copy, fill, cast). */
export function stridedParams(capacity: number): UniformSchema {
  return new UniformSchema({
    scalars: [
      { name: 'count', type: 'u32' },
      { name: 'rank', type: 'u32' },
      { name: 'dst_offset', type: 'u32' },
      { name: 'src_offset', type: 'u32' },
      { name: 'pattern', type: 'vec2<u32>' },
    ],
    axes: { name: 'axes', capacity },
  });
}

/** The uniforms of elementwise kernels: up to three inputs, two vec4s of per-axis data per axis
 * ((extent, dst, in0, in1) then (in2, 0, 0, 0)), scalar inputs as bits of their compute class. */
export function elementwiseParams(capacity: number): UniformSchema {
  return new UniformSchema({
    scalars: [
      { name: 'count', type: 'u32' },
      { name: 'rank', type: 'u32' },
      { name: 'dst_offset', type: 'u32' },
      { name: 'offsets', type: 'vec4<u32>' },
      { name: 'scalars', type: 'vec4<u32>' },
      /** Nonzero: runs go to workgroups in blocks of rows (see elementwise.ts). */
      { name: 'row_blocks', type: 'u32' },
    ],
    axes: { name: 'axes', capacity: 2 * capacity },
  });
}
