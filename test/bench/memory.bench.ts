/**
 * Memory of a 1M-profile project used through the CLI, whole processes (interpreter
 * included): on a fresh copy of the 1M demo project (`cplan demo --profiles 1000000`, made
 * once a day as ui-responsive.bench.ts makes it), one command each:
 *
 *   cplan campaign list F                        (open, read a little)
 *   cplan segment create F All --database Customers --from all
 *   cplan campaign create F C1 --database Customers --segment All --percent 10
 *   cplan activity create F A1 --type broadcast --campaign C1
 *   cplan campaign activate F C1                 (the audience of 1M built: split, groups stored)
 *
 * Each process's peak memory is its VmHWM, read every 20 ms. Medians of 3 runs for the
 * times, the largest peak of the runs. Target (issue 14, item 5): a 1M project with a
 * campaign built at most 600 MB at its peak.
 *
 *   npm run bench -- memory     CPLAN_CLI=/path/to/cplan.cjs to measure another build
 *                               (BENCH_PROFILES=200000 for a quicker run)
 */
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_PROFILES, median } from './bench-engine';
import { runProcess } from './process-run';
import { report, runBench } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CPLAN = process.env.CPLAN_CLI ?? join(process.cwd(), 'dist/cli/cplan.cjs');
const MB = 1024 * 1024;

const STEPS: readonly { readonly name: string; readonly args: (file: string) => string[] }[] = [
  { name: 'campaign list', args: (f) => ['campaign', 'list', f] },
  { name: 'segment create --from all', args: (f) => ['segment', 'create', f, 'All', '--database', 'Customers', '--from', 'all'] },
  { name: 'campaign create', args: (f) => ['campaign', 'create', f, 'C1', '--database', 'Customers', '--segment', 'All', '--percent', '10'] },
  { name: 'activity create', args: (f) => ['activity', 'create', f, 'A1', '--type', 'broadcast', '--campaign', 'C1'] },
  { name: 'campaign activate (build)', args: (f) => ['campaign', 'activate', f, 'C1'] },
];

/** The demo project of BENCH_PROFILES profiles, made once a day (the same file ui-responsive.bench.ts uses). */
function demoFile(): string {
  const made = join(tmpdir(), `cplan-ui-bench-demo-${BENCH_PROFILES}-${new Date().toISOString().slice(0, 10)}.cplan`);
  if (!existsSync(made)) {
    const run = spawnSync(process.execPath, [join(process.cwd(), 'dist/cli/cplan.cjs'), 'demo', `${made}.part.cplan`, '--profiles', String(BENCH_PROFILES), '--force'], { stdio: 'inherit' });
    if (run.status !== 0) throw new Error('cplan demo failed');
    renameSync(`${made}.part.cplan`, made);
  }
  return made;
}

async function main() {
  if (!existsSync(CPLAN)) throw new Error(`${CPLAN} is missing: run npm run build first`);
  const demo = demoFile();
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-memory-'));
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
  console.log(`cli: ${CPLAN}; project: ${BENCH_PROFILES.toLocaleString('en-US')} profiles, ${(statSync(demo).size / MB).toFixed(0)} MB`);
  const runs = new Map<string, { ms: number; peakBytes: number }[]>();
  try {
    for (let run = 1; run <= RUNS; run += 1) {
      const file = join(dir, `run-${run}.cplan`);
      copyFileSync(demo, file);
      for (const step of STEPS) {
        const done = await runProcess(process.execPath, [CPLAN, ...step.args(file)]);
        runs.set(step.name, [...(runs.get(step.name) ?? []), done]);
        console.log(`  run ${run}, ${step.name}: ${(done.ms / 1000).toFixed(2)} s, ${(done.peakBytes / MB).toFixed(0)} MB peak`);
      }
      console.log(`  run ${run}: the project is ${(statSync(file).size / MB).toFixed(0)} MB`);
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('medians (time) and largest peaks:');
  for (const step of STEPS) {
    const r = runs.get(step.name) ?? [];
    console.log(`  ${step.name}: ${(median(r.map((x) => x.ms)) / 1000).toFixed(2)} s, ${(Math.max(...r.map((x) => x.peakBytes)) / MB).toFixed(0)} MB peak`);
  }
  const peak = Math.max(...[...runs.values()].flat().map((x) => x.peakBytes));
  report([{ name: 'peak memory of a command on a 1M project with a campaign built (whole process)', value: peak / MB, unit: 'MB', max: 600 }]);
}

runBench(main);
