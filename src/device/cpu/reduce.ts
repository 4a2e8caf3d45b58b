/**
 * Reductions on the CPU: each output's elements are read in C order of the reduced axes, converted to
 * the accumulator dtype, and combined — floats by NumPy's pairwise summation (blocks of 128 summed with
 * eight partial sums, halves recursively), rounding to the accumulator's precision at every step; or,
 * where NumPy's iterator runs a kept axis innermost, one element at a time as NumPy adds them.
 */

import { castValue } from '../../ndarray/core/casting.js';
import { ExactIntegerSum, float32MeanOfSum } from '../../ndarray/core/exact-mean.js';
import { dtypeInfo, type DType } from '../../ndarray/core/dtype.js';
import type { ReducePlan } from '../../ndarray/core/reduce-plan.js';
import { int32IfExact } from '../../ndarray/core/plan.js';
import { readItem, writeItem, type Scalar } from '../../ndarray/core/scalars.js';
import { numpySumOrder, positions } from './sum-order.js';
import { sumFloatsInMemory, type ReduceInMemory } from './wasm/reduce.js';
import { folderInMemory } from './wasm/fold.js';
import { exactSumInMemory } from './wasm/exact-sum.js';
import { foldRowsInMemory } from './wasm/fold-rows.js';
import {
  converter,
  isNumberDType,
  numberView,
  reader,
  rounder as itemRounder,
  runsFor,
  type NumberArray,
  type RunLoops,
} from './number-loops.js';

type NumberFn = (x: number) => number;
const identity: NumberFn = (x) => x;
const float64Loops = runsFor(new Float64Array(0));

/** How NumPy rounds one addition in `dtype`: float16 adds in float32, then rounds to float16. */
function additionRounder(dtype: DType): (x: number) => number {
  if (dtype !== 'float16') return itemRounder(dtype);
  const toHalf = itemRounder('float16');
  return (x) => toHalf(Math.fround(x));
}

/** How NumPy rounds the additions inside its pairwise loop: float16 accumulates in float32 there. */
function pairwiseRounder(dtype: DType): (x: number) => number {
  if (dtype === 'float32' || dtype === 'float16') return Math.fround;
  return (x) => x;
}

/** NumPy's pairwise summation of `values[start, start + n)`, rounding each addition with `round`: the
 * Float64Array copy of the run loops' pairwise sum, over a plain run. */
function pairwiseSum(values: Float64Array, start: number, n: number, round: NumberFn): number {
  return float64Loops.pairwiseSumStrided(values, start, 1, n, identity, round);
}

/** Most values gathered at once (8 bytes each) when several outputs are gathered together. */
const GATHER_LIMIT = 1 << 21;
/** Outputs gathered together, so that a reduction down columns reads whole cache lines. */
const OUTPUTS_TOGETHER = 16;

/**
 * The number path. Float sums go in NumPy's order where `numpySumOrder` knows it, or pairwise where each
 * output's run lies. Everything else is read for a group of neighbouring outputs at once: each one's
 * elements (converted to the accumulator) into `values[j * span ...]`, walking the reduced axes in C
 * order with the innermost one as a plain strided loop; then each output's run is combined. Reading the
 * group together turns a reduction down columns into row-wise reads, without changing any output's order
 * of combination.
 */
