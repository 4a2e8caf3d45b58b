/**
 * A recursive-descent parser for the playground's Python subset:
 *
 *   statement  := 'del' NAME (',' NAME)* | target '=' expr | exprlist
 *   expr       := 'not' expr | sum (compare_op sum)?
 *   sum        := term (('+' | '-') term)*        term := unary (('*' | '/' | '//' | '%' | '@') unary)*
 *   unary      := ('-' | '+') unary | power        power := postfix ('**' unary)?
 *   postfix    := atom ('.' NAME | '(' arguments ')' | '[' raw index text ']')*
 *   atom       := NUMBER | STRING | NAME | True | False | None | '(' exprlist? ')' | '[' exprlist? ']'
 *
 * Indexing keeps the bracket's text as written: ndgpu parses it (`a.get(':, 1:3')`).
 */

import type { BinaryOp, CompareOp, Expr, Keyword, Statement, StatementBody, Target } from './ast.js';
import { PySyntaxError, stringValue, tokenize, type Token } from './lexer.js';

export function parse(source: string): Statement[] {
  return new Parser(source).statements();
}

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const KEYWORDS = new Set(['del', 'is', 'not', 'and', 'or', 'in', 'True', 'False', 'None', 'def', 'lambda', 'import', 'for', 'while', 'if']);

class Parser {
  readonly #source: string;
  readonly #tokens: Token[];
  #at = 0;

  constructor(source: string) {
    this.#source = source;
    this.#tokens = tokenize(source);
  }

