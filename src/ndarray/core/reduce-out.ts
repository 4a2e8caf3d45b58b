/**
 * NumPy's checks of a reduction's `out` (`a.sum(axis, { out })`), in the order NumPy's iterator makes
 * them and with its messages: the number of dimensions, then the broadcast of the input against `out`
 * remapped onto the input's axes (reduced axes are `newaxis` without keepdims), then reduced axes that
 * `out` keeps longer than 1, then kept axes that `out` has as length 1 (an unrequested reduction).
 */

import { ValueError, shapeReprCompact } from './errors.js';

export interface ReductionOutCheck {
  /** The input's shape and the reduced axes (normalised, any order). */
  readonly input: readonly number[];
  readonly axes: readonly number[];
  readonly keepdims: boolean;
  /** NumPy's name of the operation ("add" for sum and mean, "minimum" for min...). */
  readonly numpyName: string;
  /** argmin/argmax: any mismatch is NumPy's one message for them. */
  readonly arg: boolean;
}

export function checkReductionOut(out: readonly number[], check: ReductionOutCheck): void {
  const { input, axes, keepdims } = check;
  const expected = input.filter((_, k) => keepdims || !axes.includes(k)).length;
  if (check.arg) {
    const shape = input.flatMap((n, k) => (axes.includes(k) ? (keepdims ? [1] : []) : [n]));
    if (out.length !== shape.length || out.some((n, k) => n !== shape[k])) {
      throw new ValueError(`output array does not match result of np.${check.numpyName}.`);
    }
    return;
  }
  if (out.length !== expected) {
    throw new ValueError(
      `output parameter for reduction operation ${check.numpyName} has the wrong number of dimensions: Found ${out.length} but expected ${expected}` +
        (keepdims ? " (must match the operand's when keepdims=True)" : ''),
    );
  }
  // `out` on the input's axes: its own axis index and length, or null (newaxis) for a dropped axis.
  const remapped: ({ axis: number; length: number } | null)[] = [];
  let next = 0;
  for (let k = 0; k < input.length; k++) {
    remapped.push(axes.includes(k) && !keepdims ? null : { axis: next, length: out[next++] });
  }
  for (let k = 0; k < input.length; k++) {
    const o = remapped[k];
    if (o && o.length !== input[k] && o.length !== 1 && input[k] !== 1) {
      const first = remapped.findIndex((r) => r !== null); // NumPy leaves out leading newaxes
      const text =
        first < 0
          ? '()'
          : `(${remapped
              .slice(first)
              .map((r) => (r ? r.length : 'newaxis'))
              .join(',')})`;
      throw new ValueError(
        `operands could not be broadcast together with remapped shapes [original->remapped]: ${shapeReprCompact(out)}->${text} ${shapeReprCompact(input)} `,
      );
    }
  }
  const broadcast = input.map((n, k) => (n === 1 ? (remapped[k]?.length ?? 1) : n));
  if (broadcast.some((n, k) => n !== input[k])) {
    throw new ValueError(
      `non-broadcastable operand with shape ${shapeReprCompact(input)} doesn't match the broadcast shape ${shapeReprCompact(broadcast)}`,
    );
  }
  for (let k = input.length - 1; k >= 0; k--) {
    const o = remapped[k];
    if (o && axes.includes(k) && o.length !== 1) {
      throw new ValueError(`operand was set up as a reduction along axis ${k}, but the length of the axis is ${o.length} (it has to be 1)`);
    }
  }
  for (let k = input.length - 1; k >= 0; k--) {
    const o = remapped[k];
    if (o && !axes.includes(k) && o.length === 1 && input[k] !== 1) {
      throw new ValueError(
        `output operand requires a reduction along dimension ${o.axis}, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape.`,
      );
    }
  }
}

/** NumPy's TypeError for an argmin/argmax `out` whose dtype does not cast safely to its index type. */
export function argOutCastError(outDtype: string, outShape: readonly number[]): TypeError {
  const what = outShape.length === 0 ? 'scalar' : 'array data';
  return new TypeError(`Cannot cast ${what} from dtype('${outDtype}') to dtype('int64') according to the rule 'safe'`);
}
