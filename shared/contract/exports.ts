import { z } from 'zod';
import { Id, SubscriptionStatus } from './databases';
import { CsvDelimiter } from './imports';
import { method } from './method';
import { FilePath } from './common';

export const ExportRequest = z.strictObject({
  databaseId: Id,
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
    result: z.object({ path: z.string(), rows: z.number().int(), bytes: z.number().int(), durationMs: z.number() }),
    long: true,
  }),
} as const;
