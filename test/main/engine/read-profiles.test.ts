import { describe, expect, it } from 'vitest';
import { hashPackedIds, packIds } from '../../../shared/split/hash-ids';
import { KeySet, readKeyedIds, readReals, withoutKeys } from '../../../main/engine/split/read-profiles';
import { SqlDb } from '../../../main/engine/sqlite/database';
import { loadSqlJs } from '../../../main/engine/sqlite/sql-js';
import { expectEngineError } from '../../helpers/engine';

describe('reading keys, IDs and strata in bulk', () => {
  it('gives every row in query order, across chunks, with IDs packed for hashing', async () => {
    const db = SqlDb.create(await loadSqlJs());
    db.exec('CREATE TABLE p (profile_id TEXT NOT NULL, s INTEGER)');
    db.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 120000)
             INSERT INTO p SELECT CASE WHEN i % 7 = 0 THEN 'Клиент ' || i ELSE printf('%08d', i) END, i % 5 FROM c`);
    const read = readKeyedIds(db, 'SELECT rowid, profile_id, s FROM p WHERE rowid % 3 <> 0 ORDER BY rowid DESC', [], true);
    const expected = db.all<{ k: number; id: string; s: number }>('SELECT rowid AS k, profile_id AS id, s FROM p WHERE rowid % 3 <> 0 ORDER BY rowid DESC');
    expect(read.count).toBe(expected.length);
    expect(Array.from(read.keys.subarray(0, 3))).toEqual(expected.slice(0, 3).map((e) => e.k));
    expect(Array.from(read.keys)).toEqual(expected.map((e) => e.k));
    expect(Array.from(read.strata!)).toEqual(expected.map((e) => e.s));
    expect(Buffer.compare(Buffer.from(read.packed), Buffer.from(packIds(expected.map((e) => e.id))))).toBe(0);
    expect(hashPackedIds('x', read.packed, read.count).length).toBe(read.count * 4);
  });

  it('reads nothing from an empty query, and refuses an ID with the separator character', async () => {
    const db = SqlDb.create(await loadSqlJs());
    db.exec("CREATE TABLE p (profile_id TEXT NOT NULL); INSERT INTO p VALUES ('a' || char(31) || 'b')");
    expect(readKeyedIds(db, 'SELECT rowid, profile_id FROM p WHERE 0')).toMatchObject({ count: 0, strata: null });
    await expectEngineError(Promise.resolve().then(() => readKeyedIds(db, 'SELECT rowid, profile_id FROM p')), 'REFUSED');
  });
});

describe('filtering a read by sets of keys', () => {
  it('keeps the other rows in order, their IDs (empty ones too) and strata aligned', async () => {
    const db = SqlDb.create(await loadSqlJs());
    db.exec("CREATE TABLE p (profile_id TEXT NOT NULL, s INTEGER); CREATE TABLE x (k INTEGER); CREATE TABLE y (k INTEGER)");
    db.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5000)
             INSERT INTO p SELECT CASE WHEN i % 11 = 0 THEN '' WHEN i % 7 = 0 THEN 'Клиент ' || i ELSE printf('%05d', i) END, i % 4 FROM c`);
    db.exec('INSERT INTO x SELECT rowid FROM p WHERE rowid % 3 = 0 OR rowid = 1; INSERT INTO y SELECT rowid * 1000 FROM p WHERE rowid % 5 = 0; INSERT INTO y SELECT rowid FROM p WHERE rowid % 5 = 0');
    const read = readKeyedIds(db, 'SELECT rowid, profile_id, s FROM p ORDER BY rowid', [], true);
    const filtered = withoutKeys(read, [KeySet.read(db, 'SELECT k FROM x'), KeySet.read(db, 'SELECT k FROM y'), KeySet.empty()]);
    const expected = db.all<{ k: number; id: string; s: number }>(
      'SELECT rowid AS k, profile_id AS id, s FROM p WHERE rowid NOT IN (SELECT k FROM x) AND rowid NOT IN (SELECT k FROM y) ORDER BY rowid',
    );
    expect(filtered.count).toBe(expected.length);
    expect(Array.from(filtered.keys)).toEqual(expected.map((e) => e.k));
    expect(Array.from(filtered.strata!)).toEqual(expected.map((e) => e.s));
    expect(Buffer.compare(Buffer.from(filtered.packed), Buffer.from(packIds(expected.map((e) => e.id))))).toBe(0);
    const huge = KeySet.read(db, `SELECT ${2 ** 40} UNION ALL SELECT 2`);
    expect([huge.has(2 ** 40), huge.has(2), huge.has(3)]).toEqual([true, true, false]);
  });

  it('reads numbers back as the very doubles stored, NULL as NaN', async () => {
    const db = SqlDb.create(await loadSqlJs());
    db.exec('CREATE TABLE v (i INTEGER PRIMARY KEY, x REAL)');
    const stored: (number | null)[] = [0, -0.5, 12.34, 1e300, -1e-300, 0.1 + 0.2, 1 / 3, 123456789012345.6, 9007199254740993, null, 5, -17, 2 ** 60];
    let seed = 7;
    for (let i = 0; i < 5000; i += 1) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      stored.push(i % 2 === 0 ? Math.round(seed / 100) / 100 : (seed / 4294967296 - 0.5) * 10 ** ((i % 40) - 20));
    }
    db.run('INSERT INTO v (x) SELECT value FROM json_each(?)', [JSON.stringify(stored)]);
    const read = readReals(db, 'SELECT x FROM v ORDER BY i');
    expect(read).toHaveLength(stored.length);
    stored.forEach((x, i) => {
      if (x === null) expect(read[i]).toBeNaN();
      else expect(Object.is(read[i], x === 0 ? 0 : x) || read[i] === x).toBe(true);
    });
    expect(readReals(db, 'SELECT x FROM v WHERE 0')).toHaveLength(0);
  });
});
