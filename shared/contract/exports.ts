import { z } from 'zod';
import { Id, SubscriptionStatus } from './databases';
import { CsvDelimiter } from './imports';
import { method } from './method';
import { FilePath } from './common';
import { Fingerprint } from './warehouse';

/**
 * Which profiles of the database: all of them (the default), a segment, the global control
 * group, a campaign's audience or one of its groups, or the recipients of an activity run.
 * A campaign's `gcg` group is the GCG members of its audience (its segment's profiles that
 * the global control group holds). Campaign and run exports add a `group` column (test,
 * control or gcg) after the status. A campaign whose audience was never built has nothing
 * to export yet (refused).
 */
export const ExportScope = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('database') }),
  /** An updatable segment's members as of one of its recalculations (its number) when `recalculation` is given. */
  z.strictObject({ kind: z.literal('segment'), segmentId: Id, recalculation: z.number().int().min(1).optional() }),
  z.strictObject({ kind: z.literal('gcg') }),
  z.strictObject({ kind: z.literal('campaign'), campaignId: Id, group: z.enum(['test', 'control', 'gcg', 'all']) }),
  z.strictObject({ kind: z.literal('run'), runId: Id }),
]);
export type ExportScope = z.infer<typeof ExportScope>;

export const ExportRequest = z.strictObject({
  databaseId: Id,
  scope: ExportScope.optional(),
  /** A .csv file; written atomically. */
  path: FilePath.refine((p) => /\.(csv|txt|tsv)$/i.test(p), 'The export file name must end in .csv, .tsv or .txt.'),
  overwrite: z.boolean().optional(),
  /** Fields to write after the profile ID and the subscription status; all fields when omitted. */
  fieldIds: z.array(Id).max(500).optional(),
  /** Only profiles with these statuses; all when omitted. */
  subscription: z.array(SubscriptionStatus).min(1).optional(),
  limit: z.number().int().positive().optional(),
  delimiter: CsvDelimiter.default(','),
  /** A UTF-8 byte order mark, so Excel reads the file as UTF-8. */
  bom: z.boolean().default(true),
});
export type ExportRequest = z.infer<typeof ExportRequest>;

export const exportMethods = {
  'export/profiles': method({
    doc: "Write a database's profiles to CSV: chosen fields, statuses and row limit; formulas neutralised.",
    args: ExportRequest,
    result: z.object({
      path: z.string(),
      rows: z.number().int(),
      bytes: z.number().int(),
      durationMs: z.number(),
      /** A campaign's export: the fingerprint of the campaign's split (warehouse/fingerprint), whichever group was written. */
      fingerprint: Fingerprint.optional(),
    }),
    long: true,
  }),
} as const;
