/**
 * Migration 9: the events of a file that version 7 of the app wrote (formats 7 and 8: a
 * rowid table and two indexes) move into the two clustered tables, every event kept, in
 * the order it was written; the schema check holds each format to its own layout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { addEvent } from '../../../../main/engine/events/table';
import { compareSchema } from '../../../../main/engine/project/schema-check';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from '../../../../main/engine/project/schema';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { alterProject } from '../../../helpers/bad-files';
import { expectEngineError } from '../../../helpers/engine';
import { startCampaignProject, type CampaignProject } from '../campaigns/helpers';
import { eventsToV7, toV7, v7EventsLayout } from '../segments/v7-file';

/** Events as version 7 wrote them, in rowid order (gaps included: rowids are not dense). */
const OLD_EVENTS: readonly (readonly [number, number, string, string, number | null, string | null, number | null])[] = [
  // rowid, profile_key, type, at, amount, note, import_id
  [3, 1, 'purchase', '2026-04-09T10:00:00', 12.5, 'order 7', 1],
  [4, 2, 'open', '2026-04-09T10:00:00', null, null, 1],
  [7, 1, 'purchase', '2026-04-09T10:00:00', 30, 'order 8', 1],
  [8, 1, 'open', '2026-04-01T08:00:00', null, 'newsletter', null],
  [9, 3, 'purchase', '2026-05-01T00:00:00', 99, null, null],
  [12, 2, 'purchase', '2026-03-01T09:30:00', 5, null, null],
];

const insertOld = OLD_EVENTS.map(
  ([rowid, key, type, at, amount, note, importId]) =>
    `INSERT INTO events_1 (rowid, profile_key, type, at, amount, note, import_id) VALUES (${rowid}, ${key}, '${type}', '${at}', ${amount ?? 'NULL'}, ${note === null ? 'NULL' : `'${note}'`}, ${importId ?? 'NULL'});`,
).join('\n');

/** A saved project (latest format): database 1 with profiles p1..p3, the clock at 2026-04-10 12:00, one event import recorded. */
async function savedProject(t: CampaignProject): Promise<string> {
  t.generate(3);
  t.db().exec(`UPDATE meta SET value = '2026-04-10T12:00' WHERE key = 'clock';
    INSERT INTO event_imports (id, database_id, file_name, imported_at, clock, rows_read, imported, unknown_profiles, skipped)
      VALUES (1, 1, 'orders.csv', '2026-04-10T11:00:00Z', '2026-04-10T11:00', 3, 3, 0, 0);`);
  const path = join(t.dir, 'latest.cplan');
  await t.call('project/saveAs', { path });
  await t.call('project/close', {});
  return path;
}

async function readFile(path: string): Promise<{ version: number; objects: string[]; events: unknown[][]; byProfile: unknown[][] }> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(path));
  try {
    const column = (sql: string) => db.exec(sql)[0]?.values ?? [];
    const objects = column("SELECT name FROM sqlite_schema WHERE name LIKE 'events%' ORDER BY name").map((r) => String(r[0]));
    const clustered = objects.includes('events_1_by_profile');
    return {
      version: Number(column('PRAGMA user_version')[0]?.[0]),
      objects,
      events: clustered ? column('SELECT seq, profile_key, type, at, amount, note, import_id FROM events_1 ORDER BY seq') : [],
      byProfile: clustered ? column('SELECT seq, profile_key, at, type FROM events_1_by_profile ORDER BY seq') : [],
    };
  } finally {
    db.close();
  }
}

async function findingsOf(path: string, version: number): Promise<string[]> {
  const SQL = await initSqlJs();
  const file = SqlDb.create(SQL, readFileSync(path));
  try {
    const { findings, repairs } = compareSchema(SQL, file, version);
    return [...findings.map((f) => f.text), ...repairs.map((r) => JSON.stringify(r))];
  } finally {
    file.close();
  }
}

