import type { SqlJsStatic } from 'sql.js';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { profileTable } from '../databases/profile-table';
import { createBulkWriter, type BulkWriter } from '../import/bulk-writer';
import { reserveFileRoom } from '../sqlite/file-room';
import { startBatchStreams, type BatchStream } from './event-batches';
import type { EventRows } from './event-rows';

/**
 * Where the events of database N live: events_N, next to profiles_N. `profile_key` is the
 * rowid of the profile in profiles_N (as segment and campaign members refer to profiles);
 * `at` is naive wall time "YYYY-MM-DDTHH:MM:SS", as datetime fields are stored, so it
 * sorts and compares as text against the project clock. The name is built only from our
 * own integer id, never from user text.
 */
export function eventsTable(databaseId: number): string {
  // profileTable validates the id: both names stay in step.
  return `events_${profileTable(databaseId).slice('profiles_'.length)}`;
}

/** The events of database N by profile: events_N_by_profile (see createEventsTable). */
export function eventsByProfileTable(databaseId: number): string {
  return `${eventsTable(databaseId)}_by_profile`;
}

/**
 * The events of a database are kept in two B-trees, each in the order one kind of reader
 * needs, and both written in that order (sorted before writing, see writeEvents), so
 * SQLite appends instead of sorting: an index built by SQLite over millions of rows
 * (CREATE INDEX, a sort inside WebAssembly) cost more than the rest of an import together,
 * and its memory.
 *
 * - events_N, clustered on (type, at, profile_key, seq): conditions ("a purchase in the
 *   last 7 days", counted or summed per profile) read one range of it, amounts included;
 * - events_N_by_profile, clustered on (profile_key, at, seq): a profile's events, newest
 *   first, for its card; the rest of an event is found in events_N by its key.
 *
 * `seq` tells apart events of one profile, type and time, and orders events of the same
 * time in the order they were written (a later one has a larger seq).
 *
 * This is the layout of format 9 on (migration 9 builds it from format 7's, frozen with
 * it in project/events-layouts.ts). Changing it means a new format: freeze this SQL there
 * first, for migration 9 and the check of format-9 files, and add a migration.
 */
export function createEventsTable(db: SqlDb, databaseId: number): void {
  const table = eventsTable(databaseId);
  db.exec(`
    CREATE TABLE ${table} (
      profile_key INTEGER NOT NULL,
      type        TEXT NOT NULL,
      at          TEXT NOT NULL,
      amount      REAL,
      note        TEXT,
      import_id   INTEGER,
      seq         INTEGER NOT NULL,
      PRIMARY KEY (type, at, profile_key, seq)
    ) WITHOUT ROWID;
    CREATE TABLE ${eventsByProfileTable(databaseId)} (
      profile_key INTEGER NOT NULL,
      at          TEXT NOT NULL,
      seq         INTEGER NOT NULL,
      type        TEXT NOT NULL,
      PRIMARY KEY (profile_key, at, seq)
    ) WITHOUT ROWID;
  `);
}

/** Drops the events of a database with its profile table. */
export function dropEventsTable(db: SqlDb, databaseId: number): void {
  db.exec(`DROP TABLE IF EXISTS ${eventsTable(databaseId)}; DROP TABLE IF EXISTS ${eventsByProfileTable(databaseId)}`);
}

/** The largest seq of a database's events (0 without events): new ones are numbered after it. */
export function lastEventSeq(db: SqlDb, databaseId: number): number {
  return Number(db.scalar(`SELECT MAX(seq) FROM ${eventsByProfileTable(databaseId)}`) ?? 0);
}

/** One event, written into both B-trees (a few rows at a time: tests and small edits). */
export function addEvent(
  db: SqlDb,
  databaseId: number,
  event: { readonly profileKey: number; readonly type: string; readonly at: string; readonly amount?: number | null; readonly note?: string | null; readonly importId?: number | null },
): void {
  const seq = lastEventSeq(db, databaseId) + 1;
  const values: SqlValue[] = [event.profileKey, event.type, event.at, event.amount ?? null, event.note ?? null, event.importId ?? null, seq];
  db.run(`INSERT INTO ${eventsTable(databaseId)} (profile_key, type, at, amount, note, import_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)`, values);
  db.run(`INSERT INTO ${eventsByProfileTable(databaseId)} (profile_key, at, seq, type) VALUES (?, ?, ?, ?)`, [event.profileKey, event.at, seq, event.type]);
}

/** Rows a bulk statement batch holds. */
const WRITE_BATCH_ROWS = 16_384;

/**
 * Writes `rows` into both B-trees of database N, each in its own order, numbering them
 * `firstSeq`, `firstSeq + 1`, ... in the order they were added. Runs inside the caller's
 * transaction; `step` is awaited between batches (progress, cancel).
 */
export async function writeEvents(
  sql: SqlJsStatic,
  db: SqlDb,
  databaseId: number,
  rows: EventRows,
  options: { readonly firstSeq: number; readonly importId: number | null; readonly portable?: boolean; readonly step?: (written: number, total: number) => Promise<void> },
): Promise<void> {
  const total = rows.length * 2;
  let written = 0;
  const portable = options.portable ?? false;
  // The import's id is our own integer (or NULL), never user text.
  const importId = options.importId === null ? 'NULL' : String(Math.trunc(options.importId));
  // Both B-trees' batches are sorted and filled in worker threads while this one writes.
  const [byType, byProfile] = startBatchStreams(rows, [
    { order: 'typeAndTime', firstSeq: options.firstSeq, batchRows: WRITE_BATCH_ROWS, withNotes: true },
    { order: 'profileAndTime', firstSeq: options.firstSeq, batchRows: WRITE_BATCH_ROWS, withNotes: false },
  ]);
  const pass = async (writer: BulkWriter, batches: BatchStream) => {
    try {
      for (let batch = await batches.next(); batch !== null; batch = await batches.next()) {
        writer.write(batch);
        written += batch.rows;
        batches.written(batch);
        await options.step?.(written, total);
      }
    } finally {
      writer.close();
      // Its worker goes with its memory (the sort's included) before the next B-tree grows.
      await batches.close();
    }
  };
  try {
    // The file grows once instead of being copied each time it outgrows its buffer (file-room.ts).
    reserveFileRoom(db, rows.storedBytes());
    await pass(
      createBulkWriter(sql, db, {
        insert: { head: `INSERT INTO ${eventsTable(databaseId)} (type, at, note, profile_key, amount, seq, import_id) VALUES`, row: `(?, ?, ?, ?, ?, ?, ${importId})` },
        sources: [
          { from: 'text', slot: 0 },
          { from: 'text', slot: 1 },
          { from: 'text', slot: 2 },
          { from: 'number', slot: 0, integer: true },
          { from: 'number', slot: 1, integer: false },
          { from: 'number', slot: 2, integer: true },
        ],
        textSlots: 3,
        numberSlots: 3,
        portable,
      }),
      byType!,
    );
    await pass(
      createBulkWriter(sql, db, {
        insert: { head: `INSERT INTO ${eventsByProfileTable(databaseId)} (type, at, profile_key, seq) VALUES`, row: '(?, ?, ?, ?)' },
        sources: [
          { from: 'text', slot: 0 },
          { from: 'text', slot: 1 },
          { from: 'number', slot: 0, integer: true },
          { from: 'number', slot: 2, integer: true },
        ],
        textSlots: 3,
        numberSlots: 3,
        portable,
      }),
      byProfile!,
    );
  } finally {
    await Promise.all([byType!.close(), byProfile!.close()]);
  }
}
