import { resolve } from 'node:path';
import { DEFAULT_ASSIGNMENT_TABLE, DEFAULT_AUDIENCE_TABLE, DEFAULT_ID_COLUMN, SQL_DIALECT_LABELS, SQL_DIALECTS, type SqlDialect } from '../../../shared/contract/warehouse';
import { UsageError, type Command } from '../command';
import { flag, listOption, requiredOption, resolveCampaign, stringOption } from './plan-args';
import { CLEAN_OPTION, openProjectFile, projectPath, suggestForce } from './project-args';

/** A dialect as typed: its name in any case, or a usual other name of it. */
const ALIASES: Readonly<Record<string, SqlDialect>> = { postgres: 'postgresql', pg: 'postgresql', sparksql: 'spark', 'spark-sql': 'spark' };

function dialectOption(value: string): SqlDialect {
  const typed = value.trim().toLowerCase();
  const found = (SQL_DIALECTS as readonly string[]).includes(typed) ? (typed as SqlDialect) : ALIASES[typed];
  if (found === undefined) throw new UsageError(`--dialect must be one of ${SQL_DIALECTS.join(', ')}, not "${value}"`);
  return found;
}

/** --column FIELD=COLUMN, repeated: field name -> column. */
function columnOptions(values: readonly string[]): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    const field = at < 0 ? '' : value.slice(0, at).trim();
    const column = at < 0 ? '' : value.slice(at + 1).trim();
    if (field === '' || column === '') throw new UsageError(`--column takes FIELD=COLUMN (a field's name, then the column holding it), not "${value}"`);
    if (field in columns) throw new UsageError(`--column maps the field "${field}" twice`);
    columns[field] = column;
  }
  return columns;
}

export const sqlCommand: Command = {
  name: 'sql',
  summary: "Write a campaign's split as one SQL query for a warehouse",
  usage: 'sql FILE.cplan --campaign NAME --dialect D [--table T] [--id-column C] [--column FIELD=COLUMN]... [--growth [--assignment-table T]] [--out PATH [--force]]',
  help: `Writes one self-contained query that splits the campaign's audience on a warehouse exactly
as the app does: same seed, LCG size (percent and/or limit) and strata, the same members
in the LCG. It reads a table with one row per profile of the audience and returns
id, "group" ('test' or 'control') and stratum (the stratum's key, '' for "(no value)").
The query's comments say which columns it expects and of what type.

Options:
  --campaign NAME        the campaign (name or id; required)
  --dialect D            ${SQL_DIALECTS.map((d) => `${d} (${SQL_DIALECT_LABELS[d]})`).join(', ')} (required)
  --table T              the audience table (default ${DEFAULT_AUDIENCE_TABLE}); schema.table is fine
  --id-column C          the column of the profile ID, as text (default ${DEFAULT_ID_COLUMN})
  --column FIELD=COLUMN  the column holding a stratification field (default: the field's name);
                         repeat for several fields
  --growth               the growth query instead: assigns only the profiles not yet in the
                         existing assignment, by the sticky rule (nobody assigned moves)
  --assignment-table T   with --growth: the existing assignment, columns id, "group", stratum
                         (default ${DEFAULT_ASSIGNMENT_TABLE})
  --out PATH             write the query to PATH (whole or not at all) instead of printing it
  --force                with --out: replace PATH if it exists

Ages are counted on the project clock's date. SQLite has no md5(): register one first (the
query's comments say how).

Examples:
  cplan sql shop.cplan --campaign "Spring sale" --dialect duckdb > spring.sql
  cplan sql shop.cplan --campaign "Spring sale" --dialect bigquery --table crm.audience --column "Birth date=birth_date" --out spring.bigquery.sql
  cplan sql shop.cplan --campaign "Spring sale" --dialect postgresql --growth --assignment-table crm.spring_assignment`,
  options: {
    ...CLEAN_OPTION,
    campaign: { type: 'string' },
    dialect: { type: 'string' },
    table: { type: 'string' },
    'id-column': { type: 'string' },
    column: { type: 'string', multiple: true },
    growth: { type: 'boolean' },
    'assignment-table': { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, engine }) {
    const file = projectPath(positionals[0]);
    const campaignName = requiredOption(values, 'campaign', 'NAME');
    const dialect = dialectOption(requiredOption(values, 'dialect', `D (${SQL_DIALECTS.join(', ')})`));
    const growth = flag(values, 'growth');
    const assignmentTable = stringOption(values, 'assignment-table');
    if (assignmentTable !== undefined && !growth) throw new UsageError('--assignment-table goes with --growth');
    const outOption = stringOption(values, 'out');
    if (flag(values, 'force') && outOption === undefined) throw new UsageError('--force goes with --out PATH');
    const out = outOption === undefined ? undefined : resolve(outOption);
    const table = stringOption(values, 'table');
    const idColumn = stringOption(values, 'id-column');
    const columns = columnOptions(listOption(values, 'column'));

    await openProjectFile(engine, file, values);
    const campaign = await resolveCampaign(engine, campaignName);
    const result = await engine
      .call('warehouse/sql', {
        campaignId: campaign.id,
        dialect,
        kind: growth ? 'growth' : 'split',
        columns,
        ...(table === undefined ? {} : { table }),
        ...(idColumn === undefined ? {} : { idColumn }),
        ...(assignmentTable === undefined ? {} : { assignmentTable }),
        ...(out === undefined ? {} : { path: out, overwrite: flag(values, 'force') }),
      })
      .catch(out === undefined ? (error: unknown) => Promise.reject(error) : suggestForce(out));
    if (out === undefined) return { data: result, text: result.sql.trimEnd() };
    const reads = result.columns.map((c) => c.column).join(', ');
    const kind = growth ? 'growth query' : 'query';
    return { data: result, text: `Wrote the ${SQL_DIALECT_LABELS[dialect]} ${kind} of "${result.campaignName}" to ${out}. It reads the table ${result.table} (columns ${reads}) and returns id, group, stratum.` };
  },
};
