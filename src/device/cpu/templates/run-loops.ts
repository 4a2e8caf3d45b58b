/**
 * The CPU's loops that read or write items through a TypedArray of their dtype: loading and storing the
 * runs of elementwise operations, the pairwise and sequential sums, and the gathers of reductions.
 *
 * This file is a template, never imported: `npm run gen:cpu-loops` writes ../generated/run-loops-*.ts from
 * it with the item type replaced (one file per TypedArray type). V8 keeps type feedback per function: shared by every
 * dtype, these loops went megamorphic in any program that used several dtypes, and a float32 a.sum()
 * took 174 ms instead of 15 (np.add of transposed views 234 instead of 132). Edit this file, then
 * regenerate; ../number-loops.ts `runsFor` picks the file for an array.
 */

type Items = Float32Array;

type NumberFn = (x: number) => number;

/** NumPy's pairwise block: at most this many items summed with eight partial sums. */
const BLOCK = 128;

/** `row[i] = convert(read(items[at + i * step]))` for i < n. */
export function loadRun(
  row: Float64Array,
  items: Items,
  at: number,
  step: number,
  n: number,
  read: NumberFn | null,
  convert: NumberFn | null,
): void {
  if (!read && !convert) {
    if (step === 1)
      row.set(items.subarray(at, at + n)); // a native conversion of the whole run
    else for (let i = 0; i < n; i++, at += step) row[i] = items[at];
    return;
  }
  for (let i = 0; i < n; i++, at += step) {
    const x = read ? read(items[at]) : items[at];
    row[i] = convert ? convert(x) : x;
  }
}

/** `out[at + i * step] = finish(results[i])` for i < n; TypedArray stores round or wrap as NumPy's casts. */
export function storeRun(out: Items, at: number, step: number, n: number, results: Float64Array, finish: NumberFn | null): void {
  if (finish) {
    for (let i = 0; i < n; i++, at += step) out[at] = finish(results[i]);
  } else if (step === 1) {
    out.set(results.subarray(0, n), at);
  } else {
    for (let i = 0; i < n; i++, at += step) out[at] = results[i];
  }
}

/**
 * `pairwiseSum` of `value(items[p + i * step])` for i < n, read where it lies: the same additions in the
 * same order, without first gathering the run (a fresh gather buffer of a large reduction costs more in
 * page faults than the sum itself). A twin of `pairwiseSum` on purpose: one function serving both would
 * see two array types and two value functions, and ran sums 2-5x slower.
 */
export function pairwiseSumStrided(
  items: Items,
  p: number,
  step: number,
  n: number,
  value: (raw: number) => number,
  round: (x: number) => number,
): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++, p += step) sum = round(sum + value(items[p]));
    return sum;
  }
  if (n <= BLOCK) {
    let r0 = value(items[p]);
    let r1 = value(items[p + step]);
    let r2 = value(items[p + 2 * step]);
    let r3 = value(items[p + 3 * step]);
    let r4 = value(items[p + 4 * step]);
    let r5 = value(items[p + 5 * step]);
    let r6 = value(items[p + 6 * step]);
    let r7 = value(items[p + 7 * step]);
    let i = 8;
    let at = p + 8 * step;
    for (const end = n - (n % 8); i < end; i += 8, at += 8 * step) {
      r0 = round(r0 + value(items[at]));
      r1 = round(r1 + value(items[at + step]));
      r2 = round(r2 + value(items[at + 2 * step]));
      r3 = round(r3 + value(items[at + 3 * step]));
      r4 = round(r4 + value(items[at + 4 * step]));
      r5 = round(r5 + value(items[at + 5 * step]));
      r6 = round(r6 + value(items[at + 6 * step]));
      r7 = round(r7 + value(items[at + 7 * step]));
    }
    let sum = round(round(round(r0 + r1) + round(r2 + r3)) + round(round(r4 + r5) + round(r6 + r7)));
    for (; i < n; i++, at += step) sum = round(sum + value(items[at]));
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return round(
    pairwiseSumStrided(items, p, step, half, value, round) + pairwiseSumStrided(items, p + half * step, step, n - half, value, round),
  );
}

/**
 * `out[o + c]` = `pairwiseSumStrided` of the run at `p + c * keptStep` (`n` items `step` apart), for
 * c < count: many outputs of a float sum per call. Runs below 8 items are summed here, one item at a time
 * from 0 as `pairwiseSumStrided` does, without a call per output; up to 4 items written out (a loop over
 * so few items per output costs more than their additions).
 */
