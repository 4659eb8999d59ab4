/**
 * The simulator's closed-form answers (STATS.md §2), a pure function of one scan (sums per
 * stratum) and the settings, fast enough to run on every keystroke: the exact split sizes
 * of the real rule (control total, Hamilton quotas), the MDE and power, the LCG needed for
 * a target, the variance reduction of stratification and CUPED, per-stratum figures, the
 * charts' series, the GCG's effect and a sentence for people.
 */
import type { SimMde, SimPlan, SimPlanStratum, SimScan, SimSettings, SimStratumSums } from '../contract/simulate';
import { formatChange, formatCount, formatShare, formatValue } from '../format';
import { controlTotal } from '../split/control-total';
import { basisPointsText, parsePercent } from '../split/percent';
import { allocateQuotas } from '../split/quotas';
import { normalQuantile } from '../stats/normal';
import { sampleVariance } from '../stats/moments';
import { cohenH, criticalZ, detectableLambda, effectiveSize, powerAt, rateAtH, type Sided } from '../stats/power';

/** Mean and sample variance of the metric over some profiles. */
export interface Moments {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

function moments(n: number, sum: number, sumSq: number): Moments {
  if (n === 0) return { n, mean: 0, variance: 0 };
  const mean = sum / n;
  // Clamped: rounding can leave a tiny negative for a constant metric.
  const variance = sampleVariance(n, sum, sumSq);
  return { n, mean, variance };
}

function addUp(strata: readonly SimStratumSums[]): SimStratumSums {
  const sum = (pick: (s: SimStratumSums) => number) => strata.reduce((acc, s) => acc + pick(s), 0);
  return { key: '', label: 'All profiles', size: sum((s) => s.size), sumY: sum((s) => s.sumY), sumY2: sum((s) => s.sumY2), sumX: sum((s) => s.sumX), sumX2: sum((s) => s.sumX2), sumXY: sum((s) => s.sumXY) };
}

/** What an MDE is computed from: the metric's kind, its baseline and spread, and the detectable λ. */
interface MdeBasis {
  readonly binary: boolean;
  readonly lambda: number;
  /** z_{1−α(/2)} + z_power, for the difference form. */
  readonly zSum: number;
}

/** The MDE at group sizes nT, nC for a baseline (rate or mean) and standard deviation; null if a group is empty. */
function mdeAt(basis: MdeBasis, m: Moments, nT: number, nC: number): SimMde | null {
  if (nT === 0 || nC === 0) return null;
  const scale = Math.sqrt(1 / nT + 1 / nC);
  if (basis.binary) {
    const p0 = m.mean;
    const h = basis.lambda / Math.sqrt(effectiveSize(nT, nC));
    const p1 = rateAtH(p0, h);
    return {
      absolute: p1 - p0,
      relative: p0 > 0 ? (p1 - p0) / p0 : null,
      detectable: p1,
      cohenH: h,
      differenceAbsolute: basis.zSum * Math.sqrt(p0 * (1 - p0)) * scale,
    };
  }
  const absolute = basis.lambda * Math.sqrt(m.variance) * scale;
  return { absolute, relative: m.mean !== 0 ? absolute / Math.abs(m.mean) : null, detectable: m.mean + absolute, cohenH: null, differenceAbsolute: null };
}

/** Power to detect a relative change `effect` of the baseline at sizes nT, nC. */
export function powerFor(binary: boolean, m: Moments, effect: number, nT: number, nC: number, alpha: number, sided: Sided): { absolute: number; power: number } | null {
  if (nT === 0 || nC === 0) return null;
  const absolute = effect * m.mean;
  if (binary) {
    const p1 = m.mean + absolute;
    if (p1 < 0 || p1 > 1) return null;
    return { absolute, power: powerAt(cohenH(p1, m.mean) * Math.sqrt(effectiveSize(nT, nC)), alpha, sided) };
  }
  const se = Math.sqrt(m.variance) * Math.sqrt(1 / nT + 1 / nC);
  return { absolute, power: se > 0 ? powerAt(absolute / se, alpha, sided) : absolute !== 0 ? 1 : alpha };
}

/** Variance of the post-stratified difference, Σ W_s² σ_s² (1/n_T,s + 1/n_C,s), strata with an empty group pooled. */
function stratifiedSd(cells: readonly { n: number; nT: number; nC: number; variance: number; sums: SimStratumSums }[], audience: number, residual: ((s: SimStratumSums) => number) | null): number | null {
  let variance = 0;
  const pooled: SimStratumSums[] = [];
  let pooledT = 0;
  let pooledC = 0;
  for (const cell of cells) {
    if (cell.n === 0) continue;
    if (cell.nT === 0 || cell.nC === 0) {
      pooled.push(cell.sums);
      pooledT += cell.nT;
      pooledC += cell.nC;
      continue;
    }
    const v = residual ? residual(cell.sums) : cell.variance;
    variance += (cell.n / audience) ** 2 * v * (1 / cell.nT + 1 / cell.nC);
  }
  if (pooled.length > 0) {
    if (pooledT === 0 || pooledC === 0) return null;
    const sums = addUp(pooled);
    const v = residual ? residual(sums) : moments(sums.size, sums.sumY, sums.sumY2).variance;
    variance += (sums.size / audience) ** 2 * v * (1 / pooledT + 1 / pooledC);
  }
  return Math.sqrt(variance);
}

/** The within-stratum CUPED residual variance of y given x, with one θ pooled over strata. */
function cupedResidual(strata: readonly SimStratumSums[]): ((s: SimStratumSums) => number) | null {
  let sxx = 0;
  let sxy = 0;
  for (const s of strata) {
    if (s.size < 2) continue;
    sxx += s.sumX2 - (s.sumX * s.sumX) / s.size;
    sxy += s.sumXY - (s.sumX * s.sumY) / s.size;
  }
  if (!(sxx > 0)) return null;
  const theta = sxy / sxx;
  return (s) => {
    if (s.size < 2) return 0;
    const syy = s.sumY2 - (s.sumY * s.sumY) / s.size;
    const cxy = s.sumXY - (s.sumX * s.sumY) / s.size;
    const cxx = s.sumX2 - (s.sumX * s.sumX) / s.size;
    return Math.max(0, (syy - 2 * theta * cxy + theta * theta * cxx) / (s.size - 1));
  };
}

/** ρ² between the covariate and the metric over the whole audience; null without a covariate or spread. */
function correlationSquared(all: SimStratumSums): number | null {
  const n = all.size;
  if (n < 2) return null;
  const sxx = all.sumX2 - (all.sumX * all.sumX) / n;
  const syy = all.sumY2 - (all.sumY * all.sumY) / n;
  const sxy = all.sumXY - (all.sumX * all.sumY) / n;
  if (!(sxx > 0) || !(syy > 0)) return sxx > 0 ? 0 : null;
  return Math.min(1, (sxy * sxy) / (sxx * syy));
}

/** The chart's LCG shares: 0.5 % to 50 % by 0.5 %. */
const CHART_SHARES_BP = Array.from({ length: 100 }, (_, i) => (i + 1) * 50);

/** Why a stratum alone says nothing, or null. */
function stratumReason(binary: boolean, m: Moments, nT: number, nC: number): string | null {
  if (nC === 0) return 'No LCG profile: the quota rounds to 0.';
  if (nT === 0) return 'No Test profile: the whole stratum is in the LCG.';
  if (nC < 2 || nT < 2) return `Too small: ${formatCount(nT)} Test and ${formatCount(nC)} LCG profiles.`;
  if (binary && m.mean >= 1) return 'Every profile already has the outcome: no increase can be seen.';
  if (!binary && m.variance === 0) return 'Every profile has the same value: there is no spread to measure by.';
  return null;
}

/** "10 %", "10 % up to 500 profiles" or "a limit of 500 profiles". */
function lcgText(settings: SimSettings): string {
  const percent = settings.percent === null ? null : parsePercent(settings.percent);
  const share = percent?.ok ? `${percent.text} %` : null;
  const limit = settings.limit === null ? null : `${formatCount(settings.limit)} profiles`;
  if (share && limit) return `${share} up to ${limit}`;
  return share ?? `a limit of ${limit ?? '0 profiles'}`;
}

/** Settings problems that leave nothing to compute. */
function settingsProblems(settings: SimSettings): string[] {
  const problems: string[] = [];
  if (!(settings.alpha > 0 && settings.alpha <= 0.5)) problems.push('α must be above 0 and at most 0.5, such as 0.05.');
  if (!(settings.power > 0 && settings.power < 1)) problems.push('Power must be above 0 and below 1, such as 0.8.');
  if (settings.percent !== null) {
    const reading = parsePercent(settings.percent);
    if (!reading.ok) problems.push(reading.problem);
  }
  if (settings.limit !== null && !(Number.isSafeInteger(settings.limit) && settings.limit >= 0)) problems.push('The LCG limit is a whole number of profiles, 0 or more.');
  if (settings.percent === null && settings.limit === null) problems.push('Set an LCG percentage or limit to simulate.');
  return problems;
}

const EMPTY_VARIANCE = { plain: null, stratified: null, cuped: null, stratifiedCuped: null, withinShare: 1, rho2: null };

/** The closed-form answers for a scan and settings (see the file comment). */
export function planSimulation(scan: SimScan, settings: SimSettings): SimPlan {
  const binary = scan.metric.kind === 'binary';
  const all = addUp(scan.strata);
  const m = moments(all.size, all.sumY, all.sumY2);
  const baseline = { mean: m.mean, sd: Math.sqrt(m.variance) };
  const problems = settingsProblems(settings);
  const empty = (extra: string[]): SimPlan => ({
    problems: [...problems, ...extra],
    sizes: { audience: all.size, test: all.size, control: 0, controlShare: 0 },
    baseline,
    zAlpha: 0,
    zPower: 0,
    mde: null,
    power: null,
    needed: null,
    variance: EMPTY_VARIANCE,
    strata: [],
    unanalysable: [],
    charts: { mdeByShare: [], powerByEffect: [] },
    gcg: null,
    sentence: [...problems, ...extra][0] ?? '',
  });
  if (problems.length > 0) return empty([]);

  const sided = settings.sided;
  const control = controlTotal(all.size, { percent: settings.percent, limit: settings.limit });
  const test = all.size - control;
  const sizes = { audience: all.size, test, control, controlShare: all.size === 0 ? 0 : control / all.size };
  const metricProblems: string[] = [];
  if (all.size === 0) metricProblems.push('The audience is empty: there is nobody to split.');
  else if (control === 0) metricProblems.push(`The LCG is empty: ${lcgText(settings)} of ${formatCount(all.size)} profiles is no profile. Choose a larger share.`);
  else if (test === 0) metricProblems.push('The LCG takes the whole audience: there is no Test group to compare.');
  if (all.size > 0 && (binary ? m.mean <= 0 || m.mean >= 1 : m.variance === 0)) {
    metricProblems.push(
      binary
        ? `No variation: ${m.mean <= 0 ? 'no profile has' : 'every profile has'} ${scan.metric.label}, so no change can be measured. Choose another metric or audience.`
        : `No variation: ${scan.metric.label} is ${formatValue(m.mean)} for every profile, so no change can be measured. Choose another metric or audience.`,
    );
  }
  const lambda = detectableLambda(settings.alpha, settings.power, sided);
  if (lambda === null) metricProblems.push('A power at or below α cannot be planned for: choose a power above α.');
  if (metricProblems.length > 0 || lambda === null) return { ...empty(metricProblems), sizes };

  const zAlpha = criticalZ(settings.alpha, sided);
  const zPower = normalQuantile(settings.power);
  const basis: MdeBasis = { binary, lambda, zSum: zAlpha + zPower };
  const mde = mdeAt(basis, m, test, control);

  // Quotas per stratum: the real rule (STATS.md 1.2) with the settings' seed.
  const quotas = allocateQuotas(scan.strata.map((s) => ({ key: s.key, size: s.size })), control, settings.seed);
  const cells = scan.strata.map((s, i) => {
    const nC = quotas[i]!.control;
    const sm = moments(s.size, s.sumY, s.sumY2);
    return { n: s.size, nT: s.size - nC, nC, variance: sm.variance, sums: s, moments: sm };
  });
  const strata: SimPlanStratum[] = cells.map((cell) => {
    const reason = stratumReason(binary, cell.moments, cell.nT, cell.nC);
    return {
      key: cell.sums.key,
      label: cell.sums.label,
      size: cell.n,
      control: cell.nC,
      test: cell.nT,
      mean: cell.moments.mean,
      mde: reason === null ? mdeAt(basis, cell.moments, cell.nT, cell.nC) : null,
      reason,
    };
  });
  const unanalysable = scan.strata.length > 1 ? strata.filter((s) => s.reason !== null).map((s) => s.label) : [];

  // Variance reduction, all in the difference form so the four figures compare.
  const plainSd = Math.sqrt(m.variance) * Math.sqrt(1 / test + 1 / control);
  const stratSd = stratifiedSd(cells, all.size, null);
  const rho2 = scan.covariate ? correlationSquared(all) : null;
  const residual = scan.covariate ? cupedResidual(scan.strata) : null;
  const bothSd = residual ? stratifiedSd(cells, all.size, residual) : null;
  const withinShare = m.variance > 0 ? Math.min(1, cells.reduce((acc, c) => acc + Math.max(0, c.n - 1) * c.variance, 0) / ((all.size - 1) * m.variance)) : 1;
  const variance = {
    plain: lambda * plainSd,
    stratified: stratSd === null ? null : lambda * stratSd,
    cuped: rho2 === null ? null : lambda * plainSd * Math.sqrt(1 - rho2),
    stratifiedCuped: bothSd === null ? null : lambda * bothSd,
    withinShare,
    rho2,
  };

  const effect = settings.effect === null ? null : powerFor(binary, m, settings.effect, test, control, settings.alpha, sided);
  const needed = settings.targetMde === null ? null : neededFor(basis, m, all.size, settings.targetMde);
  const mdeByShare = CHART_SHARES_BP.map((bp) => {
    const c = controlTotal(all.size, { percent: basisPointsText(bp) });
    const point = mdeAt(basis, m, all.size - c, c);
    return { percent: bp / 100, absolute: point?.absolute ?? null, relative: point?.relative ?? null };
  });
  // Up to where the power has long reached 1 (2.5 MDEs), and past the effect typed.
  const top = Math.max((mde?.relative ?? 0) * 2.5, (settings.effect ?? 0) * 1.25);
  const powerByEffect =
    m.mean !== 0 && top > 0
      ? Array.from({ length: 41 }, (_, i) => (top * i) / 40).flatMap((u) => {
          const p = powerFor(binary, m, u, test, control, settings.alpha, sided);
          return p ? [{ effect: u, power: p.power }] : [];
        })
      : [];
  const gcgRemoved = scan.audience.gcgRemoved;
  const gcg = gcgRemoved === null ? null : { removed: gcgRemoved, mde: gcgRemoved > 0 ? mdeAt(basis, m, all.size, gcgRemoved) : null };

  const plan: SimPlan = {
    problems: [],
    sizes,
    baseline,
    zAlpha,
    zPower,
    mde,
    power: effect && settings.effect !== null ? { effect: settings.effect, absolute: effect.absolute, power: effect.power } : null,
    needed,
    variance,
    strata,
    unanalysable,
    charts: { mdeByShare, powerByEffect },
    gcg,
    sentence: '',
  };
  return { ...plan, sentence: sentenceFor(scan, settings, plan) };
}

/** The smallest LCG share (in basis points, up to 50 %) whose MDE reaches the relative target. */
function neededFor(basis: MdeBasis, m: Moments, audience: number, target: number): NonNullable<SimPlan['needed']> {
  const relativeAt = (bp: number): number | null => {
    const c = controlTotal(audience, { percent: basisPointsText(bp) });
    return mdeAt(basis, m, audience - c, c)?.relative ?? null;
  };
  if (m.mean === 0) return { targetMde: target, percent: null, control: null, reason: 'A relative change of a baseline of 0 cannot be planned for.' };
  const best = relativeAt(5000);
  if (best === null || best > target) {
    return {
      targetMde: target,
      percent: null,
      control: null,
      reason: `Even an LCG of 50 % detects only ${best === null ? 'nothing' : formatChange(best)}: ${formatCount(audience)} profiles are too few to see ${formatChange(target)}.`,
    };
  }
  // The MDE falls as the LCG grows towards half the audience: bisect on basis points.
  let lo = 1;
  let hi = 5000;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const r = relativeAt(mid);
    if (r !== null && r <= target) hi = mid;
    else lo = mid + 1;
  }
  return { targetMde: target, percent: basisPointsText(lo), control: controlTotal(audience, { percent: basisPointsText(lo) }), reason: null };
}

