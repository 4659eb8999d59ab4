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
export { DEFAULT_MAX_PROJECT_BYTES } from '../../main/engine/deps';
import { DEFAULT_MAX_PROJECT_BYTES } from '../../main/engine/deps';

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

/**
 * Project files changed outside Campaign Planner, as a colleague's file could be: each is
 * the same real project (a 200-profile "Customers" database, a segment of everyone, an
 * active campaign "Spring" with a 20 % LCG) with SQL or schema changes applied by sql.js.
 * `finding` is what the refusal must name; `cleanable` whether a cleaned copy can open.
 */
export type HostileFileKind =
  | 'wipeProfiles'
  | 'rewriteGroups'
  | 'endlessTrigger'
  | 'raiseAbort'
  | 'unknownTable'
  | 'weakenedIndex'
  | 'tableAsView'
  | 'duplicateIds'
  | 'changedCheck';

export interface HostileProjectFile {
  readonly path: string;
  readonly finding: RegExp;
  readonly cleanable: boolean;
}

const HOSTILE: Readonly<Record<HostileFileKind, { sql: string; finding: RegExp; cleanable: boolean }>> = {
  // Adding a segment deletes every profile.
  wipeProfiles: {
    sql: 'CREATE TRIGGER wipe_profiles AFTER INSERT ON segments BEGIN DELETE FROM profiles_1; END;',
    finding: /a trigger "wipe_profiles" on segments/,
    cleanable: true,
  },
  // Any campaign event moves every LCG member to Test, behind the campaign's counts.
  rewriteGroups: {
    sql: "CREATE TRIGGER regroup AFTER INSERT ON campaign_events BEGIN UPDATE campaign_members SET grp = 'test' WHERE grp = 'control'; END;",
    finding: /a trigger "regroup" on campaign_events/,
    cleanable: true,
  },
  // Adding a segment runs a query that never ends.
  endlessTrigger: {
    sql:
      "CREATE TRIGGER endless AFTER INSERT ON segments BEGIN INSERT INTO meta (key, value) SELECT 'n', " +
      '(WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT count(*) FROM r); END;',
    finding: /a trigger "endless" on segments/,
    cleanable: true,
  },
  raiseAbort: {
    sql: "CREATE TRIGGER veto BEFORE INSERT ON segments BEGIN SELECT RAISE(ABORT, 'no segments today'); END;",
    finding: /a trigger "veto" on segments/,
    cleanable: true,
  },
  unknownTable: {
    sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hello'); CREATE VIEW note_count AS SELECT count(*) AS n FROM notes;",
    finding: /an unknown table "notes".*a view "note_count"|a view "note_count".*an unknown table "notes"/,
    cleanable: true,
  },
  // The unique ID index made partial: it keeps nothing unique.
  weakenedIndex: {
    sql: 'DROP INDEX profiles_1_profile_id; CREATE UNIQUE INDEX profiles_1_profile_id ON profiles_1 (profile_id) WHERE 0;',
    finding:
      /the index "profiles_1_profile_id" of the profile table of the database "Customers" \(profiles_1\), which keeps profile IDs unique, differs from the one Campaign Planner makes/,
    cleanable: true,
  },
  tableAsView: {
    sql:
      'DROP TABLE campaign_events; CREATE VIEW campaign_events AS ' +
      "SELECT 1 AS id, 1 AS campaign_id, '2026-01-01T00:00' AS clock, 'activated' AS kind, NULL AS profile_key, '{}' AS details;",
    finding: /a view "campaign_events" stands where the table "campaign_events" belongs/,
    cleanable: false,
  },
  // 20 profiles take the IDs of 20 others once nothing keeps IDs unique.
  duplicateIds: {
    sql:
      'DROP INDEX profiles_1_profile_id; ' +
      'UPDATE profiles_1 SET profile_id = (SELECT o.profile_id FROM profiles_1 AS o WHERE o.rowid = profiles_1.rowid + 100) WHERE rowid <= 20;',
    finding: /the index "profiles_1_profile_id" .* is missing, and 20 profile IDs appear more than once \(such as "\d+", "\d+", "\d+"\)/,
    cleanable: false,
  },
  // The campaigns table accepts a status this version does not know.
  changedCheck: {
    sql:
      'PRAGMA writable_schema = ON; ' +
      "UPDATE sqlite_schema SET sql = replace(sql, '''completed'')', '''completed'', ''hacked'')') WHERE name = 'campaigns'; " +
      'PRAGMA writable_schema = OFF;',
    finding: /the table "campaigns" differs from the one Campaign Planner makes: its constraints differ/,
    cleanable: false,
  },
};

