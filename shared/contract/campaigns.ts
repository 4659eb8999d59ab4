import { z } from 'zod';
import { CAMPAIGN_STATUSES } from '../domain/campaign-status';
import { ClockTime, Instant } from './common';
import { Id } from './databases';
import { Percent } from './gcg';
import { method } from './method';
import { ProfilePage, ProfileSearch } from './profiles';
import { stratumRuleSchema } from './stratum-rules';
import { MAX_STRATA_FIELDS } from '../split/stratum-scheme';
import { MAX_ATTRIBUTE_NAME, MAX_ATTRIBUTE_VALUE, MAX_CAMPAIGN_NAME, MAX_SEED } from './limits';

// ---------------------------------------------------------------------------------------
// Project-wide campaign attributes ("mandatory attributes defined for the project")

export const CampaignAttribute = z.object({
  id: Id,
  name: z.string(),
  required: z.boolean(),
  /** Allowed values; empty for free text. */
  choices: z.array(z.string()),
});
export type CampaignAttribute = z.infer<typeof CampaignAttribute>;

// ---------------------------------------------------------------------------------------
// LCG settings and stratification

/** One stratification field: see stratumRuleSchema for the kinds. */
export const StratumRule = stratumRuleSchema({ fieldId: Id });
export type StratumRule = z.infer<typeof StratumRule>;

export const LcgSettings = z
  .strictObject({
    /** Share of the audience in the LCG, at most two decimals; null for none. */
    percent: Percent.nullable(),
    /** The largest LCG in profiles ("audience limit"); null for none. */
    limit: z.number().int().min(0).nullable(),
    /** Stratification fields, combined; empty for no stratification. */
    strata: z.array(StratumRule).max(MAX_STRATA_FIELDS),
  })
  .refine((l) => new Set(l.strata.map((s) => s.fieldId)).size === l.strata.length, 'Each field can stratify only once.');
export type LcgSettings = z.infer<typeof LcgSettings>;

export const NO_LCG: LcgSettings = { percent: null, limit: null, strata: [] };

export const StratumRow = z.object({
  key: z.string(),
  /** "gender = female · age 25–34" */
  label: z.string(),
  size: z.number().int(),
  /** The exact proportional share of the control total, M·N_s/N. */
  quota: z.number(),
  control: z.number().int(),
  /** control / size. */
  share: z.number(),
  /** control - quota. */
  deviation: z.number(),
});
export type StratumRow = z.infer<typeof StratumRow>;

/** A stratification violation: strata expected to get less than one control profile. */
export const StratificationWarning = z.object({
  strata: z.array(z.object({ key: z.string(), label: z.string(), size: z.number().int(), expected: z.number() })),
  /** The smallest limit that gives every stratum one LCG profile; null when only the whole audience would (Test empty). */
  suggestedLimit: z.number().int().nullable(),
  /** The smallest percentage that does, leaving Test someone; null when none does. */
  suggestedPercent: z.number().nullable(),
  message: z.string(),
});
export type StratificationWarning = z.infer<typeof StratificationWarning>;

// ---------------------------------------------------------------------------------------
// Campaigns

export const CampaignStatus = z.enum(CAMPAIGN_STATUSES);

export const GroupSizes = z.object({ test: z.number().int(), control: z.number().int(), total: z.number().int() });
export type GroupSizes = z.infer<typeof GroupSizes>;

