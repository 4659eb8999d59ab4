/**
 * What a campaign changed: the uplift of Test over the LCG and how sure we can be of it
 * (STATS.md §3–§4, reference values in §4.1), and whether the groups are the sizes the split
 * planned (the sample ratio check). Pure functions of counts and moments: the engine reads
 * the outcomes, these say what they mean.
 */
import { chiSquareUpper } from './chi-square';
import { wilsonInterval } from './intervals';
import { normalQuantile, normalUpper } from './normal';
import { studentQuantile, studentTwoSided } from './student-t';

/** An estimate with its standard error, its interval at the confidence asked for, and the two-sided p-value of "no difference" (null where none is defined). */
export interface Estimate {
  readonly estimate: number;
  readonly se: number;
  readonly low: number;
  readonly high: number;
  readonly p: number | null;
}

/** A group's outcome: its size and the metric's mean and variance (binary: the rate and p(1 − p); continuous: the mean and the sample variance). */
export interface GroupMoments {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

export const DEFAULT_CONFIDENCE = 0.95;
/** The sample ratio check flags a mismatch below this p-value (STATS.md §3). */
export const SRM_ALPHA = 0.001;

const zOf = (confidence: number) => normalQuantile(1 - (1 - confidence) / 2);

function zEstimate(estimate: number, se: number, confidence: number, p: number | null): Estimate {
  const z = zOf(confidence);
  return { estimate, se, low: estimate - z * se, high: estimate + z * se, p };
}

/** A group's moments from its count and sums: binary metrics (values 0 and 1) take p(1 − p), others the sample variance. */
export function groupMoments(binary: boolean, n: number, sum: number, sumSq: number): GroupMoments {
  const mean = n > 0 ? sum / n : 0;
  if (binary) return { n, mean, variance: mean * (1 - mean) };
  return { n, mean, variance: n > 1 ? Math.max(0, (sumSq - (sum * sum) / n) / (n - 1)) : 0 };
}

/**
 * The relative uplift (T − C)/C by the delta method, with a z interval:
 * Var ≈ Var(T̄)/C̄² + T̄²·Var(C̄)/C̄⁴. Null when the LCG's mean is 0 (no ratio exists).
 */
export function relativeUplift(t: GroupMoments, c: GroupMoments, confidence = DEFAULT_CONFIDENCE): Estimate | null {
  if (c.mean === 0 || t.n === 0 || c.n === 0) return null;
  const varT = t.variance / t.n;
  const varC = c.variance / c.n;
  const se = Math.sqrt(varT / c.mean ** 2 + (t.mean ** 2 * varC) / c.mean ** 4);
  const estimate = t.mean / c.mean - 1;
  return zEstimate(estimate, se, confidence, se > 0 ? 2 * normalUpper(Math.abs(estimate) / se) : null);
}

export interface ProportionsUplift {
  readonly rateT: number;
  readonly rateC: number;
  /** Δ = p̂_T − p̂_C: Wald interval, p-value of the pooled z-test. */
  readonly absolute: Estimate;
  /** The pooled z statistic. */
  readonly z: number;
  /** Newcombe's hybrid score interval for Δ (better than Wald when a cell count is small). */
  readonly newcombe: readonly [number, number];
  readonly relative: Estimate | null;
}

/**
 * The uplift of a binary metric: kT of nT converted in Test, kC of nC in the LCG. Null when a
 * group is empty.
 */
export function proportionsUplift(kT: number, nT: number, kC: number, nC: number, confidence = DEFAULT_CONFIDENCE): ProportionsUplift | null {
  if (!(nT > 0 && nC > 0)) return null;
  const t = groupMoments(true, nT, kT, kT);
  const c = groupMoments(true, nC, kC, kC);
  const delta = t.mean - c.mean;
  const se = Math.sqrt(t.variance / nT + c.variance / nC);
  const pooled = (kT + kC) / (nT + nC);
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / nT + 1 / nC));
  const z = pooledSe > 0 ? delta / pooledSe : 0;
  return {
    rateT: t.mean,
    rateC: c.mean,
    absolute: zEstimate(delta, se, confidence, pooledSe > 0 ? 2 * normalUpper(Math.abs(z)) : null),
    z,
    newcombe: newcombeInterval(kT, nT, kC, nC, confidence),
    relative: relativeUplift(t, c, confidence),
  };
}

