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

/**
 * SQL turning a saved file of format 13 whose profile databases have the given ids into the
 * format-12 file it would have been: a GCG's assignments are every profile it had
 * considered (up to its mark, but those still pending), member 0 or 1.
 */
export function toV12(databaseIds: readonly number[]): string {
  const assignments = databaseIds.map(
    (id) => `
    INSERT INTO gcg_assignments (database_id, profile_key, member)
      SELECT s.database_id, p.rowid, p.rowid IN (SELECT profile_key FROM gcg_members WHERE database_id = ${id})
        FROM gcg_settings s JOIN profiles_${id} p ON p.rowid <= s.considered_up_to
       WHERE s.database_id = ${id} AND p.rowid NOT IN (SELECT profile_key FROM gcg_pending WHERE database_id = ${id})
       ORDER BY p.rowid;`,
  );
  return `
  CREATE TABLE gcg_assignments (
    database_id INTEGER NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
    profile_key INTEGER NOT NULL,
    member      INTEGER NOT NULL CHECK (member IN (0, 1)),
    PRIMARY KEY (database_id, profile_key)
  ) WITHOUT ROWID;
  ${assignments.join('\n')}
  DROP TABLE gcg_members;
  DROP TABLE gcg_pending;
  ALTER TABLE gcg_settings DROP COLUMN considered_up_to;
  ALTER TABLE gcg_settings DROP COLUMN considered;
  PRAGMA user_version = 12;
`;
}

/** toV12 of a file with one profile database, id 1. */
export const TO_V12 = toV12([1]);

/** SQL turning a saved file of format 12 (or later) into the format-11 file it would have been (format 12 only added tables). */
export function toV11(databaseIds: readonly number[]): string {
  return `
  ${toV12(databaseIds)}
  DROP TABLE campaign_analyses;
  DROP TABLE outcome_files;
  DROP TABLE outcome_values;
  PRAGMA user_version = 11;
`;
}

export const TO_V11 = toV11([1]);

/**
 * SQL turning a saved file of format 11 (or later) into the format-10 file it would have been (format
 * 11 added the code of per-profile events, and ordered segment_changes by recalculation;
 * the tests of older formats do not read the per-profile events' texts, which version 10
 * kept in their details).
 */
export function toV10(databaseIds: readonly number[]): string {
  return `
  ${toV11(databaseIds)}
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
}

export const TO_V10 = toV10([1]);

/** SQL turning a saved file of the latest format into the format-9 file it would have been (format 10 only added). */
export function toV9(databaseIds: readonly number[]): string {
  return `
  ${toV10(databaseIds)}
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
}

/**
 * SQL turning a saved file of the latest version (with no updatable or dynamic segments)
 * whose profile databases have the given ids into the version-7 file it would have been.
 */
export function toV7(databaseIds: readonly number[]): string {
  return `
  PRAGMA foreign_keys = OFF;
  ${toV9(databaseIds)}
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
