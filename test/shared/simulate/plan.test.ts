/**
 * The simulator's closed form on scans made by hand: the exact split sizes of the real
 * rule, STATS.md §2's reference values through planSimulation, the LCG needed for a
 * target, variance reduction, per-stratum figures, and bad input as words, never NaN.
 */
import { describe, expect, it } from 'vitest';
import type { SimScan, SimSettings, SimStratumSums } from '../../../shared/contract/simulate';
import { DEFAULT_SIM_SETTINGS } from '../../../shared/contract/simulate';
import { planSimulation } from '../../../shared/simulate/plan';
import { controlTotal } from '../../../shared/split/control-total';
import { allocateQuotas } from '../../../shared/split/quotas';

const close = (actual: number | null | undefined, expected: number, tolerance = 1e-6) => {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(tolerance);
};

/** Sums of a stratum of `size` profiles with a metric of this mean and sample variance (and no covariate). */
function stratum(label: string, size: number, mean: number, variance: number, covariate?: { mean: number; variance: number; covariance: number }): SimStratumSums {
  const sumY = mean * size;
  const sumY2 = variance * (size - 1) + (sumY * sumY) / size;
  if (!covariate) return { key: label, label, size, sumY, sumY2, sumX: 0, sumX2: 0, sumXY: 0 };
  const sumX = covariate.mean * size;
  return {
    key: label,
    label,
    size,
    sumY,
    sumY2,
    sumX,
    sumX2: covariate.variance * (size - 1) + (sumX * sumX) / size,
    sumXY: covariate.covariance * (size - 1) + (sumX * sumY) / size,
  };
}

/** A binary stratum: `converted` of `size` (sum of y² = sum of y). */
const rates = (label: string, size: number, converted: number): SimStratumSums => ({ key: label, label, size, sumY: converted, sumY2: converted, sumX: 0, sumX2: 0, sumXY: 0 });

function scanOf(strata: SimStratumSums[], kind: 'binary' | 'continuous', options: { gcgRemoved?: number | null; covariate?: boolean } = {}): SimScan {
  return {
    audience: { kind: 'segment', label: 'Segment Everyone', size: strata.reduce((a, s) => a + s.size, 0), gcgRemoved: options.gcgRemoved ?? null, databaseId: 1, campaignId: null },
    metric: { field: kind === 'binary' ? 'purchased' : 'revenue', kind, label: kind === 'binary' ? 'purchased is yes' : 'revenue', missing: 0, capValue: null },
    covariate: options.covariate ? { field: 'revenue_before', label: 'revenue_before', missing: 0, capValue: null } : null,
    strataLabel: 'No stratification',
    strata,
    campaign: null,
    scannedAt: '2026-12-04',
    durationMs: 1,
  };
}

const settings = (patch: Partial<SimSettings> = {}): SimSettings => ({ ...DEFAULT_SIM_SETTINGS, seed: 's1', ...patch });

