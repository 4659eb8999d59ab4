/**
 * The split on the warehouse, at scale: the query the app writes for DuckDB (splitSql, the
 * query of "Export as SQL…" and `cplan sql`) run by DuckDB in-process (@duckdb/node-api) on
 * audiences of 1M, 10M and 50M profiles generated inside DuckDB (range(); IDs as zero-padded
 * text; a text field "city" with empty values, stratified by each value, and a number field
 * "income" with empty values, cut into ranges: 10 % LCG, 40 strata). The database is
 * in-memory (DuckDB's memory_limit, 8GB by default; it spills beyond that to a temp folder;
 * preserve_insertion_order off, as DuckDB advises for large tables), with as many threads
 * as the machine has cores. Each size runs in its own process, so its
 * peak RSS is its own; times are wall and CPU (all threads) of CREATE TABLE result AS <query>.
 *
 * Checked at every size: the LCG count of every stratum is allocateQuotas' on the strata's
 * sizes, and the LCG total is controlTotal. At 1M (BENCH_WAREHOUSE_COMPARE_MAX) the result
 * is compared ID by ID (group and stratum key) with the app's own split of the same
 * audience, read back from DuckDB: the stratum scheme's classifier (ruleClassifier,
 * stratumKey), then assignSplit (md5 in the split worker pool, allocateQuotas,
 * selectControl) as the engine runs it; that split is timed too (median of 3), as
 * `npm run bench -- split` times it. Then the PostgreSQL query (splitSql, postgresql) on
 * PGlite (in-process, single-threaded WebAssembly) at 1M: the same audience must give the
 * same assignment as DuckDB's (md5 of the sorted result, computed in each database).
 *
 * Targets: no stratum off its quota and no ID off the app's split; the largest size's query
 * within 5 minutes (the whole run stays under ~10 minutes on 2 cores).
 *
 *   npm run bench -- warehouse
 *   BENCH_WAREHOUSE_SIZES=1000000,10000000,50000000   DuckDB sizes
 *   BENCH_WAREHOUSE_COMPARE_MAX=1000000                sizes up to this are compared with the app ID by ID
 *   BENCH_WAREHOUSE_PG=1000000                         PGlite size (0: skip)
 *   BENCH_WAREHOUSE_MEMORY=8GB                         DuckDB's memory_limit
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as DuckDB from '@duckdb/node-api';
import type * as PgLite from '@electric-sql/pglite';
import { assignSplit } from '../../main/engine/split/assign';
import { createSplitPool } from '../../main/workers/hash-in-pool';
import { controlTotal } from '../../shared/split/control-total';
import { packIds } from '../../shared/split/hash-ids';
import { allocateQuotas } from '../../shared/split/quotas';
import { checkRule, ruleClassifier } from '../../shared/split/stratum-rules';
import { NO_VALUE_KEY, stratumKey, valueKey } from '../../shared/split/stratum-scheme';
import { splitSql, type WarehouseRule, type WarehouseSplit } from '../../shared/split/warehouse-sql';
import { report, runBench, type Target } from './report';

// DuckDB's native binding and PGlite's WebAssembly files are found next to their packages at
// run time, which a bundle breaks: both load from node_modules (npm run bench runs in the root).
const fromNodeModules = createRequire(join(process.cwd(), 'package.json'));
const { DuckDBInstance } = fromNodeModules('@duckdb/node-api') as typeof DuckDB;
const { PGlite } = fromNodeModules('@electric-sql/pglite') as typeof PgLite;

const sizesOf = (text: string) => text.split(',').map((s) => Number(s.trim())).filter((n) => Number.isSafeInteger(n) && n > 0);
const SIZES = sizesOf(process.env.BENCH_WAREHOUSE_SIZES ?? '1000000,10000000,50000000').sort((a, b) => a - b);
const COMPARE_MAX = Number(process.env.BENCH_WAREHOUSE_COMPARE_MAX ?? 1_000_000);
const PG_SIZE = Number(process.env.BENCH_WAREHOUSE_PG ?? 1_000_000);
const MEMORY = process.env.BENCH_WAREHOUSE_MEMORY ?? '8GB';
const APP_RUNS = 3;
const LARGEST_MAX_S = 300;

const SEED = 'spring-2026';
const PERCENT = 10;
/** The campaign's rules in field-id order: city (text, each value), income (number, ranges). */
const RULES: readonly WarehouseRule[] = [
  { field: 'city', type: 'string', column: 'city', spec: { kind: 'values' } },
  { field: 'income', type: 'number', column: 'income', spec: { kind: 'ranges', bounds: [20000, 50000, 100000] } },
];
const CITIES = ['Москва', 'Москва', 'Москва', 'Kazan', 'Kazan', 'Omsk', 'Samara', 'Tver', 'Санкт-Петербург', "O'Hare"];

