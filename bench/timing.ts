/**
 * Timing helpers. One repetition is wall clock from issuing the work to the moment it is known to be
 * complete (on WebGPU: `await np.sync()` or the raw queue's `onSubmittedWorkDone()` resolving); what
 * the repetition made is released after the clock stops.
 */

export interface Measurement {
  /** Median over the timed repetitions (warm-up excluded), in milliseconds. */
  medianMs: number;
  /** Every timed repetition, in milliseconds. */
  timesMs: number[];
  /** NumPy only: the median of the literal allocating `view.copy()` (the table uses copyto). */
  allocMedianMs?: number;
}

/** One repetition: does the work and resolves once it is complete, optionally with an (untimed)
 * cleanup for what it made. */
export type Repetition = () => Promise<(() => void) | void> | (() => void) | void;

export interface RepetitionCounts {
  warmup: number;
  reps: number;
}

export async function measure(repetition: Repetition, counts: RepetitionCounts): Promise<Measurement> {
  const timesMs: number[] = [];
  for (let i = 0; i < counts.warmup + counts.reps; i++) {
    const start = performance.now();
    const cleanup = await repetition();
    const elapsed = performance.now() - start;
    if (cleanup) cleanup();
    if (i >= counts.warmup) timesMs.push(elapsed);
  }
  return { medianMs: median(timesMs), timesMs };
}

/**
 * The repetitions of round `round` (0-based) of `rounds`: the timed ones shared out as evenly as
 * possible (at least one each), `counts.warmup` before the first round and `laterWarmup` before each
 * later one (a later round re-prepares its inputs, whose first use touches fresh memory).
 */
export function roundCounts(counts: RepetitionCounts, rounds: number, round: number, laterWarmup: number): RepetitionCounts {
  const reps = Math.max(1, Math.floor(counts.reps / rounds) + (round < counts.reps % rounds ? 1 : 0));
  return { warmup: round === 0 ? counts.warmup : Math.min(counts.warmup, laterWarmup), reps };
}

/** One measurement of the timed repetitions of several rounds: their pooled median. */
export function pooled(rounds: readonly Measurement[]): Measurement {
  const timesMs = rounds.flatMap((m) => m.timesMs);
  const allocs = rounds.flatMap((m) => (m.allocMedianMs === undefined ? [] : [m.allocMedianMs]));
  return { medianMs: median(timesMs), timesMs, ...(allocs.length ? { allocMedianMs: median(allocs) } : {}) };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Bytes per second in GB/s (10^9). */
export function gbps(bytes: number, ms: number): number {
  return bytes / (ms / 1000) / 1e9;
}

export function geomean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}
