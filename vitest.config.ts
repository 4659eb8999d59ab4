import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/bench/**', 'node_modules/**'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start real worker threads, servers, processes and Chromium: keep files apart.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    // One more run for a failed test: the browser flows race the machine's load in ways a
    // second run rules out (a real failure fails twice). Vitest reports every retry; the
    // flakes found so far are listed and fixed in the issue notes.
    retry: 1,
  },
});
