/**
 * Project files this installation wrote itself (or checked in full when opening them), and
 * has not seen change since: opening such a file skips SQLite's full integrity check
 * (reading every page of a 1 GB file took 10 to 20 s), while a file from anyone else, or
 * changed by anyone else since, is still checked in full (DESIGN: trust nothing this
 * version did not write).
 *
 * The record is `written-files.json` in the app's data folder (the CLI and browser mode
 * share it with the desktop app; data-dir.ts): per file, its path and what the operating
 * system says of it right after the save: device, inode, size, modification and change
 * times (ctime cannot be set back by a program, so a file rewritten and "touched" back to
 * its old time still differs). Any difference means someone else (or a restore, a sync
 * tool, a damaged disk) changed the file: it is checked in full again. The schema check
 * (foreign triggers, views...) runs on every open whatever this record says: it is cheap.
 * Losing the record (two processes writing it at once, a deleted data folder) only costs
 * a full check.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { FileSystem } from '../deps';
import { readJson, writeJson, type JsonStoreDeps } from '../app/json-store';

/** What identifies one state of a file on disk (the fields of fs.stat that any write changes). */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

const Identity = z.object({ dev: z.number(), ino: z.number(), size: z.number(), mtimeMs: z.number(), ctimeMs: z.number() });
const Record = z.object({ path: z.string(), identity: Identity });
const RecordFile = z.array(Record);

/** The most recently saved files remembered; older ones are checked in full when opened. */
const MAX_FILES = 64;

export const WRITTEN_FILES_NAME = 'written-files.json';

/** The identity of the file at `path` now. */
export async function fileIdentity(fs: FileSystem, path: string): Promise<FileIdentity> {
  const s = await fs.stat(path);
  return { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs };
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

export class WrittenFiles {
  private readonly file: string;

  constructor(
    private readonly deps: JsonStoreDeps & { readonly fs: FileSystem },
    dir: string,
  ) {
    this.file = join(dir, WRITTEN_FILES_NAME);
  }

  /** Whether `path` is, byte for byte as far as the file system tells, a file this installation wrote. */
  async wroteThis(path: string, now: FileIdentity): Promise<boolean> {
    const records = await readJson(this.deps, this.file, RecordFile, []);
    const record = records.find((r) => r.path === path);
    return record !== undefined && sameIdentity(record.identity, now);
  }

  /** Notes that this installation just wrote `path` (its identity read after the write). */
  async remember(path: string, identity: FileIdentity): Promise<void> {
    const records = await readJson(this.deps, this.file, RecordFile, []);
    const next = [{ path, identity }, ...records.filter((r) => r.path !== path)].slice(0, MAX_FILES);
    await this.deps.fs.mkdir(join(this.file, '..'), { recursive: true });
    await writeJson(this.deps, this.file, next);
  }
}
