/**
 * The events table of each profile database: made with the database, dropped with it,
 * added to older files by migration 7, and held to its exact shape when a file is opened.
 */
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alterProject } from '../../../helpers/bad-files';
import { expectEngineError, startTestEngine, type TestEngine } from '../../../helpers/engine';
import { eventsTable } from '../../../../main/engine/events/table';
import { toV7 } from '../segments/v7-file';
import { LATEST_SCHEMA_VERSION } from '../../../../main/engine/project/schema';

async function tablesOf(path: string): Promise<{ tables: string[]; version: number; events: unknown[][] }> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(path));
  try {
    const tables = (db.exec("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') AND name LIKE 'events%' ORDER BY name")[0]?.values ?? []).map((r) => String(r[0]));
    const version = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0]);
    const events = tables.includes('events_1') ? (db.exec('SELECT profile_key, type, at, amount, note FROM events_1 ORDER BY seq')[0]?.values ?? []) : [];
    return { tables, version, events };
  } finally {
    db.close();
  }
}

/** A saved project with two databases (ids 1 and 2), a profile in the first and one event. */
async function savedProject(t: TestEngine): Promise<string> {
  await t.call('project/new', { name: 'Events' });
  await t.call('database/create', { name: 'Customers' });
  await t.call('database/create', { name: 'Partners' });
  const path = join(t.dir, 'events.cplan');
  await t.call('project/saveAs', { path, overwrite: true });
  await t.call('project/close', {});
  return alterProject(path, path, "INSERT INTO profiles_1 (profile_id) VALUES ('A1'); INSERT INTO events_1 (profile_key, type, at, amount, note, seq) VALUES (1, 'purchase', '2026-04-09T10:00:00', 12.5, 'order 7', 1); INSERT INTO events_1_by_profile (profile_key, at, seq, type) VALUES (1, '2026-04-09T10:00:00', 1, 'purchase');");
}

