import { z } from 'zod';
import { FilePath, Instant, ClockTime } from './common';
import { Id } from './databases';
import { CsvOptions } from './imports';
import { method } from './method';
import { ProfilePage, ProfileSearch } from './profiles';
import { MAX_SEGMENT_NAME } from './limits';
import { conditionChoice, exactlyOneCondition } from './conditions';

const SegmentName = z.string().trim().min(1, 'The segment name cannot be empty.').max(MAX_SEGMENT_NAME);
const ProfileIdList = z.array(z.string().min(1).max(1000)).min(1).max(100_000);

/** How a static segment was made. */
export const SegmentSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('import'), importId: Id }),
  z.object({ kind: z.literal('csv'), fileName: z.string() }),
  z.object({ kind: z.literal('manual') }),
  /** From a condition, once: its canonical text and the project clock it was evaluated at. */
  z.object({ kind: z.literal('condition'), where: z.string(), clock: ClockTime }),
]);
export type SegmentSource = z.infer<typeof SegmentSource>;

/**
 * static: a fixed list of profiles (all, an import, a CSV list, by hand, or a condition once);
 * updatable: a condition recalculated on a schedule (and by "Recalculate now"), never edited
 * by hand, every recalculation kept; dynamic: a condition evaluated at each use.
 */
export const SegmentKind = z.enum(['static', 'updatable', 'dynamic']);
export type SegmentKind = z.infer<typeof SegmentKind>;

/** One recalculation of an updatable segment (number 1 is the one made when it was created). */
export const Recalculation = z.object({
  number: z.number().int().min(1),
  /** The project clock it was evaluated at. */
  clock: ClockTime,
  /** Wall clock, UTC. */
  at: Instant,
  /** Why it ran: the segment was created, the user asked, or its schedule fell due (issue 11). */
  reason: z.enum(['created', 'manual', 'schedule']),
  size: z.number().int(),
  joined: z.number().int(),
  left: z.number().int(),
});
export type Recalculation = z.infer<typeof Recalculation>;

/** An active campaign brought up to date after its segment changed: who joined and left it. */
export const FollowedCampaign = z.object({
  campaignId: Id,
  name: z.string(),
  joined: z.number().int(),
  left: z.number().int(),
});
export type FollowedCampaign = z.infer<typeof FollowedCampaign>;

export const Segment = z.object({
  id: Id,
  databaseId: Id,
  name: z.string(),
  kind: SegmentKind,
  /** How a static segment was made; for updatable and dynamic ones: { kind: 'condition' } with the condition at creation. */
  source: SegmentSource,
  /** Updatable and dynamic: the condition in canonical text; null for static. */
  where: z.string().nullable(),
  /** Updatable: the schedule in canonical text ("weekly mon 10:00"); null otherwise. */
  schedule: z.string().nullable(),
  /** Updatable: when its schedule falls due next, after the project clock; null otherwise. */
  nextRecalculation: ClockTime.nullable(),
  /** Updatable: its latest recalculation; null otherwise. */
  lastRecalculation: Recalculation.nullable(),
  /**
   * Members: static and updatable, the stored list (updatable: as of its last recalculation);
   * dynamic, as of its last evaluation (evaluatedClock).
   */
  size: z.number().int(),
  /** Dynamic: the project clock of its last evaluation (each use evaluates it anew); null otherwise. */
  evaluatedClock: ClockTime.nullable(),
  createdAt: Instant,
  createdClock: ClockTime,
  /** Campaigns and activities that use it (a used segment cannot be deleted). */
  usedBy: z.object({ campaigns: z.number().int(), activities: z.number().int() }),
});
export type Segment = z.infer<typeof Segment>;

/** What a list of IDs found: how many were added and which were not in the database. */
export const MembershipChange = z.object({
  segment: Segment,
  changed: z.number().int(),
  /** IDs that were already members (adding) or were not members (removing). */
  unchanged: z.number().int(),
  notFoundCount: z.number().int(),
  /** The first IDs not in the database, for the user to check. */
  notFound: z.array(z.string()),
});
export type MembershipChange = z.infer<typeof MembershipChange>;

