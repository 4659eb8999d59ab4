/**
 * The uplift (shared/stats/uplift.ts) against Debian's python3-statsmodels and scipy on
 * generated data with a known effect, to 1e-6: two proportions (proportions_ztest,
 * confint_proportions_2indep), Welch (scipy's ttest_ind, statsmodels' ttest_ind and its
 * interval), and CUPED against an OLS regression. Skipped when python3 or the modules are
 * missing.
 *
 * CUPED and OLS: the regression of Y on an intercept, the group and the centred covariate
 * gives the group a coefficient of (Ȳ_T − Ȳ_C) − θ(X̄_T − X̄_C) with θ the covariate's
 * coefficient, the slope of Y on X pooled within the groups (Frisch–Waugh–Lovell). That is
 * the θ cupedUplift computes, so the estimate and θ must agree to 1e-6. Their standard
 * errors differ by construction: CUPED's is the plain (unequal-variance) difference's times
 * √(1 − ρ²), OLS's assumes one residual variance and charges the covariate's imbalance
 * between the groups. CUPED's is checked against its own formula computed by numpy (to
 * 1e-6), and against OLS's within the sampling error of the LCG's variance (the two agree
 * as the groups grow).
 */
import { describe, expect, it } from 'vitest';
import { agrestiCaffoInterval, cupedUplift, groupMoments, meansUplift, proportionsUplift } from '../../../shared/stats/uplift';
import { pythonHas, runPython } from '../../helpers/python';
import { covariateSums } from '../../helpers/uplift-data';

const close = (actual: number, expected: number, tolerance = 1e-6) => expect(Math.abs(actual - expected)).toBeLessThan(tolerance);

interface MomentSums {
  n: number;
  sum: number;
  sumSq: number;
}

interface UpliftCase {
  kT: number;
  nT: number;
  kC: number;
  nC: number;
  z: number;
  p: number;
  wald: [number, number];
  newcombe: [number, number];
  agrestiCaffo: [number, number];
  t: MomentSums;
  c: MomentSums;
  scipyT: number;
  scipyP: number;
  welchT: number;
  welchP: number;
  welchDf: number;
  welch: [number, number];
}

interface CupedCase {
  yT: number[];
  xT: number[];
  yC: number[];
  xC: number[];
  estimate: number;
  theta: number;
  rho: number;
  se: number;
  low: number;
  high: number;
  olsSe: number;
}

const UPLIFT_SCRIPT = `
import json, numpy as np
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW, ttest_ind
rng = np.random.default_rng(11)
out = []
for nT, nC, pT, pC, muT, muC in [(9000, 1000, .061, .05, 10.4, 10.0), (40000, 4400, .2, .19, 3.0, 2.9), (700, 90, .3, .22, 100, 96), (5000, 5000, .1, .1, 7.0, 7.0)]:
    kT = int(rng.binomial(nT, pT)); kC = int(rng.binomial(nC, pC))
    z, p = proportions_ztest([kT, kC], [nT, nC])
    ci = lambda method: [float(v) for v in confint_proportions_2indep(kT, nT, kC, nC, method=method, compare='diff')]
    yT = rng.gamma(2.0, muT / 2.0, nT); yC = rng.gamma(2.0, muC / 2.0, nC)
    scipy = stats.ttest_ind(yT, yC, equal_var=False)
    welchT, welchP, welchDf = ttest_ind(yT, yC, usevar='unequal')
    low, high = CompareMeans(DescrStatsW(yT), DescrStatsW(yC)).tconfint_diff(alpha=0.05, usevar='unequal')
    sums = lambda y: dict(n=len(y), sum=float(y.sum()), sumSq=float((y ** 2).sum()))
    out.append(dict(kT=kT, nT=nT, kC=kC, nC=nC, z=float(z), p=float(p), wald=ci('wald'), newcombe=ci('newcomb'), agrestiCaffo=ci('agresti-caffo'),
                    t=sums(yT), c=sums(yC), scipyT=float(scipy.statistic), scipyP=float(scipy.pvalue),
                    welchT=float(welchT), welchP=float(welchP), welchDf=float(welchDf), welch=[float(low), float(high)]))
print(json.dumps(out))
`;

