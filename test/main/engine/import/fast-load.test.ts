/**
 * The load into a new database: the ID index kept while the IDs come in order (id-order.ts)
 * and built at the end otherwise, room made in the file before the rows (run.ts). Either way
 * the same profiles, a sound file and the same problems.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AscendingIds } from '../../../../main/engine/import/id-order';
import { SqlDb } from '../../../../main/engine/sqlite/database';
import { fileRoomLeft } from '../../../../main/engine/sqlite/file-room';
import { importedInto, startImportProject, writeCsv, type ImportProject } from './helpers';

const id = (n: number) => String(n).padStart(6, '0');
const csv = (ids: readonly string[]) => `id,city,visits\n${ids.map((value, i) => `${value},City number ${i % 7} of the test,${i % 13}`).join('\n')}\n`;

/** The phases the import reported, in order, without repeats. */
function phases(t: ImportProject, operationId: string): string[] {
  const seen: string[] = [];
  for (const message of t.events) {
    if (message.event !== 'progress' || message.payload.operationId !== operationId) continue;
    if (seen[seen.length - 1] !== message.payload.phase) seen.push(message.payload.phase);
  }
  return seen;
}

function fileState(t: ImportProject, databaseId: number) {
  const db = t.engine.state.requireSession().db;
  return {
    integrity: db.scalar('PRAGMA integrity_check'),
    index: db.scalar(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'profiles_${databaseId}_profile_id'`),
    freePages: Number(db.scalar('PRAGMA freelist_count')),
  };
}

describe('loading a new database', () => {
  it('keeps the ID index up to date while the IDs come in order: no index to build at the end', async () => {
    const t = await startImportProject();
    const result = await t.importFile(writeCsv(t.dir, 'sorted.csv', csv(Array.from({ length: 6000 }, (_, i) => id(i + 1)))));
    expect(result).toMatchObject({ outcome: 'imported', added: 6000, problemCount: 0 });
    const databaseId = result.database!.id;
    expect(phases(t, 'import-1')).not.toContain('Building the index');
    expect(fileState(t, databaseId)).toEqual({ integrity: 'ok', index: expect.stringContaining('CREATE UNIQUE INDEX'), freePages: 0 });
    expect((await t.call('profile/get', { databaseId, profileId: id(4321) })).profileId).toBe(id(4321));
    // Room was made in the file for the rows before they came (file-room.ts), and is left over.
    expect(fileRoomLeft(t.engine.state.requireSession().db)).toBeGreaterThan(0);
  });

  it('builds the index at the end when the IDs fall out of order after the first batches', async () => {
    const t = await startImportProject();
    // 3,000 in order (several batches), then 3,000 going down.
    const ids = [...Array.from({ length: 3000 }, (_, i) => id(i + 1)), ...Array.from({ length: 3000 }, (_, i) => id(6000 - i))];
    const result = await t.importFile(writeCsv(t.dir, 'unsorted.csv', csv(ids)));
    expect(result).toMatchObject({ outcome: 'imported', added: 6000, problemCount: 0 });
    const databaseId = result.database!.id;
    expect(phases(t, 'import-1')).toContain('Building the index');
    expect(fileState(t, databaseId)).toEqual({ integrity: 'ok', index: expect.stringContaining('CREATE UNIQUE INDEX'), freePages: 0 });
    expect(t.profiles(databaseId).map((p) => p.profile_id)).toEqual(ids);
    expect((await t.call('profile/get', { databaseId, profileId: id(5999) })).profileId).toBe(id(5999));
  });

  it('still finds an ID repeated after a run of ordered ones, at its row', async () => {
    const t = await startImportProject();
    const ids = Array.from({ length: 4000 }, (_, i) => id(i + 1));
    ids[3500] = id(3500); // row 3502 repeats the ID of row 3501: not larger than the one before
    const stopped = await t.importFile(writeCsv(t.dir, 'repeat.csv', csv(ids)));
    expect(stopped).toMatchObject({ outcome: 'stopped', added: 0, problemCount: 1 });
    expect(stopped.problems[0]).toMatchObject({ row: 3502, code: 'duplicate_id', relatedRow: 3501 });
    expect(await t.call('database/list', {})).toEqual([]);
  });
});

describe('values a new list field gets after the sample', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  /** 60,000 rows of three tiers (more than the preview's sample), then `tail`. */
  const tiers = (tail: string) =>
    `id,tier,visits\n${Array.from({ length: 60_000 }, (_, i) => `${i + 1},${['gold', 'silver', 'bronze'][i % 3]},${i % 9}`).join('\n')}\n${tail}`;

  it('are added without reading the table back when every row was written', async () => {
    const t = await startImportProject();
    const all = vi.spyOn(SqlDb.prototype, 'all');
    const result = await t.importFile(writeCsv(t.dir, 'late.csv', tiers('60001,rare,1\n')));
    expect(result).toMatchObject({ added: 60_001, problemCount: 0, enumValuesAdded: [{ field: 'tier', values: ['rare'] }] });
    expect(all.mock.calls.filter(([sql]) => /SELECT DISTINCT/.test(sql))).toEqual([]);
    expect((await t.call('database/get', { databaseId: importedInto(result) })).fields[0]!.enumValues).toEqual(['bronze', 'gold', 'silver', 'rare']);
  });

  it('are looked up when a bad row was skipped: a value only that row had is not added', async () => {
    const t = await startImportProject();
    const result = await t.importFile(writeCsv(t.dir, 'ghost.csv', tiers('60001,rare,1\n60002,ghost,many\n')), { onBadRows: 'skip' });
    expect(result).toMatchObject({ added: 60_001, skipped: 1, enumValuesAdded: [{ field: 'tier', values: ['rare'] }] });
    expect((await t.call('database/get', { databaseId: importedInto(result) })).fields[0]!.enumValues).toEqual(['bronze', 'gold', 'silver', 'rare']);
  });
});

describe('AscendingIds', () => {
  const encoder = new TextEncoder();
  /** A batch of one text column holding `ids`. */
  function batch(ids: readonly (string | null)[]) {
    const parts = ids.map((value) => (value === null ? null : encoder.encode(value)));
    const text = new Uint8Array(parts.reduce((sum, part) => sum + (part?.length ?? 0), 0));
    const textStart = new Int32Array(ids.length);
    const textLength = new Int32Array(ids.length);
    let at = 0;
    parts.forEach((part, row) => {
      textStart[row] = at;
      textLength[row] = part === null ? -1 : part.length;
      if (part) text.set(part, at);
      at += part?.length ?? 0;
    });
    return { rows: ids.length, text, textStart, textLength, numbers: new Float64Array(0) };
  }

  it('orders as SQLite compares text (UTF-8 bytes, then length), across batches', async () => {
    const order = new AscendingIds(0, 1);
    expect(order.continues(batch(['1', '10', '2']))).toBe(true);
    // U+FF5E sorts before U+1F600 in UTF-8 (EF.. < F0..), after it in UTF-16 (FF5E > D83D).
    expect(order.continues(batch(['2a', '\uFF5E', '😀']))).toBe(true);
    expect(order.continues(batch(['😀']))).toBe(false); // equal to the one before
    expect(order.continues(batch(['😀😀']))).toBe(false); // once out of order, it stays so

    const t = await startImportProject();
    const db = t.engine.state.requireSession().db;
    expect(db.all("SELECT value FROM json_each('[\"😀\",\"2\",\"\uFF5E\",\"10\",\"1\",\"2a\"]') ORDER BY value").map((r) => r.value)).toEqual(['1', '10', '2', '2a', '\uFF5E', '😀']);
  });

  it('is out of order at an ID that is not larger, or missing', () => {
    expect(new AscendingIds(0, 1).continues(batch(['b', 'a']))).toBe(false);
    expect(new AscendingIds(0, 1).continues(batch(['ab', 'a']))).toBe(false);
    expect(new AscendingIds(0, 1).continues(batch(['a', null]))).toBe(false);
    expect(new AscendingIds(0, 1).continues(batch([]))).toBe(true);
  });
});
