/**
 * What can be checked of a user's WGSL expression (np.elementwise) at the call, before WebGPU compiles
 * it asynchronously: that it is one complete expression as far as its brackets and its ends show.
 * Deliberately shallow (no grammar, no types: WebGPU's compiler decides those, and its verdict reaches
 * the call's result, see the WebGPU backend), so that it never refuses valid WGSL, and linear, so that no
 * input can exhaust the stack.
 */

import { ValueError } from './errors.js';

const OPENING: Record<string, string> = { '(': ')', '[': ']' };
/** Characters that can end a WGSL expression: an identifier, a number (`1.`, `2u`, `0x1f`), `)` or `]`. */
const ENDS_EXPRESSION = /[A-Za-z0-9_.)\]]$/;
/** Characters that can start one: an identifier, a number, `(`, or a unary operator. */
const STARTS_EXPRESSION = /^[A-Za-z0-9_.(\-!~*&]/;

export function checkExpressionSyntax(expression: string): void {
  const text = expression.trim();
  const fail = (why: string): never => {
    throw new ValueError(`elementwise(): '${expression}' is not one WGSL expression: ${why}`);
  };
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c in OPENING) open.push(OPENING[c]);
    else if (c === ')' || c === ']') {
      if (open.pop() !== c) fail(`unbalanced '${c}' at position ${i}`);
    }
  }
  if (open.length > 0) fail(`'${open[open.length - 1]}' expected at the end`);
  if (!STARTS_EXPRESSION.test(text)) fail(`it cannot start with '${text[0]}'`);
  if (!ENDS_EXPRESSION.test(text) || /(^|[^0-9])\.$/.test(text)) fail(`it cannot end with '${text[text.length - 1]}'`);
}
