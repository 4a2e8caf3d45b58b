/**
 * The playground's interpreter: runs statements against one ndgpu context, keeps the user's names, and
 * frees what Python's reference counting would free — after each statement, every array that no name
 * reaches (directly, or as the `base` of a named view) is disposed. `del a` therefore releases `a`'s
 * memory unless a view still holds it, exactly the lesson of NumPy's tutorial.
 */

import type { AnyIndex, Context, NDArray } from 'ndgpu';
import type { Expr, Statement, Target } from './ast.js';
import { PySyntaxError } from './lexer.js';
import { parse } from './parser.js';
import { PyError, toAssignable, truthy, typeError } from './convert.js';
import {
  BUILTINS,
  FUNCTIONS,
  METHODS,
  arrayAttribute,
  dtypeAttribute,
  flagAttribute,
  moduleConstant,
  setFlag,
  type Runtime,
} from './library.js';
import { binary, compare, negate } from './operators.js';
import { resolveIndex } from './indexing.js';
import { bool, display, typeName, type Value } from './values.js';

export interface ErrorInfo {
  /** Python's exception name: `IndexError`, `ValueError`, `SyntaxError`... */
  name: string;
  message: string;
  /** For syntax errors: the line with a caret under the offending text. */
  excerpt?: string;
}

export interface Outcome {
  /** The statement as written. */
  source: string;
  /** What Python would print: `print()` lines and the value of an expression statement. */
  output: string | null;
  error: ErrorInfo | null;
}

/** A live array as the memory view shows it. */
export interface ArrayEntry {
  array: NDArray;
  /** The names bound to this very object (`b = a` gives two). */
  names: string[];
  /** The first name it had (kept after `del`, to say whose memory an unnamed owner was). */
  label: string | null;
}

const MODULE: Value = { type: 'module', name: 'numpy' };
const FIRST_ID = 139846954913200;

export class Workspace {
  readonly np: Context;
  readonly #names = new Map<string, Value>();
  /** Every array the interpreter made and has not disposed, in creation order. */
  readonly #arrays = new Set<NDArray>();
  readonly #labels = new WeakMap<NDArray, string>();
  readonly #ids = new WeakMap<object, number>();
  #nextId = 0;
  #printed: string[] = [];
  readonly #runtime: Runtime;

