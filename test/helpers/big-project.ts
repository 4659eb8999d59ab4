import { writeFileSync } from 'node:fs';
import { addFieldColumn, createProfileTable } from '../../main/engine/databases/profile-table';
import { createEventsTable } from '../../main/engine/events/table';
import { createProjectDb } from '../../main/engine/project/project-file';
import { loadSqlJs } from '../../main/engine/sqlite/sql-js';

/**
 * Writes a valid project of about `megabytes` MB (a database "Filler" whose profiles hold
 * 64 KB of random text each; only what the app itself creates, or opening refuses it), so
 * that reading, checking and saving it take long enough to watch, cancel or interrupt.
 */
export async function writeBigProject(path: string, megabytes: number, name = 'Big project'): Promise<number> {
  const sql = await loadSqlJs();
  const db = createProjectDb(sql, { name, now: new Date('2026-11-29T10:00:00Z'), appVersion: 'test' });
  db.transaction(() => {
    db.run("INSERT INTO databases (id, name, created_at) VALUES (1, 'Filler', '2026-11-29T10:00:00.000Z')");
    db.run("INSERT INTO fields (id, database_id, name, type, position, created_at) VALUES (1, 1, 'data', 'string', 1, '2026-11-29T10:00:00.000Z')");
    createProfileTable(db, 1);
    createEventsTable(db, 1);
    addFieldColumn(db, 1, 1, 'string');
    for (let i = 0; i < megabytes * 16; i += 1) db.run("INSERT INTO profiles_1 (profile_id, f_1) VALUES (?, hex(randomblob(32768)))", [`p${i}`]);
  });
  const bytes = db.export();
  db.close();
  writeFileSync(path, bytes);
  return bytes.byteLength;
}
