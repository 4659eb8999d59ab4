/**
 * Export, then import into a NEW database with the types the import infers (as the wizard
 * suggests them and `cplan import` takes them): every value and every field's type come
 * back, for generated databases full of awkward values (leading zeros, quotes, line breaks,
 * CRs, formulas, apostrophes, "-5", long decimals, 1e+21, text that reads as a number, a
 * date or yes/no, empty cells, Cyrillic, emoji), with every delimiter, with and without BOM.
 *
 * `ROUND_TRIP_RUNS=500` runs more cases than the usual 20.
 *
 * What the values cannot tell is left out, as the README says: a column with no value at
 * all comes back as text, and text is told from a list (enum) by how its values repeat, so
 * text fields here hold different values and lists repeat theirs (20 or more cells).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldDraft } from '../../../../shared/contract/databases';
import type { CsvOptions } from '../../../../shared/contract/imports';
import { SUBSCRIPTION_STATUSES, type FieldType, type FieldValue } from '../../../../shared/domain/profiles';
import { runCli } from '../../../../main/cli/cplan';
import { unescapeFormulaGuard } from '../../../../main/engine/import/convert';
import { listFields } from '../../../../main/engine/databases/repository';
import { insertProfiles, type ProfileDraft } from '../databases/helpers';
import { startTestEngine, type TestEngine } from '../../../helpers/engine';

const AWKWARD_TEXT = [
  '00123',
  '007',
  'say "hi"',
  '"quoted"',
  'a,b',
  'semi;colon|pipe\ttab',
  'two\nlines',
  'windows\r\nlines',
  'ends in CR\r',
  '\rstarts with CR',
  '=x',
  '=HYPERLINK("http://x")',
  "'=x",
  "''=x",
  "'12",
  '-5',
  '-0.25',
  '+7 999 123-45-67',
  '@x',
  '\tx',
  '0.30000000000000004',
  '1e+21',
  '100000000000000000000',
  '12',
  '1,5',
  '1 234',
  '\u00a012',
  'true',
  'no',
  'Да',
  'N',
  '2024-01-31',
  '31.12.2024',
  '03/04/2024',
  '2024-12-31T10:15:00',
  '2024-12-31 10:15',
  'Ёжик в тумане',
  '🙂',
  '日本語',
  ' spaced ',
  'NaN',
  'Infinity',
];

/** Field names, also awkward (a formula, a number, a yes/no word, quotes). */
const NAMES = ['name', 'Город', '=total', '-x', 'a,b', 'say "hi"', '🙂 emoji', '2024', 'true', "it's", 'Ёж', 'note'];

const TYPES: readonly FieldType[] = ['string', 'number', 'date', 'datetime', 'boolean', 'enum', 'string'];

/** Text as a text field stores it: never blank (a blank cell is no value). */
const text = fc
  .oneof(fc.constantFrom(...AWKWARD_TEXT), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }))
  .filter((v) => v.trim() !== '' && !v.includes('\u0000'));
/** How the import tells values of a text column apart: trimmed, the export's apostrophe off. */
const asStored = (v: string) => unescapeFormulaGuard(v.trim());
const label = text.map((v) => v.trim()).filter((v) => v !== '' && v.length <= 200);

const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.constantFrom(0.1 + 0.2, 1e21, 1e20, -5, -0.5, -0.25, 2 ** 53 + 2, 5e-324, 1.7976931348623157e308, 123.45, 0, 1),
);
const day = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });

interface Spec {
  readonly fields: readonly FieldDraft[];
  readonly profiles: readonly ProfileDraft[];
  readonly delimiter: CsvOptions['delimiter'];
  readonly bom: boolean;
}

