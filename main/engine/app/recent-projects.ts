import { join } from 'node:path';
import { z } from 'zod';
import type { RecentProject } from '../../../shared/contract/app';
import type { FileSystem } from '../deps';
import { readJson, writeJson, type JsonStoreDeps } from './json-store';

/** Open Recent lists the last ten projects (issue 15); a longer list on disk (another version, a hand edit) is cut to them. */
export const MAX_RECENT = 10;

const RecentFile = z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.string() }));

/** The recent-projects list, kept as recent.json in the app's data folder. */
export class RecentProjects {
  private readonly file: string;

  constructor(private readonly deps: JsonStoreDeps & { readonly fs: FileSystem; readonly dataDir: string; readonly now: () => Date }) {
    this.file = join(deps.dataDir, 'recent.json');
  }

  async list(): Promise<RecentProject[]> {
    const entries = (await readJson(this.deps, this.file, RecentFile, [])).slice(0, MAX_RECENT);
    return Promise.all(
      entries.map(async (entry) => ({
        ...entry,
        exists: await this.deps.fs.stat(entry.path).then(
          (s) => s.isFile(),
          () => false,
        ),
      })),
    );
  }

  async touch(path: string, name: string): Promise<void> {
    const entries = await readJson(this.deps, this.file, RecentFile, []);
    const next = [
      { path, name, openedAt: this.deps.now().toISOString() },
      ...entries.filter((e) => e.path !== path),
    ].slice(0, MAX_RECENT);
    await this.save(next);
  }

  async forget(path: string): Promise<RecentProject[]> {
    const entries = await readJson(this.deps, this.file, RecentFile, []);
    await this.save(entries.filter((e) => e.path !== path));
    return this.list();
  }

  private async save(entries: z.infer<typeof RecentFile>): Promise<void> {
    await this.deps.fs.mkdir(this.deps.dataDir, { recursive: true });
    await writeJson(this.deps, this.file, entries);
  }
}