  statements(): Statement[] {
    const result: Statement[] = [];
    for (;;) {
      while (this.#isOp(';') || this.#peek().kind === 'newline') this.#at++;
      if (this.#peek().kind === 'end') return result;
      const first = this.#peek();
      const statement = this.#statement();
      const last = this.#tokens[this.#at - 1];
      result.push({ ...statement, source: this.#source.slice(first.start, last.end), start: first.start });
      const next = this.#peek();
      if (next.kind !== 'end' && next.kind !== 'newline' && !this.#isOp(';')) throw this.#error('invalid syntax', next);
    }
  }

  #statement(): StatementBody {
    if (this.#isName('del')) {
      this.#at++;
      const names = [this.#expectName()];
      while (this.#accept(',')) names.push(this.#expectName());
      return { kind: 'del', names };
    }
    if (this.#isName('import') || this.#isName('from')) {
      // `import numpy as np` is accepted and does nothing: `np` is always there.
      while (this.#peek().kind !== 'newline' && this.#peek().kind !== 'end' && !this.#isOp(';')) this.#at++;
      return { kind: 'expr', expr: { kind: 'constant', value: null } };
    }
    const expr = this.#exprList();
    if (!this.#isOp('=')) return { kind: 'expr', expr };
    const equals = this.#peek();
    this.#at++;
    const target = toTarget(expr);
    if (!target) throw this.#error('cannot assign to expression here', equals);
    const value = this.#exprList();
    if (this.#isOp('=')) throw this.#error('chained assignment is not supported in the playground', this.#peek());
    return { kind: 'assign', target, value };
  }

  /** `a, b` is a tuple, as in Python. */
  #exprList(): Expr {
    const first = this.#expr();
    if (!this.#isOp(',')) return first;
    const items = [first];
    while (this.#accept(',')) {
      if (this.#endsList()) break;
      items.push(this.#expr());
    }
    return { kind: 'tuple', items };
  }

  #expr(): Expr {
    if (this.#isName('not')) {
      this.#at++;
      return { kind: 'unary', op: 'not', operand: this.#expr() };
    }
    const left = this.#sum();
    let op: CompareOp | null = null;
    if (this.#isName('is')) {
      this.#at++;
      op = this.#isName('not') ? (this.#at++, 'is not') : 'is';
    } else if (this.#peek().kind === 'op' && COMPARE_OPS.has(this.#peek().text)) {
      op = this.#next().text as CompareOp;
    }
    if (!op) return left;
    const right = this.#sum();
    if (this.#isName('is') || COMPARE_OPS.has(this.#peek().text)) {
      throw this.#error('chained comparisons are not supported in the playground', this.#peek());
    }
    return { kind: 'compare', op, left, right };
  }

  #sum(): Expr {
    let left = this.#term();
    while (this.#isOp('+') || this.#isOp('-')) {
      const op = this.#next().text as BinaryOp;
      left = { kind: 'binary', op, left, right: this.#term() };
    }
    return left;
  }

  #term(): Expr {
    let left = this.#unary();
    while (this.#isOp('*') || this.#isOp('/') || this.#isOp('//') || this.#isOp('%') || this.#isOp('@')) {
      const op = this.#next().text as BinaryOp;
      left = { kind: 'binary', op, left, right: this.#unary() };
    }
    return left;
  }

  #unary(): Expr {
    if (this.#isOp('-') || this.#isOp('+')) {
      const op = this.#next().text as '-' | '+';
      return { kind: 'unary', op, operand: this.#unary() };
    }
    const base = this.#postfix();
    if (this.#accept('**')) return { kind: 'binary', op: '**', left: base, right: this.#unary() };
    return base;
  }

  #postfix(): Expr {
    let expr = this.#atom();
    for (;;) {
      if (this.#accept('.')) expr = { kind: 'attribute', object: expr, name: this.#expectName() };
      else if (this.#isOp('(')) expr = this.#call(expr);
      else if (this.#isOp('[')) expr = { kind: 'index', object: expr, text: this.#rawBracket() };
      else return expr;
    }
  }

  #call(callee: Expr): Expr {
    this.#expect('(');
    const args: Expr[] = [];
    const kwargs: Keyword[] = [];
    while (!this.#isOp(')')) {
      const token = this.#peek();
      const isKeyword = token.kind === 'name' && this.#tokens[this.#at + 1]?.text === '=';
      if (isKeyword) {
        this.#at += 2;
        if (kwargs.some((k) => k.name === token.text)) throw this.#error(`keyword argument repeated: ${token.text}`, token);
        kwargs.push({ name: token.text, value: this.#expr() });
      } else {
        if (kwargs.length > 0) throw this.#error('positional argument follows keyword argument', token);
        args.push(this.#expr());
      }
      if (!this.#accept(',')) break;
    }
    this.#expect(')');
    return { kind: 'call', callee, args, kwargs };
  }

  /** The text between `[` and its matching `]`, as written (the lexer has checked the nesting). */
  #rawBracket(): string {
    const open = this.#next();
    let depth = 1;
    for (;;) {
      const token = this.#next();
      if (token.kind === 'end') throw this.#error("'[' was never closed", open);
      if (token.text === '[' || token.text === '(') depth++;
      else if (token.text === ']' || token.text === ')') depth--;
      if (depth === 0)
        return this.#source
          .slice(open.end, token.start)
          .replace(/#[^\n]*/g, '')
          .replace(/\s+/g, ' ')
          .trim();
    }
  }

  #atom(): Expr {
    const token = this.#next();
    switch (token.kind) {
      case 'number': {
        const text = token.text.replace(/_/g, '');
        return { kind: 'number', value: Number(text), isFloat: /[.eE]/.test(text) };
      }
      case 'string':
        return { kind: 'string', value: stringValue(token.text) };
      case 'name':
        if (token.text === 'True' || token.text === 'False') return { kind: 'constant', value: token.text === 'True' };
        if (token.text === 'None') return { kind: 'constant', value: null };
        if (KEYWORDS.has(token.text)) throw this.#error(`'${token.text}' is not supported in the playground`, token);
        return { kind: 'name', name: token.text };
      case 'op':
        if (token.text === '(') {
          if (this.#accept(')')) return { kind: 'tuple', items: [] };
          const inner = this.#exprList();
          this.#expect(')');
          return inner;
        }
        if (token.text === '[') {
          const items: Expr[] = [];
          while (!this.#isOp(']')) {
            items.push(this.#expr());
            if (!this.#accept(',')) break;
          }
          this.#expect(']');
          return { kind: 'list', items };
        }
        if (token.text === '...') return { kind: 'name', name: 'Ellipsis' };
        break;
    }
    throw this.#error('invalid syntax', token);
  }

  // Token helpers

  #peek(): Token {
    return this.#tokens[this.#at];
  }
  #next(): Token {
    const token = this.#tokens[this.#at];
    if (token.kind !== 'end') this.#at++;
    return token;
  }
  #isOp(text: string): boolean {
    const token = this.#peek();
    return token.kind === 'op' && token.text === text;
  }
  #isName(text: string): boolean {
    const token = this.#peek();
    return token.kind === 'name' && token.text === text;
  }
  #accept(text: string): boolean {
    if (!this.#isOp(text)) return false;
    this.#at++;
    return true;
  }
  #expect(text: string): void {
    if (!this.#accept(text)) throw this.#error(`expected '${text}'`, this.#peek());
  }
  #expectName(): string {
    const token = this.#next();
    if (token.kind !== 'name' || KEYWORDS.has(token.text)) throw this.#error('invalid syntax', token);
    return token.text;
  }
  #endsList(): boolean {
    const token = this.#peek();
    return token.kind === 'end' || token.kind === 'newline' || this.#isOp('=') || this.#isOp(')') || this.#isOp(';');
  }
  #error(message: string, token: Token): PySyntaxError {
    return new PySyntaxError(message, token.start);
  }
}

function toTarget(expr: Expr): Target | null {
  if (expr.kind === 'name') return { kind: 'name', name: expr.name };
  if (expr.kind === 'index') return { kind: 'index', object: expr.object, text: expr.text };
  if (expr.kind === 'attribute') return { kind: 'attribute', object: expr.object, name: expr.name };
  return null;
}
