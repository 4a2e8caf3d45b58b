// The bench's round bookkeeping (bench/timing.ts): repetitions shared out over rounds, medians pooled.
import { describe, expect, it } from 'vitest';
import { pooled, roundCounts } from '../bench/timing.js';

describe('bench rounds', () => {
  it('shares the timed repetitions out over the rounds, warming up fully only before the first', () => {
    const counts = { warmup: 2, reps: 7 };
    const rounds = [0, 1, 2].map((r) => roundCounts(counts, 3, r, 1));
    expect(rounds).toEqual([
      { warmup: 2, reps: 3 },
      { warmup: 1, reps: 2 },
      { warmup: 1, reps: 2 },
    ]);
    expect(roundCounts({ warmup: 0, reps: 2 }, 3, 2, 1)).toEqual({ warmup: 0, reps: 1 }); // never zero timed
    expect(roundCounts({ warmup: 20, reps: 21 }, 3, 1, 20)).toEqual({ warmup: 20, reps: 7 });
  });

  it('pools every round’s repetitions before taking the median', () => {
    const m = pooled([
      { medianMs: 1, timesMs: [1, 1, 9] },
      { medianMs: 5, timesMs: [5, 6], allocMedianMs: 3 },
      { medianMs: 2, timesMs: [2, 7], allocMedianMs: 5 },
    ]);
    expect(m.timesMs).toEqual([1, 1, 9, 5, 6, 2, 7]);
    expect(m.medianMs).toBe(5);
    expect(m.allocMedianMs).toBe(4);
    expect(pooled([{ medianMs: 1, timesMs: [1] }])).not.toHaveProperty('allocMedianMs');
  });
});
