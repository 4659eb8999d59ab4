/**
 * From per-profile values to the figures of an analysis: group moments, the uplift of Test
 * over the LCG (two proportions or Welch, STATS.md §4), the sample ratio check, strata,
 * CUPED and the cumulative uplift by day. Pure functions of typed arrays; the formulas
 * themselves are shared/stats/uplift.ts's.
 */
import {
  MIN_STRATUM_GROUP,
  type AnalysisEstimate,
  type AnalysisGroup,
  type AnalysisGroupName,
  type CupedResult,
  type DailyUplift,
  type SampleRatio,
  type StratumAnalysis,
  type Uplift,
} from '../../../shared/contract/analytics';
import { addCovariatePair, cupedUplift, groupMoments, noCovariateSums, meansUplift, postStratifiedUplift, proportionsUplift, sampleRatioCheck, type CovariateSums, type GroupMoments } from '../../../shared/stats/uplift';
import { sequentialInterval } from '../../../shared/stats/sequential';
import { GCG, LCG, TEST, type Units } from './units';
import type { DailySums, MetricValues } from './values';

const GROUP_NAMES: readonly AnalysisGroupName[] = ['test', 'lcg', 'gcg'];

/** Count, sum and sum of squares of the values of the profiles picked by `take`. */
interface Sums {
  profiles: number;
  n: number;
  partial: number;
  sum: number;
  sumSq: number;
}

const emptySums = (): Sums => ({ profiles: 0, n: 0, partial: 0, sum: 0, sumSq: 0 });

function add(s: Sums, value: number, partial: number): void {
  s.profiles += 1;
  if (Number.isNaN(value)) return;
  s.n += 1;
  s.partial += partial;
  s.sum += value;
  s.sumSq += value * value;
}

export const momentsOf = (binary: boolean, s: Pick<Sums, 'n' | 'sum' | 'sumSq'>): GroupMoments => groupMoments(binary, s.n, s.sum, s.sumSq);

/** Each group's sums (Test, LCG, GCG). */
export function groupSums(units: Units, values: MetricValues): Sums[] {
  const sums = [emptySums(), emptySums(), emptySums()];
  for (let i = 0; i < units.count; i += 1) add(sums[units.group[i]!]!, values.value[i]!, values.partial[i]!);
  return sums;
}

export function toGroup(group: number, s: Sums, binary: boolean): AnalysisGroup {
  const m = momentsOf(binary, s);
  return {
    group: GROUP_NAMES[group]!,
    profiles: s.profiles,
    withOutcome: s.n,
    missing: s.profiles - s.n,
    partial: s.partial,
    mean: s.n > 0 ? m.mean : null,
    variance: s.n > 0 ? m.variance : null,
    sum: s.sum,
  };
}

/** The uplift of Test over the other group from their sums; null when a group has no outcome or (continuous) nothing varies. */
export function upliftOf(t: Pick<Sums, 'n' | 'sum' | 'sumSq'>, c: Pick<Sums, 'n' | 'sum' | 'sumSq'>, binary: boolean, confidence: number): Uplift | null {
  if (binary) {
    const u = proportionsUplift(t.sum, t.n, c.sum, c.n, confidence);
    // Nobody converted, or everybody did, in both groups: no interval can be drawn.
    if (!u || !(u.absolute.se > 0)) return null;
    return {
      absolute: u.absolute,
      relative: u.relative,
      newcombe: [u.newcombe[0], u.newcombe[1]],
      test: 'z',
      statistic: u.z,
      df: null,
      incremental: scaled(u.absolute, t.n),
    };
  }
  const u = meansUplift(momentsOf(false, t), momentsOf(false, c), confidence);
  if (!u) return null;
  return { absolute: u.absolute, relative: u.relative, newcombe: null, test: 't', statistic: u.t, df: u.df, incremental: scaled(u.absolute, t.n) };
}

const scaled = (e: AnalysisEstimate, n: number) => ({ estimate: e.estimate * n, low: e.low * n, high: e.high * n });

