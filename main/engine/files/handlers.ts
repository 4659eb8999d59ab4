import { dirname, join, resolve } from 'node:path';
import type { DirectoryEntry } from '../../../shared/contract/files';
import { EngineError } from '../../../shared/contract/errors';
import { ioError } from '../fs-errors';
import { defineHandlers } from '../registry';

export const fileHandlers = defineHandlers({
  'files/list': async ({ dir, extensions }, { deps }) => {
    const folder = resolve(deps.homeDir, dir ?? deps.homeDir);
    const stats = await deps.fs.stat(folder).catch((error: unknown) => {
      throw ioError(error, folder, 'open the folder');
    });
    if (!stats.isDirectory()) {
      throw new EngineError('INVALID_ARGUMENT', `"${folder}" is a file, not a folder.`, { path: folder });
    }
    const dirents = await deps.fs.readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
      throw ioError(error, folder, 'list the folder');
    });
    const wanted = extensions?.map((e) => e.toLowerCase());
    const entries: DirectoryEntry[] = [];
    for (const dirent of dirents) {
      if (dirent.name.startsWith('.')) continue;
      const path = join(folder, dirent.name);
      // Links are followed, so a linked folder or project shows as what it points to.
      const info = await deps.fs.stat(path).catch(() => null);
      if (!info) continue;
      if (info.isDirectory()) {
        entries.push({ name: dirent.name, path, kind: 'directory', sizeBytes: null, modifiedAt: info.mtime.toISOString() });
      } else if (info.isFile() && (!wanted || wanted.some((ext) => dirent.name.toLowerCase().endsWith(ext)))) {
        entries.push({ name: dirent.name, path, kind: 'file', sizeBytes: info.size, modifiedAt: info.mtime.toISOString() });
      }
    }
    entries.sort((a, b) =>
      a.kind === b.kind ? a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }) : a.kind === 'directory' ? -1 : 1,
    );
    const parent = dirname(folder);
    return { dir: folder, parent: parent === folder ? null : parent, home: deps.homeDir, entries };
  },
});
