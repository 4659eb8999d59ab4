/**
 * Every reference value of STATS.md §2 and §3 (R pwr, statsmodels 0.13.5, scipy), to 1e-6.
 */
import { describe, expect, it } from 'vitest';
import { chiSquareHomogeneity, smd } from '../../../shared/stats/balance';
import { chiSquareUpper } from '../../../shared/stats/chi-square';
import { wilsonInterval } from '../../../shared/stats/intervals';
import { normalCdf, normalQuantile, normalUpper } from '../../../shared/stats/normal';
import { cohenH, detectableLambda, effectiveSize, powerAt, rateAtH, secondGroupSize } from '../../../shared/stats/power';

const close = (actual: number, expected: number, tolerance = 1e-6) => expect(Math.abs(actual - expected)).toBeLessThan(tolerance);
/** Within 1e-6 relative to the value (for p-values far below 1e-6). */
const closeRelative = (actual: number, expected: number, digits = 3) => close(actual / expected, 1, 10 ** -digits);

describe('the normal distribution', () => {
  it('gives the quantiles of STATS.md to double precision', () => {
    close(normalQuantile(0.975), 1.959963984540054, 1e-13);
    close(normalQuantile(0.8), 0.8416212335729143, 1e-13);
    close(normalQuantile(0.5), 0, 1e-15);
    close(normalQuantile(1e-10), -6.361340902404056, 1e-9);
    close(normalQuantile(0.995), 2.5758293035489004, 1e-13);
  });

  it('is consistent: Φ(Φ⁻¹(p)) = p, and the upper tail keeps its digits far out', () => {
    // Hart's Φ is exact to about 1e-14 absolute, so far out in the tail to about 1e-8 relative.
    for (const p of [1e-12, 1e-6, 0.001, 0.025, 0.3, 0.5, 0.77, 0.975, 0.999999]) closeRelative(normalCdf(normalQuantile(p)), p, 7);
    closeRelative(normalUpper(8), 6.22096057427174e-16, 7);
    close(normalCdf(-1.959963984540054), 0.025, 1e-15);
  });
});

describe('power and MDE (STATS.md §2)', () => {
  const z = 1.959963984540054;
  const zPower = 0.8416212335729143;

  it('power of h = 0.2 with 543 and 675, two-sided', () => {
    close(powerAt(0.2 * Math.sqrt(effectiveSize(543, 675)), 0.05, 'two-sided'), 0.9344102);
  });

  it('the second group for h = 0.2, n1 = 763, power 0.8', () => {
    close(secondGroupSize(0.2, 763, 0.05, 0.8, 'two-sided')!, 264.1544, 1e-3);
  });

  it("Cohen's h and equal groups for power 0.8", () => {
    close(cohenH(0.55, 0.5), 0.1001674);
    close(cohenH(0.1, 0.05), 0.1924743);
    close(cohenH(0.5, 0.4), 0.20135792079033088, 1e-15);
    const lambda = detectableLambda(0.05, 0.8, 'two-sided')!;
    // Equal groups of n: n_eff = n/2.
    // pwr prints n to 7 digits: equal there.
    close(2 * (lambda / cohenH(0.55, 0.5)) ** 2, 1564.529, 5e-3);
    close(2 * (lambda / cohenH(0.1, 0.05)) ** 2, 423.7319, 2e-3);
    close(2 * (lambda / 0.2) ** 2, 392.443, 1e-3);
  });

  it('solves both tails where the far one matters (a power close to α), and has no answer at or below α', () => {
    for (const power of [0.051, 0.06, 0.2]) close(powerAt(detectableLambda(0.05, power, 'two-sided')!, 0.05, 'two-sided'), power, 1e-12);
    expect(detectableLambda(0.05, 0.05, 'two-sided')).toBeNull();
    // One-sided: z_{1−α} + z_power.
    close(detectableLambda(0.05, 0.8, 'one-sided')!, 1.6448536269514722 + 0.8416212335729143, 1e-12);
  });

  it('one-sided power of h = 0.3 with 80 and 245', () => {
    close(powerAt(0.3 * Math.sqrt(effectiveSize(80, 245)), 0.05, 'one-sided'), 0.7532924);
  });

  it('the MDE of 90,000 / 10,000 at a 5 % baseline, and the power at 5.5 %', () => {
    const n = effectiveSize(90_000, 10_000);
    const h = detectableLambda(0.05, 0.8, 'two-sided')! / Math.sqrt(n);
    close(h, 0.0295313);
    const p1 = rateAtH(0.05, h);
    close(p1, 0.0566315);
    close(p1 / 0.05 - 1, 0.1326, 1e-4);
    close((z + zPower) * Math.sqrt(0.05 * 0.95 * (1 / 90_000 + 1 / 10_000)), 0.0064362);
    close(cohenH(0.055, 0.05), 0.0224243);
    close(powerAt(cohenH(0.055, 0.05) * Math.sqrt(n), 0.05, 'two-sided'), 0.56649, 1e-5);
  });

  it('the continuous MDE and power of §4.1 (normal, statsmodels NormalIndPower)', () => {
    const lambda = detectableLambda(0.05, 0.8, 'two-sided')!;
    const scale = Math.sqrt(1 / 90_000 + 1 / 10_000);
    close(lambda / Math.sqrt(effectiveSize(90_000, 10_000)), 0.0295312995, 1e-8);
    close(lambda * 40 * scale, 1.18125198, 1e-7);
    close((z + zPower) * 40 * scale, 1.18125205, 1e-7);
    close(powerAt(1 / (40 * scale), 0.05, 'two-sided'), 0.659743959, 1e-8);
  });
});

