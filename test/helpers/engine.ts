import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError, type Envelope } from '../../shared/contract/errors';
import type { EngineEventMessage } from '../../shared/contract/events';
import type { ArgsOf, MethodName, ResultOf } from '../../shared/contract/index';
import { DEFAULT_MAX_PROJECT_BYTES, type EngineDeps } from '../../main/engine/deps';
import { createEngine, type Engine } from '../../main/engine/engine';
import { isProcessAlive, randomId } from '../../main/engine/node-deps';
import { loadSqlJs } from '../../main/engine/sqlite/sql-js';
import { afterAll } from 'vitest';
import { createSplitPool } from '../../main/workers/hash-in-pool';
import type { WorkerPool } from '../../main/workers/pool';
import { tempDir } from './temp-dir';

/**
 * One real split worker pool per test file, as the app has one per engine: its threads
 * start on the first big split and are closed after the file's tests.
 */
let testPool: WorkerPool | null | undefined;
function sharedTestPool(): WorkerPool | null {
  if (testPool === undefined) testPool = createSplitPool();
  return testPool;
}
afterAll(async () => {
  await testPool?.close();
  testPool = undefined;
});

export interface TestEngine {
  readonly engine: Engine;
  readonly deps: EngineDeps;
  readonly events: EngineEventMessage[];
  readonly dir: string;
  /** Calls a method and returns its data, or throws the EngineError it failed with. */
  call<M extends MethodName>(method: M, args: ArgsOf<M>, operationId?: string): Promise<ResultOf<M>>;
  /** Calls a method and returns the raw envelope. */
  raw(method: string, args: unknown, operationId?: string): Promise<Envelope<unknown>>;
}

/** Engine dependencies for tests: real sql.js and file system, a fixed wall clock, quick recovery. */
export async function testEngineDeps(dir: string, overrides: Partial<EngineDeps> = {}): Promise<EngineDeps> {
  return {
    fs,
    sql: await loadSqlJs(),
    dataDir: join(dir, 'data'),
    homeDir: dir,
    now: () => new Date('2026-11-29T10:15:00Z'),
    randomId,
    appVersion: '0.0.0-test',
    maxProjectBytes: DEFAULT_MAX_PROJECT_BYTES,
    recoveryDelayMs: 20,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    threadId: 0,
    pid: process.pid,
    isProcessAlive,
    splitPool: sharedTestPool(),
    ...overrides,
  };
}

/** A real engine on real sql.js and the real file system, in a temp folder, on this thread. */
export async function startTestEngine(overrides: Partial<EngineDeps> = {}): Promise<TestEngine> {
  const dir = tempDir();
  const deps = await testEngineDeps(dir, overrides);
  const events: EngineEventMessage[] = [];
  const engine = createEngine(deps, (message) => events.push(message));
  const raw = (method: string, args: unknown, operationId?: string) =>
    engine.call(operationId === undefined ? { method, args } : { method, args, operationId });
  return {
    engine,
    deps,
    events,
    dir,
    raw,
    async call(method, args, operationId) {
      const envelope = await raw(method, args, operationId);
      if (!envelope.ok) throw EngineError.fromPayload(envelope.error);
      return envelope.data as never;
    },
  };
}

/** Expects a promise to fail with an EngineError of `code`; returns it for more checks. */
export async function expectEngineError(promise: Promise<unknown>, code: string): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EngineError && error.code === code) return error;
    throw new Error(`Expected ${code}, got ${error instanceof EngineError ? `${error.code}: ${error.message}` : String(error)}`);
  }
  throw new Error(`Expected ${code}, but the call succeeded`);
}
