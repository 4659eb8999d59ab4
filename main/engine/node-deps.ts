import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { homedir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { APP_VERSION } from '../../shared/version';
import { DEFAULT_MAX_PROJECT_BYTES, type EngineDeps } from './deps';
import { loadSqlJs } from './sqlite/sql-js';
import { createSplitPool } from '../workers/hash-in-pool';

/** Settings a host passes to the engine (they cross into the worker as plain data). */
export interface EngineConfig {
  readonly dataDir: string;
  /** Where the record of project files this installation wrote is kept, when not in dataDir (the CLI's data folder is temporary). */
  readonly writtenFilesDir?: string;
  readonly homeDir?: string;
  readonly maxProjectBytes?: number;
  readonly recoveryDelayMs?: number;
  readonly wasmPath?: string;
}

export function randomId(): string {
  return randomBytes(12).toString('base64url');
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What an engine's owner starts for it on Node and stops after it (STYLE.md 14): the
 * dependencies, with the split worker pool among them. Every owner (the engine thread, the
 * CLI, benchmarks) calls `stop()` after `engine.dispose()`, so no thread keeps a process
 * alive once its work is done.
 */
export interface EngineServices {
  readonly deps: EngineDeps;
  stop(): Promise<void>;
}

export async function startEngineServices(config: EngineConfig): Promise<EngineServices> {
  const splitPool = createSplitPool();
  const deps = await createNodeDeps(config, splitPool);
  return {
    deps,
    async stop() {
      await splitPool?.close();
    },
  };
}

async function createNodeDeps(config: EngineConfig, splitPool: EngineDeps['splitPool']): Promise<EngineDeps> {
  return {
    fs,
    sql: await loadSqlJs(config.wasmPath),
    dataDir: config.dataDir,
    ...(config.writtenFilesDir ? { writtenFilesDir: config.writtenFilesDir } : {}),
    homeDir: config.homeDir ?? homedir(),
    now: () => new Date(),
    randomId,
    appVersion: APP_VERSION,
    maxProjectBytes: config.maxProjectBytes ?? DEFAULT_MAX_PROJECT_BYTES,
    recoveryDelayMs: config.recoveryDelayMs ?? 2000,
    sleep: (ms) => sleep(ms),
    threadId,
    pid: process.pid,
    isProcessAlive,
    splitPool,
    collectGarbage,
  };
}

let gc: (() => void) | null | undefined;

/** V8's collector, exposed at run time (the host starts without --expose-gc); nothing when V8 refuses. */
function collectGarbage(): void {
  if (gc === undefined) {
    try {
      const exposed = (globalThis as { gc?: () => void }).gc;
      if (typeof exposed !== 'function') setFlagsFromString('--expose-gc');
      gc = exposed ?? (runInNewContext('gc') as () => void);
    } catch {
      gc = null;
    }
  }
  gc?.();
}
