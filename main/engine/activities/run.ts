/**
 * Running an activity at the project clock's time, offline: who would receive it is
 * recorded, per group, as a run with its recipient list, and who was left out, by reason.
 *
 * Recipients = the profiles of the activity's segment (or the whole campaign audience when
 * it has none) that are in the campaign audience, in Test only, or in both groups when the
 * activity ignores the LCG (transactional messages); and, unless a transactional activity
 * also ignores subscription, only subscribed profiles: marketing never reaches unsubscribed
 * or bounced profiles, nor unconfirmed ones (they have not confirmed their consent yet).
 * With audience expansion (campaigns on a static segment only) the segment's profiles
 * outside the campaign are first added to the campaign's segment and split by the campaign
 * engine (growCampaign), then reached as any member. The campaign's segment grows, so every
 * other active campaign on it takes them too: previewRun says so before, the run lists
 * the campaigns that gained profiles.
 *
 * Everything is set-based SQL inside one transaction; only an A/B test reads its
 * recipients out, to order them by hash and cut them into variants (variants.ts).
 */
import { REACHED_BY_MARKETING, type ActivityRun, type GainedCampaign, type LeftOut } from '../../../shared/contract/activities';
import type { ResultOf } from '../../../shared/contract/index';
import type { RunKind } from '../../../shared/contract/clock';
import { leftOutText } from '../../../shared/domain/left-out';
import { EngineError } from '../../../shared/contract/errors';
import { ACTIVITY_TYPE_LABELS } from '../../../shared/contract/activities';
import { checkCampaignAction } from '../../../shared/domain/campaign-status';
import { formatCount } from '../../../shared/format';
import { hashIds } from '../../workers/hash-in-pool';
import type { WorkerPool } from '../../workers/pool';
import { followAudienceChange, growCampaign } from '../campaigns/audience';
import { gcgMembersSql } from '../gcg/membership';
import { recordEvent } from '../campaigns/events';
import { profileTable } from '../databases/profile-table';
import { readMeta } from '../project/project-file';
import type { HandlerContext } from '../registry';
import { readKeyedIds } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';
import { refreshDynamic } from '../segments/dynamic';
import { requireActivity, requireCampaign, requireRun, requireSegment, type CampaignInfo, type StoredActivity } from './repository';
import { checkExpansion } from './rules';
import { assignVariants, variantCounts, variantSeed } from './variants';

const refused = (reason: string, details?: Record<string, unknown>): never => {
  throw new EngineError('REFUSED', reason, details);
};

/** Checks that the activity may run now; returns its campaign. */
export function checkRun(db: SqlDb, activity: StoredActivity): CampaignInfo {
  if (activity.campaignId === null) {
    return refused(`"${activity.name}" is in the external list: attach it to a campaign to run it.`, { activityId: activity.id });
  }
  const campaign = requireCampaign(db, activity.campaignId);
  const check = checkCampaignAction('runActivity', campaign.facts);
  if (!check.allowed) return refused(check.reason, { campaignId: campaign.id });
  if (activity.status === 'completed') {
    return refused(
      activity.type === 'broadcast'
        ? `"${activity.name}" is a broadcast and has already been sent: a broadcast runs once.`
        : `"${activity.name}" is completed and runs no more.`,
      { activityId: activity.id },
    );
  }
  if (activity.status === 'paused') {
    return refused(`"${activity.name}" is paused while the campaign's audience is rebuilt; it resumes when the rebuild is done.`, { activityId: activity.id });
  }
  if (activity.audienceExpansion) {
    const expansion = checkExpansion(activity.segmentId, campaign);
    if (!expansion.allowed) return refused(expansion.reason, { activityId: activity.id });
  }
  if (activity.segmentId !== null) {
    const segmentDb = db.scalar('SELECT database_id FROM segments WHERE id = ?', [activity.segmentId]);
    if (segmentDb === undefined) return refused(`The segment of "${activity.name}" no longer exists; choose another one.`);
    if (Number(segmentDb) !== campaign.databaseId) {
      return refused(`The segment of "${activity.name}" is of another database than the campaign's; choose a segment of the campaign's database.`);
    }
  }
  return campaign;
}

/** Members of the activity's segment in the campaign, now. */
function membersInCampaign(db: SqlDb, campaignId: number, segmentId: number): number {
  return Number(
    db.scalar(
      `SELECT COUNT(*) FROM segment_members sm
         JOIN campaign_members cm ON cm.campaign_id = ? AND cm.profile_key = sm.profile_key
        WHERE sm.segment_id = ?`,
      [campaignId, segmentId],
    ),
  );
}

