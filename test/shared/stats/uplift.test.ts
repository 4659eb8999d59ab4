/**
 * The uplift and the sample ratio check (shared/stats/uplift.ts) against every reference
 * value of STATS.md §3–§4.1 (statsmodels 0.13.5, scipy), to 1e-6. Against statsmodels and
 * scipy themselves on generated data: python-peers.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { studentCdf, studentQuantile, studentTwoSided } from '../../../shared/stats/student-t';
import {
  agrestiCaffoInterval,
  cupedUplift,
  groupMoments,
  meansUplift,
  newcombeInterval,
  postStratifiedUplift,
  proportionsUplift,
  relativeUplift,
  sampleRatioCheck,
} from '../../../shared/stats/uplift';
import { covariateSums } from '../../helpers/uplift-data';

const close = (actual: number, expected: number, tolerance = 1e-6) => expect(Math.abs(actual - expected)).toBeLessThan(tolerance);
const closeRelative = (actual: number, expected: number, digits = 6) => close(actual / expected, 1, 10 ** -digits);

describe("Student's t", () => {
  it('gives the quantiles and tails of scipy.stats.t', () => {
    close(studentQuantile(0.975, 10), 2.2281388519649385, 1e-9);
    close(studentQuantile(0.975, 1), 12.706204736432095, 1e-8);
    close(studentQuantile(0.025, 3.5), -2.9400886379827784, 1e-9);
    close(studentCdf(1.5, 2.5), 0.876081773456852, 1e-10);
    close(studentTwoSided(2.2281388519649385, 10), 0.05, 1e-10);
    close(studentCdf(0, 7), 0.5, 1e-15);
    close(studentCdf(-1.5, 2.5), 1 - studentCdf(1.5, 2.5), 1e-15);
  });
});

describe('the uplift of a binary metric (STATS.md §4)', () => {
  const u = proportionsUplift(5040, 90_000, 500, 10_000)!;

  it('Δ = 0.006 with its Wald interval, the pooled z-test and the relative uplift', () => {
    close(u.absolute.estimate, 0.006, 1e-12);
    close(u.absolute.low, 0.00147194);
    close(u.absolute.high, 0.01052806);
    close(u.z, 2.4882, 1e-4);
    close(u.absolute.p!, 0.01284, 1e-5);
    close(u.relative!.estimate, 0.12, 1e-12);
    close(u.relative!.low, 0.0197, 1e-4);
    close(u.relative!.high, 0.2203, 1e-4);
  });

  it("Newcombe's and Agresti–Caffo's intervals (confint_proportions_2indep)", () => {
    close(u.newcombe[0], 0.00131205);
    close(u.newcombe[1], 0.01037452);
    const ac = agrestiCaffoInterval(5040, 90_000, 500, 10_000);
    close(ac[0], 0.00138876);
    close(ac[1], 0.01045101);
    const small = newcombeInterval(12, 300, 2, 40);
    close(small[0], -0.126284097);
    close(small[1], 0.0361209828);
  });

  it('says nothing for an empty group, and no ratio when the LCG never converts', () => {
    expect(proportionsUplift(3, 10, 0, 0)).toBeNull();
    const none = proportionsUplift(3, 10, 0, 10)!;
    expect(none.relative).toBeNull();
    expect(proportionsUplift(0, 10, 0, 10)!.absolute.p).toBeNull();
  });
});

describe('the uplift of a continuous metric (STATS.md §4.1)', () => {
  const t = { n: 90_000, mean: 52.3, variance: 41.0 ** 2 };
  const c = { n: 10_000, mean: 50.1, variance: 39.5 ** 2 };

  it("Welch's t, its degrees of freedom, standard error, p-value and interval", () => {
    const u = meansUplift(t, c)!;
    close(u.t, 5.26347756);
    close(u.df, 12_516.327, 1e-3);
    close(u.absolute.se, 0.417974614);
    closeRelative(u.absolute.p!, 1.43692814e-7, 6);
    close(u.absolute.low, 1.38070558);
    close(u.absolute.high, 3.01929442);
  });

  it('the relative uplift by the delta method, with a z interval', () => {
    const r = relativeUplift(t, c)!;
    close(r.estimate, 0.0439121756);
    close(r.low, 0.0269178586);
    close(r.high, 0.0609064927);
  });

  it('says nothing for a group of one or a metric that never varies', () => {
    expect(meansUplift({ n: 1, mean: 3, variance: 0 }, c)).toBeNull();
    expect(meansUplift({ n: 5, mean: 3, variance: 0 }, { n: 5, mean: 3, variance: 0 })).toBeNull();
  });
});

describe('the sample ratio check (STATS.md §3)', () => {
  it.each([
    [[90_400, 9_600], [90, 10], 17.7778, 2.48e-5, true],
    [[90_150, 9_850], [90, 10], 2.5, 0.1138, false],
    [[44_000, 45_000], [50, 50], 11.236, 8.02e-4, true],
    [[10_100, 9_990], [50, 50], 0.6023, 0.4377, false],
  ])('%j planned %j: χ² %d', (observed, planned, chiSquare, p, mismatch) => {
    const check = sampleRatioCheck(observed, planned)!;
    close(check.chiSquare, chiSquare, 1e-4);
    closeRelative(check.p, p, 2);
    expect(check.df).toBe(1);
    expect(check.mismatch).toBe(mismatch);
  });

  it('needs two groups, someone observed and positive planned shares', () => {
    expect(sampleRatioCheck([10], [1])).toBeNull();
    expect(sampleRatioCheck([0, 0], [90, 10])).toBeNull();
    expect(sampleRatioCheck([5, 5], [1, 0])).toBeNull();
  });
});

describe('the post-stratified uplift (STATS.md §4.1)', () => {
  const stratum = (weight: number, pT: number, nT: number, pC: number, nC: number) => ({
    weight,
    test: groupMoments(true, nT, pT * nT, pT * nT),
    control: groupMoments(true, nC, pC * nC, pC * nC),
  });
  const strata = [stratum(50_000, 0.06, 45_000, 0.052, 5_000), stratum(30_000, 0.045, 27_000, 0.041, 3_000), stratum(20_000, 0.08, 18_000, 0.07, 2_000)];

  it('gives the estimate, standard error and interval of the reference', () => {
    const e = postStratifiedUplift(strata)!;
    close(e.estimate, 0.0072, 1e-12);
    close(e.se, 0.00235934501, 1e-10);
    close(e.low, 0.00257576875);
    close(e.high, 0.0118242313);
  });

  it('pools strata with an empty group, and says nothing when no stratum has both', () => {
    const lone = { weight: 10_000, test: groupMoments(true, 9_000, 540, 540), control: groupMoments(true, 0, 0, 0) };
    const pooled = postStratifiedUplift([...strata, lone])!;
    // The lone stratum went into the largest one, whose Test grew by 9,000 at the same rate.
    close(pooled.estimate, (60_000 * 0.008 + 30_000 * 0.004 + 20_000 * 0.01) / 110_000, 1e-9);
    expect(postStratifiedUplift([lone])).toBeNull();
  });
});

describe('CUPED (STATS.md §4)', () => {
  it('removes the part of the difference the covariate explains, and narrows the interval by 1 − ρ²', () => {
    // Y = X + effect + noise; Test's X happens to be higher.
    const group = (shift: number, effect: number, n: number) => {
      const x = Array.from({ length: n }, (_, i) => shift + ((i * 37) % 101) / 10);
      return covariateSums(x.map((v, i) => v + effect + (((i * 53) % 17) - 8) / 10), x);
    };
    const t = group(1, 2, 900);
    const c = group(0, 0, 300);
    const u = cupedUplift(t, c)!;
    const plain = meansUplift(groupMoments(false, t.n, t.sumY, t.sumYY), groupMoments(false, c.n, c.sumY, c.sumYY))!;
    // The plain difference holds the 1.0 of X; CUPED takes it out.
    expect(Math.abs(plain.absolute.estimate - 3)).toBeLessThan(0.05);
    expect(Math.abs(u.absolute.estimate - 2)).toBeLessThan(0.05);
    expect(u.rho).toBeGreaterThan(0.9);
    close(u.absolute.se, plain.absolute.se * Math.sqrt(1 - u.rho ** 2), 1e-12);
    expect(cupedUplift(covariateSums([1], [1]), c)).toBeNull();
  });
});
