/**
 * Elementwise plans on the WebAssembly lane kernels (./elementwise-kernels.ts), where the operation has
 * lanes for its loop dtype and nothing converts: every array input of the loop dtype, scalars already in
 * it, the result and the output of it too. Scalars are written once to the memory's reserved area and
 * read as a broadcast operand (stride 0).
 */

import type { ElementwisePlan } from '../../../ndarray/core/elementwise-plan.js';
import { dtypeInfo, type DType } from '../../../ndarray/core/dtype.js';
import type { LaneOp } from '../../../ndarray/core/kernel-forms.js';
import { isBoolLaneOp, isUnaryLaneOp, laneKernelName } from './elementwise-kernels.js';
import type { ElementwiseKernels, ReduceKernels } from './kernels.js';

/** Where scalar operands are written: the reserved area's first bytes, one 16-byte slot each. */
const SCALAR_SLOTS = 16;

type BlockKernel = (...args: number[]) => void;

/**
 * Runs the plan on the kernels and returns true, or returns false (having done nothing) where they do
 * not serve it. `dst` and `inputs` are byte addresses of the blocks (null for scalar inputs). A chain of
 * lane operations runs as one pass per link, each after the first reading the destination as its first
 * input: where the destination overlaps a later link's input, the first pass would overwrite what that
 * link reads, and the plan is left to the JavaScript loops.
 */
export function elementwiseInMemory(
  kernels: ElementwiseKernels & ReduceKernels,
  dst: number,
  inputs: readonly (number | null)[],
  plan: ElementwisePlan,
): boolean {
  if (!plan.lanes) return false;
  if (plan.lanes === 'where') return selectInMemory(kernels, dst, inputs, plan);
  const chain: readonly LaneOp[] = typeof plan.lanes === 'string' ? [plan.lanes] : plan.lanes;
  const loop = plan.inputs[0].loop;
  const result = chain.length === 1 && isBoolLaneOp(chain[0]) ? 'bool' : loop;
  if (plan.result !== result || plan.out !== result) return false;
  for (const input of plan.inputs) if (input.loop !== loop || (input.kind === 'array' && input.dtype !== loop)) return false;
  const arity = chain.length === 1 && isUnaryLaneOp(chain[0]) ? 1 : chain.length + 1;
  if (plan.inputs.length !== arity) return false;
  const links: BlockKernel[] = [];
  for (const op of chain) {
    if (op === 'where' || (chain.length > 1 && (isUnaryLaneOp(op) || isBoolLaneOp(op)))) return false;
    const kernel = laneKernel(kernels, op, loop);
    if (!kernel) return false;
    links.push(kernel);
  }
  const { shape } = plan;
  const operands = blockOperands(kernels, dst, inputs, plan);
  // The inputs of the links after the first (operands 3 on) are read after the destination is written.
  for (let k = 3; k < operands.length; k++) {
    if (plan.inputs[k - 1].kind === 'array' && overlaps(operands[0], operands[k], shape, dtypeInfo(loop).itemsize)) return false;
  }
  // square runs on the multiply kernels: its operand as both inputs.
  const first = chain[0] === 'square' ? [operands[0], operands[1], operands[1]] : operands.slice(0, Math.min(arity, 2) + 1);
  runBlocks(links[0], shape, first);
  for (let link = 1; link < links.length; link++) runBlocks(links[link], shape, [operands[0], operands[0], operands[link + 2]]);
  return true;
}

/** `where(c, x, y)`: a bool condition (an array of bools or a scalar) and two operands of the result's
 * dtype, chosen item by item as bits. */
function selectInMemory(
  kernels: ElementwiseKernels & ReduceKernels,
  dst: number,
  inputs: readonly (number | null)[],
  plan: ElementwisePlan,
): boolean {
  const [condition, ...choices] = plan.inputs;
  if (condition.loop !== 'bool' || (condition.kind === 'array' && condition.dtype !== 'bool')) return false;
  if (plan.out !== plan.result) return false;
  for (const input of choices) if (input.loop !== plan.result || (input.kind === 'array' && input.dtype !== plan.result)) return false;
  const kernel = laneKernel(kernels, 'where', plan.result);
  if (!kernel) return false;
  runBlocks(kernel, plan.shape, blockOperands(kernels, dst, inputs, plan));
  return true;
}

