/**
 * The control (LCG) total M of STATS.md 1.1, in integers only: a percentage is read as
 * basis points (7.25 % = 725), because in floating point 100 * 0.29 is 28.999999999999996.
 */

import { percentToBasisPoints } from './percent';

export { percentToBasisPoints };

export interface LcgSize {
  /** Percent of the audience, 0-100, at most two decimals ("7.25" or 7.25). */
  readonly percent?: number | string | null;
  /** The largest LCG, in profiles (the "audience limit"). */
  readonly limit?: number | null;
}

/** M = floor((N * P_bp + 5000) / 10000), round half up; with a limit, the smaller of the two. */
export function controlTotal(audience: number, size: LcgSize): number {
  if (!Number.isSafeInteger(audience) || audience < 0) throw new RangeError(`Bad audience size ${audience}.`);
  const hasPercent = size.percent !== undefined && size.percent !== null;
  const hasLimit = size.limit !== undefined && size.limit !== null;
  if (!hasPercent && !hasLimit) return 0;
  let total = audience;
  if (hasPercent) {
    const bp = BigInt(percentToBasisPoints(size.percent as number | string));
    total = Number((BigInt(audience) * bp + 5000n) / 10_000n);
  }
  if (hasLimit) {
    const limit = size.limit as number;
    if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`Bad LCG limit ${limit}.`);
    total = Math.min(total, limit);
  }
  return Math.min(total, audience);
}
