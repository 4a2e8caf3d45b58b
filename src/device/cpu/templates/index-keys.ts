/**
 * The CPU backend's key pass over one row, for index items of one TypedArray type: each index checked
 * against the axis (−size ≤ value < size), normalised, times `multiplier`, written as the key (or added
 * to the key there, with `accumulate`); an index out of range makes the key invalid (0xffffffff).
 * Returns the keys position of the first index out of range in the row, or -1.
 *
 * This file is a template, never imported: `npm run gen:cpu-loops` writes ../generated/index-keys-i32.ts,
 * -u32.ts, -i16.ts, -u16.ts, -i8.ts and -u8.ts from it with the item type replaced (see copy-blocks.ts).
 * Edit this file, then regenerate.
 */

type Items = Int32Array;

const INVALID = 0xffffffff;

export function keyRow(
  keys: Uint32Array,
  index: Items,
  n: number,
  k: number,
  kStep: number,
  i: number,
  iStep: number,
  size: number,
  multiplier: number,
  accumulate: boolean,
  passInvalid: boolean,
): number {
  let bad = -1;
  if (!accumulate && !passInvalid && kStep === 1 && iStep === 1) {
    // One packed index array, the first (or only) one: a single induction variable, no branches but the check.
    for (let j = 0; j < n; j++) {
      const v = index[i + j];
      if (v < -size || v >= size) {
        keys[k + j] = INVALID;
        if (bad < 0) bad = k + j;
      } else keys[k + j] = (v < 0 ? v + size : v) * multiplier;
    }
    return bad;
  }
  for (let j = 0; j < n; j++, k += kStep, i += iStep) {
    const v = index[i];
    if (passInvalid && v === INVALID) {
      keys[k] = INVALID;
      continue;
    }
    if (v < -size || v >= size) {
      keys[k] = INVALID;
      if (bad < 0) bad = k;
      continue;
    }
    const term = (v < 0 ? v + size : v) * multiplier;
    if (!accumulate) keys[k] = term;
    else if (keys[k] !== INVALID) keys[k] += term;
  }
  return bad;
}
