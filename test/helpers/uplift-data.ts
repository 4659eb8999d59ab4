/**
 * Campaigns made up for the uplift's statistical tests: a random LCG drawn from an
 * audience (in each stratum, its exact quota), and the sums per group that the engine hands
 * to shared/stats/uplift.ts.
 */
import type { SeededStream } from '../../shared/stats/random';
import { addCovariatePair, noCovariateSums, type CovariateSums } from '../../shared/stats/uplift';

/**
 * Moves a uniformly random `k` of order[from .. to − 1] to the front of that range (a
 * partial Fisher–Yates shuffle: any starting order gives a uniform subset, so the same
 * array serves replicate after replicate).
 */
export function drawSubset(stream: SeededStream, order: Int32Array, from: number, to: number, k: number): void {
  for (let i = 0; i < k; i += 1) {
    const j = from + i + stream.below(to - from - i);
    const picked = order[j]!;
    order[j] = order[from + i]!;
    order[from + i] = picked;
  }
}

/** CUPED's sums of the metric y and the covariate x over the profiles `at` (all of them when omitted). */
export function covariateSums(y: ArrayLike<number>, x: ArrayLike<number>, at?: ArrayLike<number>): CovariateSums {
  const s = noCovariateSums();
  const count = at ? at.length : y.length;
  for (let k = 0; k < count; k += 1) {
    const i = at ? at[k]! : k;
    addCovariatePair(s, y[i]!, x[i]!);
  }
  return s;
}

/** Sums taken away from a total: the other group's sums when `part` is one group. */
export function minusSums(total: CovariateSums, part: CovariateSums): CovariateSums {
  return {
    n: total.n - part.n,
    sumY: total.sumY - part.sumY,
    sumYY: total.sumYY - part.sumYY,
    sumX: total.sumX - part.sumX,
    sumXX: total.sumXX - part.sumXX,
    sumXY: total.sumXY - part.sumXY,
  };
}
