/**
 * A split worker thread: pure computation on transferable data. Jobs:
 * - `hash`: md5(seed ":" id) of a packed ID list -> four words per ID.
 */
import { parentPort } from 'node:worker_threads';
import { hashPackedIds } from '../../shared/split/hash-ids';
import type { JobReply, JobRequest } from './pool';

export interface HashJob {
  readonly seed: string;
  readonly packed: Uint8Array;
  readonly count: number;
}

const port = parentPort;
if (!port) throw new Error('The split worker must run in a worker thread.');

port.on('message', (request: JobRequest) => {
  try {
    if (request.job !== 'hash') throw new Error(`Unknown job "${request.job}".`);
    const { seed, packed, count } = request.payload as HashJob;
    const hashes = hashPackedIds(seed, packed, count);
    port.postMessage({ id: request.id, ok: true, result: hashes } satisfies JobReply, [hashes.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id: request.id, ok: false, message: (error as Error).message } satisfies JobReply);
  }
});
