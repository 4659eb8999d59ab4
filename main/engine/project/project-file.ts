import type { SqlJsStatic } from 'sql.js';
import { EngineError } from '../../../shared/contract/errors';
import { clockTimeFromLocalDate, isClockTime } from '../../../shared/domain/clock';
import type { FileSystem } from '../deps';
import { ioError } from '../fs-errors';
import { SqlDb } from '../sqlite/database';
import { bufferWithRoom } from '../sqlite/file-room';
import { openDiskDb } from '../sqlite/disk-syscalls';
import { trackPageWrites } from '../sqlite/page-writes';
import { sqlWasmModule } from '../sqlite/sql-js';
import { checkInWorker, defaultCheckTimeLimitMs, locateCheckWorker } from './check-runner';
import { corrupt, HEADER_BYTES, inspectHeader, sqliteReason } from './file-format';
import { adoptCheck, checkProjectDb, openBytes, type CheckOutcome } from './open-check';
import { rollBackInterruptedSave } from './save-journal';
import { configureConnection, initialiseSchema, LATEST_SCHEMA_VERSION, migrate, schemaVersionOf } from './schema';
import type { FileIdentity } from './written-files';

/** Keys of the `meta` table. */
export interface ProjectMeta {
  name: string;
  description: string;
  createdAt: string;
  createdWith: string;
  clock: string;
}

const META_KEYS: Record<keyof ProjectMeta, string> = {
  name: 'name',
  description: 'description',
  createdAt: 'created_at',
  createdWith: 'created_with',
  clock: 'clock',
};

export function createProjectDb(
  sql: SqlJsStatic,
  options: { name: string; now: Date; appVersion: string; clock?: string | undefined },
): SqlDb {
  const db = SqlDb.create(sql);
  configureConnection(db);
  initialiseSchema(db);
  writeMeta(db, {
    name: options.name,
    description: '',
    createdAt: options.now.toISOString(),
    createdWith: options.appVersion,
    // A plan replayed from the past starts its clock there (the clock never goes back later).
    clock: options.clock ?? clockTimeFromLocalDate(options.now),
  });
  return db;
}

export function readMeta(db: SqlDb, file: string | null = null): ProjectMeta {
  const rows = db.all<{ key: string; value: string }>('SELECT key, value FROM meta');
  const values = new Map(rows.map((r) => [String(r.key), String(r.value)]));
  const get = (key: keyof ProjectMeta, fallback?: string): string => {
    const value = values.get(META_KEYS[key]) ?? fallback;
    if (value === undefined) throw corrupt(file ?? 'project', `its metadata lacks "${META_KEYS[key]}"`);
    return value;
  };
  const meta: ProjectMeta = {
    name: get('name'),
    description: get('description', ''),
    createdAt: get('createdAt'),
    createdWith: get('createdWith', 'unknown'),
    clock: get('clock'),
  };
  if (!isClockTime(meta.clock)) {
    throw corrupt(file ?? 'project', `its project clock "${meta.clock}" is not a valid date-time`);
  }
  return meta;
}

export function writeMeta(db: SqlDb, meta: Partial<ProjectMeta>): void {
  db.transaction(() => {
    for (const [key, value] of Object.entries(meta) as [keyof ProjectMeta, string | undefined][]) {
      if (value === undefined) continue;
      db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', [
        META_KEYS[key],
        value,
      ]);
    }
  });
}

export interface ReadOptions {
  readonly sql: SqlJsStatic;
  readonly maxProjectBytes: number;
  readonly signal?: AbortSignal;
  /** `total` is null for a step whose size is not known (SQLite's check). */
  readonly onProgress?: (phase: string, done: number, total: number | null) => void;
  readonly yieldBetweenChunks?: () => Promise<void>;
  /** Open a cleaned copy: without foreign triggers, views, tables and indexes, with our missing indexes rebuilt. */
  readonly clean?: boolean;
  /** How long the check of a file of this size may run before it is stopped. */
  readonly checkTimeLimitMs?: (sizeBytes: number) => number;
  /** This process (a journal it left is its own) and whether another one still runs (save-journal.ts). */
  readonly pid: number;
  readonly isProcessAlive: (pid: number) => boolean;
  /**
   * Whether this installation wrote the file as it is now (written-files.ts): then SQLite's
   * full integrity check is skipped; the schema check runs all the same.
   */
  readonly wroteThis?: (identity: FileIdentity) => Promise<boolean>;
}

export interface OpenedProject {
  readonly db: SqlDb;
  readonly meta: ProjectMeta;
  readonly migratedFrom: number | null;
  readonly sizeBytes: number;
  /** What opening a cleaned copy removed or rebuilt; empty when the file needed nothing. */
  readonly cleaned: readonly string[];
  /** The file as it was read (a save may write only the changes into it while it stays so). */
  readonly identity: FileIdentity;
  /** Whether SQLite's full integrity check ran (not for a file this installation wrote and nobody changed since). */
  readonly integrityChecked: boolean;
}

const READ_CHUNK = 8 * 1024 * 1024;

/**
 * Reads and checks a project file: refuses a non-SQLite file, a truncated or damaged one,
 * another application's database, a newer format, an oversized file and a file whose
 * schema is not the one this version creates, each with its own error; then applies
 * pending migrations. The check runs in a worker thread stopped after a time limit
 * (check-runner.ts). The file on disk is never changed.
 */
