import type { StratumQuota } from './quotas';

export interface StratificationWarning {
  /** Strata whose expected control count (share of the total) is below one profile. */
  readonly strata: readonly { readonly key: string; readonly size: number; readonly expected: number }[];
  /** The smallest LCG total that gives every stratum an expected control of at least 1. */
  readonly suggestedTotal: number;
  /** The smallest percentage (two decimals) that reaches it, for a percent-driven LCG. */
  readonly suggestedPercent: number;
}

/**
 * The "stratification violation" of DESIGN.md: a stratum expected to get less than one
 * control profile (q_s = M * N_s / N < 1) ends up all test or all control and cannot be
 * analysed. This warns and suggests; it never blocks. Empty strata are ignored.
 */
export function stratificationWarning(quotas: readonly StratumQuota[], total: number): StratificationWarning | null {
  const n = quotas.reduce((sum, q) => sum + q.size, 0);
  const low = quotas.filter((q) => q.size > 0 && q.exact < 1);
  if (low.length === 0 || n === 0) return null;
  const smallest = Math.min(...quotas.filter((q) => q.size > 0).map((q) => q.size));
  const suggestedTotal = Math.min(n, Math.ceil(n / smallest));
  // The percentage must give at least suggestedTotal after rounding half up.
  let bp = Math.ceil(((suggestedTotal - 0.5) * 10_000) / n);
  while (Math.floor((n * bp + 5000) / 10_000) < suggestedTotal) bp += 1;
  return {
    strata: low.map((q) => ({ key: q.key, size: q.size, expected: q.exact })),
    suggestedTotal: Math.max(suggestedTotal, total),
    suggestedPercent: Math.min(100, bp / 100),
  };
}
