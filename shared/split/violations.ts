import type { StratumQuota } from './quotas';

export interface StratificationWarning {
  /** Strata whose expected control count (share of the total) is below one profile. */
  readonly strata: readonly { readonly key: string; readonly size: number; readonly expected: number }[];
  /**
   * The smallest LCG total that gives every stratum an expected control of at least 1; null
   * when only the whole audience would (Test would be empty: no fix by size, only coarser strata).
   */
  readonly suggestedTotal: number | null;
  /** The smallest percentage (two decimals) that reaches it and still leaves Test someone; null when none does. */
  readonly suggestedPercent: number | null;
}

/**
 * The "stratification violation" of DESIGN.md: a stratum expected to get less than one
 * control profile (q_s = M * N_s / N < 1) ends up all test or all control and cannot be
 * analysed. This warns and suggests; it never blocks. Empty strata are ignored. A
 * suggestion never takes the whole audience: an LCG without a Test group measures nothing.
 */
export function stratificationWarning(quotas: readonly StratumQuota[], total: number): StratificationWarning | null {
  const n = quotas.reduce((sum, q) => sum + q.size, 0);
  const low = quotas.filter((q) => q.size > 0 && q.exact < 1);
  if (low.length === 0 || n === 0 || total >= n) return null;
  const smallest = Math.min(...quotas.filter((q) => q.size > 0).map((q) => q.size));
  // M * N_min / N >= 1 for the smallest stratum, so for every stratum.
  const needed = Math.ceil(n / smallest);
  let suggestedPercent: number | null = null;
  if (needed < n) {
    // The percentage must give at least `needed` after rounding half up, and less than everyone.
    let bp = Math.ceil(((needed - 0.5) * 10_000) / n);
    while (Math.floor((n * bp + 5000) / 10_000) < needed) bp += 1;
    if (Math.floor((n * bp + 5000) / 10_000) < n) suggestedPercent = bp / 100;
  }
  return {
    strata: low.map((q) => ({ key: q.key, size: q.size, expected: q.exact })),
    suggestedTotal: needed < n ? needed : null,
    suggestedPercent,
  };
}
