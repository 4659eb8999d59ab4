/**
 * Files with many columns: names are matched without comparing every column with every
 * other, and a file wider than an import reads is refused at once, in words (the wizard's
 * preview, the run, and `cplan import`), never with the schema's "Invalid arguments".
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cplan';
import { importMethods, MAX_IMPORT_COLUMNS, tooManyColumnsMessage } from '../../../../shared/contract/imports';
import { expectEngineError } from '../../../helpers/engine';
import { importedInto, startImportProject, writeCsv } from './helpers';

function wideCsv(columns: number, name: (i: number) => string): string {
  const header = Array.from({ length: columns }, (_, i) => name(i));
  const row = Array.from({ length: columns }, (_, i) => (i === 0 ? '1' : String(i)));
  return `${header.join(',')}\n${row.join(',')}\n`;
}

describe('wide files', () => {
  it('refuses 10,000 columns at once, in words, at preview and at run', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'wide.csv', wideCsv(10_000, (i) => (i === 0 ? 'id' : `c${i}`)));
    const message = tooManyColumnsMessage('wide.csv', 10_000);
    expect(message).toBe(
      '"wide.csv" has 10,000 columns; an import reads at most 500. Save a copy with only the columns you need (delete the others in your spreadsheet), then import that file.',
    );
    const preview = await expectEngineError(t.call('import/preview', { path }), 'REFUSED');
    expect(preview.message).toBe(message);
    expect(preview.details).toMatchObject({ reason: 'too_many_columns', columns: 10_000, limit: MAX_IMPORT_COLUMNS });
    const run = await expectEngineError(
      t.call('import/run', {
        path,
        target: { newDatabase: 'Wide' },
        csv: { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null },
        mapping: [{ column: 0, target: { kind: 'profileId' } }],
        mode: 'add',
        emptyCells: 'keep',
        onBadRows: 'stop',
      }),
      'REFUSED',
    );
    expect(run.message).toBe(message);
    expect(await t.call('database/list', {})).toEqual([]);
  });

  it('cplan import refuses it with the same words', async () => {
    const t = await startImportProject();
    const data = writeCsv(t.dir, 'wide.csv', wideCsv(10_000, (i) => (i === 0 ? 'id' : `c${i}`)));
    const project = join(t.dir, 'p.cplan');
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) };
    expect(await runCli(['new', project], io)).toBe(0);
    expect(await runCli(['import', project, data, '--database', 'Wide', '--create'], io)).toBe(1);
    expect(err.join('')).toBe(`cplan: ${tooManyColumnsMessage('wide.csv', 10_000)}\n`);
  });

  it('matches 500 columns with repeated names to 200 fields, and imports them', async () => {
    const t = await startImportProject();
    const fields = Array.from({ length: 200 }, (_, i) => ({ name: `Field ${i}`, type: 'number' as const }));
    const db = await t.call('database/create', { name: 'Wide', fields });
    // Column 0 is the ID; 1-200 name the fields in another case; 201-399 are new; 400-499 repeat 300-399.
    const name = (i: number) => (i === 0 ? 'id' : i <= 200 ? `FIELD ${i - 1}` : i < 400 ? `new ${i}` : `NEW ${i - 100}`);
    const path = writeCsv(t.dir, 'wide.csv', wideCsv(MAX_IMPORT_COLUMNS, name));
    const preview = await t.call('import/preview', { path, databaseId: db.id });
    expect(preview.columns).toHaveLength(MAX_IMPORT_COLUMNS);
    expect(preview.columns[0]!.suggested).toEqual({ kind: 'profileId' });
    expect(preview.columns.slice(1, 201).map((c) => c.suggested)).toEqual(db.fields.map((f) => ({ kind: 'field', fieldId: f.id })));
    expect(preview.columns.slice(400).every((c) => c.nameIssue === 'duplicate' && c.suggested.kind === 'skip')).toBe(true);
    expect(preview.warnings).toContain('Columns 301 and 401 are both named "NEW 300": column 401 is skipped unless you map it to another field.');

    // The new fields would pass the 200-field limit, so only the existing ones are imported.
    const result = await t.importFile(path, {
      target: { databaseId: db.id },
      mapping: (p) => p.columns.map((c) => ({ column: c.index, target: c.index <= 200 ? c.suggested : { kind: 'skip' as const } })),
    });
    expect(result).toMatchObject({ outcome: 'imported', added: 1 });
    const [profile] = t.profiles(importedInto(result));
    expect(profile).toMatchObject({ profile_id: '1', 'Field 0': 1, 'Field 199': 200 });
  });

  it('holds the mapping to the same limit in the contract', () => {
    const request = {
      path: '/tmp/x.csv',
      target: { newDatabase: 'X' },
      csv: { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null },
      mode: 'add',
      emptyCells: 'keep',
      onBadRows: 'stop',
    };
    const mapping = (n: number) => Array.from({ length: n }, (_, column) => ({ column, target: { kind: 'skip' } }));
    expect(importMethods['import/run'].args.safeParse({ ...request, mapping: mapping(MAX_IMPORT_COLUMNS) }).success).toBe(true);
    const over = importMethods['import/run'].args.safeParse({ ...request, mapping: mapping(MAX_IMPORT_COLUMNS + 1) });
    expect(over.error?.issues[0]?.message).toBe(`An import reads at most ${MAX_IMPORT_COLUMNS} columns.`);
  });
});
