/**
 * Membership of a database's global control group (GCG): the same rule as the campaign
 * split (STATS.md 1.1-1.4) with one stratum. Of N profiles, M = controlTotal(N, percent)
 * are members: the M lowest by md5(seed ":" profile_id), then by profile_id. Only the
 * members are stored (gcg_members); gcg_settings keeps the GCG's high-water mark (the
 * highest profile rowid it has considered) and how many profiles it has considered.
 * Profiles only ever arrive with a rowid above every existing one, so the profiles above
 * the mark are the new ones: they only fill the shortfall of the grown database (lowest
 * hash first) and nobody already considered moves (sticky). Forming from scratch is the
 * same growth from a mark of 0. So a change costs the members written, not the profiles.
 *
 * Invariant for whoever deletes profiles one day: delete their gcg_members rows too, and
 * never let a new profile take the rowid of a deleted one at or below the mark (SQLite
 * reuses the rowid of a deleted last row). A deletion that breaks the counts is detected
 * at the next growth and repaired (consideredStill).
 */
import { z } from 'zod';
import { controlTotal } from '../../../shared/split/control-total';
import { planGrowth } from '../../../shared/split/sticky';
import { hashIds } from '../../workers/hash-in-pool';
import type { WorkerPool } from '../../workers/pool';
import { countProfiles, profileTable } from '../databases/profile-table';
import { readIntegers, readKeyedIds, type KeyedIds } from '../split/read-profiles';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { storedValue } from '../sqlite/stored-values';
import { lowestHashes, readLowest } from './lowest-ids';

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
  /** The highest profile rowid the GCG has considered (0: none). */
  readonly consideredUpTo: number;
  /** How many profiles it has considered (members or not). */
  readonly considered: number;
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

/** A count or rowid kept in gcg_settings, read from a file that may have been edited. */
const COUNT = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Members written per statement (a checkpoint between them). */
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
  const row = db.get<{ percent_bp: number; seed: string; formed_clock: string | null; considered_up_to: SqlValue; considered: SqlValue }>(
    'SELECT percent_bp, seed, formed_clock, considered_up_to, considered FROM gcg_settings WHERE database_id = ?',
    [databaseId],
  );
  if (!row) return null;
  return {
    databaseId,
    percentBp: Number(row.percent_bp),
    seed: String(row.seed),
    formedClock: row.formed_clock === null ? null : String(row.formed_clock),
    consideredUpTo: storedValue(COUNT, row.considered_up_to, `the global control group of database ${databaseId} (considered_up_to)`),
    considered: storedValue(COUNT, row.considered, `the global control group of database ${databaseId} (considered)`),
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
  return `SELECT profile_key FROM gcg_members WHERE database_id = ${checkedId(databaseId)}`;
}

/** How many members the GCG of the database holds (an index range: its members only). */
export function countGcgMembers(db: SqlDb, databaseId: number): number {
  return Number(db.scalar('SELECT COUNT(*) FROM gcg_members WHERE database_id = ?', [databaseId]) ?? 0);
}

