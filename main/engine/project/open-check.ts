/**
 * What opening checks inside a project file, after its header passed (file-format.ts): the
 * schema object by object against the one this version creates (schema-check.ts), then
 * SQLite's full integrity check. The schema comes first, so a file's own SQL (a trigger,
 * a view, a CHECK or index expression) never runs, not even inside the integrity check.
 * The same code runs in the check worker (bounded in time) and on the engine thread.
 */
import { basename } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { EngineError } from '../../../shared/contract/errors';
import { formatCount } from '../../../shared/format';
import { readFileSync } from 'node:fs';
import { SqlDb } from '../sqlite/database';
import { openDiskDb } from '../sqlite/disk-syscalls';
import type { FileIdentity } from './written-files';
import { corrupt, sqliteReason } from './file-format';
import { applyFixes, compareSchema, dropStatistics, type Finding, type Fix } from './schema-check';
import { configureConnection, LATEST_SCHEMA_VERSION, schemaVersionOf } from './schema';

export interface CheckOptions {
  /** Remove what a cleaned copy may lose (foreign triggers, views, tables, indexes) and rebuild our changed indexes. */
  readonly clean: boolean;
  /** Run PRAGMA integrity_check (skipped on the engine thread when the check worker already ran it on the same bytes). */
  readonly integrity: boolean;
}

export interface CheckOutcome {
  /** What cleaning removed or rebuilt, in the user's words; empty for a file that needed none. */
  readonly cleaned: readonly string[];
  /** What cleaning and repairs did, to do the same to another copy of the same bytes (adoptCheck). */
  readonly fixes: readonly Fix[];
}

/** Findings shown in the one-line message; all of them are in `details.findings`. */
const SHOWN_FINDINGS = 6;
const INTEGRITY_LIMIT = 20;

/**
 * Checks (and, with `clean`, cleans) an opened project database. Throws the refusal:
 * FOREIGN_SCHEMA naming what was found, or CORRUPT_FILE. Never changes the file on disk.
 */
export function checkProjectDb(sql: SqlJsStatic, db: SqlDb, path: string, options: CheckOptions): CheckOutcome {
  return refusingAsDamaged(path, () => {
    const version = schemaVersionOf(db);
    if (!Number.isInteger(version) || version < 1 || version > LATEST_SCHEMA_VERSION) {
      throw corrupt(path, `its format version (${version}) is not one this version reads`);
    }
    const { findings, repairs } = compareSchema(sql, db, version);
    if (findings.length > 0 && (!options.clean || findings.some((f) => f.fixes === null))) throw foreignSchema(path, findings);
    const outcome = { cleaned: findings.map((f) => f.fixed), fixes: [...repairs, ...findings.flatMap((f) => f.fixes ?? [])] };
    adopt(sql, db, path, outcome, version);
    if (options.integrity) integrityCheck(db, path);
    return outcome;
  });
}

/**
 * Brings another copy of bytes checked elsewhere (the engine's, after the check worker's)
 * to the state the check left its own copy in: cleaned the same way, verified again.
 */
export function adoptCheck(sql: SqlJsStatic, db: SqlDb, path: string, outcome: CheckOutcome): void {
  refusingAsDamaged(path, () => adopt(sql, db, path, outcome, schemaVersionOf(db)));
}

function adopt(sql: SqlJsStatic, db: SqlDb, path: string, outcome: CheckOutcome, version: number): void {
  if (outcome.fixes.length > 0) {
    applyFixes(db, outcome.fixes);
    const left = compareSchema(sql, db, version);
    if (left.findings.length > 0 || left.repairs.length > 0) throw foreignSchema(path, left.findings);
  }
  dropStatistics(db);
}

/** SQLite's own errors while checking mean a damaged file, said as such (never an internal error). */
function refusingAsDamaged<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw corrupt(path, sqliteReason(error));
  }
}

