/** An engine in this process with a demo project of N profiles, for the benchmarks. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../main/engine/engine';
import { startEngineServices } from '../../main/engine/node-deps';
import type { EngineHost } from '../../main/host/engine-host';
import type { EngineEventMessage } from '../../shared/contract/events';
import type { ImportPreview, ImportRequest } from '../../shared/contract/imports';
import type { ArgsOf, EngineRequest, MethodName, ResultOf } from '../../shared/contract/index';

export interface BenchEngine {
  readonly engine: Engine;
  readonly dir: string;
  /** Calls a method; throws on failure; returns the data and the time it took. */
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<{ data: ResultOf<M>; ms: number }>;
  dispose(): Promise<void>;
}

let operations = 0;

/**
 * `recoveryDelayMs`: when the engine writes its recovery copy after a change (a whole project, in the measured thread).
 * `onEvent`: the engine's events (progress: where a call spends its time).
 */
export async function startBenchEngine(
  options: { recoveryDelayMs?: number; maxProjectBytes?: number; onEvent?: (message: EngineEventMessage) => void } = {},
): Promise<BenchEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bench-'));
  const { onEvent, ...engineOptions } = options;
  const services = await startEngineServices({ dataDir: join(dir, 'data'), maxProjectBytes: 2 ** 31, ...engineOptions });
  const engine = createEngine(services.deps, onEvent ?? (() => undefined));
  return {
    engine,
    dir,
    async call(method, args) {
      operations += 1;
      const started = performance.now();
      const envelope = await engine.call({ method, args, operationId: `bench-${operations}` });
      const ms = performance.now() - started;
      if (!envelope.ok) throw new Error(`${method}: ${envelope.error.code} ${envelope.error.message}`);
      return { data: envelope.data as ResultOf<typeof method>, ms };
    },
    async dispose() {
      await engine.dispose();
      await services.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Profiles in the benchmark database (the figure); BENCH_PROFILES overrides it for a quick run. */
export const BENCH_PROFILES = Number(process.env.BENCH_PROFILES ?? 1_000_000);

/** Opens a demo project of `profiles` profiles; returns its database id and how long it took. */
export async function demoProject(bench: BenchEngine, profiles = BENCH_PROFILES): Promise<{ databaseId: number; ms: number }> {
  const { ms } = await bench.call('demo/create', { profiles, seed: 'bench', discard: true });
  const { data } = await bench.call('database/list', {});
  const database = data[0];
  if (!database || database.profileCount !== profiles) throw new Error('the demo project was not made');
  return { databaseId: database.id, ms };
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

/** One call through the engine thread (EngineHost); throws on failure. */
export async function hostCall<T>(host: EngineHost, request: EngineRequest): Promise<T> {
  const envelope = await host.invoke(request);
  if (!envelope.ok) throw new Error(`${request.method}: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.data as T;
}

/** The import of a previewed CSV into a new database named Audience, as detected and suggested (the import benchmarks). */
export function newDatabaseImport(path: string, preview: ImportPreview): ImportRequest {
  return {
    path,
    target: { newDatabase: 'Audience' },
    csv: preview.options,
    mapping: preview.columns.map((c) => ({ column: c.index, target: c.suggested })),
    mode: 'upsert',
    emptyCells: 'keep',
    onBadRows: 'stop',
  };
}
