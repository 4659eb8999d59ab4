import { z } from 'zod';
import { ClockTime } from './common';
import { Id } from './databases';
import { method } from './method';
import { ProfilePage, ProfileSearch } from './profiles';
import { MAX_SEED } from './limits';

/** A percentage with at most two decimals, as text or number ("2.5"); see shared/split/control-total.ts. */
export const Percent = z
  .union([z.number(), z.string()])
  .refine((v) => /^\d{1,3}(\.\d{1,2})?$/.test(String(v).trim()) && Number(v) <= 100, 'A percentage from 0 to 100 with at most two decimals.');

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
