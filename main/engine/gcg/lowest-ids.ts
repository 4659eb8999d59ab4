/**
 * The profiles with the lowest md5(seed ":" id), then ID (STATS.md 1.1-1.3), as forming a
 * GCG picks them. Forming reads every profile ID and hashes it; on 10M profiles each takes
 * seconds (SQLite's steps in WebAssembly; md5 on the cores), so they overlap: the IDs are
 * read a chunk of rowids at a time, and each chunk is hashed in the worker pool while this
 * thread reads the next. Profiles are numbered 1, 2, 3 ... as they arrive, so a chunk whose
 * rowids have no gap needs only its IDs (their keys follow from the range): that halves
 * the reading, as turning every key into text and back costs as much as the IDs. A chunk
 * with a gap is read with its keys. The order read does not change who is lowest.
 */
import { countSeparators, ID_SEPARATOR, joinWords } from '../../../shared/split/hash-ids';
import { compareText } from '../../../shared/split/quotas';
import { selectControl } from '../../../shared/split/select-control';
import { profileTable } from '../databases/profile-table';
import { readKeyedIds, type KeyedIds } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';
import type { GrowthHooks, HashFn } from './membership';

/** Rowids per chunk: big enough that the pool splits it over its threads, small enough to overlap. */
export const READ_CHUNK = 1_000_000;

export interface LowestIds {
  /** The profiles read. */
  readonly count: number;
  /**
   * Candidates: of each chunk, the `keep` lowest by hash (then ID), which hold the `keep`
   * lowest of all (whoever is among the lowest of all is among the lowest of its chunk).
   */
  readonly read: KeyedIds;
  /** Their md5(seed ":" id), four words each. */
  readonly hashes: Uint32Array;
}

/**
 * Every profile of the database read and hashed, reduced as the hashes come back to the
 * candidates for the `keep` lowest (a bound: the share of the highest rowid), so only they
 * are kept, not every profile's key, ID and hash. `highest` is the highest rowid.
 */
export async function readLowest(
  db: SqlDb,
  databaseId: number,
  seed: string,
  hash: HashFn,
  hooks: GrowthHooks,
  highest: number,
  keep: number,
  chunkSize = READ_CHUNK,
): Promise<LowestIds> {
  const table = profileTable(databaseId);
  const picking: Promise<{ read: KeyedIds; hashes: Uint32Array }>[] = [];
  let count = 0;
  hooks.progress?.('Reading and hashing profile IDs', 0, highest);
  for (let first = 1; first <= highest; first += chunkSize) {
    const last = Math.min(highest, first + chunkSize - 1);
    const chunk = readRange(db, table, first, last);
    if (chunk.count > 0) {
      count += chunk.count;
      // Picked when the pool hands the hashes back, at this thread's next pause (the checkpoint).
      const picked = hash(seed, chunk.packed, chunk.count).then((hashes) => pick(chunk, hashes, keep));
      // Awaited below; a cancel at the checkpoint must not leave it unhandled.
      picked.catch(() => undefined);
      picking.push(picked);
    }
    hooks.progress?.('Reading and hashing profile IDs', last, highest);
    await hooks.checkpoint?.();
  }
  const parts = await Promise.all(picking);
  return { count, read: concatenate(parts.map((p) => p.read)), hashes: joinWords(parts.map((p) => p.hashes)) };
}

/** The `keep` lowest of a chunk, with their hashes, in the chunk's order. */
function pick(chunk: KeyedIds, hashes: Uint32Array, keep: number): { read: KeyedIds; hashes: Uint32Array } {
  if (chunk.count <= keep) return { read: chunk, hashes };
  const flags = lowestHashes(chunk, hashes, keep);
  const keys = new Float64Array(keep);
  const words = new Uint32Array(keep * 4);
  // Where each kept ID's bytes start and end: one pass over the bytes (a call per ID costs more).
  const starts = new Int32Array(keep);
  const ends = new Int32Array(keep);
  const { packed } = chunk;
  let n = 0;
  let i = 0;
  let start = 0;
  for (let b = 0; b <= packed.length; b += 1) {
    if (b < packed.length && packed[b] !== ID_SEPARATOR) continue;
    if (flags[i] === 1) {
      keys[n] = chunk.keys[i]!;
      for (let w = 0; w < 4; w += 1) words[n * 4 + w] = hashes[i * 4 + w]!;
      starts[n] = start;
      ends[n] = b;
      n += 1;
    }
    i += 1;
    start = b + 1;
  }
  const ids = Array.from(starts, (from, k) => packed.subarray(from, ends[k]));
  return { read: { count: keep, keys, packed: joinIds(ids), strata: null }, hashes: words };
}

/** IDs' bytes joined by the separator. */
function joinIds(ids: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(ids.reduce((n, id) => n + id.length, 0) + Math.max(0, ids.length - 1));
  let at = 0;
  for (const [i, id] of ids.entries()) {
    if (i > 0) out[at++] = ID_SEPARATOR;
    out.set(id, at);
    at += id.length;
  }
  return out;
}

/** The profiles with rowids first..last, in rowid order (NOT INDEXED: the table's own order). */
function readRange(db: SqlDb, table: string, first: number, last: number): KeyedIds {
  const row = db.get<{ n: number; ids: Uint8Array | null }>(
    `SELECT COUNT(*) AS n, CAST(group_concat(profile_id, char(31)) AS BLOB) AS ids FROM ${table} NOT INDEXED WHERE rowid BETWEEN ? AND ?`,
    [first, last],
  );
  const count = Number(row?.n ?? 0);
  const packed = row?.ids ?? new Uint8Array(0);
  if (count === last - first + 1 && countSeparators(packed) === count - 1) {
    const keys = new Float64Array(count);
    for (let i = 0; i < count; i += 1) keys[i] = first + i;
    return { count, keys, packed, strata: null };
  }
  // A gap (or an ID holding the separator, which readKeyedIds refuses by name).
  return readKeyedIds(db, `SELECT rowid, profile_id FROM ${table} NOT INDEXED WHERE rowid BETWEEN ? AND ? ORDER BY rowid`, [first, last]);
}

function concatenate(reads: readonly KeyedIds[]): KeyedIds {
  if (reads.length === 1) return reads[0]!;
  const count = reads.reduce((n, r) => n + r.count, 0);
  const keys = new Float64Array(count);
  let at = 0;
  for (const r of reads) {
    keys.set(r.keys, at);
    at += r.count;
  }
  return { count, keys, packed: joinIds(reads.filter((r) => r.count > 0).map((r) => r.packed)), strata: null };
}

/**
 * Flags the `count` profiles with the lowest md5 (hashes: four big-endian words each),
 * then the lowest profile_id by UTF-8 bytes (SQLite's and PostgreSQL "C" order).
 */
export function lowestHashes(read: KeyedIds, hashes: Uint32Array, count: number): Uint8Array {
  if (count <= 0) return new Uint8Array(read.count);
  // Where each ID starts in the packed bytes: only needed for exact md5 ties, so built lazily.
  let starts: Int32Array | null = null;
  const idAt = (i: number): string => {
    if (!starts) {
      starts = new Int32Array(read.count + 1);
      let k = 1;
      for (let b = 0; b < read.packed.length && k < read.count; b += 1) if (read.packed[b] === ID_SEPARATOR) starts[k++] = b + 1;
      starts[read.count] = read.packed.length + 1;
    }
    return new TextDecoder().decode(read.packed.subarray(starts[i]!, starts[i + 1]! - 1));
  };
  return selectControl(new Uint32Array(read.count), hashes, [count], (a, b) => compareText(idAt(a), idAt(b)) || a - b);
}
