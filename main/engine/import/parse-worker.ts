/**
 * The parse worker thread (bundled as import-worker.cjs next to the engine's bundle):
 * reads and checks the CSV file while the engine thread writes the batches it sends, so
 * parsing and writing run at the same time on two cores.
 *
 * Flow control: at most MAX_IN_FLIGHT batches are on their way or waiting in the engine;
 * the engine acknowledges each batch it has written, so a slow writer makes the reader
 * wait instead of filling memory with the whole file.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorPayload } from '../../../shared/contract/errors';
import { parseFile } from './parse-file';
import { transferListOf, type ParsePlan, type ParserCommand, type ParserMessage } from './plan';

const MAX_IN_FLIGHT = 4;

const port = parentPort;
if (!port) throw new Error('The import parser must run in a worker thread.');

let inFlight = 0;
let wake: (() => void) | null = null;

const send = (message: ParserMessage) => port.postMessage(message, transferListOf(message));

async function run(plan: ParsePlan): Promise<void> {
  for await (const message of parseFile(plan)) {
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
    if (message.type === 'batch') inFlight += 1;
    send(message);
  }
}

port.on('message', (command: ParserCommand) => {
  if (command.type === 'ack') {
    inFlight -= 1;
    const resume = wake;
    wake = null;
    resume?.();
  } else if (command.type === 'start') {
    run(command.plan).catch((error: unknown) => send({ type: 'fatal', error: toErrorPayload(error) }));
  }
});
