/**
 * The profile IDs of a database as an events import matches them (profile-ids.ts): by the
 * UTF-8 bytes of the cell, exactly as stored ("00123" is not "123"), short and long IDs,
 * IDs that share their first bytes, non-ASCII ones; an unknown ID is -1.
 */
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { createProfileTable } from '../../../../main/engine/databases/profile-table';
import { ProfileIds } from '../../../../main/engine/events/profile-ids';

describe('profile IDs for an events import', () => {
  it('finds each profile by the bytes of its ID, and no other', async () => {
    const db = SqlDb.create(await initSqlJs());
    createProfileTable(db, 3);
    const stored = ['A1', '00123', '123', 'customer-000000001', 'customer-000000002', 'Клиент №5', 'x'.repeat(200), ' spaced', 'a"b,c'];
    // More than one chunk of the JSON read, with gaps in the rowids.
    for (let i = 0; i < 70_000; i += 1) stored.push(`bulk-${i}`);
    stored.forEach((id, i) => db.run('INSERT INTO profiles_3 (rowid, profile_id) VALUES (?, ?)', [i * 2 + 5, id]));
    const ids = ProfileIds.load(db, 3);
    const encoder = new TextEncoder();
    const key = (id: string) => {
      // Inside a larger buffer, as a batch gives its cells.
      const bytes = encoder.encode(`##${id}##`);
      return ids.key(bytes, 2, bytes.length - 4);
    };
    stored.forEach((id, i) => expect(key(id), id).toBe(i * 2 + 5));
    for (const unknown of ['', 'A', 'A12', '0123', 'customer-000000003', 'customer-00000000', 'Клиент №6', 'x'.repeat(199), 'spaced', 'bulk-70000']) {
      expect(key(unknown), unknown).toBe(-1);
    }
    ids.clear();
    expect(key('A1')).toBe(-1);
    db.close();
  });
});
