/**
 * A small hand-made database for condition tests: five profiles, their events and
 * memberships, on the clock Monday 2026-04-10 10:00. Each test names the profiles a
 * condition must give, computed by hand from the rows below.
 */
import { parseCondition, syntaxErrorText } from '../../../../shared/conditions/parse';
import { compileCondition } from '../../../../main/engine/conditions/compile';
import { profileTable } from '../../../../main/engine/databases/profile-table';
import { addEvent, eventsByProfileTable, eventsTable, lastEventSeq } from '../../../../main/engine/events/table';
import type { SqlDb } from '../../../../main/engine/sqlite/database';
import { startDatabaseProject, type DatabaseProject } from '../databases/helpers';
import { insertCampaign, insertCampaignMembers } from '../segments/helpers';

export function addEvents(db: SqlDb, databaseId: number, events: readonly [profileId: string, type: string, at: string, amount?: number | null][]): void {
  if (events.length <= 20) {
    for (const [id, type, at, amount] of events) {
      const profileKey = db.scalar(`SELECT rowid FROM ${profileTable(databaseId)} WHERE profile_id = ?`, [id]);
      if (profileKey !== undefined && profileKey !== null) addEvent(db, databaseId, { profileKey: Number(profileKey), type, at, amount: amount ?? null });
    }
    return;
  }
  // Many at once: numbered in the order given, after the events already there (as addEvent numbers them one by one).
  const first = lastEventSeq(db, databaseId) + 1;
  db.run(
    `INSERT INTO ${eventsTable(databaseId)} (profile_key, type, at, amount, note, import_id, seq)
     SELECT p.rowid, j.value ->> 1, j.value ->> 2, j.value ->> 3, NULL, NULL, ? + j.key
       FROM json_each(?) j JOIN ${profileTable(databaseId)} p ON p.profile_id = j.value ->> 0`,
    [first, JSON.stringify(events.map(([id, type, at, amount]) => [id, type, at, amount ?? null]))],
  );
  db.run(`INSERT INTO ${eventsByProfileTable(databaseId)} (profile_key, at, seq, type) SELECT profile_key, at, seq, type FROM ${eventsTable(databaseId)} WHERE seq >= ?`, [first]);
}

export function setClock(db: SqlDb, clock: string): void {
  db.run("UPDATE meta SET value = ? WHERE key = 'clock'", [clock]);
}

export interface ConditionProject extends DatabaseProject {
  readonly vipSegment: number;
  readonly allSegment: number;
  readonly spring: number;
  /** The profile IDs a condition (text) gives, sorted. */
  where(text: string): string[];
}

export async function startConditionProject(): Promise<ConditionProject> {
  const p = await startDatabaseProject([
    { name: 'city', type: 'string' },
    { name: 'purchases', type: 'number' },
    { name: 'born', type: 'date' },
    { name: 'registered', type: 'datetime' },
    { name: 'vip', type: 'boolean' },
    { name: 'tier', type: 'enum', enumValues: ['gold', 'silver', 'bronze'] },
    { name: 'first name', type: 'string' },
  ]);
  const db = p.db();
  const id = p.databaseId;
  p.insert([
    { id: 'ann', values: { city: 'Moscow', purchases: 3, born: '2000-04-12', registered: '2026-04-09T12:00:00', vip: true, tier: 'gold', 'first name': 'Ann' } },
    { id: 'bob', subscription: 'bounced', values: { city: 'Kazan', purchases: 1, born: '2006-04-10', registered: '2026-01-05T08:00:00', vip: false, tier: 'silver', 'first name': 'Bob' } },
    { id: 'cat', subscription: 'unconfirmed' },
    { id: 'dan', subscription: 'unsubscribed', values: { city: 'Moscow region', purchases: 0, born: '2004-02-29', registered: '2026-04-10T10:30:00', tier: 'bronze' } },
    { id: 'eve', values: { city: 'St Petersburg', purchases: 2.5, born: '1990-12-31', registered: '2025-12-31T23:59:59', vip: true, 'first name': 'Eve' } },
  ]);
  setClock(db, '2026-04-10T10:00');
  addEvents(db, id, [
    ['ann', 'purchase', '2026-04-09T15:00:00', 500],
    ['ann', 'purchase', '2026-03-20T10:00:00', 700],
    ['ann', 'purchase', '2026-04-10T10:00:59', 100],
    ['ann', 'open', '2026-04-01T09:00:00'],
    ['bob', 'purchase', '2026-04-10T10:01:00', 5000],
    ['bob', 'purchase', '2026-01-15T00:00:00', 300],
    ['dan', 'purchase', '2026-03-12T09:59:59'],
    ['dan', 'purchase', '2026-03-11T09:59:00', 50],
    ['eve', 'click', '2026-02-01T08:00:00'],
  ]);
  const vip = await p.call('segment/create', { databaseId: id, name: 'VIP', from: { kind: 'empty' } });
  await p.call('segment/addProfiles', { segmentId: vip.segment.id, profileIds: ['ann', 'eve'] });
  const all = await p.call('segment/create', { databaseId: id, name: 'All', from: { kind: 'all' } });
  const spring = insertCampaign(db, { name: 'Spring sale', databaseId: id, segmentId: all.segment.id });
  insertCampaignMembers(db, spring, id, { ann: 'test', bob: 'control', dan: 'test' });
  return {
    ...p,
    vipSegment: vip.segment.id,
    allSegment: all.segment.id,
    spring,
    where(text) {
      const parsed = parseCondition(text);
      if (!parsed.ok) throw new Error(syntaxErrorText(parsed.error));
      const compiled = compileCondition(db, id, parsed.condition, { text, spans: parsed.spans });
      return db.all(`SELECT p.profile_id AS id FROM ${profileTable(id)} p WHERE ${compiled.sql} ORDER BY p.profile_id`, compiled.params).map((r) => String(r.id));
    },
  };
}
