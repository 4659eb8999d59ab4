/**
 * Building the audience of a campaign of 1,000,000 profiles, through the real engine thread
 * (EngineHost, dist/main/engine-worker.cjs) and its split worker pool: the segment's
 * members minus the database's global control group, the split (control total, quotas,
 * md5 order, quickselect) and the groups stored, as `campaign/activate` does it.
 *
 * Targets: at most 4 s (median of 3 activations, each a new campaign on the same segment);
 * the host thread's event loop never blocked more than 50 ms. Then an active campaign follows
 * a change of its audience: exempting it from the GCG lets the 5 % of GCG members join (an
 * event each), undoing it makes them leave (a "Campaign exit" each): at most 4 s each. A stratified campaign (gender
 * × city × birth date ranges, 263 strata): its preview (campaign/previewLcg, what the LCG
 * dialog shows) at most 1 s and its build at most 1.5 s, medians of 3 (issue 14).
 *
 *   npm run bench -- campaign          BENCH_PROFILES=200000 for a quicker run
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineHost } from '../../main/host/engine-host';
import type { CampaignDetail, LcgSettings } from '../../shared/contract/campaigns';
import type { DatabaseDetail, DatabaseSummary } from '../../shared/contract/databases';
import type { MembershipChange } from '../../shared/contract/segments';
import { formatCount } from '../../shared/format';
import { BENCH_PROFILES, hostCall, median } from './bench-engine';
import { report, runBench, watchEventLoop } from './report';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const call = hostCall;

let operations = 0;

/** One activation of a new campaign; the time, the phases and the host's longest stall. */
async function activateOnce(host: EngineHost, databaseId: number, segmentId: number, lcg: LcgSettings, name: string, campaignId?: number) {
  const campaign = campaignId !== undefined ? { id: campaignId } : await call<{ id: number }>(host, { method: 'campaign/create', args: { name, databaseId, segmentId, lcg, seed: name } });
  await call(host, { method: 'activity/create', args: { databaseId, campaignId: campaign.id, type: 'broadcast', name: `${name} broadcast` } });
  operations += 1;
  const operationId = `bench-activate-${operations}`;
  const phases: { phase: string; at: number }[] = [];
  const unsubscribe = host.subscribe((message) => {
    if (message.event === 'progress' && message.payload.operationId === operationId && phases[phases.length - 1]?.phase !== message.payload.phase) {
      phases.push({ phase: message.payload.phase, at: performance.now() });
    }
  });
  const loop = watchEventLoop();
  const started = performance.now();
  const detail = await call<CampaignDetail>(host, { method: 'campaign/activate', operationId, args: { campaignId: campaign.id } });
  const elapsed = performance.now() - started;
  const stall = loop.stop();
  unsubscribe();
  const steps = [{ phase: 'starting', at: started }, ...phases]
    .map((p, i, all) => `${p.phase} ${(((all[i + 1]?.at ?? started + elapsed) - p.at) / 1000).toFixed(2)} s`)
    .join('; ');
  return { elapsed, stallMs: stall.maxStallMs, steps, detail };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-campaign-'));
  // The recovery copy (the whole project written 2 s after a change; the save benchmark measures
  // it) is left out: it would land in whichever measured call follows.
  const host = new EngineHost({ workerPath: join(process.cwd(), 'dist/main/engine-worker.cjs'), config: { dataDir: join(dir, 'data'), recoveryDelayMs: 2 ** 30 } });
  try {
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
    await host.start();
    let t = performance.now();
    await call(host, { method: 'demo/create', operationId: 'bench-demo', args: { profiles: BENCH_PROFILES, seed: 'bench', discard: true } });
    const [database] = await call<DatabaseSummary[]>(host, { method: 'database/list', args: {} });
    if (!database || database.profileCount !== BENCH_PROFILES) throw new Error('the demo project was not made');
    const databaseId = database.id;
    console.log(`demo project: ${formatCount(BENCH_PROFILES)} profiles in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    const segment = await call<MembershipChange>(host, {
      method: 'segment/create',
      operationId: 'bench-segment',
      args: { databaseId, name: 'Everyone', from: { kind: 'all' } },
    });
    console.log(`segment of all profiles: ${formatCount(segment.segment.size)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    await call(host, { method: 'gcg/set', operationId: 'bench-gcg', args: { databaseId, percent: 5, seed: 'gcg' } });
    console.log(`global control group of 5 % formed in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const runs: number[] = [];
    let worstStall = 0;
    for (let run = 1; run <= RUNS; run += 1) {
      const m = await activateOnce(host, databaseId, segment.segment.id, { percent: 10, limit: null, strata: [] }, `plain-${run}`);
      runs.push(m.elapsed);
      worstStall = Math.max(worstStall, m.stallMs);
      const g = m.detail.campaign.groups;
      console.log(
        `run ${run}: ${(m.elapsed / 1000).toFixed(2)} s for ${formatCount(g.total)} members (${formatCount(g.test)} test, ${formatCount(g.control)} LCG); ` +
          `longest host stall ${m.stallMs.toFixed(1)} ms; ${m.steps}`,
      );
    }

    // An active campaign follows its audience: the GCG members join, then leave again.
    const [first] = await call<{ id: number; name: string }[]>(host, { method: 'campaign/list', args: {} });
    const follows: number[] = [];
    for (const exempt of [true, false]) {
      const loop = watchEventLoop();
      const started = performance.now();
      await call(host, { method: 'gcg/exempt', operationId: `bench-exempt-${exempt}`, args: { campaignId: first!.id, exempt } });
      follows.push(performance.now() - started);
      worstStall = Math.max(worstStall, loop.stop().maxStallMs);
      console.log(`${exempt ? 'exempt from the GCG (its members join)' : 'GCG again (its members leave)'}: ${(follows[follows.length - 1]! / 1000).toFixed(2)} s`);
    }

    // For information: the same with three stratification fields.
    const detail = await call<DatabaseDetail>(host, { method: 'database/get', args: { databaseId } });
    const field = (name: string) => detail.fields.find((f) => f.name === name)!.id;
    const stratified: LcgSettings = {
      percent: '7.5',
      limit: null,
      strata: [
        { kind: 'values', fieldId: field('gender') },
        { kind: 'values', fieldId: field('city') },
        { kind: 'ranges', fieldId: field('birth_date'), bounds: ['1960-01-01', '1980-01-01', '2000-01-01'] },
      ],
    };
    // Stratified: what the LCG dialog shows first (campaign/previewLcg on the new campaign:
    // its strata, sizes and quotas), then the activation; each run a new campaign.
    const stratifiedRuns: number[] = [];
    const previews: number[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const name = `stratified-${run}`;
      const campaign = await call<{ id: number }>(host, { method: 'campaign/create', args: { name, databaseId, segmentId: segment.segment.id, lcg: stratified, seed: name } });
      const started = performance.now();
      const preview = await call<{ strata: unknown[] }>(host, { method: 'campaign/previewLcg', args: { campaignId: campaign.id, lcg: stratified } });
      previews.push(performance.now() - started);
      const s = await activateOnce(host, databaseId, segment.segment.id, stratified, name, campaign.id);
      stratifiedRuns.push(s.elapsed);
      worstStall = Math.max(worstStall, s.stallMs);
      console.log(
        `stratified run ${run} (gender × city × birth date ranges, ${s.detail.strata.length} strata): preview ${(previews[run - 1]! / 1000).toFixed(2)} s (${preview.strata.length} strata); ` +
          `build ${(s.elapsed / 1000).toFixed(2)} s; longest host stall ${s.stallMs.toFixed(1)} ms; ${s.steps}` +
          (s.detail.warning ? `; warning: ${s.detail.warning.strata.length} strata below one LCG profile` : ''),
      );
    }

    const elapsed = median(runs);
    console.log(`median of ${RUNS}: ${(elapsed / 1000).toFixed(2)} s; load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    report([
      { name: `build the audience of a ${formatCount(BENCH_PROFILES)}-profile campaign (median of ${RUNS})`, value: elapsed / 1000, unit: 's', max: 4 },
      { name: 'an active campaign follows its audience (GCG members join or leave; the slower)', value: Math.max(...follows) / 1000, unit: 's', max: 4 },
      { name: `build the audience of a stratified campaign (263 strata; median of ${RUNS})`, value: median(stratifiedRuns) / 1000, unit: 's', max: 1.5 },
      { name: `preview of the stratified audience (campaign/previewLcg; median of ${RUNS})`, value: median(previews) / 1000, unit: 's', max: 1 },
      { name: 'longest host event-loop stall during the builds', value: worstStall, unit: 'ms', max: 50 },
    ]);
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
