import { execFileSync } from 'node:child_process';

/**
 * Tests run the real bundles (engine worker thread, server, CLI process), so build the
 * Node side first; it takes well under a second. `npm test` also builds the renderer.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--node-only'], { stdio: 'inherit' });
}
