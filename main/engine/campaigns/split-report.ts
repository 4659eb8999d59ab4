/**
 * What a split looks like to the user: one row per stratum (size, exact quota, control,
 * share, deviation) and the stratification violation warning (STATS.md 5, DESIGN.md "LCG").
 */
import type { LcgSettings, StratificationWarning, StratumRow } from '../../../shared/contract/campaigns';
import { controlTotal } from '../../../shared/split/control-total';
import { allocateQuotas } from '../../../shared/split/quotas';
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
export const hasLcg = (lcg: LcgSettings) =>
  (lcg.percent !== null || lcg.limit !== null) && (lcg.percent === null || Number(lcg.percent) > 0) && (lcg.limit === null || lcg.limit > 0);

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
 * that fixes it. It never blocks anything. Null when there is no LCG, no stratification or
 * nothing to warn about.
 */
export function violationWarning(strata: readonly StratumCount[], lcg: LcgSettings, seed: string): StratificationWarning | null {
  if (lcg.strata.length === 0 || !hasLcg(lcg)) return null;
  const present = strata.filter((s) => s.size > 0);
  const n = present.reduce((sum, s) => sum + s.size, 0);
  if (n === 0) return null;
  const total = lcgTotal(n, lcg);
  const quotas = allocateQuotas(present.map((s) => ({ key: s.key, size: s.size })), total, seed);
  const found = stratificationWarning(quotas, total);
  if (!found) return null;
  const labels = new Map(present.map((s) => [s.key, s.label]));
  const low = found.strata.map((s) => ({ key: s.key, label: labels.get(s.key) ?? s.key, size: s.size, expected: s.expected }));
  const names = low.map((s) => `${s.label} (${count(s.size)} profiles, expects ${round2(s.expected)})`);
  const shown = names.length > 5 ? `${names.slice(0, 5).join('; ')} and ${names.length - 5} more` : names.join('; ');
  const fix =
    lcg.limit !== null && lcg.percent === null
      ? `Raise the audience limit to at least ${count(found.suggestedTotal)}`
      : lcg.limit !== null
        ? `Raise the audience limit to at least ${count(found.suggestedTotal)} (and the percentage to at least ${found.suggestedPercent} %)`
        : `Raise the percentage to at least ${found.suggestedPercent} % (an LCG of ${count(found.suggestedTotal)})`;
  const message =
    `Stratification violation: ${low.length === 1 ? 'one stratum expects' : `${low.length} strata expect`} less than one LCG profile, ` +
    `so ${low.length === 1 ? 'it' : 'they'} cannot be analysed: ${shown}. ${fix}, or use coarser strata.`;
  return { strata: low, suggestedLimit: found.suggestedTotal, suggestedPercent: found.suggestedPercent, message };
}