export function sumRuns(
  out: Float32Array | Float64Array,
  o: number,
  items: Items,
  p: number,
  keptStep: number,
  count: number,
  n: number,
  step: number,
  value: NumberFn,
  round: NumberFn,
): void {
  const end = o + count;
  const s2 = 2 * step;
  const s3 = 3 * step;
  switch (n) {
    case 1:
      for (; o < end; o++, p += keptStep) out[o] = round(0 + value(items[p]));
      return;
    case 2:
      for (; o < end; o++, p += keptStep) out[o] = round(round(0 + value(items[p])) + value(items[p + step]));
      return;
    case 3:
      for (; o < end; o++, p += keptStep) out[o] = round(round(round(0 + value(items[p])) + value(items[p + step])) + value(items[p + s2]));
      return;
    case 4:
      for (; o < end; o++, p += keptStep)
        out[o] = round(round(round(round(0 + value(items[p])) + value(items[p + step])) + value(items[p + s2])) + value(items[p + s3]));
      return;
  }
  if (n >= 8) {
    for (; o < end; o++, p += keptStep) out[o] = pairwiseSumStrided(items, p, step, n, value, round);
    return;
  }
  for (; o < end; o++, p += keptStep) {
    let sum = 0;
    for (let i = 0, at = p; i < n; i++, at += step) sum = round(sum + value(items[at]));
    out[o] = sum;
  }
}

/** `values[at + i] = value(items[p + i * step])` for i < n (null `value`: the items are the values). */
export function gatherRun(
  values: Float64Array,
  at: number,
  items: Items,
  p: number,
  step: number,
  n: number,
  value: NumberFn | null,
): void {
  if (value) for (let i = 0; i < n; i++, p += step) values[at + i] = value(items[p]);
  else for (let i = 0; i < n; i++, p += step) values[at + i] = items[p];
}

/** For each reduced position i < n (at q + i * step): `values[j * stride + r + i]` = output j's element,
 * for the `group` outputs from `first` (reading neighbouring outputs' elements one after another). */
export function gatherAcross(
  values: Float64Array,
  r: number,
  stride: number,
  items: Items,
  outputs: Float64Array,
  first: number,
  group: number,
  q: number,
  step: number,
  n: number,
  value: NumberFn | null,
): void {
  const bases = new Int32Array(group);
  for (let j = 0; j < group; j++) bases[j] = outputs[first + j];
  const fitsInt32 = bases.every((b, j) => b === outputs[first + j]) && Math.abs(q) + Math.abs(n * step) < 2 ** 31;
  if (!fitsInt32) {
    for (let j = 0; j < group; j++) gatherRun(values, j * stride + r, items, outputs[first + j] + q, step, n, value);
    return;
  }
  for (let i = 0, p = q; i < n; i++, p += step) {
    if (value) for (let j = 0, at = r + i; j < group; j++, at += stride) values[at] = value(items[bases[j] + p]);
    else for (let j = 0, at = r + i; j < group; j++, at += stride) values[at] = items[bases[j] + p];
  }
}

/** `sums[o] += items[p + o]` for o < count, unrolled by four (the float32 rows of `a.sum(0)`). */
export function addRow(sums: Float32Array | Float64Array, items: Items, p: number, count: number): void {
  let o = 0;
  for (; o + 4 <= count; o += 4, p += 4) {
    sums[o] += items[p];
    sums[o + 1] += items[p + 1];
    sums[o + 2] += items[p + 2];
    sums[o + 3] += items[p + 3];
  }
  for (; o < count; o++, p++) sums[o] += items[p];
}

/** `sums[o] = round(sums[o] + value(items[p + o * step]))` for o < count: one reduced position of a
 * sum whose kept axis runs innermost (NumPy adds one element at a time there). */
export function addStridedRow(
  sums: Float32Array | Float64Array,
  items: Items,
  p: number,
  step: number,
  count: number,
  value: NumberFn,
  round: NumberFn,
): void {
  for (let o = 0; o < count; o++, p += step) sums[o] = round(sums[o] + value(items[p]));
}

/** `sums[o] = round(sums[o] + value(items[outputs[o] + at]))` for o < count (kept axes not one plain step). */
export function addAtPositions(
  sums: Float32Array | Float64Array,
  items: Items,
  outputs: Float64Array,
  at: number,
  count: number,
  value: NumberFn,
  round: NumberFn,
): void {
  for (let o = 0; o < count; o++) sums[o] = round(sums[o] + value(items[outputs[o] + at]));
}
