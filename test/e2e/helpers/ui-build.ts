import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SERVER_ENTRY } from './app-paths';

const RENDERER_SRC = join(ROOT, 'renderer');
const RENDERER_INDEX = join(ROOT, 'dist', 'renderer', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The e2e tests drive the built UI (dist/renderer), as a user gets it. `npm test` builds
 * it first; when it is missing or older than its sources (vitest run directly after an
 * edit), it is built here, so a test never checks a stale UI. The global setup builds the
 * Node bundles.
 */
export async function ensureRendererBuilt(): Promise<void> {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`${SERVER_ENTRY} is missing: run "node scripts/build.mjs" first.`);
  }
  if (existsSync(RENDERER_INDEX) && statSync(RENDERER_INDEX).mtimeMs >= newestMtime(RENDERER_SRC)) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), root: RENDERER_SRC, logLevel: 'warn' });
}