function reduceNumbers(dst: Uint8Array, src: Uint8Array, plan: ReducePlan, inMemory: ReduceInMemory | null): void {
  // Integer sums and means: exact sums in any order on the kernels (`dst` is a view of their memory).
  if (inMemory && exactSumInMemory(inMemory, plan, dst.buffer)) return;
  // The other reductions with many short outputs, or outputs closer together than their items: many
  // outputs per kernel call.
  if (inMemory && foldRowsInMemory(inMemory, plan)) return;
  const to = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  const outSize = dtypeInfo(plan.temp).itemsize;
  const acc = plan.accumulator;
  const kind = dtypeInfo(acc).kind;
  const items = numberView(src, plan.input);
  const loops = runsFor(items);
  const read = reader(plan.input);
  const convert = converter(plan.input, acc);
  // Item → accumulator value; null where the item already is it.
  const value: NumberFn | null = read && convert ? (raw) => convert(read(raw)) : (read ?? convert);
  const round = pairwiseRounder(acc);
  const rank = plan.reduced.shape.length;
  const inner = rank > 0 ? plan.reduced.shape[rank - 1] : 1;
  const step = rank > 0 ? plan.reduced.strides[rank - 1] : 0;
  const source = resultSource(plan, kind, false);
  // Float sums keep NumPy's order of additions (pairwise, or one at a time: see numpySumOrder). Their
  // outputs' positions are listed only where the order needs them: a table of millions of short outputs
  // cost more than their sums.
  const floatSum = (plan.op === 'sum' || plan.op === 'mean') && kind === 'f';
  if (floatSum) {
    const order = numpySumOrder(plan, plan.outputs);
    if (inMemory && sumFloatsInMemory(inMemory, plan, order)) return;
    if (order?.kind === 'elements') {
      sumSequentially(to, outSize, plan, items, order.axes, value ?? identity, additionRounder(acc), source);
      return;
    }
    if (order?.kind === 'runs') {
      const outputs = positions(plan.kept.shape, plan.kept.strides, plan.offset);
      sumRunsSequentially(to, outSize, plan, items, outputs, order, value ?? identity, round, additionRounder(acc), source);
      return;
    }
    if (rank <= 1 && (Math.abs(step) <= 1 || plan.outputs === 1 || inner <= SHORT_RUN)) {
      // One contiguous or short run per output (or a single output): sum it where it lies. Long runs down
      // columns are gathered a group at a time instead, reading whole cache lines.
      sumEachRun(to, outSize, plan, items, inner, step, value ?? identity, round, source);
      return;
    }
  }
  const outputs = positions(plan.kept.shape, plan.kept.strides, plan.offset);
  const rows = positions(plan.reduced.shape.slice(0, -1), plan.reduced.strides.slice(0, -1), 0);
  if (!floatSum && (outputs.length === 1 || (rank <= 1 && Math.abs(step) <= 1))) {
    // A single output, or one contiguous run per output: fold each output's runs in small chunks where
    // they lie, instead of gathering all of its elements first (a reduction to one value gathered 32 MB
    // for 4 Mi elements; any/all also stop at the first element that decides them).
    const buffer = new Float64Array(Math.min(FOLD_CHUNK, rows.length * inner));
    const fold = inMemory ? folderInMemory(inMemory.kernels, plan, inMemory.src, items) : null;
    for (let o = 0; o < outputs.length; o++) {
      const result = fold
        ? fold(outputs[o], rows, inner, step)
        : foldRuns(plan, kind, loops, items, outputs[o], rows, inner, step, value, round, buffer);
      writeItem(to, o * outSize, plan.temp, castValue(result, source, plan.temp));
    }
    return;
  }
  const n = rows.length * inner;
  const together = Math.max(1, Math.min(OUTPUTS_TOGETHER, outputs.length, Math.floor(GATHER_LIMIT / Math.max(n, 1))));
  // Each output's run starts `span` values after the previous one: n rounded up, plus a cache line and a
  // bit, so that interleaved writes to the runs do not all fall into the same cache set.
  const span = together > 1 ? n + 24 - (n % 8) : n;
  const values = new Float64Array(span * together);
  // Runs down columns: read the group's neighbouring elements together, one reduced position at a time.
  const interleave = together > 1 && Math.abs(step) > 1;
  for (let first = 0; first < outputs.length; first += together) {
    const group = Math.min(together, outputs.length - first);
    for (let row = 0, r = 0; row < rows.length; row++, r += inner) {
      if (interleave) loops.gatherAcross(values, r, span, items, outputs, first, group, int32IfExact(rows[row]), step, inner, value);
      else
        for (let j = 0; j < group; j++)
          loops.gatherRun(values, j * span + r, items, int32IfExact(outputs[first + j] + rows[row]), step, inner, value);
    }
    for (let j = 0; j < group; j++) {
      const result = combine(plan, values, j * span, n, round, kind);
      writeItem(to, (first + j) * outSize, plan.temp, castValue(result, source, plan.temp));
    }
  }
}

