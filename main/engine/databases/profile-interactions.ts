/**
 * `profile/interactions`: the segments and campaigns of one profile. Every lookup goes by
 * (owner id, profile_key) on a primary key (segment_members, campaign_members,
 * gcg_members), once per segment or campaign of the database: a few index probes
 * whatever the size of the database, the segments or the campaigns.
 *
 * A profile that left a campaign has no member row and is not listed: its exit is in the
 * campaign's events, which are indexed by campaign, not by profile (finding it would read
 * every event of every campaign).
 */
import { CampaignStatus } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import { type CampaignPlace, type ProfileInteractions } from '../../../shared/contract/profile-interactions';
import { SegmentKind } from '../../../shared/contract/segments';
import type { SqlDb } from '../sqlite/database';
import { profileTable } from './profile-table';
import { requireDatabase } from './repository';

type CampaignRow = {
  id: number;
  name: string;
  status: string;
  gcg_exempt: number;
  grp: string | null;
  forced: number | null;
  since: string | null;
  in_segment: number;
};

export function profileInteractions(db: SqlDb, databaseId: number, profileId: string): ProfileInteractions {
  const database = requireDatabase(db, databaseId);
  const key = db.scalar(`SELECT rowid FROM ${profileTable(databaseId)} WHERE profile_id = ?`, [profileId]);
  if (key === undefined || key === null) {
    throw new EngineError('NOT_FOUND', `"${database.name}" has no profile with the ID "${profileId}".`, { databaseId, profileId });
  }
  const profileKey = Number(key);

  const segments = db
    .all<{ id: number; name: string; kind: string }>(
      `SELECT s.id, s.name, s.kind FROM segments s
        WHERE s.database_id = ? AND EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = s.id AND m.profile_key = ?)
        ORDER BY s.name COLLATE NOCASE, s.id`,
      [databaseId, profileKey],
    )
    .map((s) => ({ segmentId: Number(s.id), name: String(s.name), kind: SegmentKind.catch('static').parse(s.kind) }));

  // The GCG holds a profile out only while the database has one (a percentage above 0).
  const inGcg =
    Number(db.scalar('SELECT percent_bp FROM gcg_settings WHERE database_id = ?', [databaseId]) ?? 0) > 0 &&
    db.scalar('SELECT 1 FROM gcg_members WHERE database_id = ? AND profile_key = ?', [databaseId, profileKey]) !== undefined;

  const rows = db.all<CampaignRow>(
    `SELECT c.id, c.name, c.status, c.gcg_exempt, m.grp, m.forced, v.clock AS since,
            EXISTS (SELECT 1 FROM segment_members s WHERE s.segment_id = c.segment_id AND s.profile_key = ?) AS in_segment
       FROM campaigns c
       LEFT JOIN campaign_members m ON m.campaign_id = c.id AND m.profile_key = ?
       LEFT JOIN split_versions v ON v.id = m.version_id
      WHERE c.database_id = ? AND c.deleted_at IS NULL
      ORDER BY c.id DESC`,
    [profileKey, profileKey, databaseId],
  );
  const campaigns: ProfileInteractions['campaigns'] = [];
  for (const row of rows) {
    const group = placeOf(row, inGcg);
    if (group === null) continue;
    campaigns.push({
      campaignId: Number(row.id),
      name: String(row.name),
      status: CampaignStatus.parse(row.status),
      group,
      since: row.grp === null || row.since === null ? null : String(row.since),
      forced: Number(row.forced ?? 0) === 1,
    });
  }
  return { databaseId, profileId, segments, campaigns };
}

/** Where the profile is in a campaign, or null when it is not in it. */
function placeOf(row: CampaignRow, inGcg: boolean): CampaignPlace | null {
  if (row.grp !== null) return row.grp === 'control' ? 'lcg' : 'test';
  if (Number(row.in_segment) !== 1) return null;
  if (inGcg && Number(row.gcg_exempt) !== 1) return 'gcg';
  // In the segment of a campaign whose audience has not been built: the activation splits it.
  if (row.status === 'inactive') return 'audience';
  return null;
}
