/**
 * Every kind of bad input the issue lists, through the real engine (import/preview and
 * import/run on real files, the parser in its worker thread): each gives a correct import
 * or a clear, located error, and never a partial import.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectEngineError } from '../../../helpers/engine';
import { cp1251, importedInto, startImportProject, utf16, writeCsv } from './helpers';

describe('files that are not CSV data', () => {
  it('refuses an empty file, at preview and at run', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'empty.csv', '');
    const error = await expectEngineError(t.call('import/preview', { path }), 'REFUSED');
    expect(error.message).toBe('"empty.csv" is empty: there is nothing to import.');
    await expectEngineError(
      t.call('import/run', {
        path,
        target: { newDatabase: 'X' },
        csv: { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null },
        mapping: [{ column: 0, target: { kind: 'profileId' } }],
        mode: 'upsert',
        emptyCells: 'keep',
        onBadRows: 'stop',
      }),
      'REFUSED',
    );
    expect(await t.call('database/list', {})).toEqual([]);
  });

  it('refuses a binary file renamed .csv, saying it is not text', async () => {
    const t = await startImportProject();
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 7)]);
    const error = await expectEngineError(t.call('import/preview', { path: writeCsv(t.dir, 'photo.csv', png) }), 'REFUSED');
    expect(error.message).toBe('"photo.csv" is not a CSV file: it is a PNG image.');
    const noise = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131) % 256));
    const other = await expectEngineError(t.call('import/preview', { path: writeCsv(t.dir, 'data.csv', noise) }), 'REFUSED');
    expect(other.message).toMatch(/not a CSV file: it holds binary data/);
  });

  it('says so when the file does not exist', async () => {
    const t = await startImportProject();
    const error = await expectEngineError(t.call('import/preview', { path: `${t.dir}/nope.csv` }), 'NOT_FOUND');
    expect(error.message).toMatch(/nope\.csv.*does not exist/);
  });
});

describe('headers', () => {
  it('imports a header-only file as zero rows: a result, with the database and its fields made', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'header.csv', 'profile_id,city,age\n');
    const preview = await t.call('import/preview', { path });
    expect(preview.warnings).toContain('The file has a header row but no data rows.');
    const result = await t.importFile(path);
    expect(result).toMatchObject({ outcome: 'imported', rowsRead: 0, added: 0, problemCount: 0 });
    expect(result.database).toMatchObject({ name: 'People', profileCount: 0, fieldCount: 2 });
  });

  it('reads a file without a header: columns "Column N", rows numbered from 1', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'nohead.csv', '00123,Ann,31\n00124,Bob,x\n');
    const preview = await t.call('import/preview', { path });
    expect(preview.detected.hasHeader).toBe(false);
    expect(preview.columns.map((c) => c.name)).toEqual(['Column 1', 'Column 2', 'Column 3']);
    expect(preview.warnings).toContain('No column is named like a profile ID (profile_id, id, customer_id, …): choose the column that holds the ID.');
    const result = await t.importFile(path, {
      onBadRows: 'skip',
      mapping: () => [
        { column: 0, target: { kind: 'profileId' } },
        { column: 1, target: { kind: 'newField', field: { name: 'name', type: 'string' } } },
        { column: 2, target: { kind: 'newField', field: { name: 'age', type: 'number' } } },
      ],
    });
    expect(result.problems).toEqual([{ row: 2, column: 'Column 3', value: 'x', code: 'not_a_number', reason: 'not a number (the decimal separator is ".")' }]);
    expect(t.profiles(importedInto(result))).toEqual([{ profile_id: '00123', subscription: 'subscribed', name: 'Ann', age: 31 }]);
  });

  it('flags duplicate and empty column names, and refuses a mapping that sends two columns to one place', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'names.csv', 'id,city,,City\n1,Kazan,x,Omsk\n');
    const preview = await t.call('import/preview', { path });
    expect(preview.columns.map((c) => [c.name, c.nameIssue ?? null, c.suggested.kind])).toEqual([
      ['id', null, 'profileId'],
      ['city', null, 'newField'],
      ['Column 3', 'empty', 'skip'],
      ['City', 'duplicate', 'skip'],
    ]);
    expect(preview.warnings).toContain('Column 3 has no name in the header: skip it, or map it to a field.');
    expect(preview.warnings).toContain('Columns 2 and 4 are both named "City": column 4 is skipped unless you map it to another field.');

    const twoCities = await expectEngineError(
      t.importFile(path, {
        mapping: () => [
          { column: 0, target: { kind: 'profileId' } },
          { column: 1, target: { kind: 'newField', field: { name: 'city', type: 'string' } } },
          { column: 3, target: { kind: 'newField', field: { name: 'CITY', type: 'string' } } },
        ],
      }),
      'INVALID_ARGUMENT',
    );
    expect(twoCities.message).toBe('Columns "city" and "City" all go to the field "city"; map each to a different field, or skip some.');
    expect(twoCities.details).toEqual({ columns: ['city', 'City'] });

    const twoIds = await expectEngineError(
      t.importFile(path, { mapping: () => [{ column: 0, target: { kind: 'profileId' } }, { column: 1, target: { kind: 'profileId' } }] }),
      'INVALID_ARGUMENT',
    );
    expect(twoIds.message).toBe('Columns "id" and "city" both go to the profile ID; choose one of them.');
    const noId = await expectEngineError(t.importFile(path, { mapping: () => [{ column: 1, target: { kind: 'skip' } }] }), 'INVALID_ARGUMENT');
    expect(noId.message).toBe('Choose the column that holds the profile ID: every profile needs one.');
    const outside = await expectEngineError(t.importFile(path, { mapping: () => [{ column: 9, target: { kind: 'profileId' } }] }), 'INVALID_ARGUMENT');
    expect(outside.message).toBe('Column 10 is not in the file: it has 4 columns.');
    expect(await t.call('database/list', {})).toEqual([]);

    // Renamed by the user, both cities import.
    const result = await t.importFile(path, {
      mapping: () => [
        { column: 0, target: { kind: 'profileId' } },
        { column: 1, target: { kind: 'newField', field: { name: 'city', type: 'string' } } },
        { column: 3, target: { kind: 'newField', field: { name: 'city 2', type: 'string' } } },
      ],
    });
    expect(t.profiles(importedInto(result))).toEqual([{ profile_id: '1', subscription: 'subscribed', city: 'Kazan', 'city 2': 'Omsk' }]);
  });
});

describe('rows and cells', () => {
  it('reports ragged rows by row, and with "stop" imports nothing', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'ragged.csv', 'id,a,b\n1,x,y\n2,x\n3,x,y,z\n4,x,y,,\n');
    const stopped = await t.importFile(path);
    expect(stopped).toMatchObject({ outcome: 'stopped', importId: null, database: null, rowsRead: 4, added: 0, skipped: 2, problemCount: 2 });
    expect(stopped.problems).toEqual([
      { row: 3, column: null, value: '2,x', code: 'too_few_cells', reason: 'too few cells: 2, the header has 3' },
      { row: 4, column: null, value: '3,x,y,z', code: 'too_many_cells', reason: 'too many cells: 4, the header has 3' },
    ]);
    expect(await t.call('database/list', {})).toEqual([]);

    // Skipping: the good rows go in; extra cells that are empty are no problem.
    const skipped = await t.importFile(path, { onBadRows: 'skip' });
    expect(skipped).toMatchObject({ outcome: 'imported', rowsRead: 4, added: 2, skipped: 2 });
    expect(t.profiles(importedInto(skipped)).map((p) => p.profile_id)).toEqual(['1', '4']);
  });

  it('keeps quoted cells with delimiters, doubled quotes and line breaks exactly, and counts rows as a spreadsheet does', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'quoted.csv', 'id,note,n\n1,"Say ""hi"", then\nleave",1\n2,"multi\r\nline",oops\n');
    const result = await t.importFile(path, {
      onBadRows: 'skip',
      mapping: () => [
        { column: 0, target: { kind: 'profileId' } },
        { column: 1, target: { kind: 'newField', field: { name: 'note', type: 'string' } } },
        { column: 2, target: { kind: 'newField', field: { name: 'n', type: 'number' } } },
      ],
    });
    // Row 3 is the second record, though it starts on line 4 of the file.
    expect(result.problems).toEqual([{ row: 3, column: 'n', value: 'oops', code: 'not_a_number', reason: 'not a number (the decimal separator is ".")' }]);
    expect(t.profiles(importedInto(result))).toEqual([{ profile_id: '1', subscription: 'subscribed', note: 'Say "hi", then\nleave', n: 1 }]);
  });

  it('stops on an unterminated quote even when bad rows are skipped: the rows after it cannot be told apart', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'open.csv', 'id,note\n1,fine\n2,"never closed\n3,lost\n');
    const result = await t.importFile(path, { onBadRows: 'skip' });
    expect(result).toMatchObject({ outcome: 'stopped', added: 0, problemCount: 1 });
    expect(result.problems).toEqual([
      { row: 3, column: null, value: null, code: 'unterminated_quote', reason: 'a quoted cell is never closed, so the rows after it cannot be told apart: nothing was imported' },
    ]);
    expect(await t.call('database/list', {})).toEqual([]);
  });

  it('refuses a file whose first row never ends, at preview and at run', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'open-header.csv', 'id,"name\n1,x\n');
    const error = await expectEngineError(t.call('import/preview', { path }), 'REFUSED');
    expect(error.message).toBe('The first row of "open-header.csv" never ends: a quote is not closed, or the delimiter or encoding is wrong.');
    await expectEngineError(t.importFile(writeCsv(t.dir, 'fine.csv', 'id\n1\n'), { mapping: () => [{ column: 0, target: { kind: 'profileId' } }] }).then(() =>
      t.call('import/run', {
        path,
        target: { newDatabase: 'X' },
        csv: { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null },
        mapping: [{ column: 0, target: { kind: 'profileId' } }],
        mode: 'upsert',
        emptyCells: 'keep',
        onBadRows: 'skip',
      }),
    ), 'REFUSED');
  });

  it('reports text after a closing quote as a bad row (and a stray quote that never closes as unterminated)', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'badquote.csv', 'id,note\n1,"ab"cd"\n2,ok\n');
    const result = await t.importFile(path, { onBadRows: 'skip' });
    expect(result.problems).toEqual([
      { row: 2, column: null, value: '1,ab"cd', code: 'invalid_quotes', reason: 'text after the closing quote of a quoted cell (a quote inside a cell must be doubled: "")' },
    ]);
    expect(result.added).toBe(1);
    const stray = writeCsv(t.dir, 'stray.csv', 'id,note\n1,"ab"cd\n2,ok\n');
    const stopped = await t.importFile(stray, { target: { newDatabase: 'Stray' }, onBadRows: 'skip' });
    expect(stopped.problems.map((p) => [p.row, p.code])).toEqual([[2, 'unterminated_quote']]);
  });

  it('reads CRLF and LF mixed in one file', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'mixed.csv', 'id,city\r\n1,Kazan\n2,"Omsk"\r\n3,Perm\n');
    const result = await t.importFile(path);
    expect((await t.call('import/preview', { path })).lineEnding).toBe('mixed');
    expect(t.profiles(importedInto(result)).map((p) => p.city)).toEqual(['Kazan', 'Omsk', 'Perm']);
  });

  it('reads a BOM as no part of the first column name', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'bom.csv', '\uFEFFprofile_id,city\r\n00123,Kazan\r\n');
    const preview = await t.call('import/preview', { path });
    expect(preview).toMatchObject({ bom: true, lineEnding: 'crlf' });
    expect(preview.columns[0]).toMatchObject({ name: 'profile_id', suggested: { kind: 'profileId' } });
    expect(t.profiles(importedInto(await t.importFile(path)))).toEqual([{ profile_id: '00123', subscription: 'subscribed', city: 'Kazan' }]);
  });

  it('reads an Excel file with semicolons and decimal commas', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'excel.csv', 'id;amount;score\n1;1 234,5;7\n2;-0,25;8\n' + Array.from({ length: 30 }, (_, i) => `${i + 3};${i},5;${i}\n`).join(''));
    const preview = await t.call('import/preview', { path });
    expect(preview.options).toMatchObject({ delimiter: ';', decimalSeparator: ',' });
    expect(preview.columns.map((c) => c.inferredType)).toEqual(['number', 'number', 'number']);
    const rows = t.profiles(importedInto(await t.importFile(path)));
    expect(rows.slice(0, 2)).toEqual([
      { profile_id: '1', subscription: 'subscribed', amount: 1234.5, score: 7 },
      { profile_id: '2', subscription: 'subscribed', amount: -0.25, score: 8 },
    ]);
  });

  it('reads Windows-1251 Cyrillic, detected and imported exactly', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'ru.csv', cp1251('id;Имя;Город\n1;Анна;Москва\n2;Пётр Ёлкин;Казань\n'));
    const preview = await t.call('import/preview', { path });
    expect(preview.detected.encoding).toBe('windows-1251');
    expect(preview.columns.map((c) => c.name)).toEqual(['id', 'Имя', 'Город']);
    expect(t.profiles(importedInto(await t.importFile(path)))).toEqual([
      { profile_id: '1', subscription: 'subscribed', Имя: 'Анна', Город: 'Москва' },
      { profile_id: '2', subscription: 'subscribed', Имя: 'Пётр Ёлкин', Город: 'Казань' },
    ]);
  });

  it('reads UTF-16 with a BOM', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'u16.csv', utf16('id\tимя\r\n1\tАнна\r\n', 'le'));
    const preview = await t.call('import/preview', { path });
    expect(preview.detected).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(t.profiles(importedInto(await t.importFile(path)))).toEqual([{ profile_id: '1', subscription: 'subscribed', имя: 'Анна' }]);
  });

  it('refuses a file that turns out not to be valid in the chosen encoding, with where, and imports nothing', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'half.csv', Buffer.concat([Buffer.from('id,name\n1,Ann\n'), cp1251('2,Анна\n')]));
    const error = await expectEngineError(t.importFile(path, { options: { encoding: 'utf-8' } }), 'REFUSED');
    expect(error.message).toMatch(/^The file is not valid UTF-8 text \(at byte 16, near row 3\)\. Choose the encoding/);
    expect(await t.call('database/list', {})).toEqual([]);
  });
});

describe('IDs', () => {
  it('keeps IDs exactly as written: leading zeros, long digits, letters', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'ids.csv', 'customer_id,n\n00123,1\n 0042 ,2\n12345678901234567890,3\nA-7,4\n');
    const preview = await t.call('import/preview', { path });
    expect(preview.columns[0]).toMatchObject({ inferredType: 'string', suggested: { kind: 'profileId' } });
    const rows = t.profiles(importedInto(await t.importFile(path)));
    expect(rows.map((r) => r.profile_id)).toEqual(['00123', '0042', '12345678901234567890', 'A-7']);
  });

  it('reports an ID repeated in the file with both rows, and an empty ID', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'dups.csv', 'id,city\n1,Kazan\n2,Omsk\n1,Perm\n,Tver\n  ,Ufa\n');
    const stopped = await t.importFile(path);
    expect(stopped.outcome).toBe('stopped');
    expect(stopped.problems).toEqual([
      { row: 4, column: 'id', value: '1', code: 'duplicate_id', reason: 'ID repeated in the file: each profile ID may appear once (this row is left out)', relatedRow: 2 },
      { row: 5, column: 'id', value: '', code: 'missing_id', reason: 'missing ID: every row needs a profile ID' },
      { row: 6, column: 'id', value: '  ', code: 'missing_id', reason: 'missing ID: every row needs a profile ID' },
    ]);
    const skipped = await t.importFile(path, { onBadRows: 'skip' });
    expect(t.profiles(importedInto(skipped)).map((r) => [r.profile_id, r.city])).toEqual([['1', 'Kazan'], ['2', 'Omsk']]);
    expect(skipped).toMatchObject({ rowsRead: 5, added: 2, skipped: 3 });
  });
});

describe('dates, choices and formulas', () => {
  it('reads dates in the chosen order, never guessing an ambiguous one', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'dates.csv', 'id,d\n1,2024-12-31\n2,03/04/2024\n3,05/06/2024\n');
    const preview = await t.call('import/preview', { path });
    expect(preview).toMatchObject({ dateOrderAmbiguous: true, detected: { dateOrder: null } });
    expect(preview.columns[1]).toMatchObject({ inferredType: 'date' });
    expect(preview.warnings).toContain('Dates like 03/04/2024 fit both day-first and month-first: choose the order, or such dates are refused.');

    const refused = await t.importFile(path, { onBadRows: 'skip' });
    expect(refused.problems[0]).toEqual({
      row: 3,
      column: 'd',
      value: '03/04/2024',
      code: 'not_a_date',
      reason: 'not a date in the chosen format (year-month-day, as in 2024-12-31; choose the day/month order for other dates)',
    });

    const dmy = await t.importFile(path, { target: { newDatabase: 'DMY' }, options: { dateOrder: 'dmy' } });
    expect(t.profiles(importedInto(dmy)).map((r) => r.d)).toEqual(['2024-12-31', '2024-04-03', '2024-06-05']);
    const mdy = await t.importFile(path, { target: { newDatabase: 'MDY' }, options: { dateOrder: 'mdy' } });
    expect(t.profiles(importedInto(mdy)).map((r) => r.d)).toEqual(['2024-12-31', '2024-03-04', '2024-05-06']);

    const dotted = writeCsv(t.dir, 'dotted.csv', 'id,d\n1,31.12.2024\n2,29.02.2023\n');
    const dottedPreview = await t.call('import/preview', { path: dotted });
    expect(dottedPreview.detected.dateOrder).toBe('dmy');
    // A column with a date that does not exist is inferred as text; as a date field, the cell is refused.
    expect(dottedPreview.columns[1]!.inferredType).toBe('string');
    const result = await t.importFile(dotted, {
      target: { newDatabase: 'Dotted' },
      onBadRows: 'skip',
      mapping: () => [{ column: 0, target: { kind: 'profileId' } }, { column: 1, target: { kind: 'newField', field: { name: 'd', type: 'date' } } }],
    });
    expect(result.problems.map((p) => [p.row, p.value, p.code])).toEqual([[3, '29.02.2023', 'not_a_date']]);
    expect(result.problems[0]!.reason).toBe('not a date in the chosen format (day first, as in 31.12.2024)');
  });

  it('refuses unknown choice values and unknown statuses, cell by cell', async () => {
    const t = await startImportProject();
    const db = await t.call('database/create', { name: 'People', fields: [{ name: 'tier', type: 'enum', enumValues: ['gold', 'silver'] }] });
    const path = writeCsv(t.dir, 'enum.csv', 'id,tier,status\n1,gold,Subscribed\n2,bronze,left\n3, silver ,\n');
    const result = await t.importFile(path, { target: { databaseId: db.id }, onBadRows: 'skip' });
    expect(result.problems).toEqual([
      { row: 3, column: 'tier', value: 'bronze', code: 'unknown_enum_value', reason: 'not one of the field\'s values ("gold", "silver")' },
      { row: 3, column: 'status', value: 'left', code: 'unknown_subscription_status', reason: 'unknown subscription status (subscribed, unsubscribed, unconfirmed, bounced)' },
    ]);
    expect(t.profiles(db.id)).toEqual([
      { profile_id: '1', subscription: 'subscribed', tier: 'gold' },
      { profile_id: '3', subscription: 'subscribed', tier: 'silver' },
    ]);
  });

  it('keeps formula-like cells as text, and undoes the export\'s apostrophe exactly once', async () => {
    const t = await startImportProject();
    const csv = 'id,note\n1,"=HYPERLINK(""http://evil.example"",""click"")"\n2,\'=1+1\n3,\'\'@home\n4,\'plain\'\n\'+79991234567,phone id\n';
    const path = writeCsv(t.dir, 'formulas.csv', csv);
    const rows = t.profiles(importedInto(await t.importFile(path)));
    expect(rows.map((r) => [r.profile_id, r.note])).toEqual([
      ['1', '=HYPERLINK("http://evil.example","click")'],
      ['2', '=1+1'],
      ['3', "'@home"],
      ['4', "'plain'"],
      ['+79991234567', 'phone id'],
    ]);
    // The error report guards values the same way, for the spreadsheet that opens it.
    const bad = writeCsv(t.dir, 'bad-formula.csv', 'id,n\n1,=cmd()\n');
    const result = await t.importFile(bad, { target: { newDatabase: 'F' }, mapping: () => [{ column: 0, target: { kind: 'profileId' } }, { column: 1, target: { kind: 'newField', field: { name: 'n', type: 'number' } } }] });
    const report = await t.call('import/report', { runId: result.runId });
    expect(report.csv).toBe('row,column,value,code,reason\r\n2,n,\'=cmd(),not_a_number,"not a number (the decimal separator is ""."")"\r\n');
    expect(readFileSync(path, 'utf8')).toBe(csv);
  });
});
