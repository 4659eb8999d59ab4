import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';

/** A message to a pool worker: run job `job` on `payload`. */
export interface JobRequest {
  readonly id: number;
  readonly job: string;
  readonly payload: unknown;
}

export type JobReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string };

export interface PoolOptions {
  /** The worker bundle (dist/main/split-worker.cjs). */
  readonly workerPath: string;
  /** Threads; by default one per core, at most 4. */
  readonly size?: number;
  /** Heap limits per worker, so a runaway job cannot take the machine. */
  readonly resourceLimits?: ResourceLimits;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  current: { readonly id: number; resolve(value: unknown): void; reject(error: Error): void } | null;
}

interface Queued {
  readonly request: JobRequest;
  readonly transfer: readonly Transferable[];
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * A small pool of worker threads for heavy pure computation (hashing a million IDs):
 * plain transferable data in, results out; never a database handle. Jobs are named and
 * queued; a worker that dies fails its job and is replaced; `close` ends every thread.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  get size(): number {
    return this.options.size ?? Math.max(1, Math.min(4, availableParallelism()));
  }

  /** Threads running now (they start with the first jobs and end with `close`). */
  get threads(): number {
    return this.slots.length;
  }

  run<T>(job: string, payload: unknown, transfer: readonly Transferable[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The worker pool is closed.'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, job, payload }, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.queue.splice(0)) queued.reject(new Error('The worker pool closed.'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const queued = this.queue.shift()!;
      slot.busy = true;
      slot.current = { id: queued.request.id, resolve: queued.resolve, reject: queued.reject };
      slot.worker.postMessage(queued.request, [...queued.transfer]);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.options.workerPath, { resourceLimits: this.options.resourceLimits, name: 'cplan-split' });
    // No unref(): a 'message' listener refs the thread again (Node), so the pool's owner
    // closes it; a pool left open would keep its process alive, which tests would catch.
    const slot: Slot = { worker, busy: false, current: null };
    worker.on('message', (reply: JobReply) => {
      const current = slot.current;
      if (!current || current.id !== reply.id) return;
      slot.current = null;
      slot.busy = false;
      if (reply.ok) current.resolve(reply.result);
      else current.reject(new Error(reply.message));
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.current?.reject(error);
      slot.current = null;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`A split worker stopped (exit code ${code}).`)));
    this.slots.push(slot);
    return slot;
  }
}
