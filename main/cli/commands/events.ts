/**
 * `cplan events import|list|export`: profile events from a terminal. The CSV is read as
 * `cplan import` reads it (the same preview detects encoding, delimiter, header, decimal
 * separator and date order; the same flags override them); columns are named by header or
 * by position (#3).
 */
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { EngineError } from '../../../shared/contract/errors';
import type { ImportPreview } from '../../../shared/contract/imports';
import type { EventsImportResult, EventsMapping } from '../../../shared/contract/profile-events';
import { columnNamedLike, TYPE_HEADERS } from '../../../shared/event-columns';
import { formatBytes, formatCount } from '../../../shared/format';
import { UsageError } from '../command';
import { table } from '../text-table';
import { DELIMITERS } from './export';
import { csvOverrides, findColumn } from './import-mapping';
import { actionCommand, integerOption, plural, requiredOption, resolveDatabase, stringOption } from './plan-args';
import { suggestForce, withTerminalProgress } from './project-args';

const PROBLEMS_SHOWN = 10;

type Values = Parameters<typeof csvOverrides>[0];

function mappingOf(preview: ImportPreview, values: Values): EventsMapping {
  const column = (flag: string) => {
    const reference = stringOption(values, flag);
    return reference === undefined ? null : findColumn(preview, reference, flag).index;
  };
  const idColumn = column('id-column') ?? preview.columns.find((c) => c.suggested.kind === 'profileId')?.index;
  if (idColumn === undefined) throw new UsageError('no column is named like a profile ID (profile_id, id, customer_id, …); name it with --id-column');
  const timeColumn = column('time-column');
  if (timeColumn === null) throw new UsageError('--time-column COLUMN is required: the date or date-time of each event');
  const typeColumn = column('type-column');
  const fixed = stringOption(values, 'type');
  if (typeColumn !== null && fixed !== undefined) throw new UsageError('give either --type-column COLUMN or --type TYPE, not both');
  let type: EventsMapping['type'];
  if (fixed !== undefined) {
    if (fixed.trim() === '') throw new UsageError('--type needs an event type name, such as purchase');
    type = { kind: 'fixed', value: fixed };
  } else {
    const found = typeColumn ?? columnNamedLike(preview, TYPE_HEADERS) ?? undefined;
    if (found === undefined) throw new UsageError('name the column of event types with --type-column COLUMN, or give one type for every row with --type TYPE');
    type = { kind: 'column', column: found };
  }
  return { idColumn, type, timeColumn, amountColumn: column('amount-column'), noteColumn: column('text-column') };
}

function importText(result: EventsImportResult, data: string, database: string, errorsPath: string | null): string {
  const lines = [
    `Imported ${plural(result.imported, 'event')} from ${basename(data)} into "${database}" in ${(result.durationMs / 1000).toFixed(1)} s:`,
    `  ${plural(result.rowsRead, 'row')} read, ${formatCount(result.imported)} imported, ${formatCount(result.unknownProfiles.rows)} of unknown profiles, ${formatCount(result.skipped)} skipped`,
  ];
  lines.push(...unknownLines(result));
  if (result.afterClock > 0) lines.push(`  ${plural(result.afterClock, 'event')} after the project clock: ${result.afterClock === 1 ? 'it exists' : 'they exist'} once the clock reaches ${result.afterClock === 1 ? 'its' : 'their'} time`);
  if (result.problemCount > 0) {
    lines.push(`  ${plural(result.problemCount, 'problem')}${errorsPath ? ` (all in ${errorsPath})` : ''}:`);
    for (const p of result.problems.slice(0, PROBLEMS_SHOWN)) lines.push(`    row ${p.row}${p.column === null ? '' : `, ${p.column}`}${p.value === null ? '' : ` "${p.value}"`}: ${p.reason}`);
  }
  lines.push('Saved the project.');
  return lines.join('\n');
}

function unknownLines(result: EventsImportResult): string[] {
  const { rows, ids, first } = result.unknownProfiles;
  if (rows === 0) return [];
  const shown = first.map((u) => `row ${u.row} "${u.profileId}"`).join(', ');
  return [`  not imported: ${plural(rows, 'row')} of ${plural(ids, 'profile ID')} not in the database (${shown}${rows > first.length ? ', …' : ''})`];
}