describe('balance and sample-ratio checks (STATS.md §3)', () => {
  it('chi-square p-values of the sample-ratio examples', () => {
    const gof = (observed: number[], shares: number[]) => {
      const n = observed.reduce((a, b) => a + b, 0);
      return observed.reduce((sum, o, i) => sum + (o - n * shares[i]!) ** 2 / (n * shares[i]!), 0);
    };
    const a = gof([90_400, 9_600], [0.9, 0.1]);
    close(a, 17.7778, 1e-4);
    closeRelative(chiSquareUpper(a, 1), 2.48e-5, 2);
    close(chiSquareUpper(gof([90_150, 9_850], [0.9, 0.1]), 1), 0.1138, 1e-4);
    const c = gof([44_000, 45_000], [0.5, 0.5]);
    close(c, 11.236, 1e-3);
    closeRelative(chiSquareUpper(c, 1), 8.02e-4, 2);
    close(chiSquareUpper(gof([10_100, 9_990], [0.5, 0.5]), 1), 0.4377, 1e-4);
    // The critical value for df 1 at p = 0.001.
    close(chiSquareUpper(10.8276, 1), 0.001, 1e-6);
  });

  it('chi-square with more degrees of freedom (scipy)', () => {
    close(chiSquareUpper(5, 3), 0.1717971442967335, 1e-12);
    close(chiSquareUpper(30, 10), 0.000856641210775301, 1e-12);
  });

  it('homogeneity across Test and LCG: E = row·column/N, df = K − 1, Cramér’s V, and the expected counts', () => {
    const result = chiSquareHomogeneity([
      [300, 40],
      [500, 50],
      [200, 10],
    ])!;
    // By hand: N = 1100, columns 1000 / 100.
    const expected = [
      [(340 * 1000) / 1100, (340 * 100) / 1100],
      [(550 * 1000) / 1100, (550 * 100) / 1100],
      [(210 * 1000) / 1100, (210 * 100) / 1100],
    ];
    const observed = [[300, 40], [500, 50], [200, 10]];
    const chi = observed.flatMap((row, r) => row.map((o, c) => (o - expected[r]![c]!) ** 2 / expected[r]![c]!)).reduce((a, b) => a + b, 0);
    close(result.chiSquare, chi, 1e-9);
    expect(result.df).toBe(2);
    close(result.cramersV, Math.sqrt(chi / 1100), 1e-12);
    close(result.minExpected, (210 * 100) / 1100, 1e-12);
    expect(chiSquareHomogeneity([[5, 0], [0, 0]])).toBeNull();
  });

  it('standardised mean differences, continuous and binary', () => {
    close(smd(52.3, 41 ** 2, 50.1, 39.5 ** 2)!, (52.3 - 50.1) / Math.sqrt((41 ** 2 + 39.5 ** 2) / 2), 1e-12);
    close(smd(0.3, 0.3 * 0.7, 0.2, 0.2 * 0.8)!, 0.1 / Math.sqrt((0.21 + 0.16) / 2), 1e-12);
    expect(smd(1, 0, 1, 0)).toBeNull();
  });

  it("Wilson's interval holds the rate and stays inside [0, 1]", () => {
    const [lo, hi] = wilsonInterval(50, 1000, 0.95);
    // statsmodels proportion_confint(50, 1000, method='wilson').
    close(lo, 0.03813026239274881, 1e-12);
    close(hi, 0.06531382024425081, 1e-12);
    const [lo99, hi99] = wilsonInterval(50, 1000, 0.99);
    close(lo99, 0.03502507572253244, 1e-12);
    close(hi99, 0.07090697269053371, 1e-12);
    expect(wilsonInterval(0, 100, 0.99)[0]).toBe(0);
  });
});
