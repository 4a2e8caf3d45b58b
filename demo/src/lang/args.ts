/** Binding call arguments to parameter names, with Python's TypeErrors. */

import { typeError } from './convert.js';
import type { Value } from './values.js';

export interface CallArgs {
  args: Value[];
  kwargs: Map<string, Value>;
}

/**
 * Binds `call` to `params` (in order; a leading `*` marks a parameter that takes the remaining positional
 * arguments as a tuple). Returns the bound values; missing optional ones are undefined.
 */
export function bind(name: string, call: CallArgs, params: string[], required = 0): Record<string, Value | undefined> {
  const bound: Record<string, Value | undefined> = {};
  const positional = [...call.args];
  for (const param of params) {
    if (param.startsWith('*')) {
      bound[param.slice(1)] = { type: 'tuple', items: positional.splice(0) };
      continue;
    }
    if (positional.length > 0) bound[param] = positional.shift();
  }
  if (positional.length > 0) {
    const max = params.filter((p) => !p.startsWith('*')).length;
    throw typeError(`${name}() takes at most ${max} positional argument${max === 1 ? '' : 's'} (${call.args.length} given)`);
  }
  for (const [key, value] of call.kwargs) {
    if (!params.includes(key)) throw typeError(`${name}() got an unexpected keyword argument '${key}'`);
    if (bound[key] !== undefined) throw typeError(`${name}() got multiple values for argument '${key}'`);
    bound[key] = value;
  }
  params.slice(0, required).forEach((param) => {
    if (bound[param] === undefined) throw typeError(`${name}() missing required argument '${param}'`);
  });
  return bound;
}

/** `f(2, 3)` or `f((2, 3))`: the shape-like arguments of reshape and transpose as one list. */
export function spreadArgs(rest: Value | undefined): Value[] {
  if (!rest || rest.type !== 'tuple') return [];
  const items = rest.items;
  if (items.length === 1 && (items[0].type === 'tuple' || items[0].type === 'list')) return items[0].items;
  if (items.length === 1 && items[0].type === 'none') return [];
  return items;
}
