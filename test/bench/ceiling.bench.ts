/**
 * The ceiling of a project (issue 14, item 5): how many profiles a project can hold, import
 * and build a campaign on, with sql.js in 32-bit WebAssembly.
 *
 * For each size (BIG_SIZES, default 1000000,10000000; projects made once by big-projects.ts),
 * through the engine with the app's ceiling (DEFAULT_MAX_PROJECT_BYTES): open, a segment
 * of all profiles, a campaign on it with one activity, its activation (the build: every
 * profile hashed, split and written as a member), then a save. Printed per step: time, the
 * database's size, sql.js's WebAssembly heap (at most 2 GiB) and the whole process's peak
 * memory. From the biggest size: the bytes per profile of a project with one campaign built,
 * and the heap per profile of the build, hence the profiles each limit allows.
 *
 * Target: the biggest size (10M) opens, builds a campaign and saves under the ceiling.
 */
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatBytes, formatCount } from '../../shared/format';
import { DEFAULT_MAX_PROJECT_BYTES } from '../../main/engine/deps';
import { WASM_HEAP_MAX_BYTES, wasmHeapBytes } from '../../main/engine/sqlite/wasm-memory';
import { fmt, startBenchEngine } from './bench-engine';
import { bigProject, bigSizes } from './big-projects';
import { report, runBench, sampleMemory, type Target } from './report';

interface Step {
  readonly name: string;
  readonly ms: number;
  readonly databaseBytes: number;
  readonly heapBytes: number;
}

async function buildOn(profiles: number): Promise<{ steps: Step[]; peak: number; fileBytes: number }> {
  const bench = await startBenchEngine({ recoveryDelayMs: 2 ** 30, maxProjectBytes: DEFAULT_MAX_PROJECT_BYTES });
  const memory = sampleMemory();
  const steps: Step[] = [];
  try {
    const path = join(bench.dir, 'ceiling.cplan');
    copyFileSync(bigProject(profiles), path);
    const step = async (name: string, work: () => Promise<{ ms: number }>) => {
      const { ms } = await work();
      const info = await bench.call('project/info', {});
      const databaseBytes = info.data.sizeBytes ?? 0;
      steps.push({ name, ms, databaseBytes, heapBytes: wasmHeapBytes() });
      console.log(`  ${name}: ${fmt(ms)}; file ${formatBytes(databaseBytes)}, WebAssembly heap ${formatBytes(wasmHeapBytes())}`);
    };
    await step('open', () => bench.call('project/open', { path, discard: true }));
    const databaseId = (await bench.call('database/list', {})).data[0]!.id;
    let segmentId = 0;
    await step('segment of all + save', async () => {
      const { data, ms } = await bench.call('segment/create', { databaseId, name: 'All', from: { kind: 'all' } });
      segmentId = data.segment.id;
      return { ms: ms + (await bench.call('project/save', {})).ms };
    });
    let campaignId = 0;
    await step('campaign + activity', async () => {
      const { data, ms } = await bench.call('campaign/create', { name: 'Spring', databaseId, segmentId, seed: 'ceiling', lcg: { percent: 10, limit: null, strata: [] } });
      campaignId = data.id;
      return { ms: ms + (await bench.call('activity/create', { databaseId, campaignId, type: 'broadcast', name: 'Mail' })).ms };
    });
    await step('activate (build) + save', async () => {
      const { ms } = await bench.call('campaign/activate', { campaignId, confirmed: true });
      return { ms: ms + (await bench.call('project/save', {})).ms };
    });
    return { steps, peak: memory.stop(), fileBytes: statSync(path).size };
  } finally {
    memory.stop();
    await bench.dispose();
  }
}

async function main() {
  const sizes = bigSizes('1000000,10000000');
  const targets: Target[] = [];
  let last: { profiles: number; fileBytes: number; heap: number } | null = null;
  for (const profiles of sizes) {
    console.log(`\n${formatCount(profiles)} profiles (ceiling ${formatBytes(DEFAULT_MAX_PROJECT_BYTES)}):`);
    try {
      const { steps, peak, fileBytes } = await buildOn(profiles);
      const heap = Math.max(...steps.map((s) => s.heapBytes));
      console.log(`  saved: ${formatBytes(fileBytes)} (${(fileBytes / profiles).toFixed(0)} bytes per profile); heap at most ${formatBytes(heap)}; peak memory ${formatBytes(peak)}`);
      last = { profiles, fileBytes, heap };
      targets.push({ name: `${formatCount(profiles)} profiles: a campaign built and saved, the project over the ceiling by`, value: Math.max(0, fileBytes - DEFAULT_MAX_PROJECT_BYTES) / 1e6, unit: 'MB', max: 0 });
    } catch (error) {
      console.log(`  refused or failed: ${(error as Error).message}`);
      targets.push({ name: `${formatCount(profiles)} profiles: a campaign built and saved (1 = failed)`, value: 1, unit: '', max: 0 });
    }
  }
  if (last) {
    const byFile = Math.floor(DEFAULT_MAX_PROJECT_BYTES / (last.fileBytes / last.profiles));
    const byHeap = Math.floor(WASM_HEAP_MAX_BYTES / (last.heap / last.profiles));
    console.log(
      `\nceiling: the file allows about ${formatCount(byFile)} profiles with one campaign built (${formatBytes(DEFAULT_MAX_PROJECT_BYTES)}), ` +
        `the WebAssembly heap about ${formatCount(byHeap)} (${formatBytes(WASM_HEAP_MAX_BYTES)}, if it grew with the profiles); ` +
        `so about ${formatCount(Math.min(byFile, byHeap))} profiles.`,
    );
  }
  report(targets);
}

runBench(main);
