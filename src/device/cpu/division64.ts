/**
 * floor_divide, remainder and fmod of 64-bit integers on the JavaScript loops (the CPU backend without
 * WebAssembly), without a BigInt per item: each item is read as its two 32-bit words, and where both
 * operands are below 2^52 in magnitude (nearly always) the operation runs on doubles, exactly — the
 * quotient of integers below 2^53 rounds to a double on the same side of every integer, so its floor
 * (fmod: its truncation) is the exact quotient, and q * b and a - q * b stay below 2^53. Other items go
 * through the operation's JavaScript form on BigInts. Both give NumPy's results (0 for a zero divisor,
 * MIN // -1 wrapping).
 */

import type { ElementwisePlan } from '../../ndarray/core/elementwise-plan.js';
import { walkRows } from './walk.js';

const TWO_32 = 4294967296;
/** High words of items below 2^52 in magnitude: [-2^20, 2^20) signed, below 2^20 unsigned. */
const HIGH_LIMIT = 0x100000;

type BigWords = BigInt64Array | BigUint64Array;

interface Operand {
  readonly words: Int32Array;
  readonly items: BigWords;
  readonly offset: number;
  readonly strides: readonly number[];
}

/**
 * Runs the plan and returns true where it is a floor_divide, remainder or fmod (as `plan.lanes` names it) with
 * every operand, the result and the output of one 64-bit integer dtype; returns false (having done
 * nothing) otherwise.
 */
export function divideWords64(dst: Uint8Array, inputs: readonly (Uint8Array | null)[], plan: ElementwisePlan): boolean {
  const op = plan.lanes;
  const dtype = plan.out;
  if ((op !== 'floor_divide' && op !== 'remainder' && op !== 'fmod') || !plan.js) return false;
  if ((dtype !== 'int64' && dtype !== 'uint64') || plan.result !== dtype || plan.inputs.length !== 2) return false;
  for (const input of plan.inputs) if (input.loop !== dtype || (input.kind === 'array' && input.dtype !== dtype)) return false;
  const signed = dtype === 'int64';
  const operand = (bytes: Uint8Array, offset: number, strides: readonly number[]): Operand => ({
    words: new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2),
    items: signed
      ? new BigInt64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 3)
      : new BigUint64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 3),
    offset,
    strides,
  });
  const zeros = plan.shape.map(() => 0);
  const operands = [
    operand(dst, plan.dst.offset, plan.dst.strides),
    ...plan.inputs.map((input, k) => {
      if (input.kind === 'array') return operand(inputs[k] as Uint8Array, input.operand.offset, input.operand.strides);
      // A scalar: one item of its own, never advanced.
      const item = new Uint8Array(8);
      new BigUint64Array(item.buffer)[0] = BigInt.asUintN(64, BigInt(input.value));
      return operand(item, 0, zeros);
    }),
  ];
  const [out, a, b] = operands;
  const last = plan.shape.length - 1;
  const js = plan.js as (x: bigint, y: bigint) => bigint;
  const quotient = op === 'floor_divide';
  const truncate = op === 'fmod';
  walkRows(
    plan.shape,
    operands.map((o) => o.offset),
    operands.map((o) => o.strides),
    (starts, n) =>
      divideRow(
        quotient,
        truncate,
        signed,
        js,
        n,
        out,
        starts[0],
        out.strides[last],
        a,
        starts[1],
        a.strides[last],
        b,
        starts[2],
        b.strides[last],
      ),
  );
  return true;
}

function divideRow(
  quotient: boolean,
  truncate: boolean,
  signed: boolean,
  js: (x: bigint, y: bigint) => bigint,
  n: number,
  out: Operand,
  o: number,
  oStep: number,
  a: Operand,
  i: number,
  aStep: number,
  b: Operand,
  j: number,
  bStep: number,
): void {
  const [ow, aw, bw] = [out.words, a.words, b.words];
  // Signed high words h in [-2^20, 2^20) are those with h + 2^20 in [0, 2^21); unsigned ones, below 2^20.
  const bias = signed ? HIGH_LIMIT : 0;
  const limit = signed ? 2 * HIGH_LIMIT : HIGH_LIMIT;
  for (let k = 0; k < n; k++) {
    const ah = aw[2 * i + 1];
    const bh = bw[2 * j + 1];
    if ((ah + bias) >>> 0 < limit && (bh + bias) >>> 0 < limit) {
      const x = ah * TWO_32 + (aw[2 * i] >>> 0);
      const y = bh * TWO_32 + (bw[2 * j] >>> 0);
      let r = 0;
      if (y !== 0) {
        const q = truncate ? Math.trunc(x / y) : Math.floor(x / y);
        r = quotient ? q : x - q * y;
      }
      ow[2 * o] = r; // the low word: a store into an Int32Array keeps r modulo 2^32
      ow[2 * o + 1] = Math.floor(r / TWO_32);
    } else out.items[o] = js(a.items[i], b.items[j]);
    o += oStep;
    i += aStep;
    j += bStep;
  }
}
