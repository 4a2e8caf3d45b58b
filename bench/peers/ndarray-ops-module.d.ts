// ndarray-ops ships no types: the two functions the benchmark uses.
declare module 'ndarray-ops' {
  import type { NdArray } from 'ndarray';
  interface NdarrayOps {
    /** dst[...] = src[...] (same shape; any strides). */
    assign(dst: NdArray, src: NdArray): NdArray;
    /** dst[...] = scalar. */
    assigns(dst: NdArray, value: number): NdArray;
  }
  const ops: NdarrayOps;
  export = ops;
}
