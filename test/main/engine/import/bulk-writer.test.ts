import { describe, expect, it } from 'vitest';
import { createBulkWriter, statementPointer } from '../../../../main/engine/import/bulk-writer';
import type { BatchMessage } from '../../../../main/engine/import/plan';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { loadSqlJs } from '../../../../main/engine/sqlite/sql-js';

const INSERT = 'INSERT INTO t (id, label, amount, flag) VALUES (?, ?, ?, ?)';
const TEMPLATE = { head: 'INSERT INTO t (id, label, amount, flag) VALUES', row: '(?, ?, ?, ?)' };

/** A batch as the parser sends it: text cells as UTF-8 in one block, numbers in a Float64Array. */
function batch(rows: [string, string | null, number | null, number | null][]): BatchMessage {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const textStart = new Int32Array(rows.length * 2);
  const textLength = new Int32Array(rows.length * 2);
  const numbers = new Float64Array(rows.length * 2);
  let offset = 0;
  rows.forEach(([id, label, amount, flag], r) => {
    [id, label].forEach((value, s) => {
      textStart[r * 2 + s] = offset;
      if (value === null) {
        textLength[r * 2 + s] = -1;
        return;
      }
      const bytes = encoder.encode(value);
      parts.push(bytes);
      textLength[r * 2 + s] = bytes.length;
      offset += bytes.length;
    });
    numbers[r * 2] = amount ?? Number.NaN;
    numbers[r * 2 + 1] = flag ?? Number.NaN;
  });
  const text = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    text.set(p, at);
    at += p.length;
  }
  const rowNumbers = Int32Array.from(rows, (_, i) => i + 2);
  return { type: 'batch', rows: rows.length, text, textStart, textLength, numbers, rowNumbers, problems: [], rowsRead: rows.length, badRows: 0, problemCount: 0, bytesRead: 0 };
}

async function table() {
  const sql = await loadSqlJs();
  const db = SqlDb.create(sql);
  db.exec('CREATE TABLE t (id TEXT NOT NULL, label TEXT, amount REAL, flag INTEGER)');
  return { sql, db };
}

const sources = [
  { from: 'text' as const, slot: 0 },
  { from: 'text' as const, slot: 1 },
  { from: 'number' as const, slot: 0, integer: false },
  { from: 'number' as const, slot: 1, integer: true },
];

describe('the bulk writer', () => {
  it('finds the WASM pointer of a prepared statement by asking SQLite for its SQL', async () => {
    const { sql, db } = await table();
    const statement = db.raw.prepare(INSERT);
    const pointer = statementPointer(sql, statement, INSERT);
    expect(pointer).toEqual(expect.any(Number));
    expect(statementPointer(sql, statement, 'SELECT 1')).toBeNull();
    statement.free();
  });

  it('writes the same rows through the C API and through sql.js binding: text of any script, NULLs, numbers, yes/no', async () => {
    const rows: [string, string | null, number | null, number | null][] = [
      ['00123', 'Анна 😀', 12.5, 1],
      ['2', null, null, null],
      ['3', '', -0.25, 0],
      ['4', 'x'.repeat(10_000), 1e20, 1],
    ];
    const written = [];
    for (const portable of [false, true]) {
      const { sql, db } = await table();
      const writer = createBulkWriter(sql, db, { insert: TEMPLATE, sources, textSlots: 2, numberSlots: 2, portable });
      expect(writer.fast).toBe(!portable);
      writer.write(batch(rows.slice(0, 2)));
      writer.write(batch(rows.slice(2)));
      writer.close();
      written.push(db.all('SELECT id, label, amount, flag, typeof(flag) AS flagType FROM t ORDER BY rowid'));
    }
    expect(written[0]).toEqual(written[1]);
    expect(written[0]).toEqual([
      { id: '00123', label: 'Анна 😀', amount: 12.5, flag: 1, flagType: 'integer' },
      { id: '2', label: null, amount: null, flag: null, flagType: 'null' },
      { id: '3', label: '', amount: -0.25, flag: 0, flagType: 'integer' },
      { id: '4', label: 'x'.repeat(10_000), amount: 1e20, flag: 1, flagType: 'integer' },
    ]);
  });

  it('writes whole numbers beyond 32 bits exactly, as integers', async () => {
    const { sql, db } = await table();
    const writer = createBulkWriter(sql, db, { insert: TEMPLATE, sources, textSlots: 2, numberSlots: 2 });
    writer.write(batch([['big', null, null, 2 ** 40 + 3], ['negative', null, null, -(2 ** 33)]]));
    writer.close();
    expect(db.all('SELECT flag, typeof(flag) AS flagType FROM t ORDER BY rowid')).toEqual([
      { flag: 2 ** 40 + 3, flagType: 'integer' },
      { flag: -(2 ** 33), flagType: 'integer' },
    ]);
  });

  it('fails with SQLite\'s message on a constraint, and frees what it took', async () => {
    const { sql, db } = await table();
    db.exec('CREATE UNIQUE INDEX t_id ON t (id)');
    const writer = createBulkWriter(sql, db, { insert: TEMPLATE, sources, textSlots: 2, numberSlots: 2 });
    expect(() => writer.write(batch([['1', 'a', 1, 1], ['1', 'b', 2, 0]]))).toThrow(/UNIQUE constraint failed: t\.id/);
    writer.close();
    expect(db.scalar('SELECT COUNT(*) FROM t')).toBe(1);
  });

  it.each([false, true])('stops at a failing row without a statement journal (FAIL, not ABORT): the rows before it stay until the caller rolls back (portable: %s)', async (portable) => {
    const { sql, db } = await table();
    db.exec('CREATE UNIQUE INDEX t_id ON t (id)');
    const rows = Array.from({ length: 40 }, (_, i): [string, string, number, number] => [String(i === 9 ? 0 : i), 'x', i, 1]);
    db.exec('BEGIN');
    const writer = createBulkWriter(sql, db, { insert: TEMPLATE, sources, textSlots: 2, numberSlots: 2, portable });
    expect(() => writer.write(batch(rows))).toThrow(/UNIQUE constraint failed/);
    writer.close();
    // Rows 0-8 of the first 32-row statement were not undone by the statement itself.
    expect(db.scalar('SELECT COUNT(*) FROM t')).toBe(9);
    db.exec('ROLLBACK');
    expect(db.scalar('SELECT COUNT(*) FROM t')).toBe(0);
  });
});
