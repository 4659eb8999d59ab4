#!/usr/bin/env node
// Builds everything the app runs: the renderer with Vite, and the Node side (Electron
// main, preload, engine worker, server, CLI) with esbuild as CommonJS bundles.
//   node scripts/build.mjs              all
//   node scripts/build.mjs --node-only  skip the renderer (used by `prepare`)
import { build as esbuild } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, existsSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nodeOnly = process.argv.includes('--node-only');
const started = Date.now();

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  define: {
    __APP_VERSION__: JSON.stringify(pkg.version),
    // CommonJS bundles have no import.meta; sources use import.meta.url to find files.
    'import.meta.url': '__cplan_import_meta_url',
  },
  banner: { js: "const __cplan_import_meta_url = require('url').pathToFileURL(__filename).href;" },
  external: ['electron'],
};

const entries = [
  { in: 'main/app/main.ts', out: 'dist/main/app.cjs' },
  // A sandboxed preload has no __filename (nor require beyond a few modules): no banner.
  { in: 'main/app/preload.ts', out: 'dist/main/preload.cjs', sandboxed: true },
  { in: 'main/engine/worker-entry.ts', out: 'dist/main/engine-worker.cjs' },
  // The CSV import's parse worker, started by the engine next to its own bundle (the CLI
  // runs the engine in its process, so it needs a copy beside it too).
  { in: 'main/engine/import/parse-worker.ts', out: 'dist/main/import-worker.cjs' },
  { in: 'main/engine/import/parse-worker.ts', out: 'dist/cli/import-worker.cjs' },
  // Opening's check of a project file, in a thread that is stopped after a time limit.
  { in: 'main/engine/project/check-worker.ts', out: 'dist/main/check-worker.cjs' },
  { in: 'main/engine/project/check-worker.ts', out: 'dist/cli/check-worker.cjs' },
  // An events write's sorting and batch filling (events/event-batches.ts), beside the engine.
  { in: 'main/engine/events/batch-worker.ts', out: 'dist/main/events-worker.cjs' },
  { in: 'main/engine/events/batch-worker.ts', out: 'dist/cli/events-worker.cjs' },
  // The split worker pool's thread (hashing a million IDs), beside the engine that starts it.
  { in: 'main/workers/split-worker.ts', out: 'dist/main/split-worker.cjs' },
  { in: 'main/workers/split-worker.ts', out: 'dist/cli/split-worker.cjs' },
  { in: 'main/server/main.ts', out: 'dist/main/server.cjs' },
  { in: 'main/cli/bin.ts', out: 'dist/cli/cplan.cjs', shebang: true },
].filter((entry) => existsSync(join(root, entry.in)));

await Promise.all(
  entries.map((entry) =>
    esbuild({
      ...common,
      entryPoints: [join(root, entry.in)],
      outfile: join(root, entry.out),
      banner: entry.sandboxed ? {} : entry.shebang ? { js: `#!/usr/bin/env node\n${common.banner.js}` } : common.banner,
    }),
  ),
);
const cli = join(root, 'dist/cli/cplan.cjs');
if (existsSync(cli)) chmodSync(cli, 0o755);

const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
for (const dir of ['dist/main', 'dist/cli']) {
  mkdirSync(join(root, dir), { recursive: true });
  copyFileSync(wasm, join(root, dir, 'sql-wasm.wasm'));
}

if (!nodeOnly) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}
console.log(`build: ${nodeOnly ? 'node bundles' : 'renderer and node bundles'} in ${Date.now() - started} ms`);
