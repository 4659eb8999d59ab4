import { z } from 'zod';
import { MAX_AGE_YEARS, MAX_BOUNDS, MAX_GROUP_VALUES, MAX_GROUPS, MAX_LABEL_CHARS, MAX_VALUE_CHARS, MAX_VALUES_PER_FIELD } from '../split/stratum-scheme';

const Label = z.string().trim().min(1).max(MAX_LABEL_CHARS);
/** A number, or text: a number or a date in the formats the import accepts (checked against the field). */
const Bound = z.union([z.number(), z.string().min(1).max(40)]);
const Years = z.number().int().min(0).max(MAX_AGE_YEARS);

/**
 * The kinds of stratification rule (shared/split/stratum-scheme.ts says how each cuts and
 * names its strata), for a target: a campaign's field, or a file's column.
 *  - values: every value its own stratum;
 *  - subset: the chosen values each a stratum, the rest "Other";
 *  - groups: values gathered under names, the rest "Other";
 *  - ranges: numbers or dates cut at ascending bounds ([b1, b2) ...);
 *  - intervals: named closed intervals [from, to] of numbers or dates, gaps allowed, the
 *    rest "Other";
 *  - age: intervals of age in whole years [from, to] (to null: and over) counted from a
 *    date field on the project clock's date, the rest "Other".
 * Profiles without a value form a "(no value)" stratum in every kind.
 */
export function stratumRuleSchema<T extends z.ZodRawShape>(target: T) {
  return z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('values'), ...target }),
    z.strictObject({ kind: z.literal('subset'), ...target, values: z.array(z.string().min(1).max(MAX_VALUE_CHARS)).min(1).max(MAX_VALUES_PER_FIELD) }),
    z.strictObject({
      kind: z.literal('groups'),
      ...target,
      groups: z
        .array(z.strictObject({ label: Label, values: z.array(z.string()).min(1).max(MAX_GROUP_VALUES) }))
        .min(1)
        .max(MAX_GROUPS),
    }),
    z.strictObject({ kind: z.literal('ranges'), ...target, bounds: z.array(Bound).min(1).max(MAX_BOUNDS) }),
    z.strictObject({
      kind: z.literal('intervals'),
      ...target,
      intervals: z.array(z.strictObject({ label: Label, from: Bound, to: Bound })).min(1).max(MAX_BOUNDS),
    }),
    z.strictObject({
      kind: z.literal('age'),
      ...target,
      intervals: z.array(z.strictObject({ from: Years, to: Years.nullable() })).min(1).max(MAX_BOUNDS),
    }),
  ]);
}