export const eventsCommand = actionCommand({
  name: 'events',
  summary: "Import, list or export a database's profile events (purchases, opens, clicks, ...)",
  usage: 'events import|list|export FILE.cplan ... --database NAME [options]',
  help: `Actions:
  import FILE EVENTS.csv --database DB --time-column C [--type-column C | --type T]
         [--id-column C] [--amount-column C] [--text-column C] [--date-order dmy|mdy]
         [--on-error stop|skip] [--errors REPORT.csv]
                              one event per row: the profile ID, the type (a column, or one
                              fixed type), the date or date-time, an optional amount and text
  list FILE --database DB [--profile ID] [--type T] [--offset N] [--limit N]
                              events at or before the project clock, newest first
  export FILE OUT.csv --database DB [--type T] [--delimiter D] [--no-bom] [--force]
                              events at or before the clock, oldest first:
                              profile_id,type,at,amount,note (what import reads back)

Columns (C) are header names or positions like #3. Defaults: the ID column is the one named
like a profile ID (profile_id, id, customer_id, ...); the type column is one named type,
event or event_type. The file is read as "cplan import" reads it (detected, or --encoding,
--delimiter, --header/--no-header, --decimal, --date-order). A date alone means its midnight;
a time zone written in the file is dropped (times are wall time, like the project clock).

The import is all-or-nothing: a row with a bad or missing value stops it (nothing imported,
exit code 1, the problems by row, column and value) unless --on-error skip imports the other
rows. Rows whose profile ID is not in the database are not imported (no profile is made);
they are counted and the first are shown. Events after the project clock are kept but do not
exist yet for lists, exports and conditions until the clock reaches them.

Examples:
  cplan events import shop.cplan orders.csv --database Customers --type purchase --time-column ordered_at --amount-column total --text-column order_id
  cplan events list shop.cplan --database Customers --profile C-00042
  cplan events export shop.cplan purchases.csv --database Customers --type purchase`,
  options: {
    database: { type: 'string' },
    'id-column': { type: 'string' },
    'type-column': { type: 'string' },
    type: { type: 'string' },
    'time-column': { type: 'string' },
    'amount-column': { type: 'string' },
    'text-column': { type: 'string' },
    'date-order': { type: 'string' },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    header: { type: 'boolean' },
    'no-header': { type: 'boolean' },
    decimal: { type: 'string' },
    'on-error': { type: 'string' },
    errors: { type: 'string' },
    profile: { type: 'string' },
    offset: { type: 'string' },
    limit: { type: 'string' },
    'no-bom': { type: 'boolean' },
    force: { type: 'boolean' },
  },
  actions: {
    import: {
      args: 'EVENTS.csv --database DB --time-column C [--type-column C | --type T] [options]',
      min: 1,
      max: 1,
      options: ['database', 'id-column', 'type-column', 'type', 'time-column', 'amount-column', 'text-column', 'date-order', 'encoding', 'delimiter', 'header', 'no-header', 'decimal', 'on-error', 'errors'],
      async run(context) {
        const { engine, values } = context;
        const data = resolve(String(context.args[0]));
        const database = await resolveDatabase(engine, requiredOption(values, 'database', 'NAME'));
        const onError = stringOption(values, 'on-error') ?? 'stop';
        if (onError !== 'stop' && onError !== 'skip') throw new UsageError(`--on-error must be stop or skip (got "${onError}")`);
        const errorsPath = typeof values.errors === 'string' ? resolve(values.errors) : null;
        const overrides = csvOverrides(values);
        const preview = await engine.call('import/preview', { path: data, databaseId: database.id, ...(Object.keys(overrides).length > 0 ? { options: overrides } : {}) });
        const mapping = mappingOf(preview, values);
        const result = await withTerminalProgress(engine, () =>
          engine.call('events/import', { databaseId: database.id, path: data, csv: preview.options, mapping, onBadRows: onError }),
        );
        if (errorsPath) await writeFile(errorsPath, (await engine.call('import/report', { runId: result.runId })).csv);
        if (result.outcome === 'stopped') {
          const first = result.problems[0];
          const why = first
            ? `rows have problems. First: row ${first.row}${first.column === null ? '' : `, column "${first.column}"`}: ${first.reason}.`
            : 'no row is of a profile in the database.';
          const hints = [
            ...unknownLines(result).map((line) => line.trim() + '.'),
            first ? (errorsPath ? `Every problem is in ${errorsPath}.` : 'Add --errors REPORT.csv for all of them.') : '',
            first && preview.dateOrderAmbiguous && values['date-order'] === undefined ? 'Dates like 03/04/2024 fit both orders: add --date-order dmy or mdy.' : '',
            first && onError === 'stop' && result.skipped < result.rowsRead ? '--on-error skip imports the other rows.' : '',
          ].filter((h) => h !== '');
          throw new EngineError('REFUSED', `Nothing was imported from ${basename(data)}: ${why} ${hints.join(' ')}`.trim(), { result });
        }
        await context.save();
        return { data: result, text: importText(result, data, database.name, errorsPath) };
      },
    },
    list: {
      args: '--database DB [--profile ID] [--type T] [--offset N] [--limit N]',
      min: 0,
      max: 0,
      options: ['database', 'profile', 'type', 'offset', 'limit'],
      async run({ engine, values }) {
        const database = await resolveDatabase(engine, requiredOption(values, 'database', 'NAME'));
        const offset = integerOption(values, 'offset') ?? 0;
        const limit = integerOption(values, 'limit', 1) ?? 20;
        if (limit > 1000) throw new UsageError('--limit can be at most 1000; use "cplan events export" to write them all');
        const profileId = stringOption(values, 'profile');
        const type = stringOption(values, 'type');
        const page = await engine.call('events/list', { databaseId: database.id, offset, limit, ...(profileId === undefined ? {} : { profileId }), ...(type === undefined ? {} : { type }) });
        const what = [profileId === undefined ? '' : ` of profile "${profileId}"`, type === undefined ? '' : ` of type "${type}"`].join('');
        const head = `${plural(page.total, 'event')}${what} in "${database.name}" at or before the clock (${page.clock.replace('T', ' ')}), newest first`;
        if (page.events.length === 0) return { data: page, text: `${head}.` };
        const rows = page.events.map((e) => [e.at.replace('T', ' '), e.profileId, e.type, e.amount === null ? '' : String(e.amount), e.note ?? '']);
        const shown = `shown ${formatCount(offset + 1)}-${formatCount(offset + page.events.length)}`;
        return { data: page, text: `${head}; ${shown}:\n${table(['time', 'profile', 'type', 'amount', 'text'], rows, ['left', 'left', 'left', 'right'])}` };
      },
    },
    export: {
      args: 'OUT.csv --database DB [--type T] [--delimiter D] [--no-bom] [--force]',
      min: 1,
      max: 1,
      options: ['database', 'type', 'delimiter', 'no-bom', 'force'],
      async run({ engine, values, args }) {
        const out = resolve(String(args[0]));
        if (!/\.(csv|tsv|txt)$/i.test(out)) throw new UsageError(`the output file name must end in .csv, .tsv or .txt: ${args[0]}`);
        const delimiter = typeof values.delimiter === 'string' ? DELIMITERS[values.delimiter.toLowerCase()] : ',';
        if (delimiter === undefined) throw new UsageError(`--delimiter must be ",", ";", tab or "|", not "${String(values.delimiter)}"`);
        const database = await resolveDatabase(engine, requiredOption(values, 'database', 'NAME'));
        const type = stringOption(values, 'type');
        const result = await withTerminalProgress(engine, () =>
          engine.call('events/export', { databaseId: database.id, path: out, overwrite: values.force === true, delimiter, bom: values['no-bom'] !== true, ...(type === undefined ? {} : { type }) }),
        ).catch(suggestForce(out));
        const text = `Exported ${plural(result.rows, 'event')}${type === undefined ? '' : ` of type "${type}"`} of "${database.name}" to ${out} (${formatBytes(result.bytes)}) in ${(result.durationMs / 1000).toFixed(1)} s.`;
        return { data: { ...result, database: database.name }, text };
      },
    },
  },
});
