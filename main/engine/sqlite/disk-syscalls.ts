/**
 * Routes SQLite's system calls on a project's database file to its DiskFile (disk-file.ts)
 * instead of Emscripten's in-memory file system, the technique of file-room.ts and
 * page-writes.ts: sql.js hands Emscripten's system calls to the WebAssembly module as
 * imports, and sql-js.ts instantiates the module itself, so the calls can be wrapped
 * before it is. Wrapped here, recognised by what their code does (the names are
 * minified): openat (to know which descriptor is which file), fd_seek, fd_read, fd_write,
 * ftruncate and fstat. A descriptor of a database opened with openDiskDb is answered
 * entirely from its DiskFile (MEMFS holds an empty file of that name, never read);
 * every other descriptor (SQLite's journal, temporary files, databases opened from
 * bytes) goes to MEMFS as before. Each wrapper is marked with the call it wraps, so that
 * file-room.ts and page-writes.ts, which wrap the same calls after, still recognise them
 * (page-writes.ts keeps logging what SQLite writes, the in-place save's input).
 *
 * When the calls are not found (another sql.js), openDiskDb returns null and projects
 * are read into memory as before.
 */
import { basename } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { EngineError } from '../../../shared/contract/errors';
import { SqlDb } from './database';
import { DiskFile, FileChangedError } from './disk-file';
import { cString, importedFunctions } from './file-room';
import type { FileIdentity } from '../project/written-files';

type Syscall = (...args: number[]) => number;
type Imports = Record<string, unknown>;

/** The call a wrapper wraps, down to the module's own. */
export function innermost<F>(f: F): F {
  let at = f as F & { wrapped?: F };
  while (at.wrapped) at = at.wrapped as F & { wrapped?: F };
  return at;
}

/** A wrapper marked with what it wraps (see the file's comment). */
export function wrapping<F extends object>(wrapper: F, wrapped: unknown): F {
  return Object.assign(wrapper, { wrapped });
}

/** Errno values as this build returns them. */
const EIO = 29;
const EINVAL = 28;

/** The calls, by their names among the module's imports. */
interface Names {
  readonly open: string;
  readonly seek: string;
  readonly read: string;
  readonly write: string;
  readonly truncate: string;
  readonly fstat: string;
}

/** Recognises the six calls by their code; null unless each is found exactly once. */
export function findDiskSyscalls(env: Imports): Names | null {
  const entries = Object.entries(env).filter((e): e is [string, Syscall] => typeof e[1] === 'function');
  // The module's own code under any wrapper, without spaces and line breaks (a bundler may print it anew).
  const source = (f: Syscall) => Function.prototype.toString.call(innermost(f)).replace(/\s+/g, '');
  const one = (arity: number, test: (code: string) => boolean): string | null => {
    const found = entries.filter(([, f]) => f.length === arity && test(source(f)));
    return found.length === 1 ? found[0]![0] : null;
  };
  const names = {
    // openat(dirfd, path, flags, varargs): returns the new stream's fd.
    open: one(4, (c) => /\)\.fd;?}/.test(c) && /&64/.test(c)),
    // fd_seek: stores the stream's new position as a 64-bit BigInt.
    seek: one(4, (c) => /=BigInt\([A-Za-z_$]+\.position\)/.test(c)),
    // fd_read: reads into each iovec (8 bytes each) through the stream's read.
    read: one(4, (c) => /\.read\(/.test(c) && /\+=8/.test(c)),
    // fd_write: gathers the iovecs into one buffer when there are several.
    write: one(4, (c) => /newUint8Array\(/.test(c) && /\+=8\)/.test(c) && /\.subarray\(/.test(c) && !/\.read/.test(c)),
    // ftruncate(fd, length as a 64-bit BigInt): checks the descriptor is open for writing
    // (flags & O_ACCMODE|O_PATH = 2097155) and truncates its node; only mmap shares those
    // marks, with seven arguments.
    truncate: one(2, (c) => /2097155/.test(c) && /9007199254740992/.test(c) && /\.node,/.test(c)),
    // fstat(fd, buf): the stream's own getattr or its node's.
    fstat: one(2, (c) => /\.node,/.test(c) && /\?\?=/.test(c) && !/2097155/.test(c)),
  };
  return Object.values(names).every((n) => n !== null) ? (names as unknown as Names) : null;
}

