import { z } from 'zod';
import { FilePath } from './common';
import { StratificationWarning, StratumRow } from './campaigns';
import { CsvOptions } from './imports';
import { Percent } from './gcg';
import { method } from './method';

/** A stratification column of a stand-alone split: its values, or numeric/ISO-date ranges. */
export const SplitStratum = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('values'), column: z.string().min(1) }),
  z.strictObject({ kind: z.literal('ranges'), column: z.string().min(1), bounds: z.array(z.union([z.number(), z.string()])).min(1).max(50) }),
]);
export type SplitStratum = z.infer<typeof SplitStratum>;

export const splitMethods = {
  'split/csv': method({
    doc: 'Split the IDs of a CSV file into test and control exactly as a campaign would (STATS.md), writing each ID with its group and stratum.',
    args: z
      .strictObject({
        input: FilePath,
        output: FilePath,
        overwrite: z.boolean().optional(),
        /** The ID column: a header name or 0-based index; by default the ID-like column. */
        idColumn: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
        percent: Percent.optional(),
        limit: z.number().int().min(0).optional(),
        strata: z.array(SplitStratum).max(5).default([]),
        seed: z.string().min(1).max(100),
        options: CsvOptions.partial().optional(),
      })
      .refine((a) => a.percent !== undefined || a.limit !== undefined, 'Give a percentage, a limit, or both.'),
    result: z.object({
      output: z.string(),
      rows: z.number().int(),
      control: z.number().int(),
      test: z.number().int(),
      strata: z.array(StratumRow),
      warning: StratificationWarning.nullable(),
      durationMs: z.number(),
    }),
    long: true,
  }),
} as const;