/** What a condition gives now. */
export const ConditionPreview = z.object({
  /** The condition in canonical text. */
  where: z.string(),
  /** The project clock it was evaluated at. */
  clock: ClockTime,
  total: z.number().int(),
  /** The first matching profiles, in the order they were added to the database. */
  page: ProfilePage,
});
export type ConditionPreview = z.infer<typeof ConditionPreview>;

export const segmentMethods = {
  'segment/list': method({
    doc: 'The segments of a database (or of every database), with sizes and what uses them.',
    args: z.strictObject({ databaseId: Id.optional() }),
    result: z.array(Segment),
  }),
  'segment/get': method({
    doc: 'One segment, with its condition, schedule and latest recalculation.',
    args: z.strictObject({ segmentId: Id }),
    result: Segment,
  }),
  'segment/create': method({
    doc: 'Create a segment. Static: from all profiles of a database, the profiles of one import, a CSV list of IDs, a condition (once, on the project clock), or empty. Updatable (a condition and a schedule; calculated once now, as recalculation 1) and dynamic (a condition evaluated at each use): from a condition only.',
    args: z.strictObject({
      databaseId: Id,
      name: SegmentName,
      type: SegmentKind.default('static'),
      /** Updatable only, and required there: "every 6 hours", "daily 09:00", "weekly mon,thu 10:00", "monthly 1 08:00". */
      schedule: z.string().max(200).optional(),
      from: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('all') }),
        z.strictObject({ kind: z.literal('import'), importId: Id }),
        z.strictObject({
          kind: z.literal('csv'),
          path: FilePath,
          /** The column holding the IDs: a header name or a 0-based index; by default the ID-like column, or the first. */
          column: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
          options: CsvOptions.partial().optional(),
        }),
        z.strictObject({ kind: z.literal('empty') }),
        z.strictObject({ kind: z.literal('condition'), ...conditionChoice }).refine(...exactlyOneCondition),
      ]),
    }),
    result: MembershipChange,
    mutates: true,
    long: true,
  }),
  'segment/recalculate': method({
    doc: 'Recalculate an updatable segment now, on the project clock: its members become what its condition gives, the recalculation is recorded (size, joined, left), and every active campaign on it follows at once (leavers leave with a "Campaign exit" event, newcomers and returning profiles are split).',
    args: z.strictObject({ segmentId: Id }),
    result: z.object({ segment: Segment, recalculation: Recalculation, campaigns: z.array(FollowedCampaign) }),
    mutates: true,
    long: true,
  }),
  'segment/history': method({
    doc: 'The recalculations of an updatable segment, newest first.',
    args: z.strictObject({ segmentId: Id }),
    result: z.array(Recalculation),
  }),
  'segment/rename': method({
    doc: 'Rename a segment.',
    args: z.strictObject({ segmentId: Id, name: SegmentName }),
    result: Segment,
    mutates: true,
  }),
  'segment/delete': method({
    doc: 'Delete a segment that no campaign or activity uses.',
    args: z.strictObject({ segmentId: Id }),
    result: z.object({ segmentId: Id, members: z.number().int() }),
    mutates: true,
  }),
  'segment/addProfiles': method({
    doc: 'Add profiles to a static segment by their profile IDs.',
    args: z.strictObject({ segmentId: Id, profileIds: ProfileIdList }),
    result: MembershipChange,
    mutates: true,
  }),
  'segment/removeProfiles': method({
    doc: 'Remove profiles from a static segment by their profile IDs.',
    args: z.strictObject({ segmentId: Id, profileIds: ProfileIdList }),
    result: MembershipChange,
    mutates: true,
  }),
  'segment/preview': method({
    doc: 'Evaluate a condition on a database now (on the project clock): how many profiles match, and the first of them. Changes nothing.',
    args: z
      .strictObject({ databaseId: Id, ...conditionChoice, limit: z.number().int().min(0).max(1000).default(10) })
      .refine(...exactlyOneCondition),
    result: ConditionPreview,
  }),
  'segment/members': method({
    doc: 'A page of the profiles in a segment, sorted and searched like the profile table (a dynamic segment is evaluated first; an updatable one can be read as of a past recalculation).',
    args: z.strictObject({
      segmentId: Id,
      /** Updatable: the members as of this recalculation (its number); the current ones by default. */
      recalculation: z.number().int().min(1).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      search: ProfileSearch.optional(),
    }),
    result: ProfilePage,
  }),
} as const;
