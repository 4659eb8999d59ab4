/**
 * The group sizes of each campaign per stratum (table campaign_counts), kept in step with
 * campaign_members by everything that changes the members: counting a million members is a
 * second of WebAssembly, and lists, pages and status checks need the sizes all the time.
 * A build knows its numbers and writes them; rarer changes recount with one GROUP BY.
 */
import type { GroupSizes } from '../../../shared/contract/campaigns';
import type { SqlDb } from '../sqlite/database';

export interface StratumSize {
  readonly members: number;
  readonly control: number;
}

/** Members and control of each stratum of a campaign. */
export function strataSizes(db: SqlDb, campaignId: number): Map<number, StratumSize> {
  const rows = db.all<{ stratum: number; members: number; control: number }>(
    'SELECT stratum, members, control FROM campaign_counts WHERE campaign_id = ? ORDER BY stratum',
    [campaignId],
  );
  return new Map(rows.map((r) => [Number(r.stratum), { members: Number(r.members), control: Number(r.control) }]));
}

function sizesOf(members: number, control: number): GroupSizes {
  return { test: members - control, control, total: members };
}

export function groupSizes(db: SqlDb, campaignId: number): GroupSizes {
  const row = db.get<{ m: number; c: number }>('SELECT COALESCE(SUM(members), 0) AS m, COALESCE(SUM(control), 0) AS c FROM campaign_counts WHERE campaign_id = ?', [
    campaignId,
  ]);
  return sizesOf(Number(row?.m ?? 0), Number(row?.c ?? 0));
}

/** The group sizes of every campaign that has members. */
export function allGroupSizes(db: SqlDb): Map<number, GroupSizes> {
  const rows = db.all<{ id: number; m: number; c: number }>('SELECT campaign_id AS id, SUM(members) AS m, SUM(control) AS c FROM campaign_counts GROUP BY campaign_id');
  return new Map(rows.map((r) => [Number(r.id), sizesOf(Number(r.m), Number(r.c))]));
}

/** Replaces a campaign's counts with the given ones (strata without members are dropped). */
export function writeStrataSizes(db: SqlDb, campaignId: number, sizes: ReadonlyMap<number, StratumSize>): void {
  db.run('DELETE FROM campaign_counts WHERE campaign_id = ?', [campaignId]);
  const rows = [...sizes].filter(([, s]) => s.members > 0).map(([stratum, s]) => [stratum, s.members, s.control]);
  if (rows.length === 0) return;
  db.run(
    `INSERT INTO campaign_counts (campaign_id, stratum, members, control)
     SELECT ?, j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(?) j`,
    [campaignId, JSON.stringify(rows)],
  );
}

/**
 * Takes the members about to be removed (`keys`, a JSON array of profile keys) off a
 * campaign's counts, stratum by stratum: a lookup per leaver, not a recount of everyone.
 * Call it before deleting them.
 */
export function subtractMembers(db: SqlDb, campaignId: number, keys: string): void {
  const gone = db.all<{ stratum: number; n: number; c: number }>(
    `SELECT m.stratum AS stratum, COUNT(*) AS n, SUM(m.grp = 'control') AS c
       FROM json_each(?) j CROSS JOIN campaign_members m ON m.campaign_id = ? AND m.profile_key = j.value GROUP BY m.stratum`,
    [keys, campaignId],
  );
  const sizes = new Map(strataSizes(db, campaignId));
  for (const g of gone) {
    const size = sizes.get(Number(g.stratum)) ?? { members: 0, control: 0 };
    sizes.set(Number(g.stratum), { members: size.members - Number(g.n), control: size.control - Number(g.c) });
  }
  writeStrataSizes(db, campaignId, sizes);
}

/** Counts a campaign's members again from campaign_members (after a change made in SQL). */
export function recountMembers(db: SqlDb, campaignId: number): void {
  db.run('DELETE FROM campaign_counts WHERE campaign_id = ?', [campaignId]);
  db.run(
    `INSERT INTO campaign_counts (campaign_id, stratum, members, control)
     SELECT campaign_id, stratum, COUNT(*), SUM(grp = 'control') FROM campaign_members WHERE campaign_id = ? GROUP BY stratum`,
    [campaignId],
  );
}
