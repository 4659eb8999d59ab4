/**
 * Values that do not fit a list (enum) field: the preview names them with their counts, the
 * import adds them to the list when asked (in its own transaction), and an import that adds
 * nothing is never a success: nothing is made, and the result says why.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnMapping, ImportPreview } from '../../../../shared/contract/imports';
import { MAX_ENUM_VALUES } from '../../../../shared/domain/profiles';
import { nothingImported } from '../../../../shared/import-summary';
import type { EngineError } from '../../../../shared/contract/errors';
import { fieldColumn, profileTable } from '../../../../main/engine/databases/profile-table';
import { extendEnumLists } from '../../../../main/engine/import/enum-lists';
import { startDatabaseProject } from '../databases/helpers';
import { importedInto, startImportProject, writeCsv, type ImportProject } from './helpers';

async function withTiers(t: ImportProject, values: string[] = ['gold', 'silver']) {
  return t.call('database/create', { name: 'Customers', fields: [{ name: 'tier', type: 'enum', enumValues: values }] });
}

/** 2,000 rows: 1,500 "platinum" and 500 "bronze", neither in the list. */
function tiersCsv(t: ImportProject): string {
  const rows = Array.from({ length: 2000 }, (_, i) => `${i + 1},${i % 4 === 3 ? 'bronze' : 'platinum'}`);
  return writeCsv(t.dir, 'tiers.csv', `id,tier\n${rows.join('\n')}\n`);
}

const adding = (preview: ImportPreview): ColumnMapping[] =>
  preview.columns.map((c) => ({ column: c.index, target: c.suggested.kind === 'field' ? { ...c.suggested, addEnumValues: true } : c.suggested }));

