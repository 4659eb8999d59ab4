/**
 * The thread that sorts an events write's rows in one B-tree's order and fills its
 * batches (bundled as events-worker.cjs; see event-batches.ts): at most MAX_AHEAD batches
 * are on their way or waiting in the engine; each one the engine has written comes back
 * as buffers for the next.
 */
import { parentPort } from 'node:worker_threads';
import { batchOf, buffersOf, fillBatches, MAX_AHEAD, type BatchCommand, type BatchMessage } from './event-batches';
import { EventBatch, EventRows } from './event-rows';

const port = parentPort;
if (!port) throw new Error('The events batch worker must run in a worker thread.');

const spares: EventBatch[] = [];
let ahead = 0;
let wake: (() => void) | null = null;

const send = (message: BatchMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function run(command: Extract<BatchCommand, { type: 'start' }>): Promise<void> {
  const rows = EventRows.fromShared(command.rows);
  for (const batch of fillBatches(rows, command.plan, () => spares.pop() ?? new EventBatch())) {
    ahead += 1;
    send({ type: 'batch', batch }, buffersOf(batch));
    while (ahead >= MAX_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
  }
  send({ type: 'done' });
}

port.on('message', (command: BatchCommand) => {
  if (command.type === 'recycle') {
    spares.push(batchOf(command.batch));
    ahead -= 1;
    const resume = wake;
    wake = null;
    resume?.();
  } else {
    run(command).catch((error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
  }
});
