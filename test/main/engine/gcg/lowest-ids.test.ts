/**
 * Forming reads every profile in chunks of rowids (a chunk without gaps by its IDs alone)
 * and keeps, of each chunk, the candidates for the lowest: among them are the same lowest
 * profiles, keys and hashes as one read of the whole table gives, gaps or not.
 */
import { describe, expect, it } from 'vitest';
import { hashPackedIds } from '../../../../shared/split/hash-ids';
import { lowestHashes, readLowest } from '../../../../main/engine/gcg/lowest-ids';
import { readKeyedIds, type KeyedIds } from '../../../../main/engine/split/read-profiles';
import { expectEngineError } from '../../../helpers/engine';
import { startDatabaseProject } from '../databases/helpers';
import { lowestByMd5 } from '../segments/helpers';

const hashHere = async (seed: string, packed: Uint8Array, count: number) => hashPackedIds(seed, packed, count);
const idsOf = (read: KeyedIds) => (read.count === 0 ? [] : new TextDecoder().decode(read.packed).split('\u001f'));

describe('readLowest', () => {
  it('reads chunks with and without gaps; the candidates hold the lowest of all, with their keys and hashes', async () => {
    const p = await startDatabaseProject([]);
    p.insert(Array.from({ length: 5_003 }, (_, i) => ({ id: i % 5 === 0 ? `Ω-${i}` : `id${(i * 7919) % 100_000}` })));
    const table = `profiles_${p.databaseId}`;
    // Gaps: inside the second chunk, a whole chunk, and the last rows.
    p.db().run(`DELETE FROM ${table} WHERE rowid IN (1500, 1501, 1999) OR rowid BETWEEN 3001 AND 4000 OR rowid > 5001`);
    const whole = readKeyedIds(p.db(), `SELECT rowid, profile_id FROM ${table} ORDER BY rowid`);
    const keyOf = new Map(idsOf(whole).map((id, i) => [id, whole.keys[i]!]));
    const progress: number[] = [];
    const hooks = { progress: (_phase: string, done: number) => progress.push(done) };
    for (const keep of [150, 1_000, 5_000]) {
      // 150: fewer than a chunk holds (candidates only); 5,000: every profile kept.
      progress.length = 0;
      const lowest = await readLowest(p.db(), p.databaseId, 'chunks', hashHere, hooks, 5_003, keep, 1_000);
      expect(lowest.count).toBe(5_003 - 3 - 1_000 - 2);
      expect(progress).toEqual([0, 1_000, 2_000, 3_000, 4_000, 5_000, 5_003]);
      // Every candidate with its own key and hash.
      const ids = idsOf(lowest.read);
      expect(ids.map((id) => keyOf.get(id))).toEqual(Array.from(lowest.read.keys));
      expect(Array.from(lowest.hashes)).toEqual(Array.from(hashPackedIds('chunks', lowest.read.packed, lowest.read.count)));
      // The lowest of all are among them.
      const wanted = Math.min(keep, lowest.count);
      const flags = lowestHashes(lowest.read, lowest.hashes, wanted);
      const chosen = ids.filter((_, i) => flags[i] === 1).sort();
      expect(chosen).toEqual(lowestByMd5(idsOf(whole), 'chunks', wanted).sort());
    }
  });

  it('refuses an ID holding the separator, naming it', async () => {
    const p = await startDatabaseProject([]);
    p.insert([{ id: 'a' }, { id: 'b\u001fc' }, { id: 'd' }]);
    const error = await expectEngineError(readLowest(p.db(), p.databaseId, 's', hashHere, {}, 3, 1, 2), 'REFUSED');
    expect(error.message).toMatch(/U\+001F/);
  });
});
