import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEMO_DEFAULT_PROFILES, DEMO_DEFAULT_SEED } from '../../../shared/contract/demo';
import { EngineError } from '../../../shared/contract/errors';
import { formatBytes, formatCount } from '../../../shared/format';
import { DEMO_CSV_COLUMNS, writeDemoCsv, type DemoColumnSet } from '../../engine/demo/demo-csv';
import { DEMO_DATABASE_NAME } from '../../engine/demo/demo-project';
import { UsageError, type Command } from '../command';
import { positiveInteger, projectPath, suggestForce, withTerminalProgress } from './project-args';

/** The largest audience the command makes (the engine's limit for a demo project). */
const MAX_PROFILES = 2_000_000;
/** A CSV for tests and benchmarks may be bigger than a project can hold. */
const MAX_CSV_PROFILES = 50_000_000;

const localDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Create the demo project, or write a generated audience as CSV',
  usage: 'demo FILE.cplan [--profiles N] [--seed S] [--replay] [--force]  |  demo --csv OUT.csv [--profiles N] [--seed S] [--columns full|benchmark] [--today YYYY-MM-DD]',
  help: `With FILE.cplan: creates and saves the demo project, a "${DEMO_DATABASE_NAME}" database with a
realistic generated audience (gender, birth date, city, registration, purchases, revenue,
subscription status). The same seed on the same day gives the same profiles.

With --csv OUT.csv: writes such an audience as a CSV file instead (UTF-8, comma, LF), for
tests and benchmarks of the import.

Options:
  --profiles N      how many profiles (default ${formatCount(DEMO_DEFAULT_PROFILES)})
  --seed S          the random seed (default "${DEMO_DEFAULT_SEED}")
  --replay          set the project clock back to the start of the year of events, so that
                    advancing it replays them (the audience stays as of today)
  --force           replace FILE.cplan or OUT.csv if it exists
  --csv OUT.csv     write a CSV file instead of a project
  --columns SET     with --csv: "full" (every demo field: ${DEMO_CSV_COLUMNS.full.join(', ')})
                    or "benchmark" (${DEMO_CSV_COLUMNS.benchmark.join(', ')})
  --today DATE      with --csv: the day the audience is generated for (default: today),
                    so a file can be made again byte for byte

Examples:
  cplan demo demo.cplan
  cplan demo big.cplan --profiles 1000000 --seed 42
  cplan demo replay.cplan --replay           the clock a year back, to replay the year of events
  cplan demo --csv audience.csv --profiles 1000000 --columns benchmark --today 2026-01-05`,
  options: {
    profiles: { type: 'string' },
    seed: { type: 'string' },
    force: { type: 'boolean' },
    csv: { type: 'string' },
    columns: { type: 'string' },
    today: { type: 'string' },
    replay: { type: 'boolean' },
  },
  positionals: { min: 0, max: 1 },
  async run({ values, positionals, engine }) {
    const seed = typeof values.seed === 'string' ? values.seed : DEMO_DEFAULT_SEED;
    if (seed.length < 1 || seed.length > 100) throw new UsageError('--seed must be 1 to 100 characters');
    const profiles = typeof values.profiles === 'string' ? positiveInteger('profiles', values.profiles) : DEMO_DEFAULT_PROFILES;

    if (typeof values.csv === 'string') {
      if (positionals.length > 0) throw new UsageError('give either FILE.cplan or --csv OUT.csv, not both');
      return writeCsv(resolve(values.csv), { profiles, seed, values });
    }
    if (values.columns !== undefined || values.today !== undefined) throw new UsageError('--columns and --today go with --csv');
    const replay = values.replay === true;
    const file = projectPath(positionals[0]);
    if (profiles > MAX_PROFILES) throw new UsageError(`--profiles: a demo project holds at most ${formatCount(MAX_PROFILES)} profiles`);
    await withTerminalProgress(engine, () => engine.call('demo/create', { profiles, seed, replay }));
    const state = await engine.call('project/saveAs', { path: file, overwrite: values.force === true }).catch(suggestForce(file));
    const [database] = await engine.call('database/list', {});
    const data = { path: file, name: state.name, database: database?.name ?? null, profiles: database?.profileCount ?? 0, seed, clock: state.clock };
    return {
      data,
      text:
        `Created ${file}: "${state.name}" with ${formatCount(data.profiles)} profiles in "${data.database}" (seed "${seed}").` +
        (replay ? ` The project clock is at ${state.clock}, a year back: its events happen as the clock moves forward.` : ''),
    };
  },
};

async function writeCsv(
  path: string,
  options: { profiles: number; seed: string; values: Record<string, unknown> },
): Promise<{ data: unknown; text: string }> {
  const { values, profiles, seed } = options;
  if (!/\.(csv|tsv|txt)$/i.test(path)) throw new UsageError(`the CSV file name must end in .csv, .tsv or .txt: ${path}`);
  if (profiles > MAX_CSV_PROFILES) throw new UsageError(`--profiles: at most ${formatCount(MAX_CSV_PROFILES)} for a CSV file`);
  const columns = values.columns === undefined ? 'full' : String(values.columns);
  if (!Object.hasOwn(DEMO_CSV_COLUMNS, columns)) throw new UsageError(`--columns must be "full" or "benchmark", not "${columns}"`);
  const today = values.today === undefined ? localDate(new Date()) : String(values.today);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) {
    throw new UsageError(`--today must be a date like 2026-01-05, not "${today}"`);
  }
  if (values.force !== true && (await stat(path).then(() => true, () => false))) {
    throw new EngineError('ALREADY_EXISTS', `${path} already exists; add --force to replace it.`, { path });
  }
  const written = await writeDemoCsv(path, { count: profiles, seed, today, columns: columns as DemoColumnSet });
  const data = { path, rows: written.rows, bytes: written.bytes, seed, today, columns };
  return { data, text: `Wrote ${formatCount(written.rows)} generated profiles to ${path} (${formatBytes(written.bytes)}).` };
}