export const Campaign = z.object({
  id: Id,
  name: z.string(),
  databaseId: Id,
  databaseName: z.string(),
  segmentId: Id,
  segmentName: z.string(),
  status: CampaignStatus,
  /** In the recycle bin. */
  deleted: z.boolean(),
  /** Values of the project's attributes, by attribute id. */
  attributes: z.record(z.string(), z.string()),
  seed: z.string(),
  lcg: LcgSettings,
  /** The clock time a Waiting campaign starts. */
  activateAt: ClockTime.nullable(),
  createdClock: ClockTime,
  activatedClock: ClockTime.nullable(),
  completedClock: ClockTime.nullable(),
  clonedFrom: Id.nullable(),
  gcgExempt: z.boolean(),
  groups: GroupSizes,
  activityCount: z.number().int(),
  /**
   * Work on this campaign under way in another process on the same file (a `cplan` in
   * another terminal, another window): `status` then shows that work's status. Null or
   * absent when there is none.
   */
  workElsewhere: z
    .object({
      status: z.enum(['audience_building', 'audience_exclusion']),
      pid: z.number().int(),
      since: Instant,
      /** The work is done in that process, and the file shows it once that process saves; null while it runs. */
      finishedAt: Instant.nullable(),
    })
    .nullable()
    .optional(),
});
export type Campaign = z.infer<typeof Campaign>;

export const SplitVersion = z.object({
  id: Id,
  campaignId: Id,
  clock: ClockTime,
  builtAt: Instant,
  /** What made it: the first build, new profiles, a change of the LCG, profiles added by hand, audience expansion, a recalculation of its segment. */
  reason: z.enum(['activation', 'growth', 'lcg_change', 'manual', 'expansion', 'recalculation']),
  seed: z.string(),
  lcg: LcgSettings,
  audience: z.number().int(),
  controlTotal: z.number().int(),
  joined: z.number().int(),
  left: z.number().int(),
  strata: z.array(StratumRow),
  warning: StratificationWarning.nullable(),
  /** Control needed but not available among new profiles, and control above the quota (sticky). */
  shortfall: z.number().int(),
  surplus: z.number().int(),
});
export type SplitVersion = z.infer<typeof SplitVersion>;

/** Why a split version was built, in words (the split history, and the "Audience built" event). */
export const VERSION_REASON_LABELS: Readonly<Record<SplitVersion['reason'], string>> = {
  activation: 'First build',
  // Followed a change of the audience: the segment, the GCG or an exemption (profiles join or leave).
  growth: 'Audience changed',
  lcg_change: 'LCG changed',
  manual: 'Added by hand',
  expansion: 'Audience expansion',
  // Its updatable segment was recalculated, or its dynamic segment evaluated anew (before an activity run).
  recalculation: 'Segment recalculated',
};

export const CAMPAIGN_EVENT_KINDS = [
  'created',
  'edited',
  'scheduled',
  'activated',
  'deactivated',
  'audience_building',
  'audience_built',
  'audience_exclusion',
  'profile_joined',
  'campaign_exit',
  'lcg_changed',
  'moved_to_test',
  'activities_paused',
  'activities_resumed',
  'activity_added',
  'activity_removed',
  'activity_run',
  'completed',
  'deleted',
  'restored',
] as const;

/**
 * Stored by earlier versions for a profile that left the segment; read as 'campaign_exit'
 * (the guide's name for every profile leaving a campaign).
 */
export const LEGACY_EVENT_KINDS: Readonly<Record<string, (typeof CAMPAIGN_EVENT_KINDS)[number]>> = { profile_left: 'campaign_exit' };

export const CampaignEvent = z.object({
  id: Id,
  clock: ClockTime,
  kind: z.enum(CAMPAIGN_EVENT_KINDS),
  /** The profile of a per-profile event (joined, left, campaign exit). */
  profileId: z.string().nullable(),
  /** For the user: "Campaign exit", "Activated: 90,000 test, 10,000 LCG". */
  text: z.string(),
});
export type CampaignEvent = z.infer<typeof CampaignEvent>;

export const CampaignDetail = z.object({
  campaign: Campaign,
  strata: z.array(StratumRow),
  warning: StratificationWarning.nullable(),
  versions: z.array(SplitVersion),
});
export type CampaignDetail = z.infer<typeof CampaignDetail>;

