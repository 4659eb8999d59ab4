/**
 * A database read from its file on disk (disk-syscalls.ts, disk-file.ts): it reads the
 * same as the file, writes change only the overlay in memory (never the file), a snapshot
 * is a copy at one moment, and a file changed by someone else while open is refused, not
 * read as garbage.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { BLOCK_BYTES } from '../../../../main/engine/sqlite/disk-file';
import { diskFileOf, openDiskDb } from '../../../../main/engine/sqlite/disk-syscalls';
import { databaseBytes } from '../../../../main/engine/sqlite/file-room';
import { pageChanges, trackPageWrites } from '../../../../main/engine/sqlite/page-writes';
import { loadSqlJs } from '../../../../main/engine/sqlite/sql-js';
import { expectEngineError, startTestEngine } from '../../../helpers/engine';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function projectFile(sql: SqlJsStatic, rows = 5000): string {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-disk-'));
  dirs.push(dir);
  const db = SqlDb.create(sql);
  db.exec('PRAGMA page_size = 8192; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v);');
  db.transaction(() => {
    for (let i = 0; i < rows; i += 1) db.run('INSERT INTO t (v) VALUES (?)', [`value ${i} ${'x'.repeat(i % 300)}`]);
  });
  const path = join(dir, 'p.cplan');
  writeFileSync(path, db.export());
  db.close();
  return path;
}

const summary = (db: SqlDb) => db.get('SELECT count(*) AS n, sum(length(v)) AS len, max(v) AS top FROM t');

describe('a database read from its file on disk', () => {
  it('reads as the file, writes only to memory, and exports the database as it is now', async () => {
    const sql = await loadSqlJs();
    const path = projectFile(sql);
    const onDisk = Uint8Array.from(readFileSync(path));
    const inMemory = SqlDb.create(sql, onDisk);
    const db = openDiskDb(sql, path)!;
    expect(db).not.toBeNull();
    expect(diskFileOf(db)!.overlayBytes).toBe(0);
    expect(summary(db)).toEqual(summary(inMemory));
    expect(db.scalar('PRAGMA integrity_check')).toBe('ok');
    // Nothing was written to memory by reading.
    expect(diskFileOf(db)!.overlayBytes).toBe(0);

    trackPageWrites(db);
    for (const target of [db, inMemory]) {
      target.transaction(() => {
        target.run("UPDATE t SET v = 'changed' WHERE id % 7 = 0");
        for (let i = 0; i < 3000; i += 1) target.run('INSERT INTO t (v) VALUES (?)', [`new ${i} ${'y'.repeat(i % 500)}`]);
      });
      target.run('DELETE FROM t WHERE id % 5 = 0');
    }
    // A rollback after growth puts the file back.
    expect(() =>
      db.transaction(() => {
        for (let i = 0; i < 5000; i += 1) db.run('INSERT INTO t (v) VALUES (?)', [`gone ${i} ${'z'.repeat(700)}`]);
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(summary(db)).toEqual(summary(inMemory));
    expect(db.scalar('PRAGMA integrity_check')).toBe('ok');
    // The file on disk is untouched; what changed is in memory, and logged for an in-place save.
    expect(readFileSync(path).equals(onDisk)).toBe(true);
    expect(diskFileOf(db)!.overlayBytes).toBeGreaterThan(0);
    expect(diskFileOf(db)!.overlayBytes).toBeLessThan(onDisk.length * 2);
    expect(pageChanges(db)!.bytes).toBeGreaterThan(0);

    const exported = db.export();
    expect(exported.length).toBe(databaseBytes(db));
    // The changes an in-place save writes are the overlay: laid over the file, they give the database.
    const replayed = new Uint8Array(Math.max(onDisk.length, exported.length));
    replayed.set(onDisk);
    for (const { offset, bytes } of pageChanges(db)!.writes) if (offset < replayed.length) replayed.set(bytes.subarray(0, replayed.length - offset), offset);
    expect(Buffer.from(replayed.subarray(0, exported.length)).equals(Buffer.from(exported))).toBe(true);
    const copy = SqlDb.create(sql, exported);
    expect(summary(copy)).toEqual(summary(inMemory));
    for (const each of [copy, db, inMemory]) each.close();
  });

  it('reads the file exactly in page-sized reads in order, backwards, at random and across its end (reads ahead in order)', async () => {
    const sql = await loadSqlJs();
    const path = projectFile(sql, 20_000);
    const onDisk = readFileSync(path);
    const db = openDiskDb(sql, path)!;
    const snapshot = diskFileOf(db)!.snapshot();
    const pages = Math.ceil(onDisk.length / BLOCK_BYTES);
    const order = [...Array(pages).keys()];
    const random = order.map((i) => (i * 7919) % pages);
    for (const sequence of [order, [...order].reverse(), random, order]) {
      for (const page of sequence) {
        const into = new Uint8Array(BLOCK_BYTES);
        const at = page * BLOCK_BYTES;
        expect(snapshot.read(into, at)).toBe(Math.min(BLOCK_BYTES, onDisk.length - at));
        expect(Buffer.from(into.subarray(0, onDisk.length - at)).equals(onDisk.subarray(at, at + BLOCK_BYTES))).toBe(true);
      }
    }
    // A read that straddles two pages, and one past the end.
    const straddle = new Uint8Array(300);
    expect(snapshot.read(straddle, BLOCK_BYTES - 100)).toBe(300);
    expect(Buffer.from(straddle).equals(onDisk.subarray(BLOCK_BYTES - 100, BLOCK_BYTES + 200))).toBe(true);
    expect(snapshot.read(new Uint8Array(10), onDisk.length)).toBe(0);
    snapshot.release();
    db.close();
  });

  it('a snapshot keeps the file as it was when taken while writes go on', async () => {
    const sql = await loadSqlJs();
    const path = projectFile(sql, 2000);
    const db = openDiskDb(sql, path)!;
    db.run("UPDATE t SET v = 'first' WHERE id < 100");
    const file = diskFileOf(db)!;
    const snapshot = file.snapshot();
    const expected = db.export();
    db.run("UPDATE t SET v = 'second' WHERE id < 1000");
    db.run('DELETE FROM t WHERE id > 1500');
    const copy = new Uint8Array(expected.length);
    expect(snapshot.read(copy, 0)).toBe(expected.length);
    expect(Buffer.from(copy).equals(Buffer.from(expected))).toBe(true);
    snapshot.release();
    expect(db.scalar("SELECT count(*) FROM t WHERE v = 'second'")).toBe(999);
    db.close();
  });

  it('refuses to read a file another program changed while it was open', async () => {
    const sql = await loadSqlJs();
    const path = projectFile(sql, 20000);
    const db = openDiskDb(sql, path)!;
    expect(db.scalar('SELECT count(*) FROM t')).toBe(20000);
    // Another program rewrites the file in place (same inode), pages moved about.
    const bytes = readFileSync(path);
    const shuffled = Buffer.concat([bytes.subarray(0, BLOCK_BYTES), bytes.subarray(BLOCK_BYTES * 3), bytes.subarray(BLOCK_BYTES, BLOCK_BYTES * 3)]);
    writeFileSync(path, shuffled);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // SQLite is told the reads failed (what it then says varies); nothing is read from the changed file.
    expect(() => db.all('SELECT * FROM t ORDER BY v DESC')).toThrow();
    expect(diskFileOf(db)!.changedOutside).toBe(true);
    db.close();
  });

  it('the engine says a project file changed by another program while open cannot be read any more', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Mine' });
    const path = join(t.dir, 'p.cplan');
    await t.call('project/saveAs', { path });
    await t.call('project/open', { path, discard: true });
    expect(await t.call('project/state', {})).toMatchObject({ name: 'Mine' });
    // Another program rewrites the file in place.
    writeFileSync(path, readFileSync(path));
    await new Promise((resolve) => setTimeout(resolve, 600));
    const error = await expectEngineError(t.call('project/update', { name: 'Theirs' }), 'IO_ERROR');
    expect(error.message).toMatch(/"p\.cplan" was changed by another program while it was open here/);
  });

  it('a project reads from its file once saved, keeps in memory only what changed since, and saves it', async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'First' });
    const path = join(t.dir, 'p.cplan');
    await t.call('project/saveAs', { path });
    // A new project, saved whole: it reads from the file from now on.
    const file = diskFileOf(t.engine.state.session!.db)!;
    expect(file).not.toBeNull();
    expect(file.overlayBytes).toBe(0);
    const before = readFileSync(path);
    await t.call('project/update', { name: 'Second' });
    expect(file.overlayBytes).toBeGreaterThan(0);
    expect(readFileSync(path).equals(before)).toBe(true);
    await t.call('project/save', {});
    expect(file.overlayBytes).toBe(0);
    expect(await t.call('project/state', {})).toMatchObject({ name: 'Second', dirty: false });
    // What another engine reads from the file is what was saved.
    const other = await startTestEngine();
    await other.call('project/open', { path });
    expect(await other.call('project/state', {})).toMatchObject({ name: 'Second' });
  });
});