/**
 * The audience of `size` profiles, one statement for DuckDB and PostgreSQL (only the series
 * differs): IDs of 10 digits; city with 1/23 NULL and 1/29 '' ("(no value)"), uneven shares;
 * income 0-149999 with 1/31 NULL. Arithmetic in BIGINT, the same in both databases.
 */
function audienceSql(size: number, series: string): string {
  const cities = CITIES.map((c) => `'${c.replace(/'/g, "''")}'`).join(', ');
  return `CREATE TABLE audience AS SELECT
    lpad(CAST(i AS VARCHAR), 10, '0') AS profile_id,
    CASE WHEN i % 23 = 0 THEN NULL WHEN i % 29 = 0 THEN '' ELSE (ARRAY[${cities}])[1 + CAST((i * 2654435761) % 1000003 % ${CITIES.length} AS INTEGER)] END AS city,
    CASE WHEN i % 31 = 0 THEN NULL ELSE CAST((i * 40503) % 1000003 % 150000 AS DOUBLE PRECISION) END AS income
  FROM ${series.replace('$N', String(size))}`;
}

function query(dialect: WarehouseSplit['dialect']): string {
  const sql = splitSql({ dialect, seed: SEED, percent: PERCENT, limit: null, table: 'audience', idColumn: 'profile_id', rules: RULES, today: null, header: ['Benchmark: test/bench/warehouse.bench.ts'] });
  // Wrapped in CREATE TABLE ... AS, so the result is materialised: no trailing semicolon.
  return sql.trim().replace(/;\s*$/, '');
}

/** Per stratum: profiles and LCG profiles, from the result table. */
const COUNTS_SQL = `SELECT stratum, CAST(COUNT(*) AS INTEGER) AS n, CAST(SUM(CASE WHEN "group" = 'control' THEN 1 ELSE 0 END) AS INTEGER) AS control FROM result GROUP BY stratum`;
/** The whole assignment in one hash, the same text in both databases (IDs are digits: any collation sorts them alike). */
const DIGEST_SQL = `SELECT md5(string_agg(id || ' ' || "group" || ' ' || stratum, chr(10) ORDER BY id)) AS digest FROM result`;

interface StratumCount {
  readonly stratum: string;
  readonly n: number;
  readonly control: number;
}

/** What allocateQuotas and controlTotal say of the result's strata; the problems, in words. */
function checkQuotas(counts: readonly StratumCount[], size: number): { strata: number; control: number; problems: string[] } {
  const problems: string[] = [];
  const audience = counts.reduce((sum, c) => sum + c.n, 0);
  const control = counts.reduce((sum, c) => sum + c.control, 0);
  const total = controlTotal(size, { percent: PERCENT });
  if (audience !== size) problems.push(`the result has ${audience} rows, not ${size}`);
  if (control !== total) problems.push(`the LCG has ${control} profiles, controlTotal says ${total}`);
  const quotas = allocateQuotas(counts.map((c) => ({ key: c.stratum, size: c.n })), total, SEED);
  quotas.forEach((q, s) => {
    if (q.control !== counts[s]!.control) problems.push(`stratum ${JSON.stringify(q.key)}: ${counts[s]!.control} in the LCG, allocateQuotas says ${q.control}`);
  });
  return { strata: counts.length, control, problems };
}