/** What an LCG change will do, shown before it is made. */
export const LcgChangePreview = z.object({
  kind: z.enum(['none', 'first', 'quota', 'removed', 'fields', 'values']),
  /** Sentences for the user: who moves, what is paused, what can only be filled by new profiles. */
  consequences: z.array(z.string()),
  /** "Changing values inside fields may break the homogeneity of the LCG." */
  homogeneityWarning: z.boolean(),
  warning: StratificationWarning.nullable(),
  strata: z.array(StratumRow),
  /** Other values inside the fields: per stratum over its new quota, the LCG members that move to Test. */
  moves: z.array(z.object({ key: z.string(), label: z.string(), count: z.number().int() })),
});
export type LcgChangePreview = z.infer<typeof LcgChangePreview>;

/** Something to confirm before an activation: nobody would be in Test. */
export const ActivationProblem = z.object({
  kind: z.enum(['empty_audience', 'lcg_takes_all']),
  message: z.string(),
});
export type ActivationProblem = z.infer<typeof ActivationProblem>;

export const ActivationPreview = z.object({
  /** The audience now: the segment's members without the GCG (unless exempt). */
  audience: z.number().int(),
  control: z.number().int(),
  test: z.number().int(),
  problems: z.array(ActivationProblem),
});
export type ActivationPreview = z.infer<typeof ActivationPreview>;

const CampaignName = z.string().trim().min(1, 'The campaign name cannot be empty.').max(MAX_CAMPAIGN_NAME);
const Attributes = z.record(z.string(), z.string().max(MAX_ATTRIBUTE_VALUE));
const ProfileIdList = z.array(z.string().min(1).max(1000)).min(1).max(100_000);

