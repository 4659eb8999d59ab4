/**
 * Format 13: a global control group keeps only its members, and a high-water mark of the
 * profiles it has considered, instead of a row per considered profile (member 0 or 1): on
 * a 10M-profile database, changing the GCG wrote 10M rows and rewrote most of the file.
 */
import { profileTable } from '../databases/profile-table';
import type { SqlDb } from '../sqlite/database';

export const GCG_MEMBERS_SINCE_VERSION = 13;

/** The tables and columns of format 13 (run on an empty schema too: the schema check's). */
const GCG_MEMBERS_SCHEMA = `
  -- The members of each database's GCG (profile_key: the rowid in profiles_<database>). No
  -- foreign key (a lookup per written row); deleting a database deletes its members.
  CREATE TABLE gcg_members (
    database_id INTEGER NOT NULL,
    profile_key INTEGER NOT NULL,
    PRIMARY KEY (database_id, profile_key)
  ) WITHOUT ROWID;
  -- Profiles at or below the mark that the GCG has not considered yet: only a format-12 file
  -- with gaps in its assignments has any; the next growth considers them with the new ones.
  CREATE TABLE gcg_pending (
    database_id INTEGER NOT NULL,
    profile_key INTEGER NOT NULL,
    PRIMARY KEY (database_id, profile_key)
  ) WITHOUT ROWID;
  -- The highest profile rowid the GCG has considered, and how many profiles it has considered.
  ALTER TABLE gcg_settings ADD COLUMN considered_up_to INTEGER NOT NULL DEFAULT 0 CHECK (considered_up_to >= 0);
  ALTER TABLE gcg_settings ADD COLUMN considered INTEGER NOT NULL DEFAULT 0 CHECK (considered >= 0);
`;

/**
 * Converts the assignments of format 12 exactly: the members are kept, the mark is the
 * highest assigned key. When the assignments are exactly the profiles up to it (what the
 * app always wrote), they were all considered. Otherwise (a file edited, or profiles gone)
 * the conversion does what format 12's next growth would have done: assignments of
 * profiles that are gone are dropped, and the profiles up to the mark without one are
 * still to be considered (gcg_pending), together with those above it.
 */
export function migrateGcgToMembers(db: SqlDb): void {
  db.exec(GCG_MEMBERS_SCHEMA);
  db.exec('INSERT INTO gcg_members (database_id, profile_key) SELECT database_id, profile_key FROM gcg_assignments WHERE member = 1 ORDER BY database_id, profile_key');
  const settings = db.all<{ id: number }>('SELECT s.database_id AS id FROM gcg_settings s JOIN databases d ON d.id = s.database_id ORDER BY s.database_id');
  for (const { id } of settings) {
    const databaseId = Number(id);
    const table = profileTable(databaseId);
    const top = Number(db.scalar('SELECT COALESCE(MAX(profile_key), 0) FROM gcg_assignments WHERE database_id = ?', [databaseId]) ?? 0);
    if (top === 0) continue;
    const assigned = Number(db.scalar('SELECT COUNT(*) FROM gcg_assignments WHERE database_id = ?', [databaseId]) ?? 0);
    const upToTop = Number(db.scalar(`SELECT COUNT(*) FROM ${table} WHERE rowid <= ?`, [top]) ?? 0);
    let considered = assigned;
    if (upToTop !== assigned) {
      considered = Number(db.scalar(`SELECT COUNT(*) FROM gcg_assignments a JOIN ${table} p ON p.rowid = a.profile_key WHERE a.database_id = ?`, [databaseId]) ?? 0);
      db.run(`DELETE FROM gcg_members WHERE database_id = ? AND profile_key NOT IN (SELECT rowid FROM ${table})`, [databaseId]);
      db.run(
        `INSERT INTO gcg_pending (database_id, profile_key)
           SELECT ?, p.rowid FROM ${table} p
            WHERE p.rowid <= ? AND NOT EXISTS (SELECT 1 FROM gcg_assignments a WHERE a.database_id = ? AND a.profile_key = p.rowid)`,
        [databaseId, top, databaseId],
      );
    }
    db.run('UPDATE gcg_settings SET considered_up_to = ?, considered = ? WHERE database_id = ?', [top, considered, databaseId]);
  }
  db.exec('DROP TABLE gcg_assignments');
}
