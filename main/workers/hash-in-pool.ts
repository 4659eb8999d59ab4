import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPackedIds, ID_SEPARATOR } from '../../shared/split/hash-ids';
import type { HashJob } from './split-worker';
import { WorkerPool } from './pool';

export const SPLIT_WORKER_FILE = 'split-worker.cjs';

/**
 * Finds the split worker's bundle: next to the running bundle (dist/main, dist/cli; in a
 * packaged app in app.asar.unpacked), else in dist/main of the source tree (tests).
 */
export function locateSplitWorker(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, SPLIT_WORKER_FILE),
    join(here.replace(/app\.asar(?=[\\/]|$)/, 'app.asar.unpacked'), SPLIT_WORKER_FILE),
    join(here, '..', '..', 'dist', 'main', SPLIT_WORKER_FILE),
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

let shared: WorkerPool | null = null;

/** The engine's pool of split workers, started on first use and kept for the session. */
export function splitPool(): WorkerPool | null {
  if (shared) return shared;
  const workerPath = locateSplitWorker();
  if (!workerPath) return null;
  shared = new WorkerPool({ workerPath, resourceLimits: { maxOldGenerationSizeMb: 512 } });
  return shared;
}

export async function closeSplitPool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}

/** Below this many IDs, handing them to threads costs more than it saves. */
const POOL_MIN_IDS = 20_000;

/**
 * md5(seed ":" id) for a packed list of IDs (see hash-ids.ts), cut into one part per
 * worker at separator bytes and hashed in parallel; the parts are transferred, not copied.
 * Without a pool (no worker bundle), or for a short list, it hashes on this thread: the
 * same words either way.
 */
export async function hashIds(seed: string, packed: Uint8Array, count: number, pool: WorkerPool | null = splitPool()): Promise<Uint32Array> {
  if (!pool || count < POOL_MIN_IDS) return hashPackedIds(seed, packed, count);
  const parts = Math.min(pool.size, Math.ceil(count / POOL_MIN_IDS));
  const jobs: Promise<Uint32Array>[] = [];
  const counts: number[] = [];
  let start = 0;
  let idsBefore = 0;
  for (let part = 0; part < parts; part += 1) {
    const idsInPart = part === parts - 1 ? count - idsBefore : Math.floor(count / parts);
    // Find the end of this part: after `idsInPart` separators.
    let end = start;
    for (let seen = 0; seen < idsInPart - 1; seen += 1) end = packed.indexOf(ID_SEPARATOR, end) + 1;
    let stop = packed.indexOf(ID_SEPARATOR, end);
    if (stop === -1 || part === parts - 1) stop = packed.length;
    const slice = packed.slice(start, stop);
    const job: HashJob = { seed, packed: slice, count: idsInPart };
    jobs.push(pool.run<Uint32Array>('hash', job, [slice.buffer]));
    counts.push(idsInPart);
    idsBefore += idsInPart;
    start = stop + 1;
  }
  const results = await Promise.all(jobs);
  const out = new Uint32Array(count * 4);
  let offset = 0;
  results.forEach((words, i) => {
    out.set(words, offset * 4);
    offset += counts[i]!;
  });
  return out;
}
