/**
 * The CPU backend's gather and scatter rows for 4-byte units (8-byte items move as two units): one row
 * of a plan whose keys address one axis (key × stride). Keys are read as int32 (key spaces below 2^31:
 * a uint32 above 2^31 - 1 would be a double in V8, and every address computed from it too), so the
 * invalid key 0xffffffff reads as -1: it gathers zero and scatters nothing.
 *
 * This file is a template, never imported: `npm run gen:cpu-loops` writes ../generated/index-units-u32.ts,
 * -u16.ts and -u8.ts from it with the unit type replaced, so that each width has loops (and V8 type
 * feedback) of its own (see copy-blocks.ts). Edit this file, then regenerate.
 */

type Units = Uint32Array;

const INVALID = -1;

/** `dst[d + j·dStep] = src[s + j·sStep + keys[k + j·kStep] · keyStride]` for j < n, `words` units per item. */
export function gatherRow(
  dst: Units,
  src: Units,
  keys: Int32Array,
  n: number,
  d: number,
  dStep: number,
  s: number,
  sStep: number,
  k: number,
  kStep: number,
  keyStride: number,
  words: number,
): void {
  if (words === 1 && dStep === 1 && sStep === 0 && kStep === 1) {
    // One index over one axis into a packed result (a[idx], take): a single induction variable.
    for (let j = 0; j < n; j++) {
      const key = keys[k + j];
      dst[d + j] = key === INVALID ? 0 : src[s + key * keyStride];
    }
    return;
  }
  if (words === 1) {
    for (let j = 0; j < n; j++, d += dStep, s += sStep, k += kStep) {
      const key = keys[k];
      dst[d] = key === INVALID ? 0 : src[s + key * keyStride];
    }
    return;
  }
  for (let j = 0; j < n; j++, d += dStep, s += sStep, k += kStep) {
    const key = keys[k];
    if (key === INVALID) {
      dst[d] = 0;
      dst[d + 1] = 0;
    } else {
      const at = s + key * keyStride;
      dst[d] = src[at];
      dst[d + 1] = src[at + 1];
    }
  }
}

/** `dst[d + j·dStep + keys[k + j·kStep] · keyStride] = value[v + j·vStep]` for valid keys, j < n. */
export function scatterRow(
  dst: Units,
  value: Units,
  keys: Int32Array,
  n: number,
  d: number,
  dStep: number,
  v: number,
  vStep: number,
  k: number,
  kStep: number,
  keyStride: number,
  words: number,
): void {
  if (words === 1 && dStep === 0 && vStep === 1 && kStep === 1) {
    // One index over one axis from packed values (a[idx] = v, put): a single induction variable.
    for (let j = 0; j < n; j++) {
      const key = keys[k + j];
      if (key !== INVALID) dst[d + key * keyStride] = value[v + j];
    }
    return;
  }
  if (words === 1) {
    for (let j = 0; j < n; j++, d += dStep, v += vStep, k += kStep) {
      const key = keys[k];
      if (key !== INVALID) dst[d + key * keyStride] = value[v];
    }
    return;
  }
  for (let j = 0; j < n; j++, d += dStep, v += vStep, k += kStep) {
    const key = keys[k];
    if (key === INVALID) continue;
    const at = d + key * keyStride;
    dst[at] = value[v];
    dst[at + 1] = value[v + 1];
  }
}
