/**
 * Big projects (issue 14, item 4): what opening (read, check, load and migrate), a small
 * change and saving cost for 1M, 5M and 10M profiles, and a small change through the CLI,
 * whole process, on the biggest.
 *
 * The projects are made once and kept (big-projects.ts). BIG_SIZES chooses the sizes
 * (default 1000000,5000000,10000000); BENCH_RUNS the runs per figure (default 3, medians).
 *
 * Targets: a small change to the biggest project through the CLI <= 5 s whole process
 * (create a segment, change the GCG, create a campaign); the engine opens a 1M project
 * in <= 2 s (a file it wrote: no full check).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEventMessage } from '../../shared/contract/events';
import { formatBytes, formatCount } from '../../shared/format';
import { checkInWorker, locateCheckWorker } from '../../main/engine/project/check-runner';
import { openProjectBytes } from '../../main/engine/project/project-file';
import { loadSqlJs, sqlWasmModule } from '../../main/engine/sqlite/sql-js';
import { fmt, median, startBenchEngine, type BenchEngine } from './bench-engine';
import { BIG_PROJECT_DIR, bigProject, bigSizes, CPLAN } from './big-projects';
import { report, runBench, sampleMemory, type Target } from './report';

const SIZES = bigSizes('1000000,5000000,10000000');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DIR = BIG_PROJECT_DIR;

async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function medianOf(work: () => Promise<number>): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await work());
  return median(runs);
}

/** Opening's parts, each on its own: read the file, SQLite's full check (in its worker), load into sql.js and migrate. */
async function openingParts(path: string): Promise<{ read: number; check: number; load: number }> {
  const sql = await loadSqlJs();
  const read = await medianOf(async () => (await timed(() => readFileSync(path))).ms);
  const raw = readFileSync(path);
  const bytes = new Uint8Array(new SharedArrayBuffer(raw.length));
  bytes.set(raw);
  const worker = locateCheckWorker();
  if (!worker) throw new Error('no check worker bundle: run `npm run build` first');
  const check = await medianOf(async () => (await timed(() => checkInWorker(worker, { bytes, path, clean: false, module: sqlWasmModule() }, { timeLimitMs: 10 * 60_000 }))).ms);
  const load = await medianOf(async () => {
    const { value, ms } = await timed(() => openProjectBytes(sql, bytes, path, { clean: false, checked: { cleaned: [], fixes: [] } }));
    value.db.close();
    return ms;
  });
  return { read, check, load };
}

/** When each phase of a call began (its progress events), to say where the call's time goes. */
class PhaseClock {
  private marks: { phase: string; at: number }[] = [];
  private started = 0;

  onEvent = (message: EngineEventMessage): void => {
    if (message.event !== 'progress') return;
    const last = this.marks[this.marks.length - 1];
    if (last?.phase !== message.payload.phase) this.marks.push({ phase: message.payload.phase, at: performance.now() });
  };

  start(): void {
    this.marks = [];
    this.started = performance.now();
  }

  /** "before: 12 ms, Reading profiles: 900 ms, ..., after: 40 ms" up to now. */
  report(): string {
    const ended = performance.now();
    const parts = [`before: ${fmt((this.marks[0]?.at ?? ended) - this.started)}`];
    this.marks.forEach((mark, i) => parts.push(`${mark.phase}: ${fmt((this.marks[i + 1]?.at ?? ended) - mark.at)}`));
    return parts.join(', ');
  }
}

