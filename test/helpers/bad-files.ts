/**
 * Files that Campaign Planner must refuse to open, each with the error code the engine
 * gives it. Built from a real project (made by the real engine in this process) or with
 * sql.js directly, so the CLI tests and the UI end-to-end tests check the same cases.
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import type { ErrorCode } from '../../shared/contract/errors';
import { startTestEngine } from './engine';

export interface BadProjectFile {
  readonly path: string;
  /** The code the engine refuses it with (the `error.code` of the envelope). */
  readonly code: ErrorCode;
}

export type BadProjectFileKind =
  | 'empty'
  | 'textFile'
  | 'missing'
  | 'truncatedHalf'
  | 'truncatedMidPage'
  | 'damagedPage'
  | 'unreadableSchema'
  | 'foreignSqlite'
  | 'foreignApplicationId'
  | 'newerVersion'
  | 'walMode'
  | 'tooLarge';

/** The largest project the engine opens by default (DESIGN: the project lives in memory). */
export const DEFAULT_MAX_PROJECT_BYTES = 1024 * 1024 * 1024;

/** Offsets in SQLite's 100-byte header: https://www.sqlite.org/fileformat.html#the_database_header */
const HEADER = { pageSize: 16, writeVersion: 18, readVersion: 19 } as const;

let sqlJs: Promise<SqlJsStatic> | null = null;

/** sql.js as any program would use it, independent of the engine's own loader. */
function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

/** Writes a real, empty project to `path` with the real engine (project/new, project/saveAs). */
export async function makeRealProject(path: string, name = 'Real project'): Promise<string> {
  const t = await startTestEngine();
  try {
    await t.call('project/new', { name });
    await t.call('project/saveAs', { path, overwrite: true });
    await t.call('project/close', {});
  } finally {
    await t.engine.dispose();
  }
  return path;
}

/** The page size a SQLite file's header announces (1 means 65536). */
export function pageSizeOf(bytes: Uint8Array): number {
  const raw = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(HEADER.pageSize);
  return raw === 1 ? 65536 : raw;
}

/**
 * Makes one file of each kind the engine must refuse, in `dir`, and says which error code
 * each gets. `missing` names a file that does not exist. `tooLarge` is sparse: 1 GiB and
 * one page, costing no disk.
 */
export async function makeBadProjectFiles(dir: string): Promise<Record<BadProjectFileKind, BadProjectFile>> {
  const SQL = await loadSqlJs();
  const realPath = await makeRealProject(join(dir, 'real-source.cplan'));
  const real = new Uint8Array(readFileSync(realPath));
  const pageSize = pageSizeOf(real);
  const write = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const patched = (patch: (bytes: Uint8Array) => void): Uint8Array => {
    const copy = real.slice();
    patch(copy);
    return copy;
  };

  // The rows of `meta` sit at the end of its page; garbage from mid-page to the end
  // damages its cells, which PRAGMA quick_check reports.
  const probe = new SQL.Database(real);
  const metaRoot = Number(probe.exec("SELECT rootpage FROM sqlite_schema WHERE name = 'meta'")[0]?.values[0]?.[0]);
  probe.close();
  if (!Number.isInteger(metaRoot) || metaRoot < 2) throw new Error(`unexpected root page of meta: ${metaRoot}`);
  const metaPageStart = (metaRoot - 1) * pageSize;

  const foreign = (pragmas: string): Uint8Array => {
    const db = new SQL.Database();
    db.run(`${pragmas} CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);`);
    const bytes = db.export();
    db.close();
    return bytes;
  };

  const newer = new SQL.Database(real);
  newer.run('PRAGMA user_version = 999');
  const newerBytes = newer.export();
  newer.close();

  const tooLarge = write('too-large.cplan', real);
  truncateSync(tooLarge, DEFAULT_MAX_PROJECT_BYTES + pageSize);

  return {
    empty: { path: write('empty.cplan', ''), code: 'NOT_SQLITE' },
    textFile: { path: write('contacts.cplan', 'name,email\nAnn,ann@example.com\nBob,bob@example.com\n'), code: 'NOT_SQLITE' },
    missing: { path: join(dir, 'no-such-project.cplan'), code: 'NOT_FOUND' },
    truncatedHalf: { path: write('truncated-half.cplan', real.subarray(0, Math.floor(real.byteLength / 2))), code: 'CORRUPT_FILE' },
    truncatedMidPage: {
      path: write('truncated-mid-page.cplan', real.subarray(0, real.byteLength - Math.floor(pageSize / 2) - 3)),
      code: 'CORRUPT_FILE',
    },
    damagedPage: {
      path: write('damaged-page.cplan', patched((b) => b.fill(0xa5, metaPageStart + pageSize / 2, metaPageStart + pageSize))),
      code: 'CORRUPT_FILE',
    },
    // Page 1 holds sqlite_schema; its b-tree page header starts right after the file header.
    unreadableSchema: { path: write('unreadable-schema.cplan', patched((b) => b.fill(0xff, 100, 108))), code: 'CORRUPT_FILE' },
    foreignSqlite: { path: write('other-app.cplan', foreign('')), code: 'FOREIGN_FILE' },
    foreignApplicationId: { path: write('other-app-id.cplan', foreign('PRAGMA application_id = 1234;')), code: 'FOREIGN_FILE' },
    newerVersion: { path: write('from-the-future.cplan', newerBytes), code: 'NEWER_VERSION' },
    walMode: {
      path: write(
        'wal-mode.cplan',
        patched((b) => {
          b[HEADER.writeVersion] = 2;
          b[HEADER.readVersion] = 2;
        }),
      ),
      code: 'UNSUPPORTED_FILE',
    },
    tooLarge: { path: tooLarge, code: 'FILE_TOO_LARGE' },
  };
}
