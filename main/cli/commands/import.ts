import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { EngineError } from '../../../shared/contract/errors';
import { MAX_IMPORT_COLUMNS, type ImportResult } from '../../../shared/contract/imports';
import { nothingImported } from '../../../shared/import-summary';
import { formatCount } from '../../../shared/format';
import type { Command } from '../command';
import { UsageError } from '../command';
import { buildMapping, csvOverrides, runChoices, valuesOutsideLists } from './import-mapping';
import { projectNameOf } from './new';
import { CLEAN_OPTION, openProjectFile, withTerminalProgress } from './project-args';

const PROBLEMS_SHOWN = 10;

export const importCommand: Command = {
  name: 'import',
  summary: 'Import a CSV file into a profile database',
  usage: 'import FILE.cplan DATA.csv --database NAME [--create | --new-project] [options]',
  help: `Reads DATA.csv as the import wizard does (encoding, delimiter, header, decimal
separator and date order detected; columns mapped by their header names), imports it in
one transaction (all rows, or on a stop none), and saves FILE.cplan.

Where the rows go:
  --database NAME      the profile database (required)
  --create             create the database if there is none of that name
  --new-project        FILE.cplan is a new project, made by this import in one step (as
                       cplan new, then cplan import --create): it must not exist yet, and
                       is written only when the import succeeds
  --mode MODE          add (new profiles only), update (existing only), upsert (both; default)
  --empty keep|clear   when updating, an empty cell keeps the stored value (default) or clears it
  --on-error stop|skip on bad rows, import nothing (default) or import the other rows

How the file is read (default: detected):
  --encoding ENC       utf-8, utf-16le, utf-16be, windows-1251, windows-1252
  --delimiter D        , ; tab |
  --header, --no-header  whether the first row names the columns
  --decimal . or ,     the decimal separator of numbers
  --date-order dmy|mdy how to read 31.12.2024 or 12/31/2024 (ISO dates are always read)

Columns (COLUMN is a header name, or a position like #3):
  --id-column COLUMN   the profile ID column (default: the column named profile_id, id, customer_id, ...)
  --status-column COLUMN  the subscription status column (default: subscription_status, status, ...)
  --skip-column COLUMN leave a column out (repeatable)
  --type COLUMN=TYPE   a new field's type: string, number, date, datetime, boolean, enum (repeatable)
  --add-enum-values    add values that are not in a list (enum) field's list to it (without it,
                       a row with such a value is a problem); a new list takes every value anyway
Other columns go to the field of the same name, or to a new field of the type their values suggest.
A file may have at most ${MAX_IMPORT_COLUMNS} columns.

  --errors REPORT.csv  write every problem (row, column, value, reason) to REPORT.csv

Exit code 1 when nothing was imported because of problems (bad rows with --on-error stop,
or every row bad; with --json the result is in error.details.result). An import that adds
and updates nothing says so and why.

Examples:
  cplan import spring.cplan customers.csv --database Customers --create
  cplan import new.cplan customers.csv --database Customers --new-project
  cplan import spring.cplan update.csv --database Customers --mode update --on-error skip --errors problems.csv`,
  options: {
    ...CLEAN_OPTION,
    database: { type: 'string' },
    create: { type: 'boolean' },
    'new-project': { type: 'boolean' },
    mode: { type: 'string' },
    empty: { type: 'string' },
    'on-error': { type: 'string' },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    header: { type: 'boolean' },
    'no-header': { type: 'boolean' },
    decimal: { type: 'string' },
    'date-order': { type: 'string' },
    'id-column': { type: 'string' },
    'status-column': { type: 'string' },
    'skip-column': { type: 'string', multiple: true },
    type: { type: 'string', multiple: true },
    'add-enum-values': { type: 'boolean' },
    errors: { type: 'string' },
  },
  positionals: { min: 2, max: 2 },
  async run({ values, positionals, engine }) {
    const file = resolve(String(positionals[0]));
    const data = resolve(String(positionals[1]));
    if (!file.toLowerCase().endsWith('.cplan')) throw new UsageError(`the project file name must end in .cplan: ${positionals[0]}`);
    if (typeof values.database !== 'string' || values.database.trim() === '') throw new UsageError('--database NAME is required');
    const databaseName = values.database.trim();
    const overrides = csvOverrides(values);
    const choices = runChoices(values);
    const errorsPath = typeof values.errors === 'string' ? resolve(values.errors) : null;

    const newProject = values['new-project'] === true;
    if (newProject) {
      if (values.clean === true) throw new UsageError('--clean opens an existing project; --new-project makes a new one: give one of them');
      // Refused before the work, not after it: the import of a big file takes a while.
      if (existsSync(file)) throw new EngineError('ALREADY_EXISTS', `${file} already exists; leave out --new-project to import into it.`, { path: file });
      await engine.call('project/new', { name: projectNameOf(file) });
    } else {
      await openProjectFile(engine, file, values);
    }
    const existing = (await engine.call('database/list', {})).find((d) => d.name.toLowerCase() === databaseName.toLowerCase());
    if (!existing && values.create !== true && !newProject) {
      throw new EngineError('NOT_FOUND', `${basename(file)} has no database named "${databaseName}"; add --create to create it.`, { database: databaseName });
    }
    const preview = await engine.call('import/preview', {
      path: data,
      ...(existing ? { databaseId: existing.id } : {}),
      ...(Object.keys(overrides).length > 0 ? { options: overrides } : {}),
    });
    // Warnings: on stderr when the import goes ahead, inside the one-line reason when it does not.
    const warnings: string[] = [];
    if (preview.dateOrderAmbiguous) warnings.push('dates like 03/04/2024 fit both day-first and month-first; add --date-order dmy or mdy, or they are refused');
    const fields = existing ? (await engine.call('database/get', { databaseId: existing.id })).fields : [];
    const mapping = buildMapping(preview, values, fields);
    const outsideLists = values['add-enum-values'] === true ? [] : valuesOutsideLists(preview, mapping, fields);
    warnings.push(...outsideLists);
    const result = await withTerminalProgress(engine, () =>
      engine.call('import/run', {
        path: data,
        target: existing ? { databaseId: existing.id } : { newDatabase: databaseName },
        csv: preview.options,
        mapping,
        ...choices,
      }),
    );
    if (errorsPath) {
      const report = await engine.call('import/report', { runId: result.runId });
      await writeFile(errorsPath, report.csv);
    }
    if (result.outcome === 'stopped') {
      const first = result.problems[0];
      const where = first ? ` First: row ${first.row}${first.column === null ? '' : `, column "${first.column}"`}: ${first.reason}.` : '';
      const hints = [
        errorsPath ? `Every problem is in ${errorsPath}.` : 'Add --errors REPORT.csv for all of them.',
        ...warnings.map((w) => `${w.charAt(0).toUpperCase()}${w.slice(1)}.`),
        result.problems.some((p) => p.code === 'unknown_enum_value') && values['add-enum-values'] !== true && outsideLists.length === 0
          ? '--add-enum-values adds the values that are not in a list field\'s list.'
          : '',
        choices.onBadRows === 'stop' && result.skipped < result.rowsRead ? '--on-error skip imports the other rows.' : '',
      ].filter((hint) => hint !== '');
      throw new EngineError('REFUSED', `${nothingImported(result)}${where} ${hints.join(' ')}`, { result });
    }
    for (const warning of warnings) process.stderr.write(`cplan: ${warning}\n`);
    if (newProject) await engine.call('project/saveAs', { path: file, overwrite: false });
    else await engine.call('project/save', {});
    return { data: result, text: describe(result, { data, file, errorsPath, created: !existing }) };
  },
};

