/**
 * Advancing the project clock 52 weeks, a week at a time, through a plan of 3 campaigns on
 * a 1,000,000-profile database with 5,000,000 events (issue 11): each campaign on its own
 * updatable segment (recalculated weekly), with a weekly regular mailing and a mailing
 * triggered by each purchase, all launched and active. Through the real engine thread
 * (EngineHost, dist/main/engine-worker.cjs), as the app runs it.
 *
 * Targets: the 52 steps at most 60 s; one weekly step at most 2 s (the slowest; the median
 * is printed too); peak memory of the whole process (rss, all threads) at most 1.5 GB; the
 * host thread's event loop never blocked more than 16 ms.
 *
 * The project is made first, in a child process (so that its memory is not counted): the
 * demo's profiles and events (the 12 months before the clock), then events of the 52 weeks
 * after the clock, written straight into the events' two tables (main/engine/events/
 * table.ts), up to 5 events a profile: 20 % purchases, 50 % opens, 30 % clicks, on random
 * profiles at random times. The segments: a purchase in the last 7 days (Mondays 10:00),
 * an open in the last 30 days (Tuesdays 10:00), a click in the last 14 days (Wednesdays
 * 10:00). That child then advances a copy of the plan a few weeks in its own thread under
 * the CPU profiler, and prints where the time goes (by engine function, inclusive), so the
 * engine's owner can see what to tune.
 *
 *   npm run bench -- clock-advance       BENCH_PROFILES=200000 BENCH_WEEKS=8 for a quicker run;
 *                                        BENCH_PROFILE_WEEKS=0 skips the profile
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { EngineHost } from '../../main/host/engine-host';
import { eventsByProfileTable, eventsTable, lastEventSeq } from '../../main/engine/events/table';
import type { ClockAdvanceResult, ClockItemKind } from '../../shared/contract/clock';
import type { EngineRequest } from '../../shared/contract/index';
import { addMinutes } from '../../shared/domain/clock';
import { formatCount } from '../../shared/format';
import { BENCH_PROFILES, demoProject, fmt, hostCall, median, startBenchEngine, type BenchEngine } from './bench-engine';
import { report, runBench, sampleMemory, watchEventLoop } from './report';

const EVENTS = BENCH_PROFILES * 5;
const WEEKS = Number(process.env.BENCH_WEEKS ?? 52);
const PROFILE_WEEKS = Number(process.env.BENCH_PROFILE_WEEKS ?? 4);
const MB = 1024 * 1024;
const WEEK_MINUTES = 7 * 24 * 60;

const PLAN = [
  { name: 'Buyers', where: 'event purchase in last 7 days', schedule: 'weekly mon 10:00' },
  { name: 'Openers', where: 'event open in last 30 days', schedule: 'weekly tue 10:00' },
  { name: 'Clickers', where: 'event click in last 14 days', schedule: 'weekly wed 10:00' },
] as const;

/** Events of the weeks after the clock, so that the advance replays them, up to EVENTS in all. */
function writeFutureEvents(bench: BenchEngine, databaseId: number, clock: string): number {
  const db = bench.engine.state.requireSession().db;
  const table = eventsTable(databaseId);
  const have = Number(db.scalar(`SELECT COUNT(*) FROM ${table}`));
  const count = Math.max(0, EVENTS - have);
  const seconds = (WEEKS * 7 + 1) * 86_400;
  db.run(
    `CREATE TEMP TABLE bench_events AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     SELECT ? + i AS seq, 1 + abs(random()) % ? AS profile_key,
            CASE abs(random()) % 10 WHEN 0 THEN 'purchase' WHEN 1 THEN 'purchase' WHEN 2 THEN 'click' WHEN 3 THEN 'click' WHEN 4 THEN 'click' ELSE 'open' END AS type,
            strftime('%Y-%m-%dT%H:%M:%S', julianday(?) + (abs(random()) % ?) / 86400.0) AS at, (abs(random()) % 100000) / 100.0 AS amount
       FROM n`,
    [count, lastEventSeq(db, databaseId), BENCH_PROFILES, clock.replace('T', ' '), seconds],
  );
  db.exec(`INSERT INTO ${table} (profile_key, type, at, amount, seq) SELECT profile_key, type, at, CASE type WHEN 'purchase' THEN amount END, seq FROM temp.bench_events ORDER BY type, at, profile_key, seq`);
  db.exec(`INSERT INTO ${eventsByProfileTable(databaseId)} (profile_key, at, seq, type) SELECT profile_key, at, seq, type FROM temp.bench_events ORDER BY profile_key, at, seq; DROP TABLE temp.bench_events`);
  return have + count;
}