interface Measured {
  readonly engine: string;
  readonly size: number;
  readonly generateS: number;
  readonly queryS: number;
  readonly cpuS: number;
  readonly rssBeforeMb: number;
  readonly peakRssMb: number;
  readonly strata: number;
  readonly control: number;
  readonly problems: string[];
  readonly digest: string | null;
  readonly app?: { readonly classifyS: number; readonly splitS: number; readonly differ: number; readonly examples: string[] };
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/** Times `run`: wall and CPU seconds (all threads of this process). */
async function timed(run: () => Promise<unknown>): Promise<{ s: number; cpuS: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { s: (performance.now() - started) / 1000, cpuS: (used.user + used.system) / 1e6 };
}

/** A database as the measurement needs it: run a statement, read rows. */
interface Database {
  exec(sql: string): Promise<unknown>;
  rows<T>(sql: string): Promise<T[]>;
}

/**
 * Generates the audience, times the split query into a table, checks its quotas; the
 * result's digest when PostgreSQL is compared at this size (at 50M the aggregated text
 * passes DuckDB's 4 GiB string limit).
 */
async function measure(engine: string, dialect: WarehouseSplit['dialect'], size: number, series: string, db: Database): Promise<Measured> {
  const generated = await timed(() => db.exec(audienceSql(size, series)));
  const sql = query(dialect);
  const rssBefore = process.memoryUsage().rss;
  const run = await timed(() => db.exec(`CREATE TABLE result AS ${sql}`));
  const peak = process.resourceUsage().maxRSS * 1024;
  const checked = checkQuotas(await db.rows<StratumCount>(COUNTS_SQL), size);
  const digest = size === PG_SIZE ? (await db.rows<{ digest: string }>(DIGEST_SQL))[0]!.digest : null;
  return { engine, size, generateS: generated.s, queryS: run.s, cpuS: run.cpuS, rssBeforeMb: mb(rssBefore), peakRssMb: mb(peak), ...checked, digest };
}

async function duckdbJob(size: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-warehouse-'));
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(cpus().length),
    memory_limit: MEMORY,
    temp_directory: join(dir, 'spill'),
    // DuckDB's advice for large CREATE TABLE AS: a table has no row order to keep, and keeping it costs memory.
    preserve_insertion_order: 'false',
  });
  const db = await instance.connect();
  try {
    const database: Database = { exec: (sql) => db.run(sql), rows: async <T>(sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJS() as unknown as T[] };
    const measured = await measure('DuckDB', 'duckdb', size, 'range(1, $N + 1) r(i)', database);
    return size <= COMPARE_MAX ? { ...measured, app: await compareWithApp(db, size) } : measured;
  } finally {
    db.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The app's split of the audience in DuckDB: each profile's stratum by the stratum scheme,
 * then assignSplit as the engine runs it (worker pool hashing); compared ID by ID with the
 * result table. Times the split (median of APP_RUNS after a warm-up that starts the threads).
 */
async function compareWithApp(db: DuckDB.DuckDBConnection, size: number): Promise<NonNullable<Measured['app']>> {
  const [ids, cities, incomes] = (await db.runAndReadAll('SELECT profile_id, city, income FROM audience ORDER BY profile_id')).getColumnsJS() as [string[], (string | null)[], (number | null)[]];
  const [resultIds, groups, strata] = (await db.runAndReadAll('SELECT id, "group", stratum FROM result ORDER BY id')).getColumnsJS() as [string[], string[], string[]];
  const classifyStarted = performance.now();
  const income = RULES[1]!;
  const checked = checkRule(income.spec, { name: income.field, type: income.type });
  if (!checked.ok) throw new Error(checked.problem);
  const classifier = ruleClassifier(checked.spec, { name: income.field, type: income.type }, null)!;
  const numbers = new Map<string, number>();
  const keys: string[] = [];
  const stratumOf = new Int32Array(size);
  for (let i = 0; i < size; i += 1) {
    const city = cities[i] ?? null;
    const key = stratumKey([city === null || city === '' ? NO_VALUE_KEY : valueKey('string', city), classifier.parts[classifier.classify(incomes[i] ?? null)]!.key]);
    let s = numbers.get(key);
    if (s === undefined) {
      s = keys.length;
      numbers.set(key, s);
      keys.push(key);
    }
    stratumOf[i] = s;
  }
  const packed = packIds(ids);
  const classifyS = (performance.now() - classifyStarted) / 1000;

  const pool = createSplitPool();
  try {
    const split = () => assignSplit({ packed, count: size, stratumOf, strataKeys: keys, seed: SEED, size: { percent: PERCENT }, idAt: (i) => ids[i]!, pool });
    let result = await split();
    const times: number[] = [];
    for (let run = 0; run < APP_RUNS; run += 1) {
      global.gc?.();
      const started = performance.now();
      result = await split();
      times.push((performance.now() - started) / 1000);
    }
    const examples: string[] = [];
    let differ = Math.abs(resultIds.length - size);
    for (let i = 0; i < Math.min(size, resultIds.length); i += 1) {
      const group = result.control[i] === 1 ? 'control' : 'test';
      if (resultIds[i] === ids[i] && groups[i] === group && strata[i] === keys[stratumOf[i]!]) continue;
      differ += 1;
      if (examples.length < 5) examples.push(`${ids[i]}: app ${group} ${keys[stratumOf[i]!]}, DuckDB ${resultIds[i]} ${groups[i]} ${strata[i]}`);
    }
    return { classifyS, splitS: times.sort((a, b) => a - b)[APP_RUNS >> 1]!, differ, examples };
  } finally {
    await pool?.close();
  }
}

async function pgliteJob(size: number): Promise<Measured> {
  const pg = new PGlite();
  try {
    const database: Database = { exec: (sql) => pg.exec(sql), rows: async <T>(sql: string) => (await pg.query<T>(sql)).rows };
    return await measure('PostgreSQL (PGlite)', 'postgresql', size, 'generate_series(CAST(1 AS BIGINT), $N) r(i)', database);
  } finally {
    await pg.close();
  }
}

// ---------------------------------------------------------------------------------------
// One process per measurement, so each peak RSS is that size's own.

interface Job {
  readonly kind: 'duckdb' | 'pglite';
  readonly size: number;
}

const JOB_ENV = 'CPLAN_WAREHOUSE_BENCH_JOB';

function runJob(job: Job): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1]!, [], { execArgv: process.execArgv, env: { ...process.env, [JOB_ENV]: JSON.stringify(job) } });
    let measured: Measured | null = null;
    child.on('message', (message) => (measured = message as Measured));
    child.on('error', reject);
    child.on('exit', (code) => (measured ? resolve(measured) : reject(new Error(`the ${job.kind} run of ${job.size} profiles ended (exit code ${code}) without a result`))));
  });
}