/** ensureGcgCurrent, saying what it did (and, for a forming, with progress and cancel). */
export async function growGcg(db: SqlDb, databaseId: number, hash: HashFn, hooks: GrowthHooks = {}): Promise<GrowthResult> {
  const settings = readGcgSettings(db, databaseId);
  if (!settings || settings.percentBp === 0) return { added: 0, joined: 0 };
  const highest = Number(db.scalar(`SELECT COALESCE(MAX(rowid), 0) FROM ${profileTable(databaseId)}`) ?? 0);
  const pending = db.scalar('SELECT 1 FROM gcg_pending WHERE database_id = ? LIMIT 1', [databaseId]) !== undefined;
  const forming = settings.consideredUpTo === 0 && settings.considered === 0 && !pending;
  const percent = basisPointsToPercent(settings.percentBp);
  let read: KeyedIds | null = null;
  let hashes: Uint32Array | null = null;
  let added = 0;
  if (forming && highest > 0) {
    // The members are at most the share of the highest rowid: only candidates for them are kept.
    const lowest = await readLowest(db, databaseId, settings.seed, hash, hooks, highest, controlTotal(highest, { percent }));
    ({ read, hashes, count: added } = lowest);
  } else if (highest > settings.consideredUpTo || pending) {
    hooks.progress?.('Reading profiles', 0, Math.max(0, highest - settings.consideredUpTo));
    const fresh = newProfiles(databaseId, settings.consideredUpTo, pending);
    read = readKeyedIds(db, fresh.query, fresh.params);
    added = read.count;
    await hooks.checkpoint?.();
  }
  const assigned = forming ? 0 : consideredStill(db, databaseId, settings, added);
  if (pending) db.run('DELETE FROM gcg_pending WHERE database_id = ?', [databaseId]);
  if (!read || added === 0) {
    // Formed anew over no profiles: nobody is a member.
    if (forming) db.run('DELETE FROM gcg_members WHERE database_id = ?', [databaseId]);
    return { added: 0, joined: 0 };
  }

  const total = controlTotal(assigned + added, { percent });
  const members = assigned === 0 ? 0 : countGcgMembers(db, databaseId);
  const [plan] = planGrowth([{ key: 'all', assigned, control: members, added }], total, settings.seed);
  const toControl = plan?.toControl ?? 0;
  if (toControl > 0 || forming) {
    let chosen: Float64Array = new Float64Array(0);
    if (toControl > 0) {
      if (!hashes) hooks.progress?.('Hashing profile IDs', 0, added);
      const hashed = hashes ?? (await hash(settings.seed, read.packed, read.count));
      hooks.progress?.('Choosing the members', 0, added);
      chosen = flaggedKeys(read.keys, lowestHashes(read, hashed, toControl), toControl);
      await hooks.checkpoint?.();
    }
    // Forming anew replaces the members a former forming left (forgetConsidered keeps them,
    // so members in both stay where they are and only the difference is written).
    const { leaving, joining } = forming ? difference(readIntegers(db, `${gcgMembersSql(databaseId)} ORDER BY profile_key`), chosen) : { leaving: [], joining: chosen };
    await writeMembers(db, databaseId, leaving, joining, hooks);
  }
  db.run('UPDATE gcg_settings SET considered_up_to = ?, considered = ? WHERE database_id = ?', [
    Math.max(settings.consideredUpTo, highest),
    assigned + added,
    databaseId,
  ]);
  return { added, joined: toControl };
}

/**
 * `SELECT rowid, profile_id` of the profiles the GCG has not considered: those above its
 * high-water mark (profiles only ever arrive with a rowid above every existing one), and
 * those a format-12 file had left unassigned below it (gcg_pending, see gcg-migration.ts).
 * (Forming from scratch reads them all: readAndHashAll.)
 */
function newProfiles(databaseId: number, upTo: number, pending: boolean): { query: string; params: number[] } {
  const table = profileTable(databaseId);
  const above = `SELECT rowid, profile_id FROM ${table} WHERE rowid > ?`;
  if (!pending) return { query: above, params: [upTo] };
  return {
    // Only those at or below the mark (a file could list others: they are read above it).
    query: `${above} UNION ALL SELECT p.rowid, p.profile_id FROM gcg_pending g JOIN ${table} p ON p.rowid = g.profile_key WHERE g.database_id = ? AND g.profile_key <= ?`,
    params: [upTo, databaseId, upTo],
  };
}

/**
 * The profiles of a database with a GCG, without counting the whole table: those it has
 * considered and those it has not yet (profiles only arrive above its mark).
 */
export function countProfilesWithGcg(db: SqlDb, settings: GcgSettings): number {
  if (settings.consideredUpTo === 0) return countProfiles(db, settings.databaseId);
  const table = profileTable(settings.databaseId);
  const fresh = Number(db.scalar(`SELECT COUNT(*) FROM ${table} WHERE rowid > ?`, [settings.consideredUpTo]) ?? 0);
  const waiting = Number(
    db.scalar(`SELECT COUNT(*) FROM gcg_pending g JOIN ${table} p ON p.rowid = g.profile_key WHERE g.database_id = ? AND g.profile_key <= ?`, [
      settings.databaseId,
      settings.consideredUpTo,
    ]) ?? 0,
  );
  return settings.considered + fresh + waiting;
}

