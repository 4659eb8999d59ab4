/**
 * The simulator's audience as read, before the metric is chosen: the profiles that would be
 * split (IDs, strata) and a way to read any of their fields. A project audience (campaign
 * or segment, project-rows.ts) reads fields through SQL; a CSV audience (csv-rows.ts) from
 * the columns it kept while reading the file. metric.ts and scan.ts work on this only.
 */
import type { SimScan } from '../../../shared/contract/simulate';

/** What a field holds, as the simulator treats it. */
export type RowFieldType = 'number' | 'binary' | 'enum' | 'text' | 'date';

export interface RowField {
  readonly name: string;
  readonly type: RowFieldType;
  /** An enum field's values, in their order (levels of the balance table). */
  readonly enumValues?: readonly string[];
}

/** One field read for every profile of the audience, in the audience's order. */
export type ColumnRequest =
  | { readonly field: RowField; readonly as: 'numbers' }
  | { readonly field: RowField; readonly as: 'equals'; readonly value: string }
  | { readonly field: RowField; readonly as: 'categories' };

export type ColumnResult =
  /** numbers (yes/no as 1/0), or equals (1 equal, 0 another value); NaN where a profile has no value. */
  | { readonly values: Float64Array }
  /** A level number per profile (-1: no value); null when the field has more than MAX_LEVELS values. */
  | { readonly codes: Int32Array; readonly levels: readonly string[] }
  | null;

/** Text fields with at most this many different values are compared level by level (balance). */
export const MAX_LEVELS = 50;

export interface AudienceRows {
  readonly count: number;
  /** The IDs as UTF-8 separated by U+001F, in the audience's order (read when first needed: the scan does not). */
  readIds(): Promise<Uint8Array>;
  readonly stratumOf: Int32Array;
  readonly strataKeys: readonly string[];
  readonly strataLabels: readonly string[];
  /** Every field (column) of the audience's profiles, the ID column aside. */
  readonly fields: readonly RowField[];
  /** The audience as the scan describes it. */
  readonly audience: SimScan['audience'];
  readonly campaign: SimScan['campaign'];
  readonly strataLabel: string;
  /** The project clock (or this computer's date and time, for a CSV). */
  readonly scannedAt: string;
  /** Reads fields, several in one pass where it can. */
  read(requests: readonly ColumnRequest[]): Promise<ColumnResult[]>;
}
