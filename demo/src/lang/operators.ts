/** Python's operators on the playground's scalars and tuples; on arrays only comparisons (elementwise,
 * into boolean masks for `a[a > 5]`): the playground is about views, copies and assignment. */

import type { NDArray } from 'ndgpu';
import type { BinaryOp, CompareOp } from './ast.js';
import { PyError, toNumber, typeError } from './convert.js';
import { bool, typeName, type Value } from './values.js';

const isNumeric = (v: Value) => v.type === 'int' || v.type === 'float' || v.type === 'bool';
const isIntLike = (v: Value) => v.type === 'int' || v.type === 'bool';

function noArrays(op: string, left: Value, right: Value): void {
  if (left.type === 'array' || right.type === 'array') {
    throw typeError(`the playground has no arithmetic on arrays ('${op}'): it is about views, copies and assignment`);
  }
}

const ARRAY_COMPARISONS = {
  '<': 'less',
  '<=': 'lessEqual',
  '>': 'greater',
  '>=': 'greaterEqual',
  '==': 'equal',
  '!=': 'notEqual',
} as const;
/** `5 < a` is `a > 5`. */
const MIRRORED = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const;

/** An operand of an elementwise comparison: an array, or a Python scalar. */
function comparand(value: Value, op: string): NDArray | number | boolean {
  if (value.type === 'array') return value.array;
  if (value.type === 'bool') return value.value;
  if (isNumeric(value)) return toNumber(value, op);
  throw typeError(`'${op}' not supported between an array and '${typeName(value)}'`);
}

/** An elementwise comparison with an array on either side: a new boolean array, as NumPy's. */
function compareArrays(op: keyof typeof ARRAY_COMPARISONS, left: Value, right: Value): Value {
  const [array, other, cmp] = left.type === 'array' ? [left.array, right, op] : [(right as { array: NDArray }).array, left, MIRRORED[op]];
  return { type: 'array', array: array[ARRAY_COMPARISONS[cmp]](comparand(other, op)) };
}

export function binary(op: BinaryOp, left: Value, right: Value): Value {
  // `a @ b` on arrays is the interpreter's (np.matmul); Python has no `@` for numbers.
  if (op === '@') throw typeError(`unsupported operand type(s) for @: '${typeName(left)}' and '${typeName(right)}'`);
  noArrays(op, left, right);
  if (op === '+' && left.type === right.type && (left.type === 'tuple' || left.type === 'list')) {
    return { type: left.type, items: [...left.items, ...(right as typeof left).items] };
  }
  if (op === '+' && left.type === 'str' && right.type === 'str') return { type: 'str', value: left.value + right.value };
  if (!isNumeric(left) || !isNumeric(right)) {
    throw typeError(`unsupported operand type(s) for ${op}: '${typeName(left)}' and '${typeName(right)}'`);
  }
  const x = toNumber(left, op);
  const y = toNumber(right, op);
  const ints = isIntLike(left) && isIntLike(right);
  const zero = (message: string) => new PyError('ZeroDivisionError', message);
  let result: number;
  switch (op) {
    case '+':
      result = x + y;
      break;
    case '-':
      result = x - y;
      break;
    case '*':
      result = x * y;
      break;
    case '/':
      if (y === 0) throw zero('division by zero');
      return { type: 'float', value: x / y };
    case '//':
      if (y === 0) throw zero(ints ? 'integer division or modulo by zero' : 'float floor division by zero');
      result = Math.floor(x / y);
      break;
    case '%':
      if (y === 0) throw zero(ints ? 'integer modulo by zero' : 'float modulo');
      result = x - Math.floor(x / y) * y;
      break;
    case '**':
      result = x ** y;
      if (ints && y < 0) return { type: 'float', value: result };
      break;
  }
  return ints ? { type: 'int', value: result } : { type: 'float', value: result };
}

export function negate(value: Value, op: '-' | '+'): Value {
  if (!isNumeric(value)) throw typeError(`bad operand type for unary ${op}: '${typeName(value)}'`);
  const x = toNumber(value, op);
  const result = op === '-' ? -x : x;
  return value.type === 'float' ? { type: 'float', value: result } : { type: 'int', value: result };
}

/** `is`: the same object (arrays), or the same immutable value. */
export function identical(left: Value, right: Value): boolean {
  if (left.type !== right.type) return false;
  switch (left.type) {
    case 'array':
      return left.array === (right as typeof left).array;
    case 'none':
    case 'ellipsis':
      return true;
    case 'int':
    case 'float':
    case 'bool':
    case 'str':
      return left.value === (right as typeof left).value;
    case 'dtype':
      return left.dtype === (right as typeof left).dtype;
    default:
      return left === right;
  }
}

/** `==` on scalars, strings, dtypes, tuples and lists. */
export function equal(left: Value, right: Value): boolean {
  if (isNumeric(left) && isNumeric(right)) return toNumber(left, '==') === toNumber(right, '==');
  const name = (v: Value) => (v.type === 'dtype' ? v.dtype : v.type === 'str' ? v.value : null);
  if ((left.type === 'dtype' || right.type === 'dtype') && name(left) !== null) return name(left) === name(right);
  if ((left.type === 'tuple' || left.type === 'list') && right.type === left.type) {
    const items = (right as typeof left).items;
    return left.items.length === items.length && left.items.every((v, k) => equal(v, items[k]));
  }
  return identical(left, right);
}

export function compare(op: CompareOp, left: Value, right: Value): Value {
  switch (op) {
    case 'is':
      return bool(identical(left, right));
    case 'is not':
      return bool(!identical(left, right));
  }
  if (left.type === 'array' || right.type === 'array') return compareArrays(op, left, right);
  if (op === '==') return bool(equal(left, right));
  if (op === '!=') return bool(!equal(left, right));
  if (!isNumeric(left) || !isNumeric(right)) {
    throw typeError(`'${op}' not supported between instances of '${typeName(left)}' and '${typeName(right)}'`);
  }
  const x = toNumber(left, op);
  const y = toNumber(right, op);
  return bool(op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y);
}