/** Saves the planned project the hostile files start from (see HostileFileKind). */
export async function makePlannedProject(path: string): Promise<string> {
  const t = await startTestEngine();
  try {
    await t.call('demo/create', { profiles: 200, seed: 'hostile' });
    const { segment } = await t.call('segment/create', { databaseId: 1, name: 'Everyone', from: { kind: 'all' } });
    const campaign = await t.call('campaign/create', {
      name: 'Spring',
      databaseId: 1,
      segmentId: segment.id,
      seed: 'spring',
      lcg: { percent: '20', limit: null, strata: [] },
    });
    await t.call('activity/create', { databaseId: 1, campaignId: campaign.id, type: 'broadcast', name: 'Spring news' });
    await t.call('campaign/activate', { campaignId: campaign.id });
    await t.call('project/saveAs', { path, overwrite: true });
    await t.call('project/close', {});
  } finally {
    await t.engine.dispose();
  }
  return path;
}

/** Applies `sql` with sql.js to a copy of the project at `source`, written to `target`. */
export async function alterProject(source: string, target: string, sql: string): Promise<string> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(source));
  try {
    db.exec(sql);
    writeFileSync(target, db.export());
  } finally {
    db.close();
  }
  return target;
}

export async function makeHostileProjectFiles(dir: string): Promise<{ source: string; files: Record<HostileFileKind, HostileProjectFile> }> {
  const source = await makePlannedProject(join(dir, 'planned.cplan'));
  const files = {} as Record<HostileFileKind, HostileProjectFile>;
  for (const [kind, spec] of Object.entries(HOSTILE) as [HostileFileKind, (typeof HOSTILE)[HostileFileKind]][]) {
    files[kind] = { path: await alterProject(source, join(dir, `${kind}.cplan`), spec.sql), finding: spec.finding, cleanable: spec.cleanable };
  }
  return { source, files };
}

/**
 * The planned project with one profile ID changed inside the unique index's page only: the
 * b-tree stays well formed and in order, so SQLite's quick_check passes, but the index no
 * longer matches its table, which only the full integrity_check finds.
 */
export async function makeIndexMismatchFile(source: string, target: string): Promise<string> {
  const SQL = await loadSqlJs();
  const bytes = new Uint8Array(readFileSync(source));
  const probe = new SQL.Database(bytes);
  const root = Number(probe.exec("SELECT rootpage FROM sqlite_schema WHERE name = 'profiles_1_profile_id'")[0]?.values[0]?.[0]);
  const id = String(probe.exec('SELECT profile_id FROM profiles_1 WHERE rowid = 50')[0]?.values[0]?.[0]);
  probe.close();
  const pageSize = pageSizeOf(bytes);
  const page = bytes.subarray((root - 1) * pageSize, root * pageSize);
  const at = Buffer.from(page).indexOf(Buffer.from(id, 'latin1'));
  if (at < 0) throw new Error(`profile ID ${id} not found in the index page`);
  // The last digit one code point lower, followed by nothing: still between its neighbours.
  page[at + id.length - 1] = id.charCodeAt(id.length - 1) - 1 < 0x30 ? 0x2f : id.charCodeAt(id.length - 1) - 1;
  writeFileSync(target, bytes);
  return target;
}
