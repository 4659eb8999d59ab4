/**
 * The always-valid interval for looking every day (shared/stats/sequential.ts): its formula
 * against the published form (Waudby-Smith et al. 2024, Theorem 2.2: a mean of t
 * observations with spread σ̂, ρ² optimised for t_opt, values from Python), and, on campaigns
 * with no effect looked at daily for 30 days (and after every profile), the false positives
 * it prevents: some plain interval excludes zero far more often than 5 %, the sequential
 * one at most 5 %.
 */
import { describe, expect, it } from 'vitest';
import { SeededStream } from '../../../shared/stats/random';
import { sequentialInterval, sequentialMultiplier, sequentialRho, sequentialWideningText } from '../../../shared/stats/sequential';
import { groupMoments, meansUplift, proportionsUplift, type Estimate } from '../../../shared/stats/uplift';
import { normal } from '../../helpers/sim-data';

const close = (actual: number, expected: number, tolerance = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThan(tolerance);

describe('the sequential interval', () => {
  it.each([
    // estimate, se, n, horizon, confidence; bounds from σ̂ = se·√n in the paper's form
    [0.006, 0.0023, 100_000, 100_000, 0.95, -0.000980980677865382, 0.012980980677865381],
    [0.006, 0.0023, 3000, 90_000, 0.95, -0.006547580149663121, 0.018547580149663123],
    [2.2, 0.418, 100_000, 50_000, 0.9, 1.0333503552354288, 3.3666496447645713],
    [1, 1, 1, 1_000_000, 0.99, -892.6254168549511, 894.6254168549511],
  ])('%d ± se %d at %d profiles of %d, %d', (estimate, se, n, horizon, confidence, low, high) => {
    const interval = sequentialInterval(estimate, se, n, horizon, confidence)!;
    close(interval[0], low, Math.abs(low) * 1e-12);
    close(interval[1], high, Math.abs(high) * 1e-12);
  });

  it('is about 1.55 times the plain 95 % interval at the horizon, wider before it, and never narrower than the plain one', () => {
    close(sequentialMultiplier(50_000, 50_000)! / 1.959963984540054, 1.5486, 1e-4);
    close(sequentialMultiplier(1000, 30_000)! / 1.959963984540054, 2.7835, 1e-4);
    // ρ optimised for the horizon: no other ρ gives a narrower interval there (to the approximation's 1 %).
    const at = (rho2: number, n: number) => Math.sqrt((1 + 1 / (n * rho2)) * (Math.log1p(n * rho2) + 2 * Math.log(20)));
    const rho = sequentialRho(50_000)!;
    for (const factor of [0.5, 0.8, 1.25, 2]) expect(at(rho * rho * factor, 50_000)).toBeGreaterThan(at(rho * rho, 50_000) * 0.99);
    for (const n of [1, 10, 1000, 50_000, 10_000_000]) expect(sequentialMultiplier(n, 50_000)!).toBeGreaterThan(1.96);
  });

  it('has no interval without profiles or a standard error, and refuses a confidence outside (0, 1)', () => {
    expect(sequentialInterval(0.1, 0.01, 0, 1000)).toBeNull();
    expect(sequentialInterval(0.1, 0.01, 10, 0)).toBeNull();
    expect(sequentialInterval(0.1, Number.NaN, 10, 1000)).toBeNull();
    expect(sequentialInterval(0.1, 0, 10, 1000)).toEqual([0.1, 0.1]);
    expect(() => sequentialInterval(0.1, 0.01, 10, 1000, 1)).toThrow(/confidence/);
  });

  it('says in one sentence how much wider it is', () => {
    expect(sequentialWideningText([0.004, 0.0067], [0.0012, 0.0095])).toBe(
      'Looking every day makes a false positive more likely than 5 %; an interval that stays valid however often you look is 3.1 times as wide: 0.001200 to 0.009500 instead of 0.004000 to 0.006700.',
    );
    expect(sequentialWideningText([1, 3], [0, 4], 0.9, (v) => `${v} €`)).toBe(
      'Looking every day makes a false positive more likely than 10 %; an interval that stays valid however often you look is 2.0 times as wide: 0 € to 4 € instead of 1 € to 3 €.',
    );
  });
});

const DAYS = 30;

/** Over campaigns with no effect looked at every day: the shares where some day's plain or sequential interval excluded zero. */
function peeking(replicates: number, perDay: number, day: (stream: SeededStream, n: number) => { t: number[]; c: number[] }, estimate: (sumsT: number[], sumsC: number[], nT: number, nC: number) => Estimate | null) {
  const stream = new SeededStream('peeking');
  const nT = Math.round(perDay * 0.8);
  const nC = perDay - nT;
  let plainFalse = 0;
  let sequentialFalse = 0;
  for (let r = 0; r < replicates; r += 1) {
    const t = [0, 0];
    const c = [0, 0];
    let plainHit = false;
    let sequentialHit = false;
    for (let d = 1; d <= DAYS; d += 1) {
      const today = day(stream, perDay);
      t[0]! += today.t[0]!;
      t[1]! += today.t[1]!;
      c[0]! += today.c[0]!;
      c[1]! += today.c[1]!;
      const e = estimate(t, c, nT * d, nC * d);
      if (e === null) continue;
      if (e.low > 0 || e.high < 0) plainHit = true;
      const [low, high] = sequentialInterval(e.estimate, e.se, perDay * d, perDay * DAYS)!;
      if (low > 0 || high < 0) sequentialHit = true;
    }
    if (plainHit) plainFalse += 1;
    if (sequentialHit) sequentialFalse += 1;
  }
  return { plain: plainFalse / replicates, sequential: sequentialFalse / replicates };
}

describe('looking every day at a campaign with no effect (30 daily looks)', () => {
  it('a binary metric: some day excludes zero in far more than 5 % of campaigns, the sequential interval in at most 5 %', () => {
    // 2,000 new profiles a day, 20 % to the LCG, 10 % convert in both groups.
    const result = peeking(
      2000,
      2000,
      (stream, n) => ({ t: [stream.binomial(n * 0.8, 0.1), 0], c: [stream.binomial(n * 0.2, 0.1), 0] }),
      (t, c, nT, nC) => proportionsUplift(t[0]!, nT, c[0]!, nC)?.absolute ?? null,
    );
    expect(result.plain).toBeGreaterThan(0.15);
    expect(result.sequential).toBeLessThanOrEqual(0.05);
  });

  it('a continuous metric (Welch): the same', () => {
    const draw = (stream: SeededStream, n: number) => {
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < n; i += 1) {
        const v = 20 + 8 * normal(stream);
        sum += v;
        sumSq += v * v;
      }
      return [sum, sumSq];
    };
    const result = peeking(
      1000,
      200,
      (stream, n) => ({ t: draw(stream, n * 0.8), c: draw(stream, n * 0.2) }),
      (t, c, nT, nC) => meansUplift(groupMoments(false, nT, t[0]!, t[1]!), groupMoments(false, nC, c[0]!, c[1]!))?.absolute ?? null,
    );
    expect(result.plain).toBeGreaterThan(0.15);
    expect(result.sequential).toBeLessThanOrEqual(0.05);
  });

  it('holds even looking after every single profile (1,000 looks at a mean with known spread)', () => {
    const stream = new SeededStream('every-profile');
    let plain = 0;
    let sequential = 0;
    for (let r = 0; r < 2000; r += 1) {
      let sum = 0;
      let plainHit = false;
      let sequentialHit = false;
      for (let n = 1; n <= 1000; n += 1) {
        sum += normal(stream);
        const se = 1 / Math.sqrt(n);
        if (Math.abs(sum / n) > 1.959963984540054 * se) plainHit = true;
        const [low, high] = sequentialInterval(sum / n, se, n, 1000)!;
        if (low > 0 || high < 0) sequentialHit = true;
      }
      if (plainHit) plain += 1;
      if (sequentialHit) sequential += 1;
    }
    expect(plain / 2000).toBeGreaterThan(0.4);
    expect(sequential / 2000).toBeLessThanOrEqual(0.05);
  });
});