/**
 * Audience expansion: the activity segment's profiles outside the campaign are added to the
 * campaign's static segment and split (sticky: nobody already in moves). Returns how many
 * of them are in the campaign now, and the other campaigns on that segment that took some.
 */
async function expandAudience(ctx: HandlerContext, db: SqlDb, campaign: CampaignInfo, segmentId: number): Promise<{ expanded: number; gained: GainedCampaign[] }> {
  const before = membersInCampaign(db, campaign.id, segmentId);
  const outside = readKeyedIds(
    db,
    `SELECT sm.profile_key, p.profile_id FROM segment_members sm
       JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = sm.profile_key
      WHERE sm.segment_id = ?
        AND NOT EXISTS (SELECT 1 FROM campaign_members cm WHERE cm.campaign_id = ? AND cm.profile_key = sm.profile_key)
      ORDER BY sm.profile_key`,
    [segmentId, campaign.id],
  );
  if (outside.count === 0) return { expanded: 0, gained: [] };
  // Profiles already in the campaign's segment (not yet allocated) stay there; adding is idempotent.
  const addToSegment = Array.from(outside.keys);
  ctx.progress('Adding the segment to the campaign', 0, outside.count, 'rows');
  await growCampaign(ctx, campaign.id, { reason: 'expansion', addToSegment });
  // The campaign's segment grew: the other active campaigns on it follow.
  const followed = await followAudienceChange(ctx, { segmentId: campaign.segmentId }, campaign.id);
  const gained = followed.filter((f) => f.joined > 0).map((f) => ({ campaignId: f.campaignId, name: f.name, joined: f.joined }));
  return { expanded: membersInCampaign(db, campaign.id, segmentId) - before, gained };
}

/** The SQL of who a run reaches among the campaign's members `cm` (joined to their profiles `p`). */
export function reachSql(activity: StoredActivity): { join: string; joinParams: number[]; where: string; whereParams: string[] } {
  const subscription = activity.ignoreSubscription ? '' : `AND p.subscription IN (${REACHED_BY_MARKETING.map(() => '?').join(', ')})`;
  return {
    join: activity.segmentId === null ? '' : 'JOIN segment_members sm ON sm.segment_id = ? AND sm.profile_key = cm.profile_key',
    joinParams: activity.segmentId === null ? [] : [activity.segmentId],
    where: `${activity.ignoreLcg ? '' : "AND cm.grp = 'test'"} ${subscription}`,
    whereParams: activity.ignoreSubscription ? [] : [...REACHED_BY_MARKETING],
  };
}

/**
 * Who run `runId` left out, by the first reason that applies (LeftOut): one pass over the
 * members, and one count of the GCG members of the reach (not exempt campaigns only). Its
 * recipients are recorded already: the pass reads the profile (its subscription) of the
 * others only.
 */
export function countLeftOut(db: SqlDb, campaign: CampaignInfo, activity: StoredActivity, runId: number, among: string | null = null): LeftOut {
  const table = profileTable(campaign.databaseId);
  // A run on events counts among the profiles of its events only (`among`: a table of profile_key, ours).
  const amongMembers = among === null ? '' : `AND cm.profile_key IN (SELECT profile_key FROM ${among})`;
  const amongSegment = among === null ? '' : `AND s.profile_key IN (SELECT profile_key FROM ${among})`;
  const left: LeftOut = { gcg: 0, outsideSegment: 0, lcg: 0, unsubscribed: 0, bounced: 0, unconfirmed: 0 };
  const inSegment = activity.segmentId === null ? '1' : 'EXISTS (SELECT 1 FROM segment_members sm WHERE sm.segment_id = ? AND sm.profile_key = cm.profile_key)';
  const rows = db.all<{ reason: string; n: number }>(
    `SELECT CASE WHEN NOT (${inSegment}) THEN 'outsideSegment'
                 WHEN ? = 0 AND cm.grp = 'control' THEN 'lcg'
                 WHEN ? = 0 AND p.subscription NOT IN (SELECT value FROM json_each(?)) THEN p.subscription
                 ELSE 'reached' END AS reason, COUNT(*) AS n
       FROM campaign_members cm CROSS JOIN ${table} p ON p.rowid = cm.profile_key
      WHERE cm.campaign_id = ? ${amongMembers}
        AND NOT EXISTS (SELECT 1 FROM activity_recipients r WHERE r.run_id = ? AND r.profile_key = cm.profile_key)
      GROUP BY reason`,
    [
      ...(activity.segmentId === null ? [] : [activity.segmentId]),
      activity.ignoreLcg ? 1 : 0,
      activity.ignoreSubscription ? 1 : 0,
      JSON.stringify(REACHED_BY_MARKETING),
      campaign.id,
      runId,
    ],
  );
  for (const row of rows) {
    const reason = String(row.reason);
    if (reason === 'outsideSegment' || reason === 'lcg' || reason === 'unsubscribed' || reason === 'bounced' || reason === 'unconfirmed') left[reason] = Number(row.n);
  }
  if (!campaign.gcgExempt) {
    const within = activity.segmentId === null ? '' : 'AND s.profile_key IN (SELECT profile_key FROM segment_members WHERE segment_id = ?)';
    left.gcg = Number(
      db.scalar(
        `SELECT COUNT(*) FROM segment_members s
          WHERE s.segment_id = ? AND s.profile_key IN (${gcgMembersSql(campaign.databaseId)}) ${within} ${amongSegment}
            AND NOT EXISTS (SELECT 1 FROM campaign_members cm WHERE cm.campaign_id = ? AND cm.profile_key = s.profile_key)`,
        [campaign.segmentId, ...(activity.segmentId === null ? [] : [activity.segmentId]), campaign.id],
      ),
    );
  }
  return left;
}