/** Runs this short or shorter are summed where they lie even when their items are apart (a float sum
 * with one reduced axis): each run spans few cache lines, and gathering them would cost more. */
const SHORT_RUN = 128;

/**
 * A float sum with one run per output (`inner` items `step` apart, the single reduced axis): each run's
 * pairwise sum, the runs of the last kept axis in one call of the loops for each position of the kept
 * axes around it, written straight into the results where they are float32 or float64 words.
 */
function sumEachRun(
  to: DataView,
  outSize: number,
  plan: ReducePlan,
  items: NumberArray,
  inner: number,
  step: number,
  value: NumberFn,
  round: NumberFn,
  source: DType,
): void {
  const kept = plan.kept;
  const keptRank = kept.shape.length;
  const loops = runsFor(items);
  const run = keptRank > 0 ? kept.shape[keptRank - 1] : 1;
  const runStep = keptRank > 0 ? kept.strides[keptRank - 1] : 0;
  const outer = positions(kept.shape.slice(0, -1), kept.strides.slice(0, -1), plan.offset);
  const results = resultWords(to, plan.temp, plan.outputs);
  if (results) {
    for (let g = 0; g < outer.length; g++) loops.sumRuns(results, g * run, items, outer[g], runStep, run, inner, step, value, round);
    return;
  }
  for (let g = 0, o = 0; g < outer.length; g++) {
    for (let r = 0, p = outer[g]; r < run; r++, o++, p += runStep) {
      const result = loops.pairwiseSumStrided(items, int32IfExact(p), step, inner, value, round);
      writeItem(to, o * outSize, plan.temp, castValue(result, source, plan.temp));
    }
  }
}

/** The first `count` results as a Float32Array or Float64Array over `to`, where the results are float32
 * or float64 (a store rounds a float64 sum as the cast from float64 does) and aligned; null otherwise. */
function resultWords(to: DataView, temp: DType, count: number): Float32Array | Float64Array | null {
  if (temp === 'float32' && to.byteOffset % 4 === 0) return new Float32Array(to.buffer, to.byteOffset, count);
  if (temp === 'float64' && to.byteOffset % 8 === 0) return new Float64Array(to.buffer, to.byteOffset, count);
  return null;
}

/** `out[o] = ((0 + a_0) + a_1) + ...` over the reduced positions in `order` (see numpySumOrder),
 * sweeping all outputs per reduced position (reads follow memory). */
function sumSequentially(
  to: DataView,
  outSize: number,
  plan: ReducePlan,
  items: NumberArray,
  order: readonly number[],
  value: NumberFn,
  round: NumberFn,
  source: DType,
): void {
  const count = plan.outputs;
  const loops = runsFor(items);
  // float32 sums held in a Float32Array: each store rounds the (exact, double) sum as fround would.
  const float32 = round === Math.fround;
  // Summed in the results themselves where they are words of that type.
  const results = resultWords(to, plan.temp, count);
  const inResults = results !== null && results instanceof Float32Array === float32;
  const sums = inResults ? results.fill(0) : float32 ? new Float32Array(count) : new Float64Array(count);
  const shape = order.map((k) => plan.reduced.shape[k]);
  const strides = order.map((k) => plan.reduced.strides[k]);
  // One kept axis with a plain step (the usual case after merging): no position table in the sweep.
  const step = plan.kept.shape.length === 1 ? plan.kept.strides[0] : 0;
  const first = int32IfExact(plan.offset);
  const outputs = step === 0 ? positions(plan.kept.shape, plan.kept.strides, plan.offset) : null;
  const reducedPositions = positions(shape, strides, 0);
  for (let r = 0; r < reducedPositions.length; r++) {
    const at = int32IfExact(reducedPositions[r]);
    if (step === 1 && float32 && value === identity) {
      loops.addRow(sums, items, first + at, count);
    } else if (step !== 0) {
      loops.addStridedRow(sums, items, first + at, step, count, value, round);
    } else {
      loops.addAtPositions(sums, items, outputs as Float64Array, at, count, value, round);
    }
  }
  if (inResults) return;
  if (results) results.set(sums);
  else for (let o = 0; o < count; o++) writeItem(to, o * outSize, plan.temp, castValue(sums[o], source, plan.temp));
}