const CUPED_SCRIPT = `
import json, numpy as np
import statsmodels.api as sm
from scipy import stats
rng = np.random.default_rng(12)
out = []
for nT, nC, effect, binary in [(9000, 1000, 0.8, False), (20000, 5000, 0.03, True), (600, 150, 2.0, False)]:
    n = nT + nC
    if binary:
        p = 1 / (1 + np.exp(-(-2 + 1.5 * rng.normal(size=n))))
        x = (rng.random(n) < p).astype(float)
        y = (rng.random(n) < p).astype(float)
        y[:nT] = np.maximum(y[:nT], (rng.random(nT) < effect).astype(float))
    else:
        x = rng.gamma(3.0, 4.0, n)
        y = 5 + 0.8 * x + rng.normal(0, 4, n)
        y[:nT] += effect
    g = np.r_[np.ones(nT), np.zeros(nC)]
    fit = sm.OLS(y, sm.add_constant(np.column_stack([g, x - x.mean()]))).fit()
    dx = np.r_[x[:nT] - x[:nT].mean(), x[nT:] - x[nT:].mean()]
    dy = np.r_[y[:nT] - y[:nT].mean(), y[nT:] - y[nT:].mean()]
    rho = dx @ dy / np.sqrt((dx @ dx) * (dy @ dy))
    se = np.sqrt((y[:nT].var(ddof=1) / nT + y[nT:].var(ddof=1) / nC) * (1 - rho ** 2))
    q = stats.norm.ppf(0.975)
    out.append(dict(yT=y[:nT].tolist(), xT=x[:nT].tolist(), yC=y[nT:].tolist(), xC=x[nT:].tolist(),
                    estimate=float(fit.params[1]), theta=float(fit.params[2]), rho=float(rho), se=float(se),
                    low=float(fit.params[1] - q * se), high=float(fit.params[1] + q * se), olsSe=float(fit.bse[1])))
print(json.dumps(out))
`;

describe.runIf(pythonHas('numpy', 'scipy', 'statsmodels'))('against statsmodels and scipy on generated data', () => {
  it('two proportions and Welch: the same statistics, p-values and intervals to 1e-6', () => {
    for (const k of runPython<UpliftCase[]>(UPLIFT_SCRIPT)) {
      const u = proportionsUplift(k.kT, k.nT, k.kC, k.nC)!;
      close(u.z, k.z);
      close(u.absolute.p!, k.p);
      close(u.absolute.low, k.wald[0]);
      close(u.absolute.high, k.wald[1]);
      close(u.newcombe[0], k.newcombe[0]);
      close(u.newcombe[1], k.newcombe[1]);
      const ac = agrestiCaffoInterval(k.kT, k.nT, k.kC, k.nC);
      close(ac[0], k.agrestiCaffo[0]);
      close(ac[1], k.agrestiCaffo[1]);
      const m = meansUplift(groupMoments(false, k.t.n, k.t.sum, k.t.sumSq), groupMoments(false, k.c.n, k.c.sum, k.c.sumSq))!;
      close(m.t, k.scipyT);
      close(m.absolute.p!, k.scipyP);
      close(m.t, k.welchT);
      close(m.absolute.p!, k.welchP);
      close(m.df, k.welchDf, 1e-6 * k.welchDf);
      close(m.absolute.low, k.welch[0]);
      close(m.absolute.high, k.welch[1]);
    }
  });

  it("CUPED: OLS's group coefficient and covariate slope to 1e-6, and its standard error by its formula", () => {
    for (const k of runPython<CupedCase[]>(CUPED_SCRIPT)) {
      const u = cupedUplift(covariateSums(k.yT, k.xT), covariateSums(k.yC, k.xC))!;
      close(u.absolute.estimate, k.estimate);
      close(u.theta, k.theta);
      close(u.rho, k.rho);
      close(u.absolute.se, k.se);
      close(u.absolute.low, k.low);
      close(u.absolute.high, k.high);
      // Near OLS's: within four relative standard errors of a standard deviation estimated from the LCG's n values, 1/√(2n).
      expect(Math.abs(u.absolute.se / k.olsSe - 1)).toBeLessThan(4 / Math.sqrt(2 * k.yC.length));
    }
  });
});
