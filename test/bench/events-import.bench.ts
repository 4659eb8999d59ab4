/**
 * Importing 5,000,000 profile events (profile ID, type, date-time, amount, text) for a
 * database of 1,000,000 profiles, through the real engine thread (EngineHost,
 * dist/main/engine-worker.cjs) and the profile import's parse worker.
 *
 * Targets (issue 10): at most 10 s; peak memory of the whole process (rss, all threads)
 * at most 1.5 GB. The profiles are imported first (not timed); the events file is about
 * 230 MB.
 *
 *   npm run bench -- events-import        BENCH_EVENTS=1000000 BENCH_PROFILES=200000 for a quicker run
 */
import { createWriteStream } from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { writeDemoCsv } from '../../main/engine/demo/demo-csv';
import { EngineHost } from '../../main/host/engine-host';
import type { ImportPreview, ImportResult } from '../../shared/contract/imports';
import type { EngineRequest } from '../../shared/contract/index';
import type { EventsImportResult } from '../../shared/contract/profile-events';
import { newDatabaseImport } from './bench-engine';
import { report, runBench, sampleMemory, type Target } from './report';

const PROFILES = Number(process.env.BENCH_PROFILES ?? 1_000_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const MB = 1024 * 1024;
const TYPES = ['open', 'open', 'open', 'click', 'visit', 'purchase'];

/** User + system CPU time of the process (every thread), in seconds. */
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * CPU seconds of each thread of this process (Linux: /proc/self/task), by thread id; empty
 * elsewhere. On a busy machine the busiest thread's CPU time in a step tells what the step
 * would take alone better than its wall time does.
 */
function threadCpu(): Map<string, number> {
  const times = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // not Linux
  }
  return times;
}

/** The most CPU time one thread used between two snapshots. */
function busiest(before: Map<string, number>, after: Map<string, number>): number {
  let most = 0;
  for (const [tid, seconds] of after) most = Math.max(most, seconds - (before.get(tid) ?? 0));
  return most;
}

async function call<T>(host: EngineHost, request: EngineRequest): Promise<T> {
  const envelope = await host.invoke(request);
  if (!envelope.ok) throw new Error(`${request.method}: ${envelope.error.message}`);
  return envelope.data as T;
}

/** Events of random profiles over 2025, in file order as an export from a shop would give them. */
async function writeEventsCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  let seed = 12345;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const width = Math.max(7, String(PROFILES).length);
  const start = Date.parse('2025-01-01T00:00:00Z');
  let chunk = 'profile_id,type,at,amount,order_id\n';
  for (let i = 0; i < EVENTS; i += 1) {
    const id = String(1 + Math.floor(next() * PROFILES)).padStart(width, '0');
    const type = TYPES[Math.floor(next() * TYPES.length)]!;
    const at = new Date(start + Math.floor(next() * 365 * 86_400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    chunk += type === 'purchase' ? `${id},${type},${at},${(5 + next() * 200).toFixed(2)},O-${i}\n` : `${id},${type},${at},,\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-events-'));
  const host = new EngineHost({ workerPath: join(process.cwd(), 'dist/main/engine-worker.cjs'), config: { dataDir: join(dir, 'data') } });
  try {
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`);
    const people = join(dir, 'people.csv');
    await writeDemoCsv(people, { count: PROFILES, seed: 'bench', today: '2026-01-05', columns: 'benchmark' });
    const events = join(dir, 'events.csv');
    await writeEventsCsv(events);
    console.log(`files: ${PROFILES.toLocaleString('en-US')} profiles; ${EVENTS.toLocaleString('en-US')} events, ${(statSync(events).size / MB).toFixed(1)} MB`);

    await host.start();
    await call(host, { method: 'project/new', args: { name: 'Events benchmark' } });
    const profilePreview = await call<ImportPreview>(host, { method: 'import/preview', args: { path: people } });
    const profiles = await call<ImportResult>(host, { method: 'import/run', args: newDatabaseImport(people, profilePreview) });
    const databaseId = profiles.database!.id;

    const preview = await call<ImportPreview>(host, { method: 'import/preview', args: { path: events, databaseId } });
    const phases: { phase: string; at: number; cpu: number; threads: Map<string, number>; peak: number }[] = [];
    host.subscribe((message) => {
      if (message.event === 'progress' && message.payload.operationId === 'bench-events' && phases[phases.length - 1]?.phase !== message.payload.phase) {
        phases.push({ phase: message.payload.phase, at: performance.now(), cpu: cpuSeconds(), threads: threadCpu(), peak: 0 });
      }
    });
    global.gc?.();
    const memory = sampleMemory();
    // The peak of each step, sampled as sampleMemory does.
    const perPhase = setInterval(() => {
      const last = phases[phases.length - 1];
      if (last) last.peak = Math.max(last.peak, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    const cpuBefore = cpuSeconds();
    const result = await call<EventsImportResult>(host, {
      method: 'events/import',
      operationId: 'bench-events',
      args: {
        databaseId,
        path: events,
        csv: preview.options,
        mapping: { idColumn: 0, type: { kind: 'column', column: 1 }, timeColumn: 2, amountColumn: 3, noteColumn: 4 },
      },
    });
    const elapsed = performance.now() - started;
    const cpuAfter = cpuSeconds();
    const threadsAfter = threadCpu();
    const peak = memory.stop();
    clearInterval(perPhase);
    if (result.outcome !== 'imported' || result.imported !== EVENTS) {
      throw new Error(`events import gave ${result.outcome}, ${result.imported} imported, ${result.problemCount} problems, ${result.unknownProfiles.rows} unknown`);
    }
    const steps = phases.map((p, i) => `${p.phase} ${(((phases[i + 1]?.at ?? started + elapsed) - p.at) / 1000).toFixed(2)} s`).join('; ');
    console.log(`events import: ${(elapsed / 1000).toFixed(2)} s (${steps}); peak ${(peak / MB).toFixed(0)} MB`);
    // On a shared machine the wall time depends on the other load; the CPU time (all threads) less so.
    const cpuSteps = phases.map((p, i) => `${p.phase} ${((phases[i + 1]?.cpu ?? cpuAfter) - p.cpu).toFixed(2)} s`).join('; ');
    console.log(`CPU time, all threads: ${(cpuAfter - cpuBefore).toFixed(2)} s (${cpuSteps})`);
    const busiestSteps = phases.map((p, i) => `${p.phase} ${busiest(p.threads, phases[i + 1]?.threads ?? threadsAfter).toFixed(2)} s`).join('; ');
    console.log(`CPU time of the busiest thread: ${busiestSteps}`);
    console.log(`peak memory by step: ${phases.map((p) => `${p.phase} ${(p.peak / MB).toFixed(0)} MB`).join('; ')}`);
    console.log(`load average after the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const targets: Target[] = [
      { name: `import of ${EVENTS.toLocaleString('en-US')} events for ${PROFILES.toLocaleString('en-US')} profiles`, value: elapsed / 1000, unit: 's', max: 10 },
      { name: 'peak memory (rss, all threads)', value: peak / MB, unit: 'MB', max: 1536 },
    ];
    report(targets);
  } finally {
    await host.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
