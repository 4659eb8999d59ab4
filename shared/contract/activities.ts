import { z } from 'zod';
import { ClockTime } from './common';
import { Id } from './databases';
import type { SubscriptionStatus } from '../domain/profiles';
import { method } from './method';
import { ProfilePage } from './profiles';
import { MAX_ACTIVITY_NAME, MAX_VARIANT_NAME } from './limits';
import { ActivityTiming, RunKind } from './clock';

export const ACTIVITY_TYPES = ['broadcast', 'regular_mailing', 'triggered_mailing', 'ab_test', 'scenario', 'placement'] as const;
export const ActivityType = z.enum(ACTIVITY_TYPES);
export type ActivityType = z.infer<typeof ActivityType>;

export const ACTIVITY_TYPE_LABELS: Readonly<Record<ActivityType, string>> = {
  broadcast: 'Broadcast',
  regular_mailing: 'Regular mailing',
  triggered_mailing: 'Triggered mailing',
  ab_test: 'A/B test',
  scenario: 'Scenario',
  placement: 'Placement',
};

export const AbVariant = z.strictObject({ name: z.string().trim().min(1).max(MAX_VARIANT_NAME), percent: z.number().min(0).max(100) });

/**
 * Who a run left out, and why (each profile counted once, for the first reason in this
 * order): GCG members of the reach (never in the campaign's audience), campaign members
 * outside the activity's own segment, LCG members (an activity that respects the LCG),
 * then, of those it would reach, profiles whose subscription forbids marketing.
 */
export const LeftOut = z.object({
  gcg: z.number().int(),
  outsideSegment: z.number().int(),
  lcg: z.number().int(),
  unsubscribed: z.number().int(),
  bounced: z.number().int(),
  unconfirmed: z.number().int(),
});
export type LeftOut = z.infer<typeof LeftOut>;

/**
 * The subscription statuses a marketing run reaches: subscribed only. Unsubscribed and
 * bounced profiles never; unconfirmed ones neither, as they have not confirmed their consent
 * (double opt-in). A transactional activity may ignore subscription.
 */
export const REACHED_BY_MARKETING: readonly SubscriptionStatus[] = ['subscribed'];

/** A campaign on the same segment that took profiles added by an audience expansion. */
export const GainedCampaign = z.object({ campaignId: Id, name: z.string(), joined: z.number().int() });
export type GainedCampaign = z.infer<typeof GainedCampaign>;

export const ActivityRun = z.object({
  id: Id,
  activityId: Id,
  campaignId: Id,
  clock: ClockTime,
  /** Recipients per group (Test; LCG only when the activity ignores the LCG). */
  test: z.number().int(),
  control: z.number().int(),
  /** Profiles added to the campaign by audience expansion before this run. */
  expanded: z.number().int(),
  /** Recipients per A/B variant, by name. */
  variants: z.record(z.string(), z.number().int()),
  /** Who was left out and why; null for a run recorded by a version that did not count it. */
  leftOut: LeftOut.nullable(),
  /** Other active campaigns on the campaign's segment that took the profiles the expansion added. */
  gainedCampaigns: z.array(GainedCampaign),
  /** Why it ran: by hand, at its launch, on its schedule, on trigger events, ... */
  kind: RunKind,
  /** Messages sent: one per recipient, or one per trigger event for a triggered mailing. */
  messages: z.number().int(),
  /** A run on events (triggered mailing, scenario entries): the times of the events it answered. */
  window: z.object({ from: ClockTime, to: ClockTime }).nullable(),
});
export type ActivityRun = z.infer<typeof ActivityRun>;

export const Activity = z.object({
  id: Id,
  databaseId: Id,
  /** Null: in the external list (not part of a campaign). */
  campaignId: Id.nullable(),
  name: z.string(),
  type: ActivityType,
  /** Its own segment (of the same database); null reaches the whole campaign audience. */
  segmentId: Id.nullable(),
  /** Transactional messages: reach the LCG too. */
  ignoreLcg: z.boolean(),
  /**
   * With ignoreLcg (transactional messages only): reach every subscription status too.
   * Otherwise a run reaches only subscribed profiles.
   */
  ignoreSubscription: z.boolean(),
  /** Recipients outside the campaign are first added to it and split (static campaign segments only). */
  audienceExpansion: z.boolean(),
  variants: z.array(AbVariant),
  status: z.enum(['inactive', 'active', 'paused', 'completed']),
  /** Has run at least once. */
  launched: z.boolean(),
  /** How it runs on the clock once launched (activity/launch); null: it runs only by hand. */
  timing: ActivityTiming.nullable(),
  /** When it was launched (or is planned to start, when later than the clock); null: not launched. */
  launchAt: ClockTime.nullable(),
  /** When it runs next on the clock; null when it runs on events, by hand, or no more. */
  nextRun: ClockTime.nullable(),
  /** Profiles a scenario holds now. */
  holding: z.number().int(),
  /** Why it does not run now although it is not completed (its campaign is not active); null when it can run. */
  notRunning: z.string().nullable(),
  runs: z.array(ActivityRun),
});
export type Activity = z.infer<typeof Activity>;

