import { basename, resolve } from 'node:path';
import type { SplitStratum } from '../../../shared/contract/split';
import { formatCount } from '../../../shared/format';
import { UsageError, type Command } from '../command';
import { table } from '../text-table';
import { csvOverrides } from './import-mapping';
import { integerOption, listOption, percentOption, requiredOption, stringOption } from './plan-args';
import { suggestForce, withTerminalProgress } from './project-args';

/** COLUMN, COLUMN:values, or COLUMN:ranges:B1,B2 (numbers or ISO dates). */
export function parseSplitStratum(spec: string): SplitStratum {
  const ranges = /^(.*):ranges:(.*)$/s.exec(spec);
  if (ranges) {
    const column = ranges[1]!.trim();
    const bounds = ranges[2]!.split(',').map((b) => b.trim());
    if (column === '' || bounds.some((b) => b === '')) throw new UsageError(`--stratum "${spec}": expected COLUMN:ranges:B1,B2,... (numbers or dates like 2024-01-31)`);
    return { kind: 'ranges', column, bounds: bounds.map((b) => (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(b) ? Number(b) : b)) };
  }
  const values = /^(.*):values$/s.exec(spec);
  const column = (values ? values[1]! : spec).trim();
  if (column === '') throw new UsageError(`--stratum "${spec}": name a column`);
  return { kind: 'values', column };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export const splitCommand: Command = {
  name: 'split',
  summary: 'Split the IDs of a CSV file into test and control, exactly as a campaign would',
  usage: 'split --csv IN.csv --out OUT.csv --seed S (--percent P | --limit N) [--stratum COL[:ranges:B1,B2]]... [options]',
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
  --stratum SPEC        stratify (repeatable, at most 5): COLUMN (each value a stratum),
                        COLUMN:ranges:18,25,35 (numbers) or COLUMN:ranges:2024-01-01,2025-01-01
                        (dates); empty cells form a "(no value)" stratum
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
