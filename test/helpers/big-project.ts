import { writeFileSync } from 'node:fs';
import { createProjectDb } from '../../main/engine/project/project-file';
import { loadSqlJs } from '../../main/engine/sqlite/sql-js';

/**
 * Writes a valid project of about `megabytes` MB (a filler table of random blobs), so that
 * reading, checking and saving it take long enough to watch, cancel or interrupt.
 */
export async function writeBigProject(path: string, megabytes: number, name = 'Big project'): Promise<number> {
  const sql = await loadSqlJs();
  const db = createProjectDb(sql, { name, now: new Date('2026-11-29T10:00:00Z'), appVersion: 'test' });
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
  db.transaction(() => {
    for (let i = 0; i < megabytes * 16; i += 1) db.run('INSERT INTO filler (data) VALUES (randomblob(65536))');
  });
  const bytes = db.export();
  db.close();
  writeFileSync(path, bytes);
  return bytes.byteLength;
}
