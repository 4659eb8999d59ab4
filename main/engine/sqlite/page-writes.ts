/**
 * What SQLite wrote to a database's file since a moment ("the baseline": when the project
 * was read from its file or last written to it), so that saving writes only those bytes
 * (project/incremental-save.ts) instead of the whole file.
 *
 * sql.js keeps the database as a file in Emscripten's in-memory file system (MEMFS) and
 * SQLite writes to it through two system calls that Emscripten hands to the WebAssembly
 * module as imports (see file-room.ts for the same technique): fd_seek(fd, offset,
 * whence, newOffset) then fd_write(fd, iov, iovcnt, pnum) (this build has no pwrite). They
 * are wrapped here before the module is instantiated: a write to a tracked database's file
 * copies the bytes written (pages of 8 KiB) into a log kept by offset, the latest write of
 * an offset last, so replaying the log in its order gives the file's current bytes at
 * every offset written. Writes to other files (SQLite's own journal) are ignored.
 *
 * The log is bounded (MAX_TRACKED_BYTES): a change bigger than that (an import) stops
 * tracking, the log is dropped, and the next save writes the whole file, as before. A
 * database whose writes were not all seen (calls not found in another sql.js, tracking
 * never started) reports `null`: "not known", never "nothing changed".
 */
import type { SqlDb } from './database';
import { diskFileOf, findDiskSyscalls } from './disk-syscalls';
import { cString, importedFunctions } from './file-room';

/** Bytes written since the baseline, in the order to write them; the last write of an offset wins. */
export interface PageChanges {
  readonly writes: readonly { readonly offset: number; readonly bytes: Uint8Array }[];
  /** The sum of the writes' lengths. */
  readonly bytes: number;
}

/**
 * A change above this is saved as a whole new file: its log would cost this much memory,
 * and its journal on disk as much again. 128 MiB is about 15 % of a 10M-profile project.
 */
export const MAX_TRACKED_BYTES = 128 * 1024 * 1024;

interface Log {
  writes: Map<number, Uint8Array>;
  bytes: number;
  /** More than MAX_TRACKED_BYTES was written: what changed is no longer known. */
  overflowed: boolean;
}

type Syscall = (...args: number[]) => number;
type Seek = (fd: number, offset: bigint, whence: number, newOffset: number) => number;

/** Logs by database file name (sql.js's db.filename); only files being tracked have one. */
const logs = new Map<string, Log>();
let hooked = false;

/**
 * The names of fd_seek, fd_write and openat among the module's imports, recognised by what
 * their code does (the names are minified), or null unless each is found exactly once.
 */
export function findWriteSyscalls(imports: unknown): { readonly seek: string; readonly write: string; readonly open: string } | null {
  const env = importedFunctions(imports);
  const names = env ? findDiskSyscalls(env) : null;
  return names && { seek: names.seek, write: names.write, open: names.open };
}

/**
 * Wraps fd_seek, fd_write and openat among the module's imports (before it is
 * instantiated); `memory` gives the module's memory once instantiated.
 */
export function hookPageWrites(imports: unknown, memory: () => ArrayBufferLike | null): void {
  const names = findWriteSyscalls(imports);
  const env = importedFunctions(imports);
  if (!names || !env) return;
  const open = env[names.open] as Syscall;
  const seek = env[names.seek] as unknown as Seek;
  const write = env[names.write] as Syscall;
  /** Per descriptor of this module: its file's name (without the leading "/") and position. */
  const files = new Map<number, { name: string; position: number }>();
  const decoder = new TextDecoder();
  env[names.open] = (dirfd: number, path: number, flags: number, varargs: number) => {
    const fd = open(dirfd, path, flags, varargs);
    const buffer = memory();
    if (fd >= 0 && buffer) files.set(fd, { name: cString(buffer, path, decoder).replace(/^\/+/, ''), position: 0 });
    return fd;
  };
  env[names.seek] = (fd: number, offset: bigint, whence: number, newOffset: number) => {
    const result = seek(fd, offset, whence, newOffset);
    const file = files.get(fd);
    const buffer = memory();
    if (result === 0 && file && buffer) file.position = Number(new DataView(buffer).getBigInt64(newOffset, true));
    return result;
  };
  env[names.write] = (fd: number, iov: number, iovcnt: number, pnum: number) => {
    const file = files.get(fd);
    const log = file ? logs.get(file.name) : undefined;
    const buffer = memory();
    // Copied before the call: the iovecs are what is written (pnum says how much of it).
    const data = log && !log.overflowed && buffer ? gather(buffer, iov, iovcnt) : null;
    const result = write(fd, iov, iovcnt, pnum);
    if (result !== 0 || !file || !buffer) return result;
    const written = new DataView(buffer).getUint32(pnum, true);
    if (log && !log.overflowed) record(log, file.position, data!.subarray(0, written));
    file.position += written;
    return result;
  };
  hooked = true;
}

function gather(buffer: ArrayBufferLike, iov: number, iovcnt: number): Uint8Array {
  const view = new DataView(buffer);
  const heap = new Uint8Array(buffer);
  let total = 0;
  for (let i = 0; i < iovcnt; i += 1) total += view.getUint32(iov + i * 8 + 4, true);
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < iovcnt; i += 1) {
    const pointer = view.getUint32(iov + i * 8, true);
    const length = view.getUint32(iov + i * 8 + 4, true);
    out.set(heap.subarray(pointer, pointer + length), at);
    at += length;
  }
  return out;
}

function record(log: Log, offset: number, bytes: Uint8Array): void {
  const before = log.writes.get(offset);
  if (before) {
    log.bytes -= before.byteLength;
    // Deleted and set again, so the map's order stays the order of the latest writes.
    log.writes.delete(offset);
  }
  log.writes.set(offset, bytes);
  log.bytes += bytes.byteLength;
  if (log.bytes > MAX_TRACKED_BYTES) {
    log.overflowed = true;
    log.writes = new Map();
    log.bytes = 0;
  }
}

function fileName(db: SqlDb): string | null {
  const name = (db.raw as unknown as { filename?: unknown }).filename;
  return typeof name === 'string' ? name : null;
}

/**
 * Starts (or starts again) the log of the database's writes: its file now is the baseline.
 * A database read from disk keeps no log: its overlay of changed blocks is that log
 * (disk-file.ts), so the changes are not held twice.
 */
export function trackPageWrites(db: SqlDb): void {
  const name = fileName(db);
  const file = diskFileOf(db);
  if (file) {
    if (name !== null) logs.delete(name);
    file.markBaseline();
  } else if (hooked && name !== null) logs.set(name, { writes: new Map(), bytes: 0, overflowed: false });
}

/** Stops logging the database's writes (closed, or saved elsewhere as a whole). */
export function untrackPageWrites(db: SqlDb): void {
  const name = fileName(db);
  if (name !== null) logs.delete(name);
}

/** What was written since the baseline, or null when that is not known (see the file's comment). */
export function pageChanges(db: SqlDb): PageChanges | null {
  const file = diskFileOf(db);
  if (file) {
    const writes = file.overlayBytes > MAX_TRACKED_BYTES ? null : file.changesSinceBaseline();
    return writes && { writes, bytes: writes.length === 0 ? 0 : file.overlayBytes };
  }
  const name = fileName(db);
  const log = name === null ? undefined : logs.get(name);
  if (!log || log.overflowed) return null;
  return { writes: [...log.writes].map(([offset, bytes]) => ({ offset, bytes })), bytes: log.bytes };
}
