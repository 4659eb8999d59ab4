import { describe, expect, it } from 'vitest';
import { SqlDb } from '../../../main/engine/sqlite/database';
import { loadSqlJs } from '../../../main/engine/sqlite/sql-js';
import { MIGRATIONS, migrate, schemaVersionOf, type Migration } from '../../../main/engine/project/schema';

describe('schema migrations', () => {
  it('bring an older file up to date, in order, and record the version', async () => {
    const db = SqlDb.create(await loadSqlJs());
    const v2: Migration = { version: 2, description: 'notes', up: (d) => d.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)') };
    expect(migrate(db, MIGRATIONS)).toEqual([1]);
    expect(migrate(db, [...MIGRATIONS, v2])).toEqual([2]);
    expect(schemaVersionOf(db)).toBe(2);
    expect(migrate(db, [...MIGRATIONS, v2])).toEqual([]);
    expect(db.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'notes'")).toBe(1);
  });

  it('apply all or nothing: a failing migration leaves the file as it was', async () => {
    const db = SqlDb.create(await loadSqlJs());
    migrate(db, MIGRATIONS);
    const good: Migration = { version: 2, description: 'ok', up: (d) => d.exec('CREATE TABLE a (x)') };
    const bad: Migration = { version: 3, description: 'broken', up: (d) => d.exec('CREATE TABLE a (x)') };
    expect(() => migrate(db, [...MIGRATIONS, good, bad])).toThrow(/already exists/);
    expect(schemaVersionOf(db)).toBe(1);
    expect(db.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'a'")).toBe(0);
  });

  it('are numbered 1, 2, 3 ... without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
