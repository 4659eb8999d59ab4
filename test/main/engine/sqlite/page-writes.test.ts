/**
 * What SQLite wrote since a baseline (page-writes.ts): the bytes of the baseline with the
 * logged writes laid over them, cut at the database's size, are exactly the database's
 * bytes now, through commits, rollbacks, growth, shrinking and exports; a change bigger
 * than the log's bound is "not known", never "nothing".
 */
import type { SqlJsStatic } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { databaseBytes, reserveFileRoom } from '../../../../main/engine/sqlite/file-room';
import { MAX_TRACKED_BYTES, pageChanges, trackPageWrites } from '../../../../main/engine/sqlite/page-writes';
import { loadSqlJs } from '../../../../main/engine/sqlite/sql-js';

function baseline(sql: SqlJsStatic): Uint8Array {
  const db = SqlDb.create(sql);
  db.exec('PRAGMA page_size = 8192; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v);');
  db.transaction(() => {
    for (let i = 0; i < 3000; i += 1) db.run('INSERT INTO t (v) VALUES (?)', [`value ${i} ${'x'.repeat(i % 200)}`]);
  });
  const bytes = db.export();
  db.close();
  return bytes;
}

/**
 * The bytes of two database files, the same but for the header's change counter (offsets
 * 24-27 and 92-95) and schema cookie (40-43): sql.js's export() copies a database through
 * SQLite's backup, which counts these afresh in the copy's header.
 */
function sameFile(a: Uint8Array, b: Uint8Array): boolean {
  const mask = (bytes: Uint8Array) => {
    const copy = Uint8Array.from(bytes);
    copy.fill(0, 24, 28);
    copy.fill(0, 40, 44);
    copy.fill(0, 92, 96);
    return Buffer.from(copy);
  };
  return a.length === b.length && mask(a).equals(mask(b));
}

/** The baseline with the logged writes laid over it, cut (or grown) to the database's size. */
function replay(before: Uint8Array, db: SqlDb): Uint8Array {
  const changes = pageChanges(db);
  if (!changes) throw new Error('changes not known');
  const size = databaseBytes(db);
  const out = new Uint8Array(Math.max(size, before.length));
  out.set(before);
  for (const { offset, bytes } of changes.writes) if (offset < out.length) out.set(bytes.subarray(0, out.length - offset), offset);
  return out.subarray(0, size);
}

describe('the log of what SQLite wrote to a database file', () => {
  it('gives back the database exactly: commits, a rollback, growth, deletes and an export between', async () => {
    const sql = await loadSqlJs();
    const before = baseline(sql);
    const db = SqlDb.create(sql, before, { room: true });
    trackPageWrites(db);
    expect(pageChanges(db)).toEqual({ writes: [], bytes: 0 });
    db.run("UPDATE t SET v = 'changed' WHERE id = 17");
    expect(pageChanges(db)!.bytes).toBeGreaterThan(0);
    expect(sameFile(replay(before, db), db.export())).toBe(true);
    expect(() =>
      db.transaction(() => {
        db.run("UPDATE t SET v = 'never kept'");
        throw new Error('stop');
      }),
    ).toThrow('stop');
    db.transaction(() => {
      reserveFileRoom(db, 1024 * 1024);
      for (let i = 0; i < 2000; i += 1) db.run('INSERT INTO t (v) VALUES (?)', [`more ${i} ${'y'.repeat(300)}`]);
    });
    expect(sameFile(replay(before, db), db.export())).toBe(true);
    db.run('DELETE FROM t WHERE id % 3 = 0');
    db.exec('VACUUM');
    expect(databaseBytes(db)).toBeLessThan(before.length * 2);
    const replayed = replay(before, db);
    expect(sameFile(replayed, db.export())).toBe(true);
    const reopened = SqlDb.create(sql, replayed);
    expect(reopened.all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(reopened.all('SELECT * FROM t ORDER BY id')).toEqual(db.all('SELECT * FROM t ORDER BY id'));
    reopened.close();
    db.close();
  });

  it('reads nothing as a change, and starts again at a new baseline', async () => {
    const sql = await loadSqlJs();
    const db = SqlDb.create(sql, baseline(sql), { room: true });
    trackPageWrites(db);
    db.all('SELECT * FROM t ORDER BY v');
    db.transaction(() => db.all('SELECT count(*) FROM t'));
    expect(pageChanges(db)!.bytes).toBe(0);
    db.run("UPDATE t SET v = 'a' WHERE id = 1");
    trackPageWrites(db);
    expect(pageChanges(db)!.bytes).toBe(0);
    db.close();
  });

  it('says "not known" for a database never tracked, and for a change above its bound', async () => {
    const sql = await loadSqlJs();
    const db = SqlDb.create(sql, baseline(sql), { room: true });
    expect(pageChanges(db)).toBeNull();
    trackPageWrites(db);
    const megabytes = Math.ceil(MAX_TRACKED_BYTES / 1e6) + 1;
    db.run(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${megabytes}) INSERT INTO t (v) SELECT zeroblob(1000000) FROM n`);
    expect(pageChanges(db)).toBeNull();
    db.close();
  });
});
