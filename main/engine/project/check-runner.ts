/**
 * Runs opening's check of a project file (open-check.ts) in a worker thread of its own, so
 * it can be stopped: sql.js exposes neither SQLite's progress handler nor
 * sqlite3_interrupt, and a statement in WebAssembly cannot be interrupted from its own
 * thread. Ending the worker (Worker.terminate) stops it wherever it is, mid-statement.
 * The worker reads the file from disk as SQLite asks for its pages (disk-syscalls.ts), not
 * a copy in memory; the engine then opens the same file, refusing it if it changed since
 * (its identity: device, inode, size and times).
 */
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineError, type ErrorPayload } from '../../../shared/contract/errors';
import { locateBundle } from '../../workers/bundle-files';
import type { CheckOutcome } from './open-check';
import type { FileIdentity } from './written-files';

export const CHECK_WORKER_FILE = 'check-worker.cjs';

export interface CheckRequest {
  /** Bytes to check instead of the file (shared with the worker, not copied). */
  readonly bytes?: Uint8Array;
  readonly path: string;
  /** The file as it was when opening began: the worker refuses it if it changed since. */
  readonly identity?: FileIdentity;
  readonly clean: boolean;
  /** The engine's compiled sql.js, so the worker neither compiles it again nor starts from unoptimised code. */
  readonly module: WebAssembly.Module | null;
}

export type CheckReply = { readonly ok: true; readonly outcome: CheckOutcome } | { readonly ok: false; readonly error: ErrorPayload };

/** The check worker's bundle, or null in a build without it (the check then runs on the engine thread, unbounded). */
export const locateCheckWorker = (): string | null => locateBundle(CHECK_WORKER_FILE);

/**
 * How long opening's check may take before it is stopped: generous for a real project on a
 * slow disk and machine (a 1M-profile project of 150 MB is checked in about 2 s), short of
 * "forever" for a file built to stall the app: one minute, plus a second per 4 MiB.
 */
export function defaultCheckTimeLimitMs(sizeBytes: number): number {
  return 60_000 + Math.ceil(sizeBytes / (4 * 1024 * 1024)) * 1000;
}

export interface BoundedRun {
  readonly timeLimitMs: number;
  readonly signal?: AbortSignal;
  /** The error for a run stopped by its time limit. */
  readonly timedOut: () => EngineError;
}

/**
 * Starts `workerPath`, sends it `message` and resolves with its first reply. The worker is
 * ended in every case: reply, failure, cancellation or the time limit (then `timedOut()`).
 */
export function runWorkerOnce<T>(workerPath: string, message: unknown, run: BoundedRun): Promise<T> {
  if (run.signal?.aborted) return Promise.reject(new EngineError('CANCELLED', 'Opening was cancelled.'));
  const worker = new Worker(workerPath);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      // Ending a thread stops it at once; freeing its memory takes a while and need not be waited for.
      void worker.terminate();
      outcome();
    };
    const onAbort = () => finish(() => reject(new EngineError('CANCELLED', 'Opening was cancelled.')));
    const timer = setTimeout(() => finish(() => reject(run.timedOut())), run.timeLimitMs);
    run.signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (reply: T) => finish(() => resolve(reply)));
    worker.once('error', (error: Error) => finish(() => reject(new EngineError('INTERNAL', `The file check failed: ${error.message}`))));
    worker.once('exit', (code) => finish(() => reject(new EngineError('INTERNAL', `The file check stopped unexpectedly (exit code ${code}).`))));
    worker.postMessage(message);
  });
}

/** Checks a file's bytes in the check worker, within `timeLimitMs`; throws the refusal the check found. */
export async function checkInWorker(
  workerPath: string,
  request: CheckRequest,
  options: { readonly timeLimitMs: number; readonly signal?: AbortSignal },
): Promise<CheckOutcome> {
  const seconds = Math.round(options.timeLimitMs / 1000);
  const reply = await runWorkerOnce<CheckReply>(workerPath, request, {
    ...options,
    timedOut: () =>
      new EngineError(
        'TIMED_OUT',
        `Checking "${basename(request.path)}" was stopped after ${seconds < 1 ? 'less than a second' : `${seconds} s`}: ` +
          'a project of its size never takes that long, so the file may be built to stall Campaign Planner. It was not opened.',
        { path: request.path, timeLimitMs: options.timeLimitMs },
      ),
  });
  if (!reply.ok) throw EngineError.fromPayload(reply.error);
  return reply.outcome;
}