/** The DiskFile of each database file opened with openDiskDb, by the file's name in MEMFS. */
const files = new Map<string, DiskFile>();
/** The DiskFile the next database file opened belongs to (openDiskDb sets it around sql.js's open). */
let adopting: DiskFile | null = null;
/** Makes the open descriptors of a database file in MEMFS its DiskFile's and empties MEMFS's copy (set by the hook). */
let adoptDescriptors: ((name: string, file: DiskFile) => boolean) | null = null;
let hooked = false;

/** Where st_size sits in the stat structure this build writes (a 64-bit integer). */
const STAT_SIZE_OFFSET = 24;

export function hookDiskFiles(imports: unknown, memory: () => ArrayBufferLike | null): void {
  const env = importedFunctions(imports);
  const names = env ? findDiskSyscalls(env) : null;
  if (!env || !names) return;
  const open = env[names.open] as Syscall;
  const seek = env[names.seek] as (fd: number, offset: bigint, whence: number, newOffset: number) => number;
  const read = env[names.read] as Syscall;
  const write = env[names.write] as Syscall;
  const truncate = env[names.truncate] as (fd: number, length: bigint) => number;
  const fstat = env[names.fstat] as Syscall;
  /** Descriptors of DiskFiles, with their positions. */
  const open_ = new Map<number, { file: DiskFile; position: number }>();
  /** The file name of every descriptor opened. */
  const opened = new Map<number, string>();
  const decoder = new TextDecoder();

  env[names.open] = wrapping((dirfd: number, path: number, flags: number, varargs: number) => {
    const fd = open(dirfd, path, flags, varargs);
    if (fd < 0) return fd;
    open_.delete(fd);
    const buffer = memory();
    const name = buffer ? cString(buffer, path, decoder).replace(/^\/+/, '') : '';
    opened.set(fd, name);
    if (adopting && /^dbfile_/.test(name)) {
      files.set(name, adopting);
      adopting = null;
    }
    const file = files.get(name);
    if (file) open_.set(fd, { file, position: 0 });
    return fd;
  }, open);
  env[names.seek] = wrapping((fd: number, offset: bigint, whence: number, newOffset: number) => {
    const at = open_.get(fd);
    const buffer = memory();
    if (!at || !buffer) return seek(fd, offset, whence, newOffset);
    const from = whence === 0 ? 0 : whence === 1 ? at.position : whence === 2 ? at.file.size : NaN;
    const position = from + Number(offset);
    if (!(position >= 0)) return EINVAL;
    at.position = position;
    new DataView(buffer).setBigInt64(newOffset, BigInt(position), true);
    return 0;
  }, seek);
  const transfer = (fd: number, iov: number, iovcnt: number, pnum: number, reading: boolean): number | null => {
    const at = open_.get(fd);
    const buffer = memory();
    if (!at || !buffer) return null;
    const view = new DataView(buffer);
    const heap = new Uint8Array(buffer);
    let total = 0;
    try {
      for (let i = 0; i < iovcnt; i += 1) {
        const pointer = view.getUint32(iov + i * 8, true);
        const length = view.getUint32(iov + i * 8 + 4, true);
        const bytes = heap.subarray(pointer, pointer + length);
        const done = reading ? at.file.read(bytes, at.position) : (at.file.write(bytes, at.position), length);
        at.position += done;
        total += done;
        if (done < length) break;
      }
    } catch (error) {
      if (!(error instanceof FileChangedError)) process.emitWarning(`Project file ${reading ? 'read' : 'write'} failed: ${(error as Error).message}`);
      return EIO;
    }
    view.setUint32(pnum, total, true);
    return 0;
  };
  env[names.read] = wrapping((fd: number, iov: number, iovcnt: number, pnum: number) => transfer(fd, iov, iovcnt, pnum, true) ?? read(fd, iov, iovcnt, pnum), read);
  env[names.write] = wrapping((fd: number, iov: number, iovcnt: number, pnum: number) => transfer(fd, iov, iovcnt, pnum, false) ?? write(fd, iov, iovcnt, pnum), write);
  env[names.truncate] = wrapping((fd: number, length: bigint) => {
    const at = open_.get(fd);
    if (!at) return truncate(fd, length);
    const bytes = Number(length);
    if (!(bytes >= 0) || !Number.isSafeInteger(bytes)) return -EINVAL;
    at.file.truncate(bytes);
    return 0;
  }, truncate);
  env[names.fstat] = wrapping((fd: number, buf: number) => {
    const result = fstat(fd, buf);
    const at = open_.get(fd);
    const buffer = memory();
    // MEMFS stats its empty stand-in: the size is the DiskFile's.
    if (result === 0 && at && buffer) new DataView(buffer).setBigInt64(buf + STAT_SIZE_OFFSET, BigInt(at.file.size), true);
    return result;
  }, fstat);
  adoptDescriptors = (name, file) => {
    const fds = [...opened].filter(([, n]) => n === name).map(([fd]) => fd);
    // Emptied through a descriptor still open (others may be stale): MEMFS frees its copy.
    if (!fds.some((fd) => truncate(fd, 0n) === 0)) return false;
    files.set(name, file);
    for (const fd of fds) open_.set(fd, { file, position: 0 });
    return true;
  };
  hooked = true;
}

