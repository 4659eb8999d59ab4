/**
 * Saving a small change into a big project file in place, kept all-or-nothing by a
 * rollback journal next to the file (`FILE.cplan.journal`), as SQLite does on disk:
 *
 * 1. the journal is written: the file's bytes that the save will overwrite (read from the
 *    file), its size, and the identity of the file it belongs to (device and inode), then
 *    a SHA-256 of all of it; the journal and its folder are flushed to disk;
 * 2. the changed pages are written into the file at their offsets, the file is cut (or
 *    grown) to the database's size and flushed;
 * 3. the journal is removed (and the folder flushed).
 *
 * A save cut short at any point (kill -9, power cut) leaves either an incomplete journal
 * (its checksum does not match: the file was not touched yet, the journal is dropped) or a
 * complete one: opening the file then rolls it back (rollBackInterruptedSave), so the file
 * is exactly the old project. After step 3 it is exactly the new one. The journal's name is
 * not SQLite's own (`-journal`), so no SQLite tool takes it for one of its own.
 *
 * The journal names the process that writes it: a journal whose process is still running
 * belongs to a save under way in another Campaign Planner, and opening waits for no one: it
 * refuses, saying so.
 */
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { EngineError } from '../../../shared/contract/errors';
import type { FileSystem } from '../deps';
import { ioError } from '../fs-errors';
import { syncDirectory } from './atomic-write';
import type { PageChanges } from '../sqlite/page-writes';

export const JOURNAL_SUFFIX = '.journal';
export const journalPathOf = (path: string): string => `${path}${JOURNAL_SUFFIX}`;

const MAGIC = new TextEncoder().encode('cplan-journal-1\n');
const HEADER_BYTES = MAGIC.length + 4 + 8 + 8 + 8 + 4;
const RECORD_HEADER_BYTES = 8 + 4;
const HASH_BYTES = 32;
/** Contiguous pages are written in runs of at most this many bytes (fewer system calls). */
const RUN_BYTES = 8 * 1024 * 1024;

type Handle = Awaited<ReturnType<FileSystem['open']>>;

export interface InPlaceSaveOptions {
  readonly pid: number;
  readonly isProcessAlive: (pid: number) => boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (written: number, total: number) => void;
}

