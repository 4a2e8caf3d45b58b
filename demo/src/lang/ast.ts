/** The syntax tree of the playground's Python subset. */

export type Expr =
  | { kind: 'number'; value: number; isFloat: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'constant'; value: boolean | null }
  | { kind: 'name'; name: string }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'tuple'; items: Expr[] }
  | { kind: 'unary'; op: '-' | '+' | 'not'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr }
  | { kind: 'attribute'; object: Expr; name: string }
  | { kind: 'call'; callee: Expr; args: Expr[]; kwargs: Keyword[] }
  /** `object[text]`: the bracket's contents go to ndgpu's index syntax as written. */
  | { kind: 'index'; object: Expr; text: string };

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@';
export type CompareOp = 'is' | 'is not' | '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface Keyword {
  name: string;
  value: Expr;
}

/** What may stand left of `=`. */
export type Target =
  { kind: 'name'; name: string } | { kind: 'index'; object: Expr; text: string } | { kind: 'attribute'; object: Expr; name: string };

export type StatementBody =
  { kind: 'assign'; target: Target; value: Expr } | { kind: 'del'; names: string[] } | { kind: 'expr'; expr: Expr };

export type Statement = StatementBody & {
  /** The statement as written (comments dropped, whitespace kept), and where it starts. */
  source: string;
  start: number;
};