/** The plan: per segment a campaign (LCG 10 %), its weekly regular mailing and its purchase-triggered mailing, launched and activated. */
async function makePlan(bench: BenchEngine, databaseId: number): Promise<void> {
  for (const [index, p] of PLAN.entries()) {
    const { data: made, ms } = await bench.call('segment/create', { databaseId, name: p.name, type: 'updatable', schedule: p.schedule, from: { kind: 'condition', where: p.where } });
    const { data: campaign } = await bench.call('campaign/create', { name: p.name, databaseId, segmentId: made.segment.id, lcg: { percent: '10', limit: null, strata: [] }, seed: `clock-${index}` });
    const { data: digest } = await bench.call('activity/create', { databaseId, campaignId: campaign.id, type: 'regular_mailing', name: `${p.name} digest` });
    const { data: thanks } = await bench.call('activity/create', { databaseId, campaignId: campaign.id, type: 'triggered_mailing', name: `${p.name} thanks` });
    await bench.call('activity/launch', { activityId: digest.id, timing: { kind: 'schedule', schedule: 'weekly thu 12:00' } });
    await bench.call('activity/launch', { activityId: thanks.id, timing: { kind: 'trigger', eventType: 'purchase', delayMinutes: 0 } });
    const activated = await bench.call('campaign/activate', { campaignId: campaign.id });
    console.log(`  "${p.name}" (${p.where}, ${p.schedule}): ${formatCount(made.segment.size)} profiles, segment made in ${fmt(ms)}, campaign activated in ${fmt(activated.ms)}`);
  }
}

/** Inclusive CPU time of the engine functions that do a step's work, from a CPU profile of this thread. */
const FUNCTIONS = [
  'advanceClock',
  'nextMoment',
  'stretch',
  'moment',
  'recalculateSegment',
  'followAudienceChange',
  'runTriggered',
  'runScenario',
  'endFinishedHolds',
  'runActivity',
  'activateCampaign',
  'allGroupSizes',
  'checkpoint',
];

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[]; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
}

function attribute(profile: CpuProfile): { inclusive: Map<string, number>; self: Map<string, number>; callers: Map<string, Map<string, number>>; total: number } {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  // For each function with self time, the engine functions it was called from (the nearest three named frames of our code), with their time.
  const callers = new Map<string, Map<string, number>>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const leaf = byId.get(id)!.callFrame;
    const key = `${leaf.functionName || '(anonymous)'} ${leaf.url.split('/').pop()}:${leaf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + ms);
    const chain: string[] = [];
    for (let at = parent.get(id); at !== undefined && chain.length < 3; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      // sql.js's own functions are minified, and WebAssembly's are numbers: ours are the ones with a name that says something.
      if (frame.functionName.length > 3 && !frame.url.startsWith('wasm')) chain.push(frame.functionName);
    }
    const byChain = callers.get(key) ?? new Map<string, number>();
    byChain.set(chain.join(' < '), (byChain.get(chain.join(' < ')) ?? 0) + ms);
    callers.set(key, byChain);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)!.callFrame.functionName;
      if (FUNCTIONS.includes(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      }
    }
  });
  return { inclusive, self, callers, total };
}

async function profileWeeks(bench: BenchEngine, clock: string): Promise<void> {
  const db = bench.engine.state.requireSession().db;
  const fileBytes = () => Number(db.scalar('PRAGMA page_count')) * Number(db.scalar('PRAGMA page_size'));
  const bytesBefore = fileBytes();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  const { data, ms } = await bench.call('clock/advance', { to: addMinutes(clock, PROFILE_WEEKS * WEEK_MINUTES), step: '1w' });
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  const { inclusive, self, callers, total } = attribute(profile);
  // The database file grows as runs record their recipients; sql.js keeps it in MEMFS, which copies the whole file to grow it (main/engine/sqlite/file-room.ts).
  const grown = fileBytes() - bytesBefore;
  console.log(`\nthe database grew by ${(grown / MB).toFixed(0)} MB in ${PROFILE_WEEKS} weeks (from ${(bytesBefore / MB).toFixed(0)} MB): about ${((grown * WEEKS) / PROFILE_WEEKS / MB).toFixed(0)} MB in ${WEEKS} weeks`);
  console.log(`where the time goes: ${PROFILE_WEEKS} weekly steps in the engine's own thread, under the profiler: ${fmt(ms)} (${data.steps.length} steps; CPU samples ${fmt(total)}, the rest waits for the split workers)`);
  console.log('  inclusive time of the engine functions of a step:');
  for (const name of FUNCTIONS) if (inclusive.has(name)) console.log(`    ${name.padEnd(22)}${fmt(inclusive.get(name)!).padStart(10)}  ${((100 * inclusive.get(name)!) / ms).toFixed(0).padStart(3)} %`);
  console.log('  the 12 functions with the most self time:');
  for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`    ${fmt(t).padStart(9)}  ${key}`);
    const [chain, ms] = [...(callers.get(key) ?? [])].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    if (chain) console.log(`               mostly (${fmt(ms)}) from ${chain}`);
  }
}

