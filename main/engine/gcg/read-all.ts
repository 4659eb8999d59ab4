/**
 * Forming a GCG from scratch reads every profile ID and hashes it; on 10M profiles each
 * takes seconds (SQLite's steps in WebAssembly; md5 on the cores), so they overlap: the IDs
 * are read a chunk at a time in profile_id order, from the unique index (a fraction of the
 * table's pages), and each chunk is hashed in the worker pool while this thread reads the
 * next. The order does not change the members (the lowest hashes, then IDs).
 */
import { ID_SEPARATOR } from '../../../shared/split/hash-ids';
import { profileTable } from '../databases/profile-table';
import { readKeyedIds, type KeyedIds } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';
import type { GrowthHooks, HashFn } from './membership';

/** IDs per chunk: big enough that the pool splits it over its threads, small enough to overlap. */
export const READ_CHUNK = 1_000_000;

const decoder = new TextDecoder();

export interface HashedIds {
  readonly read: KeyedIds;
  /** md5(seed ":" id) of each, four words per ID, in the order read. */
  readonly hashes: Uint32Array;
}

/** Every profile of the database with its hash; `expected` (an estimate of the count) is for progress only. */
export async function readAndHashAll(db: SqlDb, databaseId: number, seed: string, hash: HashFn, hooks: GrowthHooks, expected: number): Promise<HashedIds> {
  const table = profileTable(databaseId);
  const reads: KeyedIds[] = [];
  const hashing: Promise<Uint32Array>[] = [];
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const chunk: KeyedIds =
      after === null
        ? readKeyedIds(db, `SELECT rowid, profile_id FROM ${table} ORDER BY profile_id LIMIT ${READ_CHUNK}`)
        : readKeyedIds(db, `SELECT rowid, profile_id FROM ${table} WHERE profile_id > ? ORDER BY profile_id LIMIT ${READ_CHUNK}`, [after]);
    if (chunk.count === 0) break;
    reads.push(chunk);
    const job = hash(seed, chunk.packed, chunk.count);
    // Awaited below; a cancel at the checkpoint must not leave it unhandled.
    job.catch(() => undefined);
    hashing.push(job);
    done += chunk.count;
    hooks.progress?.('Reading and hashing profile IDs', done, Math.max(done, expected));
    await hooks.checkpoint?.();
    if (chunk.count < READ_CHUNK) break;
    after = decoder.decode(chunk.packed.subarray(chunk.packed.lastIndexOf(ID_SEPARATOR) + 1));
  }
  const hashes = await Promise.all(hashing);
  return { read: concatenate(reads), hashes: concatenateWords(hashes) };
}

function concatenate(reads: readonly KeyedIds[]): KeyedIds {
  if (reads.length === 1) return reads[0]!;
  const count = reads.reduce((n, r) => n + r.count, 0);
  const keys = new Float64Array(count);
  const packed = new Uint8Array(reads.reduce((n, r) => n + r.packed.length, 0) + Math.max(0, reads.length - 1));
  let at = 0;
  let byte = 0;
  for (const [i, r] of reads.entries()) {
    keys.set(r.keys, at);
    at += r.count;
    if (i > 0) packed[byte++] = ID_SEPARATOR;
    packed.set(r.packed, byte);
    byte += r.packed.length;
  }
  return { count, keys, packed, strata: null };
}

function concatenateWords(parts: readonly Uint32Array[]): Uint32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
