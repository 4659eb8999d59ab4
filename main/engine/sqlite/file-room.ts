/**
 * Room for a database file to grow into, made once before a large write.
 *
 * sql.js keeps a database as a file in Emscripten's in-memory file system (MEMFS). Each
 * time SQLite writes past the file's capacity, MEMFS allocates a new buffer 1.125 times
 * larger and copies the whole file into it: writing 5,000,000 events (a file growing by
 * hundreds of MB) copied the file a dozen times, a third of the import's writing time,
 * and each copy held the old and the new buffer at once.
 *
 * sql.js exports neither the file system nor SQLite's file controls, but Emscripten hands
 * the system calls it implements to the WebAssembly module as imports, and sql-js.ts
 * instantiates the module itself. hookFileSystem keeps two of them:
 * - ftruncate(fd, length): MEMFS resizes the file to exactly `length` bytes (one copy);
 * - openat: wrapped to note which descriptor SQLite opened for which file, so the
 *   descriptor of a database's file is known by the file name sql.js gave it.
 * They are recognised by what their code does (the module's names are minified). When
 * they are not found (another sql.js), reserveFileRoom does nothing: the write is the
 * same, only slower.
 *
 * Growing the file makes it longer than the database (zeros after the last page), which
 * SQLite allows, as for a file grown in chunks (SQLITE_FCNTL_CHUNK_SIZE): the database's
 * size is in its header, pages past it are never read, new pages are taken from the
 * zeros, an export copies only the pages, and a rollback puts the file back to its size
 * before the transaction. The zeros left after a commit are not trimmed: MEMFS trims by
 * copying the whole file into a new buffer, and that copy was the import's peak of
 * memory; zeros never written cost no memory, as the operating system gives a buffer's
 * pages only when they are written.
 */
import type { Database, SqlJsStatic } from 'sql.js';
import type { SqlDb } from './database';
import { diskFileOf, findDiskSyscalls, wrapping } from './disk-syscalls';

/** The two system calls, once found in the module's imports. */
interface FileCalls {
  readonly truncate: (fd: number, length: number) => number;
  /** The path each descriptor was last opened for. */
  readonly paths: Map<number, string>;
}

let calls: FileCalls | null = null;

type Imports = Record<string, Record<string, unknown>>;
type Syscall = (...args: number[]) => number;

/** The module's imported functions: Emscripten passes them as the one object of the imports. */
export function importedFunctions(imports: unknown): Record<string, unknown> | null {
  return Object.values((imports ?? {}) as Imports).find((value) => typeof value === 'object' && value !== null) ?? null;
}

/**
 * The names of ftruncate and openat among the module's imports, or null when they are not
 * both found once.
 */
export function findFileSyscalls(imports: unknown): { readonly truncate: string; readonly open: string } | null {
  const env = importedFunctions(imports);
  const names = env ? findDiskSyscalls(env) : null;
  return names && { truncate: names.truncate, open: names.open };
}

/**
 * Keeps ftruncate and wraps openat among the module's imports (before it is instantiated);
 * `memory` gives the module's memory once instantiated (openat's path is a pointer into it).
 */
export function hookFileSystem(imports: unknown, memory: () => ArrayBufferLike | null): void {
  const names = findFileSyscalls(imports);
  const env = importedFunctions(imports);
  if (!names || !env) return;
  const truncate = env[names.truncate] as Syscall;
  const open = env[names.open] as Syscall;
  const openName = names.open;
  const paths = new Map<number, string>();
  const decoder = new TextDecoder();
  // Marked with the call it wraps, so that page-writes.ts still recognises openat by its code.
  env[openName] = wrapping((dirfd: number, path: number, flags: number, varargs: number) => {
    const fd = open(dirfd, path, flags, varargs);
    const buffer = memory();
    if (fd >= 0 && buffer) paths.set(fd, cString(buffer, path, decoder));
    return fd;
  }, open);
  calls = { truncate: (fd, length) => truncate(fd, length), paths };
}

/** The NUL-terminated UTF-8 string at `pointer` in the module's memory (a path given to openat). */
export function cString(buffer: ArrayBufferLike, pointer: number, decoder = new TextDecoder()): string {
  const bytes = new Uint8Array(buffer);
  let end = pointer;
  while (end < bytes.length && bytes[end] !== 0) end += 1;
  return decoder.decode(bytes.subarray(pointer, end));
}

/** The descriptor SQLite holds for a database's file (sql.js names it db.raw.filename), if known. */
function descriptorOf(db: SqlDb): number | null {
  const name = (db.raw as unknown as { filename?: unknown }).filename;
  if (!calls || typeof name !== 'string') return null;
  for (const [fd, path] of calls.paths) if (path.replace(/^\/+/, '') === name) return fd;
  return null;
}

