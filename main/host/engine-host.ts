import { Worker, type ResourceLimits } from 'node:worker_threads';
import { fail, type Envelope } from '../../shared/contract/errors';
import type { EngineEventMessage } from '../../shared/contract/events';
import type { EngineRequest } from '../../shared/contract/index';
import type { ProjectState } from '../../shared/contract/project';
import type { EngineConfig } from '../engine/node-deps';
import type { EngineToHost, HostToEngine } from '../engine/worker-protocol';

export interface EngineHostOptions {
  /** The built engine worker (dist/main/engine-worker.cjs). */
  readonly workerPath: string;
  readonly config: EngineConfig;
  readonly resourceLimits?: ResourceLimits;
  /** Restarts allowed within `restartWindowMs` before the host gives up. */
  readonly maxRestarts?: number;
  readonly restartWindowMs?: number;
  readonly log?: (line: string) => void;
  /**
   * Once a project is closed and the engine is idle, move to a fresh engine thread, so the
   * memory the project took goes back to the system: sql.js's WebAssembly memory only grows,
   * and ends only with its thread. Calls made meanwhile wait for the fresh thread.
   */
  readonly freshThreadAfterClose?: boolean;
}

type Listener = (message: EngineEventMessage) => void;

/**
 * Owns the engine's worker thread for a host process (Electron main or the browser-mode
 * server) and routes calls and events; it does no work of its own, so the host's event
 * loop stays free. If the engine thread dies, pending calls fail with ENGINE_CRASHED, a
 * new engine starts, the open project is reopened from its recovery copy (or its file),
 * and listeners get `engine/restarted`.
 */
export class EngineHost {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  private readonly listeners = new Set<Listener>();
  private lastProject: ProjectState = { open: false };
  private stopping = false;
  private crashTimes: number[] = [];
  private gaveUp: string | null = null;
  /** A closed project's thread, to be replaced by a fresh one when no call is pending. */
  private recycleWanted: Worker | null = null;
  /** The move to a fresh thread under way: calls wait for it. */
  private recycling: Promise<void> | null = null;

  constructor(private readonly options: EngineHostOptions) {}

  /** The last project state the engine announced (for window titles and quit checks). */
  get projectState(): ProjectState {
    return this.lastProject;
  }

  start(): Promise<void> {
    this.ready ??= this.spawn();
    return this.ready;
  }

