/** Conversions between playground values and what ndgpu's API takes or returns, with Python's errors. */

import type { AssignableValue, DType, NDArray, NestedArray, Scalar } from 'ndgpu';
import { typeName, type Value } from './values.js';

/** Python's exceptions that are not ndgpu's own (ndgpu throws IndexError, ValueError, TypeError...). */
export class PyError extends Error {
  constructor(name: 'NameError' | 'AttributeError' | 'TypeError' | 'ZeroDivisionError' | 'ValueError' | 'IndexError', message: string) {
    super(message);
    this.name = name;
  }
}

export const typeError = (message: string) => new PyError('TypeError', message);

/** `int`, `bool` (Python's bools are ints) and `float` as a JS number. */
export function toNumber(value: Value, what: string): number {
  if (value.type === 'int') return Number(value.value);
  if (value.type === 'float') return value.value;
  if (value.type === 'bool') return value.value ? 1 : 0;
  throw typeError(`${what} must be a real number, not '${typeName(value)}'`);
}

/** An integer argument: floats are refused as Python refuses them. */
export function toInt(value: Value, what = 'argument'): number {
  if (value.type === 'int') return Number(value.value);
  if (value.type === 'bool') return value.value ? 1 : 0;
  if (value.type === 'float') throw typeError(`'float' object cannot be interpreted as an integer`);
  throw typeError(`${what}: '${typeName(value)}' object cannot be interpreted as an integer`);
}

/** A shape: an int or a tuple/list of ints. */
export function toShape(value: Value): number[] {
  if (value.type === 'tuple' || value.type === 'list') return value.items.map((v) => toInt(v, 'shape'));
  return [toInt(value, 'shape')];
}

/** An axis argument: None, an int, or a tuple of ints. */
export function toAxes(value: Value | undefined): number | number[] | undefined {
  if (value === undefined || value.type === 'none') return undefined;
  if (value.type === 'tuple' || value.type === 'list') return value.items.map((v) => toInt(v, 'axis'));
  return toInt(value, 'axis');
}

/** Python's types as dtypes, as NumPy reads them (`astype(int)` is int64 on Linux). */
const PYTHON_TYPES: Record<string, DType> = { bool: 'bool', int: 'int64', float: 'float64' };

/** A dtype given as a string (`'int8'`), as `np.int8`, or as Python's `bool`/`int`/`float`; ndgpu checks
 * the name. */
export function toDType(value: Value | undefined): DType | undefined {
  if (value === undefined || value.type === 'none') return undefined;
  if (value.type === 'dtype') return value.dtype;
  if (value.type === 'function' && value.builtin && value.name in PYTHON_TYPES) return PYTHON_TYPES[value.name];
  if (value.type === 'str') return (value.value === 'bool_' ? 'bool' : value.value) as DType;
  throw typeError(`data type not understood: ${typeName(value)}`);
}

/** A memory order: `'C'`, `'F'`, `'A'` or `'K'` (ndgpu checks which one a method takes). */
export function toOrder<T extends string>(value: Value | undefined, fallback: T): T {
  if (value === undefined || value.type === 'none') return fallback;
  if (value.type !== 'str') throw typeError(`order must be str, not ${typeName(value)}`);
  return value.value as T;
}

export interface NestedInfo {
  data: NestedArray;
  /** A Python float appears somewhere: NumPy would make a float array. */
  hasFloat: boolean;
}

/** Nested lists/tuples of Python scalars as ndgpu's nested arrays. */
export function toNested(value: Value): NestedInfo {
  let hasFloat = false;
  const walk = (v: Value): NestedArray => {
    switch (v.type) {
      case 'list':
      case 'tuple':
        return v.items.map(walk);
      case 'int':
        return v.value;
      case 'float':
        hasFloat = true;
        return v.value;
      case 'bool':
        return v.value;
      default:
        throw typeError(`cannot make an array element from '${typeName(v)}'`);
    }
  };
  return { data: walk(value), hasFloat };
}

/** The right side of `a[...] = value`: another array, a scalar, or nested lists. */
export function toAssignable(value: Value): AssignableValue {
  if (value.type === 'array') return value.array;
  return toNested(value).data as AssignableValue;
}

/** An element that ndgpu read (`item()`, `tolist()`) as a Python scalar. */
export function fromScalar(scalar: Scalar, dtype: DType): Value {
  if (typeof scalar === 'boolean') return { type: 'bool', value: scalar };
  if (typeof scalar === 'bigint') return { type: 'int', value: scalar };
  return dtype.startsWith('float') ? { type: 'float', value: scalar } : { type: 'int', value: scalar };
}

export function fromNested(data: NestedArray, dtype: DType): Value {
  if (Array.isArray(data)) return { type: 'list', items: data.map((d) => fromNested(d, dtype)) };
  return fromScalar(data as Scalar, dtype);
}

/** Python's truth value; an array's is its only element's, as NumPy's. */
export async function truthy(value: Value): Promise<boolean> {
  switch (value.type) {
    case 'int':
    case 'float':
    case 'bool':
      return Boolean(value.value);
    case 'none':
      return false;
    case 'str':
      return value.value.length > 0;
    case 'tuple':
    case 'list':
      return value.items.length > 0;
    case 'array':
      return arrayTruth(value.array);
    default:
      return true;
  }
}

async function arrayTruth(array: NDArray): Promise<boolean> {
  if (array.size !== 1) {
    throw new PyError(
      'ValueError',
      array.size === 0
        ? 'The truth value of an empty array is ambiguous. Use `array.size > 0` to check that an array is not empty.'
        : 'The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()',
    );
  }
  return Boolean(await array.item());
}