describe('the events table of a profile database', () => {
  it('is named after the database id, and only from a valid id', () => {
    expect(eventsTable(12)).toBe('events_12');
    expect(() => eventsTable(0)).toThrow();
    expect(() => eventsTable(1.5)).toThrow();
  });

  it('is created with every new database, with its table by profile, and dropped with it', async () => {
    const t = await startTestEngine();
    const path = await savedProject(t);
    expect((await tablesOf(path)).tables).toEqual(['events_1', 'events_1_by_profile', 'events_2', 'events_2_by_profile']);
    await t.call('project/open', { path });
    await t.call('database/delete', { databaseId: 2 });
    await t.call('project/save', {});
    expect((await tablesOf(path)).tables).toEqual(['events_1', 'events_1_by_profile']);
  });

  it('a version-6 file gets an empty events table per database on opening, and passes the check', async () => {
    const t = await startTestEngine();
    const saved = await savedProject(t);
    const v6 = await alterProject(
      saved,
      join(t.dir, 'v6.cplan'),
      `${toV7([1, 2])} DROP TABLE events_1; DROP TABLE events_2; DROP TABLE event_imports; PRAGMA user_version = 6;`,
    );
    expect((await tablesOf(v6)).tables).toEqual([]);
    const state = await t.call('project/open', { path: v6 });
    expect(state).toMatchObject({ open: true });
    expect(state.cleaned).toBeUndefined();
    expect((await t.call('project/info', {})).fileSchemaVersion).toBe(6);
    const upgraded = join(t.dir, 'upgraded.cplan');
    await t.call('project/saveAs', { path: upgraded });
    await t.call('project/close', {});
    const after = await tablesOf(upgraded);
    expect(after.version).toBe(LATEST_SCHEMA_VERSION);
    expect(after.tables).toEqual(['events_1', 'events_1_by_profile', 'events_2', 'events_2_by_profile']);
    expect((await t.call('project/open', { path: upgraded })).cleaned).toBeUndefined();
  });

  it('a version-6 file that already holds an events table is refused: that version made none', async () => {
    const t = await startTestEngine();
    const saved = await savedProject(t);
    const v6 = await alterProject(saved, join(t.dir, 'v6-extra.cplan'), `${toV7([1, 2])} DROP TABLE event_imports; PRAGMA user_version = 6;`);
    const error = await expectEngineError(t.call('project/open', { path: v6, discard: true }), 'FOREIGN_SCHEMA');
    expect(error.message).toMatch(/an unknown table "events_1"/);
  });

  it('a changed events table is refused by name, and cannot be cleaned', async () => {
    const t = await startTestEngine();
    const saved = await savedProject(t);
    const changed = await alterProject(
      saved,
      join(t.dir, 'changed.cplan'),
      'DROP TABLE events_2; CREATE TABLE events_2 (profile_key INTEGER NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, amount REAL, note TEXT, import_id INTEGER, seq INTEGER NOT NULL, secret TEXT, PRIMARY KEY (type, at, profile_key, seq)) WITHOUT ROWID;',
    );
    const error = await expectEngineError(t.call('project/open', { path: changed, clean: true }), 'FOREIGN_SCHEMA');
    expect(error.message).toMatch(/the events table of the database "Partners" \(events_2\) differs from the one Campaign Planner makes: it has an unknown column "secret"/);
    expect(error.details).toMatchObject({ cleanable: false });
    const missing = await alterProject(saved, join(t.dir, 'missing.cplan'), 'DROP TABLE events_1;');
    const gone = await expectEngineError(t.call('project/open', { path: missing, clean: true }), 'FOREIGN_SCHEMA');
    expect(gone.message).toMatch(/the events table of the database "Customers" \(events_1\) is missing/);
  });

  it('a trigger on an events table is refused; the cleaned copy drops it and keeps the events', async () => {
    const t = await startTestEngine();
    const saved = await savedProject(t);
    const hostile = await alterProject(saved, join(t.dir, 'trigger.cplan'), "CREATE TRIGGER wipe AFTER INSERT ON events_1 BEGIN DELETE FROM events_1; END;");
    const error = await expectEngineError(t.call('project/open', { path: hostile, discard: true }), 'FOREIGN_SCHEMA');
    expect(error.message).toMatch(/a trigger "wipe" on events_1/);
    expect(error.details).toMatchObject({ cleanable: true });
    const state = await t.call('project/open', { path: hostile, clean: true });
    expect(state.cleaned).toEqual(['removed a trigger "wipe" on events_1']);
    const copy = join(t.dir, 'cleaned.cplan');
    await t.call('project/saveAs', { path: copy });
    expect((await tablesOf(copy)).events).toEqual([[1, 'purchase', '2026-04-09T10:00:00', 12.5, 'order 7']]);
  });

  it('the events by profile are held to their shape too: an index added on them is dropped in a cleaned copy, a changed table refused', async () => {
    const t = await startTestEngine();
    const saved = await savedProject(t);
    const indexed = await alterProject(saved, join(t.dir, 'index.cplan'), 'CREATE INDEX extra ON events_1_by_profile (type);');
    await expectEngineError(t.call('project/open', { path: indexed, discard: true }), 'FOREIGN_SCHEMA');
    const state = await t.call('project/open', { path: indexed, clean: true });
    expect(state.cleaned).toEqual(['removed an unknown index "extra" on events_1_by_profile']);
    await t.call('project/close', { discard: true });
    const changed = await alterProject(saved, join(t.dir, 'by-profile.cplan'), 'DROP TABLE events_1_by_profile; CREATE TABLE events_1_by_profile (profile_key INTEGER, at TEXT, seq INTEGER, type TEXT);');
    const error = await expectEngineError(t.call('project/open', { path: changed, clean: true }), 'FOREIGN_SCHEMA');
    expect(error.message).toMatch(/the events table of the database "Customers" \(events_1_by_profile\) differs from the one Campaign Planner makes/);
  });
});
