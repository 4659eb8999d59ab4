/**
 * The simulator through the real engine thread (EngineHost, dist/main/engine-worker.cjs) on
 * the 1M-profile demo, as the app calls it: the metric scan of a campaign's audience
 * (revenue capped at the 99th percentile, purchases as the CUPED covariate), plain and
 * stratified by city; the balance table of the campaign's seed (its first call reads the
 * IDs and the fields); the Monte Carlo of 1,000 replicates. The host's event loop is
 * watched throughout: the work runs in the engine thread and its pool, never in the host.
 *
 * Targets: a metric scan at most 1 s (the audience read before: the user changes the metric,
 * its cap or the covariate), plain and stratified; the host never blocked more than 16 ms.
 * The first scan of an audience (it reads the strata too), the first balance and the Monte
 * Carlo are reported for information (simulate.bench.ts holds the Monte Carlo's and the
 * balance's own targets).
 *
 *   npm run bench -- simulate-engine        BENCH_PROFILES=200000 for a quicker run
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineHost } from '../../main/host/engine-host';
import type { DatabaseDetail, DatabaseSummary } from '../../shared/contract/databases';
import type { EngineRequest } from '../../shared/contract/index';
import type { MembershipChange } from '../../shared/contract/segments';
import type { SimSource } from '../../shared/contract/simulate';
import { formatCount } from '../../shared/format';
import { BENCH_PROFILES, hostCall, median } from './bench-engine';
import { report, runBench, watchEventLoop } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const call = hostCall;

let operations = 0;
let worstStall = 0;

/** One call, timed, with the host's longest stall meanwhile. */
async function timed<T>(host: EngineHost, method: string, args: unknown): Promise<{ ms: number; data: T }> {
  operations += 1;
  const loop = watchEventLoop();
  const started = performance.now();
  const data = await call<T>(host, { method, args, operationId: `bench-sim-${operations}` } as EngineRequest);
  const ms = performance.now() - started;
  const stall = loop.stop().maxStallMs;
  if (process.env.BENCH_VERBOSE) console.log(`  ${method}: ${ms.toFixed(0)} ms, host stall ${stall.toFixed(1)} ms`);
  worstStall = Math.max(worstStall, stall);
  return { ms, data };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-simulate-'));
  const host = new EngineHost({ workerPath: join(process.cwd(), 'dist/main/engine-worker.cjs'), config: { dataDir: join(dir, 'data') } });
  try {
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
    await host.start();
    await call(host, { method: 'demo/create', operationId: 'bench-demo', args: { profiles: BENCH_PROFILES, seed: 'bench', discard: true } });
    const [database] = await call<DatabaseSummary[]>(host, { method: 'database/list', args: {} });
    if (!database) throw new Error('the demo project was not made');
    const databaseId = database.id;
    const segment = await call<MembershipChange>(host, { method: 'segment/create', operationId: 'bench-segment', args: { databaseId, name: 'Everyone', from: { kind: 'all' } } });
    const detail = await call<DatabaseDetail>(host, { method: 'database/get', args: { databaseId } });
    const city = detail.fields.find((f) => f.name === 'city')!.id;
    const campaign = await call<{ id: number }>(host, {
      method: 'campaign/create',
      args: { name: 'Spring sale', databaseId, segmentId: segment.segment.id, lcg: { percent: '10', limit: null, strata: [{ kind: 'values', fieldId: city }] }, seed: 'bench' },
    });

    const metric = { field: 'revenue', cap: 0.99 };
    const covariate = { field: 'purchases' };
    const scans: Record<'plain' | 'stratified', number[]> = { plain: [], stratified: [] };
    const first = {
      plain: (await timed(host, 'simulate/scan', { audience: { kind: 'campaign', campaignId: campaign.id }, metric: { field: 'purchases' }, strata: [] })).ms,
      stratified: (await timed(host, 'simulate/scan', { audience: { kind: 'campaign', campaignId: campaign.id }, metric: { field: 'purchases' } })).ms,
    };
    for (let run = 0; run < RUNS; run += 1) {
      // A new metric each run, so the cache of the last scan does not answer.
      const cap = 0.99 - run * 0.001;
      const plain: SimSource = { audience: { kind: 'campaign', campaignId: campaign.id }, metric: { ...metric, cap }, covariate, strata: [] };
      scans.plain.push((await timed(host, 'simulate/scan', plain)).ms);
      const stratified: SimSource = { audience: { kind: 'campaign', campaignId: campaign.id }, metric: { ...metric, cap }, covariate };
      scans.stratified.push((await timed(host, 'simulate/scan', stratified)).ms);
    }
    const source: SimSource = { audience: { kind: 'campaign', campaignId: campaign.id }, metric, covariate };
    const settings = { percent: '10', limit: null, seed: 'bench' };
    const balanceFirst = await timed(host, 'simulate/balance', { source, settings });
    const balanceAgain = await timed(host, 'simulate/balance', { source, settings: { ...settings, seed: 'other' } });
    const monteCarlo = await timed(host, 'simulate/monteCarlo', { source, settings: { ...settings, alpha: 0.05, sided: 'two-sided', effect: 0.05 }, reps: 1000 });

    const plainMs = median(scans.plain);
    console.log(`${formatCount(BENCH_PROFILES)} profiles, campaign stratified by city`);
    const stratifiedMs = median(scans.stratified);
    console.log(`first scan of the audience: plain ${first.plain.toFixed(0)} ms, stratified by city ${first.stratified.toFixed(0)} ms`);
    console.log(`metric scan (medians of ${RUNS}): plain ${plainMs.toFixed(0)} ms, stratified by city ${stratifiedMs.toFixed(0)} ms`);
    console.log(`balance: first ${balanceFirst.ms.toFixed(0)} ms (reads the IDs and fields), another seed ${balanceAgain.ms.toFixed(0)} ms`);
    console.log(`Monte Carlo of 1,000 replicates with chance imbalance: ${monteCarlo.ms.toFixed(0)} ms`);
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    report([
      { name: `metric scan of a ${formatCount(BENCH_PROFILES)}-profile campaign audience (median of ${RUNS})`, value: plainMs / 1000, unit: 's', max: 1 },
      { name: 'the same, stratified by city', value: stratifiedMs / 1000, unit: 's', max: 1 },
      { name: 'longest host event-loop stall during the simulator calls', value: worstStall, unit: 'ms', max: 16 },
    ]);
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
