/**
 * Campaigns with no effect (ISSUE 12, correctness): an audience is split again and again
 * into Test and a random 10 % LCG, nobody's outcome changes, and the plain 95 % interval of
 * the absolute uplift must cover zero in 95 % ± 2 % of 2,000 campaigns (the Monte Carlo
 * error of a share of 2,000 near 95 % is 0.49 %, so ±2 % is four of it). Seeded: the same
 * campaigns every run.
 */
import { describe, expect, it } from 'vitest';
import { quantileValue } from '../../../main/engine/simulate/metric';
import { SeededStream } from '../../../shared/stats/random';
import { groupMoments, meansUplift, proportionsUplift } from '../../../shared/stats/uplift';
import { makeSimData } from '../../helpers/sim-data';
import { drawSubset } from '../../helpers/uplift-data';

const REPLICATES = 2000;
const AUDIENCE = 20_000;
const LCG = 2000;

/** The share of `REPLICATES` random splits of the audience's outcomes whose interval covers 0. */
function coverage(y: Float64Array, binary: boolean, seed: string): number {
  const stream = new SeededStream(seed);
  const order = Int32Array.from({ length: y.length }, (_, i) => i);
  let sum = 0;
  let sumSq = 0;
  for (const v of y) {
    sum += v;
    sumSq += v * v;
  }
  let covered = 0;
  for (let r = 0; r < REPLICATES; r += 1) {
    drawSubset(stream, order, 0, order.length, LCG);
    let sumC = 0;
    let sumSqC = 0;
    for (let k = 0; k < LCG; k += 1) {
      const v = y[order[k]!]!;
      sumC += v;
      sumSqC += v * v;
    }
    const nT = y.length - LCG;
    const interval = binary
      ? proportionsUplift(sum - sumC, nT, sumC, LCG)!.absolute
      : meansUplift(groupMoments(false, nT, sum - sumC, sumSq - sumSqC), groupMoments(false, LCG, sumC, sumSqC))!.absolute;
    if (interval.low <= 0 && interval.high >= 0) covered += 1;
  }
  return covered / REPLICATES;
}

describe('no effect: the plain 95 % interval covers zero in 95 % ± 2 % of 2,000 campaigns', () => {
  it('a binary metric (two proportions, Wald interval): about 8 % convert, strata of different rates', () => {
    const data = makeSimData({ count: AUDIENCE, strata: 12, metric: 'binary', rate: 0.08, seed: 'coverage-binary' });
    const share = coverage(data.y, true, 'coverage-binary-splits');
    expect(share).toBeGreaterThanOrEqual(0.93);
    expect(share).toBeLessThanOrEqual(0.97);
  });

  // Uncapped, the rare huge amounts (over ten times the 99th percentile here) leave a
  // 2,000-profile LCG's mean skewed: the interval then covers zero 92–94 % of the time,
  // its misses nearly all on one side. Capped as the simulator caps a revenue metric, or with
  // an LCG of half the audience, the t interval is right again.
  it('a continuous metric (Welch): revenue, mostly 0 and log-normal amounts, capped at the 99th percentile', () => {
    const data = makeSimData({ count: AUDIENCE, strata: 12, metric: 'continuous', seed: 'coverage-revenue' });
    const cap = quantileValue(data.y, 0.99);
    const share = coverage(data.y.map((v) => Math.min(v, cap)), false, 'coverage-revenue-splits');
    expect(share).toBeGreaterThanOrEqual(0.93);
    expect(share).toBeLessThanOrEqual(0.97);
  });
});
