import type { SqlJsStatic } from 'sql.js';
import { EngineError } from '../../../shared/contract/errors';
import { clockTimeFromLocalDate, isClockTime } from '../../../shared/domain/clock';
import type { FileSystem } from '../deps';
import { ioError } from '../fs-errors';
import { SqlDb } from '../sqlite/database';
import { sqlWasmModule } from '../sqlite/sql-js';
import { checkInWorker, defaultCheckTimeLimitMs, locateCheckWorker } from './check-runner';
import { corrupt, HEADER_BYTES, inspectHeader, sqliteReason } from './file-format';
import { adoptCheck, checkProjectDb, openBytes, type CheckOutcome } from './open-check';
import { configureConnection, initialiseSchema, LATEST_SCHEMA_VERSION, migrate, schemaVersionOf } from './schema';

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
}

export interface OpenedProject {
  readonly db: SqlDb;
  readonly meta: ProjectMeta;
  readonly migratedFrom: number | null;
  readonly sizeBytes: number;
  /** What opening a cleaned copy removed or rebuilt; empty when the file needed nothing. */
  readonly cleaned: readonly string[];
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
  const size = stats.size;
  const handle = await fs.open(path, 'r').catch((error: unknown) => {
    throw ioError(error, path, 'open');
  });
  let bytes: Uint8Array;
  try {
    const header = new Uint8Array(Math.min(HEADER_BYTES, size));
    await handle.read(header, 0, header.byteLength, 0);
    inspectHeader(header, size, path, { maxProjectBytes: options.maxProjectBytes, latestSchemaVersion: LATEST_SCHEMA_VERSION });
    // Shared with the check worker, so it checks these very bytes without a copy.
    bytes = new Uint8Array(new SharedArrayBuffer(size));
    let offset = 0;
    while (offset < size) {
      if (options.signal?.aborted) throw new EngineError('CANCELLED', 'Opening was cancelled.');
      const { bytesRead } = await handle.read(bytes, offset, Math.min(READ_CHUNK, size - offset), offset);
      if (bytesRead === 0) throw corrupt(path, 'it became shorter while it was being read');
      offset += bytesRead;
      options.onProgress?.('Reading the file', offset, size);
      if (options.yieldBetweenChunks) await options.yieldBetweenChunks();
    }
  } catch (error) {
    throw ioError(error, path, 'read');
  } finally {
    await handle.close();
  }
  options.onProgress?.('Checking the file', 0, null);
  const clean = options.clean === true;
  const workerPath = locateCheckWorker();
  const checked =
    workerPath === null
      ? null
      : await checkInWorker(workerPath, { bytes, path, clean, module: sqlWasmModule() }, {
          timeLimitMs: (options.checkTimeLimitMs ?? defaultCheckTimeLimitMs)(size),
          signal: options.signal,
        });
  const opened = openProjectBytes(options.sql, bytes, path, { clean, checked });
  return { ...opened, sizeBytes: size };
}

/**
 * Loads bytes into sql.js, checks them (open-check.ts: the schema and SQLite's integrity
 * check), cleans them when asked, and migrates; closes the database on any refusal. Bytes
 * the check worker `checked` are only cleaned as it cleaned its copy.
 */
export function openProjectBytes(
  sql: SqlJsStatic,
  bytes: Uint8Array,
  path: string,
  options: { readonly clean: boolean; readonly checked: CheckOutcome | null } = { clean: false, checked: null },
): Omit<OpenedProject, 'sizeBytes'> {
  const db = openBytes(sql, bytes, path, { room: true });
  try {
    configureConnection(db);
    const { checked } = options;
    if (checked) adoptCheck(sql, db, path, checked);
    const { cleaned } = checked ?? checkProjectDb(sql, db, path, { clean: options.clean, integrity: true });
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
