/**
 * Activities as stored (activities, activity_runs) and the facts about campaigns and
 * segments their rules need, read from the campaign engine's tables.
 */
import { z } from 'zod';
import { AbVariant, ActivityType, GainedCampaign, LeftOut, type Activity, type ActivityRun } from '../../../shared/contract/activities';
import { ActivityTiming, RunKind } from '../../../shared/contract/clock';
import { isClockTime } from '../../../shared/domain/clock';
import { EngineError } from '../../../shared/contract/errors';
import { audienceAdditionRefusal, segmentKindOf, type CampaignFacts, type CampaignSegmentKind, type CampaignStatus } from '../../../shared/domain/campaign-status';
import { formatClock } from '../../../shared/format';
import type { SqlDb } from '../sqlite/database';
import { holdingNow, nextRunOf } from './timing';

export type ActivityStatus = Activity['status'];

/** An activity row, before its runs and the campaign's status are taken into account. */
export interface StoredActivity {
  readonly id: number;
  readonly databaseId: number;
  readonly campaignId: number | null;
  readonly name: string;
  readonly type: ActivityType;
  readonly segmentId: number | null;
  readonly ignoreLcg: boolean;
  readonly ignoreSubscription: boolean;
  readonly audienceExpansion: boolean;
  readonly variants: z.infer<typeof AbVariant>[];
  readonly status: ActivityStatus;
  readonly launched: boolean;
  /** How it runs on the clock (timing.ts); null: by hand only, or unreadable in the file. */
  readonly timing: ActivityTiming | null;
  readonly launchAt: string | null;
}

export interface CampaignInfo {
  readonly id: number;
  readonly name: string;
  readonly databaseId: number;
  readonly segmentId: number;
  readonly seed: string;
  /** Its audience keeps the global control group's members. */
  readonly gcgExempt: boolean;
  readonly facts: CampaignFacts;
}

const Variants = z.array(AbVariant);
const RunVariants = z.record(z.string(), z.number().int());
const GainedList = z.array(GainedCampaign);
const STATUSES = new Set<string>(['inactive', 'active', 'paused', 'completed']);

const ACTIVITY_COLUMNS =
  'id, database_id, campaign_id, name, type, segment_id, ignore_lcg, ignore_subscription, audience_expansion, variants, status, launched, timing, launch_at';
const RUN_COLUMNS = 'id, activity_id, campaign_id, clock, test, control, expanded, variants, left_out, gained_campaigns, kind, messages, window_from, window_to';

type Raw = Record<string, string | number | null | Uint8Array>;