/** One column's values for `rows` profiles; null is no value. */
function columnOf(type: FieldType, rows: number, enumValues: readonly string[]): fc.Arbitrary<(FieldValue | null)[]> {
  const withGaps = <T,>(values: fc.Arbitrary<T>, minFilled: number) =>
    fc
      .tuple(fc.array(values, { minLength: rows, maxLength: rows }), fc.array(fc.boolean(), { minLength: rows, maxLength: rows }))
      .map(([vs, gaps]) => {
        let filled = rows;
        return vs.map((v, i) => (gaps[i] && filled-- > minFilled ? null : v));
      });
  switch (type) {
    case 'string':
      // Different values, so the column does not look like a list.
      return fc
        .tuple(fc.uniqueArray(text, { minLength: rows, maxLength: rows, selector: asStored }), fc.array(fc.boolean(), { minLength: rows, maxLength: rows }))
        .map(([vs, gaps]) => vs.map((v, i) => (gaps[i] ? null : v)));
    case 'number':
      return withGaps(number, 1);
    case 'date':
      return withGaps(day.map((d) => d.toISOString().slice(0, 10)), 1);
    case 'datetime':
      return withGaps(day.map((d) => d.toISOString().slice(0, 19)), 1);
    case 'boolean':
      return withGaps(fc.boolean(), 1);
    case 'enum':
      return withGaps(fc.constantFrom(...enumValues), 20);
  }
}

const spec: fc.Arbitrary<Spec> = fc
  .record({
    rows: fc.integer({ min: 20, max: 32 }),
    names: fc.shuffledSubarray(NAMES, { minLength: TYPES.length, maxLength: TYPES.length }),
    enumValues: fc.uniqueArray(label, { minLength: 1, maxLength: 5, selector: asStored }),
    delimiter: fc.constantFrom<CsvOptions['delimiter']>(',', ';', '\t', '|'),
    bom: fc.boolean(),
  })
  .chain(({ rows, names, enumValues, delimiter, bom }) => {
    const fields: FieldDraft[] = TYPES.map((type, i) => (type === 'enum' ? { name: names[i]!, type, enumValues } : { name: names[i]!, type }));
    return fc
      .record({
        ids: fc.uniqueArray(label, { minLength: rows, maxLength: rows }),
        statuses: fc.array(fc.constantFrom(...SUBSCRIPTION_STATUSES), { minLength: rows, maxLength: rows }),
        columns: fc.tuple(...fields.map((f) => columnOf(f.type, rows, enumValues))),
      })
      .map(({ ids, statuses, columns }) => ({
        fields,
        delimiter,
        bom,
        profiles: ids.map((id, r) => ({
          id,
          subscription: statuses[r]!,
          values: Object.fromEntries(fields.map((f, c) => [f.name, columns[c]![r]!])),
        })),
      }));
  });

/** Every profile of a database as plain rows (ID, status, values in field order), in order. */
function rowsOf(t: TestEngine, databaseId: number): unknown[][] {
  const db = t.engine.state.requireSession().db;
  const columns = listFields(db, databaseId).map((f) => `, f_${f.id}`);
  return db.all(`SELECT profile_id, subscription${columns.join('')} FROM profiles_${databaseId} ORDER BY rowid`).map((r) => Object.values(r));
}

describe('export, then import into a new database with inferred types', () => {
  it('gives back every value and every field type', { timeout: 120_000 }, async () => {
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Round trip' });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(spec, async ({ fields, profiles, delimiter, bom }) => {
        run += 1;
        const source = await t.call('database/create', { name: `Source ${run}`, fields: [...fields] });
        insertProfiles(t.engine.state.requireSession().db, source.id, profiles);
        const path = join(t.dir, `round-trip-${run}.csv`);
        await t.call('export/profiles', { databaseId: source.id, path, delimiter, bom }, `export-${run}`);

        const preview = await t.call('import/preview', { path });
        const result = await t.call(
          'import/run',
          {
            path,
            target: { newDatabase: `Back ${run}` },
            csv: preview.options,
            mapping: preview.columns.map((c) => ({ column: c.index, target: c.suggested })),
            mode: 'add',
            emptyCells: 'keep',
            onBadRows: 'stop',
          },
          `import-${run}`,
        );
        expect(result.problems).toEqual([]);
        expect(result.added).toBe(profiles.length);
        const back = result.database!.id;
        const db = t.engine.state.requireSession().db;
        const typesOf = (id: number) => listFields(db, id).map((f) => [f.name, f.type]);
        expect(typesOf(back)).toEqual(typesOf(source.id));
        expect(rowsOf(t, back)).toEqual(rowsOf(t, source.id));
        // A list comes back with the values its profiles use, in its own order.
        const list = listFields(db, back).find((f) => f.type === 'enum')!.enumValues;
        const used = new Set(profiles.map((p) => p.values?.[fields.find((f) => f.type === 'enum')!.name]).filter((v) => v !== null));
        expect(new Set(list)).toEqual(used);
      }),
      { numRuns: Number(process.env.ROUND_TRIP_RUNS ?? 20) },
    );
  });
});