/** Runs the activity; see the module comment. The caller holds the transaction. `kind`: why it runs (by hand, on its schedule, ...). */
export async function runActivity(ctx: HandlerContext, db: SqlDb, activityId: number, kind: RunKind = 'manual'): Promise<ActivityRun> {
  const activity = requireActivity(db, activityId);
  const campaign = checkRun(db, activity);
  const clock = readMeta(db).clock;
  // Dynamic segments are evaluated at each use: the campaigns on the campaign's segment
  // follow its evaluation now ("audience tagging is triggered with each recalculation"),
  // and the activity's own segment is what its condition gives now.
  if (campaign.facts.segmentKind === 'dynamic') await followAudienceChange(ctx, { segmentId: campaign.segmentId }, null, 'recalculation');
  if (activity.segmentId !== null) refreshDynamic(db, activity.segmentId);
  const { expanded, gained } =
    activity.audienceExpansion && activity.segmentId !== null ? await expandAudience(ctx, db, campaign, activity.segmentId) : { expanded: 0, gained: [] };
  await ctx.checkpoint();

  db.run("INSERT INTO activity_runs (activity_id, campaign_id, clock, test, control, expanded, variants, kind) VALUES (?, ?, ?, 0, 0, ?, '{}', ?)", [
    activity.id,
    campaign.id,
    clock,
    expanded,
    kind,
  ]);
  const runId = Number(db.scalar('SELECT last_insert_rowid()'));
  ctx.progress('Recording the recipients', 0, null, 'rows');
  const reach = reachSql(activity);
  db.run(
    `INSERT INTO activity_recipients (run_id, profile_key, grp)
     SELECT ?, cm.profile_key, cm.grp FROM campaign_members cm ${reach.join}
       JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = cm.profile_key
      WHERE cm.campaign_id = ? ${reach.where}`,
    [runId, ...reach.joinParams, campaign.id, ...reach.whereParams],
  );
  const counts = { test: 0, control: 0 };
  for (const row of db.all<{ grp: string; n: number }>('SELECT grp, COUNT(*) AS n FROM activity_recipients WHERE run_id = ? GROUP BY grp', [runId])) {
    if (row.grp === 'test' || row.grp === 'control') counts[row.grp] = Number(row.n);
  }
  const leftOut = countLeftOut(db, campaign, activity, runId);
  const variants = activity.type === 'ab_test' ? await splitVariants(db, activity, campaign, runId, ctx.deps.splitPool) : {};
  db.run('UPDATE activity_runs SET test = ?, control = ?, variants = ?, left_out = ?, gained_campaigns = ? WHERE id = ?', [
    counts.test,
    counts.control,
    JSON.stringify(variants),
    JSON.stringify(leftOut),
    JSON.stringify(gained),
    runId,
  ]);
  // A broadcast is one-off; the other types keep running and may run again.
  markRan(db, activity);

  const parts = [`${formatCount(counts.test)} test`];
  if (activity.ignoreLcg) parts.push(`${formatCount(counts.control)} LCG`);
  if (expanded > 0) parts.push(`${formatCount(expanded)} added to the campaign by audience expansion`);
  for (const [name, n] of Object.entries(variants)) parts.push(`variant ${name} ${formatCount(n)}`);
  const left = leftOutText(leftOut);
  const also = gained.length === 0 ? '' : `; the expansion also grew ${gained.map((g) => `"${g.name}" (+${formatCount(g.joined)})`).join(', ')}`;
  recordEvent(db, campaign.id, clock, 'activity_run', `${ACTIVITY_TYPE_LABELS[activity.type]} "${activity.name}" ran${RAN_BECAUSE[kind]}: ${parts.join(', ')}${left ? `; left out: ${left}` : ''}${also}`, {
    data: { activityId: activity.id, runId, test: counts.test, control: counts.control, expanded },
  });
  return requireRun(db, runId);
}