function parseJson<T>(schema: z.ZodType<T>, text: unknown, fallback: T): T {
  try {
    const parsed = schema.safeParse(JSON.parse(String(text)));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

function toStored(row: Raw): StoredActivity {
  const type = ActivityType.safeParse(row.type);
  const status = String(row.status);
  return {
    id: Number(row.id),
    databaseId: Number(row.database_id),
    campaignId: row.campaign_id === null ? null : Number(row.campaign_id),
    name: String(row.name),
    // A file edited by hand may hold an unknown type: it reads as a broadcast, the simplest.
    type: type.success ? type.data : 'broadcast',
    segmentId: row.segment_id === null ? null : Number(row.segment_id),
    ignoreLcg: Number(row.ignore_lcg) === 1,
    // Only a transactional activity (one that ignores the LCG) may ignore subscription.
    ignoreSubscription: Number(row.ignore_lcg) === 1 && Number(row.ignore_subscription) === 1,
    audienceExpansion: Number(row.audience_expansion) === 1,
    variants: parseJson(Variants, row.variants, []),
    status: STATUSES.has(status) ? (status as ActivityStatus) : 'inactive',
    launched: Number(row.launched) === 1,
    // A file comes from someone else: a timing or time this version would not write reads as none.
    timing: row.timing === null || row.timing === undefined ? null : parseJson(ActivityTiming.nullable(), row.timing, null),
    launchAt: typeof row.launch_at === 'string' && isClockTime(row.launch_at) ? row.launch_at : null,
  };
}

export function findActivity(db: SqlDb, activityId: number): StoredActivity | null {
  const row = db.get<Raw>(`SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE id = ?`, [activityId]);
  return row ? toStored(row) : null;
}

export function requireActivity(db: SqlDb, activityId: number): StoredActivity {
  const found = findActivity(db, activityId);
  if (!found) throw new EngineError('NOT_FOUND', `There is no activity with id ${activityId}.`, { activityId });
  return found;
}

export function runsOf(db: SqlDb, activityId: number): ActivityRun[] {
  return db
    .all<Raw>(`SELECT ${RUN_COLUMNS} FROM activity_runs WHERE activity_id = ? ORDER BY id`, [activityId])
    .map(toRun);
}

function toRun(row: Raw): ActivityRun {
  return {
    id: Number(row.id),
    activityId: Number(row.activity_id),
    campaignId: Number(row.campaign_id),
    clock: String(row.clock),
    test: Number(row.test),
    control: Number(row.control),
    expanded: Number(row.expanded),
    variants: parseJson(RunVariants, row.variants, {}),
    leftOut: row.left_out === null || row.left_out === undefined ? null : parseJson(LeftOut.nullable(), row.left_out, null),
    gainedCampaigns: row.gained_campaigns === null || row.gained_campaigns === undefined ? [] : parseJson(GainedList, row.gained_campaigns, []),
    kind: RunKind.safeParse(row.kind).data ?? 'manual',
    messages: row.messages === null || row.messages === undefined ? Number(row.test) + Number(row.control) : Number(row.messages),
    window:
      typeof row.window_from === 'string' && typeof row.window_to === 'string' && isClockTime(row.window_from) && isClockTime(row.window_to)
        ? { from: row.window_from, to: row.window_to }
        : null,
  };
}

export function requireRun(db: SqlDb, runId: number): ActivityRun {
  const row = db.get<Raw>(`SELECT ${RUN_COLUMNS} FROM activity_runs WHERE id = ?`, [runId]);
  if (!row) throw new EngineError('NOT_FOUND', `There is no activity run with id ${runId}.`, { runId });
  return toRun(row);
}

/** Why an activity of a campaign in this state does not run now; null while the campaign is active. */
function heldBy(campaign: Raw | undefined): string | null {
  if (!campaign) return 'It is in the external list: it runs only as part of a campaign.';
  switch (String(campaign.status)) {
    case 'active':
    case 'completed':
      return null;
    case 'waiting':
      return `It does not run until the campaign starts${campaign.activate_at === null ? '' : ` at ${formatClock(String(campaign.activate_at))}`}.`;
    case 'audience_building':
      return "It does not run while the campaign's audience is being built.";
    case 'audience_exclusion':
      return 'It does not run: the campaign is removing its profiles.';
    default:
      return campaign.activated_clock === null
        ? 'It does not run until the campaign is activated.'
        : 'It does not run: the campaign is deactivated. Activate the campaign to run it again.';
  }
}

/**
 * The activity as the contract shows it: an activity of a completed campaign is completed,
 * whatever it was doing (the campaign never runs again); one of a campaign that is not
 * active says that it does not run.
 */
export function toActivity(db: SqlDb, stored: StoredActivity): Activity {
  let status = stored.status;
  const campaign =
    stored.campaignId === null ? undefined : db.get<Raw>('SELECT status, activated_clock, activate_at FROM campaigns WHERE id = ?', [stored.campaignId]);
  if (campaign?.status === 'completed') status = 'completed';
  const notRunning = status === 'completed' ? null : heldBy(campaign);
  return {
    ...stored,
    variants: stored.variants.map((v) => ({ ...v })),
    status,
    notRunning,
    runs: runsOf(db, stored.id),
    nextRun: status === 'completed' ? null : nextRunOf(db, stored),
    holding: stored.type === 'scenario' ? holdingNow(db, stored.id) : 0,
  };
}

/** A copied activity of copyActivities. */
export interface CopiedActivity {
  readonly id: number;
  readonly copiedFrom: number;
  readonly name: string;
  readonly type: ActivityType;
  /** Audience expansion was on and had to go: the new campaign is not on a static segment. */
  readonly expansionOff: boolean;
}

/**
 * Copies every activity of one campaign into another (a clone): the same name, type,
 * segment and switches, as new activities that have never run. Inside the caller's
 * transaction.
 */
export function copyActivities(db: SqlDb, fromCampaignId: number, toCampaignId: number, options: { segmentKind: CampaignSegmentKind; createdAt: string }): CopiedActivity[] {
  const sources = db.all<Raw>(`SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE campaign_id = ? ORDER BY id`, [fromCampaignId]).map(toStored);
  return sources.map((a) => {
    const expansionOff = a.audienceExpansion && audienceAdditionRefusal(options.segmentKind, 'expansion') !== null;
    db.run(
      `INSERT INTO activities (database_id, campaign_id, name, type, segment_id, ignore_lcg, ignore_subscription, audience_expansion, variants, status, launched, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'inactive', 0, ?)`,
      [
        a.databaseId,
        toCampaignId,
        a.name,
        a.type,
        a.segmentId,
        a.ignoreLcg ? 1 : 0,
        a.ignoreSubscription ? 1 : 0,
        a.audienceExpansion && !expansionOff ? 1 : 0,
        JSON.stringify(a.variants),
        options.createdAt,
      ],
    );
    return { id: Number(db.scalar('SELECT last_insert_rowid()')), copiedFrom: a.id, name: a.name, type: a.type, expansionOff };
  });
}

export function listActivities(db: SqlDb, where: { campaignId: number } | { databaseId: number }): Activity[] {
  const rows =
    'campaignId' in where
      ? db.all<Raw>(`SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE campaign_id = ? ORDER BY id`, [where.campaignId])
      : db.all<Raw>(`SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE database_id = ? AND campaign_id IS NULL ORDER BY id`, [where.databaseId]);
  return rows.map((row) => toActivity(db, toStored(row)));
}

export function findCampaign(db: SqlDb, campaignId: number): CampaignInfo | null {
  const row = db.get<Raw>(
    `SELECT c.id, c.name, c.database_id, c.segment_id, c.seed, c.gcg_exempt, c.status, c.deleted_at,
            (SELECT COUNT(*) FROM activities a WHERE a.campaign_id = c.id) AS activity_count,
            (SELECT COALESCE(SUM(n.members), 0) FROM campaign_counts n WHERE n.campaign_id = c.id) AS allocated,
            (SELECT s.kind FROM segments s WHERE s.id = c.segment_id) AS segment_kind
       FROM campaigns c WHERE c.id = ?`,
    [campaignId],
  );
  if (!row) return null;
  return {
    id: Number(row.id),
    name: String(row.name),
    databaseId: Number(row.database_id),
    segmentId: Number(row.segment_id),
    seed: String(row.seed),
    gcgExempt: Number(row.gcg_exempt) === 1,
    facts: {
      status: String(row.status) as CampaignStatus,
      deleted: row.deleted_at !== null,
      activityCount: Number(row.activity_count),
      allocated: Number(row.allocated),
      segmentKind: segmentKindOf(row.segment_kind),
    },
  };
}

export function requireCampaign(db: SqlDb, campaignId: number): CampaignInfo {
  const found = findCampaign(db, campaignId);
  if (!found) throw new EngineError('NOT_FOUND', `There is no campaign with id ${campaignId}.`, { campaignId });
  return found;
}

export interface SegmentInfo {
  readonly id: number;
  readonly databaseId: number;
  readonly name: string;
}

export function requireSegment(db: SqlDb, segmentId: number): SegmentInfo {
  const row = db.get<Raw>('SELECT id, database_id, name FROM segments WHERE id = ?', [segmentId]);
  if (!row) throw new EngineError('NOT_FOUND', `There is no segment with id ${segmentId}.`, { segmentId });
  return { id: Number(row.id), databaseId: Number(row.database_id), name: String(row.name) };
}

export function databaseName(db: SqlDb, databaseId: number): string {
  const name = db.scalar('SELECT name FROM databases WHERE id = ?', [databaseId]);
  return name === undefined || name === null ? `#${databaseId}` : String(name);
}
