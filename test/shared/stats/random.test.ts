import { describe, expect, it } from 'vitest';
import { SeededStream } from '../../../shared/stats/random';
import { chiSquareUpper } from '../../../shared/stats/chi-square';

/** Pearson's goodness of fit of counts to probabilities (cells with expected < 5 pooled into the last). */
function fitPValue(counts: readonly number[], probabilities: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  let chi = 0;
  let cells = 0;
  let restObserved = 0;
  let restExpected = 0;
  counts.forEach((observed, i) => {
    const expected = total * probabilities[i]!;
    if (expected < 5) {
      restObserved += observed;
      restExpected += expected;
      return;
    }
    chi += (observed - expected) ** 2 / expected;
    cells += 1;
  });
  if (restExpected > 0) {
    chi += (restObserved - restExpected) ** 2 / restExpected;
    cells += 1;
  }
  return chiSquareUpper(chi, cells - 1);
}

function binomialPmf(n: number, p: number): number[] {
  const pmf: number[] = [];
  let logC = 0;
  for (let k = 0; k <= n; k += 1) {
    if (k > 0) logC += Math.log(n - k + 1) - Math.log(k);
    pmf.push(Math.exp(logC + k * Math.log(p) + (n - k) * Math.log1p(-p)));
  }
  return pmf;
}

describe('the seeded random stream', () => {
  it('gives the same first values for a seed on every machine (pinned)', () => {
    const stream = new SeededStream('abc');
    expect([stream.nextUint32(), stream.nextUint32(), stream.nextUint32()]).toEqual(PINNED_ABC);
    const again = new SeededStream('abc');
    again.nextUint32();
    again.nextUint32();
    again.nextUint32();
    expect(again.nextDouble()).toBe(PINNED_ABC_DOUBLE);
    expect(new SeededStream('abd').nextUint32()).not.toBe(PINNED_ABC[0]);
  });

  it('is xoshiro128** (the reference stream from state 1, 2, 3, 4)', () => {
    // The reference vectors start from state 1, 2, 3, 4; no text seed has that md5, so set it directly.
    const stream = new SeededStream('x');
    Object.assign(stream as unknown as Record<string, number>, { s0: 1, s1: 2, s2: 3, s3: 4 });
    expect(Array.from({ length: 6 }, () => stream.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('draws doubles in [0, 1) with the mean and variance of a uniform', () => {
    const stream = new SeededStream('uniform');
    let sum = 0;
    let sum2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i += 1) {
      const u = stream.nextDouble();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      sum2 += u * u;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(sum2 / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
  });

  it('draws integers below n without bias, small n and n near 2^32', () => {
    const stream = new SeededStream('below');
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i += 1) counts[stream.below(7)]! += 1;
    expect(fitPValue(counts, new Array(7).fill(1 / 7))).toBeGreaterThan(1e-4);
    // With x mod n, n = 3·2^30 puts half the draws below 2^30 instead of a third.
    const n = 3 * 2 ** 30;
    let low = 0;
    const draws = 60_000;
    for (let i = 0; i < draws; i += 1) {
      const x = stream.below(n);
      expect(Number.isInteger(x) && x >= 0 && x < n).toBe(true);
      if (x < 2 ** 30) low += 1;
    }
    expect(Math.abs(low / draws - 1 / 3)).toBeLessThan(0.01);
    // The exact-product path's edge (2^21) and just above it.
    for (const m of [2 ** 21, 2 ** 21 + 1]) {
      let high = 0;
      for (let i = 0; i < 40_000; i += 1) if (stream.below(m) >= m / 2) high += 1;
      expect(Math.abs(high / 40_000 - 0.5)).toBeLessThan(0.015);
    }
    expect(stream.below(1)).toBe(0);
  });

  it('draws binomials with the exact distribution (inversion and BTRD)', () => {
    for (const [n, p] of [
      [30, 0.2],
      [200, 0.3],
      [1000, 0.97],
      [5000, 0.01],
    ] as const) {
      const stream = new SeededStream(`binomial-${n}-${p}`);
      const counts = new Array<number>(n + 1).fill(0);
      const draws = 100_000;
      let sum = 0;
      let sum2 = 0;
      for (let i = 0; i < draws; i += 1) {
        const x = stream.binomial(n, p);
        counts[x]! += 1;
        sum += x;
        sum2 += x * x;
      }
      const mean = sum / draws;
      const variance = sum2 / draws - mean * mean;
      const sdOfMean = Math.sqrt((n * p * (1 - p)) / draws);
      expect(Math.abs(mean - n * p)).toBeLessThan(5 * sdOfMean);
      expect(Math.abs(variance / (n * p * (1 - p)) - 1)).toBeLessThan(0.03);
      expect(fitPValue(counts, binomialPmf(n, p))).toBeGreaterThan(1e-4);
    }
  });

  it('draws the mean and variance of a binomial on a million trials, and the edge cases', () => {
    const stream = new SeededStream('big');
    let sum = 0;
    let sum2 = 0;
    const draws = 50_000;
    for (let i = 0; i < draws; i += 1) {
      const x = stream.binomial(1_000_000, 0.05);
      sum += x;
      sum2 += x * x;
    }
    const mean = sum / draws;
    expect(Math.abs(mean - 50_000)).toBeLessThan(5 * Math.sqrt(47_500 / draws));
    expect(Math.abs((sum2 / draws - mean * mean) / 47_500 - 1)).toBeLessThan(0.03);
    expect([stream.binomial(0, 0.4), stream.binomial(10, 0), stream.binomial(10, 1)]).toEqual([0, 0, 10]);
    expect(() => stream.binomial(10, 1.5)).toThrow(/probability/);
  });
});

// Computed independently in Python from md5('abc') = 90015098 3cd24fb0 d6963f7d 28e17f72.
const PINNED_ABC = [2080438488, 324500025, 814093183];
const PINNED_ABC_DOUBLE = 0.020493734559179022;
