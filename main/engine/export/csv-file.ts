/**
 * Writing a CSV export to disk: refused onto a folder, or onto an existing file without
 * `overwrite`; streamed to a temporary file next to the target and renamed into place
 * when complete, so the target is never half-written; a cancel or a failure leaves neither
 * the target nor a temporary file behind. Each chunk is handed to the disk while the next
 * one is built. Profile and event exports both write through here.
 */
import { basename } from 'node:path';
import { EngineError } from '../../../shared/contract/errors';
import { writeFileAtomicStream, type WritableFile } from '../project/atomic-write';
import type { HandlerContext } from '../registry';
import type { CsvSink } from './profile-export';

const SYNC_EVERY_BYTES = 32 * 1024 * 1024;

/** Writes all of `bytes` (a file handle may take fewer in one call). */
async function writeAll(handle: WritableFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

/** Refuses a folder, or an existing file unless it may be replaced. */
export async function checkExportTarget(ctx: HandlerContext, path: string, overwrite: boolean | undefined): Promise<void> {
  const existing = await ctx.deps.fs.stat(path).catch(() => null);
  if (existing?.isDirectory()) {
    throw new EngineError('INVALID_ARGUMENT', `"${path}" is a folder; choose a file name.`, { path });
  }
  if (existing && !overwrite) {
    throw new EngineError('ALREADY_EXISTS', `"${basename(path)}" already exists. Confirm to replace it.`, { path });
  }
}

/** Streams what `produce` writes to its sink into `path`, atomically. */
export async function writeCsvFile(
  ctx: HandlerContext,
  path: string,
  produce: (sink: CsvSink) => Promise<{ rows: number; bytes: number }>,
  onProgress: (rows: number) => void,
): Promise<{ rows: number; bytes: number }> {
  const { deps } = ctx;
  let result = { rows: 0, bytes: 0 };
  await writeFileAtomicStream(
    deps.fs,
    path,
    async (handle) => {
      let writing: Promise<void> = Promise.resolve();
      let syncing: Promise<void> = Promise.resolve();
      let unsynced = 0;
      try {
        result = await produce({
          async write(bytes) {
            await writing;
            writing = writeAll(handle, bytes);
            // Keep a rejection for the next await, not as an unhandled one.
            writing.catch(() => undefined);
            // Every few tens of megabytes, the disk starts flushing what is written while
            // the next chunks are built and written, so the flush before the rename is short.
            unsynced += bytes.byteLength;
            if (unsynced >= SYNC_EVERY_BYTES) {
              unsynced = 0;
              const written = writing;
              syncing = Promise.all([syncing, written]).then(() => handle.datasync());
              syncing.catch(() => undefined);
            }
          },
          async progress(rows) {
            onProgress(rows);
            await ctx.checkpoint();
          },
        });
        await writing;
        await syncing;
      } finally {
        // Never leave a write or a flush in flight on a handle that is about to be closed.
        await writing.catch(() => undefined);
        await syncing.catch(() => undefined);
      }
    },
    { signal: ctx.signal, randomId: deps.randomId, sleep: deps.sleep },
  );
  return result;
}
