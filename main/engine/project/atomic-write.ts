import { basename, dirname, join } from 'node:path';
import { EngineError } from '../../../shared/contract/errors';
import type { FileSystem } from '../deps';
import { ioError } from '../fs-errors';
import type { ByteSource } from '../sqlite/database';

export interface AtomicWriteOptions {
  readonly signal?: AbortSignal;
  /** Called after each chunk with the bytes written so far. */
  readonly onProgress?: (written: number, total: number) => void;
  /** Lets the thread breathe between chunks (and cancel messages arrive). */
  readonly yieldBetweenChunks?: () => Promise<void>;
  readonly chunkBytes?: number;
  readonly randomId: () => string;
  readonly sleep: (ms: number) => Promise<void>;
  /** How many times a refused rename is retried (Windows: antivirus, indexer, Explorer). */
  readonly renameAttempts?: number;
}

const RETRYABLE_RENAME = new Set(['EPERM', 'EACCES', 'EBUSY']);

/** An open file as the file system gives it. */
export type WritableFile = Awaited<ReturnType<FileSystem['open']>>;

/**
 * Writes `data` to `target` so that the target is always either the old file or the new
 * one, never a mix: write a temporary file in the same folder, flush it to disk, rename it
 * over the target, then flush the folder so the rename itself survives a power cut.
 * A failure or cancellation before the rename removes the temporary file and leaves the
 * target untouched.
 */
export async function writeFileAtomic(
  fs: FileSystem,
  target: string,
  data: Uint8Array | ByteSource,
  options: AtomicWriteOptions,
): Promise<void> {
  const chunk = options.chunkBytes ?? 4 * 1024 * 1024;
  const total = data instanceof Uint8Array ? data.byteLength : data.size;
  // A source is read chunk by chunk into one buffer: the file is never whole in memory.
  const buffer = data instanceof Uint8Array ? data : new Uint8Array(Math.min(chunk, total));
  await writeFileAtomicStream(
    fs,
    target,
    async (handle) => {
      let written = 0;
      while (written < total) {
        throwIfCancelled(options.signal);
        const length = Math.min(chunk, total - written);
        const from = data instanceof Uint8Array ? written : 0;
        if (!(data instanceof Uint8Array) && data.read(buffer.subarray(0, length), written) !== length) throw new Error('the data became shorter while it was being written');
        let done = 0;
        while (done < length) done += (await handle.write(buffer, from + done, length - done, written + done)).bytesWritten;
        written += length;
        options.onProgress?.(written, total);
        if (options.yieldBetweenChunks) await options.yieldBetweenChunks();
      }
    },
    options,
  );
}

/**
 * The same guarantee for content produced while it is written (a CSV export): `write`
 * gets the temporary file and writes to it in order; when it returns, the file is flushed
 * and renamed over `target`. If `write` throws (a failure, or CANCELLED), the temporary
 * file is removed and the target is untouched. Errors from the file system are reported
 * with the target's name.
 */
export async function writeFileAtomicStream(
  fs: FileSystem,
  target: string,
  write: (handle: WritableFile) => Promise<void>,
  options: Pick<AtomicWriteOptions, 'signal' | 'randomId' | 'sleep' | 'renameAttempts'>,
): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${options.randomId()}.tmp`);
  const mode = await existingMode(fs, target);
  let handle: WritableFile | null = null;
  let renamed = false;
  try {
    handle = await fs.open(temp, 'wx', mode).catch((error: unknown) => {
      throw ioError(error, dir, 'create a file in');
    });
    await write(handle).catch((error: unknown) => {
      throw ioError(error, target, 'write');
    });
    throwIfCancelled(options.signal);
    await handle.sync().catch((error: unknown) => {
      throw ioError(error, target, 'flush to disk');
    });
    await handle.close();
    handle = null;
    throwIfCancelled(options.signal);
    await renameWithRetry(fs, temp, target, options);
    renamed = true;
    await syncDirectory(fs, dir);
    await removeLeftovers(fs, target);
  } finally {
    if (handle) await handle.close().catch(() => undefined);
    if (!renamed) await fs.unlink(temp).catch(() => undefined);
  }
}

async function renameWithRetry(
  fs: FileSystem,
  from: string,
  to: string,
  options: Pick<AtomicWriteOptions, 'sleep' | 'renameAttempts'>,
): Promise<void> {
  const attempts = options.renameAttempts ?? 6;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!RETRYABLE_RENAME.has(code) || attempt >= attempts) {
        throw ioError(error, to, 'replace');
      }
      // 50, 100, 200, 400 ms ...: long enough for a virus scanner to let go of the file.
      await options.sleep(50 * 2 ** (attempt - 1));
    }
  }
}

/**
 * Temporary files of earlier saves of this target that never reached the rename (the app
 * was killed mid-save). They are hidden and can be large, so the next good save clears them.
 */
export async function removeLeftovers(fs: FileSystem, target: string): Promise<void> {
  const prefix = `.${basename(target)}.`;
  const names = await fs.readdir(dirname(target)).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) {
      await fs.unlink(join(dirname(target), name)).catch(() => undefined);
    }
  }
}

async function existingMode(fs: FileSystem, target: string): Promise<number> {
  try {
    return (await fs.stat(target)).mode & 0o777;
  } catch {
    return 0o644;
  }
}

/** fsync on a folder makes a rename durable on POSIX; Windows cannot open folders, and need not. */
export async function syncDirectory(fs: FileSystem, dir: string): Promise<void> {
  let handle: Awaited<ReturnType<FileSystem['open']>> | null = null;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported on this platform or file system; the rename already happened.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('CANCELLED', 'Cancelled; nothing was written.');
}
