// ndarray-ops ships no types: the functions the benchmark uses.
declare module 'ndarray-ops' {
  import type { NdArray } from 'ndarray';
  interface NdarrayOps {
    /** dst[...] = src[...] (same shape; any strides). */
    assign(dst: NdArray, src: NdArray): NdArray;
    /** dst[...] = scalar. */
    assigns(dst: NdArray, value: number): NdArray;
    /** out[...] = a[...] + b[...] (same shape; any strides). */
    add(out: NdArray, a: NdArray, b: NdArray): NdArray;
    /** a[...] += b[...]. */
    addeq(a: NdArray, b: NdArray): NdArray;
    /** The sum of every element (accumulated in a JavaScript number). */
    sum(a: NdArray): number;
  }
  const ops: NdarrayOps;
  export = ops;
}
