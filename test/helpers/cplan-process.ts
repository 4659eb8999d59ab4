/**
 * Runs the `cplan` command as users run it: the real bundle (dist/cli/cplan.cjs, built by
 * the global setup) in a child process, with its own TMPDIR so tests can check it leaves
 * nothing behind.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { tempDir } from './temp-dir';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CPLAN = join(ROOT, 'dist', 'cli', 'cplan.cjs');

export interface CplanRun {
  /** The exit code; null when the process did not exit on its own (see `signal`). */
  readonly code: number | null;
  /** The signal that ended it: SIGTERM when it ran past the workspace's time limit. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CplanWorkspace {
  /** A fresh folder the commands run in. */
  readonly dir: string;
  /** The CLI's TMPDIR, inside `dir`. */
  readonly tmp: string;
  run(...args: string[]): Promise<CplanRun>;
}

/**
 * A folder to run `cplan` in: by default a temp folder removed after the test; pass one to
 * keep it longer. A command still running after `timeoutMs` is killed, and its run says so
 * (`code` null, `signal` SIGTERM), so a command that never exits fails its test instead of
 * hanging the suite.
 */
export function cplanWorkspace(dir: string = tempDir('cplan-cli-test-'), timeoutMs = 120_000): CplanWorkspace {
  const tmp = join(dir, 'cli-tmp');
  mkdirSync(tmp);
  return {
    dir,
    tmp,
    run: (...args) =>
      new Promise((resolve, reject) => {
        const child = execFile(
          process.execPath,
          [CPLAN, ...args],
          { cwd: dir, env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
          (error, stdout, stderr) => {
            if (error && typeof error.code !== 'number' && !error.killed) {
              reject(error);
              return;
            }
            resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
          },
        );
      }),
  };
}

/** An error as users see it: exactly one line on stderr, prefixed with the command name; returns the message. */
export function expectOneLineError(run: CplanRun): string {
  expect(run.stderr).toMatch(/^cplan: [^\n]+\n$/);
  expect(run.stderr).not.toMatch(/Unexpected error|INTERNAL|\bat .+:\d+:\d+/);
  return run.stderr.slice('cplan: '.length, -1);
}

export function parseJson<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

export interface JsonFailure {
  readonly ok: false;
  readonly error: { readonly code: string; readonly message: string; readonly details?: Record<string, unknown> };
}

/**
 * A demo project made once per test file (`demo.cplan`, then `prepare`), copied to
 * `p.cplan` in a fresh workspace before each test; returns the current workspace.
 */
export function useDemoWorkspace(profiles: number, seed: string, prepare?: (template: CplanWorkspace) => Promise<void>): () => CplanWorkspace {
  let template: string | null = null;
  let workspace: CplanWorkspace | null = null;
  beforeAll(async () => {
    // Not tempDir(): that folder goes after each test, and the template serves them all.
    const dir = mkdtempSync(join(tmpdir(), `cplan-cli-${seed}-`));
    const maker = cplanWorkspace(dir);
    const made = await maker.run('demo', 'demo.cplan', '--profiles', String(profiles), '--seed', seed);
    expect(made.code, made.stderr).toBe(0);
    await prepare?.(maker);
    template = join(dir, 'demo.cplan');
  }, 120_000);
  afterAll(() => {
    if (template) rmSync(join(template, '..'), { recursive: true, force: true });
  });
  beforeEach(() => {
    workspace = cplanWorkspace();
    copyFileSync(template!, join(workspace.dir, 'p.cplan'));
  });
  return () => {
    if (!workspace) throw new Error('no workspace outside a test');
    return workspace;
  };
}
