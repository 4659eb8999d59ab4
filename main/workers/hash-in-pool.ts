import { hashPackedIds, ID_SEPARATOR, joinWords } from '../../shared/split/hash-ids';
import type { HashJob } from './split-worker';
import { locateBundle } from './bundle-files';
import { WorkerPool } from './pool';

export const SPLIT_WORKER_FILE = 'split-worker.cjs';

/** The split worker's bundle (see locateBundle), or null when it was not built. */
export const locateSplitWorker = (): string | null => locateBundle(SPLIT_WORKER_FILE);

/**
 * A pool of split workers for one engine. Its threads start on the first job; whoever
 * creates it (the owner of the engine: the engine thread, the CLI, a test) closes it after
 * the engine, so no thread outlives its process's work. Null without the worker bundle:
 * then hashing runs on the calling thread, with the same result.
 */
export function createSplitPool(): WorkerPool | null {
  const workerPath = locateSplitWorker();
  if (!workerPath) return null;
  return new WorkerPool({ workerPath, resourceLimits: { maxOldGenerationSizeMb: 512 } });
}

/** Below this many IDs, handing them to threads costs more than it saves. */
const POOL_MIN_IDS = 20_000;

/**
 * md5(seed ":" id) for a packed list of IDs (see hash-ids.ts), cut into one part per
 * worker at separator bytes near equal byte offsets and hashed in parallel; each worker
 * counts its own IDs, so this thread only looks for one separator per cut. The parts are
 * transferred, not copied. Without a pool (no worker bundle), or for a short list, it
 * hashes on this thread: the same words either way.
 */
export async function hashIds(seed: string, packed: Uint8Array, count: number, pool: WorkerPool | null): Promise<Uint32Array> {
  if (!pool || count < POOL_MIN_IDS) return hashPackedIds(seed, packed, count);
  const parts = Math.min(pool.size, Math.ceil(count / POOL_MIN_IDS));
  const jobs: Promise<Uint32Array>[] = [];
  let start = 0;
  for (let part = 0; part < parts && start <= packed.length; part += 1) {
    let stop = part === parts - 1 ? packed.length : packed.indexOf(ID_SEPARATOR, Math.max(start, Math.floor((packed.length * (part + 1)) / parts)));
    if (stop === -1) stop = packed.length;
    const slice = packed.slice(start, stop);
    const job: HashJob = { seed, packed: slice, count: null };
    jobs.push(pool.run<Uint32Array>('hash', job, [slice.buffer]));
    start = stop + 1;
  }
  const results = await Promise.all(jobs);
  const hashed = results.reduce((sum, words) => sum + words.length / 4, 0);
  if (hashed !== count) throw new Error(`hashIds: ${count} IDs expected, ${hashed} hashed`);
  return joinWords(results);
}