/** The child: makes the project file, then profiles a few weeks of it in its own thread. */
async function setup(path: string): Promise<void> {
  const bench = await startBenchEngine({ recoveryDelayMs: 2 ** 30 });
  try {
    const demo = await demoProject(bench);
    console.log(`demo project: ${formatCount(BENCH_PROFILES)} profiles, made in ${fmt(demo.ms)}`);
    const clock = (await bench.call('project/state', {})).data;
    if (!clock.open) throw new Error('no project');
    const started = performance.now();
    const events = writeFutureEvents(bench, demo.databaseId, clock.clock);
    console.log(`events: ${formatCount(events)} (the demo's before the clock, the rest in the ${WEEKS} weeks after it), written in ${fmt(performance.now() - started)}`);
    await makePlan(bench, demo.databaseId);
    const saved = await bench.call('project/saveAs', { path, overwrite: true });
    console.log(`saved in ${fmt(saved.ms)}: ${(statSync(path).size / MB).toFixed(0)} MB`);
    if (PROFILE_WEEKS > 0) await profileWeeks(bench, clock.clock);
  } finally {
    await bench.dispose();
  }
}

/**
 * Time by progress phase: from each phase's first report to the next phase's. Work that
 * reports no phase of its own (triggered mailings, what falls due) counts in the phase
 * before it; "Advancing the clock to …" is the start of each step.
 */
function phaseTotals(phases: readonly { at: number; phase: string }[], end: number): string {
  const totals = new Map<string, number>();
  phases.forEach((p, i) => {
    const key = p.phase.replace(/"[^"]*"/g, '"…"').replace(/ to [A-Z][a-z]{2} \d.*$/, ' to …');
    totals.set(key, (totals.get(key) ?? 0) + ((phases[i + 1]?.at ?? end) - p.at));
  });
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .map(([phase, ms]) => `    ${fmt(ms).padStart(9)}  ${((100 * ms) / all).toFixed(0).padStart(3)} %  ${phase}`)
    .join('\n');
}

