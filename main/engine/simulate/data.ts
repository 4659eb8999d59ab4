/**
 * The simulator's audience in memory: one row per profile that would be split, in a fixed
 * order, with its metric, covariate, stratum and ID. scan.ts reads it (and keeps the last
 * few in a cache keyed by the source); the Monte Carlo and the balance table work on it.
 */

/** A field of the audience's profiles, as the balance table and the Monte Carlo read it. */
export type SimColumn =
  | {
      readonly field: string;
      /** Numbers (and yes/no as 1/0): NaN where a profile has no value. */
      readonly kind: 'number' | 'binary';
      readonly values: Float64Array;
    }
  | {
      readonly field: string;
      /** Enum and short text fields: a level code per profile, -1 for no value. */
      readonly kind: 'categorical';
      readonly codes: Int32Array;
      readonly levels: readonly string[];
    };

export interface SimData {
  readonly count: number;
  /** The metric per profile (capped; a missing value is 0). */
  readonly y: Float64Array;
  /** The covariate per profile, or null. */
  readonly x: Float64Array | null;
  readonly binary: boolean;
  /** Dense stratum number per profile, 0..strataKeys.length-1. */
  readonly stratumOf: Int32Array;
  /** Each stratum's key (the split's tie-break) and label, in stratum number order. */
  readonly strataKeys: readonly string[];
  readonly strataLabels: readonly string[];
  /** The IDs as UTF-8 separated by U+001F (shared/split/hash-ids.ts), for the split's md5 order. */
  readonly packed: Uint8Array;
  /** The profile fields for balance (not the metric's own transformation). */
  readonly columns: readonly SimColumn[];
  /** Fields left out of `columns`, and why. */
  readonly skipped: readonly { readonly field: string; readonly reason: string }[];
}