/** How the run's event says why it ran. */
export const RAN_BECAUSE: Readonly<Record<RunKind, string>> = {
  manual: '',
  launch: ' at its launch',
  schedule: ' on its schedule',
  trigger: ' on events',
  scenario: ' on events',
  audience_change: " after the campaign's audience changed",
};

/** The activity has run: a broadcast is one-off and completes; the other types keep running. */
export function markRan(db: SqlDb, activity: StoredActivity): void {
  db.run('UPDATE activities SET launched = 1, status = ? WHERE id = ?', [activity.type === 'broadcast' ? 'completed' : 'active', activity.id]);
}

/**
 * What a run would do to other campaigns: an audience expansion puts the activity segment's
 * profiles into the campaign's segment, and every other active campaign on that segment
 * takes them too (that is why the guide allows expansion only on a static segment).
 */
export function previewRun(db: SqlDb, activityId: number): ResultOf<'activity/previewRun'> {
  const activity = requireActivity(db, activityId);
  if (!activity.audienceExpansion || activity.segmentId === null || activity.campaignId === null) return { expansion: null, warning: null };
  const campaign = requireCampaign(db, activity.campaignId);
  const segmentName = requireSegment(db, campaign.segmentId).name;
  const adding = Number(
    db.scalar(
      `SELECT COUNT(*) FROM segment_members a
        WHERE a.segment_id = ? AND NOT EXISTS (SELECT 1 FROM segment_members c WHERE c.segment_id = ? AND c.profile_key = a.profile_key)`,
      [activity.segmentId, campaign.segmentId],
    ),
  );
  const sharedWith = db
    .all<{ id: number; name: string }>("SELECT id, name FROM campaigns WHERE segment_id = ? AND id <> ? AND status = 'active' AND deleted_at IS NULL ORDER BY id", [
      campaign.segmentId,
      campaign.id,
    ])
    .map((r) => ({ campaignId: Number(r.id), name: String(r.name) }));
  const expansion = { adding, segmentName, sharedWith };
  if (adding === 0) return { expansion, warning: null };
  const others =
    sharedWith.length === 0
      ? 'No other active campaign is on that segment now.'
      : `The segment is shared: ${sharedWith.length === 1 ? 'the active campaign' : 'the active campaigns'} ${sharedWith.map((c) => `"${c.name}"`).join(', ')} ${sharedWith.length === 1 ? 'takes' : 'take'} them too.`;
  return {
    expansion,
    warning: `Audience expansion adds ${formatCount(adding)} profile${adding === 1 ? '' : 's'} to the campaign's segment "${segmentName}" (that is why it works only on a static segment). ${others}`,
  };
}

/** Cuts an A/B test's recipients into its variants (variants.ts) and stores each one's variant. */
async function splitVariants(db: SqlDb, activity: StoredActivity, campaign: CampaignInfo, runId: number, pool: WorkerPool | null): Promise<Record<string, number>> {
  const recipients = readKeyedIds(
    db,
    `SELECT r.profile_key, p.profile_id FROM activity_recipients r
       JOIN ${profileTable(campaign.databaseId)} p ON p.rowid = r.profile_key
      WHERE r.run_id = ? ORDER BY r.profile_key`,
    [runId],
  );
  const counts = variantCounts(recipients.count, activity.variants.map((v) => v.percent));
  const hashes = await hashIds(variantSeed(campaign.seed, activity.id), recipients.packed, recipients.count, pool);
  let ids: string[] | null = null;
  // Only an exact tie of two digests needs the IDs themselves.
  const idAt = (i: number) => (ids ??= new TextDecoder().decode(recipients.packed).split('\u001f'))[i]!;
  const variantOf = assignVariants(hashes, recipients.count, counts, idAt);
  const byVariant: number[][] = activity.variants.map(() => []);
  for (let i = 0; i < recipients.count; i += 1) byVariant[variantOf[i]!]!.push(recipients.keys[i]!);
  activity.variants.forEach((variant, v) => {
    if (byVariant[v]!.length === 0) return;
    db.run('UPDATE activity_recipients SET variant = ? WHERE run_id = ? AND profile_key IN (SELECT value FROM json_each(?))', [
      variant.name,
      runId,
      JSON.stringify(byVariant[v]),
    ]);
  });
  return Object.fromEntries(activity.variants.map((variant, v) => [variant.name, counts[v]!]));
}
