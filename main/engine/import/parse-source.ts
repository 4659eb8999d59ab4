/**
 * The engine's end of the parser: starts the parse worker thread and hands its messages
 * over one at a time. Where the worker bundle cannot be found (a build without it), the
 * same parser runs on the engine thread instead: slower, but the same result.
 */
import { Worker } from 'node:worker_threads';
import { EngineError } from '../../../shared/contract/errors';
import { locateBundle } from '../../workers/bundle-files';
import { parseFile } from './parse-file';
import type { BatchMessage, DoneMessage, ParsePlan, ParserCommand, ParserMessage } from './plan';
import type { ImportProblem } from '../../../shared/contract/imports';

export const PARSE_WORKER_FILE = 'import-worker.cjs';

/** The parse worker's bundle (see locateBundle), or null when it was not built. */
export const locateParseWorker = (): string | null => locateBundle(PARSE_WORKER_FILE);

export interface ParseSource {
  /** The next message: a batch, then `done` (or `fatal`). */
  next(): Promise<ParserMessage>;
  /** The engine has written the last batch it got: the parser may send another. */
  ack(): void;
  /** Stops the parser (at once, wherever it is) and releases it. */
  close(): Promise<void>;
  readonly inWorker: boolean;
}

/**
 * Reads every batch of a parser, in order, until it is done: problems are kept (up to
 * `maxProblems`), each batch goes to `take` (unless bad rows stop the import and the batch
 * had some), then the parser may send the next; progress and cancel between batches. The
 * one read loop of profile and event imports. Does not close the source.
 */
export async function drainParser(
  source: ParseSource,
  options: {
    readonly problems: ImportProblem[];
    readonly maxProblems: number;
    readonly stopOnProblems: boolean;
    readonly take: (batch: BatchMessage) => void;
    readonly progress: (batch: BatchMessage) => void;
    readonly checkpoint: () => Promise<void>;
  },
): Promise<DoneMessage> {
  for (;;) {
    const message = await source.next();
    if (message.type === 'fatal') throw EngineError.fromPayload(message.error);
    if (message.type === 'done') return message;
    for (const problem of message.problems) if (options.problems.length < options.maxProblems) options.problems.push(problem);
    const stopping = options.stopOnProblems && message.problemCount > 0;
    if (!stopping && message.rows > 0) options.take(message);
    source.ack();
    options.progress(message);
    await options.checkpoint();
  }
}

export function startParser(plan: ParsePlan, workerPath: string | null): ParseSource {
  return workerPath === null ? inlineParser(plan) : workerParser(plan, new Worker(workerPath));
}

export interface SpareParsers {
  /** A parser on one of the spare workers (or, once they are used up or failed, as startParser does). */
  start(plan: ParsePlan): ParseSource;
  /** Stops the workers not used. */
  close(): Promise<void>;
}

/**
 * Parse workers started before their plans are known: a worker takes about a tenth of a
 * second to load its bundle, time spent while the engine still reads the file (the split
 * point of a big file is found by reading all of it). A spare worker that fails before
 * it is used is not used.
 */
export function spareParsers(workerPath: string | null, count: number): SpareParsers {
  const spares = workerPath === null ? [] : Array.from({ length: count }, () => new Worker(workerPath));
  const failed = new Set<Worker>();
  for (const worker of spares) {
    worker.once('error', () => failed.add(worker));
    worker.once('exit', () => failed.add(worker));
  }
  return {
    start(plan) {
      const worker = spares.shift();
      if (worker && !failed.has(worker)) return workerParser(plan, worker);
      if (worker) void worker.terminate();
      return startParser(plan, workerPath);
    },
    async close() {
      await Promise.all(spares.splice(0).map((worker) => worker.terminate()));
    },
  };
}

function workerParser(plan: ParsePlan, worker: Worker): ParseSource {
  const queue: ParserMessage[] = [];
  let waiting: ((message: ParserMessage) => void) | null = null;
  let finished = false;
  let closed = false;
  const deliver = (message: ParserMessage) => {
    if (finished) return;
    if (message.type !== 'batch') finished = true;
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(message);
    } else {
      queue.push(message);
    }
  };
  worker.on('message', (message: ParserMessage) => deliver(message));
  worker.on('error', (error: Error) =>
    deliver({ type: 'fatal', error: { code: 'INTERNAL', message: `The CSV parser failed: ${error.message}` } }),
  );
  worker.on('exit', (code) =>
    deliver({ type: 'fatal', error: { code: 'INTERNAL', message: `The CSV parser stopped unexpectedly (exit code ${code}).` } }),
  );
  worker.postMessage({ type: 'start', plan } satisfies ParserCommand);
  return {
    inWorker: true,
    next() {
      const message = queue.shift();
      if (message) return Promise.resolve(message);
      return new Promise((resolve) => (waiting = resolve));
    },
    ack() {
      if (!finished) worker.postMessage({ type: 'ack' } satisfies ParserCommand);
    },
    async close() {
      if (finished && closed) return;
      finished = true;
      closed = true;
      await worker.terminate();
    },
  };
}

function inlineParser(plan: ParsePlan): ParseSource {
  const abort = new AbortController();
  const messages = parseFile(plan, abort.signal);
  return {
    inWorker: false,
    async next() {
      const step = await messages.next();
      if (step.done) throw new EngineError('CANCELLED', 'Cancelled; nothing was changed.');
      return step.value;
    },
    ack() {
      // Same thread: the parser only reads on when asked for the next message.
    },
    async close() {
      abort.abort();
      await messages.return(undefined);
    },
  };
}
