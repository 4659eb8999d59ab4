/** A version-7 project file made from a saved version-8 one, for the tests of the migrations after 7. */

/** SQL turning a saved version-8 file (with no updatable or dynamic segments) into the version-7 file it would have been. */
export const TO_V7 = `
  PRAGMA foreign_keys = OFF;
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
