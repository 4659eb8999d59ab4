import { describe, expect, it } from 'vitest';
import { SqlDb } from '../../../main/engine/sqlite/database';
import { loadSqlJs } from '../../../main/engine/sqlite/sql-js';
import { MIGRATIONS, migrate, schemaVersionOf, type Migration } from '../../../main/engine/project/schema';

describe('schema migrations', () => {
  it('bring an older file up to date, in order, and record the version', async () => {
    const db = SqlDb.create(await loadSqlJs());
    const next = MIGRATIONS.length + 1;
    const extra: Migration = { version: next, description: 'notes', up: (d) => d.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)') };
    expect(migrate(db, MIGRATIONS.slice(0, 1))).toEqual([1]);
    expect(migrate(db, MIGRATIONS)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
    expect(migrate(db, [...MIGRATIONS, extra])).toEqual([next]);
    expect(schemaVersionOf(db)).toBe(next);
    expect(migrate(db, [...MIGRATIONS, extra])).toEqual([]);
    expect(db.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'notes'")).toBe(1);
  });

  it('apply all or nothing: a failing migration leaves the file as it was', async () => {
    const db = SqlDb.create(await loadSqlJs());
    migrate(db, MIGRATIONS);
    const latest = MIGRATIONS.length;
    const good: Migration = { version: latest + 1, description: 'ok', up: (d) => d.exec('CREATE TABLE a (x)') };
    const bad: Migration = { version: latest + 2, description: 'broken', up: (d) => d.exec('CREATE TABLE a (x)') };
    expect(() => migrate(db, [...MIGRATIONS, good, bad])).toThrow(/already exists/);
    expect(schemaVersionOf(db)).toBe(latest);
    expect(db.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'a'")).toBe(0);
  });

  it('are numbered 1, 2, 3 ... without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});

describe('opening a file of an older format', () => {
  it('version 4 counts the members a version-3 file already has, and drops their foreign key', async () => {
    const db = SqlDb.create(await loadSqlJs());
    migrate(db, MIGRATIONS.filter((m) => m.version <= 3));
    db.exec(`INSERT INTO campaign_members (campaign_id, profile_key, grp, stratum, version_id) VALUES
               (7, 1, 'test', 1, 1), (7, 2, 'control', 1, 1), (7, 3, 'test', 2, 1), (8, 1, 'control', 1, 1)`);
    migrate(db, MIGRATIONS);
    expect(db.all('SELECT campaign_id, stratum, members, control FROM campaign_counts ORDER BY campaign_id, stratum')).toEqual([
      { campaign_id: 7, stratum: 1, members: 2, control: 1 },
      { campaign_id: 7, stratum: 2, members: 1, control: 0 },
      { campaign_id: 8, stratum: 1, members: 1, control: 1 },
    ]);
    expect(db.all("SELECT * FROM pragma_foreign_key_list('campaign_members')")).toEqual([]);
    expect(Number(db.scalar('SELECT COUNT(*) FROM campaign_members'))).toBe(4);
  });

  it('upgrades it in memory, says so, and writes the new format only on save', async () => {
    const { startTestEngine } = await import('../../helpers/engine');
    const { createProjectDb } = await import('../../../main/engine/project/project-file');
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const t = await startTestEngine();
    // A version-1 file, as the first release wrote it.
    const sql = await loadSqlJs();
    const full = createProjectDb(sql, { name: 'Old plan', now: new Date('2026-01-01T00:00:00Z'), appVersion: '0.0.1' });
    const v1 = SqlDb.create(sql);
    v1.exec(`PRAGMA page_size = 8192; PRAGMA application_id = ${Number(full.scalar('PRAGMA application_id'))};`);
    migrate(v1, MIGRATIONS.slice(0, 1));
    v1.run("INSERT INTO meta VALUES ('name', 'Old plan'), ('created_at', '2026-01-01T00:00:00.000Z'), ('clock', '2026-01-01T09:00')");
    const path = join(t.dir, 'old.cplan');
    writeFileSync(path, v1.export());
    const before = readFileSync(path);

    const opened = await t.call('project/open', { path });
    expect(opened.schemaVersion).toBe(MIGRATIONS.length);
    expect(opened.dirty).toBe(false);
    const info = await t.call('project/info', {});
    expect([info.fileSchemaVersion, info.schemaVersion]).toEqual([1, MIGRATIONS.length]);
    await t.call('database/create', { name: 'Works after the upgrade' });
    expect(Buffer.compare(readFileSync(path), before)).toBe(0);
    await t.call('project/save', {});
    expect((await t.call('project/info', {})).fileSchemaVersion).toBe(MIGRATIONS.length);
  });
});
