import { WAREHOUSE_ROUTE } from './size-ceiling';
import { EngineError } from '../../../shared/contract/errors';
import { basename } from 'node:path';
import { formatBytes, formatCount } from '../../../shared/format';

/** "CPLN" as a big-endian integer: SQLite's application_id for Campaign Planner files. */
export const APPLICATION_ID = 0x43504c4e;

/** Bytes read before deciding whether a file is worth loading. */
export const HEADER_BYTES = 100;

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export interface HeaderFacts {
  readonly pageSize: number;
  readonly pageCount: number | null;
  readonly applicationId: number;
  readonly userVersion: number;
}

/**
 * Decides from the 100-byte SQLite header (and the file size) whether a file can be a
 * project this app opens, before a single page is loaded. Throws the specific refusal.
 * Header layout: https://www.sqlite.org/fileformat.html#the_database_header
 */
export function inspectHeader(
  header: Uint8Array,
  fileSize: number,
  file: string,
  limits: { maxProjectBytes: number; latestSchemaVersion: number },
): HeaderFacts {
  const name = basename(file);
  if (fileSize === 0) {
    throw new EngineError('NOT_SQLITE', `"${name}" is empty: it is not a Campaign Planner project.`, { path: file });
  }
  const magic = String.fromCharCode(...header.subarray(0, 16));
  if (fileSize < HEADER_BYTES || magic !== SQLITE_MAGIC) {
    throw new EngineError(
      'NOT_SQLITE',
      `"${name}" is not a Campaign Planner project: it is not an SQLite database${describeContent(header)}.`,
      { path: file },
    );
  }
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const rawPageSize = view.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw corrupt(file, `its header gives an impossible page size (${rawPageSize})`);
  }
  const writeVersion = header[18] ?? 0;
  const readVersion = header[19] ?? 0;
  if (writeVersion === 2 || readVersion === 2) {
    throw new EngineError(
      'UNSUPPORTED_FILE',
      `"${name}" is in SQLite's WAL journal mode, which Campaign Planner cannot open. ` +
        `Close every program that uses it, then run: sqlite3 "${name}" "PRAGMA journal_mode=DELETE"`,
      { path: file },
    );
  }
  if (writeVersion !== 1 || readVersion !== 1) {
    throw new EngineError('UNSUPPORTED_FILE', `"${name}" uses an SQLite file format this app does not know.`, {
      path: file,
    });
  }
  const changeCounter = view.getUint32(24);
  const headerPages = view.getUint32(28);
  const validFor = view.getUint32(92);
  const pageCount = headerPages > 0 && changeCounter === validFor ? headerPages : null;
  if (pageCount !== null && fileSize < pageCount * pageSize) {
    throw corrupt(file, `it is truncated: ${fileSize} bytes of the ${pageCount * pageSize} its header announces`);
  }
  if (fileSize % pageSize !== 0) {
    throw corrupt(file, `its size (${fileSize} bytes) is not a whole number of ${pageSize}-byte pages`);
  }
  const applicationId = view.getUint32(68);
  const userVersion = view.getInt32(60);
  if (applicationId !== APPLICATION_ID) {
    throw new EngineError(
      'FOREIGN_FILE',
      applicationId === 0
        ? `"${name}" is an SQLite database, but not a Campaign Planner project.`
        : `"${name}" is an SQLite database of another application (application id 0x${applicationId
            .toString(16)
            .padStart(8, '0')}), not a Campaign Planner project.`,
      { path: file, applicationId },
    );
  }
  if (userVersion > limits.latestSchemaVersion) {
    throw new EngineError(
      'NEWER_VERSION',
      `"${name}" was saved by a newer version of Campaign Planner (file format ${userVersion}; ` +
        `this version reads up to ${limits.latestSchemaVersion}). Update Campaign Planner to open it.`,
      { path: file, fileVersion: userVersion, supportedVersion: limits.latestSchemaVersion },
    );
  }
  if (userVersion < 1) {
    throw corrupt(file, `its format version (${userVersion}) is not valid`);
  }
  if (fileSize > limits.maxProjectBytes) {
    throw new EngineError(
      'FILE_TOO_LARGE',
      `"${name}" (${formatBytes(fileSize)}, ${formatCount(fileSize)} bytes) is larger than the ` +
        `${formatBytes(limits.maxProjectBytes)} (${formatCount(limits.maxProjectBytes)} bytes) that Campaign Planner ` +
        `can hold in memory. Split the plan into smaller projects. ${WAREHOUSE_ROUTE}`,
      { path: file, sizeBytes: fileSize, maxBytes: limits.maxProjectBytes },
    );
  }
  return { pageSize, pageCount, applicationId, userVersion };
}

export function corrupt(file: string, why: string, details: Record<string, unknown> = {}): EngineError {
  return new EngineError(
    'CORRUPT_FILE',
    `"${basename(file)}" is damaged (${why}). Open a backup or an earlier copy of it.`,
    { path: file, ...details },
  );
}

/** SQLite's complaint about a file, in words a user can act on. */
export function sqliteReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/not a database/i.test(message)) return 'SQLite cannot read it as a database';
  if (/malformed/i.test(message)) return 'SQLite reports that the database image is malformed';
  return `SQLite reports: ${message}`;
}

/** A short hint of what a non-SQLite file seems to be, so the message helps. */
function describeContent(header: Uint8Array): string {
  const starts = (s: string) => s.split('').every((c, i) => header[i] === c.charCodeAt(0));
  if (starts('PK\u0003\u0004')) return ' (it looks like a ZIP archive or an Office document)';
  if (starts('%PDF')) return ' (it looks like a PDF document)';
  if (header[0] === 0xef && header[1] === 0xbb && header[2] === 0xbf) {
    return ' (it looks like a text or CSV file; use Import to bring CSV data in)';
  }
  const sample = header.subarray(0, Math.min(header.length, 64));
  const printable = sample.filter((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc0);
  if (sample.length > 0 && printable.length === sample.length) {
    return ' (it looks like a text or CSV file; use Import to bring CSV data in)';
  }
  return '';
}
