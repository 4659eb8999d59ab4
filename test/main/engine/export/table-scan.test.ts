/**
 * The export reads big tables straight from a snapshot of the SQLite file; small ones, and
 * files it does not understand, through SQL. Both must give the same bytes: these tests
 * write the same exports both ways over tables that exercise the file format (interior
 * pages, overflow chains, every integer width, short records after ADD COLUMN, other page
 * sizes, a UTF-16 database) and compare.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportRequest } from '../../../../shared/contract/exports';
import type { FieldDraft } from '../../../../shared/contract/databases';
import { fieldColumn, profileTable } from '../../../../main/engine/databases/profile-table';
import { createDatabase, listFields } from '../../../../main/engine/databases/repository';
import { planExport, writeProfilesCsv } from '../../../../main/engine/export/profile-export';
import { TableScan, UnreadableSnapshot } from '../../../../main/engine/export/table-scan';
import { createProjectDb, writeMeta } from '../../../../main/engine/project/project-file';
import { configureConnection, initialiseSchema } from '../../../../main/engine/project/schema';
import { SqlDb, type SqlValue } from '../../../../main/engine/sqlite/database';
import { loadSqlJs } from '../../../../main/engine/sqlite/sql-js';
import { openDiskDb } from '../../../../main/engine/sqlite/disk-syscalls';

const FIELDS: readonly FieldDraft[] = [
  { name: 'text', type: 'string' },
  { name: 'amount', type: 'number' },
  { name: 'flag', type: 'boolean' },
  { name: 'day', type: 'date' },
  { name: 'choice', type: 'enum', enumValues: ['a', 'b'] },
];

const NOW = new Date('2026-11-29T10:00:00Z');

async function projectDb(setup?: (db: SqlDb) => void): Promise<SqlDb> {
  const sql = await loadSqlJs();
  if (!setup) return createProjectDb(sql, { name: 'Scan', now: NOW, appVersion: 'test' });
  const db = SqlDb.create(sql);
  setup(db);
  configureConnection(db);
  initialiseSchema(db);
  writeMeta(db, { name: 'Scan', description: '', createdAt: NOW.toISOString(), createdWith: 'test', clock: '2026-11-29T10:00' });
  return db;
}

/** Every integer width SQLite stores, floats, text of all sizes, NULLs and odd values. */
const AMOUNTS: readonly SqlValue[] = [
  0, 1, 127, -128, 128, 32767, -32768, 8388607, -8388608, 2 ** 31 - 1, -(2 ** 31), 2 ** 40, -(2 ** 47), 2 ** 53 - 1, 1e18, -1e18,
  0.1 + 0.2, 278.3, -0.5, 1e20, 1e21, 1.5e-7, null, 12, -5, 'not a number',
];

function fill(db: SqlDb, databaseId: number, rows: number): void {
  const fields = listFields(db, databaseId);
  const columns = fields.map((f) => fieldColumn(f.id));
  const insert = `INSERT INTO ${profileTable(databaseId)} (profile_id, subscription, ${columns.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?)`;
  const statuses = ['subscribed', 'unsubscribed', 'unconfirmed', 'bounced'];
  db.transaction(() => {
    for (let i = 0; i < rows; i += 1) {
      const text =
        i % 97 === 0 ? 'x'.repeat(20_000 + i) // spills to overflow pages
        : i % 13 === 0 ? `=cmd|' /C calc'!A${i}`
        : i % 11 === 0 ? `Город, "кавычки"\r\nстрока ${i}`
        : i % 7 === 0 ? null
        : `name ${i} ${'é'.repeat(i % 5)}`;
      const flag = i % 5 === 0 ? null : i % 17 === 0 ? 5 : i % 2;
      const day = i % 9 === 0 ? null : `2024-${String((i % 12) + 1).padStart(2, '0')}-15`;
      db.run(insert, [`id-${String(i).padStart(6, '0')}`, statuses[i % 4]!, text, AMOUNTS[i % AMOUNTS.length]!, flag, day, i % 3 === 0 ? 'a' : 'b']);
    }
  });
}