/** One write of the save: bytes at an offset of the file. */
interface Run {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/**
 * The writes to make, clipped to the database's size: contiguous pages joined into runs
 * (when no two writes overlap, the usual case: SQLite writes whole pages), else every write
 * in the order it was made (the latest write of a byte wins).
 */
export function plannedRuns(changes: PageChanges, size: number): Run[] {
  const clipped = changes.writes
    .filter((w) => w.offset < size)
    .map((w) => ({ offset: w.offset, bytes: w.bytes.subarray(0, Math.min(w.bytes.length, size - w.offset)) }));
  const sorted = [...clipped].sort((a, b) => a.offset - b.offset);
  if (sorted.some((w, i) => i > 0 && w.offset < sorted[i - 1]!.offset + sorted[i - 1]!.bytes.length)) return clipped;
  const runs: Run[] = [];
  let group: Run[] = [];
  const flush = () => {
    if (group.length === 0) return;
    const length = group.reduce((n, w) => n + w.bytes.length, 0);
    const bytes = new Uint8Array(length);
    let at = 0;
    for (const w of group) {
      bytes.set(w.bytes, at);
      at += w.bytes.length;
    }
    runs.push({ offset: group[0]!.offset, bytes });
    group = [];
  };
  for (const w of sorted) {
    const last = group[group.length - 1];
    const groupBytes = group.reduce((n, g) => n + g.bytes.length, 0);
    if (!last || last.offset + last.bytes.length !== w.offset || groupBytes + w.bytes.length > RUN_BYTES) flush();
    group.push(w);
  }
  flush();
  return runs;
}

/**
 * Writes `changes` into the project file at `path` in place (steps 1 to 3 above), leaving
 * it `size` bytes long. The caller has made sure the file is the one the changes were made
 * against (nobody else changed it since). A failure before step 2 leaves the file as it
 * was; a failure during step 2 rolls it back at once (or, if even that fails, at the next
 * open), and the error is thrown.
 */
export async function writeChangesInPlace(fs: FileSystem, path: string, changes: PageChanges, size: number, options: InPlaceSaveOptions): Promise<void> {
  const journal = journalPathOf(path);
  await refuseSaveUnderWay(fs, path, options);
  const runs = plannedRuns(changes, size);
  const file = await fs.open(path, 'r+').catch((error: unknown) => {
    throw ioError(error, path, 'open for writing');
  });
  try {
    const stats = await file.stat();
    throwIfCancelled(options.signal);
    // Cancelling stops here at the latest: once the journal is written, the save goes through.
    // A file cut shorter loses its tail: that goes into the journal as well.
    const ranges = runs.map((r) => ({ offset: r.offset, length: r.bytes.length }));
    if (size < stats.size) ranges.push({ offset: size, length: stats.size - size });
    await writeJournal(fs, journal, file, ranges, { pid: options.pid, dev: stats.dev, ino: stats.ino, size: stats.size });
    try {
      const total = runs.reduce((n, r) => n + r.bytes.length, 0);
      let written = 0;
      for (const run of runs) {
        await writeAll(file, run.bytes, run.offset);
        written += run.bytes.length;
        options.onProgress?.(written, total);
      }
      if (size !== stats.size) await file.truncate(size);
      await file.sync();
    } catch (error) {
      // Not a kill: put the old bytes back now, so the file is the old project at once.
      await applyJournal(fs, path, file, await readJournal(fs, journal)).catch(() => undefined);
      throw ioError(error, path, 'write');
    }
  } finally {
    await file.close().catch(() => undefined);
  }
  await fs.unlink(journal).catch((error: unknown) => {
    throw ioError(error, journal, 'remove');
  });
  await syncDirectory(fs, dirname(path));
}

/** A journal left by a save under way in another running process: refuse rather than disturb it. */
async function refuseSaveUnderWay(fs: FileSystem, path: string, options: Pick<InPlaceSaveOptions, 'pid' | 'isProcessAlive'>): Promise<void> {
  const parsed = await readJournal(fs, journalPathOf(path));
  if (!parsed || parsed.pid === options.pid || !options.isProcessAlive(parsed.pid)) return;
  throw new EngineError(
    'REFUSED',
    `"${basename(path)}" is being saved by another Campaign Planner (process ${parsed.pid}) right now. Wait for it to finish, then try again.`,
    { path, pid: parsed.pid },
  );
}

async function writeJournal(
  fs: FileSystem,
  journal: string,
  file: Handle,
  ranges: readonly { readonly offset: number; readonly length: number }[],
  about: { pid: number; dev: number; ino: number; size: number },
): Promise<void> {
  const hash = createHash('sha256');
  const out = await fs.open(journal, 'w').catch((error: unknown) => {
    throw ioError(error, journal, 'create');
  });
  try {
    let at = 0;
    const append = async (bytes: Uint8Array) => {
      hash.update(bytes);
      await writeAll(out, bytes, at);
      at += bytes.length;
    };
    // The bytes the save will overwrite: only those the file has now (it may grow).
    const old = ranges.filter((r) => r.offset < about.size);
    const header = new Uint8Array(HEADER_BYTES);
    const view = new DataView(header.buffer);
    header.set(MAGIC);
    view.setUint32(MAGIC.length, about.pid, true);
    view.setFloat64(MAGIC.length + 4, about.dev, true);
    view.setFloat64(MAGIC.length + 12, about.ino, true);
    view.setFloat64(MAGIC.length + 20, about.size, true);
    view.setUint32(MAGIC.length + 28, old.length, true);
    await append(header);
    for (const run of old) {
      const length = Math.min(run.length, about.size - run.offset);
      const record = new Uint8Array(RECORD_HEADER_BYTES + length);
      const recordView = new DataView(record.buffer);
      recordView.setFloat64(0, run.offset, true);
      recordView.setUint32(8, length, true);
      await readAll(file, record.subarray(RECORD_HEADER_BYTES), run.offset);
      await append(record);
    }
    await writeAll(out, hash.digest(), at);
    await out.sync();
  } catch (error) {
    await out.close().catch(() => undefined);
    await fs.unlink(journal).catch(() => undefined);
    throw ioError(error, journal, 'write');
  }
  await out.close();
  await syncDirectory(fs, dirname(journal));
}

interface ParsedJournal {
  readonly pid: number;
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly records: readonly Run[];
}

/** The journal at `journal` if it is complete (its checksum matches); null when missing or incomplete. */
async function readJournal(fs: FileSystem, journal: string): Promise<ParsedJournal | null> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(journal);
  } catch {
    return null;
  }
  if (bytes.length < HEADER_BYTES + HASH_BYTES) return null;
  const body = bytes.subarray(0, bytes.length - HASH_BYTES);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(bytes.subarray(bytes.length - HASH_BYTES))) return null;
  if (!MAGIC.every((b, i) => body[i] === b)) return null;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const count = view.getUint32(MAGIC.length + 28, true);
  const records: Run[] = [];
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i += 1) {
    if (at + RECORD_HEADER_BYTES > body.length) return null;
    const offset = view.getFloat64(at, true);
    const length = view.getUint32(at + 8, true);
    at += RECORD_HEADER_BYTES;
    if (at + length > body.length) return null;
    records.push({ offset, bytes: body.subarray(at, at + length) });
    at += length;
  }
  if (at !== body.length) return null;
  return {
    pid: view.getUint32(MAGIC.length, true),
    dev: view.getFloat64(MAGIC.length + 4, true),
    ino: view.getFloat64(MAGIC.length + 12, true),
    size: view.getFloat64(MAGIC.length + 20, true),
    records,
  };
}

