/** A version-7 project file made from a saved one of the latest version, for the tests of the migrations after 7. */

/**
 * The events layout of database N that version 7 of the app wrote (formats 7 and 8): a
 * rowid table and two indexes, written here as that release wrote them (not with the app's
 * code, so the tests hold the app to what the release made).
 */
export function v7EventsLayout(databaseId: number): string {
  const table = `events_${databaseId}`;
  return `
    CREATE TABLE ${table} (
      profile_key INTEGER NOT NULL,
      type        TEXT NOT NULL,
      at          TEXT NOT NULL,
      amount      REAL,
      note        TEXT,
      import_id   INTEGER
    );
    CREATE INDEX IF NOT EXISTS ${table}_profile ON ${table} (profile_key, type, at);
    CREATE INDEX IF NOT EXISTS ${table}_type ON ${table} (type, at);
  `;
}

/** SQL giving database N's events the layout of version 7, keeping them (their rowid in the order of their seq). */
export function eventsToV7(databaseId: number): string {
  const table = `events_${databaseId}`;
  return `
    ALTER TABLE ${table} RENAME TO ${table}_clustered;
    ${v7EventsLayout(databaseId)}
    INSERT INTO ${table} (rowid, profile_key, type, at, amount, note, import_id)
      SELECT seq, profile_key, type, at, amount, note, import_id FROM ${table}_clustered ORDER BY seq;
    DROP TABLE ${table}_clustered;
    DROP TABLE ${table}_by_profile;
  `;
}

/** SQL turning a saved file of format 12 into the format-11 file it would have been (format 12 only added tables). */
export const TO_V11 = `
  DROP TABLE campaign_analyses;
  DROP TABLE outcome_files;
  DROP TABLE outcome_values;
  PRAGMA user_version = 11;
`;

/**
 * SQL turning a saved file of format 11 (or later) into the format-10 file it would have been (format
 * 11 added the code of per-profile events, and ordered segment_changes by recalculation;
 * the tests of older formats do not read the per-profile events' texts, which version 10
 * kept in their details).
 */
export const TO_V10 = `
  ${TO_V11}
  ALTER TABLE campaign_events DROP COLUMN code;
  CREATE TABLE segment_changes_v10 (
    segment_id  INTEGER NOT NULL,
    profile_key INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    joined      INTEGER NOT NULL CHECK (joined IN (0, 1)),
    PRIMARY KEY (segment_id, profile_key, number)
  ) WITHOUT ROWID;
  INSERT INTO segment_changes_v10 SELECT segment_id, profile_key, number, joined FROM segment_changes;
  DROP TABLE segment_changes;
  ALTER TABLE segment_changes_v10 RENAME TO segment_changes;
  PRAGMA user_version = 10;
`;

/** SQL turning a saved file of the latest format into the format-9 file it would have been (format 10 only added). */
export const TO_V9 = `
  ${TO_V10}
  DROP TABLE scenario_holds;
  DROP TABLE campaign_sizes;
  ALTER TABLE activities DROP COLUMN timing;
  ALTER TABLE activities DROP COLUMN launch_at;
  ALTER TABLE activities DROP COLUMN done_until;
  ALTER TABLE activity_runs DROP COLUMN kind;
  ALTER TABLE activity_runs DROP COLUMN messages;
  ALTER TABLE activity_runs DROP COLUMN window_from;
  ALTER TABLE activity_runs DROP COLUMN window_to;
  ALTER TABLE activity_recipients DROP COLUMN messages;
  PRAGMA user_version = 9;
`;

/**
 * SQL turning a saved file of the latest version (with no updatable or dynamic segments)
 * whose profile databases have the given ids into the version-7 file it would have been.
 */
export function toV7(databaseIds: readonly number[]): string {
  return `
  PRAGMA foreign_keys = OFF;
  ${TO_V9}
  ${databaseIds.map(eventsToV7).join('\n')}
  DROP TABLE segment_recalculations;
  DROP TABLE segment_changes;
  CREATE TABLE segments_v7 (
    id            INTEGER PRIMARY KEY,
    database_id   INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
    name          TEXT NOT NULL COLLATE NOCASE,
    kind          TEXT NOT NULL CHECK (kind IN ('static')),
    source        TEXT NOT NULL,  -- JSON: how it was made
    created_at    TEXT NOT NULL,
    created_clock TEXT NOT NULL,
    UNIQUE (database_id, name)
  );
  INSERT INTO segments_v7 SELECT id, database_id, name, kind, source, created_at, created_clock FROM segments;
  DROP TABLE segments;
  ALTER TABLE segments_v7 RENAME TO segments;
  PRAGMA user_version = 7;
`;
}

/** toV7 of a file with one profile database, id 1. */
export const TO_V7 = toV7([1]);