describe('cplan export, then cplan import into a new database', () => {
  it('gives back every value and every field type, the README\'s numbers and text of numbers included', async () => {
    const t = await startTestEngine();
    const file = (name: string) => join(t.dir, name);
    const cli = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
      expect(code, err.join('')).toBe(0);
      return out.join('');
    };
    const fields = ['n:number', 'note:string', 'digits:string', 'day:date', 'at:datetime', 'ok:boolean', 'tier:enum:gold|silver|=x|12'];
    await cli('new', file('p.cplan'));
    await cli('database', 'create', file('p.cplan'), 'Source', ...fields.flatMap((f) => ['--field', f]));
    // Text typed in by hand: numbers, formulas, dates, yes/no words; the "digits" field holds
    // nothing but numbers as text, so only the export's quotes keep it text.
    const rows = [
      ['id', 'n', 'note', 'digits', 'day', 'at', 'ok', 'tier'],
      ['00123', '0.30000000000000004', '-5', '12', '2024-01-31', '2024-01-31T10:15:00', 'true', 'gold'],
      ['=1+1', '1e+21', '=x', '0.30000000000000004', '', '', 'false', '=x'],
      ['a,b', '100000000000000000000', "'=x", '1e+21', '1999-12-31', '1999-12-31T00:00:00', '', '12'],
      ['Ёж', '-5', '2024-01-31', '-0.25', '2000-02-29', '', 'true', 'silver'],
      ['🙂', '-0.5', 'two\nlines', '00123', '', '2000-02-29T23:59:59', 'false', 'gold'],
      ['x"y', '-0.25', 'true', '007', '0001-01-01', '9999-12-31T23:59:59', 'true', ''],
      ['6', '', '', '', '', '', '', 'gold'],
      // A list is told from text by its values repeating: 20 filled cells at least.
      ...Array.from({ length: 20 }, (_, i) => [`p${i}`, String(i / 4), `note ${i}`, String(i * 7), '', '', '', ['gold', 'silver', '=x', '12'][i % 4]!]),
    ];
    const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
    writeFileSync(file('source.csv'), rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n');
    await cli('import', file('p.cplan'), file('source.csv'), '--database', 'Source');

    await cli('export', file('p.cplan'), file('out.csv'), '--database', 'Source');
    await cli('import', file('p.cplan'), file('out.csv'), '--database', 'Back', '--create');
    await cli('export', file('p.cplan'), file('back.csv'), '--database', 'Back');
    expect(readFileSync(file('back.csv'), 'utf8')).toBe(readFileSync(file('out.csv'), 'utf8'));
    const types = async (database: string) =>
      (JSON.parse(await cli('database', 'fields', file('p.cplan'), database, '--json')) as { fields: { name: string; type: string }[] }).fields.map((f) => [
        f.name,
        f.type,
      ]);
    expect(await types('Back')).toEqual(await types('Source'));
    const exported = readFileSync(file('out.csv'), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(exported[1]).toBe('00123,subscribed,0.30000000000000004,\'-5,"12",2024-01-31,2024-01-31T10:15:00,true,gold');
  });
});
