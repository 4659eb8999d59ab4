/**
 * How cost grows with the audience: the same work at 100,000, 1,000,000 and 5,000,000
 * profiles, through the real engine thread (EngineHost, dist/main/engine-worker.cjs, with its
 * parse and split workers), each size in a fresh engine:
 *
 * - import: the demo CSV of 8 columns (writeDemoCsv, `--columns benchmark`) into a new database;
 * - build: a segment of every profile, then a campaign on it (LCG 10 %, an activity) activated:
 *   its audience built and split, as campaign-build.bench.ts measures it;
 * - save: the project written to a new file (project/saveAs);
 * - export: the campaign's audience, every group, to CSV (export/profiles).
 *
 * Prints, per size and step, the time (median of BENCH_RUNS runs, 3 unless set), the time
 * per profile (µs/profile) and the peak memory of the whole process (rss, all threads)
 * during the step (the worst run). No targets: the figures are for reading (README,
 * Benchmarks); it fails only when a step fails.
 *
 *   npm run bench -- scaling                   BENCH_SCALING_SIZES=100000,1000000 BENCH_RUNS=1
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCsv } from '../../main/engine/demo/demo-csv';
import { EngineHost } from '../../main/host/engine-host';
import type { ExportRequest } from '../../shared/contract/exports';
import type { ImportPreview, ImportResult } from '../../shared/contract/imports';
import type { EngineRequest } from '../../shared/contract/index';
import type { MembershipChange } from '../../shared/contract/segments';
import { formatCount } from '../../shared/format';
import { hostCall, median, newDatabaseImport } from './bench-engine';
import { report, runBench, sampleMemory } from './report';

const SIZES = (process.env.BENCH_SCALING_SIZES ?? '100000,1000000,5000000').split(',').map((size) => Number(size.trim()));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const STEPS = ['import', 'build', 'save', 'export'] as const;
type Step = (typeof STEPS)[number];
const MB = 1024 * 1024;

interface Measured {
  readonly ms: number;
  readonly peakBytes: number;
}

let operations = 0;

/** One call, timed, with the process's peak memory while it ran. */
async function timed<T>(host: EngineHost, request: Omit<EngineRequest, 'operationId'>): Promise<{ data: T; measured: Measured }> {
  global.gc?.();
  const memory = sampleMemory();
  operations += 1;
  const started = performance.now();
  const data = await hostCall<T>(host, { ...request, operationId: `bench-scaling-${operations}` } as EngineRequest);
  const ms = performance.now() - started;
  return { data, measured: { ms, peakBytes: memory.stop() } };
}

/** Every step once at one size, in a fresh engine; returns each step's time and peak. */
async function runSize(dir: string, csv: string, profiles: number): Promise<Record<Step, Measured>> {
  const host = new EngineHost({ workerPath: join(process.cwd(), 'dist/main/engine-worker.cjs'), config: { dataDir: join(dir, 'data') } });
  await host.start();
  try {
    await hostCall(host, { method: 'project/new', args: { name: 'Scaling benchmark' } });
    const preview = await hostCall<ImportPreview>(host, { method: 'import/preview', args: { path: csv } });
    const imported = await timed<ImportResult>(host, {
      method: 'import/run',
      args: newDatabaseImport(csv, preview),
    });
    const databaseId = imported.data.database?.id;
    if (imported.data.added !== profiles || databaseId === undefined) throw new Error(`the import added ${imported.data.added} of ${profiles} profiles`);

    // The build: what a user does to get a campaign's groups from a fresh import.
    const segment = await timed<MembershipChange>(host, { method: 'segment/create', args: { databaseId, name: 'Everyone', from: { kind: 'all' } } });
    const campaign = await hostCall<{ id: number }>(host, {
      method: 'campaign/create',
      args: { name: 'Scaling', databaseId, segmentId: segment.data.segment.id, lcg: { percent: 10, limit: null, strata: [] }, seed: 'scaling' },
    });
    await hostCall(host, { method: 'activity/create', args: { databaseId, campaignId: campaign.id, type: 'broadcast', name: 'Scaling broadcast' } });
    const activated = await timed(host, { method: 'campaign/activate', args: { campaignId: campaign.id } });
    const build = { ms: segment.measured.ms + activated.measured.ms, peakBytes: Math.max(segment.measured.peakBytes, activated.measured.peakBytes) };

    const file = join(dir, 'scaling.cplan');
    const saved = await timed(host, { method: 'project/saveAs', args: { path: file, overwrite: true } });
    const bytes = statSync(file).size;
    const exportArgs: ExportRequest = {
      databaseId,
      scope: { kind: 'campaign', campaignId: campaign.id, group: 'all' },
      path: join(dir, 'scaling.csv'),
      overwrite: true,
      delimiter: ',',
      bom: true,
    };
    const exported = await timed<{ rows: number }>(host, { method: 'export/profiles', args: exportArgs });
    if (exported.data.rows !== profiles) throw new Error(`the export wrote ${exported.data.rows} of ${profiles} rows`);
    console.log(
      `  ${formatCount(profiles)}: import ${s(imported.measured.ms)}, build ${s(build.ms)} (segment ${s(segment.measured.ms)} + activate ${s(activated.measured.ms)}), ` +
        `save ${s(saved.measured.ms)} (${(bytes / MB).toFixed(0)} MB), export ${s(exported.measured.ms)}`,
    );
    return { import: imported.measured, build, save: saved.measured, export: exported.measured };
  } finally {
    await host.stop();
    rmSync(join(dir, 'scaling.cplan'), { force: true });
    rmSync(join(dir, 'scaling.csv'), { force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  if (SIZES.some((size) => !Number.isSafeInteger(size) || size < 1)) throw new Error(`BENCH_SCALING_SIZES must be whole numbers, not ${process.env.BENCH_SCALING_SIZES}`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min); sizes ${SIZES.map(formatCount).join(', ')}; ${RUNS} run(s) each`);
  const rows: { profiles: number; step: Step; ms: number; peakBytes: number }[] = [];
  for (const profiles of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-scaling-'));
    try {
      const csv = join(dir, 'audience.csv');
      await writeDemoCsv(csv, { count: profiles, seed: 'bench', today: '2026-01-05', columns: 'benchmark' });
      const runs: Record<Step, Measured>[] = [];
      for (let run = 1; run <= RUNS; run += 1) runs.push(await runSize(dir, csv, profiles));
      for (const step of STEPS) {
        rows.push({ profiles, step, ms: median(runs.map((r) => r[step].ms)), peakBytes: Math.max(...runs.map((r) => r[step].peakBytes)) });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\n| step | ${SIZES.map((n) => `${formatCount(n)} profiles`).join(' | ')} |`);
  console.log(`|---|${SIZES.map(() => '---').join('|')}|`);
  for (const step of STEPS) {
    const cells = SIZES.map((profiles) => {
      const row = rows.find((r) => r.profiles === profiles && r.step === step)!;
      return `${s(row.ms)}, ${((row.ms * 1000) / profiles).toFixed(2)} µs/profile, ${(row.peakBytes / MB).toFixed(0)} MB peak`;
    });
    console.log(`| ${step} | ${cells.join(' | ')} |`);
  }
  console.log(`\nload average after the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  report([]);
}

runBench(main);