/** Loads bytes into a database of its own, checks it and closes it (the check worker's job). */
export function checkProjectBytes(sql: SqlJsStatic, bytes: Uint8Array, path: string, options: CheckOptions): CheckOutcome {
  return checkAndClose(sql, openBytes(sql, bytes, path), path, options);
}

/**
 * Checks the project file at `path` read from disk (disk-syscalls.ts; whole into memory
 * when that is not available), refused if it is no longer `identity`; the check worker's job.
 */
export function checkProjectFile(sql: SqlJsStatic, path: string, identity: FileIdentity | undefined, options: CheckOptions): CheckOutcome {
  let db: SqlDb | null;
  try {
    db = openDiskDb(sql, path, identity);
  } catch (error) {
    throw new EngineError('IO_ERROR', `Could not open "${basename(path)}": ${(error as Error).message}. Try again.`, { path });
  }
  if (!db) return checkAndClose(sql, openBytes(sql, new Uint8Array(readFileSync(path)), path), path, options);
  // Pages come from disk now, not memory: the integrity check, which reads index pages again
  // and again, ran 1.7x faster on a 1M-profile project with this cache (in the worker's own
  // memory, gone with it) than with SQLite's default 2 MB.
  return checkAndClose(sql, db, path, options, `PRAGMA cache_size = -${CHECK_CACHE_KIB}`);
}

/** SQLite's page cache while the check worker reads a file from disk (64 MiB). */
const CHECK_CACHE_KIB = 64 * 1024;

/** `pragma`: set first (it may read the schema: a damaged file is refused as such). */
function checkAndClose(sql: SqlJsStatic, db: SqlDb, path: string, options: CheckOptions, pragma?: string): CheckOutcome {
  try {
    refusingAsDamaged(path, () => {
      if (pragma) db.exec(pragma);
      configureConnection(db);
    });
    return checkProjectDb(sql, db, path, options);
  } finally {
    db.close();
  }
}

/** `room`: the project's own database, opened with room to grow into (file-room.ts); a check's copy is not. */
export function openBytes(sql: SqlJsStatic, bytes: Uint8Array, path: string, options: { readonly room?: boolean } = {}): SqlDb {
  try {
    return SqlDb.create(sql, bytes, options);
  } catch (error) {
    throw corrupt(path, sqliteReason(error));
  }
}

function foreignSchema(path: string, findings: readonly Finding[]): EngineError {
  const name = basename(path);
  const blocking = findings.filter((f) => f.fixes === null);
  const shown = blocking.length > 0 ? blocking : findings;
  const list =
    shown
      .slice(0, SHOWN_FINDINGS)
      .map((f) => f.text)
      .join('; ') + (shown.length > SHOWN_FINDINGS ? `; and ${formatCount(shown.length - SHOWN_FINDINGS)} more` : '');
  const message =
    blocking.length > 0
      ? `"${name}" was changed outside Campaign Planner in a way it can neither open nor clean (found: ${list}). Open a backup or an earlier copy of it.`
      : `"${name}" was changed outside Campaign Planner (found: ${list}). It was not opened, so nothing in it ran. ` +
        'Open a cleaned copy (the file itself is not changed), or ask for the original.';
  return new EngineError('FOREIGN_SCHEMA', message, { path, findings: findings.map((f) => f.text), cleanable: blocking.length === 0 });
}

/** SQLite's full check: every page, every index against its table, NOT NULL and CHECK constraints. */
function integrityCheck(db: SqlDb, path: string): void {
  const problems = db
    .all(`PRAGMA integrity_check(${INTEGRITY_LIMIT})`)
    .map((r) => String(Object.values(r)[0]))
    .filter((m) => m !== 'ok');
  if (problems.length === 0) return;
  const count =
    problems.length >= INTEGRITY_LIMIT ? `${INTEGRITY_LIMIT} or more problems` : problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  throw corrupt(path, `SQLite's integrity check found ${count}`, {
    problems: problems.flatMap((p) => p.split('\n')).map((p) => p.trim()).filter(Boolean),
  });
}
