/**
 * Tokens of the playground's Python subset. Newlines end a statement only outside brackets (Python's
 * implicit line joining), so a nested list may span lines; `#` starts a comment.
 */

export type TokenKind = 'number' | 'string' | 'name' | 'op' | 'newline' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offsets into the source: `source.slice(start, end)` is the token's text as written. */
  start: number;
  end: number;
}

/** Python's SyntaxError, with the offset of the offending text. */
export class PySyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'SyntaxError';
    this.position = position;
  }
}

const OPERATORS = [
  '...',
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  '=',
  ':',
  '-',
  '+',
  '*',
  '/',
  '%',
  '@',
  ';',
  '<',
  '>',
];
const OPENING: Record<string, string> = { '(': ')', '[': ']' };
const NUMBER = /^(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const brackets: { char: string; at: number }[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number) => tokens.push({ kind, text: source.slice(start, end), start, end });

  while (i < source.length) {
    const ch = source[i];
    if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (ch === '\n') {
      if (brackets.length === 0) push('newline', i, i + 1);
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '\\' && source[i + 1] === '\n') {
      i += 2; // explicit line joining
      continue;
    }
    const rest = source.slice(i);
    const number = NUMBER.exec(rest);
    if (number) {
      push('number', i, i + number[0].length);
      i += number[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      push('name', i, i + name[0].length);
      i += name[0].length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const close = source.indexOf(ch, i + 1);
      const newline = source.indexOf('\n', i + 1);
      if (close < 0 || (newline >= 0 && newline < close)) throw new PySyntaxError('unterminated string literal', i);
      push('string', i, close + 1);
      i = close + 1;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new PySyntaxError(`invalid character '${ch}'`, i);
    if (op in OPENING) brackets.push({ char: op, at: i });
    else if (op === ')' || op === ']') {
      const open = brackets.pop();
      if (!open) throw new PySyntaxError(`unmatched '${op}'`, i);
      if (OPENING[open.char] !== op) {
        throw new PySyntaxError(`closing parenthesis '${op}' does not match opening parenthesis '${open.char}'`, i);
      }
    }
    push('op', i, i + op.length);
    i += op.length;
  }
  const open = brackets.pop();
  if (open) throw new PySyntaxError(`'${open.char}' was never closed`, open.at);
  tokens.push({ kind: 'end', text: '', start: source.length, end: source.length });
  return tokens;
}

/** The value of a string literal (the common escapes only). */
export function stringValue(text: string): string {
  return text.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
}