  invoke(request: EngineRequest): Promise<Envelope<unknown>> {
    if (this.gaveUp) return Promise.resolve(fail({ code: 'ENGINE_CRASHED', message: this.gaveUp }));
    if (this.stopping) return Promise.resolve(fail({ code: 'UNAVAILABLE', message: 'The engine is shutting down.' }));
    if (this.recycling) return this.recycling.then(() => this.invoke(request));
    const worker = this.worker ?? null;
    if (!worker) {
      return this.start().then(() => this.invoke(request));
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      try {
        this.post(worker, { type: 'call', id, request });
      } catch (error) {
        // Arguments that cannot cross to the thread (a function, too deep to clone) are
        // the caller's mistake: answer it, and leave nothing pending.
        this.pending.delete(id);
        resolve(fail({ code: 'INVALID_ARGUMENT', message: `The arguments of ${request.method} cannot be sent to the engine: ${(error as Error).message}` }));
      }
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks the engine to write its recovery copy and close, then ends the thread. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    await this.recycling;
    const worker = this.worker;
    if (!worker) return;
    await this.retire(worker, timeoutMs);
    this.worker = null;
    this.failPending('UNAVAILABLE', 'The engine has shut down.');
  }

  /** For tests and diagnostics: the thread the engine runs in. */
  get workerForTesting(): Worker | null {
    return this.worker;
  }

  private spawn(): Promise<void> {
    const { worker, ready } = this.startThread();
    this.worker = worker;
    return ready;
  }

  /** Replaces a closed project's idle thread with a fresh one (see freshThreadAfterClose). */
  private recycleIfIdle(): void {
    const old = this.recycleWanted;
    if (!old || old !== this.worker || this.pending.size > 0 || this.recycling || this.stopping || this.lastProject.open) return;
    this.recycleWanted = null;
    this.recycling = (async () => {
      const fresh = this.startThread();
      try {
        await fresh.ready;
      } catch (error) {
        // The old thread still serves: only its memory is not given back.
        this.options.log?.(`engine: no fresh thread after closing the project: ${(error as Error).message}`);
        return;
      }
      this.worker = fresh.worker;
      this.ready = Promise.resolve();
      await this.retire(old);
    })().finally(() => {
      this.recycling = null;
    });
  }

  /** Asks a thread to write its recovery copy and close, then ends it (at the latest after the timeout: a stuck engine must not keep the process alive). */
  private retire(worker: Worker, timeoutMs = 10_000): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate(), timeoutMs);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.on('message', (message: EngineToHost) => {
        if (message.type === 'stopped') void worker.terminate();
      });
      this.post(worker, { type: 'stop' });
    });
  }

  /** Starts an engine thread and routes its messages; `ready` settles when it can take calls. */
  private startThread(): { worker: Worker; ready: Promise<void> } {
    const worker = new Worker(this.options.workerPath, {
      workerData: this.options.config,
      resourceLimits: this.options.resourceLimits,
      name: 'cplan-engine',
    });
    const ready = new Promise<void>((resolve, reject) => {
      let started = false;
      worker.on('message', (message: EngineToHost) => {
        switch (message.type) {
          case 'ready':
            started = true;
            resolve();
            break;
          case 'result': {
            const settle = this.pending.get(message.id);
            this.pending.delete(message.id);
            settle?.(message.envelope);
            this.recycleIfIdle();
            break;
          }
          case 'event':
            if (message.message.event === 'project/changed') {
              const wasOpen = this.lastProject.open;
              this.lastProject = message.message.payload;
              if (this.options.freshThreadAfterClose && wasOpen && !this.lastProject.open && worker === this.worker) this.recycleWanted = worker;
            }
            this.emit(message.message);
            this.recycleIfIdle();
            break;
          case 'fatal':
            this.options.log?.(`engine: ${message.message}`);
            if (!started) reject(new Error(`The engine could not start: ${message.message}`));
            break;
          case 'stopped':
            break;
        }
      });
      worker.on('error', (error) => {
        this.options.log?.(`engine thread error: ${error.message}`);
        if (!started) reject(error);
      });
      worker.on('exit', (code) => {
        // A fresh thread (see recycleIfIdle) is not the engine yet: its failure is said too.
        if (!started) reject(new Error(`The engine thread exited with code ${code} before it was ready.`));
        if (this.worker !== worker) return;
        this.worker = null;
        if (this.stopping || !started) return;
        void this.recover(`the engine thread stopped (exit code ${code})`);
      });
    });
    return { worker, ready };
  }

  private async recover(reason: string): Promise<void> {
    this.options.log?.(`engine: ${reason}; restarting`);
    this.failPending(
      'ENGINE_CRASHED',
      `The engine stopped unexpectedly (${reason}) and was restarted. Saved work and the recovery copy are safe; repeat the last action.`,
    );
    const now = Date.now();
    const window = this.options.restartWindowMs ?? 60_000;
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < window), now];
    if (this.crashTimes.length > (this.options.maxRestarts ?? 3)) {
      this.gaveUp = `The engine stopped ${this.crashTimes.length} times within a minute and was not restarted again. Restart Campaign Planner; your saved work and recovery copy are safe.`;
      return;
    }
    const before = this.lastProject;
    this.ready = this.spawn();
    try {
      await this.ready;
    } catch (error) {
      this.gaveUp = `The engine could not be restarted: ${(error as Error).message}`;
      return;
    }
    const restored = await this.restore(before);
    this.emit({
      event: 'engine/restarted',
      payload: { reason, restored: restored.state, lostUnsavedChanges: restored.lost },
    });
  }

  /** Reopens what was open: from its recovery copy when it had unsaved work, else its file. */
  private async restore(before: ProjectState): Promise<{ state: ProjectState; lost: boolean }> {
    if (!before.open) return { state: { open: false }, lost: false };
    if (before.dirty) {
      const copies = await this.invoke({ method: 'recovery/list', args: {} });
      const hasCopy = copies.ok && (copies.data as { id: string }[]).some((c) => c.id === before.sessionId);
      if (hasCopy) {
        const recovered = await this.invoke({ method: 'project/recover', args: { id: before.sessionId } });
        if (recovered.ok) return { state: recovered.data as ProjectState, lost: false };
      }
    }
    if (before.path !== null) {
      // A cleaned copy is cleaned again: the file itself still holds what cleaning removed.
      const reopened = await this.invoke({ method: 'project/open', args: { path: before.path, ...(before.cleaned ? { clean: true } : {}) } });
      if (reopened.ok) return { state: reopened.data as ProjectState, lost: before.dirty };
    }
    return { state: { open: false }, lost: before.dirty };
  }

  private failPending(code: 'ENGINE_CRASHED' | 'UNAVAILABLE', message: string): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const settle of pending) settle(fail({ code, message }));
  }

  private emit(message: EngineEventMessage): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (error) {
        this.options.log?.(`event listener failed: ${(error as Error).message}`);
      }
    }
  }

  private post(worker: Worker, message: HostToEngine): void {
    worker.postMessage(message);
  }
}
