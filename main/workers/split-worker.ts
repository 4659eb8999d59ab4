/**
 * A split worker thread: pure computation on transferable data. Jobs:
 * - `hash`: md5(seed ":" id) of a packed ID list -> four words per ID;
 * - `monte-carlo`: a chunk of the simulator's replicates on an audience in shared memory.
 */
import { parentPort } from 'node:worker_threads';
import { countSeparators, hashPackedIds } from '../../shared/split/hash-ids';
import type { JobReply, JobRequest } from './pool';
import { MONTE_CARLO_JOB, runReplicates, type MonteCarloJob } from '../engine/simulate/mc-kernel';

export interface HashJob {
  readonly seed: string;
  readonly packed: Uint8Array;
  /** How many IDs the part holds; null: count them here (one more than the separators). */
  readonly count: number | null;
}


const port = parentPort;
if (!port) throw new Error('The split worker must run in a worker thread.');

port.on('message', (request: JobRequest) => {
  try {
    if (request.job === MONTE_CARLO_JOB) {
      const { shared, from, to } = request.payload as MonteCarloJob;
      const chunk = runReplicates(shared, from, to);
      const buffers = [chunk.aaDifference, chunk.aaZ, chunk.effectDifference, chunk.effectZ, chunk.flagged].map((a) => a.buffer as ArrayBuffer);
      port.postMessage({ id: request.id, ok: true, result: chunk } satisfies JobReply, buffers);
      return;
    }
    if (request.job !== 'hash') throw new Error(`Unknown job "${request.job}".`);
    const { seed, packed, count } = request.payload as HashJob;
    const hashes = hashPackedIds(seed, packed, count ?? countSeparators(packed) + 1);
    port.postMessage({ id: request.id, ok: true, result: hashes } satisfies JobReply, [hashes.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id: request.id, ok: false, message: (error as Error).message } satisfies JobReply);
  }
});
