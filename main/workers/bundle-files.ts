import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds a worker bundle the build puts next to the bundle that runs (dist/main for the app
 * and browser mode, dist/cli for the CLI; in a packaged app in app.asar.unpacked, because a
 * worker thread cannot start from inside the asar archive), else in dist/main of the source
 * tree (tests run the sources; their global setup builds dist first). Null when missing.
 */
export function locateBundle(fileName: string): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, fileName),
    join(here.replace(/app\.asar(?=[\\/]|$)/, 'app.asar.unpacked'), fileName),
    join(here, '..', '..', 'dist', 'main', fileName),
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}
