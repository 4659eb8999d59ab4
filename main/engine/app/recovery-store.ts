import { join } from 'node:path';
import { z } from 'zod';
import type { RecoveryCopy } from '../../../shared/contract/app';
import { EngineError } from '../../../shared/contract/errors';
import type { FileSystem } from '../deps';
import { writeFileAtomic } from '../project/atomic-write';
import type { ByteSource } from '../sqlite/database';
import { readJson, writeJson, type JsonStoreDeps } from './json-store';

const Note = z.object({
  id: z.string(),
  name: z.string(),
  originalPath: z.string().nullable(),
  writtenAt: z.string(),
  pid: z.number().int(),
});
type Note = z.infer<typeof Note>;

export interface RecoveryStoreDeps extends JsonStoreDeps {
  readonly fs: FileSystem;
  readonly dataDir: string;
  readonly now: () => Date;
  readonly pid: number;
  readonly isProcessAlive: (pid: number) => boolean;
}

/**
 * Recovery copies of unsaved work: `<data>/recovery/<session>.cplan` with a note
 * `<session>.json` (project name, its file, when, which process). A copy is deleted when
 * its project is saved or closed on purpose; what is left at the next start is work that a
 * crash or a killed app would otherwise have lost.
 */
/**
 * Recovery copies are whole projects: a copy of a 1 GB project takes seconds of disk work.
 * Its copy is written at most once per this many ms per byte (10 MB/s: a 100 MB project at
 * most every 10 s, a 1 GB one every 100 s), so that keeping work safe never makes the app
 * spend more than a small share of its time rewriting it.
 */
export const RECOVERY_MS_PER_BYTE = 1 / (10 * 1000 * 1000) * 1000;

export class RecoveryStore {
  readonly dir: string;
  /** When each session's copy was last written (ms since the epoch, by deps.now). */
  private readonly writtenAt = new Map<string, number>();

  constructor(private readonly deps: RecoveryStoreDeps) {
    this.dir = join(deps.dataDir, 'recovery');
  }

  private paths(id: string): { data: string; note: string } {
    return { data: join(this.dir, `${id}.cplan`), note: join(this.dir, `${id}.json`) };
  }

  /** Writes the copy from `bytes` (a database's snapshot is read in chunks: never whole in memory). */
  async write(id: string, bytes: Uint8Array | ByteSource, info: { name: string; originalPath: string | null }): Promise<void> {
    await this.deps.fs.mkdir(this.dir, { recursive: true });
    const { data, note } = this.paths(id);
    await writeFileAtomic(this.deps.fs, data, bytes, { randomId: this.deps.randomId, sleep: this.deps.sleep });
    const record: Note = { id, ...info, writtenAt: this.deps.now().toISOString(), pid: this.deps.pid };
    await writeJson(this.deps, note, record);
    this.writtenAt.set(id, this.deps.now().getTime());
  }

  /** How long to wait before the copy of a project of `sizeBytes` may be written again (0: now). */
  waitBeforeWriting(id: string, sizeBytes: number): number {
    const last = this.writtenAt.get(id);
    if (last === undefined) return 0;
    return Math.max(0, Math.ceil(last + sizeBytes * RECOVERY_MS_PER_BYTE - this.deps.now().getTime()));
  }

  /**
   * Copies left by sessions that are gone. Copies of another running instance of the app
   * are not offered: that instance still owns them.
   */
  async list(): Promise<RecoveryCopy[]> {
    let names: string[];
    try {
      names = await this.deps.fs.readdir(this.dir);
    } catch {
      return [];
    }
    const copies: RecoveryCopy[] = [];
    for (const name of names) {
      const match = /^([A-Za-z0-9_-]{1,64})\.cplan$/.exec(name);
      if (!match?.[1]) continue;
      const id = match[1];
      const { data, note } = this.paths(id);
      const stats = await this.deps.fs.stat(data).catch(() => null);
      if (!stats) continue;
      const record = await readJson(this.deps, note, Note.nullable(), null);
      if (record && record.pid !== this.deps.pid && this.deps.isProcessAlive(record.pid)) continue;
      copies.push({
        id,
        name: record?.name ?? 'Unsaved project',
        originalPath: record?.originalPath ?? null,
        writtenAt: record?.writtenAt ?? stats.mtime.toISOString(),
        sizeBytes: stats.size,
      });
    }
    return copies.sort((a, b) => b.writtenAt.localeCompare(a.writtenAt));
  }

  async find(id: string): Promise<RecoveryCopy & { path: string }> {
    const copy = (await this.list()).find((c) => c.id === id);
    if (!copy) {
      throw new EngineError('NOT_FOUND', 'That recovery copy no longer exists.', { id });
    }
    return { ...copy, path: this.paths(id).data };
  }

  async discard(id: string): Promise<void> {
    this.writtenAt.delete(id);
    const { data, note } = this.paths(id);
    await this.deps.fs.rm(data, { force: true });
    await this.deps.fs.rm(note, { force: true });
  }
}