/** The kinds of items an advance ran, with their counts summed. */
function itemSummary(result: ClockAdvanceResult): string {
  const byKind = new Map<ClockItemKind, { items: number; count: number }>();
  for (const item of result.steps.flatMap((s) => s.items)) {
    const was = byKind.get(item.kind) ?? { items: 0, count: 0 };
    byKind.set(item.kind, { items: was.items + 1, count: was.count + (item.count ?? 0) });
  }
  return [...byKind].map(([kind, v]) => `${kind} ${v.items} (${formatCount(v.count)} profiles)`).join(', ');
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-clock-'));
  const host = new EngineHost({ workerPath: join(process.cwd(), 'dist/main/engine-worker.cjs'), config: { dataDir: join(dir, 'data'), maxProjectBytes: 2 ** 31, recoveryDelayMs: 2 ** 30 } });
  try {
    const path = join(dir, 'plan.cplan');
    const child = spawnSync(process.execPath, [process.argv[1]!], { env: { ...process.env, CLOCK_BENCH_SETUP: path }, stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`making the project failed (exit ${child.status})`);

    await host.start();
    const opened = performance.now();
    const state = await hostCall<{ open: boolean; clock: string }>(host, { method: 'project/open', args: { path } });
    console.log(`\nopened through the engine thread in ${fmt(performance.now() - opened)}; clock ${state.clock}`);
    const to = addMinutes(state.clock, WEEKS * WEEK_MINUTES);

    const stepEnds: { at: number; done: number }[] = [];
    const phases: { at: number; phase: string }[] = [];
    const unsubscribe = host.subscribe((message) => {
      // The advance says "Advancing the clock to …" as each step starts (done: the steps before it); the work inside a step reports its own phases.
      const { payload } = message.event === 'progress' ? message : { payload: null };
      if (payload?.operationId !== 'bench-clock') return;
      if (payload.phase.startsWith('Advancing the clock to ')) stepEnds.push({ at: performance.now(), done: payload.done });
      if (phases[phases.length - 1]?.phase !== payload.phase) phases.push({ at: performance.now(), phase: payload.phase });
    });
    global.gc?.();
    const memory = sampleMemory();
    const loop = watchEventLoop();
    const started = performance.now();
    const request: EngineRequest = { method: 'clock/advance', args: { to, step: '1w' }, operationId: 'bench-clock' };
    const result = await hostCall<ClockAdvanceResult>(host, request);
    const elapsed = performance.now() - started;
    // A tick after the result, so that a stall while it arrived is seen too.
    await new Promise((done) => setTimeout(done, 20));
    const stall = loop.stop();
    const peak = memory.stop();
    unsubscribe();

    // A step's time: from the progress event that starts it to the next one (progress comes at
    // most every 100 ms, so steps quicker than that share one interval, split evenly here).
    const steps: number[] = [];
    let last = { at: started, done: 0 };
    for (const point of [...stepEnds, { at: started + elapsed, done: WEEKS }]) {
      const n = point.done - last.done;
      if (n <= 0) continue;
      for (let i = 0; i < n; i += 1) steps.push((point.at - last.at) / n);
      last = point;
    }
    const slowest = steps.indexOf(Math.max(...steps));
    console.log(`advanced ${result.steps.length} weekly steps (${state.clock} to ${result.clock}) in ${(elapsed / 1000).toFixed(1)} s`);
    console.log(`  ran: ${itemSummary(result)}`);
    console.log(`  a step: median ${fmt(median(steps))}, slowest ${fmt(steps[slowest]!)} (step ${slowest + 1}, to ${result.steps[slowest]?.to}: ${result.steps[slowest]?.items.length} items)`);
    console.log(`  steps in order (ms): ${steps.map((t) => t.toFixed(0)).join(' ')}`);
    console.log(`  time by the phase the engine reported last (a phase runs until the next one is reported):\n${phaseTotals(phases, started + elapsed)}`);
    console.log(`  host event loop: longest stall ${stall.maxStallMs.toFixed(1)} ms (${stall.ticks} ticks); peak memory ${(peak / MB).toFixed(0)} MB`);
    // When the longest stalls ended: in which step, or after the last one (the result crossing to this thread).
    const stepAt = (t: number) => stepEnds.filter((p) => p.at <= t).pop()?.done ?? 0;
    const when = (t: number) => (t > started + elapsed - 1 ? 'as the result arrived' : `in step ${stepAt(t) + 1}`);
    // And the phases the engine was in when each began and ended (a stall across a change of phase points at what the engine did then).
    const phaseAt = (t: number) => (phases.filter((p) => p.at <= t).pop()?.phase ?? 'starting').replace(/ to [A-Z][a-z]{2} \d.*$/, '');
    const across = (s: { endedAt: number; ms: number }) => `${phaseAt(s.endedAt - s.ms)} → ${phaseAt(s.endedAt)}`;
    console.log(`  the longest stalls: ${stall.stalls.map((s) => `${s.ms.toFixed(0)} ms ${when(s.endedAt)} (${((s.endedAt - started) / 1000).toFixed(1)} s; ${across(s)})`).join('; ') || 'none over 5 ms'}`);
    console.log(`load average after the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    report([
      { name: `${WEEKS} weekly steps, 3 campaigns, ${formatCount(BENCH_PROFILES)} profiles, ${formatCount(EVENTS)} events`, value: elapsed / 1000, unit: 's', max: 60 },
      { name: 'the slowest weekly step', value: steps[slowest]!, unit: 'ms', max: 2000 },
      { name: 'peak memory (rss, all threads)', value: peak / MB, unit: 'MB', max: 1536 },
      { name: 'longest host event-loop stall', value: stall.maxStallMs, unit: 'ms', max: 16 },
    ]);
  } finally {
    await host.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

const setupPath = process.env.CLOCK_BENCH_SETUP;
runBench(() => (setupPath === undefined ? main() : setup(setupPath)));
