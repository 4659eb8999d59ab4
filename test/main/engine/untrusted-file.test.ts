/**
 * A shared project file is untrusted input: opening compares its schema with the one this
 * version creates and refuses anything else by name (or opens a cleaned copy when asked),
 * so SQL that comes with a file never runs. Real files, changed with sql.js, opened through
 * the engine as the app and the CLI open them.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alterProject,
  makeHostileProjectFiles,
  makeIndexMismatchFile,
  type HostileFileKind,
  type HostileProjectFile,
} from '../../helpers/bad-files';
import { expectEngineError, startTestEngine, type TestEngine } from '../../helpers/engine';
import { APPLICATION_ID } from '../../../main/engine/project/file-format';
import { openProjectBytes } from '../../../main/engine/project/project-file';
import { MIGRATIONS, migrate } from '../../../main/engine/project/schema';
import { SqlDb } from '../../../main/engine/sqlite/database';
import { loadSqlJs } from '../../../main/engine/sqlite/sql-js';

const dir = mkdtempSync(join(tmpdir(), 'cplan-hostile-'));
let source = '';
let files: Record<HostileFileKind, HostileProjectFile>;
beforeAll(async () => {
  ({ source, files } = await makeHostileProjectFiles(dir));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const kinds = () => Object.keys(files) as HostileFileKind[];
const KINDS: readonly HostileFileKind[] = [
  'wipeProfiles',
  'rewriteGroups',
  'endlessTrigger',
  'raiseAbort',
  'unknownTable',
  'weakenedIndex',
  'tableAsView',
  'duplicateIds',
  'changedCheck',
];

async function indexSql(path: string): Promise<unknown> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(path));
  try {
    return db.exec("SELECT sql FROM sqlite_schema WHERE name = 'profiles_1_profile_id'")[0]?.values[0]?.[0];
  } finally {
    db.close();
  }
}

async function profileCount(t: TestEngine): Promise<number> {
  return (await t.call('profile/list', { databaseId: 1, limit: 1 })).total;
}

describe('a project file changed outside Campaign Planner', () => {
  it('the helper made every kind', () => {
    expect(kinds().sort()).toEqual([...KINDS].sort());
  });

  it.each(KINDS)('%s: refused by name, with nothing run and nothing changed', async (kind) => {
    const file = files[kind];
    const before = digest(file.path);
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Kept open' });
    const error = await expectEngineError(t.call('project/open', { path: file.path, discard: true }), 'FOREIGN_SCHEMA');
    expect(error.message).toMatch(file.finding);
    expect(error.message).toContain(`"${kind}.cplan" was changed outside Campaign Planner`);
    expect(error.message).toMatch(file.cleanable ? /Open a cleaned copy/ : /Open a backup/);
    expect(error.message).not.toContain('\n');
    expect(error.details).toMatchObject({ path: file.path, cleanable: file.cleanable });
    expect((error.details?.findings as string[]).join('; ')).toMatch(file.finding);
    expect(await t.call('project/state', {})).toMatchObject({ open: true, name: 'Kept open' });
    expect(digest(file.path)).toBe(before);
  });

  it.each(KINDS.filter((k) => !['tableAsView', 'duplicateIds', 'changedCheck'].includes(k)))(
    '%s: a cleaned copy opens unsaved, says what it removed, and leaves the file as it was',
    async (kind) => {
      const file = files[kind];
      const before = digest(file.path);
      const t = await startTestEngine();
      const state = await t.call('project/open', { path: file.path, clean: true });
      expect(state).toMatchObject({ open: true, dirty: true, path: file.path });
      expect(state.cleaned?.join('; ')).toMatch(new RegExp(`(removed|rebuilt) .*${file.finding.source.split('"')[1]}`));
      // What the file's SQL would have done does not happen: adding a segment keeps every profile.
      await t.call('segment/create', { databaseId: 1, name: 'After cleaning', from: { kind: 'all' } });
      expect(await profileCount(t)).toBe(200);
      expect(digest(file.path)).toBe(before);
      // Saved elsewhere, the cleaned project opens without a finding.
      const copy = join(t.dir, 'cleaned.cplan');
      const saved = await t.call('project/saveAs', { path: copy });
      expect(saved.cleaned).toBeUndefined();
      expect(saved.dirty).toBe(false);
      await t.call('project/close', {});
      expect((await t.call('project/open', { path: copy })).cleaned).toBeUndefined();
    },
  );

  it.each(['tableAsView', 'duplicateIds', 'changedCheck'] as const)('%s: no cleaned copy can be made, and the refusal says so', async (kind) => {
    const t = await startTestEngine();
    const error = await expectEngineError(t.call('project/open', { path: files[kind].path, clean: true }), 'FOREIGN_SCHEMA');
    expect(error.message).toMatch(/can neither open nor clean/);
    expect(error.message).toMatch(files[kind].finding);
    expect(error.details).toMatchObject({ cleanable: false });
    expect(await t.call('project/state', {})).toEqual({ open: false });
  });

  it('rewriteGroups: in the cleaned copy, an event leaves the LCG as the campaign reports it', async () => {
    const t = await startTestEngine();
    await t.call('project/open', { path: files.rewriteGroups.path, clean: true });
    const before = (await t.call('campaign/get', { campaignId: 1 })).campaign.groups;
    expect(before.control).toBeGreaterThan(0);
    await t.call('campaign/deactivate', { campaignId: 1 });
    const events = await t.call('campaign/events', { campaignId: 1 });
    expect(events.total).toBeGreaterThan(0);
    const control = await t.call('campaign/members', { campaignId: 1, group: 'control', limit: 1 });
    expect(control.total).toBe(before.control);
    expect((await t.call('campaign/get', { campaignId: 1 })).campaign.groups.control).toBe(before.control);
  });

  it('weakenedIndex: the cleaned copy builds the unique index again, as this version makes it', async () => {
    const t = await startTestEngine();
    const state = await t.call('project/open', { path: files.weakenedIndex.path, clean: true });
    expect(state.cleaned).toEqual([expect.stringMatching(/^rebuilt the index "profiles_1_profile_id" of the profile table of the database "Customers"/)]);
    const copy = join(t.dir, 'rebuilt.cplan');
    await t.call('project/saveAs', { path: copy });
    expect(await indexSql(copy)).toBe('CREATE UNIQUE INDEX profiles_1_profile_id ON profiles_1 (profile_id)');
  });

  it('a missing unique ID index over unique IDs is built again on opening, as a migration would (0.1.0 saved imports without it)', async () => {
    const path = await alterProject(source, join(dir, 'no-index.cplan'), 'DROP INDEX profiles_1_profile_id;');
    const t = await startTestEngine();
    const state = await t.call('project/open', { path });
    expect(state).toMatchObject({ open: true, dirty: false });
    expect(state.cleaned).toBeUndefined();
    const db = t.engine.state.requireSession().db;
    expect(db.scalar("SELECT sql FROM sqlite_schema WHERE name = 'profiles_1_profile_id'")).toBe('CREATE UNIQUE INDEX profiles_1_profile_id ON profiles_1 (profile_id)');
    const copy = join(t.dir, 'saved.cplan');
    await t.call('project/saveAs', { path: copy });
    expect(await indexSql(copy)).toBe('CREATE UNIQUE INDEX profiles_1_profile_id ON profiles_1 (profile_id)');
    // With repeated IDs it cannot be built: duplicateIds above is refused, even with clean.
  });

  it('an import into a new database saves the unique ID index with the profiles', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Imported' });
    const csv = join(t.dir, 'people.csv');
    writeFileSync(csv, 'id,city\n1,Kazan\n2,Omsk\n');
    await t.call('import/run', {
      path: csv,
      target: { newDatabase: 'People' },
      csv: { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null },
      mapping: [
        { column: 0, target: { kind: 'profileId' } },
        { column: 1, target: { kind: 'newField', field: { name: 'city', type: 'string' } } },
      ],
      mode: 'upsert',
      emptyCells: 'keep',
      onBadRows: 'stop',
    });
    const path = join(t.dir, 'imported.cplan');
    await t.call('project/saveAs', { path });
    expect(await indexSql(path)).toBe('CREATE UNIQUE INDEX profiles_1_profile_id ON profiles_1 (profile_id)');
  });

  it('names from the file are shown on one line and cut short', async () => {
    const name = `evil\nname ${'x'.repeat(200)}`;
    const path = await alterProject(source, join(dir, 'odd-name.cplan'), `CREATE VIEW "${name}" AS SELECT 1;`);
    const t = await startTestEngine();
    const error = await expectEngineError(t.call('project/open', { path }), 'FOREIGN_SCHEMA');
    expect(error.message).toMatch(/\(found: a view "evil\?name x{60,}…"\)/);
    expect(error.message).not.toContain('\n');
    // Cleaning drops it by its real name.
    expect((await t.call('project/open', { path, clean: true })).cleaned).toHaveLength(1);
  });

  it('many findings: the first six are named, the rest counted as the app writes counts', async () => {
    const indexes = Array.from({ length: 1006 }, (_, i) => `CREATE INDEX extra_${i} ON segments (name);`).join('\n');
    const path = await alterProject(source, join(dir, 'many-indexes.cplan'), indexes);
    const t = await startTestEngine();
    const error = await expectEngineError(t.call('project/open', { path }), 'FOREIGN_SCHEMA');
    expect(error.message).toMatch(/an unknown index "extra_5" on segments; and 1,000 more\)/);
  });

  it('the project it was made from opens as it is: SQLite statistics are not a finding', async () => {
    const analyzed = await alterProject(source, join(dir, 'analyzed.cplan'), 'ANALYZE;');
    const SQL = await initSqlJs();
    const probe = new SQL.Database(readFileSync(analyzed));
    expect(probe.exec("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'")[0]?.values[0]?.[0]).toBe(1);
    probe.close();
    const t = await startTestEngine();
    for (const path of [source, analyzed]) {
      const state = await t.call('project/open', { path, discard: true });
      expect(state).toMatchObject({ open: true, dirty: false });
      expect(state.cleaned).toBeUndefined();
    }
  });

  it('an older format is compared with the schema of its own version', async () => {
    const old = SqlDb.create(await loadSqlJs());
    old.exec(`PRAGMA page_size = 8192; PRAGMA application_id = ${APPLICATION_ID};`);
    migrate(old, MIGRATIONS.slice(0, 2));
    old.exec("INSERT INTO meta VALUES ('name', 'Old'), ('created_at', '2026-01-01T00:00:00.000Z'), ('clock', '2026-01-01T09:00');");
    const t = await startTestEngine();
    const good = join(t.dir, 'v2.cplan');
    writeFileSync(good, old.export());
    expect((await t.call('project/open', { path: good })).schemaVersion).toBe(MIGRATIONS.length);
    old.exec('CREATE TRIGGER t AFTER INSERT ON fields BEGIN DELETE FROM meta; END;');
    const bad = join(t.dir, 'v2-trigger.cplan');
    writeFileSync(bad, old.export());
    old.close();
    const error = await expectEngineError(t.call('project/open', { path: bad, discard: true }), 'FOREIGN_SCHEMA');
    expect(error.message).toMatch(/a trigger "t" on fields/);
  });
});

describe('on the engine thread, in a build without the check worker', () => {
  it('the same check refuses, cleans and integrity-checks', async () => {
    const sql = await loadSqlJs();
    const path = files.wipeProfiles.path;
    expect(() => openProjectBytes(sql, new Uint8Array(readFileSync(path)), path)).toThrow(/a trigger "wipe_profiles" on segments/);
    const cleaned = openProjectBytes(sql, new Uint8Array(readFileSync(path)), path, { clean: true, checked: null });
    expect(cleaned.cleaned).toEqual(['removed a trigger "wipe_profiles" on segments']);
    expect(cleaned.db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'")).toBe(0);
    cleaned.db.close();
    const mismatch = await makeIndexMismatchFile(source, join(dir, 'index-mismatch-inline.cplan'));
    expect(() => openProjectBytes(sql, new Uint8Array(readFileSync(mismatch)), mismatch)).toThrow(/integrity check found/);
  });
});

describe("SQLite's full integrity check", () => {
  it('finds an index that no longer matches its table, which quick_check passes', async () => {
    const path = await makeIndexMismatchFile(source, join(dir, 'index-mismatch.cplan'));
    const SQL = await initSqlJs();
    const probe = new SQL.Database(readFileSync(path));
    expect(probe.exec('PRAGMA quick_check')[0]?.values).toEqual([['ok']]);
    probe.close();
    const t = await startTestEngine();
    const error = await expectEngineError(t.call('project/open', { path }), 'CORRUPT_FILE');
    expect(error.message).toMatch(/damaged \(SQLite's integrity check found \d+ problems?\)/);
    expect(JSON.stringify(error.details?.problems)).toMatch(/profiles_1_profile_id/);
  });
});

describe('the time limit on checking a file', () => {
  it('stops a check that runs past it with a clear error, and the engine goes on working', async () => {
    const t = await startTestEngine({ checkTimeLimitMs: () => 1 });
    await t.call('project/new', { name: 'Kept open' });
    const error = await expectEngineError(t.call('project/open', { path: source, discard: true }), 'TIMED_OUT');
    expect(error.message).toMatch(/^Checking "planned\.cplan" was stopped after less than a second: .* It was not opened\.$/);
    expect(await t.call('project/state', {})).toMatchObject({ open: true, name: 'Kept open' });
    await t.call('database/create', { name: 'Still working' });
  });
});