export async function readProjectFile(fs: FileSystem, path: string, options: ReadOptions): Promise<OpenedProject> {
  const stats = await fs.stat(path).catch((error: unknown) => {
    throw ioError(error, path, 'open');
  });
  if (stats.isDirectory()) {
    throw new EngineError('INVALID_ARGUMENT', `"${path}" is a folder; choose a .cplan file.`, { path });
  }
  // A save of this file cut short: the file becomes the project as it was before it.
  if ((await rollBackInterruptedSave(fs, path, options)) !== 'none') return readProjectFile(fs, path, options);
  const size = stats.size;
  const identity: FileIdentity = { dev: stats.dev, ino: stats.ino, size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
  const handle = await fs.open(path, 'r').catch((error: unknown) => {
    throw ioError(error, path, 'open');
  });
  let integrity = true;
  try {
    const header = new Uint8Array(Math.min(HEADER_BYTES, size));
    await handle.read(header, 0, header.byteLength, 0);
    inspectHeader(header, size, path, { maxProjectBytes: options.maxProjectBytes, latestSchemaVersion: LATEST_SCHEMA_VERSION });
    // Our own file, unchanged since we wrote it: the schema is checked as always (on this
    // thread, below: it reads only the schema), not every page again.
    integrity = !(await options.wroteThis?.(identity).catch(() => false));
  } catch (error) {
    throw ioError(error, path, 'read');
  } finally {
    await handle.close();
  }
  const clean = options.clean === true;
  // Checked in the worker, which reads the file from disk as the engine does next.
  const workerPath = integrity ? locateCheckWorker() : null;
  if (workerPath) options.onProgress?.('Checking the file', 0, null);
  const checked =
    workerPath === null
      ? null
      : await checkInWorker(workerPath, { path, identity, clean, module: sqlWasmModule() }, {
          timeLimitMs: (options.checkTimeLimitMs ?? defaultCheckTimeLimitMs)(size),
          signal: options.signal,
        });
  const db = await openFileDb(fs, path, identity, options);
  const opened = openProjectDb(options.sql, db, path, { clean, checked, integrity });
  return { ...opened, sizeBytes: size, identity, integrityChecked: integrity };
}

/**
 * The project's database: read from the file on disk as it is used (disk-syscalls.ts), the
 * file being still the one stat-ed (`identity`); else (sql.js's calls not found) read
 * whole into memory.
 */
async function openFileDb(fs: FileSystem, path: string, identity: FileIdentity, options: ReadOptions): Promise<SqlDb> {
  try {
    const db = openDiskDb(options.sql, path, identity);
    if (db) return db;
  } catch (error) {
    throw ioError(error, path, 'open');
  }
  const handle = await fs.open(path, 'r').catch((error: unknown) => {
    throw ioError(error, path, 'open');
  });
  try {
    // Read straight into the buffer that becomes the database's file.
    return openBytes(options.sql, await readWhole(handle, bufferWithRoom(identity.size), path, options), path, { room: true });
  } catch (error) {
    throw ioError(error, path, 'read');
  } finally {
    await handle.close();
  }
}

/** Reads the whole file into `bytes` (its length), with progress; cancellable between chunks. */
async function readWhole(handle: Awaited<ReturnType<FileSystem['open']>>, bytes: Uint8Array, path: string, options: ReadOptions): Promise<Uint8Array> {
  const size = bytes.length;
  let offset = 0;
  while (offset < size) {
    if (options.signal?.aborted) throw new EngineError('CANCELLED', 'Opening was cancelled.');
    const { bytesRead } = await handle.read(bytes, offset, Math.min(READ_CHUNK, size - offset), offset);
    if (bytesRead === 0) throw corrupt(path, 'it became shorter while it was being read');
    offset += bytesRead;
    options.onProgress?.('Reading the file', offset, size);
    if (options.yieldBetweenChunks) await options.yieldBetweenChunks();
  }
  return bytes;
}

/**
 * Loads bytes into sql.js and opens them as a project (openProjectDb).
 */
export function openProjectBytes(
  sql: SqlJsStatic,
  bytes: Uint8Array,
  path: string,
  options: { readonly clean: boolean; readonly checked: CheckOutcome | null; readonly integrity?: boolean } = { clean: false, checked: null },
): Omit<OpenedProject, 'sizeBytes' | 'identity' | 'integrityChecked'> {
  return openProjectDb(sql, openBytes(sql, bytes, path, { room: true }), path, options);
}

/**
 * Checks a database opened from a project file (open-check.ts: the schema and SQLite's
 * integrity check), cleans it when asked, and migrates; closes the database on any
 * refusal. A database the check worker `checked` is only cleaned as it cleaned its copy.
 */
export function openProjectDb(
  sql: SqlJsStatic,
  db: SqlDb,
  path: string,
  options: { readonly clean: boolean; readonly checked: CheckOutcome | null; readonly integrity?: boolean },
): Omit<OpenedProject, 'sizeBytes' | 'identity' | 'integrityChecked'> {
  // From here on every page written is logged: the bytes read are the file's, so a save
  // into the same file writes only those pages (cleaning and migrations included).
  trackPageWrites(db);
  try {
    configureConnection(db);
    const { checked } = options;
    if (checked) adoptCheck(sql, db, path, checked);
    const { cleaned } = checked ?? checkProjectDb(sql, db, path, { clean: options.clean, integrity: options.integrity ?? true });
    const before = schemaVersionOf(db);
    const applied = migrate(db);
    const meta = readMeta(db, path);
    return { db, meta, migratedFrom: applied.length > 0 ? before : null, cleaned };
  } catch (error) {
    db.close();
    if (error instanceof EngineError) throw error;
    throw corrupt(path, sqliteReason(error));
  }
}

export { LATEST_SCHEMA_VERSION };
