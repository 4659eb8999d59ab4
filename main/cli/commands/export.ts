import { resolve } from 'node:path';
import type { CSV_DELIMITERS } from '../../../shared/contract/imports';
import { SUBSCRIPTION_STATUSES } from '../../../shared/domain/profiles';
import { formatBytes, formatCount } from '../../../shared/format';
import { UsageError, type Command } from '../command';
import { checkExportOptions, exportChoices } from './export-options';
import { resolveSegment } from './plan-args';
import { recalculationOption } from './segment-types';
import { CLEAN_OPTION, findDatabase, openProjectFile, projectPath, suggestForce, withTerminalProgress } from './project-args';

export const DELIMITERS: Readonly<Record<string, (typeof CSV_DELIMITERS)[number]>> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  tab: '\t',
  '\t': '\t',
  '|': '|',
  pipe: '|',
};

export const exportCommand: Command = {
  name: 'export',
  summary: "Write a database's profiles to a CSV file",
  usage: 'export FILE.cplan OUT.csv --database NAME [--segment S [--recalculation N]] [--fields A,B] [--status S,S] [--limit N] [--delimiter D] [--no-bom] [--force]',
  help: `Writes profile_id, subscription_status and the chosen fields (all of them by default), one
profile per line, in the order they were added. The file is written whole or not at all.

Options:
  --database NAME   the profile database to export (required)
  --segment S       only the members of the segment S (a dynamic segment is evaluated now)
  --recalculation N with --segment: an updatable segment's members as of its recalculation N
  --fields A,B      only these fields, in this order (names as in "cplan database fields";
                    an empty value writes only the ID and the status)
  --status S,S      only profiles with these statuses: ${SUBSCRIPTION_STATUSES.join(', ')}
  --limit N         at most N profiles
  --delimiter D     , (default), ";", tab or "|"
  --no-bom          no UTF-8 byte order mark (by default there is one, so Excel reads UTF-8)
  --force           replace OUT.csv if it exists

The CSV: UTF-8, CRLF line endings, RFC 4180 quoting. Text that a spreadsheet would run
as a formula (starting with = + - @, tab or CR) gets a leading apostrophe; numbers are
written exactly, yes/no fields as true/false, dates as ISO (2024-12-31, 2024-12-31T10:15:00).

Examples:
  cplan export spring.cplan customers.csv --database Customers
  cplan export spring.cplan bounced.csv --database Customers --status bounced --fields email --delimiter ";"
  cplan export spring.cplan buyers.csv --database Customers --segment "Weekly buyers" --recalculation 2`,
  options: {
    ...CLEAN_OPTION,
    database: { type: 'string' },
    segment: { type: 'string' },
    recalculation: { type: 'string' },
    fields: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string' },
    delimiter: { type: 'string' },
    'no-bom': { type: 'boolean' },
    force: { type: 'boolean' },
  },
  positionals: { min: 2, max: 2 },
  async run({ values, positionals, engine }) {
    const file = projectPath(positionals[0]);
    const out = resolve(String(positionals[1]));
    if (!/\.(csv|tsv|txt)$/i.test(out)) throw new UsageError(`the output file name must end in .csv, .tsv or .txt: ${positionals[1]}`);
    if (typeof values.database !== 'string' || values.database.trim() === '') throw new UsageError('--database NAME is required');
    const delimiter = typeof values.delimiter === 'string' ? DELIMITERS[values.delimiter.toLowerCase()] : ',';
    if (delimiter === undefined) throw new UsageError(`--delimiter must be ",", ";", tab or "|", not "${String(values.delimiter)}"`);
    checkExportOptions(values);
    const recalculation = recalculationOption(values);
    if (recalculation !== undefined && typeof values.segment !== 'string') throw new UsageError('--recalculation goes with --segment S');

    await openProjectFile(engine, file, values);
    const database = await findDatabase(engine, values.database);
    const choices = await exportChoices(engine, values, database);
    const segment = typeof values.segment === 'string' ? await resolveSegment(engine, values.segment, database.id) : undefined;
    const scope = segment === undefined ? {} : { scope: { kind: 'segment' as const, segmentId: segment.id, ...(recalculation === undefined ? {} : { recalculation }) } };
    const result = await withTerminalProgress(engine, () => engine.call('export/profiles', {
        databaseId: database.id,
        ...scope,
        path: out,
        overwrite: values.force === true,
        delimiter,
        bom: values['no-bom'] !== true,
        ...choices,
      })).catch(suggestForce(out));
    const data = { ...result, database: database.name };
    const of = segment === undefined ? '' : ` in the segment "${segment.name}"${recalculation === undefined ? '' : ` as of recalculation #${recalculation}`}`;
    const text = `Exported ${formatCount(result.rows)} profile${result.rows === 1 ? '' : 's'} of "${database.name}"${of} to ${out} (${formatBytes(result.bytes)}) in ${(result.durationMs / 1000).toFixed(1)} s.`;
    return { data, text };
  },
};
