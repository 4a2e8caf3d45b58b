/**
 * Whether two layouts over the same buffer touch a common byte: by bounds (`maySharesMemory`) or exactly
 * (`sharesMemory`), the latter as NumPy does by solving a bounded linear Diophantine equation.
 */

import { byteBounds, sameElements, type Layout } from './layout.js';

export interface Extent {
  readonly layout: Layout;
  readonly itemsize: number;
}

/** Do the byte bounds of the two intersect? Size-0 arrays occupy nothing. */
export function boundsOverlap(a: Extent, b: Extent): boolean {
  const [aLow, aHigh] = byteBounds(a.layout, a.itemsize);
  const [bLow, bHigh] = byteBounds(b.layout, b.itemsize);
  if (aLow === aHigh || bLow === bHigh) return false;
  return aLow < bHigh && bLow < aHigh;
}

/**
 * How a source that lives in its target's memory relates to the target: 'same' when every element sits at
 * its target element's address in items of the same size, 'disjoint' when their byte bounds do not meet,
 * 'overlapping' otherwise. This one rule decides, for every operation, whether a source is read in place
 * or staged through a temporary first ("as if the source were copied first"): operations read 'disjoint'
 * sources in place, stage 'overlapping' ones, and treat 'same' as their own case (a copy has nothing to
 * do; an elementwise operation reads each element in the invocation that writes it).
 */
export function aliasing(target: Extent, source: Extent): 'same' | 'disjoint' | 'overlapping' {
  if (target.itemsize === source.itemsize && sameElements(target.layout, source.layout)) return 'same';
  return boundsOverlap(target, source) ? 'overlapping' : 'disjoint';
}

interface Term {
  coefficient: number;
  upper: number;
}

/**
 * Is there a byte that both arrays' elements cover? Element addresses are `offset + Σ i_k·s_k`; a byte of
 * an element is that plus `u` with `0 ≤ u < itemsize`. Equating a byte of each gives
 * `Σ i_k·s_k − Σ j_k·t_k + u − v = offB − offA`, which becomes a problem in non-negative, bounded
 * unknowns with positive coefficients after substituting `x' = upper − x` for negative ones.
 * `maxWork` bounds the search (candidate values tried); exceeding it returns `undefined`.
 */
export function exactOverlap(a: Extent, b: Extent, maxWork = 1e6): boolean | undefined {
  if (!boundsOverlap(a, b)) return false;
  const terms: Term[] = [];
  let rhs = b.layout.offset - a.layout.offset;
  const addTerm = (coefficient: number, upper: number) => {
    if (upper <= 0 || coefficient === 0) return;
    if (coefficient < 0) {
      // c·x with 0 ≤ x ≤ U equals c·U + |c|·(U − x): move c·U to the right-hand side.
      rhs -= coefficient * upper;
      coefficient = -coefficient;
    }
    terms.push({ coefficient, upper });
  };
  a.layout.shape.forEach((n, k) => addTerm(a.layout.strides[k], n - 1));
  b.layout.shape.forEach((n, k) => addTerm(-b.layout.strides[k], n - 1));
  addTerm(1, a.itemsize - 1);
  addTerm(-1, b.itemsize - 1);
  return solveBounded(mergeEqualCoefficients(terms), rhs, maxWork);
}

function mergeEqualCoefficients(terms: Term[]): Term[] {
  const byCoefficient = new Map<number, number>();
  for (const t of terms) byCoefficient.set(t.coefficient, (byCoefficient.get(t.coefficient) ?? 0) + t.upper);
  return [...byCoefficient.entries()].map(([coefficient, upper]) => ({ coefficient, upper })).sort((p, q) => q.coefficient - p.coefficient);
}

function gcd(x: number, y: number): number {
  while (y) [x, y] = [y, x % y];
  return Math.abs(x);
}

/** Depth-first search over the largest coefficients first, pruned by reachable range and divisibility. */
function solveBounded(terms: Term[], rhs: number, maxWork: number): boolean | undefined {
  const n = terms.length;
  const restMax = new Array<number>(n + 1).fill(0);
  const restGcd = new Array<number>(n + 1).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    restMax[k] = restMax[k + 1] + terms[k].coefficient * terms[k].upper;
    restGcd[k] = gcd(restGcd[k + 1], terms[k].coefficient);
  }
  let work = 0;
  const search = (k: number, target: number): boolean | undefined => {
    if (target < 0 || target > restMax[k]) return false;
    if (k === n) return target === 0;
    if (restGcd[k] !== 0 && target % restGcd[k] !== 0) return false;
    const { coefficient, upper } = terms[k];
    const low = Math.max(0, Math.ceil((target - restMax[k + 1]) / coefficient));
    const high = Math.min(upper, Math.floor(target / coefficient));
    for (let x = low; x <= high; x++) {
      if (++work > maxWork) return undefined;
      const found = search(k + 1, target - coefficient * x);
      if (found !== false) return found;
    }
    return false;
  };
  return search(0, rhs);
}