/** Every number in the plan is finite: nothing shows NaN or Infinity. */
function expectAllFinite(value: unknown, path = 'plan'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), `${path} = ${value}`).toBe(true);
  else if (Array.isArray(value)) value.forEach((v, i) => expectAllFinite(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectAllFinite(v, `${path}.${k}`);
}

describe('the closed form of the simulator', () => {
  it('gives STATS.md §2 for 90,000 / 10,000 at a 5 % rate, with the exact sizes of the split rule', () => {
    const scan = scanOf([rates('All', 100_000, 5_000)], 'binary');
    const plan = planSimulation(scan, settings({ percent: '10', effect: 0.1 }));
    expect(plan.problems).toEqual([]);
    expect(plan.sizes).toEqual({ audience: 100_000, test: 90_000, control: 10_000, controlShare: 0.1 });
    close(plan.mde!.cohenH, 0.0295313);
    close(plan.mde!.detectable, 0.0566315);
    close(plan.mde!.relative, 0.132630, 1e-5);
    close(plan.mde!.differenceAbsolute, 0.0064362);
    // p1 = 0.055: a true change of +10 %.
    close(plan.power!.power, 0.56649, 1e-5);
    expect(plan.sentence).toMatch(/^With an LCG of 10 % \(10,000 profiles\) you can detect a change in the share of “purchased is yes” from 5\.0 % to 5\.7 % \(\+13 %\) with 80 % power at α = 0\.05\. A true change of \+10 % would be detected with 56\.6 % power\.$/);
    expectAllFinite(plan);
  });

  it('gives §4.1 for a continuous metric with σ = 40', () => {
    const plan = planSimulation(scanOf([stratum('All', 100_000, 50, 1600)], 'continuous'), settings({ percent: '10', effect: 0.02 }));
    close(plan.mde!.absolute, 1.18125198);
    close(plan.mde!.relative, 1.18125198 / 50);
    // A true difference of 1.0 (2 % of 50).
    close(plan.power!.power, 0.659743959);
    expect(plan.mde!.cohenH).toBeNull();
  });

  it('uses the sizes after rounding and the limit, and the Hamilton quotas per stratum', () => {
    const strata = [rates('a', 333, 20), rates('b', 667, 40), rates('c', 1, 0)];
    const plan = planSimulation(scanOf(strata, 'binary'), settings({ percent: '7.25', limit: 60 }));
    const control = controlTotal(1001, { percent: '7.25', limit: 60 });
    expect(control).toBe(60);
    expect(plan.sizes.control).toBe(60);
    const quotas = allocateQuotas(strata.map((s) => ({ key: s.key, size: s.size })), 60, 's1');
    expect(plan.strata.map((s) => s.control)).toEqual(quotas.map((q) => q.control));
    // The stratum of one profile says nothing, and the sentence says so.
    expect(plan.unanalysable).toEqual(['c']);
    expect(plan.strata[2]!.reason).toMatch(/No LCG profile|Too small/);
    expect(plan.sentence).toContain('1 stratum cannot be analysed on its own: c.');
  });

  it('finds the smallest LCG share that reaches a target MDE', () => {
    const scan = scanOf([rates('All', 49_400, 2_470)], 'binary');
    const plan = planSimulation(scan, settings({ percent: '10', targetMde: 0.15 }));
    const needed = plan.needed!;
    expect(needed.percent).not.toBeNull();
    const at = (percent: string) => planSimulation(scan, settings({ percent })).mde!.relative!;
    expect(at(needed.percent!)).toBeLessThanOrEqual(0.15);
    const bp = Math.round(Number(needed.percent) * 100);
    expect(at(String((bp - 1) / 100))).toBeGreaterThan(0.15);
    expect(needed.control).toBe(controlTotal(49_400, { percent: needed.percent! }));
    expect(plan.sentence).toContain(`To detect +15 % you need an LCG of ${needed.percent} %`);
    // Out of reach: says by how much.
    const far = planSimulation(scan, settings({ targetMde: 0.001 })).needed!;
    expect(far.percent).toBeNull();
    expect(far.reason).toMatch(/^Even an LCG of 50 % detects only \+\d/);
  });

  it('shows how stratification and CUPED shrink the MDE, measured on the data', () => {
    // Two strata with very different means: most of the variance lies between them.
    const strata = [
      stratum('low', 50_000, 10, 25, { mean: 9, variance: 25, covariance: 20 }),
      stratum('high', 50_000, 60, 25, { mean: 58, variance: 25, covariance: 20 }),
    ];
    const plan = planSimulation(scanOf(strata, 'continuous', { covariate: true }), settings({ percent: '20' }));
    const v = plan.variance;
    expect(v.stratified!).toBeLessThan(v.plain! * 0.25);
    expect(v.withinShare).toBeLessThan(0.05);
    expect(v.rho2!).toBeGreaterThan(0.9);
    close(v.cuped, v.plain! * Math.sqrt(1 - v.rho2!), 1e-12);
    // Within strata ρ = 20/25 = 0.8: the residual variance is 25·(1 − 0.64).
    close(v.stratifiedCuped, v.stratified! * Math.sqrt(1 - 0.64), 1e-6);
    expect(plan.charts.mdeByShare).toHaveLength(100);
    expect(plan.charts.mdeByShare[0]!.percent).toBe(0.5);
    expect(plan.charts.mdeByShare.at(-1)!.percent).toBe(50);
  });

  it('gives the MDE against the GCG instead of an LCG', () => {
    const plan = planSimulation(scanOf([rates('All', 95_000, 4_750)], 'binary', { gcgRemoved: 5_000 }), settings());
    const againstGcg = planSimulation(scanOf([rates('All', 100_000, 5_000)], 'binary'), settings()).mde;
    expect(plan.gcg!.removed).toBe(5_000);
    expect(plan.gcg!.mde!.absolute).toBeGreaterThan(againstGcg!.absolute);
  });

  it('says what is wrong instead of showing NaN or Infinity', () => {
    const binary = scanOf([rates('All', 1_000, 50)], 'binary');
    const cases: [SimScan, Partial<SimSettings>, RegExp][] = [
      [scanOf([rates('All', 1_000, 0)], 'binary'), {}, /No variation: no profile has purchased is yes/],
      [scanOf([stratum('All', 1_000, 7, 0)], 'continuous'), {}, /No variation: revenue is 7\.00 for every profile/],
      [binary, { percent: '0' }, /The LCG is empty/],
      [binary, { percent: '0.01' }, /The LCG is empty: 0\.01 % of 1,000 profiles is no profile/],
      [binary, { percent: '100' }, /no Test group/],
      [binary, { percent: null, limit: null }, /Set an LCG percentage or limit/],
      [binary, { alpha: 0.6 }, /α must be above 0 and at most 0\.5/],
      [binary, { alpha: 0 }, /α must be above 0/],
      [binary, { power: 1 }, /Power must be above 0 and below 1/],
      [binary, { percent: '-3' }, /cannot be negative/],
      [scanOf([rates('All', 0, 0)], 'binary'), {}, /The audience is empty/],
      [binary, { power: 0.01 }, /power at or below α/],
    ];
    for (const [scan, patch, message] of cases) {
      const plan = planSimulation(scan, settings(patch));
      expect(plan.problems.join(' ')).toMatch(message);
      expect(plan.mde).toBeNull();
      expect(plan.sentence).toMatch(message);
      expectAllFinite(plan);
    }
  });
});
