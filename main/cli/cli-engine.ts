import { createEngine, type Engine } from '../engine/engine';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDataDir } from '../engine/data-dir';
import { startEngineServices } from '../engine/node-deps';
import { EngineError } from '../../shared/contract/errors';
import type { ArgsOf, MethodName, ResultOf } from '../../shared/contract/index';
import type { ProgressEvent } from '../../shared/contract/events';

export interface CliEngine {
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  /** Listens to progress events (a command that shows progress on the terminal); returns the unsubscribe. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  dispose(): Promise<void>;
}

/**
 * The same engine as the app's, run in this process: a terminal command has no window to
 * keep responsive, so it needs no worker thread.
 */
export async function startCliEngine(options: { onProgress?: (event: ProgressEvent) => void } = {}): Promise<CliEngine> {
  // A command saves explicitly or not at all, and is not the desktop app: it keeps no
  // recent list and no recovery copies, so its data folder is private and temporary.
  const dataDir = await mkdtemp(join(tmpdir(), 'cplan-cli-'));
  // The record of project files written here is the app's (data-dir.ts): a file a command
  // saved opens without its full check in the next command, and in the app.
  const services = await startEngineServices({ dataDir, writtenFilesDir: defaultDataDir(), recoveryDelayMs: 2 ** 30 });
  const listeners = new Set<(event: ProgressEvent) => void>();
  const engine: Engine = createEngine(services.deps, (message) => {
    if (message.event !== 'progress') return;
    options.onProgress?.(message.payload);
    for (const listener of listeners) listener(message.payload);
  });
  let counter = 0;
  return {
    async call(method, args) {
      counter += 1;
      const envelope = await engine.call({ method, args, operationId: `cli-${counter}` });
      if (!envelope.ok) throw EngineError.fromPayload(envelope.error);
      return envelope.data as never;
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Ends everything the command started: the engine, then its worker threads and folder. */
    async dispose() {
      try {
        await engine.dispose();
      } finally {
        await services.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
