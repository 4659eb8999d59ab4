/**
 * Importing 1,000,000 profiles x 8 columns (the 62 MB demo CSV) as a user does it, whole
 * processes against whole processes (interpreter and process start included), medians of 3
 * runs in one go, each route in turn:
 *
 * - Campaign Planner, two commands: `cplan new FILE.cplan` then
 *   `cplan import FILE.cplan DATA.csv --database Audience --create` (it saves the file);
 * - Campaign Planner, one command: `cplan import FILE.cplan DATA.csv --database Audience
 *   --new-project` (the project made, imported into and saved by one process);
 * - pandas: `python3` running read_csv(dtype={'profile_id': str}) then DataFrame.to_sql into
 *   a fresh SQLite file (Debian's python3-pandas; installed with apt-get if missing, or
 *   skipped with a message).
 *
 * Each process's peak memory is its VmHWM (Linux), read every 20 ms while it runs. The import
 * inside the engine (the `import/run` call alone) is printed too, from the command's --json
 * result; the figures of the engine thread alone are in import.bench.ts.
 *
 * Targets: each Campaign Planner route at most 0.5x pandas (medians).
 *
 *   npm run bench -- import-process          BENCH_IMPORT_ROWS=200000 for a quicker run
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCsv } from '../../main/engine/demo/demo-csv';
import { median } from './bench-engine';
import { ensurePandas, PANDAS_IMPORT_SCRIPT, PYTHON } from './pandas-peer';
import { runProcess } from './process-run';
import { report, runBench, type Target } from './report';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CPLAN = join(process.cwd(), 'dist/cli/cplan.cjs');
const MB = 1024 * 1024;

interface Route {
  readonly ms: number;
  readonly peakBytes: number;
  /** What the route's own timing says (the engine's import/run, or pandas' timings inside Python). */
  readonly note: string;
}

/** `cplan import ... --json`: checks every row went in; returns the engine's own import time. */
function importedMs(stdout: string): number {
  const result = JSON.parse(stdout) as { added: number; outcome: string; durationMs: number };
  if (result.outcome !== 'imported' || result.added !== ROWS) throw new Error(`cplan import gave ${result.outcome}, ${result.added} added`);
  return result.durationMs;
}

async function twoCommands(dir: string, csv: string, run: number): Promise<Route> {
  const file = join(dir, `two-${run}.cplan`);
  const made = await runProcess(process.execPath, [CPLAN, 'new', file, '--name', 'Import benchmark']);
  const imported = await runProcess(process.execPath, [CPLAN, 'import', file, csv, '--database', 'Audience', '--create', '--json']);
  const engineMs = importedMs(imported.stdout);
  return {
    ms: made.ms + imported.ms,
    peakBytes: Math.max(made.peakBytes, imported.peakBytes),
    note: `cplan new ${s(made.ms)} + cplan import ${s(imported.ms)} (its import/run ${s(engineMs)}; ${mb(statSync(file).size)} file)`,
  };
}

async function oneCommand(dir: string, csv: string, run: number): Promise<Route> {
  const file = join(dir, `one-${run}.cplan`);
  const imported = await runProcess(process.execPath, [CPLAN, 'import', file, csv, '--database', 'Audience', '--new-project', '--json']);
  const engineMs = importedMs(imported.stdout);
  return { ms: imported.ms, peakBytes: imported.peakBytes, note: `import/run ${s(engineMs)}; ${mb(statSync(file).size)} file` };
}

async function pandas(dir: string, csv: string, run: number): Promise<Route> {
  const file = join(dir, `pandas-${run}.sqlite`);
  const done = await runProcess(PYTHON, ['-c', PANDAS_IMPORT_SCRIPT, csv, file]);
  const [totalMs = NaN, readMs = NaN, rows = NaN] = done.stdout.trim().split(/\s+/).map(Number);
  if (rows !== ROWS) throw new Error(`pandas read ${rows} rows`);
  return { ms: done.ms, peakBytes: done.peakBytes, note: `inside Python: read_csv ${s(readMs)}, to_sql ${s(totalMs - readMs)}; ${mb(statSync(file).size)} file` };
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

async function main() {
  if (!existsSync(CPLAN)) throw new Error(`${CPLAN} is missing: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-import-process-'));
  try {
    const csv = join(dir, 'audience.csv');
    const made = await writeDemoCsv(csv, { count: ROWS, seed: 'bench', today: '2026-01-05', columns: 'benchmark' });
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
    console.log(`file: ${made.rows.toLocaleString('en-US')} rows, 8 columns, ${mb(statSync(csv).size)}`);
    const missing = ensurePandas();
    if (missing) console.log(`pandas comparison SKIPPED: ${missing}`);

    const routes: { name: string; measure: (dir: string, csv: string, run: number) => Promise<Route>; runs: Route[] }[] = [
      { name: 'cplan new + cplan import --create', measure: twoCommands, runs: [] },
      { name: 'cplan import --new-project', measure: oneCommand, runs: [] },
      ...(missing ? [] : [{ name: 'pandas read_csv + to_sql', measure: pandas, runs: [] }]),
    ];
    // The machine's speed drifts (shared hosts): the routes take turns, run by run.
    for (let run = 1; run <= RUNS; run += 1) {
      for (const route of routes) {
        const measured = await route.measure(dir, csv, run);
        route.runs.push(measured);
        console.log(`run ${run}: ${route.name}: ${s(measured.ms)}, peak ${mb(measured.peakBytes)} (${measured.note})`);
      }
    }
    const summary = routes.map((route) => ({
      name: route.name,
      ms: median(route.runs.map((r) => r.ms)),
      peakBytes: Math.max(...route.runs.map((r) => r.peakBytes)),
    }));
    for (const route of summary) console.log(`${route.name}, whole process, median of ${RUNS}: ${s(route.ms)}, peak memory ${mb(route.peakBytes)} (worst run)`);
    const peer = missing ? null : summary[summary.length - 1]!;
    const targets: Target[] = [];
    if (peer) {
      for (const route of summary.slice(0, 2)) {
        const ratio = route.ms / peer.ms;
        console.log(`${route.name} / pandas: time ${ratio.toFixed(2)}, peak memory ${(route.peakBytes / peer.peakBytes).toFixed(2)}`);
        targets.push({ name: `${route.name}, whole process, relative to pandas (medians of ${RUNS})`, value: ratio, unit: 'x', max: 0.5 });
      }
    }
    console.log(`load average after the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    report(targets);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
