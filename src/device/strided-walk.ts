/**
 * Visits the rows of a strided iteration space: every combination of the outer axes, giving the start
 * position of the innermost run in each operand. An odometer, so no division per element; the caller
 * moves the elements of each run (where contiguous runs become `TypedArray.set`, `copyWithin`, `fill`).
 */

export type RowVisitor = (starts: Int32Array | Float64Array, length: number) => void;

/**
 * `offsets[op]` and `strides[op][axis]` are in units; `shape` outermost first, never empty. `visit` gets
 * a reused array of each operand's start position for one row of `shape[last]` elements.
 */
export function walkRows(
  shape: readonly number[],
  offsets: readonly number[],
  strides: readonly (readonly number[])[],
  visit: RowVisitor,
): void {
  const rank = shape.length;
  const operands = offsets.length;
  const inner = shape[rank - 1];
  const starts = new Float64Array(operands);
  for (let op = 0; op < operands; op++) starts[op] = offsets[op];
  if (rank === 1) {
    visit(starts, inner);
    return;
  }
  const counter = new Array<number>(rank - 1).fill(0);
  for (;;) {
    visit(starts, inner);
    // Advance the odometer over axes rank-2 .. 0.
    let axis = rank - 2;
    for (; axis >= 0; axis--) {
      counter[axis]++;
      for (let op = 0; op < operands; op++) starts[op] += strides[op][axis];
      if (counter[axis] < shape[axis]) break;
      for (let op = 0; op < operands; op++) starts[op] -= strides[op][axis] * shape[axis];
      counter[axis] = 0;
    }
    if (axis < 0) return;
  }
}