export const campaignMethods = {
  'attribute/list': method({
    doc: 'The campaign attributes defined for the project.',
    args: z.strictObject({}),
    result: z.array(CampaignAttribute),
  }),
  'attribute/define': method({
    doc: 'Define a campaign attribute for the project; required ones must be filled for every campaign.',
    args: z.strictObject({
      name: z.string().trim().min(1).max(MAX_ATTRIBUTE_NAME),
      required: z.boolean(),
      choices: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
    }),
    result: CampaignAttribute,
    mutates: true,
  }),
  'attribute/remove': method({
    doc: 'Remove a campaign attribute and its values.',
    args: z.strictObject({ attributeId: Id }),
    result: z.array(CampaignAttribute),
    mutates: true,
  }),
  'campaign/list': method({
    doc: 'Campaigns with status and group sizes (the recycle bin with includeDeleted).',
    args: z.strictObject({ databaseId: Id.optional(), includeDeleted: z.boolean().optional() }),
    result: z.array(Campaign),
  }),
  'campaign/get': method({
    doc: 'A campaign with its strata table, stratification warning and split history.',
    args: z.strictObject({ campaignId: Id }),
    result: CampaignDetail,
  }),
  'campaign/create': method({
    doc: 'Create an Inactive campaign on a segment of a database (neither can change later).',
    args: z.strictObject({
      name: CampaignName,
      databaseId: Id,
      segmentId: Id,
      attributes: Attributes.optional(),
      lcg: LcgSettings.optional(),
      /** The split's seed; a random one by default. */
      seed: z.string().trim().min(1).max(MAX_SEED).optional(),
    }),
    result: Campaign,
    mutates: true,
  }),
  'campaign/update': method({
    doc: 'Rename a campaign or change its attribute values.',
    args: z
      .strictObject({ campaignId: Id, name: CampaignName.optional(), attributes: Attributes.optional() })
      .refine((a) => a.name !== undefined || a.attributes !== undefined, 'Nothing to change.'),
    result: Campaign,
    mutates: true,
  }),
  'campaign/previewLcg': method({
    doc: 'What a change of LCG settings would do: who moves, what pauses, strata below one profile.',
    args: z.strictObject({ campaignId: Id, lcg: LcgSettings }),
    result: LcgChangePreview,
  }),
  'campaign/setLcg': method({
    doc: 'Change the LCG (percent, limit, stratification); on an active campaign the audience is rebuilt as the guide says.',
    args: z.strictObject({ campaignId: Id, lcg: LcgSettings }),
    result: CampaignDetail,
    mutates: true,
    long: true,
  }),
  'campaign/previewActivation': method({
    doc: 'What an activation would give now: the audience, the LCG and Test sizes, and what to confirm (an empty audience, an LCG taking everyone).',
    args: z.strictObject({ campaignId: Id }),
    result: ActivationPreview,
  }),
  'campaign/activate': method({
    doc: 'Activate now (build the audience and split it), or at a later time on the project clock (Waiting).',
    args: z.strictObject({
      campaignId: Id,
      at: ClockTime.optional(),
      /** The user saw the activation warnings (campaign/previewActivation) and activates anyway. */
      confirmed: z.boolean().optional(),
    }),
    result: CampaignDetail,
    mutates: true,
    long: true,
  }),
  'campaign/deactivate': method({
    doc: 'Deactivate; groups are kept. A Waiting campaign stops waiting.',
    args: z.strictObject({ campaignId: Id }),
    result: Campaign,
    mutates: true,
  }),
  'campaign/complete': method({
    doc: 'Complete for good: every profile leaves (a "Campaign exit" event each); it can never run again.',
    args: z.strictObject({ campaignId: Id }),
    result: Campaign,
    mutates: true,
    long: true,
  }),
  'campaign/clone': method({
    doc: 'An Inactive copy with the same settings; its segment may change (the database may not).',
    args: z.strictObject({ campaignId: Id, name: CampaignName.optional(), segmentId: Id.optional() }),
    result: Campaign,
    mutates: true,
  }),
  'campaign/delete': method({
    doc: 'Move a Completed campaign, or an Inactive one with nobody allocated, to the recycle bin.',
    args: z.strictObject({ campaignId: Id }),
    result: Campaign,
    mutates: true,
  }),
  'campaign/restore': method({
    doc: 'Bring a campaign back from the recycle bin; it comes back as Completed.',
    args: z.strictObject({ campaignId: Id }),
    result: Campaign,
    mutates: true,
  }),
  'campaign/addProfiles': method({
    doc: "Add profiles by ID to a campaign on a static segment (into its segment): split now (or forced into Test), or at activation when the campaign has not been built.",
    args: z.strictObject({ campaignId: Id, profileIds: ProfileIdList, forceTest: z.boolean().optional() }),
    result: z.object({
      campaign: Campaign,
      added: z.number().int(),
      toTest: z.number().int(),
      toControl: z.number().int(),
      alreadyIn: z.number().int(),
      /** LCG members forced into Test (forceTest): they moved, each with a "Moved to Test" event. */
      movedToTest: z.number().int(),
      /** Members of the database's global control group: they cannot join (the campaign is not exempt). */
      inGcg: z.number().int(),
      notFoundCount: z.number().int(),
      notFound: z.array(z.string()),
    }),
    mutates: true,
    long: true,
  }),
  'campaign/members': method({
    doc: "A page of a campaign's audience, optionally one group, with each profile's group and stratum.",
    args: z.strictObject({
      campaignId: Id,
      group: z.enum(['test', 'control']).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      search: ProfileSearch.optional(),
    }),
    result: ProfilePage.extend({
      groups: z.array(z.enum(['test', 'control'])),
      strata: z.array(z.string()),
    }),
  }),
  'campaign/events': method({
    doc: "A page of a campaign's events, newest first.",
    args: z.strictObject({
      campaignId: Id,
      kinds: z.array(z.enum(CAMPAIGN_EVENT_KINDS)).optional(),
      /** Only the events of this moment on the project clock (a point of the timeline). */
      clock: ClockTime.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    result: z.object({ total: z.number().int(), events: z.array(CampaignEvent) }),
  }),
} as const;

/** Audience groups an export or a page can be limited to. */
export const AudienceGroup = z.enum(['test', 'control', 'gcg']);
export type AudienceGroup = z.infer<typeof AudienceGroup>;