/** `out = round(out + pairwise(run))` per output over its runs in `runs` order (see numpySumOrder). */
function sumRunsSequentially(
  to: DataView,
  outSize: number,
  plan: ReducePlan,
  items: NumberArray,
  outputs: Float64Array,
  runs: { inner: number; outer: readonly number[] },
  value: NumberFn,
  pairwiseRound: NumberFn,
  round: NumberFn,
  source: DType,
): void {
  const n = plan.reduced.shape[runs.inner];
  const step = plan.reduced.strides[runs.inner];
  const loops = runsFor(items);
  const starts = positions(
    runs.outer.map((k) => plan.reduced.shape[k]),
    runs.outer.map((k) => plan.reduced.strides[k]),
    0,
  );
  for (let o = 0; o < outputs.length; o++) {
    let sum = 0;
    for (let r = 0; r < starts.length; r++) {
      sum = round(sum + loops.pairwiseSumStrided(items, int32IfExact(outputs[o] + starts[r]), step, n, value, pairwiseRound));
    }
    writeItem(to, o * outSize, plan.temp, castValue(sum, source, plan.temp));
  }
}

/** Executes a reduction plan; `inMemory` (the WebAssembly kernels and the blocks' addresses) where both
 * blocks lie in the kernels' memory, for the reductions they serve. */
export function reduceItems(dst: Uint8Array, src: Uint8Array, plan: ReducePlan, inMemory: ReduceInMemory | null = null): void {
  // Numbers (every dtype but the 64-bit integers) are read through a TypedArray and converted with
  // number functions (the exact sums of integer means too); bigints through the general path.
  if (isNumberDType(plan.input) && (isNumberDType(plan.accumulator) || plan.divisor !== undefined)) {
    reduceNumbers(dst, src, plan, inMemory);
    return;
  }
  const from = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const to = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  const inSize = dtypeInfo(plan.input).itemsize;
  const outSize = dtypeInfo(plan.temp).itemsize;
  const acc = plan.accumulator;
  const accInfo = dtypeInfo(acc);
  const bigint = accInfo.kind !== 'f' && accInfo.itemsize === 8;
  const outputs = positions(plan.kept.shape, plan.kept.strides, plan.offset);
  const along = positions(plan.reduced.shape, plan.reduced.strides, 0);
  const n = along.length;
  const round = pairwiseRounder(acc);
  const values = new Float64Array(bigint ? 0 : n);
  const bigValues: bigint[] = new Array<bigint>(bigint ? n : 0);
  for (let o = 0; o < outputs.length; o++) {
    for (let r = 0; r < n; r++) {
      const v = castValue(readItem(from, (outputs[o] + along[r]) * inSize, plan.input), plan.input, acc);
      if (bigint) bigValues[r] = v as bigint;
      else values[r] = Number(v);
    }
    const result = bigint ? combineBig(plan, bigValues, accInfo.kind === 'u') : combine(plan, values, 0, n, round, accInfo.kind);
    writeItem(to, o * outSize, plan.temp, castValue(result, resultSource(plan, accInfo.kind, bigint), plan.temp));
  }
}

/** Whose cast rules turn a combined value into the temp dtype: positions are int32; float results round;
 * integer results wrap from the accumulator. */
function resultSource(plan: ReducePlan, kind: string, bigint: boolean): DType {
  if (plan.op === 'argmin' || plan.op === 'argmax') return 'int32';
  if ((!bigint && kind === 'f') || plan.divisor !== undefined) return 'float64';
  return plan.accumulator;
}

/** Elements read at a time by `foldRuns`. */
const FOLD_CHUNK = 4096;

