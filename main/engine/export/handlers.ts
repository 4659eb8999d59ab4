import { basename } from 'node:path';
import { EngineError } from '../../../shared/contract/errors';
import { writeFileAtomicStream, type WritableFile } from '../project/atomic-write';
import { refreshGcg } from '../gcg/refresh';
import { defineHandlers } from '../registry';
import { planExport, writeProfilesCsv } from './profile-export';

const SYNC_EVERY_BYTES = 32 * 1024 * 1024;

/** Writes all of `bytes` (a file handle may take fewer in one call). */
async function writeAll(handle: WritableFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

export const exportHandlers = defineHandlers({
  /**
   * Streams the CSV to a temporary file next to the target and renames it into place when
   * complete, so the target is never half-written; a cancel or a failure leaves neither the
   * target nor a temporary file behind. Each chunk is handed to the disk while the next one
   * is built.
   */
  'export/profiles': async (args, ctx) => {
    const started = performance.now();
    const { db } = ctx.state.requireSession();
    const { deps } = ctx;
    // The GCG first takes in profiles that arrived since it last looked, as gcg/members shows it.
    const scope = args.scope;
    if (scope?.kind === 'gcg' || (scope?.kind === 'campaign' && scope.group === 'gcg')) await refreshGcg(ctx, args.databaseId);
    const plan = planExport(db, args);
    const existing = await deps.fs.stat(args.path).catch(() => null);
    if (existing?.isDirectory()) {
      throw new EngineError('INVALID_ARGUMENT', `"${args.path}" is a folder; choose a file name.`, { path: args.path });
    }
    if (existing && !args.overwrite) {
      throw new EngineError('ALREADY_EXISTS', `"${basename(args.path)}" already exists. Confirm to replace it.`, { path: args.path });
    }
    const phase = 'Writing profiles';
    ctx.progress(phase, 0, plan.rows, 'rows');
    let result = { rows: 0, bytes: 0 };
    await writeFileAtomicStream(
      deps.fs,
      args.path,
      async (handle) => {
        let writing: Promise<void> = Promise.resolve();
        let syncing: Promise<void> = Promise.resolve();
        let unsynced = 0;
        try {
          result = await writeProfilesCsv(db, plan, {
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
              ctx.progress(phase, rows, plan.rows, 'rows');
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
    ctx.progress(phase, plan.rows, plan.rows, 'rows');
    return { path: args.path, rows: result.rows, bytes: result.bytes, durationMs: performance.now() - started };
  },
});
