/**
 * Power and minimum detectable effect of a two-group comparison with unequal groups
 * (STATS.md §2), on the normal approximation as R's pwr.2p2n.test and statsmodels'
 * NormalIndPower: a standardised effect δ (Cohen's h for rates, d for means) is detected
 * through λ = |δ|·√n_eff, n_eff = n_T·n_C/(n_T + n_C).
 */
import { normalCdf, normalQuantile, normalUpper } from './normal';

export type Sided = 'two-sided' | 'one-sided';

/** Cohen's h between two rates: 2·asin(√p1) − 2·asin(√p2). */
export function cohenH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
}

/** n_T·n_C/(n_T + n_C); 0 when a group is empty. */
export function effectiveSize(nT: number, nC: number): number {
  return nT > 0 && nC > 0 ? (nT * nC) / (nT + nC) : 0;
}

/** The critical value: z_{1−α/2} two-sided, z_{1−α} one-sided. */
export function criticalZ(alpha: number, sided: Sided): number {
  return normalQuantile(1 - (sided === 'two-sided' ? alpha / 2 : alpha));
}

/**
 * The power at a noncentrality λ = δ·√n_eff: two-sided Q(z − |λ|) + Φ(−z − |λ|) (both tails);
 * one-sided ("greater") Q(z − λ).
 */
export function powerAt(lambda: number, alpha: number, sided: Sided): number {
  const z = criticalZ(alpha, sided);
  if (sided === 'one-sided') return normalUpper(z - lambda);
  const l = Math.abs(lambda);
  return normalUpper(z - l) + normalCdf(-z - l);
}

/**
 * The λ at which the power reaches `power`. STATS.md §2's closed form z + z_power neglects
 * the far tail Φ(−z − λ) of a two-sided test; where that tail adds 1e-6 or more to the power
 * (small λ: a power close to α) both tails are solved for numerically. Null when no λ
 * gives the power (a two-sided power at or below α).
 */
export function detectableLambda(alpha: number, power: number, sided: Sided): number | null {
  const z = criticalZ(alpha, sided);
  const closed = z + normalQuantile(power);
  if (sided === 'one-sided') return closed;
  if (power <= alpha) return null;
  if (closed >= 0 && normalCdf(-z - closed) < FAR_TAIL_MATTERS) return closed;
  // powerAt is increasing in λ ≥ 0: bisection.
  let lo = 0;
  let hi = Math.max(closed, 0) + 1;
  while (powerAt(hi, alpha, sided) < power) hi += 1;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i += 1) {
    const mid = (lo + hi) / 2;
    if (powerAt(mid, alpha, sided) < power) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The far tail's share of the power below which the closed form is exact to the figures shown (1e-6). */
const FAR_TAIL_MATTERS = 1e-6;

/** The rate p1 > p0 that Cohen's h away from p0 reaches: sin²(asin√p0 + h/2), at most 1. */
export function rateAtH(p0: number, h: number): number {
  const angle = Math.asin(Math.sqrt(p0)) + h / 2;
  return angle >= Math.PI / 2 ? 1 : Math.sin(angle) ** 2;
}

/**
 * The second group's size for a power with the first group's size fixed:
 * n_eff = (λ* / δ)², n2 = n1·n_eff/(n1 − n_eff); null when no n2 is enough (n1 ≤ n_eff).
 */
export function secondGroupSize(effect: number, n1: number, alpha: number, power: number, sided: Sided): number | null {
  const lambda = detectableLambda(alpha, power, sided);
  if (lambda === null || effect === 0) return null;
  const needed = (lambda / Math.abs(effect)) ** 2;
  return n1 > needed ? (n1 * needed) / (n1 - needed) : null;
}
