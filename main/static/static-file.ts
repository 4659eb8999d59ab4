import { constants } from 'node:fs';
import { open, readFile, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';

/** A file that may be served: its real path (every link resolved) and size. */
export interface ServableFile {
  readonly path: string;
  readonly size: number;
}

/** Errors that mean "there is no such file to serve", as opposed to a failing disk. */
const NOT_SERVABLE = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR', 'ENAMETOOLONG', 'EINVAL']);

const notServable = (error: unknown): boolean => NOT_SERVABLE.has((error as NodeJS.ErrnoException).code ?? '');

/**
 * The one rule for what the app protocol and browser mode serve: a regular file whose
 * real path lies inside the real path of `root`. `file` has already passed the lexical
 * checks of its caller (no `..`, no drive letters); this adds what only the disk can tell:
 * a symbolic link (to a file or a folder) that points out of the folder, or a device,
 * FIFO or folder where a file was expected, is not served. A link that stays inside the
 * folder is followed, and the folder itself may be reached through a link.
 *
 * Only realpath and stat: in the packaged app the folder is inside app.asar, and Electron
 * answers these two (and readFile) from the archive.
 *
 * Returns null when there is nothing to serve; throws only when the disk fails (EACCES,
 * EIO ...), which callers answer as their own server error.
 */
export async function findStaticFile(root: string, file: string): Promise<ServableFile | null> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    const fromRoot = relative(realRoot, realFile);
    if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) return null;
    const info = await stat(realFile);
    return info.isFile() ? { path: realFile, size: info.size } : null;
  } catch (error) {
    if (notServable(error)) return null;
    throw error;
  }
}

/**
 * The file of findStaticFile, opened for streaming (browser mode); the caller closes the
 * handle. The open itself refuses what may have replaced the file since the check:
 * O_NOFOLLOW a link, O_NONBLOCK and the type check a FIFO (which would otherwise wait for a
 * writer forever). Windows has neither flag.
 */
export async function openStaticFile(root: string, file: string): Promise<(ServableFile & { readonly handle: FileHandle }) | null> {
  const found = await findStaticFile(root, file);
  if (!found) return null;
  let handle: FileHandle | null = null;
  try {
    handle = await open(found.path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const info = await handle.stat();
    if (info.isFile()) return { path: found.path, size: info.size, handle };
    await handle.close();
    return null;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (notServable(error)) return null;
    throw error;
  }
}

/**
 * The whole file of findStaticFile, or null (the app protocol). Read with readFile, which
 * Electron serves from app.asar and checks against the archive's integrity hashes.
 */
export async function readStaticFile(root: string, file: string): Promise<Uint8Array | null> {
  const found = await findStaticFile(root, file);
  if (!found) return null;
  try {
    return await readFile(found.path);
  } catch (error) {
    if (notServable(error)) return null;
    throw error;
  }
}
