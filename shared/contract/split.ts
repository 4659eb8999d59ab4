import { z } from 'zod';
import { FilePath } from './common';
import { StratificationWarning, StratumRow } from './campaigns';
import { CsvOptions } from './imports';
import { Percent } from './gcg';
import { method } from './method';
import { stratumRuleSchema } from './stratum-rules';
import { parseDate } from '../domain/dates';
import { MAX_STRATA_FIELDS } from '../split/stratum-scheme';

/** A calendar date "YYYY-MM-DD". */
const IsoDate = z.string().refine((t) => /^\d{4}-\d{2}-\d{2}$/.test(t) && parseDate(t, null) === t, 'Expected a date like 2026-04-10.');

/** A stratification column of a stand-alone split: the rules of a campaign's fields (stratumRuleSchema), for a column. */
export const SplitStratum = stratumRuleSchema({ column: z.string().min(1) });
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
        strata: z.array(SplitStratum).max(MAX_STRATA_FIELDS).default([]),
        /** The date ages are counted on (age rules); the computer's date by default. */
        today: IsoDate.optional(),
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
