/**
 * The group sizes of each campaign per stratum (table campaign_counts), kept in step with
 * campaign_members by everything that changes the members: counting a million members is a
 * second of WebAssembly, and lists, pages and status checks need the sizes all the time.
 * A build knows its numbers and writes them; rarer changes recount with one GROUP BY.
 * Every write here also logs the totals on the project clock (campaign_sizes, the
 * campaign's timeline), so no path that changes the groups can forget to.
 */
import type { GroupSizes } from '../../../shared/contract/campaigns';
import { readMeta } from '../project/project-file';
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
  if (rows.length > 0) {
    db.run(
      `INSERT INTO campaign_counts (campaign_id, stratum, members, control)
       SELECT ?, j.value ->> 0, j.value ->> 1, j.value ->> 2 FROM json_each(?) j`,
      [campaignId, JSON.stringify(rows)],
    );
  }
  logSizes(db, campaignId);
}

/**
 * Takes members about to be removed off a campaign's counts, stratum by stratum, not a
 * recount of everyone: `leavers` is a table of ours holding their rows (stratum, grp).
 */
export function subtractMembers(db: SqlDb, campaignId: number, leavers: string): void {
  const gone = db.all<{ stratum: number; n: number; c: number }>(`SELECT stratum, COUNT(*) AS n, SUM(grp = 'control') AS c FROM ${leavers} GROUP BY stratum`);
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
  logSizes(db, campaignId);
}

/** Everyone in the LCG counts as Test now (the members were moved in SQL by the caller). */
export function clearControl(db: SqlDb, campaignId: number): void {
  db.run('UPDATE campaign_counts SET control = 0 WHERE campaign_id = ?', [campaignId]);
  logSizes(db, campaignId);
}

interface SizesRow {
  readonly seq: number;
  readonly clock: string;
  readonly test: number;
  readonly control: number;
}

/**
 * Logs the campaign's totals at the project clock: a row per moment its sizes changed.
 * Totals equal to the last row are no change. Several changes at one moment (leavers taken
 * off, then newcomers added) keep the last totals of that moment in one row, and a moment
 * that ends where the one before it ended leaves no row.
 */
function logSizes(db: SqlDb, campaignId: number): void {
  const { test, control } = groupSizes(db, campaignId);
  const clock = readMeta(db).clock;
  const [last, before] = db
    .all<{ seq: number; clock: string; test: number; control: number }>('SELECT seq, clock, test, control FROM campaign_sizes WHERE campaign_id = ? ORDER BY seq DESC LIMIT 2', [campaignId])
    .map((r) => ({ seq: Number(r.seq), clock: String(r.clock), test: Number(r.test), control: Number(r.control) }));
  const same = (row: SizesRow | undefined) => row !== undefined && row.test === test && row.control === control;
  if (same(last)) return;
  if (last !== undefined && last.clock === clock) {
    if (same(before)) db.run('DELETE FROM campaign_sizes WHERE campaign_id = ? AND seq = ?', [campaignId, last.seq]);
    else db.run('UPDATE campaign_sizes SET test = ?, control = ? WHERE campaign_id = ? AND seq = ?', [test, control, campaignId, last.seq]);
    return;
  }
  db.run('INSERT INTO campaign_sizes (campaign_id, seq, clock, test, control) VALUES (?, ?, ?, ?, ?)', [campaignId, (last?.seq ?? 0) + 1, clock, test, control]);
}