/** Test against LCG sizes, against the planned LCG share. */
export function sampleRatio(test: number, lcg: number, lcgShare: number): SampleRatio | null {
  if (!(lcgShare > 0 && lcgShare < 1)) return null;
  const check = sampleRatioCheck([test, lcg], [1 - lcgShare, lcgShare]);
  if (!check) return null;
  return { observed: [test, lcg], expected: [check.expected[0]!, check.expected[1]!], chiSquare: check.chiSquare, p: check.p, mismatch: check.mismatch };
}

/** Per stratum: sizes, rates or means, and the uplift where both groups have enough profiles. */
export function strataOf(
  units: Units,
  values: MetricValues,
  labels: ReadonlyMap<number, string>,
  confidence: number,
): { rows: StratumAnalysis[]; postStratified: AnalysisEstimate | null } {
  const byStratum = new Map<number, [Sums, Sums]>();
  for (let i = 0; i < units.count; i += 1) {
    const g = units.group[i]!;
    if (g === GCG) continue;
    const s = units.stratum[i]!;
    let pair = byStratum.get(s);
    if (!pair) byStratum.set(s, (pair = [emptySums(), emptySums()]));
    add(pair[g]!, values.value[i]!, values.partial[i]!);
  }
  const binary = values.binary;
  const rows = [...byStratum.entries()]
    .sort((a, b) => (a[0] < 0 ? 1 : b[0] < 0 ? -1 : a[0] - b[0]))
    .map(([stratum, [t, c]]): StratumAnalysis => {
      const tooSmall = t.n < MIN_STRATUM_GROUP || c.n < MIN_STRATUM_GROUP;
      return {
        stratum,
        label: labels.get(stratum) ?? `Stratum ${stratum}`,
        testProfiles: t.profiles,
        lcgProfiles: c.profiles,
        meanTest: t.n > 0 ? t.sum / t.n : null,
        meanLcg: c.n > 0 ? c.sum / c.n : null,
        uplift: tooSmall ? null : (upliftOf(t, c, binary, confidence)?.absolute ?? null),
        tooSmall,
      };
    });
  const postStratified = postStratifiedUplift(
    [...byStratum.values()].map(([t, c]) => ({ weight: t.n + c.n, test: momentsOf(binary, t), control: momentsOf(binary, c) })),
    confidence,
  );
  return { rows, postStratified };
}

/** CUPED over the Test and LCG profiles that have both the metric and the covariate. */
export function cupedOf(units: Units, y: MetricValues, x: MetricValues, confidence: number): CupedResult | null {
  const sums = [noCovariateSums(), noCovariateSums()];
  for (let i = 0; i < units.count; i += 1) {
    const g = units.group[i]!;
    const yi = y.value[i]!;
    const xi = x.value[i]!;
    if (g === GCG || Number.isNaN(yi) || Number.isNaN(xi)) continue;
    addCovariatePair(sums[g]!, yi, xi);
  }
  const [t, c] = sums as [CovariateSums, CovariateSums];
  const result = cupedUplift(t, c, confidence);
  if (!result) return null;
  return { estimate: result.absolute, theta: result.theta, rho: result.rho, varianceFactor: 1 - result.rho * result.rho, profiles: t.n + c.n };
}

/**
 * The cumulative uplift at the end of each day, with the always-valid interval of
 * shared/stats/sequential.ts tuned for the profiles of the last day (the campaign's planned
 * horizon), the same at every look.
 */
export function dailyOf(daily: DailySums, binary: boolean, confidence: number): DailyUplift[] {
  const last = daily.days - 1;
  const horizon = daily.n[TEST * daily.days + last]! + daily.n[LCG * daily.days + last]!;
  const out: DailyUplift[] = [];
  for (let d = 0; d < daily.days; d += 1) {
    const at = (g: number) => ({ n: daily.n[g * daily.days + d]!, sum: daily.sum[g * daily.days + d]!, sumSq: daily.sumSq[g * daily.days + d]! });
    const t = at(TEST);
    const c = at(LCG);
    const uplift = upliftOf(t, c, binary, confidence)?.absolute ?? null;
    out.push({
      day: new Date((daily.day0 + d) * 86_400_000).toISOString().slice(0, 10),
      testProfiles: t.n,
      lcgProfiles: c.n,
      uplift,
      sequential: uplift ? sequentialInterval(uplift.estimate, uplift.se, t.n + c.n, horizon, confidence) : null,
    });
  }
  return out;
}
