/**
 * Rows that other parts of the engine make (campaigns, activities, runs), written straight
 * into their tables, so segment, GCG and export tests can see them used.
 */
import { createHash } from 'node:crypto';
import type { SqlDb } from '../../../../main/engine/sqlite/database';

export function insertCampaign(
  db: SqlDb,
  campaign: { name: string; databaseId: number; segmentId: number; deleted?: boolean; exempt?: boolean },
): number {
  db.run(
    `INSERT INTO campaigns (name, database_id, segment_id, status, seed, lcg, gcg_exempt, created_at, created_clock, deleted_at)
     VALUES (?, ?, ?, 'inactive', 'seed', '{"percent":null,"limit":null,"strata":[]}', ?, '2026-11-29T10:15:00.000Z', '2026-11-29T10:15', ?)`,
    [campaign.name, campaign.databaseId, campaign.segmentId, campaign.exempt ? 1 : 0, campaign.deleted ? '2026-11-30T10:00:00.000Z' : null],
  );
  return Number(db.scalar('SELECT last_insert_rowid()'));
}

export function insertActivity(db: SqlDb, activity: { name: string; databaseId: number; segmentId: number | null; campaignId?: number | null }): number {
  db.run(
    `INSERT INTO activities (database_id, campaign_id, name, type, segment_id, status, created_at)
     VALUES (?, ?, ?, 'broadcast', ?, 'inactive', '2026-11-29T10:15:00.000Z')`,
    [activity.databaseId, activity.campaignId ?? null, activity.name, activity.segmentId],
  );
  return Number(db.scalar('SELECT last_insert_rowid()'));
}

/** Records a split version for a campaign (once): its audience counts as built, as members imply. */
export function markBuilt(db: SqlDb, campaignId: number): void {
  db.run(
    `INSERT INTO split_versions (campaign_id, clock, built_at, reason, seed, lcg, audience, control_total, joined, left_count, strata, shortfall, surplus)
     SELECT ?, '2026-11-29T10:15', '2026-11-29T10:15:00.000Z', 'activation', 'seed', '{"percent":null,"limit":null,"strata":[]}', 0, 0, 0, 0, '[]', 0, 0
      WHERE NOT EXISTS (SELECT 1 FROM split_versions WHERE campaign_id = ?)`,
    [campaignId, campaignId],
  );
}

/** Puts profiles (by profile ID) into a campaign's groups (its audience counts as built). */
export function insertCampaignMembers(db: SqlDb, campaignId: number, databaseId: number, members: Readonly<Record<string, 'test' | 'control'>>): void {
  markBuilt(db, campaignId);
  for (const [profileId, grp] of Object.entries(members)) {
    db.run(
      `INSERT INTO campaign_members (campaign_id, profile_key, grp, stratum, version_id)
       SELECT ?, rowid, ?, 0, 1 FROM profiles_${databaseId} WHERE profile_id = ?`,
      [campaignId, grp, profileId],
    );
  }
}

/** A run of an activity with its recipients (by profile ID); returns the run id. */
export function insertRun(db: SqlDb, activityId: number, campaignId: number, databaseId: number, recipients: Readonly<Record<string, 'test' | 'control'>>): number {
  const groups = Object.values(recipients);
  db.run(`INSERT INTO activity_runs (activity_id, campaign_id, clock, test, control, expanded) VALUES (?, ?, '2026-11-29T10:15', ?, ?, 0)`, [
    activityId,
    campaignId,
    groups.filter((g) => g === 'test').length,
    groups.filter((g) => g === 'control').length,
  ]);
  const runId = Number(db.scalar('SELECT last_insert_rowid()'));
  for (const [profileId, grp] of Object.entries(recipients)) {
    db.run(`INSERT INTO activity_recipients (run_id, profile_key, grp) SELECT ?, rowid, ? FROM profiles_${databaseId} WHERE profile_id = ?`, [runId, grp, profileId]);
  }
  return runId;
}

/** md5(text) as lowercase hex, by Node's own implementation (independent of the app's). */
export const nodeMd5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/**
 * The `count` IDs first in the order of STATS.md 1.3: md5(seed ":" id) ascending, then the
 * ID by its UTF-8 bytes. Computed here from scratch, to check the engine against.
 */
export function lowestByMd5(ids: readonly string[], seed: string, count: number): string[] {
  return ids
    .map((id) => ({ id, h: nodeMd5(`${seed}:${id}`) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : Buffer.compare(Buffer.from(a.id), Buffer.from(b.id))))
    .slice(0, count)
    .map((x) => x.id);
}
