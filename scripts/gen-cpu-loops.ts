/**
 * `npm run gen:cpu-loops`: writes the CPU loops' per-type copies from their templates, so that every
 * TypedArray type has loops (and V8 type feedback) of its own:
 * - src/device/cpu/templates/copy-blocks.ts (units of one TypedArray type) -> generated/copy-blocks-u32.ts,
 *   -u16.ts, -u8.ts;
 * - src/device/cpu/templates/run-loops.ts (items of one TypedArray type) -> generated/run-loops-f32.ts,
 *   -f64.ts, -i32.ts, -u32.ts, -i16.ts, -u16.ts, -i8.ts, -u8.ts;
 * - src/device/cpu/templates/product-kernel.ts (the JavaScript products' 4 × 4 micro-kernel, float64 sums)
 *   -> generated/product-kernel-f64.ts, -f32.ts, -i32.ts, -bool.ts, each step of the sums rewritten in
 *   its kind's arithmetic as text (a step function would be a call at the JIT's lower tiers).
 * The templates are never imported: only their generated copies are. It also writes the WebAssembly
 * kernels' bytes (src/device/cpu/wasm/module.ts) to src/device/cpu/generated/kernels-wasm.ts.
 * test/cpu-kernels.test.ts fails when a generated file is not what this writes.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kernelModuleSource } from '../src/device/cpu/wasm/module.js';

/** Where the WebAssembly kernels' bytes are written. */
export const KERNELS_WASM_FILE = 'src/device/cpu/generated/kernels-wasm.ts';
export { kernelModuleSource };

/** One step of one of the product kernel template's sums, `cIJ += aI * bJ;`: $1 the sum, $2 and $3 the terms. */
const PRODUCT_STEP = /(c\d\d) \+= (a\d) \* (b\d);/g;

export interface LoopCopy {
  file: string;
  typeLine: string;
  /** Rewrites of the template's text beyond its type line: each pattern (global, and found in the
   * template) with its replacement, as String.replace takes them. */
  replace?: readonly (readonly [RegExp, string])[];
}

export interface LoopFamily {
  template: string;
  /** The template's line naming its array type (or its consecutive lines naming what its copies replace). */
  typeLine: string;
  copies: readonly LoopCopy[];
}

const blocks = (bits: 8 | 16 | 32) => ({
  file: `src/device/cpu/generated/copy-blocks-u${bits}.ts`,
  typeLine: `type Units = Uint${bits}Array;`,
});
const runs = (suffix: string, type: string) => ({
  file: `src/device/cpu/generated/run-loops-${suffix}.ts`,
  typeLine: `type Items = ${type};`,
});

export const FAMILIES: readonly LoopFamily[] = [
  {
    template: 'src/device/cpu/templates/copy-blocks.ts',
    typeLine: 'type Units = Uint32Array;',
    copies: [blocks(32), blocks(16), blocks(8)],
  },
  {
    template: 'src/device/cpu/templates/run-loops.ts',
    typeLine: 'type Items = Float32Array;',
    copies: [
      runs('f32', 'Float32Array'),
      runs('f64', 'Float64Array'),
      runs('i32', 'Int32Array'),
      runs('u32', 'Uint32Array'),
      runs('i16', 'Int16Array'),
      runs('u16', 'Uint16Array'),
      runs('i8', 'Int8Array'),
      runs('u8', 'Uint8Array'),
    ],
  },
  // ----- advanced indexing: gather/scatter rows per unit width, key passes per index type -----
  {
    template: 'src/device/cpu/templates/index-units.ts',
    typeLine: 'type Units = Uint32Array;',
    copies: ([32, 16, 8] as const).map((bits) => ({
      file: `src/device/cpu/generated/index-units-u${bits}.ts`,
      typeLine: `type Units = Uint${bits}Array;`,
    })),
  },
  {
    template: 'src/device/cpu/templates/index-keys.ts',
    typeLine: 'type Items = Int32Array;',
    copies: (
      [
        ['i32', 'Int32Array'],
        ['u32', 'Uint32Array'],
        ['i16', 'Int16Array'],
        ['u16', 'Uint16Array'],
        ['i8', 'Int8Array'],
        ['u8', 'Uint8Array'],
      ] as const
    ).map(([suffix, type]) => ({ file: `src/device/cpu/generated/index-keys-${suffix}.ts`, typeLine: `type Items = ${type};` })),
  },
  // ----- the JavaScript products' micro-kernel per kind of sum: panel type and start; each step rewritten -----
  {
    template: 'src/device/cpu/templates/product-kernel.ts',
    typeLine: productKind('Float64Array', '-0'),
    copies: [
      { file: 'src/device/cpu/generated/product-kernel-f64.ts', typeLine: productKind('Float64Array', '-0') },
      {
        file: 'src/device/cpu/generated/product-kernel-f32.ts',
        typeLine: productKind('Float64Array', '-0'),
        replace: [[PRODUCT_STEP, '$1 = Math.fround($1 + Math.fround($2 * $3));']],
      },
      {
        file: 'src/device/cpu/generated/product-kernel-i32.ts',
        typeLine: productKind('Int32Array', '0'),
        replace: [[PRODUCT_STEP, '$1 = ($1 + Math.imul($2, $3)) | 0;']],
      },
      {
        file: 'src/device/cpu/generated/product-kernel-bool.ts',
        typeLine: productKind('Int32Array', '0'),
        replace: [[PRODUCT_STEP, '$1 = $1 | ($2 && $3);']],
      },
    ],
  },
];

/** The product kernel template's lines naming the panel type and where the sums start. */
function productKind(panel: string, zero: string): string {
  return `type Panel = ${panel};\nconst ZERO = ${zero};`;
}

/** One copy's text, from the template's text: everything after its leading doc comment, with the type
 * line replaced and the copy's rewrites made. */
export function generateCopy(family: LoopFamily, templateText: string, copy: LoopCopy): string {
  const at = templateText.indexOf(family.typeLine);
  if (at < 0) throw new Error(`${family.template} no longer declares '${family.typeLine}'`);
  let body = templateText.slice(templateText.indexOf('*/') + 2).trimStart();
  body = body.replace(family.typeLine, copy.typeLine);
  let rewrites = '';
  for (const [pattern, replacement] of copy.replace ?? []) {
    if (!pattern.global) throw new Error(`${copy.file}: rewrite ${String(pattern)} is not global`);
    if (body.search(pattern) < 0) throw new Error(`${family.template} has no ${String(pattern)} to rewrite`);
    body = body.replace(pattern, replacement);
    rewrites += `, ${String(pattern)} as '${replacement}'`;
  }
  const header = `// Generated by scripts/gen-cpu-loops.ts from ${family.template} (the same loops with '${copy.typeLine.replaceAll('\n', ' ')}'${rewrites},
// and V8 type feedback of their own); edit the template and run \`npm run gen:cpu-loops\`.\n\n`;
  return header + body;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const family of FAMILIES) {
    const text = readFileSync(family.template, 'utf8');
    for (const copy of family.copies) {
      writeFileSync(copy.file, generateCopy(family, text, copy));
      console.log(`wrote ${copy.file}`);
    }
  }
  writeFileSync(KERNELS_WASM_FILE, kernelModuleSource());
  console.log(`wrote ${KERNELS_WASM_FILE}`);
}