const count = (n: number) => n.toLocaleString('en-US');
const line = (m: Measured) =>
  `${m.engine}, ${count(m.size)} profiles: query ${m.queryS.toFixed(2)} s wall, ${m.cpuS.toFixed(1)} s CPU (${(m.queryS / (m.size / 1e6)).toFixed(2)} s per million); ` +
  `RSS ${m.rssBeforeMb.toFixed(0)} MB with the audience loaded, peak ${m.peakRssMb.toFixed(0)} MB; audience generated in ${m.generateS.toFixed(1)} s; ` +
  `${m.strata} strata, ${count(m.control)} in the LCG; ${m.problems.length === 0 ? 'every stratum on its quota' : `${m.problems.length} problems: ${m.problems.slice(0, 3).join('; ')}`}`;

async function main() {
  const job = process.env[JOB_ENV];
  if (job) {
    const { kind, size } = JSON.parse(job) as Job;
    const measured = kind === 'duckdb' ? await duckdbJob(size) : await pgliteJob(size);
    await new Promise<void>((resolve) => process.send!(measured, () => resolve()));
    return;
  }
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min); DuckDB in-memory, memory_limit ${MEMORY}, ${cpus().length} threads`);
  console.log(`campaign: ${PERCENT} % LCG, seed ${SEED}, stratified by city (each value) and income (ranges at 20000, 50000, 100000)`);
  const targets: Target[] = [];
  const duck: Measured[] = [];
  for (const size of SIZES) {
    const m = await runJob({ kind: 'duckdb', size });
    duck.push(m);
    console.log(line(m));
    targets.push({ name: `DuckDB ${count(size)}: strata off allocateQuotas or total off controlTotal`, value: m.problems.length, unit: 'problems', max: 0 });
    if (m.app) {
      console.log(
        `  app's split of the same ${count(size)} (stratum scheme, then assignSplit: md5 in the worker pool, quotas, selection): ${m.app.splitS.toFixed(2)} s (median of ${APP_RUNS}), ` +
          `after ${m.app.classifyS.toFixed(2)} s to classify and pack the IDs in this benchmark (the app reads them out of SQLite); IDs whose group or stratum differ from DuckDB's: ${m.app.differ}`,
      );
      for (const e of m.app.examples) console.log(`    ${e}`);
      targets.push({ name: `DuckDB ${count(size)}: IDs whose group or stratum differ from the app's split`, value: m.app.differ, unit: 'IDs', max: 0 });
    }
  }
  for (let i = 1; i < duck.length; i += 1) {
    const [a, b] = [duck[i - 1]!, duck[i]!];
    const ratio = b.size / a.size;
    const nLogN = (b.size * Math.log(b.size)) / (a.size * Math.log(a.size));
    console.log(
      `growth ${count(a.size)} -> ${count(b.size)} (x${ratio.toFixed(0)}; linear x${ratio.toFixed(1)}, n log n x${nLogN.toFixed(1)}): ` +
        `wall x${(b.queryS / a.queryS).toFixed(1)} (exponent ${(Math.log(b.queryS / a.queryS) / Math.log(ratio)).toFixed(2)}), ` +
        `CPU x${(b.cpuS / a.cpuS).toFixed(1)} (exponent ${(Math.log(b.cpuS / a.cpuS) / Math.log(ratio)).toFixed(2)}); peak RSS x${(b.peakRssMb / a.peakRssMb).toFixed(1)}`,
    );
  }
  const largest = duck[duck.length - 1];
  if (largest) targets.push({ name: `DuckDB query on ${count(largest.size)} profiles`, value: largest.queryS, unit: 's', max: LARGEST_MAX_S });

  if (PG_SIZE > 0) {
    const pg = await runJob({ kind: 'pglite', size: PG_SIZE });
    console.log(line(pg));
    targets.push({ name: `PostgreSQL (PGlite) ${count(PG_SIZE)}: strata off allocateQuotas or total off controlTotal`, value: pg.problems.length, unit: 'problems', max: 0 });
    const same = duck.find((d) => d.size === PG_SIZE);
    if (same) {
      const equal = same.digest === pg.digest;
      console.log(`  PostgreSQL's assignment ${equal ? 'equals' : 'DIFFERS FROM'} DuckDB's (md5 of the sorted result: ${pg.digest} / ${same.digest})`);
      targets.push({ name: `PostgreSQL (PGlite) ${count(PG_SIZE)}: assignment differs from DuckDB's`, value: equal ? 0 : 1, unit: '', max: 0 });
    }
  }
  console.log(`load average after the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  report(targets);
}

runBench(main);
