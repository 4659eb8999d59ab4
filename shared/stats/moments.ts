/**
 * The sample variance from running sums, the one the simulator uses everywhere (the closed
 * form, the balance table, the Monte Carlo): n − 1 in the denominator, 0 below two values,
 * and never negative (rounding can leave a tiny negative for a constant column).
 */
export function sampleVariance(n: number, sum: number, sumSq: number): number {
  return n > 1 ? Math.max(0, (sumSq - (sum * sum) / n) / (n - 1)) : 0;
}