/** The bytes of the database's pages (what the file holds once SQLite is done with it). */
export function databaseBytes(db: SqlDb): number {
  return Number(db.scalar('PRAGMA page_count') ?? 0) * Number(db.scalar('PRAGMA page_size') ?? 0);
}

/** A file is not grown beyond this (a typed array's length, with room for SQLite's journal). */
const MAX_FILE_BYTES = 2 * 1024 ** 3;

/** The size each database's file was last grown to, by file name: room is never taken back. */
const grownTo = new Map<string, number>();

/**
 * Room made when a project is opened: as much again as the file, at least this much. Room
 * never written costs no memory, so it is generous; it spares a later write (a year of the
 * project clock, an import) the copy of the whole file that growing it takes.
 */
const OPEN_ROOM_MIN_BYTES = 256 * 1024 ** 2;

/** The capacity opening gives the file of a database of `length` bytes. */
function openCapacity(length: number): number {
  return Math.min(MAX_FILE_BYTES, length + Math.max(length, OPEN_ROOM_MIN_BYTES));
}

/**
 * A buffer to read a database file of `length` bytes into, with the room openWithRoom
 * gives it after them: opening the bytes read into it copies nothing (a 1 GB project is
 * then in memory once, not twice). The buffer becomes the database's file: use it for
 * nothing else.
 */
export function bufferWithRoom(length: number): Uint8Array {
  return new Uint8Array(Math.max(length, openCapacity(length))).subarray(0, length);
}

/**
 * Opens a database from its bytes with room to grow (OPEN_ROOM_MIN_BYTES), without the
 * copy that growing it later takes. sql.js writes the bytes into a new MEMFS file, and
 * MEMFS takes the first write into an empty file as `bytes.slice(0, length)`: the file's
 * buffer is what slice returns, and its capacity is that buffer's length. So the bytes are
 * given in a buffer with the room after them, through a view whose slice of the whole
 * returns the whole buffer: the file holds the bytes, and the room after them is its
 * capacity (the same copy of the bytes as before, no more). When MEMFS writes otherwise
 * (another sql.js), slice is not called that way: it copies as before, and no room is
 * known.
 */
export function openWithRoom(sql: SqlJsStatic, bytes: Uint8Array): Database {
  const capacity = openCapacity(bytes.length);
  if (capacity <= bytes.length) return new sql.Database(bytes);
  // Bytes read into bufferWithRoom's buffer are there already: that buffer becomes the file.
  const roomy = bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer && bytes.buffer.byteLength === capacity;
  const buffer = roomy ? new Uint8Array(bytes.buffer) : new Uint8Array(capacity);
  if (!roomy) buffer.set(bytes);
  let taken = false;
  class WithRoom extends Uint8Array {
    override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
      if (start !== 0 || end !== bytes.length) return super.slice(start, end);
      taken = true;
      return buffer;
    }
  }
  const db = new sql.Database(new WithRoom(buffer.buffer, 0, bytes.length));
  const name = (db as unknown as { filename?: unknown }).filename;
  if (taken && typeof name === 'string') grownTo.set(name, capacity);
  return db;
}

/**
 * Grows the database's file once so that `bytes` more can be written without MEMFS
 * copying it as it grows. Call inside the write transaction. Returns whether the file was
 * grown (not when the room is there already, or the file cannot be reached).
 */
export function reserveFileRoom(db: SqlDb, bytes: number): boolean {
  // A database read from disk grows in its overlay, block by block: no copy to spare.
  if (diskFileOf(db)) return false;
  const fd = descriptorOf(db);
  const now = databaseBytes(db);
  if (fd === null || now === 0 || !(bytes > 0)) return false;
  const name = (db.raw as unknown as { filename: string }).filename;
  // The file is at least its pages, and at least what it was grown to before (never shrunk here).
  const size = Math.max(now, grownTo.get(name) ?? 0);
  const target = Math.min(MAX_FILE_BYTES, Math.ceil(now + bytes));
  if (target <= size || calls!.truncate(fd, target) !== 0) return false;
  grownTo.set(name, target);
  return true;
}

/** The room made by reserveFileRoom that the database has not used yet (0 when none is known). */
export function fileRoomLeft(db: SqlDb): number {
  const name = (db.raw as unknown as { filename?: unknown }).filename;
  const grown = typeof name === 'string' ? grownTo.get(name) : undefined;
  return grown === undefined ? 0 : Math.max(0, grown - databaseBytes(db));
}

/** After a rollback: SQLite put the file back to its size before the transaction, room and all. */
export function forgetFileRoom(db: SqlDb): void {
  const name = (db.raw as unknown as { filename?: unknown }).filename;
  if (typeof name === 'string') grownTo.delete(name);
}

/** Whether the system calls were found (tests: an sql.js upgrade that hides them should be noticed). */
export function fileRoomAvailable(db: SqlDb): boolean {
  return descriptorOf(db) !== null;
}