function describe(result: ImportResult, where: { data: string; file: string; errorsPath: string | null; created: boolean }): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const nothing = nothingImported(result);
  const lines = [
    nothing ?? `Imported ${basename(where.data)} into "${result.database?.name ?? '?'}"${where.created ? ' (new database)' : ''} in ${seconds} s:`,
    `  ${formatCount(result.rowsRead)} rows read: ${formatCount(result.added)} added, ${formatCount(result.updated)} updated, ` +
      `${formatCount(result.unchanged)} unchanged, ${formatCount(result.skipped)} skipped, ${formatCount(result.leftAlone)} left alone by the mode`,
  ];
  for (const { field, values } of result.enumValuesAdded) {
    lines.push(`  added to the list of "${field}": ${values.map((v) => `"${v}"`).join(', ')}`);
  }
  if (result.problemCount > 0) {
    lines.push(`  ${formatCount(result.problemCount)} problem${result.problemCount === 1 ? '' : 's'}${where.errorsPath ? ` (all in ${where.errorsPath})` : ''}:`);
    for (const p of result.problems.slice(0, PROBLEMS_SHOWN)) {
      lines.push(`    row ${p.row}${p.column === null ? '' : `, ${p.column}`}${p.value === null ? '' : ` "${p.value}"`}: ${p.reason}`);
    }
    if (result.problemCount > PROBLEMS_SHOWN) lines.push(`    … and ${formatCount(result.problemCount - PROBLEMS_SHOWN)} more`);
  }
  lines.push(`Saved ${where.file}.`);
  return lines.join('\n');
}