/** The block kernel running `op` on items of `loop`, or null where the module has none. */
function laneKernel(kernels: ElementwiseKernels, op: LaneOp, loop: DType): BlockKernel | null {
  const name = laneKernelName(op, loop);
  return name ? ((kernels[name as `ew_${string}`] as BlockKernel | undefined) ?? null) : null;
}

/** The destination and the inputs as block operands: arrays at their byte addresses, scalars written to
 * a slot of the reserved area (as their loop dtype) with no strides. */
function blockOperands(
  kernels: ElementwiseKernels & ReduceKernels,
  dst: number,
  inputs: readonly (number | null)[],
  plan: ElementwisePlan,
): Operand[] {
  const outSize = dtypeInfo(plan.out).itemsize;
  const operands: Operand[] = [{ base: dst + plan.dst.offset * outSize, strides: plan.dst.strides.map((s) => s * outSize) }];
  plan.inputs.forEach((input, k) => {
    if (input.kind === 'array') {
      const size = dtypeInfo(input.dtype).itemsize;
      operands.push({ base: (inputs[k] as number) + input.operand.offset * size, strides: input.operand.strides.map((s) => s * size) });
      return;
    }
    const slot = SCALAR_SLOTS * (k + 1);
    const value = Number(input.value);
    if (input.loop === 'float32') kernels.store_f32(slot, value);
    else if (input.loop === 'float64') kernels.store_f64(slot, value);
    else if (input.loop === 'int64' || input.loop === 'uint64') {
      // Both words of the bits (a Number would round values past 2^53).
      const bits = BigInt.asUintN(64, BigInt(input.value));
      kernels.store_i32(slot, Number(bits & 0xffffffffn) | 0);
      kernels.store_i32(slot + 4, Number(bits >> 32n) | 0);
    } else kernels.store_i32(slot, value | 0);
    operands.push({ base: slot, strides: plan.shape.map(() => 0) });
  });
  return operands;
}

/** An operand of a block kernel: its first item's byte address and its strides in bytes. */
interface Operand {
  readonly base: number;
  readonly strides: readonly number[];
}

/** Runs a block kernel over the plan's shape: one call for the two inner axes, per outer position. */
function runBlocks(kernel: BlockKernel, shape: readonly number[], operands: readonly Operand[]): void {
  const rank = shape.length;
  const n0 = rank >= 2 ? shape[rank - 2] : 1;
  const n1 = shape[rank - 1];
  const inner: number[] = [];
  for (const { strides } of operands) inner.push(rank >= 2 ? strides[rank - 2] : 0, strides[rank - 1]);
  const run = (at: readonly number[]) => kernel(...at, n0, n1, ...inner);
  const bases = operands.map((o) => o.base);
  if (rank <= 2) run(bases);
  else
    forEachOuter(
      shape,
      bases,
      operands.map((o) => o.strides),
      run,
    );
}

/** Whether two operands' byte ranges over `shape` (items of `size` bytes) intersect. */
function overlaps(a: Operand, b: Operand, shape: readonly number[], size: number): boolean {
  const range = ({ base, strides }: Operand): [number, number] => {
    let low = base;
    let high = base;
    shape.forEach((n, axis) => {
      const reach = (n - 1) * strides[axis];
      if (reach < 0) low += reach;
      else high += reach;
    });
    return [low, high + size];
  };
  const [aLow, aHigh] = range(a);
  const [bLow, bHigh] = range(b);
  return aLow < bHigh && bLow < aHigh;
}

/** Calls `block(positions)` for every combination of the outer axes (all but the last two) of several
 * operands. */
function forEachOuter(
  shape: readonly number[],
  bases: readonly number[],
  strides: readonly (readonly number[])[],
  block: (at: readonly number[]) => void,
): void {
  const outer = shape.length - 2;
  const counter = new Array<number>(outer).fill(0);
  const at = bases.slice();
  for (;;) {
    block(at);
    let axis = outer - 1;
    for (; axis >= 0; axis--) {
      counter[axis]++;
      for (let k = 0; k < at.length; k++) at[k] += strides[k][axis];
      if (counter[axis] < shape[axis]) break;
      for (let k = 0; k < at.length; k++) at[k] -= strides[k][axis] * shape[axis];
      counter[axis] = 0;
    }
    if (axis < 0) return;
  }
}
