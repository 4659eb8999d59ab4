import type * as fsPromises from 'node:fs/promises';
import type { SqlJsStatic } from 'sql.js';
import type { WorkerPool } from '../workers/pool';

/** The file-system calls the engine uses; tests pass a wrapper that fails on purpose. */
export type FileSystem = Pick<
  typeof fsPromises,
  'open' | 'stat' | 'rename' | 'unlink' | 'mkdir' | 'readdir' | 'readFile' | 'writeFile' | 'rm'
>;

/** Everything the engine needs from the world, passed in so tests control all of it. */
export interface EngineDeps {
  readonly fs: FileSystem;
  readonly sql: SqlJsStatic;
  /** Where recent projects and recovery copies are kept (per user). */
  readonly dataDir: string;
  /** Where the record of project files this installation wrote is kept (written-files.ts); dataDir when not given. */
  readonly writtenFilesDir?: string;
  readonly homeDir: string;
  /** Wall-clock time, for "saved at" stamps. The project clock lives in the project. */
  readonly now: () => Date;
  /** Random identifiers (sessions, temporary files). */
  readonly randomId: () => string;
  readonly appVersion: string;
  /** The largest project file the engine opens. */
  readonly maxProjectBytes: number;
  /** How long opening's check of a file of `sizeBytes` may run before it is stopped (default: check-runner.ts). */
  readonly checkTimeLimitMs?: (sizeBytes: number) => number;
  /** How long after a change the recovery copy is written. */
  readonly recoveryDelayMs: number;
  /** Waits; injected so retry loops are testable without real delays. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly threadId: number;
  readonly pid: number;
  /** Tells whether another process is still running (it may own a recovery copy). */
  readonly isProcessAlive: (pid: number) => boolean;
  /**
   * The split worker pool (md5 of many IDs in parallel), or null to hash on the engine's
   * thread. Started and closed by the engine's owner, after the engine (see EngineServices).
   */
  readonly splitPool: WorkerPool | null;
  /**
   * A full garbage collection now (optional; node-deps.ts gives it). The engine asks for one
   * after a long operation and after a project opens or closes: a big project leaves hundreds
   * of MB of buffers behind (the file read, a snapshot), which an idle thread would
   * otherwise keep for a long time.
   */
  readonly collectGarbage?: () => void;
}

/**
 * 1.75 GiB: the project lives in memory (its file in MEMFS, grown at most to 2 GiB by
 * file-room.ts, with SQLite's journal of a transaction beside it), and a whole-file save
 * copies it once more. A 10M-profile project with a segment, a GCG and a campaign built
 * is about 1.4 GB (test/bench/ceiling.bench.ts); no change may pass this (size-ceiling.ts).
 */
export const DEFAULT_MAX_PROJECT_BYTES = 1.75 * 1024 * 1024 * 1024;