  constructor(np: Context) {
    this.np = np;
    this.#runtime = {
      np,
      id: (value) => this.#id(value),
      print: (line) => this.#printed.push(line),
    };
  }

  /** Parses `source` and runs its statements in order, stopping at the first error; `afterEach` runs
   * after every statement (the memory view takes its snapshots there). */
  async run(source: string, afterEach?: () => Promise<void>): Promise<Outcome[]> {
    let statements: Statement[];
    try {
      statements = parse(source);
    } catch (error) {
      if (error instanceof PySyntaxError) return [{ source: source.trim(), output: null, error: syntaxError(source, error) }];
      throw error;
    }
    const outcomes: Outcome[] = [];
    for (const statement of statements) {
      const outcome = await this.#execute(statement);
      outcomes.push(outcome);
      await afterEach?.();
      if (outcome.error) break;
    }
    return outcomes;
  }

  /** The named arrays and the owners they keep alive, in creation order. */
  arrays(): ArrayEntry[] {
    const names = new Map<NDArray, string[]>();
    const addName = (array: NDArray, name: string) => names.set(array, [...(names.get(array) ?? []), name]);
    for (const [name, value] of this.#names) {
      if (value.type === 'array') addName(value.array, name);
      // The pieces of `parts = np.split(a, 3)` are `parts[0]`, `parts[1]`...
      if (value.type === 'list' || value.type === 'tuple') {
        value.items.forEach((item, k) => {
          if (item.type === 'array') addName(item.array, `${name}[${k}]`);
        });
      }
    }
    return [...this.#arrays].map((array) => ({ array, names: names.get(array) ?? [], label: this.#labels.get(array) ?? null }));
  }

  /** Forgets every name and disposes every array. */
  reset(): void {
    this.#names.clear();
    this.#collect();
  }

  // ------------------------------------------------------------------------------------------

  async #execute(statement: Statement): Promise<Outcome> {
    this.#printed = [];
    let error: ErrorInfo | null = null;
    try {
      await this.#statement(statement);
    } catch (thrown) {
      error = errorInfo(thrown);
    } finally {
      this.#collect();
    }
    return { source: statement.source, output: this.#printed.length > 0 ? this.#printed.join('\n') : null, error };
  }

  async #statement(statement: Statement): Promise<void> {
    switch (statement.kind) {
      case 'expr': {
        const text = await display(await this.#eval(statement.expr));
        if (text !== null) this.#printed.push(text);
        return;
      }
      case 'assign':
        return this.#assign(statement.target, await this.#eval(statement.value));
      case 'del':
        for (const name of statement.names) {
          if (!this.#names.delete(name)) throw new PyError('NameError', `name '${name}' is not defined`);
        }
        return;
    }
  }

  async #assign(target: Target, value: Value): Promise<void> {
    if (target.kind === 'name') {
      if (value.type === 'array' && !this.#labels.has(value.array)) this.#labels.set(value.array, target.name);
      this.#names.set(target.name, value);
      return;
    }
    const object = await this.#eval(target.object);
    if (target.kind === 'index') {
      if (object.type !== 'array') throw typeError(`'${typeName(object)}' object does not support item assignment`);
      object.array.set(await this.#index(target.text), toAssignable(value));
      return;
    }
    if (object.type === 'flags') return setFlag(object.array, target.name, value);
    if (object.type === 'array') {
      throw new PyError('AttributeError', `setting '${target.name}' is not supported by ndgpu (use reshape, view or astype)`);
    }
    throw new PyError('AttributeError', `'${typeName(object)}' object attribute '${target.name}' is read-only`);
  }

  async #eval(expr: Expr): Promise<Value> {
    const value = await this.#evalInner(expr);
    if (value.type === 'array') this.#arrays.add(value.array);
    // np.split and friends return lists of views: each is an array the memory view draws.
    if (value.type === 'list' || value.type === 'tuple')
      for (const item of value.items) if (item.type === 'array') this.#arrays.add(item.array);
    return value;
  }

  async #evalInner(expr: Expr): Promise<Value> {
    switch (expr.kind) {
      case 'number':
        return expr.isFloat ? { type: 'float', value: expr.value } : { type: 'int', value: expr.value };
      case 'string':
        return { type: 'str', value: expr.value };
      case 'constant':
        return expr.value === null ? { type: 'none' } : bool(expr.value);
      case 'name':
        return this.#lookup(expr.name);
      case 'list':
      case 'tuple': {
        const items: Value[] = [];
        for (const item of expr.items) items.push(await this.#eval(item));
        return { type: expr.kind, items };
      }
      case 'unary': {
        const operand = await this.#eval(expr.operand);
        return expr.op === 'not' ? bool(!(await truthy(operand))) : negate(operand, expr.op);
      }
      case 'binary': {
        const [left, right] = [await this.#eval(expr.left), await this.#eval(expr.right)];
        // `a @ b` is np.matmul(a, b) (arrays, or nested lists with an array).
        if (expr.op === '@' && (left.type === 'array' || right.type === 'array')) {
          return FUNCTIONS.matmul(this.#runtime, { args: [left, right], kwargs: new Map() });
        }
        return binary(expr.op, left, right);
      }
      case 'compare':
        return compare(expr.op, await this.#eval(expr.left), await this.#eval(expr.right));
      case 'attribute':
        return attribute(await this.#eval(expr.object), expr.name);
      case 'index': {
        const object = await this.#eval(expr.object);
        if (object.type === 'array') return { type: 'array', array: await object.array.get(await this.#index(expr.text)) };
        return index(object, expr.text);
      }
      case 'call':
        return this.#call(expr);
    }
  }

  async #call(expr: Extract<Expr, { kind: 'call' }>): Promise<Value> {
    const callee = await this.#eval(expr.callee);
    const args: Value[] = [];
    for (const arg of expr.args) args.push(await this.#eval(arg));
    const kwargs = new Map<string, Value>();
    for (const { name, value } of expr.kwargs) kwargs.set(name, await this.#eval(value));
    const call = { args, kwargs };
    if (callee.type === 'method') return METHODS[callee.name](callee.self, this.#runtime, call);
    if (callee.type === 'function') return (callee.builtin ? BUILTINS : FUNCTIONS)[callee.name](this.#runtime, call);
    throw typeError(`'${typeName(callee)}' object is not callable`);
  }

  /** The index of `a[text]`: the text, or items with its expressions evaluated (see indexing.ts). */
  #index(text: string): Promise<AnyIndex> {
    return resolveIndex(text, async (source) => {
      const [statement] = parse(source);
      if (statement?.kind !== 'expr') throw new PySyntaxError('invalid syntax', 0);
      return this.#eval(statement.expr);
    });
  }

  #lookup(name: string): Value {
    const bound = this.#names.get(name);
    if (bound) return bound;
    if (name === 'np' || name === 'numpy') return MODULE;
    if (name in FUNCTIONS) return { type: 'function', name, builtin: false };
    if (name in BUILTINS) return { type: 'function', name, builtin: true };
    if (name === 'Ellipsis') return { type: 'ellipsis' };
    throw new PyError('NameError', `name '${name}' is not defined`);
  }

  /** Disposes every array that no name reaches, as its last reference would go away in Python. */
  #collect(): void {
    const reachable = new Set<NDArray>();
    const visit = (value: Value) => {
      if (value.type === 'array' || value.type === 'flags') reachable.add(value.array);
      else if (value.type === 'method') reachable.add(value.self);
      else if (value.type === 'tuple' || value.type === 'list') value.items.forEach(visit);
    };
    this.#names.forEach(visit);
    for (const array of [...reachable]) if (array.base) reachable.add(array.base);
    for (const array of this.#arrays) {
      if (reachable.has(array)) continue;
      array.dispose();
      this.#arrays.delete(array);
    }
  }

  #id(value: Value): number {
    const key: object = value.type === 'array' ? value.array : value;
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = FIRST_ID + 48 * this.#nextId++;
      this.#ids.set(key, id);
    }
    return id;
  }
}

function attribute(object: Value, name: string): Value {
  switch (object.type) {
    case 'array':
      return arrayAttribute(object.array, name);
    case 'flags':
      return flagAttribute(object.array, name);
    case 'dtype':
      return dtypeAttribute(object.dtype, name);
    case 'module': {
      if (name in FUNCTIONS) return { type: 'function', name, builtin: false };
      const constant = moduleConstant(name);
      if (constant) return constant;
      throw new PyError('AttributeError', `module 'numpy' has no attribute '${name}'`);
    }
  }
  throw new PyError('AttributeError', `'${typeName(object)}' object has no attribute '${name}'`);
}

/** `t[k]` picks from a tuple or list (`a.shape[0]`); arrays are indexed by the Workspace. */
function index(object: Value, text: string): Value {
  if (object.type === 'tuple' || object.type === 'list') {
    if (!/^-?\d+$/.test(text.trim())) throw typeError(`${object.type} indices must be integers`);
    const k = Number(text);
    const item = object.items[k < 0 ? k + object.items.length : k];
    if (!item) throw new PyError('IndexError', `${object.type} index out of range`);
    return item;
  }
  throw typeError(`'${typeName(object)}' object is not subscriptable`);
}

function errorInfo(thrown: unknown): ErrorInfo {
  if (thrown instanceof Error) return { name: thrown.name || 'Error', message: thrown.message };
  return { name: 'Error', message: String(thrown) };
}

function syntaxError(source: string, error: PySyntaxError): ErrorInfo {
  const lineStart = source.lastIndexOf('\n', error.position - 1) + 1;
  const lineEnd = source.indexOf('\n', error.position);
  const line = source.slice(lineStart, lineEnd < 0 ? source.length : lineEnd);
  const indent = line.length - line.trimStart().length;
  const excerpt = `${line.trim()}\n${' '.repeat(Math.max(0, error.position - lineStart - indent))}^`;
  return { name: 'SyntaxError', message: error.message, excerpt };
}