/** Puts the journal's old bytes back into the file and its old size, flushed. */
async function applyJournal(fs: FileSystem, path: string, file: Handle, journal: ParsedJournal | null): Promise<void> {
  if (!journal) return;
  for (const record of journal.records) await writeAll(file, record.bytes, record.offset);
  await file.truncate(journal.size);
  await file.sync();
  await fs.unlink(journalPathOf(path));
  await syncDirectory(fs, dirname(path));
}

export type Recovery = 'none' | 'rolled back' | 'dropped';

/**
 * Before a project file is read: a save cut short left a journal next to it. A complete
 * journal of this very file (same device and inode) is rolled back: the file becomes the
 * project as it was before that save. An incomplete journal (the save never touched the
 * file) or one of another file (the project was since replaced as a whole) is dropped.
 * A journal of a save still under way in another process is refused.
 */
export async function rollBackInterruptedSave(
  fs: FileSystem,
  path: string,
  options: Pick<InPlaceSaveOptions, 'pid' | 'isProcessAlive'>,
): Promise<Recovery> {
  const journal = journalPathOf(path);
  const present = await fs.stat(journal).then(
    () => true,
    () => false,
  );
  if (!present) return 'none';
  await refuseSaveUnderWay(fs, path, options);
  const parsed = await readJournal(fs, journal);
  const stats = await fs.stat(path).catch(() => null);
  if (!parsed || !stats || stats.dev !== parsed.dev || stats.ino !== parsed.ino) {
    await fs.unlink(journal).catch((error: unknown) => {
      throw ioError(error, journal, 'remove');
    });
    return 'dropped';
  }
  const file = await fs.open(path, 'r+').catch((error: unknown) => {
    throw ioError(error, path, 'restore (a save of it was cut short)');
  });
  try {
    await applyJournal(fs, path, file, parsed);
  } catch (error) {
    throw ioError(error, path, 'restore (a save of it was cut short)');
  } finally {
    await file.close().catch(() => undefined);
  }
  return 'rolled back';
}

async function writeAll(handle: Handle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

async function readAll(handle: Handle, into: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new Error('the file became shorter while it was being saved');
    done += bytesRead;
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('CANCELLED', 'Cancelled; nothing was written.');
}
