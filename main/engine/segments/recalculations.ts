/**
 * The stored members of a segment brought to a new evaluation of its condition, and the
 * history of an updatable segment's recalculations. Each recalculation keeps its facts
 * (segment_recalculations) and only who joined or left (segment_changes), not a copy of
 * the members: a 300,000-profile segment recalculated weekly for a year keeps 300,000 +
 * 52 x (joined + left) rows, written in recalculation order (appended). The members as of
 * recalculation N are the profiles whose latest change up to N is a join (membersAsOfSql
 * reads that from the members now and the changes after N).
 */
import { EngineError } from '../../../shared/contract/errors';
import { Recalculation } from '../../../shared/contract/segments';
import { KeySet } from '../split/read-profiles';
import type { SqlDb, SqlValue } from '../sqlite/database';

export interface MembersChange {
  readonly size: number;
  readonly joined: number;
  readonly left: number;
}

/**
 * Makes the stored members of a segment the profiles of `now` (`SELECT profile_key ...`): the
 * two key sets are compared in JavaScript (a pass each in SQL, not a lookup per member), then
 * only the leavers are deleted and the newcomers inserted. With `record`, who joined and left
 * is kept as that recalculation's changes. Inside the caller's transaction.
 */
export function replaceMembers(db: SqlDb, segmentId: number, now: { readonly sql: string; readonly params: readonly SqlValue[] }, record: number | null): MembersChange {
  const fresh = KeySet.read(db, now.sql, [...now.params]);
  const stored = KeySet.read(db, 'SELECT profile_key FROM segment_members WHERE segment_id = ?', [segmentId]);
  const joined = fresh.keys.filter((k) => !stored.has(k));
  const left = stored.keys.filter((k) => !fresh.has(k));
  const list = (keys: Float64Array) => JSON.stringify(Array.from(keys));
  if (left.length > stored.size / 2) {
    // Most members leave: the segment's rows are written anew (a delete and an insert in key
    // order each, not a lookup and a delete per leaver).
    db.run('DELETE FROM segment_members WHERE segment_id = ?', [segmentId]);
    db.run('INSERT INTO segment_members (segment_id, profile_key) SELECT ?, value FROM json_each(?)', [segmentId, list(fresh.keys)]);
  } else {
    if (left.length > 0) db.run('DELETE FROM segment_members WHERE segment_id = ? AND profile_key IN (SELECT value FROM json_each(?))', [segmentId, list(left)]);
    if (joined.length > 0) db.run('INSERT INTO segment_members (segment_id, profile_key) SELECT ?, value FROM json_each(?)', [segmentId, list(joined)]);
  }
  if (record !== null) {
    for (const [keys, joins] of [
      [joined, 1],
      [left, 0],
    ] as const) {
      if (keys.length > 0) db.run('INSERT INTO segment_changes (segment_id, profile_key, number, joined) SELECT ?, value, ?, ? FROM json_each(?)', [segmentId, record, joins, list(keys)]);
    }
  }
  return { size: fresh.size, joined: joined.length, left: left.length };
}

type RecalculationRow = { number: number; clock: string; at: string; reason: string; size: number; joined: number; left_count: number };
const COLUMNS = 'number, clock, at, reason, size, joined, left_count';

/** A row of the file as a Recalculation, or null when it is not one (a file comes from someone else). */
function readRow(row: RecalculationRow): Recalculation | null {
  const parsed = Recalculation.safeParse({
    number: row.number,
    clock: row.clock,
    at: row.at,
    reason: row.reason,
    size: row.size,
    joined: row.joined,
    left: row.left_count,
  });
  return parsed.success ? parsed.data : null;
}

function damaged(segmentName: string, number: unknown): EngineError {
  return new EngineError('CORRUPT_FILE', `The record of recalculation ${String(number)} of the segment "${segmentName}" in the project file is damaged.`, {
    recalculation: number,
  });
}

/** The latest recalculation of a segment; null when it has none (or its record is damaged: shown as none). */
export function latestRecalculation(db: SqlDb, segmentId: number): Recalculation | null {
  const row = db.get<RecalculationRow>(`SELECT ${COLUMNS} FROM segment_recalculations WHERE segment_id = ? ORDER BY number DESC LIMIT 1`, [segmentId]);
  return row ? readRow(row) : null;
}

/** Every recalculation of a segment, newest first. */
export function listRecalculations(db: SqlDb, segment: { readonly id: number; readonly name: string }): Recalculation[] {
  return db.all<RecalculationRow>(`SELECT ${COLUMNS} FROM segment_recalculations WHERE segment_id = ? ORDER BY number DESC`, [segment.id]).map((row) => {
    const read = readRow(row);
    if (!read) throw damaged(segment.name, row.number);
    return read;
  });
}

/** Records a recalculation (its changes are written by replaceMembers under the same number). */
export function insertRecalculation(db: SqlDb, segmentId: number, recalculation: Recalculation): void {
  const r = recalculation;
  db.run(`INSERT INTO segment_recalculations (segment_id, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [segmentId, r.number, r.clock, r.at, r.reason, r.size, r.joined, r.left]);
}

/** The number the next recalculation of a segment takes. */
export function nextRecalculationNumber(db: SqlDb, segmentId: number): number {
  return Number(db.scalar('SELECT COALESCE(MAX(number), 0) + 1 FROM segment_recalculations WHERE segment_id = ?', [segmentId]) ?? 1);
}

/**
 * SQL selecting the profile_key of every member of an updatable segment as of one of its
 * recalculations; refused for other segments and unknown numbers. Both integers are ours.
 */
export function membersAsOfSql(db: SqlDb, segment: { readonly id: number; readonly name: string; readonly kind: string }, number: number): string {
  if (segment.kind !== 'updatable') {
    throw new EngineError('REFUSED', `"${segment.name}" is a ${segment.kind} segment: only an updatable segment keeps its past recalculations.`, { segmentId: segment.id });
  }
  const known = db.get<RecalculationRow>(`SELECT ${COLUMNS} FROM segment_recalculations WHERE segment_id = ? AND number = ?`, [segment.id, number]);
  if (!known) {
    const last = Number(db.scalar('SELECT COALESCE(MAX(number), 0) FROM segment_recalculations WHERE segment_id = ?', [segment.id]) ?? 0);
    throw new EngineError('NOT_FOUND', `The segment "${segment.name}" has no recalculation ${number}${last > 0 ? `: its recalculations are 1 to ${last}` : ''}.`, {
      segmentId: segment.id,
      recalculation: number,
    });
  }
  if (!readRow(known)) throw damaged(segment.name, number);
  // A profile's changes alternate (it joins, leaves, joins again), and the stored members are
  // those after the last recalculation. So a profile not changed after N was a member at N
  // if it is one now; one changed after N was a member at N if its first change after N is a
  // leave. Only the changes after N are read (the table keeps them in recalculation order);
  // the bare column `joined` comes from the row of MIN(number) (SQLite's rule for a lone MIN).
  const id = Math.trunc(segment.id);
  const after = `FROM segment_changes WHERE segment_id = ${id} AND number > ${Math.trunc(number)}`;
  return `SELECT profile_key FROM segment_members WHERE segment_id = ${id} AND profile_key NOT IN (SELECT profile_key ${after})
          UNION ALL SELECT profile_key FROM (SELECT profile_key, joined, MIN(number) ${after} GROUP BY profile_key) WHERE joined = 0`;
}
