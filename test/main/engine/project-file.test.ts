import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectHeader } from '../../../main/engine/project/file-format';
import { makeBadProjectFiles, makeRealProject, type BadProjectFile, type BadProjectFileKind } from '../../helpers/bad-files';
import { expectEngineError, startTestEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';

const MESSAGES: Record<BadProjectFileKind, RegExp> = {
  empty: /is empty/,
  textFile: /not an SQLite database \(it looks like a text or CSV file/,
  missing: /does not exist/,
  truncatedHalf: /damaged \(it is truncated: \d+ bytes of the \d+ its header announces\)/,
  truncatedMidPage: /damaged \(it is truncated: \d+ bytes of the \d+/,
  damagedPage: /damaged \(SQLite's integrity check found/,
  unreadableSchema: /damaged/,
  foreignSqlite: /an SQLite database, but not a Campaign Planner project/,
  foreignApplicationId: /another application \(application id 0x000004d2\)/,
  newerVersion: /newer version of Campaign Planner \(file format 999; this version reads up to \d+\)/,
  walMode: /WAL journal mode/,
  tooLarge: /is larger than the 1\.8 GB/,
};

describe('opening refuses files it cannot trust, each with its own error', () => {
  let files: Record<BadProjectFileKind, BadProjectFile>;
  // Made once for all cases: the helper's temp dirs last one test, so use a private folder.
  const dir = mkdtempSync(join(tmpdir(), 'cplan-bad-'));
  beforeAll(async () => {
    files = await makeBadProjectFiles(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const kinds = Object.keys(MESSAGES) as BadProjectFileKind[];
  it.each(kinds)('%s', async (kind) => {
    const { path, code } = files[kind];
    const digest = (() => {
      if (kind === 'tooLarge') return null; // 1 GiB sparse: hashing it proves nothing and takes long
      try {
        return createHash('sha256').update(readFileSync(path)).digest('hex');
      } catch {
        return null;
      }
    })();
    const t = await startTestEngine();
    await t.call('project/new', { name: 'Kept open' });
    const error = await expectEngineError(t.call('project/open', { path, discard: true }), code);
    expect(error.message).toMatch(MESSAGES[kind]);
    expect(error.message).not.toContain('\n');
    expect(error.details).toMatchObject({ path });
    // The project that was open stays open, and the refused file is not touched.
    expect(await t.call('project/state', {})).toMatchObject({ open: true, name: 'Kept open' });
    if (digest !== null) {
      expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(digest);
    }
  });

  it('a folder is not a project', async () => {
    const t = await startTestEngine();
    const error = await expectEngineError(t.call('project/open', { path: t.dir }), 'INVALID_ARGUMENT');
    expect(error.message).toMatch(/is a folder/);
  });

  it('a file with a lower size limit is refused before it is read', async () => {
    const path = await makeRealProject(join(tempDir(), 'real.cplan'));
    const t = await startTestEngine({ maxProjectBytes: 16 * 1024 });
    await expectEngineError(t.call('project/open', { path }), 'FILE_TOO_LARGE');
  });

  it('the header check names the page size and version problems exactly', () => {
    const header = new Uint8Array(100);
    header.set(new TextEncoder().encode('SQLite format 3\0'));
    header[16] = 0x03; // page size 0x0300: not a power of two
    header[18] = 1;
    header[19] = 1;
    expect(() => inspectHeader(header, 4096, '/x/p.cplan', { maxProjectBytes: 1e9, latestSchemaVersion: 1 })).toThrow(
      /impossible page size \(768\)/,
    );
  });

  it('a project whose metadata was removed is damaged, not a crash', async () => {
    const dir2 = tempDir();
    const path = await makeRealProject(join(dir2, 'real.cplan'));
    const initSqlJs = (await import('sql.js')).default;
    const SQL = await initSqlJs();
    const db = new SQL.Database(readFileSync(path));
    db.run("DELETE FROM meta WHERE key = 'name'");
    writeFileSync(path, db.export());
    db.close();
    const t = await startTestEngine();
    const error = await expectEngineError(t.call('project/open', { path }), 'CORRUPT_FILE');
    expect(error.message).toMatch(/metadata lacks "name"/);
  });
});
