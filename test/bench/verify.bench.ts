/**
 * `cplan verify` of a 1,000,000-profile assignment, as users run it: the real CLI bundle
 * (dist/cli/cplan.cjs) in a child process, on a saved demo project of 1M profiles whose
 * campaign (10 %, stratified by gender) is activated, against the CSV the app's own export
 * of the campaign's groups gives (`cplan campaign export`).
 *
 * Target: the check itself (the result's durationMs: reading the CSV and the members,
 * sorting both sides, comparing, both fingerprints) at most 3 s, median of 3 runs. The
 * whole command, which also opens the 1M-profile project (most of its time), and
 * `cplan verify FILE` (every campaign against the rule) are printed for information.
 *
 *   npm run bench -- verify            BENCH_PROFILES=200000 for a quicker run
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AssignmentCheck } from '../../shared/contract/warehouse';
import { formatBytes, formatCount } from '../../shared/format';
import { BENCH_PROFILES, median } from './bench-engine';
import { report, runBench } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CPLAN = join(process.cwd(), 'dist', 'cli', 'cplan.cjs');

function cplan(dir: string, ...args: string[]): { ms: number; code: number | null; stdout: string } {
  const started = performance.now();
  const run = spawnSync(process.execPath, [CPLAN, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`cplan ${args.join(' ')} exited with ${run.status}: ${run.stderr}`);
  return { ms, code: run.status, stdout: run.stdout };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-verify-'));
  try {
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
    const made = cplan(dir, 'demo', 'p.cplan', '--profiles', String(BENCH_PROFILES), '--seed', 'bench');
    console.log(`demo project of ${formatCount(BENCH_PROFILES)} profiles in ${(made.ms / 1000).toFixed(1)} s (${formatBytes(statSync(join(dir, 'p.cplan')).size)})`);
    cplan(dir, 'segment', 'create', 'p.cplan', 'Everyone', '--database', 'Customers', '--from', 'all');
    cplan(dir, 'campaign', 'create', 'p.cplan', 'Spring', '--database', 'Customers', '--segment', 'Everyone', '--percent', '10', '--stratum', 'gender', '--seed', 'spring');
    cplan(dir, 'activity', 'create', 'p.cplan', 'Mail', '--type', 'broadcast', '--campaign', 'Spring');
    const activated = cplan(dir, 'campaign', 'activate', 'p.cplan', 'Spring');
    console.log(`campaign activated in ${(activated.ms / 1000).toFixed(1)} s`);
    const exported = cplan(dir, 'campaign', 'export', 'p.cplan', 'Spring', 'groups.csv', '--fields', '');
    console.log(`${exported.stdout.trim()} (${(exported.ms / 1000).toFixed(1)} s)`);

    const times: number[] = [];
    const checks: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const { ms, stdout } = cplan(dir, 'verify', 'p.cplan', '--campaign', 'Spring', '--assignment', 'groups.csv', '--json');
      const check = JSON.parse(stdout) as AssignmentCheck;
      if (!check.matches || check.rowsRead !== BENCH_PROFILES) throw new Error(`verify did not match:\n${stdout.slice(0, 2000)}`);
      times.push(ms);
      checks.push(check.durationMs ?? Number.NaN);
      console.log(`cplan verify p.cplan --campaign Spring --assignment groups.csv: ${(ms / 1000).toFixed(2)} s in all, the check itself ${((check.durationMs ?? 0) / 1000).toFixed(2)} s`);
    }
    const project = cplan(dir, 'verify', 'p.cplan');
    console.log(`cplan verify p.cplan (every campaign against the rule): ${(project.ms / 1000).toFixed(2)} s (information)`);
    console.log(`whole command, opening the project included (median): ${(median(times) / 1000).toFixed(2)} s (information: opening a project is measured by the save/open benchmarks)`);
    report([{ name: `cplan verify of a ${formatCount(BENCH_PROFILES)} assignment: the check (file, members, comparison, fingerprints; median of ${RUNS})`, value: median(checks) / 1000, unit: 's', max: 3 }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