/**
 * One output of any reduction but a float sum, over its runs (`rows` positions after `base`, `inner`
 * elements `step` apart each), read FOLD_CHUNK elements at a time into `buffer` and folded into a
 * running result with the same rules as `combine` (and in the same order: products stay sequential).
 */
function foldRuns(
  plan: ReducePlan,
  kind: string,
  loops: RunLoops,
  items: NumberArray,
  base: number,
  rows: Float64Array,
  inner: number,
  step: number,
  value: NumberFn | null,
  round: NumberFn,
  buffer: Float64Array,
): Scalar {
  const op = plan.op;
  let acc = op === 'prod' ? 1 : 0;
  let best = -1; // min/max/argmin/argmax: the position of the value in acc (-1: none yet)
  // The mean of integers: block sums (exact, below 2^52) added exactly.
  const exact = plan.divisor === undefined ? null : new ExactIntegerSum();
  for (let row = 0; row < rows.length; row++) {
    for (let c = 0; c < inner; c += FOLD_CHUNK) {
      const m = Math.min(FOLD_CHUNK, inner - c);
      loops.gatherRun(buffer, 0, items, int32IfExact(base + rows[row] + c * step), step, m, value);
      const at = row * inner + c;
      switch (op) {
        case 'sum':
        case 'mean':
          if (exact) exact.add(sumIntegers(buffer, 0, m, 'f', 0));
          else acc = sumIntegers(buffer, 0, m, kind, acc);
          break;
        case 'prod':
          acc = kind === 'f' ? productOfFloats(buffer, 0, m, round, acc) : productOfIntegers(buffer, 0, m, acc);
          break;
        case 'any':
          for (let i = 0; i < m; i++) if (buffer[i] !== 0) return true;
          break;
        case 'all':
          for (let i = 0; i < m; i++) if (buffer[i] === 0) return false;
          break;
        default: {
          const lowest = op === 'min' || op === 'argmin';
          const i = extremeIndex(buffer, 0, m, lowest);
          const v = buffer[i];
          if (best < 0 || (lowest ? v < acc : v > acc) || v !== v) {
            acc = v;
            best = at + i;
          }
          // A NaN decides min, max and their positions: NumPy propagates the first one.
          if (acc !== acc) return finishFold(op, kind, acc, best);
        }
      }
    }
  }
  if (op === 'any') return false;
  if (op === 'all') return true;
  if (exact) return float32MeanOfSum(exact.value, plan.divisor as number);
  return finishFold(op, kind, acc, best);
}

/** The result of a fold, as `combine` gives it. */
function finishFold(op: ReducePlan['op'], kind: string, acc: number, best: number): Scalar {
  if (op === 'argmin' || op === 'argmax') return best;
  if (kind === 'b') return acc !== 0;
  return op === 'prod' && kind === 'i' ? acc | 0 : acc;
}

/** Combines `values[start, start + n)`. Each operation is a loop of its own, with no function called
 * per element (the shared loop with comparison closures ran max() at 12 ns per element). */
function combine(plan: ReducePlan, values: Float64Array, start: number, n: number, round: (x: number) => number, kind: string): Scalar {
  const end = start + n;
  switch (plan.op) {
    case 'sum':
    case 'mean': {
      if (kind === 'f') return pairwiseSum(values, start, n, round);
      if (plan.divisor !== undefined) return float32MeanOfSum(exactSum(values, start, end), plan.divisor);
      const s = sumIntegers(values, start, end, kind, 0);
      return kind === 'b' ? s !== 0 : s;
    }
    case 'prod': {
      const p = kind === 'f' ? productOfFloats(values, start, end, round, 1) : productOfIntegers(values, start, end, 1);
      return kind === 'b' ? p !== 0 : kind === 'i' ? p | 0 : p;
    }
    case 'min':
    case 'max': {
      const m = values[extremeIndex(values, start, end, plan.op === 'min')];
      return kind === 'b' ? m !== 0 : m;
    }
    case 'argmin':
    case 'argmax':
      return extremeIndex(values, start, end, plan.op === 'argmin') - start;
    case 'any':
      for (let i = start; i < end; i++) if (values[i] !== 0) return true;
      return false;
    case 'all':
      for (let i = start; i < end; i++) if (values[i] === 0) return false;
      return true;
  }
}