/** The CSV text of an export, through the snapshot reader (threshold 0) or SQL only. */
async function exportBoth(db: SqlDb, request: Partial<ExportRequest> & { databaseId: number }): Promise<{ snapshot: string; sql: string }> {
  const plan = planExport(db, { path: 'x.csv', delimiter: ',', bom: true, ...request });
  const run = async (snapshotMinRows: number) => {
    const chunks: Uint8Array[] = [];
    await writeProfilesCsv(db, plan, { write: async (b) => void chunks.push(b.slice()), progress: async () => undefined }, { snapshotMinRows });
    return Buffer.concat(chunks).toString('utf8');
  };
  return { snapshot: await run(0), sql: await run(Number.POSITIVE_INFINITY) };
}

describe('reading a table from a snapshot of the file', () => {
  it('gives the same CSV as SQL over interior pages, overflow chains and every kind of stored value', async () => {
    const db = await projectDb();
    const id = createDatabase(db, 'Big', FIELDS, NOW);
    fill(db, id, 6_000);
    // A blob in a text column and text in a yes/no column cannot come from an import; they are read anyway.
    db.run(`UPDATE ${profileTable(id)} SET f_1 = X'41424344', f_3 = 'yes' WHERE profile_id = 'id-000001'`);
    const { snapshot, sql } = await exportBoth(db, { databaseId: id });
    expect(snapshot).toBe(sql);
    const lines = snapshot.split('\r\n');
    expect(lines[0]).toBe('\uFEFFprofile_id,subscription_status,text,amount,flag,day,choice');
    expect(lines[2]).toBe('id-000001,unsubscribed,ABCD,1,true,2024-02-15,b');
    expect(snapshot).toContain(",'=cmd|' /C calc'!A13,");
    expect(snapshot).toContain(',1000000000000000000,');
    expect(snapshot).toContain(',100000000000000000000,');
    expect(snapshot).toContain(',0.30000000000000004,');
    expect(snapshot).toContain(',1.5e-7,');
    expect(snapshot).toContain('x'.repeat(20_000));
  });

  it('gives the same CSV from a project read from its file on disk, page by page', async () => {
    const db = await projectDb();
    const id = createDatabase(db, 'Big', FIELDS, NOW);
    fill(db, id, 6_000);
    const path = join(mkdtempSync(join(tmpdir(), 'cplan-scan-')), 'p.cplan');
    writeFileSync(path, db.export());
    const onDisk = openDiskDb(await loadSqlJs(), path)!;
    // Changed since it was read: the overlay's pages and the file's together.
    onDisk.run(`UPDATE ${profileTable(id)} SET subscription = 'bounced' WHERE rowid % 3 = 0`);
    db.run(`UPDATE ${profileTable(id)} SET subscription = 'bounced' WHERE rowid % 3 = 0`);
    const fromDisk = await exportBoth(onDisk, { databaseId: id });
    expect(fromDisk.snapshot).toBe(fromDisk.sql);
    expect(fromDisk.snapshot).toBe((await exportBoth(db, { databaseId: id })).snapshot);
    expect(fromDisk.snapshot).toContain('x'.repeat(20_000));
    onDisk.close();
  });

  it('gives the same CSV with a status filter, a limit, chosen fields and another delimiter', async () => {
    const db = await projectDb();
    const id = createDatabase(db, 'Big', FIELDS, NOW);
    fill(db, id, 3_000);
    const fields = listFields(db, id);
    for (const request of [
      { subscription: ['bounced' as const] },
      { subscription: ['unconfirmed' as const, 'subscribed' as const], limit: 777 },
      { limit: 1 },
      { fieldIds: [fields[3]!.id, fields[0]!.id], delimiter: ';' as const, bom: false },
      { fieldIds: [], delimiter: '\t' as const },
    ]) {
      const { snapshot, sql } = await exportBoth(db, { databaseId: id, ...request });
      expect(snapshot).toBe(sql);
    }
  });

  it('reads records written before a field was added (shorter than the table) and after one was dropped', async () => {
    const db = await projectDb();
    const id = createDatabase(db, 'Grown', FIELDS, NOW);
    fill(db, id, 500);
    db.exec(`ALTER TABLE ${profileTable(id)} ADD COLUMN f_90 TEXT`);
    db.run("INSERT INTO fields (id, database_id, name, type, position, created_at) VALUES (90, ?, 'later', 'string', 9, '2026-11-29')", [id]);
    db.run(`UPDATE ${profileTable(id)} SET f_90 = 'set later' WHERE rowid % 10 = 0`);
    let both = await exportBoth(db, { databaseId: id });
    expect(both.snapshot).toBe(both.sql);
    expect(both.snapshot).toContain(',set later\r\n');
    db.exec(`ALTER TABLE ${profileTable(id)} DROP COLUMN ${fieldColumn(listFields(db, id)[1]!.id)}`);
    db.run('DELETE FROM fields WHERE id = ?', [listFields(db, id)[1]!.id]);
    both = await exportBoth(db, { databaseId: id });
    expect(both.snapshot).toBe(both.sql);
  });

  it.each([1024, 65536])('reads a file with %i-byte pages', async (pageSize) => {
    const db = await projectDb();
    const id = createDatabase(db, 'Pages', FIELDS, NOW);
    fill(db, id, 2_000);
    db.exec(`PRAGMA page_size = ${pageSize}; VACUUM;`);
    expect(db.scalar('PRAGMA page_size')).toBe(pageSize);
    const { snapshot, sql } = await exportBoth(db, { databaseId: id });
    expect(snapshot).toBe(sql);
  });

  it('leaves a UTF-16 database to SQL, with the same result', async () => {
    const db = await projectDb((fresh) => fresh.exec("PRAGMA encoding = 'UTF-16le'"));
    expect(db.scalar('PRAGMA encoding')).toBe('UTF-16le');
    const id = createDatabase(db, 'Wide', FIELDS, NOW);
    fill(db, id, 300);
    expect(() => new TableScan(db.export(), 2, 10)).toThrow(UnreadableSnapshot);
    const { snapshot, sql } = await exportBoth(db, { databaseId: id });
    expect(snapshot).toBe(sql);
    expect(snapshot).toContain('Город');
  });

  it('carries on through SQL from the last row written when the snapshot turns out unreadable half-way', async () => {
    const db = await projectDb();
    const id = createDatabase(db, 'Half', FIELDS, NOW);
    fill(db, id, 3_000);
    const root = Number(db.scalar('SELECT rootpage FROM sqlite_schema WHERE name = ?', [profileTable(id)]));
    const clean = db.export();
    const scan = new TableScan(clean, root, 10);
    const leaves: number[] = [];
    for (let leaf = scan.nextLeaf(); leaf !== null; leaf = scan.nextLeaf()) leaves.push(leaf);
    expect(leaves.length).toBeGreaterThan(10);
    const broken = clean.slice();
    broken[(leaves[6]! - 1) * Number(db.scalar('PRAGMA page_size'))] = 0x07; // not a b-tree page type
    Object.assign(db, { export: () => broken });
    const { snapshot, sql } = await exportBoth(db, { databaseId: id });
    expect(snapshot).toBe(sql);
    expect(snapshot.match(/\r\nid-/g)).toHaveLength(3_000);
  });

  it('refuses what is not a table b-tree instead of guessing', async () => {
    const db = await projectDb();
    const id = createDatabase(db, 'T', FIELDS, NOW);
    const indexRoot = Number(db.scalar("SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?", [profileTable(id)]));
    const file = db.export();
    const scan = new TableScan(file, indexRoot, 4);
    expect(() => scan.nextLeaf()).toThrow(UnreadableSnapshot);
    expect(() => new TableScan(file, 1_000_000, 4)).toThrow(UnreadableSnapshot);
    expect(() => new TableScan(new Uint8Array(4096), 2, 4)).toThrow(UnreadableSnapshot);
  });
});
