import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';

/** A file that may be served, opened for reading. The caller closes `handle`. */
export interface StaticFile {
  /** The file's real path (every link resolved). */
  readonly path: string;
  readonly size: number;
  readonly handle: FileHandle;
}

/** Errors that mean "there is no such file to serve", as opposed to a failing disk. */
const NOT_SERVABLE = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR', 'ENAMETOOLONG', 'EINVAL']);

/**
 * The one rule for what the app protocol and browser mode serve: a regular file whose
 * real path lies inside the real path of `root`. `file` has already passed the lexical
 * checks of its caller (no `..`, no drive letters); this adds what only the disk can tell:
 * a symbolic link (to a file or a folder) that points out of the folder, or a device,
 * FIFO or folder where a file was expected, is not served. A link that stays inside the
 * folder is followed, and the folder itself may be reached through a link.
 *
 * Returns null when there is nothing to serve; throws only when the disk fails (EACCES,
 * EIO ...), which callers answer as their own server error.
 */
export async function openStaticFile(root: string, file: string): Promise<StaticFile | null> {
  let handle: FileHandle | null = null;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    const fromRoot = relative(realRoot, realFile);
    if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) return null;
    // O_NOFOLLOW: if the checked path was swapped for a link since, opening fails instead
    // of following it. O_NONBLOCK: opening a FIFO would otherwise wait for a writer
    // forever; it is then refused by the type check below. (Windows has neither flag.)
    handle = await open(realFile, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      return null;
    }
    return { path: realFile, size: info.size, handle };
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (NOT_SERVABLE.has((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
}

/** The whole file, or null when it may not be served (see openStaticFile). */
export async function readStaticFile(root: string, file: string): Promise<Uint8Array | null> {
  const opened = await openStaticFile(root, file);
  if (!opened) return null;
  try {
    return await opened.handle.readFile();
  } finally {
    await opened.handle.close();
  }
}

