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