function nameOf(db: SqlDb): string | null {
  const name = (db.raw as unknown as { filename?: unknown }).filename;
  return typeof name === 'string' ? name : null;
}

/**
 * Opens the project file at `path` as a database read from disk (the file's bytes are not
 * read up front); `expected`: the identity it must have (as checked before). Null when the
 * system calls were not found: the caller reads the file into memory instead.
 */
export function openDiskDb(sql: SqlJsStatic, path: string, expected?: FileIdentity): SqlDb | null {
  if (!hooked) return null;
  const file = DiskFile.open(path, expected);
  adopting = file;
  let db: SqlDb;
  try {
    // An empty file of the database's name in MEMFS: SQLite opens it, the DiskFile answers.
    db = new SqlDb(new sql.Database(new Uint8Array(0)));
  } catch (error) {
    file.close();
    throw error;
  } finally {
    adopting = null;
  }
  const name = nameOf(db);
  if (name === null || files.get(name) !== file) {
    db.close();
    file.close();
    return null;
  }
  return db;
}

/**
 * After a database kept in memory (a new project) was written whole to `path`: it reads
 * from that file from now on, and the copy in memory is freed. No-op (false) when the
 * database already reads from disk or the calls were not found.
 */
export function moveDbToDisk(db: SqlDb, path: string): boolean {
  const name = nameOf(db);
  if (!adoptDescriptors || name === null || files.has(name) || db.inTransaction) return false;
  const file = DiskFile.open(path);
  if (adoptDescriptors(name, file)) return true;
  file.close();
  return false;
}

/** The DiskFile a database reads from, or null for a database in memory. */
export function diskFileOf(db: SqlDb): DiskFile | null {
  const name = nameOf(db);
  return name === null ? null : (files.get(name) ?? null);
}

/**
 * The error to give instead of SQLite's when the database's file was changed by another
 * program while open (SQLite says only "disk I/O error" or "malformed"), else null.
 */
export function fileChangedError(db: SqlDb): EngineError | null {
  const file = diskFileOf(db);
  if (!file?.changedOutside) return null;
  return new EngineError(
    'IO_ERROR',
    `"${basename(file.path)}" was changed by another program while it was open here, so it is no longer read. ` +
      'Close the project (changes not saved here cannot be kept) and open the file again to see it as it is now.',
    { path: file.path },
  );
}

/** Closes the database's DiskFile (the database is being closed). */
export function closeDiskFile(db: SqlDb): void {
  const name = nameOf(db);
  const file = name === null ? undefined : files.get(name);
  if (!file) return;
  files.delete(name!);
  file.close();
}
