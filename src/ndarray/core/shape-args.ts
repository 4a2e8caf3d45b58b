/** Parsing of the shape-and-order arguments that NumPy methods accept in several spellings. */

import { ValueError } from './errors.js';

export type CopyOrder = 'C' | 'F' | 'A' | 'K';
export type ReshapeOrder = 'C' | 'F' | 'A';

export interface ShapeOptions {
  order?: ReshapeOrder;
}

/** `f(2, 3)`, `f([2, 3])`, `f([2, 3], { order })`, `f(2, 3, { order })` → shape and options. */
export function resolveShapeArgs(
  args: readonly (number | readonly number[] | ShapeOptions)[],
  name: string,
): { shape: number[]; options: ShapeOptions } {
  let options: ShapeOptions = {};
  let rest = args;
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) {
    options = last as ShapeOptions;
    rest = args.slice(0, -1);
  }
  let shape: unknown[];
  if (rest.length === 1 && Array.isArray(rest[0])) shape = [...(rest[0] as readonly number[])];
  else shape = [...rest];
  for (const n of shape) {
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      throw new TypeError(`${name}: '${n === null ? 'None' : typeof n}' object cannot be interpreted as an integer`);
    }
  }
  return { shape: shape as number[], options };
}

/** Checks a shape for creation functions: integers, non-negative, at most 64 axes (NumPy's limit). */
export function checkNewShape(shape: readonly number[]): number[] {
  for (const n of shape) {
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      throw new TypeError(`'${typeof n === 'number' ? 'float' : typeof n}' object cannot be interpreted as an integer`);
    }
    if (n < 0) throw new ValueError('negative dimensions are not allowed');
  }
  checkRank(shape.length);
  return [...shape];
}

/** NumPy's NPY_MAXDIMS: arrays have at most 64 axes. */
export const MAX_DIMS = 64;

export function checkRank(ndim: number): void {
  if (ndim > MAX_DIMS) {
    throw new ValueError(`maximum supported dimension for an ndarray is currently ${MAX_DIMS}, found ${ndim}`);
  }
}

export function checkOrder(order: unknown): asserts order is CopyOrder {
  if (order !== 'C' && order !== 'F' && order !== 'A' && order !== 'K') {
    throw new ValueError(`order must be one of 'C', 'F', 'A', or 'K' (got '${String(order)}')`);
  }
}
