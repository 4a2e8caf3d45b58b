/**
 * Python values as the playground sees them, and how Python prints them (`repr`, `str`). Arrays are
 * ndgpu NDArrays; printing one awaits `format()`, NumPy's `str(a)`.
 */

import type { DType, NDArray } from 'ndgpu';

export type Value =
  | { type: 'array'; array: NDArray }
  | { type: 'int'; value: number | bigint }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'none' }
  | { type: 'str'; value: string }
  | { type: 'tuple'; items: Value[] }
  | { type: 'list'; items: Value[] }
  | { type: 'dtype'; dtype: DType }
  | { type: 'flags'; array: NDArray }
  | { type: 'module'; name: string }
  | { type: 'function'; name: string; builtin: boolean }
  | { type: 'method'; self: NDArray; name: string }
  | { type: 'class'; name: string }
  | { type: 'ellipsis' };

export const NONE: Value = { type: 'none' };
export const int = (value: number | bigint): Value => ({ type: 'int', value });
export const bool = (value: boolean): Value => ({ type: 'bool', value });
export const tuple = (values: readonly number[]): Value => ({ type: 'tuple', items: values.map(int) });

/** Python's name for a value's type, for messages: `'int' object is not callable`. */
export function typeName(value: Value): string {
  switch (value.type) {
    case 'array':
      return 'numpy.ndarray';
    case 'none':
      return 'NoneType';
    case 'function':
    case 'method':
      return 'builtin_function_or_method';
    case 'flags':
      return 'numpy.flagsobj';
    case 'dtype':
      return 'numpy.dtype';
    case 'ellipsis':
      return 'ellipsis';
    case 'class':
      return 'type';
    default:
      return value.type;
  }
}

/** What the REPL prints for an expression statement (nothing for None). Arrays print as `str(a)`. */
export async function display(value: Value): Promise<string | null> {
  if (value.type === 'none') return null;
  return value.type === 'array' ? value.array.format() : repr(value);
}

/** `str(value)`, as `print` shows it. */
export async function str(value: Value): Promise<string> {
  if (value.type === 'str') return value.value;
  if (value.type === 'dtype') return value.dtype;
  return value.type === 'array' ? value.array.format() : repr(value);
}

export async function repr(value: Value): Promise<string> {
  switch (value.type) {
    case 'array':
      return value.array.format();
    case 'int':
      return String(value.value);
    case 'float':
      return floatRepr(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'str':
      return `'${value.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'tuple': {
      const items = await Promise.all(value.items.map(repr));
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    case 'list':
      return `[${(await Promise.all(value.items.map(repr))).join(', ')}]`;
    case 'dtype':
      return `dtype('${value.dtype}')`;
    case 'flags':
      return flagsRepr(value.array);
    case 'module':
      return `<module '${value.name}'>`;
    case 'function':
      return value.builtin ? `<built-in function ${value.name}>` : `<function ${value.name}>`;
    case 'method':
      return `<built-in method ${value.name} of numpy.ndarray object>`;
    case 'class':
      return `<class '${value.name}'>`;
    case 'ellipsis':
      return 'Ellipsis';
  }
}

/** Python's float repr: `1.0`, `0.1`, `1e+16`, `1.5e-07`, `inf`, `nan`. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Object.is(x, -0)) return '-0.0';
  const abs = Math.abs(x);
  if (abs >= 1e16 || (abs < 1e-4 && abs !== 0)) {
    const [mantissa, exponent] = x.toExponential().split('e');
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  const text = String(x);
  return text.includes('.') ? text : `${text}.0`;
}

/** NumPy's `a.flags` printout. */
function flagsRepr(array: NDArray): string {
  const py = (b: boolean) => (b ? 'True' : 'False');
  const f = array.flags;
  return [
    `  C_CONTIGUOUS : ${py(f.cContiguous)}`,
    `  F_CONTIGUOUS : ${py(f.fContiguous)}`,
    `  OWNDATA : ${py(f.owndata)}`,
    `  WRITEABLE : ${py(f.writeable)}`,
  ].join('\n');
}
