/**
 * Reading a database's events as of the project clock (clock.ts): a page for `events/list`,
 * every row for `events/export`. Table names come from our own ids; the profile ID and the
 * type travel as bound parameters only.
 */
import { EngineError } from '../../../shared/contract/errors';
import type { ProfileEvent } from '../../../shared/contract/profile-events';
import { profileTable } from '../databases/profile-table';
import { requireDatabase } from '../databases/repository';
import { CsvBuilder, UTF8_BOM } from '../export/csv-builder';
import type { CsvSink } from '../export/profile-export';
import { readMeta } from '../project/project-file';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { clockLimit } from './clock';
import { eventsByProfileTable, eventsTable } from './table';

export interface EventFilter {
  readonly databaseId: number;
  readonly profileId?: string | undefined;
  readonly type?: string | undefined;
}

interface Where {
  readonly sql: string;
  readonly params: SqlValue[];
  readonly clock: string;
  /**
   * The events as `e` (profile_key, type, at, seq), with `m` their full rows (amount,
   * note): one profile's from events_N_by_profile, which holds them in time order.
   */
  readonly from: string;
  /** The alias of the full rows: `m`, or `e` itself when the events are read from events_N. */
  readonly full: 'e' | 'm';
}

/** The WHERE clause of a filter, at the project clock; an unknown profile ID is refused. */
function whereOf(db: SqlDb, filter: EventFilter): Where {
  const database = requireDatabase(db, filter.databaseId);
  const clock = readMeta(db).clock;
  const parts = ['e.at <= ?'];
  const params: SqlValue[] = [clockLimit(clock)];
  if (filter.profileId !== undefined) {
    const key = db.scalar(`SELECT rowid FROM ${profileTable(filter.databaseId)} WHERE profile_id = ?`, [filter.profileId]);
    if (key === undefined || key === null) {
      throw new EngineError('NOT_FOUND', `"${database.name}" has no profile with the ID "${filter.profileId}".`, { profileId: filter.profileId });
    }
    parts.push('e.profile_key = ?');
    params.push(Number(key));
  }
  if (filter.type !== undefined) {
    parts.push('e.type = ?');
    params.push(filter.type);
  }
  const table = eventsTable(filter.databaseId);
  if (filter.profileId === undefined) return { sql: parts.join(' AND '), params, clock, from: `${table} e`, full: 'e' };
  const from = `${eventsByProfileTable(filter.databaseId)} e JOIN ${table} m ON m.type = e.type AND m.at = e.at AND m.profile_key = e.profile_key AND m.seq = e.seq`;
  return { sql: parts.join(' AND '), params, clock, from, full: 'm' };
}

const toEvent = (row: Record<string, SqlValue>): ProfileEvent => ({
  profileId: String(row.profile_id),
  type: String(row.type),
  at: String(row.at),
  amount: row.amount === null || row.amount === undefined ? null : Number(row.amount),
  note: row.note === null || row.note === undefined ? null : String(row.note),
});

/**
 * A page of events, newest first (ties: the later written first). Of all types at once,
 * each type's newest events are read from events_N in its own (type, time) order and
 * merged: one ORDER BY over every event sorted them all (5 s for 2.6 million events, for
 * a page of one), and the total is the sum of the types' counts.
 */
