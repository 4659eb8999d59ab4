/**
 * Membership of a database's global control group (GCG): the same rule as the campaign
 * split (STATS.md 1.1-1.4) with one stratum. Of N profiles, M = controlTotal(N, percent)
 * are members: the M lowest by md5(seed ":" profile_id), then by profile_id. Every profile
 * the GCG has considered is recorded in gcg_assignments (member 0 or 1), so profiles added
 * later are recognisably new: they only fill the shortfall of the grown database (lowest
 * hash first) and nobody already assigned moves (sticky). Forming from scratch is the same
 * growth from an empty record.
 *
 * Invariant for whoever deletes profiles one day: delete their gcg_assignments rows too.
 * SQLite reuses the rowid of a deleted last row, so a stale assignment could otherwise be
 * inherited by a new profile. (A deletion that breaks the counts is also detected here and
 * repaired by a full comparison; see findNewProfiles.)
 */
import { controlTotal } from '../../../shared/split/control-total';
import { compareText } from '../../../shared/split/quotas';
import { selectControl } from '../../../shared/split/select-control';
import { planGrowth } from '../../../shared/split/sticky';
import { hashIds } from '../../workers/hash-in-pool';
import type { WorkerPool } from '../../workers/pool';
import { profileTable } from '../databases/profile-table';
import { readKeyedIds, type KeyedIds } from '../split/read-profiles';
import type { SqlDb } from '../sqlite/database';

export type HashFn = (seed: string, packed: Uint8Array, count: number) => Promise<Uint32Array>;

/** md5(seed ":" id) through the engine's split worker pool (on this thread without one). */
export function poolHash(pool: WorkerPool | null): HashFn {
  return (seed, packed, count) => hashIds(seed, packed, count, pool);
}

export interface GcgSettings {
  readonly databaseId: number;
  /** Basis points (7.25 % = 725); 0: no GCG. */
  readonly percentBp: number;
  readonly seed: string;
  readonly formedClock: string | null;
}

/** Lets a long forming report progress and be cancelled between chunks. */
export interface GrowthHooks {
  progress?(phase: string, done: number, total: number): void;
  checkpoint?(): Promise<void>;
}

export interface GrowthResult {
  /** Profiles assigned now (new to the GCG). */
  readonly added: number;
  /** Of those, members. */
  readonly joined: number;
}

/** Profiles marked as members per statement (a checkpoint between them). */
const WRITE_CHUNK = 100_000;

function checkedId(databaseId: number): number {
  if (!Number.isSafeInteger(databaseId) || databaseId <= 0) throw new Error(`bad database id ${databaseId}`);
  return databaseId;
}

