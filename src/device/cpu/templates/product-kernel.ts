/**
 * The JavaScript products' micro-kernel (../product.ts): one 4 × 4 block of sums over k terms from packed
 * panels (a: 4 rows per step, b: 4 columns), each sum in a local variable of its own over the whole inner
 * dimension: V8 keeps the 16 accumulators in registers, where an array of sums, or a step function shared
 * by every kind of sum, ran several times slower.
 *
 * This file is a template, never imported: `npm run gen:cpu-loops` writes ../generated/product-kernel-f64.ts,
 * -f32.ts, -i32.ts and -bool.ts from it with the two lines below the panel's doc comment replaced and each
 * `c += a * b` rewritten in the arithmetic of its kind (scripts/gen-cpu-loops.ts): float64 sums as written
 * here; float32 sums with each product and each sum rounded by Math.fround, without fused multiply-adds;
 * int32 sums wrapping in 32 bits (Math.imul's low bits, additions truncated by `| 0`); bool's OR of ANDs.
 * Every kind adds its terms in k order from ZERO. The rewrite is text, so the copies run the arithmetic
 * inline at every tier of the JIT, with type feedback of their own. Edit this file, then regenerate.
 */

/** The panels' type, and where the sums start (-0.0 is the float identity: a sum of one -0 term keeps its
 * sign). */
type Panel = Float64Array;
const ZERO = -0;

/** `c[i · 4 + j]` = the sum over p < k of `ap[ai + 4p + i] · bp[bi + 4p + j]`, added in p order from ZERO. */
export function productKernel(ap: Panel, ai: number, bp: Panel, bi: number, k: number, c: Panel): void {
  let c00 = ZERO, c01 = ZERO, c02 = ZERO, c03 = ZERO, c10 = ZERO, c11 = ZERO, c12 = ZERO, c13 = ZERO; // prettier-ignore
  let c20 = ZERO, c21 = ZERO, c22 = ZERO, c23 = ZERO, c30 = ZERO, c31 = ZERO, c32 = ZERO, c33 = ZERO; // prettier-ignore
  for (let p = 0; p < k; p++, ai += 4, bi += 4) {
    const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3]; // prettier-ignore
    const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3]; // prettier-ignore
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  c[0] = c00;
  c[1] = c01;
  c[2] = c02;
  c[3] = c03;
  c[4] = c10;
  c[5] = c11;
  c[6] = c12;
  c[7] = c13;
  c[8] = c20;
  c[9] = c21;
  c[10] = c22;
  c[11] = c23;
  c[12] = c30;
  c[13] = c31;
  c[14] = c32;
  c[15] = c33;
}
