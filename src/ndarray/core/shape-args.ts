/** Parsing of the shape-and-order arguments that NumPy methods accept in several spellings. */

import { ValueError, notAnInteger } from './errors.js';
import { isCContiguous, isFContiguous, type Layout, type MemoryOrder } from './layout.js';
import { MAX_EXACT, checkDimension, checkRank } from './limits.js';

/** Memory order of a copy: 'C' (row-major), 'F' (column-major), 'A' (F if the source is F-contiguous and
 * not C-contiguous, else C), 'K' (the source's own memory order). */
export type CopyOrder = 'C' | 'F' | 'A' | 'K';
/** The order in which reshape reads and places elements. */
export type ReshapeOrder = 'C' | 'F' | 'A';

export interface ShapeOptions {
  order?: ReshapeOrder;
}

/** `f(2, 3)`, `f([2, 3])`, `f([2, 3], { order })`, `f(2, 3, { order })` → shape and options. */
export function resolveShapeArgs(
  args: readonly (number | readonly number[] | ShapeOptions)[],
  _name: string,
): { shape: number[]; options: ShapeOptions } {
  let options: ShapeOptions = {};
  let rest = args;
  const last = args[args.length - 1];
  if (last !== undefined && last !== null && typeof last === 'object' && !Array.isArray(last)) {
    options = last as ShapeOptions;
    rest = args.slice(0, -1);
  }
  let shape: unknown[];
  if (rest.length === 1 && Array.isArray(rest[0])) shape = [...(rest[0] as readonly number[])];
  else shape = [...rest];
  checkRank(shape.length); // NumPy counts the entries before it reads them
  for (const n of shape) {
    if (typeof n !== 'number' || !Number.isInteger(n)) throw notAnInteger(n);
    checkDimension(n);
  }
  return { shape: shape as number[], options };
}

/** Checks a shape for creation functions: integers, non-negative, at most 64 axes (NumPy's limit). */
export function checkNewShape(shape: readonly number[]): number[] {
  for (const n of shape) {
    if (typeof n !== 'number' || !Number.isInteger(n)) throw notAnInteger(n);
    if (n < 0) throw new ValueError('negative dimensions are not allowed');
    checkDimension(n);
  }
  checkRank(shape.length);
  return [...shape];
}

export { MAX_DIMS, checkRank } from './limits.js';

export function checkOrder(order: unknown): asserts order is CopyOrder {
  if (order !== 'C' && order !== 'F' && order !== 'A' && order !== 'K') {
    throw new ValueError(`order must be one of 'C', 'F', 'A', or 'K' (got '${String(order)}')`);
  }
}

/** Resolves `-1` (any negative entry) in a requested shape and checks the size, with NumPy's messages. */
export function inferShape(requested: readonly number[], size: number): number[] {
  const unknown = requested.flatMap((n, k) => (n < 0 ? [k] : []));
  if (unknown.length > 1) throw new ValueError('can only specify one unknown dimension');
  const sizeError = () => new ValueError(`cannot reshape array of size ${size} into shape ${requestedShapeRepr(requested)}`);
  let known = 1;
  for (const n of requested) {
    if (n < 0) continue;
    known *= n;
    if (known > MAX_EXACT) throw sizeError(); // NumPy: the product overflows
  }
  if (unknown.length === 1) {
    if (known === 0 || size % known !== 0) throw sizeError();
    return requested.map((n) => (n < 0 ? size / known : n));
  }
  if (known !== size) throw sizeError();
  return [...requested];
}

/** NumPy's spelling of a requested shape in reshape errors: leading unknowns dropped, others `newaxis`. */
function requestedShapeRepr(requested: readonly number[]): string {
  const parts: string[] = [];
  let leading = true;
  for (const n of requested) {
    if (n < 0 && leading) continue;
    leading = false;
    parts.push(n < 0 ? 'newaxis' : String(n));
  }
  return requested.length === 1 ? `(${parts[0] ?? ''},)` : `(${parts.join(',')})`;
}

/** The memory order a reshape reads elements in: 'A' is F only for F-but-not-C sources. */
export function reshapeMemoryOrder(order: unknown, layout: Layout, itemsize: number): MemoryOrder {
  if (order === 'K') throw new ValueError("order 'K' is not permitted for reshaping");
  if (order !== 'C' && order !== 'F' && order !== 'A') {
    throw new ValueError(`order must be one of 'C', 'F', 'A', or 'K' (got '${String(order)}')`);
  }
  if (order === 'A') return isFContiguous(layout, itemsize) && !isCContiguous(layout, itemsize) ? 'F' : 'C';
  return order;
}
