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

/**
 * The name Python would give a JavaScript value's type in NumPy's messages ("'float' object cannot be
 * interpreted as an integer"): a non-integral number is a float, a string a str, null a NoneType...
 */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'object':
      return value.constructor?.name === 'Slice' ? 'slice' : 'dict';
    default:
      return typeof value;
  }
}

/** Python's TypeError for a value where an integer was needed. */
export function notAnInteger(value: unknown): TypeError {
  return new TypeError(`'${pythonTypeName(value)}' object cannot be interpreted as an integer`);
}

/** An axis argument as a list: one axis or several; anything else is Python's TypeError. */
export function axisList(axis: unknown): readonly number[] {
  if (typeof axis === 'number') return [axis];
  if (Array.isArray(axis)) return axis as number[];
  throw notAnInteger(axis);
}

/** A shape argument as a list: one length or several; anything else is NumPy's TypeError. */
export function shapeList(shape: unknown): readonly number[] {
  if (typeof shape === 'number') return [shape];
  if (Array.isArray(shape)) return shape as number[];
  if (shape === null || shape === undefined) throw new TypeError('Use () not None as shape arguments');
  throw notAnInteger(shape);
}

/** Normalises an axis argument like NumPy's `normalize_axis_index`. `prefix` names the argument
 * (`axis1`, `source`...) as NumPy does in its messages. */
export function normalizeAxis(axis: number, ndim: number, prefix?: string): number {
  if (!Number.isInteger(axis)) throw notAnInteger(axis);
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
