/**
 * Room for a database file to grow into (file-room.ts): found in the installed sql.js,
 * and invisible in what is stored: the same file as without it, and a rolled-back write
 * leaves the file as it was.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SqlJsStatic } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { EventRows } from '../../../../main/engine/events/event-rows';
import { createEventsTable, writeEvents } from '../../../../main/engine/events/table';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { bufferWithRoom, fileRoomAvailable, fileRoomLeft, findFileSyscalls, reserveFileRoom } from '../../../../main/engine/sqlite/file-room';
import { loadSqlJs, locateSqlWasm } from '../../../../main/engine/sqlite/sql-js';

/** A saved database with an events table and a few rows, opened from its bytes as projects are. */
function opened(sql: SqlJsStatic, bytes?: Uint8Array): SqlDb {
  if (bytes) return SqlDb.create(sql, bytes);
  const db = SqlDb.create(sql);
  db.exec("PRAGMA page_size = 8192; CREATE TABLE profiles_1 (profile_id TEXT); INSERT INTO profiles_1 VALUES ('A1'), ('A2');");
  createEventsTable(db, 1);
  return SqlDb.create(sql, db.export());
}

function someRows(count: number): EventRows {
  const rows = new EventRows();
  const types = ['open', 'click', 'purchase'].map((t) => rows.typeCode(t));
  for (let i = 0; i < count; i += 1) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const type = types[(i * 7) % 3]!;
    rows.addText(1 + (i % 2), type, `2026-02-${day}T10:00:${String(i % 60).padStart(2, '0')}`, type === types[2] ? i / 4 : null, i % 5 === 0 ? `order ${i}` : null);
  }
  return rows;
}

describe('room for a database file to grow into', () => {
  it('is found in the installed sql.js for a database opened from its bytes', async () => {
    const sql = await loadSqlJs();
    expect(fileRoomAvailable(opened(sql, opened(sql).export()))).toBe(true);
  });

  it('is found in sql.js as the app\'s bundler prints it anew', async () => {
    const require = createRequire(import.meta.url);
    const bundled = await build({ entryPoints: [require.resolve('sql.js')], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
    const factory = new Function('module', 'exports', 'require', 'process', '__filename', '__dirname', bundled.outputFiles[0]!.text);
    const module = { exports: {} as unknown };
    factory(module, module.exports, require, process, '', '');
    const init = module.exports as (config: object) => Promise<unknown>;
    let imports: unknown = null;
    const wasmModule = new WebAssembly.Module(readFileSync(locateSqlWasm()));
    await init({
      instantiateWasm(given: object, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
        imports = given;
        void WebAssembly.instantiate(wasmModule, given as WebAssembly.Imports).then((instance) => receive(instance, wasmModule));
        return {};
      },
    });
    expect(findFileSyscalls(imports)).not.toBeNull();
  });

  it('stores the same file as a write without it', async () => {
    const sql = await loadSqlJs();
    const start = opened(sql).export();
    const files: Uint8Array[] = [];
    for (const room of [true, false]) {
      const db = opened(sql, start);
      // Without its file's name the database's file is not found, and no room is made.
      const written = room ? db : new SqlDb(new Proxy(db.raw, { get: (raw, key) => (key === 'filename' ? undefined : Reflect.get(raw, key)) }));
      expect(fileRoomAvailable(written)).toBe(room);
      await written.transactionAsync(() => writeEvents(sql, written, 1, someRows(40_000), { firstSeq: 1, importId: 1 }));
      expect(written.scalar('PRAGMA integrity_check')).toBe('ok');
      files.push(written.export());
      // Later writes into the room left after the last page (a smaller import, a delete).
      await written.transactionAsync(() => writeEvents(sql, written, 1, someRows(5_000), { firstSeq: 40_001, importId: 2 }));
      written.run('DELETE FROM events_1 WHERE import_id = 1 AND seq % 3 = 0');
      expect(written.scalar('PRAGMA integrity_check')).toBe('ok');
      files.push(written.export());
    }
    expect(files[0]!.length).toBeGreaterThan(start.length);
    expect(Buffer.compare(files[0]!, files[2]!)).toBe(0);
    expect(Buffer.compare(files[1]!, files[3]!)).toBe(0);
    const reopened = SqlDb.create(sql, files[1]!);
    expect(reopened.scalar('PRAGMA integrity_check')).toBe('ok');
    expect(reopened.scalar('SELECT count(*) FROM events_1_by_profile')).toBe(45_000);
  });

  it('a project opened with room writes into it: no room is made for what fits, and the file is the same', async () => {
    const sql = await loadSqlJs();
    const start = opened(sql).export();
    const withRoom = SqlDb.create(sql, start, { room: true });
    const plain = SqlDb.create(sql, start);
    // As much again as the file, at least 256 MiB: MEMFS took the buffer with the room (no copy to grow).
    expect(fileRoomLeft(withRoom)).toBeGreaterThanOrEqual(256 * 1024 * 1024 - start.length);
    expect(fileRoomLeft(plain)).toBe(0);
    expect(Buffer.compare(withRoom.export(), start)).toBe(0);
    for (const db of [withRoom, plain]) await db.transactionAsync(() => writeEvents(sql, db, 1, someRows(40_000), { firstSeq: 1, importId: 1 }));
    expect(reserveFileRoom(withRoom, 1024 * 1024)).toBe(false);
    expect(withRoom.scalar('PRAGMA integrity_check')).toBe('ok');
    expect(Buffer.compare(withRoom.export(), plain.export())).toBe(0);
    withRoom.close();
    plain.close();
  });

  it('bytes read into a buffer with room open without a copy: the buffer becomes the file', async () => {
    const sql = await loadSqlJs();
    const start = opened(sql).export();
    const bytes = bufferWithRoom(start.length);
    bytes.set(start);
    const db = SqlDb.create(sql, bytes, { room: true });
    expect(fileRoomLeft(db)).toBe(bytes.buffer.byteLength - start.length);
    db.run("INSERT INTO profiles_1 VALUES ('A3')");
    // The database writes into the very buffer it was given (no copy was made of it).
    expect(Buffer.compare(Buffer.from(bytes.buffer, 0, start.length), Buffer.from(start))).not.toBe(0);
    expect(db.all('SELECT profile_id FROM profiles_1 ORDER BY 1')).toEqual([{ profile_id: 'A1' }, { profile_id: 'A2' }, { profile_id: 'A3' }]);
    expect(db.scalar('PRAGMA integrity_check')).toBe('ok');
    db.close();
  });

  it('a write that is rolled back leaves the file as it was', async () => {
    const sql = await loadSqlJs();
    const db = opened(sql, opened(sql).export());
    const before = db.export();
    await expect(
      db.transactionAsync(async () => {
        await writeEvents(sql, db, 1, someRows(30_000), { firstSeq: 1, importId: null });
        expect(reserveFileRoom(db, 50 * 1024 * 1024)).toBe(true); // more room than the write took
        throw new Error('stopped');
      }),
    ).rejects.toThrow('stopped');
    expect(Buffer.compare(db.export(), before)).toBe(0);
    expect(db.scalar('SELECT count(*) FROM events_1')).toBe(0);
    // The room went with the rollback: it is made again, even for less.
    expect(reserveFileRoom(db, 1024 * 1024)).toBe(true);
    // Written again after the rollback.
    await db.transactionAsync(() => writeEvents(sql, db, 1, someRows(30_000), { firstSeq: 1, importId: null }));
    expect(db.scalar('PRAGMA integrity_check')).toBe('ok');
    expect(db.scalar('SELECT count(*) FROM events_1_by_profile')).toBe(30_000);
  });
});
