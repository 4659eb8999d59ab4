import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

/** The largest file a browser may hand over (a CSV dropped on the page). */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;

/** A file name safe to create: no folders, no control or reserved characters, not hidden. */
export function safeUploadName(name: string | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 150)
    .trim();
  return cleaned === '' ? 'upload.csv' : cleaned;
}

/**
 * Browser mode cannot tell the engine where a dropped file is, so the page sends its bytes
 * and the server keeps them in a private folder for this run; the engine then reads that
 * path like any other. The folder is removed when the server stops.
 */
export class UploadStore {
  constructor(readonly dir: string) {}

  async receive(req: IncomingMessage, name: string | null, limit = MAX_UPLOAD_BYTES): Promise<string> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) throw new UploadTooLarge(limit);
    const folder = join(this.dir, randomBytes(8).toString('hex'));
    await mkdir(folder, { recursive: true });
    const path = join(folder, safeUploadName(name));
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limit) done(new UploadTooLarge(limit));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(req, counter, createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    return path;
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

export class UploadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than ${limit} bytes.`);
  }
}
