/**
 * `cplan import` as users run it: the real bundle (dist/cli/cplan.cjs, built by the global
 * setup, with its parse worker beside it) in a child process, on real files.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../shared/contract/imports';
import { tempDir } from '../../helpers/temp-dir';
import { cp1251 } from '../engine/import/helpers';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CPLAN = join(ROOT, 'dist', 'cli', 'cplan.cjs');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let work = '';
let cliTemp = '';

function cplan(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [CPLAN, ...args],
      { cwd: work, env: { ...process.env, TMPDIR: cliTemp, TMP: cliTemp, TEMP: cliTemp }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: child.exitCode, stdout, stderr });
      },
    );
  });
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const file = (name: string, content: string | Buffer) => {
  writeFileSync(join(work, name), content);
  return name;
};

async function info(): Promise<{ databases: { name: string; profileCount: number }[] }> {
  const run = await cplan('info', 'p.cplan', '--json');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as { databases: { name: string; profileCount: number }[] };
}

beforeEach(async () => {
  work = tempDir('cplan-cli-import-');
  cliTemp = join(work, 'tmp');
  mkdirSync(cliTemp);
  expect((await cplan('new', 'p.cplan')).code).toBe(0);
});

describe('cplan import', () => {
  it('creates the database, imports, saves, and prints the counts', async () => {
    file('people.csv', 'profile_id,city,visits,status\n00123,Kazan,3,subscribed\n00124,Omsk,5,bounced\n');
    const run = await cplan('import', 'p.cplan', 'people.csv', '--database', 'People', '--create');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Imported people\.csv into "People" \(new database\) in \d+\.\d s:\n  2 rows read: 2 added, 0 updated, 0 unchanged, 0 skipped, 0 left alone by the mode\nSaved .*p\.cplan\.\n$/);
    expect((await info()).databases).toEqual([expect.objectContaining({ name: 'People', profileCount: 2 })]);

    // Again, as JSON: the same rows are all unchanged.
    const again = await cplan('import', 'p.cplan', 'people.csv', '--database', 'people', '--json');
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as ImportResult;
    expect(result).toMatchObject({ outcome: 'imported', rowsRead: 2, added: 0, updated: 0, unchanged: 2, importId: 2, database: { name: 'People', profileCount: 2 } });
  });

  it('stops on bad rows with exit code 1, imports nothing, leaves the file as it was, and writes the report', async () => {
    file('bad.csv', 'id,age\n1,30\n2,thirty\n3,\n1,40\n');
    const before = sha256(join(work, 'p.cplan'));
    const run = await cplan('import', 'p.cplan', 'bad.csv', '--database', 'People', '--create', '--type', 'age=number', '--errors', 'errors.csv');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^cplan: Nothing was imported: 2 rows have problems, and the import was set to stop on bad rows, so the other 2 rows were not imported either\. First: row 3, column "age": not a number \(the decimal separator is "\."\)\. Every problem is in .*errors\.csv\. --on-error skip imports the other rows\.\n$/,
    );
    expect(sha256(join(work, 'p.cplan'))).toBe(before);
    expect(readFileSync(join(work, 'errors.csv'), 'utf8')).toBe(
      'row,column,value,code,reason\r\n' +
        '3,age,thirty,not_a_number,"not a number (the decimal separator is ""."")"\r\n' +
        '5,id,1,duplicate_id,ID repeated in the file: each profile ID may appear once (this row is left out); first on row 2\r\n',
    );
    const json = await cplan('import', 'p.cplan', 'bad.csv', '--database', 'People', '--create', '--type', 'age=number', '--json');
    expect(json.code).toBe(1);
    const failure = JSON.parse(json.stdout) as { ok: false; error: { code: string; details: { result: ImportResult } } };
    expect(failure.error.code).toBe('REFUSED');
    expect(failure.error.details.result).toMatchObject({ outcome: 'stopped', problemCount: 2, skipped: 2, added: 0 });

    // Skipping bad rows imports the others.
    const skip = await cplan('import', 'p.cplan', 'bad.csv', '--database', 'People', '--create', '--type', 'age=number', '--on-error', 'skip');
    expect(skip.code).toBe(0);
    expect(skip.stdout).toContain('4 rows read: 2 added, 0 updated, 0 unchanged, 2 skipped, 0 left alone by the mode');
    expect(skip.stdout).toContain('    row 3, age "thirty": not a number (the decimal separator is ".")');
    expect((await info()).databases).toEqual([expect.objectContaining({ name: 'People', profileCount: 2 })]);
  });

  it('names values a list field lacks, imports nothing when every row has one, and adds them with --add-enum-values', async () => {
    expect((await cplan('database', 'create', 'p.cplan', 'Customers', '--field', 'tier:enum:gold|silver')).code).toBe(0);
    file('tiers.csv', `id,tier\n${Array.from({ length: 2000 }, (_, i) => `${i + 1},${i % 4 === 3 ? 'bronze' : 'platinum'}`).join('\n')}\n`);
    const before = sha256(join(work, 'p.cplan'));
    const refused = await cplan('import', 'p.cplan', 'tiers.csv', '--database', 'Customers', '--on-error', 'skip');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    // One line: the values the list lacks are part of the reason.
    expect(refused.stderr).toBe(
      'cplan: Nothing was imported: every row (2,000) has a problem. First: row 2, column "tier": not one of the field\'s values ("gold", "silver"). ' +
        'Add --errors REPORT.csv for all of them. Column "tier" goes to the list "tier": 2 values are not in the list: "platinum" (1,500 rows), "bronze" (500 rows); ' +
        'add --add-enum-values to add them to the list, or rows with them are not imported.\n',
    );
    expect(sha256(join(work, 'p.cplan'))).toBe(before);

    const added = await cplan('import', 'p.cplan', 'tiers.csv', '--database', 'Customers', '--add-enum-values');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('2,000 rows read: 2,000 added');
    expect(added.stdout).toContain('  added to the list of "tier": "platinum", "bronze"');
    const fields = JSON.parse((await cplan('database', 'fields', 'p.cplan', 'Customers', '--json')).stdout) as { fields: { name: string; enumValues: string[] }[] };
    expect(fields.fields.find((f) => f.name === 'tier')?.enumValues).toEqual(['gold', 'silver', 'platinum', 'bronze']);

    // The same file again changes nothing, and says so rather than "Imported".
    const again = await cplan('import', 'p.cplan', 'tiers.csv', '--database', 'Customers');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing was imported: 2,000 profiles already held these values\.\n/);
  });

  it('reads what the flags say: encoding, delimiter, no header, decimal comma, day-first dates, columns by position', async () => {
    file('ru.csv', cp1251('Анна;00042;31,5;31.01.2024;skip me\nБорис;00043;7;01.02.2024;x\n'));
    const run = await cplan(
      'import', 'p.cplan', 'ru.csv', '--database', 'Люди', '--create',
      '--encoding', 'windows-1251', '--delimiter', ';', '--no-header', '--decimal', ',', '--date-order', 'dmy',
      '--id-column', '#2', '--skip-column', '#5', '--json',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout) as ImportResult).toMatchObject({ added: 2, problemCount: 0 });
    const list = await cplan('info', 'p.cplan');
    expect(list.stdout).toContain('Люди');
  });

  it('updates only, clearing empty cells, into an existing database', async () => {
    file('base.csv', 'id,city,visits\n1,Kazan,3\n2,Omsk,5\n');
    expect((await cplan('import', 'p.cplan', 'base.csv', '--database', 'P', '--create')).code).toBe(0);
    file('update.csv', 'id,city,visits\n2,Tomsk,\n3,Ufa,1\n');
    const run = await cplan('import', 'p.cplan', 'update.csv', '--database', 'P', '--mode', 'update', '--empty', 'clear', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout) as ImportResult).toMatchObject({ added: 0, updated: 1, unchanged: 0, leftAlone: 1 });
  });

  it('needs --create for a database that does not exist, and says so', async () => {
    file('a.csv', 'id\n1\n');
    const run = await cplan('import', 'p.cplan', 'a.csv', '--database', 'Nope');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('cplan: p.cplan has no database named "Nope"; add --create to create it.\n');
  });

  it('refuses columns without a usable name until they are skipped', async () => {
    file('dup.csv', 'id,city,City\n1,Kazan,Omsk\n');
    const run = await cplan('import', 'p.cplan', 'dup.csv', '--database', 'P', '--create');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('cplan: columns without a usable name: #3 ("City", a repeated header); skip each with --skip-column "#N", or import it with --type "#N=TYPE"\n');
    expect((await cplan('import', 'p.cplan', 'dup.csv', '--database', 'P', '--create', '--skip-column', '#3')).code).toBe(0);
  });

  it('refuses wrong flag values and files that are no CSV, in one line', async () => {
    file('a.csv', 'id\n1\n');
    const bad = await cplan('import', 'p.cplan', 'a.csv', '--database', 'P', '--create', '--mode', 'merge');
    expect(bad).toMatchObject({ code: 2, stderr: 'cplan: --mode must be one of add, update, upsert (got "merge")\n' });
    file('book.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    const binary = await cplan('import', 'p.cplan', 'book.csv', '--database', 'P', '--create');
    expect(binary).toMatchObject({ code: 1, stderr: 'cplan: "book.csv" is not a CSV file: it is a ZIP archive or an Excel workbook (.xlsx): save it as CSV in Excel first.\n' });
    const noId = await cplan('import', 'p.cplan', file('n.csv', 'name,city\nAnn,Kazan\n'), '--database', 'P', '--create');
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/no column is named like a profile ID .*--id-column/);
  });
});
