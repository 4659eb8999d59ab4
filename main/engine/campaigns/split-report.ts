/**
 * What a split looks like to the user: one row per stratum (size, exact quota, control,
 * share, deviation) and the stratification violation warning (STATS.md 5, DESIGN.md "LCG").
 */
import type { LcgSettings, StratificationWarning, StratumRow } from '../../../shared/contract/campaigns';
import { controlTotal, type LcgSize } from '../../../shared/split/control-total';
import { allocateQuotas, type StratumQuota } from '../../../shared/split/quotas';
import { stratificationWarning } from '../../../shared/split/violations';

export interface StratumCount {
  readonly key: string;
  readonly label: string;
  readonly size: number;
  readonly control: number;
}

const count = (n: number) => n.toLocaleString('en-US');
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The control total M of an audience under LCG settings (STATS.md 1.1). */
export function lcgTotal(audience: number, lcg: LcgSettings): number {
  return controlTotal(audience, { percent: lcg.percent, limit: lcg.limit });
}

/** Whether the settings hold anyone out: a size is given and none of the given ones is zero (0 % is no LCG). */
export const hasLcg = (lcg: LcgSize) => {
  const percent = lcg.percent ?? null;
  const limit = lcg.limit ?? null;
  return (percent !== null || limit !== null) && (percent === null || Number(percent) > 0) && (limit === null || limit > 0);
};

/** Rows of the strata table: sizes and actual control, against the exact quota M·N_s/N. */
export function stratumRows(strata: readonly StratumCount[], total: number): StratumRow[] {
  const n = strata.reduce((sum, s) => sum + s.size, 0);
  return strata
    .filter((s) => s.size > 0)
    .map((s) => {
      const quota = n === 0 ? 0 : (total * s.size) / n;
      return {
        key: s.key,
        label: s.label,
        size: s.size,
        quota,
        control: s.control,
        share: s.size === 0 ? 0 : s.control / s.size,
        deviation: s.control - quota,
      };
    });
}

/**
 * The stratification violation of a stratified LCG: every stratum whose expected control
 * count (its share of M) is below one profile, by name, with a limit (and a percentage)
 * that fixes it, never one that takes the whole audience. It never blocks anything. Null
 * when there is no LCG, no stratification or nothing to warn about.
 */
export function violationWarning(strata: readonly StratumCount[], lcg: LcgSettings, seed: string): StratificationWarning | null {
  if (lcg.strata.length === 0 || !hasLcg(lcg)) return null;
  const present = strata.filter((s) => s.size > 0);
  const n = present.reduce((sum, s) => sum + s.size, 0);
  if (n === 0) return null;
  const total = lcgTotal(n, lcg);
  const quotas = allocateQuotas(present.map((s) => ({ key: s.key, size: s.size })), total, seed);
  const labels = new Map(present.map((s) => [s.key, s.label]));
  return warningOfQuotas(quotas, total, (key) => labels.get(key) ?? key, lcg);
}

/** The warning of quotas already shared out (the campaign's, or a CSV split's), with its sentence. */
export function warningOfQuotas(quotas: readonly StratumQuota[], total: number, labelOf: (key: string) => string, size: LcgSize): StratificationWarning | null {
  const found = stratificationWarning(quotas, total);
  if (!found) return null;
  const low = found.strata.map((s) => ({ key: s.key, label: labelOf(s.key), size: s.size, expected: s.expected }));
  const names = low.map((s) => `${s.label} (${count(s.size)} profile${s.size === 1 ? '' : 's'}, expects ${round2(s.expected)})`);
  const shown = names.length > 5 ? `${names.slice(0, 5).join('; ')} and ${names.length - 5} more` : names.join('; ');
  const limit = found.suggestedTotal;
  const percent = found.suggestedPercent;
  const hasPercent = size.percent !== null && size.percent !== undefined;
  const hasLimit = size.limit !== null && size.limit !== undefined;
  const fix =
    limit === null
      ? 'No LCG size gives each of them a profile and still leaves anyone in Test: use coarser strata'
      : hasPercent && !hasLimit && percent !== null
        ? `Raise the percentage to at least ${percent} % (an LCG of ${count(limit)}), or use coarser strata`
        : hasPercent && percent !== null
          ? `Raise the audience limit to at least ${count(limit)} (and the percentage to at least ${percent} %), or use coarser strata`
          : `${hasLimit ? 'Raise' : 'Set'} the audience limit to at least ${count(limit)}, or use coarser strata`;
  const message =
    `Stratification violation: ${low.length === 1 ? 'one stratum expects' : `${low.length} strata expect`} less than one control (LCG) profile, ` +
    `so ${low.length === 1 ? 'it' : 'they'} cannot be analysed: ${shown}. ${fix}.`;
  return { strata: low, suggestedLimit: limit, suggestedPercent: percent, message };
}
