import { basename } from 'node:path';
import type { OpenProjectState } from '../../../shared/contract/project';
import type { SqlDb } from '../sqlite/database';
import { readMeta } from './project-file';
import { schemaVersionOf } from './schema';
import type { FileIdentity } from './written-files';

/** One open project: its in-memory database and where it belongs on disk. */
export class ProjectSession {
  dirty = false;
  /** Bumped by every change; the recovery writer compares it with what it last wrote. */
  changeCount = 0;
  recoveryWrittenAt = 0;
  hasRecoveryCopy = false;
  /** The format version of the file on disk (older when opening migrated it); null if never saved. */
  fileSchemaVersion: number | null = null;
  /** What opening a cleaned copy removed or rebuilt; emptied by the next save. */
  cleaned: readonly string[] = [];
  /**
   * The file the database's bytes were last read from or written to, as it was then; null
   * when the database is not a file's (new, recovered). A save into that file, unchanged
   * since, writes only what changed (save-project.ts).
   */
  onDisk: { readonly path: string; readonly identity: FileIdentity } | null = null;

  constructor(
    readonly id: string,
    public db: SqlDb,
    public path: string | null,
    public savedAt: string | null,
    public recovered: boolean,
  ) {}

  markChanged(): void {
    this.dirty = true;
    this.changeCount += 1;
  }

  state(): OpenProjectState {
    const meta = readMeta(this.db, this.path);
    return {
      open: true,
      sessionId: this.id,
      name: meta.name,
      description: meta.description,
      path: this.path,
      fileName: this.path === null ? null : basename(this.path),
      dirty: this.dirty,
      savedAt: this.savedAt,
      clock: meta.clock,
      schemaVersion: schemaVersionOf(this.db),
      recovered: this.recovered,
      ...(this.cleaned.length > 0 ? { cleaned: [...this.cleaned] } : {}),
    };
  }

  close(): void {
    this.db.close();
  }
}
