/**
 * A profile's "Interactions" (the guide's name on the profile card): the segments it is in
 * and the campaigns it is in, with its group. Its own file: it reads segments and campaigns,
 * and segments.ts already builds on profiles.ts.
 */
import { z } from 'zod';
import { CampaignStatus } from './campaigns';
import { ClockTime } from './common';
import { Id } from './databases';
import { method } from './method';
import { SegmentKind } from './segments';

/**
 * The profile's place in a campaign: `test` and `lcg` (the campaign's local control group)
 * for a member; `gcg` when the database's global control group holds it out of a campaign
 * whose segment contains it (the campaign is not exempt from the GCG); `audience` when it is
 * in the segment of a campaign not built yet (its activation splits it).
 */
export const CAMPAIGN_PLACES = ['test', 'lcg', 'gcg', 'audience'] as const;
export const CampaignPlace = z.enum(CAMPAIGN_PLACES);
export type CampaignPlace = z.infer<typeof CampaignPlace>;

export const ProfileInteractions = z.object({
  databaseId: Id,
  profileId: z.string(),
  /** The segments the profile is in (dynamic ones: as of their last evaluation), by name. */
  segments: z.array(z.object({ segmentId: Id, name: z.string(), kind: SegmentKind })),
  /** The campaigns (not in the bin) the profile is in, newest first. A profile that left a campaign is not in it. */
  campaigns: z.array(
    z.object({
      campaignId: Id,
      name: z.string(),
      status: CampaignStatus,
      group: CampaignPlace,
      /** The project clock of the split that gave a member its group; null when not known (GCG, audience). */
      since: ClockTime.nullable(),
      /** A member forced into Test (added by hand). */
      forced: z.boolean(),
    }),
  ),
});
export type ProfileInteractions = z.infer<typeof ProfileInteractions>;

export const interactionMethods = {
  'profile/interactions': method({
    doc: "The segments and campaigns of one profile (by its profile ID), with its group in each campaign: Test, LCG, GCG, or the audience of a campaign not built yet.",
    args: z.strictObject({ databaseId: Id, profileId: z.string().min(1).max(1000) }),
    result: ProfileInteractions,
  }),
} as const;
