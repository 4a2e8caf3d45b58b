/**
 * The index inside `a[...]`: ndgpu parses NumPy's own index syntax (`':, 1:3'`, `'[0, 2], 1:'`,
 * `'[True, False, True]'`), so text made of literals goes as it is; a component that is an expression
 * (`a[a > 5]`, `a[idx, 1:]`, `a[np.arange(3)]`) is evaluated, and the index goes as a list of items:
 * arrays as NDArrays (integer ones index, boolean ones select), lists as nested JS arrays.
 */

import type { AnyIndex, AnyIndexItem, NestedIndexList } from 'ndgpu';
import { PyError, toNested, typeError } from './convert.js';
import { typeName, type Value } from './values.js';

const INTEGER = '-?\\d+';
const BOUND = `(${INTEGER})?`;
/** A basic component: an integer, a slice, None/newaxis, an ellipsis, True/False. */
const BASIC = new RegExp(`^(${INTEGER}|None|newaxis|np\\.newaxis|\\.\\.\\.|Ellipsis|True|False|${BOUND}:${BOUND}(:${BOUND})?)$`);
/** A bracketed list of integer or boolean literals. */
const LIST = /^\[[\s\d,\-[\]()]*(True|False)?[\s\d,\-[\]()TrueFals]*\]$/;

/** `text` split at the commas outside brackets and parentheses. */
function components(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim());
}

function isLiteral(component: string): boolean {
  const compact = component.replace(/\s+/g, '');
  return BASIC.test(compact) || LIST.test(component);
}

/** A value used as an index item. */
function toItem(value: Value): AnyIndexItem {
  switch (value.type) {
    case 'array':
      return value.array;
    case 'int':
      return Number(value.value);
    case 'bool':
      return value.value;
    case 'none':
      return null;
    case 'ellipsis':
      return '...';
    case 'list':
    case 'tuple':
      return toNested(value).data as NestedIndexList;
    default:
      throw new PyError(
        'IndexError',
        `only integers, slices (\`:\`), ellipsis (\`...\`), numpy.newaxis (\`None\`) and integer or boolean arrays are valid indices, not '${typeName(value)}'`,
      );
  }
}

export async function resolveIndex(text: string, evaluate: (source: string) => Promise<Value>): Promise<AnyIndex> {
  const parts = text.trim() === '' ? [] : components(text);
  if (parts.every(isLiteral)) return text;
  if (parts.some((p) => p === '')) throw typeError('invalid index');
  const items: AnyIndexItem[] = [];
  // ndgpu parses a string item as one component of its index syntax.
  for (const part of parts) items.push(isLiteral(part) ? (part as unknown as AnyIndexItem) : toItem(await evaluate(part)));
  return items;
}
