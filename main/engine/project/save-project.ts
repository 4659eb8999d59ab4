/**
 * How a project is written to its file, chosen so that the cost of a save grows with the
 * change, not with the project (a 10M-profile project is a 1 GB file):
 *
 * - "unchanged": Save into the file the project was read from (or last written to), which
 *   nobody changed since, when SQLite wrote nothing since then: nothing is written.
 * - "in place": the same, with a change of at most MAX_TRACKED_BYTES (page-writes.ts):
 *   only the changed pages are written into the file, under a rollback journal
 *   (save-journal.ts), all-or-nothing as before.
 * - "whole file": everything else (a new project, Save As, a file changed by someone else
 *   since, a big change such as an import, a project opened from a recovery copy): the
 *   database is copied out of sql.js and written as a new file renamed over the old one
 *   (atomic-write.ts).
 *
 * After each write the file's identity is noted twice: on the session (the next save may
 * write in place while the file stays so) and in the installation's record of files it
 * wrote (written-files.ts: opening it again skips the full integrity check).
 */
import type { HandlerContext } from '../registry';
import { databaseBytes } from '../sqlite/file-room';
import { diskFileOf, moveDbToDisk } from '../sqlite/disk-syscalls';
import { pageChanges, trackPageWrites } from '../sqlite/page-writes';
import { removeLeftovers, writeFileAtomic } from './atomic-write';
import { journalPathOf, writeChangesInPlace } from './save-journal';
import type { ProjectSession } from './session';
import { fileIdentity, sameIdentity, WrittenFiles, type FileIdentity } from './written-files';

/** The database reads from the file just written (`path`, whole and flushed) from now on. */
function readFromSavedFile(db: ProjectSession['db'], path: string): void {
  try {
    const file = diskFileOf(db);
    if (file) file.rebase(path);
    else moveDbToDisk(db, path);
  } catch (error) {
    // The save itself succeeded; only the memory it could free is kept.
    process.emitWarning(`The project stays in memory after saving: ${(error as Error).message}`);
  }
}

export type SaveMode = 'unchanged' | 'in place' | 'whole file';

/** The record of files this installation wrote (in the app's data folder unless the host says otherwise). */
export function writtenFiles(ctx: Pick<HandlerContext, 'deps'>): WrittenFiles {
  return new WrittenFiles(ctx.deps, ctx.deps.writtenFilesDir ?? ctx.deps.dataDir);
}

/**
 * Writes the open project to `path` (`wholeFile`: always as a new file, as Save As does),
 * with progress; returns how it was written.
 */
export async function writeProject(session: ProjectSession, path: string, ctx: HandlerContext, options: { readonly wholeFile: boolean }): Promise<SaveMode> {
  const { deps } = ctx;
  const db = session.db;
  const changes = pageChanges(db);
  const onDisk = session.onDisk;
  const now = await fileIdentity(deps.fs, path).catch(() => null);
  const sameFile = !options.wholeFile && onDisk !== null && onDisk.path === path && now !== null && sameIdentity(onDisk.identity, now);
  let mode: SaveMode;
  if (sameFile && changes !== null && changes.bytes === 0) {
    mode = 'unchanged';
  } else if (sameFile && changes !== null) {
    ctx.progress('Writing the changes', 0, changes.bytes, 'bytes');
    // A recovery copy being read from this file must be done before its pages change.
    await diskFileOf(db)?.snapshotsReleased();
    await writeChangesInPlace(deps.fs, path, changes, databaseBytes(db), {
      pid: deps.pid,
      isProcessAlive: deps.isProcessAlive,
      signal: ctx.signal,
      onProgress: (written, total) => ctx.progress('Writing the changes', written, total, 'bytes'),
    }).catch(async (error: unknown) => {
      // The project reads from this file: rolled back (no journal left), it is the same again.
      const restored = !(await deps.fs.stat(journalPathOf(path)).then(() => true, () => false));
      diskFileOf(db)?.afterFailedSave(restored);
      throw error;
    });
    mode = 'in place';
  } else {
    ctx.progress('Preparing the file', 0, null, 'bytes');
    const snapshot = db.snapshot();
    try {
      await writeFileAtomic(deps.fs, path, snapshot, {
        signal: ctx.signal,
        onProgress: (written, total) => ctx.progress('Writing the file', written, total, 'bytes'),
        yieldBetweenChunks: () => ctx.checkpoint(),
        randomId: deps.randomId,
        sleep: deps.sleep,
      });
    } finally {
      snapshot.release();
    }
    // A journal of the file this one replaced (another process's save cut short) is not
    // this file's: opening would drop it anyway (another inode); it goes now.
    await deps.fs.unlink(journalPathOf(path)).catch(() => undefined);
    mode = 'whole file';
  }
  // A whole-file write clears them itself; temporary files of whole-file saves killed before.
  if (mode !== 'whole file') await removeLeftovers(deps.fs, path);
  // The file as written is the new baseline of the log of changed pages, and what the
  // database reads from from now on (disk-file.ts): what it held in memory is let go.
  if (mode !== 'unchanged') readFromSavedFile(db, path);
  trackPageWrites(db);
  const identity: FileIdentity | null = mode === 'unchanged' ? now : await fileIdentity(deps.fs, path).catch(() => null);
  session.onDisk = identity ? { path, identity } : null;
  if (identity && mode !== 'unchanged') await writtenFiles(ctx).remember(path, identity).catch(() => undefined);
  return mode;
}