/** Newcombe's hybrid score interval for p₁ − p₂ (his method 10), from the two Wilson intervals. */
export function newcombeInterval(k1: number, n1: number, k2: number, n2: number, confidence = DEFAULT_CONFIDENCE): [number, number] {
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const [l1, u1] = wilsonInterval(k1, n1, confidence);
  const [l2, u2] = wilsonInterval(k2, n2, confidence);
  const delta = p1 - p2;
  return [delta - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), delta + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

/** The Agresti–Caffo interval for p₁ − p₂: one success and one failure added to each group, then Wald. */
export function agrestiCaffoInterval(k1: number, n1: number, k2: number, n2: number, confidence = DEFAULT_CONFIDENCE): [number, number] {
  const p1 = (k1 + 1) / (n1 + 2);
  const p2 = (k2 + 1) / (n2 + 2);
  const half = zOf(confidence) * Math.sqrt((p1 * (1 - p1)) / (n1 + 2) + (p2 * (1 - p2)) / (n2 + 2));
  return [p1 - p2 - half, p1 - p2 + half];
}

export interface MeansUplift {
  /** Δ = x̄_T − x̄_C: Welch's t interval and p-value. */
  readonly absolute: Estimate;
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  readonly relative: Estimate | null;
}

/** The uplift of a continuous metric by Welch's test. Null when a group has fewer than two profiles or neither varies. */
export function meansUplift(t: GroupMoments, c: GroupMoments, confidence = DEFAULT_CONFIDENCE): MeansUplift | null {
  if (t.n < 2 || c.n < 2) return null;
  const vT = t.variance / t.n;
  const vC = c.variance / c.n;
  const se = Math.sqrt(vT + vC);
  if (!(se > 0)) return null;
  const delta = t.mean - c.mean;
  const df = (vT + vC) ** 2 / (vT ** 2 / (t.n - 1) + vC ** 2 / (c.n - 1));
  const stat = delta / se;
  const q = studentQuantile(1 - (1 - confidence) / 2, df);
  return {
    absolute: { estimate: delta, se, low: delta - q * se, high: delta + q * se, p: studentTwoSided(stat, df) },
    t: stat,
    df,
    relative: relativeUplift(t, c, confidence),
  };
}

export interface SampleRatioCheck {
  readonly observed: readonly number[];
  readonly expected: readonly number[];
  readonly chiSquare: number;
  readonly df: number;
  readonly p: number;
  /** p < SRM_ALPHA: the groups are not the sizes the split planned. */
  readonly mismatch: boolean;
}

/**
 * The sample ratio check: observed group sizes against the planned shares (any positive
 * weights, such as 90 and 10), a chi-square goodness of fit with G − 1 degrees of freedom.
 * Null with fewer than two groups, or nobody observed.
 */
export function sampleRatioCheck(observed: readonly number[], planned: readonly number[]): SampleRatioCheck | null {
  const total = observed.reduce((a, b) => a + b, 0);
  const weights = planned.reduce((a, b) => a + b, 0);
  if (observed.length < 2 || observed.length !== planned.length || !(total > 0) || !(weights > 0) || planned.some((w) => !(w > 0))) return null;
  const expected = planned.map((w) => (total * w) / weights);
  const chiSquare = observed.reduce((sum, o, i) => sum + (o - expected[i]!) ** 2 / expected[i]!, 0);
  const df = observed.length - 1;
  const p = chiSquareUpper(chiSquare, df);
  return { observed, expected, chiSquare, df, p, mismatch: p < SRM_ALPHA };
}

/** One stratum of a post-stratified estimate: its share of the audience (any weight, such as its size) and its groups. */
export interface StratumOutcome {
  readonly weight: number;
  readonly test: GroupMoments;
  readonly control: GroupMoments;
}

/**
 * The post-stratified uplift Σ W_s (Ȳ_T,s − Ȳ_C,s), W_s = N_s/N, with variance
 * Σ W_s² (s²_T,s/n_T,s + s²_C,s/n_C,s). Strata where a group is empty cannot say anything
 * alone: they are pooled into one, and that one, if a group is still empty, into the
 * largest stratum. Null when no stratum has both groups.
 */
export function postStratifiedUplift(strata: readonly StratumOutcome[], confidence = DEFAULT_CONFIDENCE): Estimate | null {
  const usable = (s: StratumOutcome) => s.test.n > 0 && s.control.n > 0;
  const kept = strata.filter((s) => usable(s) && s.weight > 0);
  const empty = strata.filter((s) => !usable(s) && s.weight > 0);
  let pooled = empty.reduce<StratumOutcome | null>((acc, s) => (acc === null ? s : poolStrata(acc, s)), null);
  if (pooled !== null && !usable(pooled)) {
    if (kept.length === 0) return null;
    const largest = kept.reduce((a, b) => (b.weight > a.weight ? b : a));
    kept.splice(kept.indexOf(largest), 1, poolStrata(largest, pooled));
    pooled = null;
  }
  if (pooled !== null) kept.push(pooled);
  if (kept.length === 0) return null;
  const total = kept.reduce((sum, s) => sum + s.weight, 0);
  let estimate = 0;
  let variance = 0;
  for (const s of kept) {
    const w = s.weight / total;
    estimate += w * (s.test.mean - s.control.mean);
    variance += w * w * (s.test.variance / s.test.n + s.control.variance / s.control.n);
  }
  const se = Math.sqrt(variance);
  return zEstimate(estimate, se, confidence, se > 0 ? 2 * normalUpper(Math.abs(estimate) / se) : null);
}

/** Two groups' moments as one (the variance of the union about its own mean, in the form each was given). */
function poolMoments(a: GroupMoments, b: GroupMoments): GroupMoments {
  const n = a.n + b.n;
  if (n === 0) return { n: 0, mean: 0, variance: 0 };
  const mean = (a.n * a.mean + b.n * b.mean) / n;
  const spread = (g: GroupMoments) => g.variance * g.n + g.n * (g.mean - mean) ** 2;
  return { n, mean, variance: (spread(a) + spread(b)) / n };
}

function poolStrata(a: StratumOutcome, b: StratumOutcome): StratumOutcome {
  return { weight: a.weight + b.weight, test: poolMoments(a.test, b.test), control: poolMoments(a.control, b.control) };
}

/** A group's sums of the metric Y and of its value X before the campaign (CUPED's covariate). */
export interface CovariateSums {
  readonly n: number;
  readonly sumY: number;
  readonly sumYY: number;
  readonly sumX: number;
  readonly sumXX: number;
  readonly sumXY: number;
}

/** CUPED's sums as they are added up. */
export type CovariateTotals = { -readonly [K in keyof CovariateSums]: number };

export const noCovariateSums = (): CovariateTotals => ({ n: 0, sumY: 0, sumYY: 0, sumX: 0, sumXX: 0, sumXY: 0 });

/** Adds one profile's metric y and covariate x to CUPED's sums. */
export function addCovariatePair(s: CovariateTotals, y: number, x: number): void {
  s.n += 1;
  s.sumY += y;
  s.sumYY += y * y;
  s.sumX += x;
  s.sumXX += x * x;
  s.sumXY += x * y;
}

export interface CupedUplift {
  readonly absolute: Estimate;
  /** θ = Cov(X, Y)/Var(X), pooled over both groups. */
  readonly theta: number;
  /** The pooled correlation of X and Y: the variance shrinks by 1 − ρ². */
  readonly rho: number;
}

/**
 * CUPED (STATS.md §4): Δ_cv = (Ȳ_T − Ȳ_C) − θ(X̄_T − X̄C), θ = Cov(X, Y)/Var(X) pooled
 * (within groups), with the plain difference's variance times 1 − ρ². Null when a group
 * has fewer than two profiles, or X or Y does not vary.
 */
export function cupedUplift(t: CovariateSums, c: CovariateSums, confidence = DEFAULT_CONFIDENCE): CupedUplift | null {
  if (t.n < 2 || c.n < 2) return null;
  const within = (g: CovariateSums) => ({
    xx: g.sumXX - (g.sumX * g.sumX) / g.n,
    yy: g.sumYY - (g.sumY * g.sumY) / g.n,
    xy: g.sumXY - (g.sumX * g.sumY) / g.n,
  });
  const a = within(t);
  const b = within(c);
  const xx = a.xx + b.xx;
  const yy = a.yy + b.yy;
  if (!(xx > 0 && yy > 0)) return null;
  const theta = (a.xy + b.xy) / xx;
  const rho = (a.xy + b.xy) / Math.sqrt(xx * yy);
  const varY = (g: CovariateSums) => Math.max(0, (g.sumYY - (g.sumY * g.sumY) / g.n) / (g.n - 1));
  const plainVariance = varY(t) / t.n + varY(c) / c.n;
  const estimate = t.sumY / t.n - c.sumY / c.n - theta * (t.sumX / t.n - c.sumX / c.n);
  const se = Math.sqrt(plainVariance * Math.max(0, 1 - rho * rho));
  return { absolute: zEstimate(estimate, se, confidence, se > 0 ? 2 * normalUpper(Math.abs(estimate) / se) : null), theta, rho };
}
