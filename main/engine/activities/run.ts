/**
 * Running an activity at the project clock's time, offline: who would receive it is
 * recorded, per group, as a run with its recipient list.
 *
 * Recipients = the profiles of the activity's segment (or the whole campaign audience when
 * it has none) that are in the campaign audience, in Test only, or in both groups when the
 * activity ignores the LCG (transactional messages). With audience expansion (campaigns on
 * a static segment only) the segment's profiles outside the campaign are first added to
 * the campaign's segment and split by the campaign engine (growCampaign), then reached as
 * any member: their Test part, or all of them when the LCG is ignored.
 *
 * Everything is set-based SQL inside one transaction; only an A/B test reads its
 * recipients out, to order them by hash and cut them into variants (variants.ts).
 */
import type { ActivityRun } from '../../../shared/contract/activities';
import { EngineError } from '../../../shared/contract/errors';
import { ACTIVITY_TYPE_LABELS } from '../../../shared/contract/activities';
import { checkCampaignAction } from '../../../shared/domain/campaign-status';
import { formatCount } from '../../../shared/format';
import { hashIds } from '../../workers/hash-in-pool';
import type { WorkerPool } from '../../workers/pool';
import { followAudienceChange, growCampaign } from '../campaigns/audience';
import { recordEvent } from '../campaigns/events';
import { profileTable } from '../databases/profile-table';
import { readMeta } from '../project/project-file';
import type { HandlerContext } from '../registry';
import { readKeyedIds } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';
import { requireActivity, requireCampaign, requireRun, type CampaignInfo, type StoredActivity } from './repository';
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
 * campaign's static segment and split (sticky: nobody already in moves). Returns how many of
 * them are in the campaign now.
 */
async function expandAudience(ctx: HandlerContext, db: SqlDb, campaign: CampaignInfo, segmentId: number): Promise<number> {
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
  if (outside.count === 0) return 0;
  // Profiles already in the campaign's segment (not yet allocated) stay there; adding is idempotent.
  const addToSegment = Array.from(outside.keys);
  ctx.progress('Adding the segment to the campaign', 0, outside.count, 'rows');
  await growCampaign(ctx, campaign.id, { reason: 'expansion', addToSegment });
  // The campaign's segment grew: the other active campaigns on it follow.
  await followAudienceChange(ctx, { segmentId: campaign.segmentId }, campaign.id);
  return membersInCampaign(db, campaign.id, segmentId) - before;
}

/** Runs the activity; see the module comment. The caller holds the transaction. */
export async function runActivity(ctx: HandlerContext, db: SqlDb, activityId: number): Promise<ActivityRun> {
  const activity = requireActivity(db, activityId);
  const campaign = checkRun(db, activity);
  const clock = readMeta(db).clock;
  const expanded = activity.audienceExpansion && activity.segmentId !== null ? await expandAudience(ctx, db, campaign, activity.segmentId) : 0;
  await ctx.checkpoint();

  db.run("INSERT INTO activity_runs (activity_id, campaign_id, clock, test, control, expanded, variants) VALUES (?, ?, ?, 0, 0, ?, '{}')", [
    activity.id,
    campaign.id,
    clock,
    expanded,
  ]);
  const runId = Number(db.scalar('SELECT last_insert_rowid()'));
  ctx.progress('Recording the recipients', 0, null, 'rows');
  const groupFilter = activity.ignoreLcg ? '' : "AND cm.grp = 'test'";
  if (activity.segmentId === null) {
    db.run(
      `INSERT INTO activity_recipients (run_id, profile_key, grp)
       SELECT ?, cm.profile_key, cm.grp FROM campaign_members cm WHERE cm.campaign_id = ? ${groupFilter}`,
      [runId, campaign.id],
    );
  } else {
    db.run(
      `INSERT INTO activity_recipients (run_id, profile_key, grp)
       SELECT ?, cm.profile_key, cm.grp FROM segment_members sm
         JOIN campaign_members cm ON cm.campaign_id = ? AND cm.profile_key = sm.profile_key
        WHERE sm.segment_id = ? ${groupFilter}`,
      [runId, campaign.id, activity.segmentId],
    );
  }
  const counts = { test: 0, control: 0 };
  for (const row of db.all<{ grp: string; n: number }>('SELECT grp, COUNT(*) AS n FROM activity_recipients WHERE run_id = ? GROUP BY grp', [runId])) {
    if (row.grp === 'test' || row.grp === 'control') counts[row.grp] = Number(row.n);
  }
  const variants = activity.type === 'ab_test' ? await splitVariants(db, activity, campaign, runId, ctx.deps.splitPool) : {};
  db.run('UPDATE activity_runs SET test = ?, control = ?, variants = ? WHERE id = ?', [counts.test, counts.control, JSON.stringify(variants), runId]);
  // A broadcast is one-off; the other types keep running and may run again.
  db.run('UPDATE activities SET launched = 1, status = ? WHERE id = ?', [activity.type === 'broadcast' ? 'completed' : 'active', activity.id]);

  const parts = [`${formatCount(counts.test)} test`];
  if (activity.ignoreLcg) parts.push(`${formatCount(counts.control)} LCG`);
  if (expanded > 0) parts.push(`${formatCount(expanded)} added to the campaign by audience expansion`);
  for (const [name, n] of Object.entries(variants)) parts.push(`variant ${name} ${formatCount(n)}`);
  recordEvent(db, campaign.id, clock, 'activity_run', `${ACTIVITY_TYPE_LABELS[activity.type]} "${activity.name}" ran: ${parts.join(', ')}`, {
    data: { activityId: activity.id, runId, test: counts.test, control: counts.control, expanded },
  });
  return requireRun(db, runId);
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
