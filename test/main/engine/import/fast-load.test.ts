/**
 * The load into a new database (run.ts): room made in the file before the rows, the ID
 * index built once at the end, list values found after the sample added without reading
 * the table back when every row was written. The same profiles, a sound file and the same
 * problems as ever.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
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
  it('makes room in the file for the rows before they come, and builds the ID index at the end', async () => {
    const t = await startImportProject();
    const result = await t.importFile(writeCsv(t.dir, 'sorted.csv', csv(Array.from({ length: 6000 }, (_, i) => id(i + 1)))));
    expect(result).toMatchObject({ outcome: 'imported', added: 6000, problemCount: 0 });
    const databaseId = result.database!.id;
    expect(phases(t, 'import-1')).toContain('Building the index');
    expect(fileState(t, databaseId)).toEqual({ integrity: 'ok', index: expect.stringContaining('CREATE UNIQUE INDEX'), freePages: 0 });
    expect((await t.call('profile/get', { databaseId, profileId: id(4321) })).profileId).toBe(id(4321));
    // The room (file-room.ts) is made once, generously: some is left over.
    expect(fileRoomLeft(t.engine.state.requireSession().db)).toBeGreaterThan(0);
  });

  it('gives the same profiles, in file order, when the IDs are not in order', async () => {
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