export function listEvents(db: SqlDb, filter: EventFilter, offset: number, limit: number) {
  const where = whereOf(db, filter);
  const profiles = profileTable(filter.databaseId);
  // The types for a filter: of the profile's events when one is chosen, of all otherwise.
  const typeWhere = whereOf(db, { databaseId: filter.databaseId, profileId: filter.profileId });
  const types = db
    .all(`SELECT e.type AS type, COUNT(*) AS n FROM ${typeWhere.from} WHERE ${typeWhere.sql} GROUP BY e.type ORDER BY n DESC, e.type`, typeWhere.params)
    .map((r) => ({ type: String(r.type), count: Number(r.n) }));
  const page = (extra: string, params: SqlValue[], take: number, skip: number) =>
    db.all(
      `SELECT p.profile_id, e.type, e.at, e.seq, ${where.full}.amount, ${where.full}.note FROM ${where.from} JOIN ${profiles} p ON p.rowid = e.profile_key
        WHERE ${where.sql}${extra} ORDER BY e.at DESC, e.seq DESC LIMIT ? OFFSET ?`,
      [...where.params, ...params, take, skip],
    );
  if (filter.type === undefined && filter.profileId === undefined) {
    const total = types.reduce((sum, t) => sum + t.count, 0);
    const newest = types.flatMap((t) => page(' AND e.type = ?', [t.type], offset + limit, 0));
    newest.sort((a, b) => (a.at! < b.at! ? 1 : a.at! > b.at! ? -1 : Number(b.seq) - Number(a.seq)));
    return { total, offset, clock: where.clock, events: newest.slice(offset, offset + limit).map(toEvent), types };
  }
  const total = Number(db.scalar(`SELECT COUNT(*) FROM ${where.from} WHERE ${where.sql}`, where.params) ?? 0);
  const events = page('', [], limit, offset).map(toEvent);
  return { total, offset, clock: where.clock, events, types };
}

export const EVENT_EXPORT_HEADER = ['profile_id', 'type', 'at', 'amount', 'note'] as const;

const CHUNK_ROWS = 20_000;
const CHUNK_BYTES = 2 * 1024 * 1024;

/** How many events an export writes. */
export function countEvents(db: SqlDb, filter: EventFilter): number {
  const where = whereOf(db, filter);
  return Number(db.scalar(`SELECT COUNT(*) FROM ${where.from} WHERE ${where.sql}`, where.params) ?? 0);
}

/**
 * Writes the events in time order (oldest first, as a history reads), in the file format
 * `events/import` reads back: profile_id, type, at, amount, note. Cells are quoted and
 * neutralised as in the profile export (csv-builder.ts).
 */
export async function writeEventsCsv(
  db: SqlDb,
  filter: EventFilter,
  format: { readonly delimiter: string; readonly bom: boolean },
  sink: CsvSink,
): Promise<{ rows: number; bytes: number }> {
  const where = whereOf(db, filter);
  const profiles = profileTable(filter.databaseId);
  const builder = new CsvBuilder(format.delimiter.charCodeAt(0), CHUNK_BYTES + (CHUNK_BYTES >> 2));
  let bytes = 0;
  let rows = 0;
  const flush = async () => {
    if (builder.length > 0) {
      const chunk = builder.takeOwned();
      bytes += chunk.byteLength;
      await sink.write(chunk);
    }
    await sink.progress(rows);
  };
  if (format.bom) builder.raw(UTF8_BOM);
  for (const name of EVENT_EXPORT_HEADER) builder.textString(name);
  builder.endRow();
  // Keyset paging on (at, seq): each chunk is one short query, so a cancel gets in between.
  let after: [string, number] | null = null;
  for (;;) {
    const page: Record<string, SqlValue>[] = db.all(
      `SELECT e.seq AS r, p.profile_id, e.type, e.at, ${where.full}.amount, ${where.full}.note FROM ${where.from} JOIN ${profiles} p ON p.rowid = e.profile_key
        WHERE ${where.sql} ${after ? 'AND (e.at > ? OR (e.at = ? AND e.seq > ?))' : ''} ORDER BY e.at, e.seq LIMIT ${CHUNK_ROWS}`,
      after ? [...where.params, after[0], after[0], after[1]] : where.params,
    );
    for (const row of page) {
      builder.textString(String(row.profile_id));
      builder.textString(String(row.type), 'typed');
      builder.textString(String(row.at));
      if (row.amount === null || row.amount === undefined) builder.empty();
      else builder.number(Number(row.amount));
      if (row.note === null || row.note === undefined) builder.empty();
      else builder.textString(String(row.note), 'typed');
      builder.endRow();
    }
    rows += page.length;
    await flush();
    if (page.length < CHUNK_ROWS) break;
    const last = page[page.length - 1]!;
    after = [String(last.at), Number(last.r)];
  }
  return { rows, bytes };
}
