import { allocateQuotas, type StratumQuota, type StratumSize } from './quotas';

export interface GrowthStratum {
  readonly key: string;
  /** Profiles already assigned (test or control) that are still in the audience. */
  readonly assigned: number;
  /** Of those, in control. */
  readonly control: number;
  /** New profiles to assign now. */
  readonly added: number;
}

export interface GrowthPlan {
  readonly key: string;
  /** The quota on the grown stratum (STATS.md 1.4: c_s'). */
  readonly quota: StratumQuota;
  /** How many of the new profiles go to control now. */
  readonly toControl: number;
  /** Control needed but not available among the new profiles (only new profiles may enter). */
  readonly shortfall: number;
  /** Control above the new quota; nobody moves, it is reported. */
  readonly surplus: number;
}

/**
 * Sticky growth (STATS.md 1.4): quotas are recomputed on the grown strata with the new
 * control total; each stratum takes its shortfall d_s = c_s' - current control from its new
 * profiles (the lowest hashes among them, chosen by selectControl); nobody already assigned
 * moves, so a surplus (d_s < 0) stays and is reported.
 */
export function planGrowth(strata: readonly GrowthStratum[], total: number, seed: string): GrowthPlan[] {
  const sizes: StratumSize[] = strata.map((s) => ({ key: s.key, size: s.assigned + s.added }));
  const quotas = allocateQuotas(sizes, total, seed);
  return strata.map((s, i) => {
    const quota = quotas[i]!;
    const needed = quota.control - s.control;
    const toControl = Math.max(0, Math.min(needed, s.added));
    return {
      key: s.key,
      quota,
      toControl,
      shortfall: Math.max(0, needed - s.added),
      surplus: Math.max(0, -needed),
    };
  });
}
