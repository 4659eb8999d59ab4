import { z } from 'zod';
import { ClockTime } from './common';
import { Id } from './databases';
import { method } from './method';
import { ProfilePage, ProfileSearch } from './profiles';
import { parsePercent } from '../split/percent';
import { MAX_SEED } from './limits';

/**
 * A percentage from 0 to 100 with at most two decimals, as text or number ("2.5"), read by
 * the one rule of shared/split/percent.ts (whose message says what is wrong). Across the
 * boundary it is a plain number: the comma and "%" that people type are read by the UI and
 * `cplan` before they call the engine.
 */
export const Percent = z.union([z.number(), z.string()]).superRefine((value, ctx) => {
  const reading = parsePercent(value);
  if (!reading.ok) ctx.addIssue({ code: 'custom', message: reading.problem });
  else if (typeof value === 'string' && !/^\s*\+?\d+(\.\d+)?\s*$/.test(value)) ctx.addIssue({ code: 'custom', message: `Give the percentage as a number such as 7.25, not "${value}".` });
});

export const GcgState = z.object({
  databaseId: Id,
  /** 0 when the database has no global control group. */
  percent: z.number(),
  seed: z.string(),
  /** Members now, and profiles in the database. */
  size: z.number().int(),
  profiles: z.number().int(),
  /** When it was last formed from scratch (a change of percentage or seed). */
  formedClock: ClockTime.nullable(),
  /** Campaigns that ignore it (their audience keeps GCG members). */
  exemptCampaignIds: z.array(Id),
  /** Members above the exact share after profiles left; nobody is moved out (sticky). */
  surplus: z.number().int(),
});
export type GcgState = z.infer<typeof GcgState>;

export const gcgMethods = {
  'gcg/get': method({
    doc: "A database's global control group: share, seed, size (new profiles assigned first, sticky).",
    args: z.strictObject({ databaseId: Id }),
    result: GcgState,
  }),
  'gcg/set': method({
    doc: 'Set the global control group of a database (0 removes it); a new percentage or seed forms it anew.',
    args: z.strictObject({ databaseId: Id, percent: Percent, seed: z.string().min(1).max(MAX_SEED).optional() }),
    result: GcgState,
    mutates: true,
    long: true,
  }),
  'gcg/exempt': method({
    doc: "Exempt a campaign from its database's global control group, or undo that.",
    args: z.strictObject({ campaignId: Id, exempt: z.boolean() }),
    result: GcgState,
    mutates: true,
  }),
  'gcg/members': method({
    doc: 'A page of the global control group members of a database.',
    args: z.strictObject({
      databaseId: Id,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      search: ProfileSearch.optional(),
    }),
    result: ProfilePage,
  }),
} as const;
