import type { SqlDb } from '../sqlite/database';

/**
 * The events table of a database (events_<id>, HELPERS10 / main/engine/events), or null
 * when the project has none for it yet: a condition on events then finds no events.
 */
export function eventsTableName(db: SqlDb, databaseId: number): string | null {
  if (!Number.isSafeInteger(databaseId) || databaseId <= 0) throw new Error(`bad database id ${databaseId}`);
  const name = `events_${databaseId}`;
  return db.scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]) === undefined ? null : name;
}