describe('values that are not in a list field', () => {
  it('are named with their counts by the preview', async () => {
    const t = await startImportProject();
    const db = await withTiers(t);
    const preview = await t.call('import/preview', { path: tiersCsv(t), databaseId: db.id });
    expect(preview.columns[1]).toMatchObject({
      suggested: { kind: 'field', fieldId: db.fields[0]!.id },
      values: [
        { value: 'platinum', count: 1500 },
        { value: 'bronze', count: 500 },
      ],
      moreValues: false,
    });
    expect(preview.warnings).toEqual([
      'Column "tier" goes to the list field "tier": 2 values are not in the list: "platinum" (1,500 rows), "bronze" (500 rows). Add them to the list, or the rows with them are not imported.',
    ]);
  });

  it('make every row a problem when not added: nothing is imported, and the result says so', async () => {
    const t = await startImportProject();
    const db = await withTiers(t);
    const result = await t.importFile(tiersCsv(t), { target: { databaseId: db.id }, onBadRows: 'skip' });
    expect(result).toMatchObject({ outcome: 'stopped', importId: null, rowsRead: 2000, skipped: 2000, added: 0, enumValuesAdded: [] });
    expect(result.problems[0]).toMatchObject({ row: 2, column: 'tier', value: 'platinum', code: 'unknown_enum_value' });
    expect(nothingImported(result)).toBe('Nothing was imported: every row (2,000) has a problem.');
    expect((await t.call('database/get', { databaseId: db.id })).profileCount).toBe(0);
    expect((await t.call('database/get', { databaseId: db.id })).imports).toEqual([]);
    // Into a new database, nothing is made either.
    const fresh = await t.importFile(tiersCsv(t), {
      target: { newDatabase: 'Fresh' },
      onBadRows: 'skip',
      mapping: () => [
        { column: 0, target: { kind: 'profileId' } },
        { column: 1, target: { kind: 'newField', field: { name: 'tier', type: 'enum', enumValues: ['gold'] } } },
      ],
    });
    expect(fresh.outcome).toBe('stopped');
    expect((await t.call('database/list', {})).map((d) => d.name)).toEqual(['Customers']);
  });

  it('are added to the list when asked, in the import\'s transaction, in the order first seen', async () => {
    const t = await startImportProject();
    const db = await withTiers(t);
    const path = tiersCsv(t);
    const result = await t.importFile(path, { target: { databaseId: db.id }, mapping: adding });
    expect(result).toMatchObject({ outcome: 'imported', added: 2000, problemCount: 0, enumValuesAdded: [{ field: 'tier', values: ['platinum', 'bronze'] }] });
    expect(nothingImported(result)).toBeNull();
    expect((await t.call('database/get', { databaseId: db.id })).fields[0]!.enumValues).toEqual(['gold', 'silver', 'platinum', 'bronze']);
    expect(t.profiles(db.id).slice(0, 4).map((p) => p.tier)).toEqual(['platinum', 'platinum', 'platinum', 'bronze']);
  });

  it('leave the list as it was when the import stops or is cancelled', async () => {
    const t = await startImportProject();
    const db = await withTiers(t);
    const path = writeCsv(t.dir, 'bad.csv', 'id,tier\n1,platinum\n1,bronze\n');
    const stopped = await t.importFile(path, { target: { databaseId: db.id }, mapping: adding, onBadRows: 'stop' });
    expect(stopped).toMatchObject({ outcome: 'stopped', enumValuesAdded: [] });
    expect(stopped.problems.map((p) => p.code)).toEqual(['duplicate_id']);
    expect((await t.call('database/get', { databaseId: db.id })).fields[0]!.enumValues).toEqual(['gold', 'silver']);
  });

  it('fill a list up to its limit; the rest are problems that say the list is full', async () => {
    const t = await startImportProject();
    const full = Array.from({ length: MAX_ENUM_VALUES - 1 }, (_, i) => `v${i}`);
    const db = await withTiers(t, full);
    const path = writeCsv(t.dir, 'more.csv', 'id,tier\n1,new1\n2,new2\n3,v7\n4,new3\n');
    const result = await t.importFile(path, { target: { databaseId: db.id }, mapping: adding, onBadRows: 'skip' });
    expect(result).toMatchObject({ outcome: 'imported', added: 2, skipped: 2, enumValuesAdded: [{ field: 'tier', values: ['new1'] }] });
    expect(result.problems.map((p) => [p.row, p.value, p.reason])).toEqual([
      [3, 'new2', `not in the field's list, which is full (a list holds at most ${MAX_ENUM_VALUES} values)`],
      [5, 'new3', `not in the field's list, which is full (a list holds at most ${MAX_ENUM_VALUES} values)`],
    ]);
    expect((await t.call('database/get', { databaseId: db.id })).fields[0]!.enumValues).toHaveLength(MAX_ENUM_VALUES);
  });

  it('go into a new list made from a sample when they first turn up after it', async () => {
    const t = await startImportProject();
    // More than the preview's megabyte: the last value is not in the sample.
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i + 1},${['gold', 'silver', 'bronze'][i % 3]},note number ${i}`);
    const path = writeCsv(t.dir, 'big.csv', `id,tier,note\n${rows.join('\n')}\n60001,rare,x\n`);
    const preview = await t.call('import/preview', { path });
    expect(preview.wholeFileSampled).toBe(false);
    expect(preview.columns[1]!.suggested).toEqual({ kind: 'newField', field: { name: 'tier', type: 'enum', enumValues: ['bronze', 'gold', 'silver'] }, addEnumValues: true });
    const result = await t.importFile(path);
    expect(result).toMatchObject({ added: 60_001, problemCount: 0, enumValuesAdded: [{ field: 'tier', values: ['rare'] }] });
    const database = await t.call('database/get', { databaseId: importedInto(result) });
    expect(database.fields[0]!.enumValues).toEqual(['bronze', 'gold', 'silver', 'rare']);
  });

  it('refuses a list that would pass its limit (values from both halves of a split parse), naming the field', async () => {
    const p = await startDatabaseProject([{ name: 'tier', type: 'enum', enumValues: Array.from({ length: MAX_ENUM_VALUES - 1 }, (_, i) => `v${i}`) }]);
    p.insert([
      { id: '1', values: { tier: 'new1' } },
      { id: '2', values: { tier: 'new2' } },
    ]);
    const field = p.field('tier');
    const target = { target: { column: fieldColumn(field.id), sqlType: 'TEXT' as const }, field };
    const error = (() => {
      try {
        extendEnumLists(p.db(), profileTable(p.databaseId), new Map([[0, new Set(['new1', 'new2'])]]), [target]);
      } catch (e) {
        return e as EngineError;
      }
      return null;
    })();
    expect(error?.code).toBe('REFUSED');
    expect(error?.message).toBe(
      `The list of "tier" would have 501 values with the ones this file adds; a list holds at most ${MAX_ENUM_VALUES}. Nothing was imported. Is "tier" really a list? Import the column as text instead.`,
    );
    // Values no profile holds (a row left alone by the mode) are not added.
    expect(extendEnumLists(p.db(), profileTable(p.databaseId), new Map([[0, new Set(['new1', 'ghost'])]]), [target])).toEqual([{ field: 'tier', values: ['new1'] }]);
  });
});