/** Through the engine: open (first: full check; again: a file it checked), small changes, each saved. */
async function engineFlow(bench: BenchEngine, source: string, phases: PhaseClock): Promise<Record<string, number>> {
  const path = join(bench.dir, 'work.cplan');
  copyFileSync(source, path);
  const figures: Record<string, number> = {};
  figures['open (checked in full)'] = (await bench.call('project/open', { path, discard: true })).ms;
  await bench.call('project/close', { discard: true });
  figures['open again (no full check)'] = await medianOf(async () => {
    const { ms } = await bench.call('project/open', { path, discard: true });
    await bench.call('project/close', { discard: true });
    return ms;
  });
  await bench.call('project/open', { path, discard: true });
  figures['save, nothing changed'] = (await bench.call('project/save', {})).ms;
  const databaseId = (await bench.call('database/list', {})).data[0]!.id;
  const step = async (name: string, work: () => Promise<{ ms: number }>) => {
    const size = statSync(path).size;
    figures[name] = (await work()).ms;
    figures[`${name}: save`] = (await bench.call('project/save', {})).ms;
    console.log(`  ${name}: ${fmt(figures[name]!)}, save ${fmt(figures[`${name}: save`]!)} (file ${formatBytes(size)} -> ${formatBytes(statSync(path).size)})`);
  };
  await step('segment create (empty)', () => bench.call('segment/create', { databaseId, name: 'Empty', from: { kind: 'empty' } }));
  await step('gcg set 5%', async () => {
    phases.start();
    const result = await bench.call('gcg/set', { databaseId, percent: 5, seed: 'bench' });
    console.log(`  gcg set 5%, its parts: ${phases.report()}`);
    return result;
  });
  let segmentId = 0;
  await step('segment create (all)', async () => {
    const result = await bench.call('segment/create', { databaseId, name: 'All', from: { kind: 'all' } });
    segmentId = result.data.segment.id;
    return result;
  });
  await step('campaign create', () => bench.call('campaign/create', { name: 'Spring', databaseId, segmentId, seed: 'bench' }));
  await bench.call('project/close', { discard: true });
  return figures;
}

/** A command run as users run it; its whole time. */
function cli(...args: string[]): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [CPLAN, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cplan ${args.join(' ')}: ${run.stderr}`);
  return performance.now() - started;
}

async function main() {
  const targets: Target[] = [];
  const dataDir = join(DIR, 'data');
  // The CLI keeps its record of written files in the app's data folder: here, the benchmark's.
  process.env.CPLAN_DATA_DIR = dataDir;
  for (const profiles of SIZES) {
    const source = bigProject(profiles);
    console.log(`\n${formatCount(profiles)} profiles: ${formatBytes(statSync(source).size)}`);
    const parts = await openingParts(source);
    console.log(`  opening's parts (medians): read ${fmt(parts.read)}, full check ${fmt(parts.check)}, load + schema check + migrate ${fmt(parts.load)}`);
    const phases = new PhaseClock();
    const bench = await startBenchEngine({ recoveryDelayMs: 2 ** 30, onEvent: phases.onEvent });
    const memory = sampleMemory();
    try {
      const figures = await engineFlow(bench, source, phases);
      for (const [name, ms] of Object.entries(figures)) console.log(`  engine: ${name}: ${fmt(ms)}`);
      if (profiles === 1_000_000) targets.push({ name: 'the engine opens a 1M project it wrote (median)', value: figures['open again (no full check)']!, unit: 'ms', max: 2000 });
    } finally {
      console.log(`  peak memory (whole process): ${formatBytes(memory.stop())}`);
      await bench.dispose();
    }
  }
  const biggest = Math.max(...SIZES);
  const work = join(DIR, `cli-work.cplan`);
  copyFileSync(bigProject(biggest), work);
  rmSync(`${work}.journal`, { force: true });
  console.log(`\nCLI on ${formatCount(biggest)} profiles, whole process:`);
  console.log(`  first command (file not written here yet: full check): segment create --from all ${fmt(cli('segment', 'create', work, 'All', '--database', 'Customers', '--from', 'all'))}`);
  let n = 0;
  const small: [string, () => number][] = [
    ['segment create', () => cli('segment', 'create', work, `S${(n += 1)}`, '--database', 'Customers', '--from', 'empty')],
    ['gcg set', () => cli('gcg', 'set', work, '--database', 'Customers', '--percent', String(2 + ((n += 1) % 3)), '--seed', 'bench')],
    ['campaign create', () => cli('campaign', 'create', work, `C${(n += 1)}`, '--database', 'Customers', '--segment', 'All', '--seed', 'bench')],
  ];
  for (const [name, run] of small) {
    const runs = Array.from({ length: RUNS }, run);
    console.log(`  ${name}: ${runs.map(fmt).join(', ')}`);
    targets.push({ name: `cplan ${name} on ${formatCount(biggest)} profiles, whole process (median)`, value: median(runs), unit: 'ms', max: 5000 });
  }
  console.log(`  file now ${formatBytes(statSync(work).size)}`);
  rmSync(work, { force: true });
  report(targets);
}

runBench(main);