/** The exact sum of integer values (a bigint where it passes 2^53). */
function exactSum(values: Float64Array, start: number, end: number): number | bigint {
  const sum = new ExactIntegerSum();
  for (let block = start; block < end; block += EXACT_BLOCK)
    sum.add(sumIntegers(values, block, Math.min(block + EXACT_BLOCK, end), 'f', 0));
  return sum.value;
}

/** Integer values summed exactly (as doubles) before a wrap: they are below 2^32 in magnitude, so any
 * partial sum of this many stays below 2^52. */
const EXACT_BLOCK = 1 << 20;

/**
 * `s` plus an integer sum, wrapped to the accumulator ('i': int32, 'u': uint32; 'f': not wrapped, exact
 * for one block; bools count). The wrap
 * is modular, so wrapping once per block of exact partial sums gives what wrapping every addition gives,
 * without a conversion in the loop's dependency chain (4x faster: 4.6 -> ~1 ns per element).
 */
function sumIntegers(values: Float64Array, start: number, end: number, kind: string, s: number): number {
  for (let block = start; block < end; block += EXACT_BLOCK) {
    const stop = Math.min(block + EXACT_BLOCK, end);
    let t0 = 0,
      t1 = 0,
      t2 = 0,
      t3 = 0;
    let i = block;
    for (; i + 4 <= stop; i += 4) {
      t0 += values[i];
      t1 += values[i + 1];
      t2 += values[i + 2];
      t3 += values[i + 3];
    }
    for (; i < stop; i++) t0 += values[i];
    const total = s + (t0 + t1 + (t2 + t3));
    s = kind === 'i' ? total | 0 : kind === 'u' ? total >>> 0 : total;
  }
  return s;
}

function productOfFloats(values: Float64Array, start: number, end: number, round: (x: number) => number, p: number): number {
  for (let i = start; i < end; i++) p = round(p * values[i]);
  return p;
}

/** `p` times the values, wrapped to 32 bits as it goes (as uint32: int32 results are made `| 0` after). */
function productOfIntegers(values: Float64Array, start: number, end: number, p: number): number {
  for (let i = start; i < end; i++) p = Math.imul(p, values[i]) >>> 0;
  return p;
}

/** The position of the first smallest (`lowest`) or largest value, or of the first NaN: NumPy's
 * argmin/argmax, and where min/max find their value (NaN propagates). */
function extremeIndex(values: Float64Array, start: number, end: number, lowest: boolean): number {
  let best = start;
  let m = values[start];
  for (let i = start + 1; i < end && m === m; i++) {
    const v = values[i];
    if ((lowest ? v < m : v > m) || v !== v) {
      m = v;
      best = i;
    }
  }
  return best;
}

function combineBig(plan: ReducePlan, values: bigint[], unsigned: boolean): Scalar {
  const wrap = (x: bigint) => (unsigned ? BigInt.asUintN(64, x) : BigInt.asIntN(64, x));
  switch (plan.op) {
    case 'sum':
      return values.reduce((a, b) => wrap(a + b), 0n);
    case 'prod':
      return values.reduce((a, b) => wrap(a * b), 1n);
    case 'min':
      return values.reduce((a, b) => (b < a ? b : a));
    case 'max':
      return values.reduce((a, b) => (b > a ? b : a));
    case 'argmin':
    case 'argmax': {
      let best = 0;
      values.forEach((v, i) => {
        if (plan.op === 'argmin' ? v < values[best] : v > values[best]) best = i;
      });
      return best;
    }
    case 'any':
      return values.some((v) => v !== 0n);
    case 'all':
      return values.every((v) => v !== 0n);
    case 'mean':
      return values.reduce((a, b) => a + b, 0n);
  }
}