/** 725 -> "7.25": the text form controlTotal reads back exactly. */
export function basisPointsToPercent(bp: number): string {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

export function readGcgSettings(db: SqlDb, databaseId: number): GcgSettings | null {
  const row = db.get<{ percent_bp: number; seed: string; formed_clock: string | null }>(
    'SELECT percent_bp, seed, formed_clock FROM gcg_settings WHERE database_id = ?',
    [databaseId],
  );
  if (!row) return null;
  return {
    databaseId,
    percentBp: Number(row.percent_bp),
    seed: String(row.seed),
    formedClock: row.formed_clock === null ? null : String(row.formed_clock),
  };
}

/**
 * Brings the GCG of a database up to date: profiles it has not considered yet are assigned
 * by sticky growth (STATS.md 1.4 with one stratum; the shortfall from the new profiles,
 * lowest hash first). No-op when the database has no GCG. Runs inside the caller's
 * transaction.
 */
export async function ensureGcgCurrent(db: SqlDb, databaseId: number, hash: HashFn): Promise<void> {
  await growGcg(db, databaseId, hash);
}

/** SQL selecting the profile_key of every current GCG member of the database (for anti-joins). databaseId is our own integer. */
export function gcgMembersSql(databaseId: number): string {
  return `SELECT profile_key FROM gcg_assignments WHERE database_id = ${checkedId(databaseId)} AND member = 1`;
}

/** ensureGcgCurrent, saying what it did (and, for a forming, with progress and cancel). */
export async function growGcg(db: SqlDb, databaseId: number, hash: HashFn, hooks: GrowthHooks = {}): Promise<GrowthResult> {
  const settings = readGcgSettings(db, databaseId);
  if (!settings || settings.percentBp === 0) return { added: 0, joined: 0 };
  const fresh = findNewProfiles(db, databaseId);
  if (fresh.added === 0) return { added: 0, joined: 0 };
  const percent = basisPointsToPercent(settings.percentBp);
  const total = controlTotal(fresh.assigned + fresh.added, { percent });
  const [plan] = planGrowth([{ key: 'all', assigned: fresh.assigned, control: fresh.members, added: fresh.added }], total, settings.seed);
  const toControl = plan?.toControl ?? 0;

  hooks.progress?.('Reading profiles', 0, fresh.added);
  const read = readKeyedIds(db, fresh.query, fresh.params);
  await hooks.checkpoint?.();
  // The workers hash while this thread records every new profile, as not a member yet.
  const hashing = toControl > 0 ? hash(settings.seed, read.packed, read.count) : null;
  hashing?.catch(() => undefined);
  hooks.progress?.('Recording the profiles', 0, read.count);
  db.run(`INSERT INTO gcg_assignments (database_id, profile_key, member) SELECT ?, rowid, 0 FROM (${fresh.query})`, [databaseId, ...fresh.params]);
  await hooks.checkpoint?.();
  if (hashing) {
    hooks.progress?.('Hashing profile IDs', 0, read.count);
    const flags = lowestHashes(read, await hashing, toControl);
    await markMembers(db, databaseId, read.keys, flags, hooks);
  }
  return { added: read.count, joined: toControl };
}

/** Removes every assignment (a GCG switched off, or about to be formed anew). */
export function clearGcg(db: SqlDb, databaseId: number): void {
  db.run('DELETE FROM gcg_assignments WHERE database_id = ?', [databaseId]);
}

interface NewProfiles {
  /** Profiles already assigned (still in the database) and, of those, members. */
  readonly assigned: number;
  readonly members: number;
  readonly added: number;
  /** `SELECT rowid, profile_id` of the new profiles, in rowid order. */
  readonly query: string;
  readonly params: number[];
}

/**
 * The profiles the GCG has not considered yet. Profiles only ever arrive with a rowid
 * above every existing one, so in the usual case they are the rows after the highest
 * assigned key, and a count of the rows up to it proves that (no gap, nothing deleted).
 * Otherwise assignments of profiles that are gone are dropped and the new ones are found
 * by a full anti-join.
 */
function findNewProfiles(db: SqlDb, databaseId: number): NewProfiles {
  const table = profileTable(databaseId);
  // MAX over the primary key and over the rowid are index look-ups; the counts walk pages.
  const topValue = db.scalar('SELECT MAX(profile_key) FROM gcg_assignments WHERE database_id = ?', [databaseId]);
  const top = topValue === null || topValue === undefined ? 0 : Number(topValue);
  const assigned = top === 0 ? 0 : Number(db.scalar('SELECT COUNT(*) FROM gcg_assignments WHERE database_id = ?', [databaseId]) ?? 0);
  const profiles = Number(db.scalar(`SELECT COUNT(*) FROM ${table}`) ?? 0);
  const highest = Number(db.scalar(`SELECT COALESCE(MAX(rowid), 0) FROM ${table}`) ?? 0);
  const upToTop = highest <= top ? profiles : Number(db.scalar(`SELECT COUNT(*) FROM ${table} WHERE rowid <= ?`, [top]) ?? 0);
  const membersNow = () => Number(db.scalar('SELECT COUNT(*) FROM gcg_assignments WHERE database_id = ? AND member = 1', [databaseId]) ?? 0);
  if (upToTop === assigned) {
    const added = profiles - upToTop;
    return {
      assigned,
      members: added === 0 ? 0 : membersNow(),
      added,
      query: `SELECT rowid, profile_id FROM ${table} WHERE rowid > ? ORDER BY rowid`,
      params: [top],
    };
  }
  db.run(`DELETE FROM gcg_assignments WHERE database_id = ? AND profile_key NOT IN (SELECT rowid FROM ${table})`, [databaseId]);
  const kept = Number(db.scalar('SELECT COUNT(*) FROM gcg_assignments WHERE database_id = ?', [databaseId]) ?? 0);
  const newWhere = `NOT EXISTS (SELECT 1 FROM gcg_assignments a WHERE a.database_id = ? AND a.profile_key = p.rowid)`;
  return {
    assigned: kept,
    members: membersNow(),
    added: profiles - kept,
    query: `SELECT p.rowid, p.profile_id FROM ${table} p WHERE ${newWhere} ORDER BY p.rowid`,
    params: [databaseId],
  };
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
      for (let b = 0; b < read.packed.length && k < read.count; b += 1) if (read.packed[b] === 0x1f) starts[k++] = b + 1;
      starts[read.count] = read.packed.length + 1;
    }
    return new TextDecoder().decode(read.packed.subarray(starts[i]!, starts[i + 1]! - 1));
  };
  return selectControl(new Uint32Array(read.count), hashes, [count], (a, b) => compareText(idAt(a), idAt(b)) || a - b);
}

/** Marks the flagged profiles (keys ascending) as members, a chunk per statement. */
async function markMembers(db: SqlDb, databaseId: number, keys: Float64Array, flags: Uint8Array, hooks: GrowthHooks): Promise<void> {
  const phase = 'Recording the members';
  for (let start = 0; start < keys.length; start += WRITE_CHUNK) {
    hooks.progress?.(phase, start, keys.length);
    const end = Math.min(keys.length, start + WRITE_CHUNK);
    const members: number[] = [];
    for (let i = start; i < end; i += 1) if (flags[i] === 1) members.push(keys[i]!);
    if (members.length > 0) {
      db.run('UPDATE gcg_assignments SET member = 1 WHERE database_id = ? AND profile_key IN (SELECT value FROM json_each(?))', [databaseId, JSON.stringify(members)]);
    }
    await hooks.checkpoint?.();
  }
  hooks.progress?.(phase, keys.length, keys.length);
}