/** The LCG's share as set when it is a whole number of basis points ("10 %", "2.5 %"), else as measured. */
function shareText(control: number, audience: number): string {
  const bp = (control * 10_000) / audience;
  return Number.isInteger(bp) ? `${basisPointsText(bp)} %` : formatShare(control / audience);
}

/** "With an LCG of 10 % (4,940 profiles) you can detect a change in … from 5.0 % to 5.7 % (+13 %) with 80 % power at α = 0.05. …" */
export function sentenceFor(scan: SimScan, settings: SimSettings, plan: Omit<SimPlan, 'sentence'>): string {
  if (plan.problems.length > 0 || !plan.mde) return plan.problems[0] ?? '';
  const binary = scan.metric.kind === 'binary';
  const show = binary ? formatShare : formatValue;
  const { mde, sizes } = plan;
  const what = `the ${binary ? 'share' : 'mean'} of “${scan.metric.label}”`;
  const change = mde.relative === null ? '' : ` (${formatChange(mde.relative)})`;
  const sidedText = settings.sided === 'one-sided' ? ', one-sided' : '';
  const parts = [
    `With an LCG of ${shareText(sizes.control, sizes.audience)} (${formatCount(sizes.control)} profiles) you can detect a change in ${what} from ${show(plan.baseline.mean)} to ${show(mde.detectable)}${change} with ${formatShare(settings.power)} power at α = ${settings.alpha}${sidedText}.`,
  ];
  if (plan.power) parts.push(`A true change of ${formatChange(plan.power.effect)} would be detected with ${formatShare(plan.power.power)} power.`);
  if (plan.needed) {
    parts.push(
      plan.needed.percent !== null
        ? `To detect ${formatChange(plan.needed.targetMde)} you need an LCG of ${plan.needed.percent} % (${formatCount(plan.needed.control ?? 0)} profiles).`
        : plan.needed.reason ?? '',
    );
  }
  if (plan.unanalysable.length > 0) {
    const shown = plan.unanalysable.slice(0, 3).join('; ');
    const more = plan.unanalysable.length > 3 ? ` and ${formatCount(plan.unanalysable.length - 3)} more` : '';
    parts.push(`${formatCount(plan.unanalysable.length)} ${plan.unanalysable.length === 1 ? 'stratum cannot' : 'strata cannot'} be analysed on ${plan.unanalysable.length === 1 ? 'its' : 'their'} own: ${shown}${more}.`);
  }
  return parts.join(' ');
}
