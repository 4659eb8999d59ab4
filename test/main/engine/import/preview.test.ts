import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDemoCsv } from '../../../../main/engine/demo/demo-csv';
import { importMethods } from '../../../../shared/contract/imports';
import { cp1251, startImportProject, writeCsv } from './helpers';

describe('import/preview', () => {
  it('shows the detected options, the first rows, and each column with examples, type and suggestion', async () => {
    const t = await startImportProject();
    const rows = Array.from({ length: 40 }, (_, i) => `${String(i + 1).padStart(5, '0')};${i % 2 ? 'female' : 'male'};${(i * 1.5).toFixed(1).replace('.', ',')};${String((i % 28) + 1).padStart(2, '0')}.03.1990;${i % 3 ? 'да' : 'нет'};${i % 4 ? '' : 'x' + i};unsubscribed`);
    const path = writeCsv(t.dir, 'people.csv', `\uFEFFID;Gender;Spent;Born;Agreed;Note;Status\r\n${rows.join('\r\n')}\r\n`);
    const preview = await t.call('import/preview', { path });
    expect(preview).toMatchObject({
      fileName: 'people.csv',
      detected: { encoding: 'utf-8', delimiter: ';', hasHeader: true, decimalSeparator: ',', dateOrder: 'dmy' },
      bom: true,
      lineEnding: 'crlf',
      sampledRows: 40,
      wholeFileSampled: true,
      dateOrderAmbiguous: false,
      warnings: [],
    });
    expect(preview.options).toEqual(preview.detected);
    expect(importMethods['import/preview'].result.parse(preview)).toEqual(preview);
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[0]).toEqual(['00001', 'male', '0,0', '01.03.1990', 'нет', 'x0', 'unsubscribed']);
    expect(preview.columns.map((c) => [c.name, c.inferredType, c.inferredEnumValues, c.suggested])).toEqual([
      ['ID', 'string', [], { kind: 'profileId' }],
      ['Gender', 'enum', ['female', 'male'], { kind: 'newField', field: { name: 'Gender', type: 'enum', enumValues: ['female', 'male'] }, addEnumValues: true }],
      ['Spent', 'number', [], { kind: 'newField', field: { name: 'Spent', type: 'number' } }],
      ['Born', 'date', [], { kind: 'newField', field: { name: 'Born', type: 'date' } }],
      ['Agreed', 'boolean', [], { kind: 'newField', field: { name: 'Agreed', type: 'boolean' } }],
      ['Note', 'string', [], { kind: 'newField', field: { name: 'Note', type: 'string' } }],
      ['Status', 'enum', ['unsubscribed'], { kind: 'subscription' }],
    ]);
    expect(preview.columns[5]).toMatchObject({ examples: ['x0', 'x4', 'x8', 'x12', 'x16'], emptyCount: 30 });
    // Every different value with its cells, most frequent first, as a list field holds them.
    expect(preview.columns[1]).toMatchObject({ values: [{ value: 'female', count: 20 }, { value: 'male', count: 20 }], moreValues: false });
    expect(preview.columns[0]!.values).toHaveLength(40);
  });

  it('suggests the fields a database already has, by name in any case', async () => {
    const t = await startImportProject();
    const db = await t.call('database/create', { name: 'P', fields: [{ name: 'Город', type: 'string' }, { name: 'visits', type: 'number' }] });
    const preview = await t.call('import/preview', { path: writeCsv(t.dir, 'a.csv', 'customer_id,город,VISITS,subscription\n1,Казань,3,subscribed\n'), databaseId: db.id });
    expect(preview.columns.map((c) => c.suggested)).toEqual([
      { kind: 'profileId' },
      { kind: 'field', fieldId: db.fields[0]!.id },
      { kind: 'field', fieldId: db.fields[1]!.id },
      { kind: 'subscription' },
    ]);
  });

  it('reads the sample again with the options the user chose', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'ru.csv', cp1251('id;город\n1;Москва\n'));
    expect((await t.call('import/preview', { path })).rows).toEqual([['1', 'Москва']]);
    const wrong = await t.call('import/preview', { path, options: { encoding: 'windows-1252', hasHeader: false, delimiter: ',' } });
    expect(wrong.options).toMatchObject({ encoding: 'windows-1252', hasHeader: false, delimiter: ',' });
    expect(wrong.detected).toMatchObject({ encoding: 'windows-1251', hasHeader: true, delimiter: ';' });
    expect(wrong.rows).toEqual([['id;ãîðîä'], ['1;Ìîñêâà']]);
  });

  it('warns about problems the sample already shows, one line per column and kind', async () => {
    const t = await startImportProject();
    const db = await t.call('database/create', { name: 'P', fields: [{ name: 'age', type: 'number' }] });
    const path = writeCsv(t.dir, 'w.csv', 'id,age\n1,30\n2,thirty\n2,31\n3,x\n4\n');
    const preview = await t.call('import/preview', { path, databaseId: db.id });
    expect(preview.warnings).toEqual([
      'Column "age", row 3 ("thirty"): not a number (the decimal separator is ".") (2 such problems in the sample).',
      'Column "id", row 4 ("2"): ID repeated in the file: each profile ID may appear once (this row is left out).',
      'Row 6: too few cells: 1, the header has 2.',
    ]);
  });

  it('infers numbers stored exactly as numbers, and quoted numbers, dates and yes/no as text', async () => {
    const t = await startImportProject();
    const types = async (name: string, csv: string) =>
      (await t.call('import/preview', { path: writeCsv(t.dir, name, csv) })).columns.map((c) => [c.name, c.inferredType]);
    // The README's numbers, as the export writes them, are numbers; digits a double would round are text.
    expect(
      await types('n.csv', 'id,n,big,zeros\n1,0.30000000000000004,12345678901234567890,00123\n2,1e+21,1,1\n3,-5,2,2\n4,100000000000000000000,3,3\n5,-0.25,4,4\n'),
    ).toEqual([
      ['id', 'number'],
      ['n', 'number'],
      ['big', 'string'],
      ['zeros', 'string'],
    ]);
    // A typed-looking value quoted for no other reason marks its column text (the export's way).
    expect(await types('q.csv', 'id,digits,flag,day,n\n1,"12",true,2024-01-31,5\n2,7,"false","2024-02-01",6\n')).toEqual([
      ['id', 'number'],
      ['digits', 'string'],
      ['flag', 'string'],
      ['day', 'string'],
      ['n', 'number'],
    ]);
    // Where every value is quoted, quotes say nothing.
    expect(await types('all.csv', '"id","n","flag"\n"1","12","true"\n"2","7","false"\n')).toEqual([
      ['id', 'number'],
      ['n', 'number'],
      ['flag', 'boolean'],
    ]);
    // A list's values are taken as the import stores them: the export's apostrophe off.
    const list = Array.from({ length: 24 }, (_, i) => `${i},${["'-1", "'=x", 'gold'][i % 3]}`).join('\n');
    const preview = await t.call('import/preview', { path: writeCsv(t.dir, 'list.csv', `id,tier\n${list}\n`) });
    expect(preview.columns[1]).toMatchObject({ inferredType: 'enum', inferredEnumValues: ['-1', '=x', 'gold'] });
  });

  it('samples the first megabyte of a big file and says it did not see it all', async () => {
    const t = await startImportProject();
    const path = join(t.dir, 'big.csv');
    await writeDemoCsv(path, { count: 60_000, seed: 'p', today: '2026-01-05', columns: 'benchmark' });
    const preview = await t.call('import/preview', { path });
    expect(preview).toMatchObject({ wholeFileSampled: false, sampledRows: 5_000, warnings: [] });
    expect(preview.columns.map((c) => c.suggested.kind === 'newField' ? c.suggested.field.type : c.suggested.kind)).toEqual([
      'profileId', 'enum', 'date', 'enum', 'date', 'number', 'number', 'subscription',
    ]);
  });
});
