#!/usr/bin/env node
// Runs the benchmarks in test/bench/*.bench.ts, each in its own Node process.
//   npm run bench                 all of them
//   npm run bench -- host-loop    those whose file name contains "host-loop"
// Each benchmark prints its figures and its targets, and exits non-zero if a target is missed.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Each benchmark runs with the V8 flags the app's host process starts with.
const launch = JSON.parse(readFileSync(join(root, 'main', 'host', 'launch-flags.json'), 'utf8'));
const hostFlags = launch.node;
const filters = process.argv.slice(2);
const benches = readdirSync(join(root, 'test/bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));

let failed = 0;
for (const file of benches) {
  const outfile = join(root, 'dist/bench', file.replace(/\.ts$/, '.cjs'));
  await build({
    entryPoints: [join(root, 'test/bench', file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    // Loaded from node_modules as it is: playwright-core reads its own package files at run time.
    external: ['playwright-core'],
    define: { __APP_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__cplan_import_meta_url' },
    banner: { js: "const __cplan_import_meta_url = require('url').pathToFileURL(__filename).href;" },
  });
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', ...hostFlags, outfile], { cwd: root, stdio: 'inherit', env: { ...launch.env, ...process.env } });
  if (run.status !== 0) failed += 1;
}
console.log(failed === 0 ? '\nAll benchmark targets met.' : `\n${failed} benchmark(s) missed a target.`);
process.exit(failed === 0 ? 0 : 1);
