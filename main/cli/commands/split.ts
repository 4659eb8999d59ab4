import { basename, resolve } from 'node:path';
import type { SplitStratum } from '../../../shared/contract/split';
import { formatCount } from '../../../shared/format';
import { UsageError, type Command } from '../command';
import { table } from '../text-table';
import { csvOverrides } from './import-mapping';
import { integerOption, listOption, parseStratumSpec, percentOption, requireUsableRule, requiredOption, stringOption } from './plan-args';
import { EngineError } from '../../../shared/contract/errors';
import { columnType } from '../../../shared/split/stratum-rules';
import { parseBoundDate } from '../../../shared/domain/dates';
import { suggestForce, withTerminalProgress } from './project-args';

/** A stratification column: the syntax of a campaign's `--stratum` (parseStratumSpec), for a column. */
export function parseSplitStratum(spec: string): SplitStratum {
  const { target, rule } = parseStratumSpec(spec);
  const type = columnType(rule, target);
  if (!type.ok) throw new EngineError('INVALID_ARGUMENT', type.problem);
  requireUsableRule(rule, { name: target, type: type.type });
  return { ...rule, column: target } as SplitStratum;
}

/** --today DATE (as the import reads dates), or undefined: the computer's date. */
function todayOption(values: Parameters<typeof stringOption>[0]): string | undefined {
  const value = stringOption(values, 'today');
  if (value === undefined) return undefined;
  const date = parseBoundDate(value);
  if (!date.ok || date.hasTime) throw new UsageError(`--today must be a date such as 2026-04-10 or 10.04.2026, not "${value}"`);
  return date.date;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export const splitCommand: Command = {
  name: 'split',
  summary: 'Split the IDs of a CSV file into test and control, exactly as a campaign would',
  usage: 'split --csv IN.csv --out OUT.csv --seed S (--percent P | --limit N) [--stratum SPEC]... [--today DATE] [options]',
  help: `Reads the IDs (and stratification columns) of IN.csv, splits them by the app's rule
(control total in basis points, largest-remainder quotas per stratum, md5(seed ":" id)
order inside each stratum; see the README), writes OUT.csv and prints a summary. The same
IDs, strata and seed give the same groups here, in a campaign, and in SQL on a warehouse.

Options:
  --csv IN.csv          the input (required); encoding, delimiter and header are detected
  --out OUT.csv         the output (required): columns id, group (control or test) and, when
                        stratified, stratum; one row per ID, in input order; UTF-8 with a
                        BOM, CRLF, written whole or not at all
  --seed S              the seed of the split (required: the same seed gives the same split)
  --percent P           the control share, at most two decimals (7.25)
  --limit N             the largest control group, in IDs (with --percent: the smaller)
  --id-column C         the ID column: a header name or #3 (default: the column named id,
                        profile_id, customer_id, ..., or the only column)
  --stratum SPEC        stratify (repeatable, at most 5), as a campaign's --stratum:
                        COLUMN (each value a stratum); COLUMN:values:A|B (those values, the
                        rest "Other"); COLUMN:groups:North=A|B;South=C (the rest "Other");
                        COLUMN:ranges:18,25,35 or :ranges:2024-01-01,2025-01-01 (cut points);
                        COLUMN:intervals:Young=01.01.2000..01.01.2005;Adult=01.01.1985..31.12.1999
                        (named closed intervals of numbers or dates, the rest "Other");
                        COLUMN:age:20-25,26-35,65+ (age in years from a date column, on
                        --today). Empty cells form a "(no value)" stratum
  --today DATE          the date ages are counted on (default: this computer's date)
  --encoding ENC        utf-8, utf-16le, utf-16be, windows-1251, windows-1252
  --delimiter D         , ; tab |
  --header, --no-header whether the first row names the columns
  --decimal . or ,      the decimal separator of numbers in range columns
  --date-order dmy|mdy  how to read 31.12.2024 or 12/31/2024 in range columns
  --force               replace OUT.csv if it exists

Every ID must be filled and unique; the split stops naming the rows otherwise.

Examples:
  cplan split --csv audience.csv --out groups.csv --percent 10 --seed spring-2026
  cplan split --csv audience.csv --out groups.csv --percent 15 --limit 12 --stratum segment --seed s1 --json`,
  options: {
    csv: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    percent: { type: 'string' },
    limit: { type: 'string' },
    'id-column': { type: 'string' },
    stratum: { type: 'string', multiple: true },
    encoding: { type: 'string' },
    delimiter: { type: 'string' },
    header: { type: 'boolean' },
    'no-header': { type: 'boolean' },
    decimal: { type: 'string' },
    'date-order': { type: 'string' },
    today: { type: 'string' },
    force: { type: 'boolean' },
  },
  positionals: { min: 0, max: 0 },
  async run({ values, engine }) {
    const input = resolve(requiredOption(values, 'csv', 'IN.csv'));
    const output = resolve(requiredOption(values, 'out', 'OUT.csv'));
    const seed = stringOption(values, 'seed');
    if (seed === undefined || seed === '') throw new UsageError('--seed S is required: the same seed gives the same split, so choose and keep one');
    const percent = percentOption(values);
    const limit = integerOption(values, 'limit');
    if (percent === undefined && limit === undefined) throw new UsageError('give --percent P, --limit N, or both');
    const strata = listOption(values, 'stratum').map(parseSplitStratum);
    if (strata.length > 5) throw new UsageError('at most 5 --stratum columns');
    const idColumn = stringOption(values, 'id-column');
    const today = todayOption(values);
    const options = csvOverrides(values);
    const result = await withTerminalProgress(engine, () =>
      engine.call('split/csv', {
        input,
        output,
        overwrite: values.force === true,
        seed,
        strata,
        ...(percent === undefined ? {} : { percent }),
        ...(limit === undefined ? {} : { limit }),
        ...(idColumn === undefined ? {} : { idColumn }),
        ...(today === undefined ? {} : { today }),
        ...(Object.keys(options).length > 0 ? { options } : {}),
      }),
    ).catch(suggestForce(output));
    const lines = [
      `Split ${formatCount(result.rows)} IDs of ${basename(input)} with the seed "${seed}": ${formatCount(result.control)} control, ${formatCount(result.test)} test.`,
      `Wrote ${output} in ${(result.durationMs / 1000).toFixed(1)} s.`,
    ];
    if (result.strata.length > 0) {
      lines.push(
        '',
        table(
          ['Stratum', 'IDs', 'Quota', 'Control', 'Share', 'Deviation'],
          result.strata.map((s) => [s.label, formatCount(s.size), s.quota.toFixed(2), formatCount(s.control), pct(s.share), `${s.deviation >= 0 ? '+' : '−'}${Math.abs(s.deviation).toFixed(2)}`]),
          ['left', 'right', 'right', 'right', 'right', 'right'],
        ),
      );
    }
    if (result.warning) lines.push('', `Warning: ${result.warning.message}`);
    return { data: result, text: lines.join('\n') };
  },
};
