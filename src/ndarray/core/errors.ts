/**
 * NumPy's exception classes. Messages are written by the callers in NumPy's own words, so that a NumPy
 * user can search for them. `TypeError` is JavaScript's own (NumPy raises Python's TypeError too).
 */

export class IndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexError';
  }
}

/** NumPy's ValueError: an argument of the right kind with a wrong value (bad shape, broadcast mismatch, a
 * read-only destination, a disposed array...). */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** NumPy's AxisError is both a ValueError and an IndexError; JavaScript has single inheritance, and the
 * API fixes it as a ValueError. */
export class AxisError extends ValueError {
  constructor(message: string) {
    super(message);
    this.name = 'AxisError';
  }
}

/** Python's OverflowError, raised by NumPy when a Python number does not fit the target dtype. */
export class OverflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverflowError';
  }
}

/** Normalises an axis argument like NumPy's `normalize_axis_index`. `prefix` names the argument
 * (`axis1`, `source`...) as NumPy does in its messages. */
export function normalizeAxis(axis: number, ndim: number, prefix?: string): number {
  if (!Number.isInteger(axis)) {
    throw new TypeError(`'${typeof axis === 'number' ? 'float' : typeof axis}' object cannot be interpreted as an integer`);
  }
  if (axis < -ndim || axis >= ndim) {
    const head = prefix ? `${prefix}: ` : '';
    throw new AxisError(`${head}axis ${axis} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Python's `str` of a shape tuple: `(3,)`, `(2, 3)`, `()`. */
export function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** NumPy's compact shape spelling used in broadcast messages: `(2,3)`, `(2,)`. */
export function shapeReprCompact(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(',')})`;
}
