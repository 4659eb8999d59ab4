/**
 * A text cell that starts with U+FEFF (a byte order mark left inside a value, as files
 * glued together carry): sql.js decodes every text it reads with a TextDecoder, which drops
 * a leading U+FEFF, so the app would show and export the value without it while the file
 * kept it, and importing the app's own export again would "update" those profiles to what
 * they already showed. The import stores the value as the app reads it back: without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startImportProject, writeCsv } from './helpers';

describe('a text cell starting with U+FEFF', () => {
  it('is stored as it reads back, so export then import into the same database changes nothing', async () => {
    const t = await startImportProject();
    const path = writeCsv(t.dir, 'in.csv', 'id,note\r\n1,"\uFEFFabc"\r\n2,"x\uFEFFy"\r\n3,"\uFEFF=x"\r\n4,plain\r\n5,"\uFEFF\uFEFF\tz"\r\n');
    const first = await t.importFile(path, { target: { newDatabase: 'People' } });
    expect(first.added).toBe(5);
    const databaseId = first.database!.id;
    const stored = t.engine.state.requireSession().db.all(`SELECT profile_id, hex(f_1) AS note FROM profiles_${databaseId} ORDER BY rowid`);
    expect(stored.map((r) => Buffer.from(String(r.note), 'hex').toString('utf8'))).toEqual(['abc', 'x\uFEFFy', '=x', 'plain', '\tz']);

    const out = join(t.dir, 'out.csv');
    await t.call('export/profiles', { databaseId, path: out, delimiter: ',', bom: true }, 'export');
    expect(readFileSync(out, 'utf8')).toContain('\r\n1,subscribed,abc\r\n');
    const again = await t.importFile(out, { target: { databaseId }, mode: 'update' });
    expect([again.updated, again.unchanged]).toEqual([0, 5]);
  });
});
