import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository, as the tests see it (the UI benchmark, bundled into dist/bench, passes its own). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The built browser-mode server. */
export const SERVER_ENTRY = join(ROOT, 'dist', 'main', 'server.cjs');
