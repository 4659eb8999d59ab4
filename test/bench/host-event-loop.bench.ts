/**
 * While the engine opens, checks and saves a large project, how long is the host thread's
 * event loop (Electron's main process, the browser-mode server) blocked at the most?
 * Target: never more than 50 ms. For comparison, the same work with the engine on the
 * host thread itself, as a ratio measured in this one run.
 *
 * Method: a 2 ms interval timer on the host thread; the largest gap between two ticks,
 * minus the interval, is the longest stall.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../main/engine/engine';
import { startEngineServices } from '../../main/engine/node-deps';
import { EngineHost } from '../../main/host/engine-host';
import type { EngineRequest } from '../../shared/contract/index';
import type { Envelope } from '../../shared/contract/errors';
import { writeBigProject } from '../helpers/big-project';
import { report, watchEventLoop } from './report';

const PROJECT_MB = Number(process.env.BENCH_PROJECT_MB ?? 300);

async function scenario(invoke: (r: EngineRequest) => Promise<Envelope<unknown>>, path: string, out: string) {
  const steps: [string, EngineRequest][] = [
    ['open', { method: 'project/open', args: { path, discard: true }, operationId: 'b-open' }],
    ['rename', { method: 'project/update', args: { name: 'Benchmark, renamed' } }],
    ['save as', { method: 'project/saveAs', args: { path: out, overwrite: true }, operationId: 'b-save' }],
  ];
  const watch = watchEventLoop();
  const started = performance.now();
  const timings: string[] = [];
  for (const [label, request] of steps) {
    const stepStart = performance.now();
    const result = await invoke(request);
    if (!result.ok) throw new Error(`${label}: ${result.error.message}`);
    timings.push(`${label} ${(performance.now() - stepStart).toFixed(0)} ms`);
  }
  const elapsed = performance.now() - started;
  return { elapsed, steps: timings.join(', '), ...watch.stop() };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-'));
  try {
    const path = join(dir, 'big.cplan');
    const bytes = await writeBigProject(path, PROJECT_MB);
    console.log(`project: ${(bytes / 2 ** 20).toFixed(0)} MB; scenario: open (read + check), rename, save as`);

    const host = new EngineHost({
      workerPath: join(process.cwd(), 'dist/main/engine-worker.cjs'),
      config: { dataDir: join(dir, 'data'), maxProjectBytes: 2 ** 31 },
    });
    await host.start();
    const threaded = await scenario((r) => host.invoke(r), path, join(dir, 'out-1.cplan'));
    await host.stop();

    const services = await startEngineServices({ dataDir: join(dir, 'data-inline'), maxProjectBytes: 2 ** 31 });
    const inline = createEngine(services.deps, () => undefined);
    const sameThread = await scenario((r) => inline.call(r), path, join(dir, 'out-2.cplan'));
    await inline.dispose();
    await services.stop();

    console.log(`engine in its worker thread: ${threaded.elapsed.toFixed(0)} ms of work (${threaded.steps}), longest host stall ${threaded.maxStallMs.toFixed(1)} ms (${threaded.ticks} ticks)`);
    console.log(`engine on the host thread:   ${sameThread.elapsed.toFixed(0)} ms of work (${sameThread.steps}), longest host stall ${sameThread.maxStallMs.toFixed(1)} ms (${sameThread.ticks} ticks)`);
    console.log(`ratio of longest stalls (host thread / worker thread): ${(sameThread.maxStallMs / Math.max(threaded.maxStallMs, 0.1)).toFixed(1)}x`);
    report([{ name: 'longest host event-loop stall while the engine works', value: threaded.maxStallMs, unit: 'ms', max: 50 }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
