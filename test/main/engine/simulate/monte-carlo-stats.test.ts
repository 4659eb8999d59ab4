/**
 * The Monte Carlo's statistics against theory, on a realistic audience (50,000 profiles
 * and more in uneven strata; a ~5 % yes/no metric and a skewed revenue, mostly 0), with
 * real worker threads: the A/A false-positive rate's 99 % interval holds α, and the
 * empirical power is within 3 points of the closed form where the normal approximation
 * holds. Seeded: the same figures every run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runMonteCarlo, type MonteCarloSettings } from '../../../../main/engine/simulate/monte-carlo';
import { createSplitPool } from '../../../../main/workers/hash-in-pool';
import type { SimData } from '../../../../main/engine/simulate/data';
import { makeSimData } from '../../../helpers/sim-data';

/** The metric capped at its q quantile, as `--cap q` does (the simulator's advice for revenue). */
function capped(data: SimData, q: number): SimData {
  const sorted = Float64Array.from(data.y).sort();
  const cap = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { ...data, y: data.y.map((v) => Math.min(v, cap)) };
}

const pool = createSplitPool();
afterAll(async () => {
  await pool?.close();
});

const hooks = { pool, progress: () => undefined, checkpoint: async () => undefined };
const REPS = 3000;

describe('the Monte Carlo against theory', () => {
  const binary = makeSimData({ count: 50_000, strata: 40, metric: 'binary', rate: 0.05, seed: 'aa-binary' });
  const revenue = makeSimData({ count: 50_000, strata: 40, metric: 'continuous', seed: 'aa-revenue' });

  for (const [name, data] of [
    ['a 5 % yes/no metric', binary],
    ['a skewed revenue capped at its 99th percentile', capped(revenue, 0.99)],
  ] as const) {
    for (const alpha of [0.05, 0.01]) {
      // One-sided on a skewed metric is the z-test's weak spot (see the heavy-tail case below).
      for (const sided of data.binary ? (['two-sided', 'one-sided'] as const) : (['two-sided'] as const)) {
        it(`A/A on ${name}: the false-positive rate's 99 % interval holds α = ${alpha} (${sided})`, async () => {
          const settings: MonteCarloSettings = { alpha, sided, percent: '10', limit: null, seed: `aa-${alpha}-${sided}`, effect: null };
          const result = await runMonteCarlo(data, settings, REPS, hooks);
          const [lo, hi] = result.aa.falsePositive.interval99;
          expect(lo).toBeLessThanOrEqual(alpha);
          expect(hi).toBeGreaterThanOrEqual(alpha);
          expect(result.aa.falsePositive.rejected).toBe(Math.round(result.aa.falsePositive.rate * REPS));
          // The A/A difference is centred on 0.
          expect(Math.abs(result.aa.meanDifference)).toBeLessThan((4 * result.aa.sdDifference) / Math.sqrt(REPS));
        });
      }
    }
  }

  it('shows what the closed form hides: uncapped, a heavy-tailed revenue makes a one-sided test at α = 0.01 reject too often', async () => {
    // 70 % zeros and log-normal amounts (skewness above 10): with an LCG of 5,000 the
    // z-test's one-sided tail is not normal; the simulator measures how far off it is.
    const settings: MonteCarloSettings = { alpha: 0.01, sided: 'one-sided', percent: '10', limit: null, seed: 'heavy', effect: null };
    const result = await runMonteCarlo(revenue, settings, REPS, hooks);
    expect(result.aa.falsePositive.interval99[0]).toBeGreaterThan(0.01);
  });

  for (const [name, options, percent, effect] of [
    ['a 5 % yes/no metric', { count: 200_000, metric: 'binary', rate: 0.05 }, '10', 0.1],
    ['a 20 % yes/no metric, one-sided', { count: 60_000, metric: 'binary', rate: 0.2 }, '20', 0.06],
    ['a skewed revenue', { count: 200_000, metric: 'continuous' }, '20', 0.05],
  ] as const) {
    it(`with an injected effect on ${name}: the empirical power is within 3 points of the closed form`, async () => {
      const data = makeSimData({ ...options, strata: 50, seed: `power-${name}` });
      const sided = name.includes('one-sided') ? 'one-sided' : 'two-sided';
      const result = await runMonteCarlo(data, { alpha: 0.05, sided, percent, limit: null, seed: 'power', effect }, 2000, hooks);
      const power = result.effect!;
      // A meaningful check: a power well away from α and from 1.
      expect(power.closedFormPower).toBeGreaterThan(0.3);
      expect(power.closedFormPower).toBeLessThan(0.95);
      expect(Math.abs(power.power.rate - power.closedFormPower)).toBeLessThan(0.03);
      expect(power.effect).toBe(effect);
    });
  }
});