const ActivityFields = {
  name: z.string().trim().min(1).max(MAX_ACTIVITY_NAME),
  segmentId: Id.nullable().optional(),
  ignoreLcg: z.boolean().optional(),
  ignoreSubscription: z.boolean().optional(),
  audienceExpansion: z.boolean().optional(),
  variants: z.array(AbVariant).max(26).optional(),
};

export const activityMethods = {
  'activity/list': method({
    doc: 'Activities of a campaign, or the external list (activities in no campaign) of a database.',
    args: z.union([z.strictObject({ campaignId: Id }), z.strictObject({ databaseId: Id, external: z.literal(true) })]),
    result: z.array(Activity),
  }),
  'activity/create': method({
    doc: 'Create an activity inside a campaign, or in the external list of a database.',
    args: z.strictObject({ databaseId: Id, campaignId: Id.optional(), type: ActivityType, ...ActivityFields }),
    result: Activity,
    mutates: true,
  }),
  'activity/update': method({
    doc: "Change an activity's name, segment, LCG switch, audience expansion or A/B variants.",
    args: z.strictObject({ activityId: Id, ...ActivityFields, name: ActivityFields.name.optional() }),
    result: Activity,
    mutates: true,
  }),
  'activity/move': method({
    doc: 'Attach an activity to a campaign, move it to another, or (campaignId null) out to the external list.',
    args: z.strictObject({
      activityId: Id,
      campaignId: Id.nullable(),
      /**
       * Attach from the external list (the guide's "attach an existing activity"): refused
       * when the activity is used by another campaign. Without it, an activity of another
       * campaign is moved from there.
       */
      attach: z.boolean().optional(),
    }),
    result: Activity,
    mutates: true,
  }),
  'activity/delete': method({
    doc: 'Delete an activity that has never run.',
    args: z.strictObject({ activityId: Id }),
    result: z.object({ activityId: Id }),
    mutates: true,
  }),
  'activity/previewRun': method({
    doc: 'What a run would do beyond recording recipients: the profiles an audience expansion adds, and the other campaigns that take them.',
    args: z.strictObject({ activityId: Id }),
    result: z.object({
      expansion: z
        .object({
          /** Profiles of the activity's segment outside the campaign: they go into the campaign's segment. */
          adding: z.number().int(),
          segmentName: z.string(),
          /** Other active campaigns on that segment: they take the added profiles too. */
          sharedWith: z.array(z.object({ campaignId: Id, name: z.string() })),
        })
        .nullable(),
      /** The sentence to show before the run; null when there is nothing to warn about. */
      warning: z.string().nullable(),
    }),
  }),
  'activity/run': method({
    doc: "Run an activity at the project clock's time: record who receives it, per group.",
    args: z.strictObject({ activityId: Id }),
    result: ActivityRun,
    mutates: true,
    long: true,
  }),
  'activity/launch': method({
    doc: 'Launch an activity on the clock: a broadcast or A/B test once at a time, a regular mailing on a schedule, a triggered mailing or a scenario on events of a type, a placement while active.',
    args: z.strictObject({ activityId: Id, timing: ActivityTiming, from: ClockTime.optional() }),
    result: Activity,
    mutates: true,
  }),
  'activity/stop': method({
    doc: 'Stop a launched activity: it runs no more (a scenario lets its profiles go).',
    args: z.strictObject({ activityId: Id }),
    result: Activity,
    mutates: true,
  }),
  'activity/recipients': method({
    doc: "A page of one run's recipients, with each one's group.",
    args: z.strictObject({
      runId: Id,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    result: ProfilePage.extend({
      groups: z.array(z.enum(['test', 'control'])),
      /** Each recipient's A/B variant (null for other activity types). */
      variants: z.array(z.string().nullable()),
    }),
  }),
} as const;
