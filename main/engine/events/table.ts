import type { SqlDb } from '../sqlite/database';
import { profileTable } from '../databases/profile-table';

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

/**
 * The events table and its two indexes: (profile_key, type, at) serves a profile's events
 * and per-profile conditions; (type, at) serves "who had a purchase in the last 7 days".
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
      import_id   INTEGER
    )
  `);
  createEventsIndexes(db, databaseId);
}

/** The two indexes; a big import drops them and builds them once at the end (a sort). */
export function createEventsIndexes(db: SqlDb, databaseId: number): void {
  const table = eventsTable(databaseId);
  db.exec(`
    CREATE INDEX IF NOT EXISTS ${table}_profile ON ${table} (profile_key, type, at);
    CREATE INDEX IF NOT EXISTS ${table}_type ON ${table} (type, at);
  `);
}

export function dropEventsIndexes(db: SqlDb, databaseId: number): void {
  const table = eventsTable(databaseId);
  db.exec(`DROP INDEX IF EXISTS ${table}_profile; DROP INDEX IF EXISTS ${table}_type;`);
}

/** Drops the events of a database with its profile table. */
export function dropEventsTable(db: SqlDb, databaseId: number): void {
  db.exec(`DROP TABLE IF EXISTS ${eventsTable(databaseId)}`);
}