describe('migration 9 (events in two clustered tables)', () => {
  it('opens a format-7 file with events as version 7 wrote them: every event kept in its written order, conditions and lists work, and it saves as the latest format', async () => {
    const t = await startCampaignProject();
    const saved = await savedProject(t);
    const v7 = await alterProject(saved, join(t.dir, 'v7.cplan'), `${toV7([1])} ${insertOld}`);
    expect(await findingsOf(v7, 7)).toEqual([]);

    const state = await t.call('project/open', { path: v7 });
    expect(state).toMatchObject({ open: true });
    expect(state.cleaned).toBeUndefined();
    expect((await t.call('project/info', {})).fileSchemaVersion).toBe(7);

    // Same time: the later written first (rowid 7 before rowid 3), as version 7 listed them.
    const p1 = await t.call('events/list', { databaseId: 1, profileId: 'p1' });
    expect(p1.events.map((e) => [e.type, e.at, e.amount, e.note])).toEqual([
      ['purchase', '2026-04-09T10:00:00', 30, 'order 8'],
      ['purchase', '2026-04-09T10:00:00', 12.5, 'order 7'],
      ['open', '2026-04-01T08:00:00', null, 'newsletter'],
    ]);
    const all = await t.call('events/list', { databaseId: 1 });
    expect(all.total).toBe(5); // p3's purchase is after the clock
    expect(all.types).toEqual([
      { type: 'purchase', count: 3 },
      { type: 'open', count: 2 },
    ]);
    const ids = async (where: string) => (await t.call('segment/preview', { databaseId: 1, where, limit: 10 })).page.rows.map((r) => r.profileId);
    expect(await ids('event purchase count >= 2')).toEqual(['p1']);
    expect(await ids('event purchase sum(amount) >= 5')).toEqual(['p1', 'p2']);
    expect(await ids('event open in last 30 days')).toEqual(['p1', 'p2']);
    expect(await ids('no event purchase')).toEqual(['p3']);

    // A new event is numbered after the kept ones: at the same time, it comes first.
    addEvent(t.db(), 1, { profileKey: 1, type: 'purchase', at: '2026-04-09T10:00:00', amount: 1, note: 'order 9' });
    expect((await t.call('events/list', { databaseId: 1, profileId: 'p1', limit: 1 })).events[0]).toMatchObject({ note: 'order 9' });

    const upgraded = join(t.dir, 'upgraded.cplan');
    await t.call('project/saveAs', { path: upgraded });
    await t.call('project/close', {});
    const file = await readFile(upgraded);
    expect(file.version).toBe(LATEST_SCHEMA_VERSION);
    expect(file.objects).toEqual(['events_1', 'events_1_by_profile']); // the old indexes are gone
    const kept = file.events.slice(0, OLD_EVENTS.length);
    // Every event, in the order it was written (seq follows the old rowid), with all its values.
    expect(kept.map((r) => r.slice(1))).toEqual(OLD_EVENTS.map((e) => e.slice(1)));
    expect(kept.map((r) => Number(r[0]))).toEqual([...kept.map((r) => Number(r[0]))].sort((a, b) => a - b));
    expect(file.events).toHaveLength(OLD_EVENTS.length + 1);
    expect(file.byProfile.map((r) => [r[0], r[1], r[2], r[3]])).toEqual(file.events.map((r) => [r[0], r[1], r[3], r[2]]));
    expect(await findingsOf(upgraded, LATEST_SCHEMA_VERSION)).toEqual([]);

    const again = await t.call('project/open', { path: upgraded });
    expect(again.cleaned).toBeUndefined();
    expect((await t.call('project/info', {})).fileSchemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect((await t.call('events/list', { databaseId: 1, profileId: 'p1' })).events.map((e) => e.note)).toEqual(['order 9', 'order 8', 'order 7', 'newsletter']);
  });

  it('moves each database of a format-8 file, copying every event in the order of each new key', async () => {
    const SQL = await initSqlJs();
    const db = SqlDb.create(SQL);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 8));
    db.exec(`INSERT INTO databases (id, name, created_at) VALUES (1, 'A', 'x'), (4, 'B', 'x');`);
    // As version 7 of the app made them for a database (formats 7 and 8).
    db.exec(v7EventsLayout(1) + v7EventsLayout(4));
    db.exec(insertOld);
    db.exec(`INSERT INTO events_4 (profile_key, type, at) VALUES (2, 'open', '2026-01-01T00:00:00'), (1, 'open', '2026-01-01T00:00:00')`);
    expect(migrate(db, MIGRATIONS.filter((m) => m.version <= 9))).toEqual([9]);
    expect(db.all('SELECT seq, profile_key, type, at FROM events_1').map((r) => [r.seq, r.profile_key, r.type, r.at])).toEqual(
      [...OLD_EVENTS].sort((a, b) => a[2].localeCompare(b[2]) || a[3].localeCompare(b[3]) || a[1] - b[1] || a[0] - b[0]).map((e) => [e[0], e[1], e[2], e[3]]),
    );
    expect(db.all('SELECT seq, profile_key, type FROM events_4_by_profile')).toEqual([
      { seq: 2, profile_key: 1, type: 'open' },
      { seq: 1, profile_key: 2, type: 'open' },
    ]);
    expect(db.all("SELECT name FROM sqlite_schema WHERE name LIKE 'events%' ORDER BY name").map((r) => r.name)).toEqual([
      'events_1',
      'events_1_by_profile',
      'events_4',
      'events_4_by_profile',
    ]);
    db.close();
  });

  it('a format-6 file gets the clustered layout by way of formats 7 and 8, and passes the check', async () => {
    const t = await startCampaignProject();
    const saved = await savedProject(t);
    const v6 = await alterProject(saved, join(t.dir, 'v6.cplan'), `${toV7([1])} DROP TABLE events_1; DROP TABLE event_imports; PRAGMA user_version = 6;`);
    expect((await readFile(v6)).objects).toEqual([]);
    expect((await t.call('project/open', { path: v6 })).cleaned).toBeUndefined();
    const upgraded = join(t.dir, 'upgraded.cplan');
    await t.call('project/saveAs', { path: upgraded });
    await t.call('project/close', {});
    const file = await readFile(upgraded);
    expect(file.version).toBe(LATEST_SCHEMA_VERSION);
    expect(file.objects).toEqual(['events_1', 'events_1_by_profile']);
    expect(await findingsOf(upgraded, LATEST_SCHEMA_VERSION)).toEqual([]);
  });

  it("a file holding another format's events layout is refused: format 9 with version 7's, format 7 with the clustered one", async () => {
    const t = await startCampaignProject();
    const saved = await savedProject(t);
    const oldIn9 = await alterProject(saved, join(t.dir, 'old-in-9.cplan'), eventsToV7(1));
    const refused = await expectEngineError(t.call('project/open', { path: oldIn9, clean: true }), 'FOREIGN_SCHEMA');
    expect(refused.message).toMatch(/the events table of the database "Customers" \(events_1\) differs from the one Campaign Planner makes/);
    expect(refused.message).toMatch(/events_1_by_profile\) is missing/);
    expect(refused.details).toMatchObject({ cleanable: false });

    const newIn7 = await alterProject(saved, join(t.dir, 'new-in-7.cplan'), toV7([]));
    const error = await expectEngineError(t.call('project/open', { path: newIn7, clean: true }), 'FOREIGN_SCHEMA');
    expect(error.message).toMatch(/the events table of the database "Customers" \(events_1\) differs from the one Campaign Planner makes/);
    expect(error.details).toMatchObject({ cleanable: false });
  });
});
