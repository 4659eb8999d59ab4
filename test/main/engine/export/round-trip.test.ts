/**
 * Export, then import the file into a new database with the same fields: the profiles
 * come back the same, value for value, whatever the text holds (formulas, quotes,
 * delimiters, line breaks, apostrophes) and whatever the delimiter and BOM.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CsvOptions } from '../../../../shared/contract/imports';
import type { FieldDraft } from '../../../../shared/contract/databases';
import type { SqlValue } from '../../../../main/engine/sqlite/database';
import { listFields } from '../../../../main/engine/databases/repository';
import { startDatabaseProject, type DatabaseProject, type ProfileDraft } from '../databases/helpers';
import { startTestEngine, type TestEngine } from '../../../helpers/engine';

const TRICKY_TEXT = [
  'plain',
  '00123',
  '=HYPERLINK("http://x")',
  '+7 999 123-45-67',
  '-5',
  '@SUM(A1)',
  "'=x",
  "''+y",
  "'quoted'",
  'comma, inside',
  'semi;colon|pipe\ttab',
  'say "hi"',
  'two\nlines',
  'windows\r\nlines',
  'Ёжик в тумане',
  '日本語',
  'emoji 🙂',
  'trailing apostrophe\'',
  ' leading and trailing spaces ',
];

const NUMBERS = [0.1 + 0.2, 1e20, 1e21, 12, -5, 1.5e-7, 278.3, 0, -0.5, 2 ** 53 - 1, 123456.789];

function people(): ProfileDraft[] {
  const statuses = ['subscribed', 'unsubscribed', 'unconfirmed', 'bounced'] as const;
  return TRICKY_TEXT.map((text, i) => ({
    id: i === 0 ? '00123' : i === 1 ? '=1+1' : `id ${i}, "x"`,
    subscription: statuses[i % 4]!,
    values: {
      name: text,
      age: NUMBERS[i % NUMBERS.length]!,
      born: i % 3 === 0 ? null : `19${String(50 + i).padStart(2, '0')}-0${(i % 9) + 1}-1${i % 10}`,
      seen: i % 4 === 0 ? null : `2026-11-${String(10 + i).padStart(2, '0')}T0${i % 10}:15:3${i % 10}`,
      vip: i % 5 === 0 ? null : i % 2 === 0,
      tier: i % 6 === 0 ? null : (['gold', 'silver', 'bronze'] as const)[i % 3]!,
    },
  }));
}

/** Every profile of a database as plain rows (ID, status, values in field order), in order. */
function rowsOf(t: TestEngine, databaseId: number): SqlValue[][] {
  const db = t.engine.state.requireSession().db;
  const columns = listFields(db, databaseId).map((f) => `f_${f.id}`);
  return db.all(`SELECT profile_id, subscription${columns.map((c) => `, ${c}`).join('')} FROM profiles_${databaseId} ORDER BY rowid`).map((r) => Object.values(r));
}

async function roundTrip(p: DatabaseProject | TestEngine, databaseId: number, options: { delimiter: CsvOptions['delimiter']; bom: boolean }) {
  const path = join(p.dir, `round-trip-${options.delimiter.charCodeAt(0)}-${options.bom}.csv`);
  await p.call('export/profiles', { databaseId, path, delimiter: options.delimiter, bom: options.bom }, `export-${path}`);
  const fields = (await p.call('database/get', { databaseId })).fields;
  const drafts: FieldDraft[] = fields.map((f) => (f.type === 'enum' ? { name: f.name, type: f.type, enumValues: f.enumValues } : { name: f.name, type: f.type }));
  const result = await p.call(
    'import/run',
    {
      path,
      target: { newDatabase: `Back ${options.delimiter.charCodeAt(0)} ${options.bom}` },
      csv: { encoding: 'utf-8', delimiter: options.delimiter, hasHeader: true, decimalSeparator: '.', dateOrder: null },
      mapping: [
        { column: 0, target: { kind: 'profileId' } },
        { column: 1, target: { kind: 'subscription' } },
        ...drafts.map((field, i) => ({ column: i + 2, target: { kind: 'newField' as const, field } })),
      ],
      mode: 'add',
      emptyCells: 'keep',
      onBadRows: 'stop',
    },
    `import-${path}`,
  );
  expect(result.problems).toEqual([]);
  expect(result.outcome).toBe('imported');
  return result;
}

describe('export, then import: the same profiles', () => {
  it.each([
    [',', true],
    [';', false],
    ['\t', true],
    ['|', false],
  ] as const)('with the delimiter %j and BOM %s', async (delimiter, bom) => {
    const p = await startDatabaseProject();
    p.insert(people());
    const result = await roundTrip(p, p.databaseId, { delimiter, bom });
    expect(result.added).toBe(TRICKY_TEXT.length);
    expect(rowsOf(p, result.database!.id)).toEqual(rowsOf(p, p.databaseId));
  });

  it('for the demo audience, read through the file snapshot', async () => {
    const t = await startTestEngine();
    await t.call('demo/create', { profiles: 30_000, seed: 'round trip' });
    const [demo] = await t.call('database/list', {});
    const result = await roundTrip(t, demo!.id, { delimiter: ',', bom: true });
    expect(result.added).toBe(30_000);
    expect(rowsOf(t, result.database!.id)).toEqual(rowsOf(t, demo!.id));
  });
});
