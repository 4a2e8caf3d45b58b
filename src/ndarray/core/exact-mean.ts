/**
 * The mean of integers from their exact sum, as NumPy's float64 mean cast to float32: the quotient
 * rounded once to float64 (nearest, ties to even), then once more to float32. The WGSL twin is
 * `mean_f32_of_sum` in shaders/math-reduce.ts; both give the same bits.
 */

const SAFE = 2 ** 53;

/** Significant bits of a positive bigint. */
const bitLength = (x: bigint) => x.toString(2).length;

/**
 * The float64 nearest to n / d (ties to even) for integers n and d > 0, by exact long division: the
 * quotient is taken to at least 55 bits, and what lies beyond them decides the rounding.
 */
export function float64Quotient(n: bigint, d: bigint): number {
  const negative = n < 0n;
  const m = negative ? -n : n;
  if (m === 0n) return 0;
  // floor(m * 2^shift / d) has at least 55 significant bits.
  const shift = Math.max(0, 56 - (bitLength(m) - bitLength(d)));
  const scaled = m << BigInt(shift);
  const q = scaled / d;
  const inexact = scaled % d !== 0n;
  const drop = bitLength(q) - 53;
  const kept = q >> BigInt(drop);
  const rest = q & ((1n << BigInt(drop)) - 1n);
  const half = 1n << BigInt(drop - 1);
  const up = rest > half || (rest === half && (inexact || (kept & 1n) === 1n));
  // An exact power-of-two scaling: the result is normal (|n / d| >= 2^-32 for d < 2^32).
  const value = Number(up ? kept + 1n : kept) * 2 ** (drop - shift);
  return negative ? -value : value;
}

/** NumPy's float64 mean of integers summing to `sum` over `count` elements, as float32. */
export function float32MeanOfSum(sum: number | bigint, count: number): number {
  // Below 2^53 the sum and the count are exact doubles, and IEEE division rounds once.
  if (typeof sum === 'number' && Math.abs(sum) <= SAFE) return Math.fround(sum / count);
  return Math.fround(float64Quotient(BigInt(sum), BigInt(count)));
}

/**
 * An exact integer sum of doubles that are integers: a number while it stays exact, a bigint beyond
 * 2^53. Each added term must be an exact integer itself (callers add block sums below 2^52).
 */
export class ExactIntegerSum {
  #small = 0;
  #big: bigint | null = null;

  add(term: number): void {
    if (Math.abs(this.#small) + Math.abs(term) <= SAFE) {
      this.#small += term;
      return;
    }
    this.#big = (this.#big ?? 0n) + BigInt(this.#small) + BigInt(term);
    this.#small = 0;
  }

  get value(): number | bigint {
    return this.#big === null ? this.#small : this.#big + BigInt(this.#small);
  }
}