/**
 * How many of the profiles the GCG has considered are still there: every profile that is
 * not new. Profiles are never deleted today, so that is the count kept in gcg_settings;
 * should some be deleted one day, the counts differ and are repaired here (one count of the
 * profiles, an index walk): the members whose profile is gone leave, and the count is set.
 */
function consideredStill(db: SqlDb, databaseId: number, settings: GcgSettings, added: number): number {
  if (settings.considered === 0 && settings.consideredUpTo === 0) return 0;
  const still = countProfiles(db, databaseId) - added;
  if (still === settings.considered) return still;
  db.run(`DELETE FROM gcg_members WHERE database_id = ? AND profile_key NOT IN (SELECT rowid FROM ${profileTable(databaseId)})`, [databaseId]);
  db.run('UPDATE gcg_settings SET considered = ? WHERE database_id = ?', [still, databaseId]);
  return still;
}

/**
 * Forgets which profiles the GCG has considered, so that its next growth forms it anew from
 * every profile (a new share or seed). The members stay until then: the forming replaces
 * them, writing only the difference.
 */
export function forgetConsidered(db: SqlDb, databaseId: number): void {
  db.run('DELETE FROM gcg_pending WHERE database_id = ?', [databaseId]);
  db.run('UPDATE gcg_settings SET considered_up_to = 0, considered = 0 WHERE database_id = ?', [databaseId]);
}

/** Removes every member and what the GCG had considered (a GCG switched off). */
export function clearGcg(db: SqlDb, databaseId: number): void {
  db.run('DELETE FROM gcg_members WHERE database_id = ?', [databaseId]);
  forgetConsidered(db, databaseId);
}

/** The keys of the flagged profiles (`count` of them), ascending. */
function flaggedKeys(keys: Float64Array, flags: Uint8Array, count: number): Float64Array {
  const chosen = new Float64Array(count);
  let n = 0;
  for (let i = 0; i < keys.length; i += 1) if (flags[i] === 1) chosen[n++] = keys[i]!;
  return chosen.sort();
}

/** Of two ascending key lists: the keys only in `before`, and those only in `after`. */
function difference(before: Float64Array, after: Float64Array): { leaving: number[]; joining: number[] } {
  const leaving: number[] = [];
  const joining: number[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    if (j === after.length || (i < before.length && before[i]! < after[j]!)) leaving.push(before[i++]!);
    else if (i === before.length || after[j]! < before[i]!) joining.push(after[j++]!);
    else {
      i += 1;
      j += 1;
    }
  }
  return { leaving, joining };
}

/**
 * Removes and adds members (keys ascending: written in key order, appended to the members'
 * index rather than spread over it), a chunk per statement with a checkpoint between.
 */
async function writeMembers(db: SqlDb, databaseId: number, leaving: ArrayLike<number>, joining: ArrayLike<number>, hooks: GrowthHooks): Promise<void> {
  const phase = 'Recording the members';
  const total = leaving.length + joining.length;
  const steps: [ArrayLike<number>, string][] = [
    [leaving, 'DELETE FROM gcg_members WHERE database_id = ? AND profile_key IN (SELECT value FROM json_each(?))'],
    // OR IGNORE: a file may already list a new profile as a member (it stays one).
    [joining, 'INSERT OR IGNORE INTO gcg_members (database_id, profile_key) SELECT ?, value FROM json_each(?)'],
  ];
  let done = 0;
  for (const [keys, sql] of steps) {
    for (let start = 0; start < keys.length; start += WRITE_CHUNK) {
      hooks.progress?.(phase, done, total);
      const chunk = Array.prototype.slice.call(keys, start, Math.min(keys.length, start + WRITE_CHUNK)) as number[];
      db.run(sql, [databaseId, JSON.stringify(chunk)]);
      done += chunk.length;
      await hooks.checkpoint?.();
    }
  }
  hooks.progress?.(phase, total, total);
}
