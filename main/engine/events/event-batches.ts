/**
 * The batches an events write takes, one stream per B-tree (table.ts writeEvents): the
 * rows sorted in that B-tree's order, then filled batch by batch (text and numbers as the
 * bulk writer binds them).
 *
 * Sorting and filling are half of the writing's work, and SQLite's inserts the other
 * half, which only the engine thread can do. So each stream runs in its own worker thread
 * (batch-worker.ts, bundled as events-worker.cjs beside the engine), and fills while the
 * engine writes, a few batches ahead (MAX_AHEAD; the engine hands each written batch's
 * buffers back for the next). A stream's worker starts sorting once the stream before it
 * has sorted (its first batch is there): the second sort runs while the engine writes
 * the first B-tree, and two sorts' working memory (about 40 bytes a row each) are never
 * needed at once. The rows are not copied: they are in shared memory (EventRows.shared).
 * Where the bundle cannot be found, the same sorting and filling run on the engine
 * thread, one batch at a time: the same batches, only slower.
 */
import { Worker } from 'node:worker_threads';
import { locateBundle } from '../../workers/bundle-files';
import { EventBatch, EventRows, type SharedEventRows } from './event-rows';

export const EVENTS_WORKER_FILE = 'events-worker.cjs';

/** The order of each of the events' B-trees (table.ts). */
export type EventsOrder = 'typeAndTime' | 'profileAndTime';

/** A stream's batches: rows `from` ... in the order, `batchRows` at a time, seq numbered from `firstSeq`. */
export interface BatchPlan {
  readonly order: EventsOrder;
  readonly firstSeq: number;
  readonly batchRows: number;
  /** Whether the notes go in the batches (events_N has them; the by-profile B-tree does not). */
  readonly withNotes: boolean;
}

/** Batches a worker may fill before the engine has written them. */
export const MAX_AHEAD = 3;

export type BatchCommand =
  | { readonly type: 'start'; readonly rows: SharedEventRows; readonly plan: BatchPlan }
  | { readonly type: 'recycle'; readonly batch: BatchBuffers };

/** A batch's rows and buffers as they cross between threads (the buffers transferred, not copied). */
export type BatchBuffers = Pick<EventBatch, 'rows' | 'text' | 'textStart' | 'textLength' | 'numbers'>;

export type BatchMessage = { readonly type: 'batch'; readonly batch: BatchBuffers } | { readonly type: 'done' } | { readonly type: 'failed'; readonly message: string };

export const buffersOf = (batch: BatchBuffers): ArrayBuffer[] => [batch.text.buffer, batch.textStart.buffer, batch.textLength.buffer, batch.numbers.buffer];

/** A batch made of buffers that came from the other thread. */
export const batchOf = (buffers: BatchBuffers): EventBatch => Object.assign(new EventBatch(), buffers);

/** The filled batches of one plan, in order: sorts the rows, then fills one batch per call. */
export function* fillBatches(rows: EventRows, plan: BatchPlan, spare: () => EventBatch): Generator<EventBatch> {
  const order = plan.order === 'typeAndTime' ? rows.orderByTypeAndTime() : rows.orderByProfileAndTime();
  for (let from = 0; from < order.length; from += plan.batchRows) {
    const batch = spare();
    rows.fill(batch, order, from, Math.min(plan.batchRows, order.length - from), plan.firstSeq, plan.withNotes);
    yield batch;
  }
}

export interface BatchStream {
  /** The next batch, or null after the last. */
  next(): Promise<EventBatch | null>;
  /** The engine has written this batch: its buffers may be filled again. */
  written(batch: EventBatch): void;
  /** Stops the stream wherever it is (its worker too). */
  close(): Promise<void>;
}

/** Starts one stream per plan, each in its own worker when the bundle is there. */
export function startBatchStreams(rows: EventRows, plans: readonly BatchPlan[], workerPath = locateBundle(EVENTS_WORKER_FILE)): BatchStream[] {
  if (workerPath === null) return plans.map((plan) => inlineStream(rows, plan));
  const shared = rows.shared();
  const streams: BatchStream[] = [];
  let startNext = () => undefined as void;
  for (let p = plans.length - 1; p >= 0; p -= 1) {
    const after = startNext;
    const stream = workerStream(workerPath, shared, plans[p]!, after);
    streams.unshift(stream.stream);
    startNext = stream.start;
  }
  startNext();
  return streams;
}

function inlineStream(rows: EventRows, plan: BatchPlan): BatchStream {
  const batch = new EventBatch();
  const batches = fillBatches(rows, plan, () => batch);
  return {
    next: async () => {
      const step = batches.next();
      return step.done ? null : step.value;
    },
    written: () => undefined,
    close: async () => {
      batches.return(undefined);
    },
  };
}

/** A stream whose worker begins when `start` is called; `sorted` is called once its first batch (or its end) is there. */
function workerStream(path: string, rows: SharedEventRows, plan: BatchPlan, sorted: () => void): { stream: BatchStream; start: () => void } {
  let worker: Worker | null = null;
  let sortDone = false;
  let closed = false;
  const queue: (EventBatch | null | Error)[] = [];
  let waiting: ((item: EventBatch | null | Error) => void) | null = null;
  let finished = false;
  const deliver = (item: EventBatch | null | Error) => {
    if (!sortDone) {
      sortDone = true;
      sorted();
    }
    if (finished) return;
    if (!(item instanceof EventBatch)) finished = true;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(item);
    } else {
      queue.push(item);
    }
  };
  const start = () => {
    if (closed) return;
    worker = new Worker(path);
    worker.on('message', (message: BatchMessage) => {
      if (message.type === 'batch') deliver(batchOf(message.batch));
      else if (message.type === 'done') deliver(null);
      else deliver(new Error(`Preparing the events failed: ${message.message}`));
    });
    worker.on('error', (error: Error) => deliver(new Error(`Preparing the events failed: ${error.message}`)));
    worker.on('exit', (code) => deliver(new Error(`Preparing the events stopped unexpectedly (exit code ${code}).`)));
    worker.postMessage({ type: 'start', rows, plan } satisfies BatchCommand);
  };
  const take = (item: EventBatch | null | Error) => {
    if (item instanceof Error) throw item;
    return item;
  };
  const stream: BatchStream = {
    next() {
      if (queue.length > 0) return Promise.resolve(take(queue.shift()!));
      return new Promise<EventBatch | null>((resolve, reject) => {
        waiting = (item) => {
          try {
            resolve(take(item));
          } catch (error) {
            reject(error);
          }
        };
      });
    },
    written(batch) {
      if (finished || !worker) return;
      worker.postMessage({ type: 'recycle', batch } satisfies BatchCommand, buffersOf(batch));
    },
    async close() {
      finished = true;
      closed = true;
      await worker?.terminate();
    },
  };
  return { stream, start };
}
