import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import launchFlags from '../../../main/host/launch-flags.json';
import { tempDir } from '../../helpers/temp-dir';

// scripts/start.mjs is run as a process, the way `npm start` runs it.
const root = process.cwd();
const script = join(root, 'scripts/start.mjs');
const FALLBACK = /^Electron's binary is not available on this machine \((.+)\), so Campaign Planner starts in browser mode instead\.$/;

function start(args: string[], env: Record<string, string>) {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('CPLAN_') && !key.startsWith('ELECTRON_') && key !== 'DISPLAY' && key !== 'WAYLAND_DISPLAY' && !(key in launchFlags.env)) {
      clean[key] = value;
    }
  }
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: root,
    env: { ...clean, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, lines: result.stderr.split('\n').filter(Boolean) };
}

/** An executable that prints its arguments and exits with `code`: a stand-in Electron. */
function fakeBinary(dir: string, code = 0): string {
  const file = join(dir, 'electron');
  writeFileSync(file, `#!${process.execPath}\nconsole.log('fake electron ' + JSON.stringify(process.argv.slice(2)));\nprocess.exit(${code});\n`);
  chmodSync(file, 0o755);
  return file;
}

/** An electron package folder whose install.js runs `body`. */
function electronPackage(body: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'install.js'), body);
  return dir;
}

const dryRun = { CPLAN_START_DRY_RUN: '1' };
const quoted = (items: readonly string[]) => items.map((item) => JSON.stringify(item)).join(' ');
const HOST_FLAGS = quoted(launchFlags.node);
const JS_FLAGS = JSON.stringify(`--js-flags=${launchFlags.node.join(' ')}`);
/** The dry run's second line: the host's environment from the launch file. */
const ENV_LINE = `dry run: environment ${Object.entries(launchFlags.env).map(([name, value]) => `${name}=${value}`).join(' ')}`;

describe('scripts/start.mjs', () => {
  it('falls back to browser mode in one line when the named binary is missing', () => {
    const missing = join(tempDir(), 'no-electron');
    const run = start(['--port', '0'], { ...dryRun, CPLAN_ELECTRON_PATH: missing, DISPLAY: ':99' });
    expect(run.code).toBe(0);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(FALLBACK);
    expect(run.lines[0]).toContain(`CPLAN_ELECTRON_PATH names no file: ${missing}`);
    expect(run.stdout.trim()).toBe(
      `dry run: browser mode: ${JSON.stringify(process.execPath)} ${HOST_FLAGS} ${JSON.stringify(join(root, 'dist/main/server.cjs'))} "--port" "0"\n${ENV_LINE}`,
    );
  });

  it('starts browser mode only, with the host flags, when asked with --browser (npm run serve)', () => {
    const run = start(['--browser', '--port', '0'], { ...dryRun, CPLAN_ELECTRON_PATH: fakeBinary(tempDir()), DISPLAY: ':99' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(
      `dry run: browser mode: ${JSON.stringify(process.execPath)} ${HOST_FLAGS} ${JSON.stringify(join(root, 'dist/main/server.cjs'))} "--port" "0"\n${ENV_LINE}`,
    );
  });

  it('launches Electron on the project folder, passing arguments through', () => {
    const binary = fakeBinary(tempDir());
    const run = start(['--inspect', 'plan.cplan'], { ...dryRun, CPLAN_ELECTRON_PATH: binary, DISPLAY: ':99' });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(`dry run: electron ${JSON.stringify(binary)} ${JS_FLAGS} ${JSON.stringify(root)} "--inspect" "plan.cplan"\n${ENV_LINE}`);
  });

  it('tries the electron package’s download once, and keeps its output out of the console', () => {
    const pkg = electronPackage("console.error('HTTPError: getaddrinfo ENOTFOUND github.com'); process.exit(1);");
    const run = start([], { ...dryRun, CPLAN_ELECTRON_DIR: pkg, DISPLAY: ':99' });
    expect(run.code).toBe(0);
    expect(run.lines).toEqual([expect.stringMatching(FALLBACK)]);
    expect(run.lines[0]).toContain('(its download failed)');
    expect(run.stdout + run.stderr).not.toContain('ENOTFOUND');
  });

  it('uses the binary once the download succeeds', () => {
    const install = `
      const fs = require('fs'), path = require('path');
      fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
      fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), '#!/bin/sh\\n', { mode: 0o755 });
      fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');`;
    const pkg = electronPackage(install);
    const run = start([], { ...dryRun, CPLAN_ELECTRON_DIR: pkg, DISPLAY: ':99' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(`dry run: electron ${JSON.stringify(join(pkg, 'dist', 'electron'))} ${JS_FLAGS} ${JSON.stringify(root)}\n${ENV_LINE}`);
  });

  it('gives up on a download that hangs', () => {
    const pkg = electronPackage('setTimeout(() => {}, 60000);');
    const run = start([], { ...dryRun, CPLAN_ELECTRON_DIR: pkg, CPLAN_ELECTRON_INSTALL_TIMEOUT_MS: '500', DISPLAY: ':99' });
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toContain('(its download timed out)');
  });

  it('says so when the electron package is not installed at all', () => {
    const run = start([], { ...dryRun, CPLAN_ELECTRON_DIR: tempDir(), DISPLAY: ':99' });
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toContain('(the electron package is not installed)');
  });

  it.runIf(process.platform === 'linux')('starts browser mode when Linux has no display to open a window on', () => {
    const run = start([], { ...dryRun, CPLAN_ELECTRON_PATH: fakeBinary(tempDir()) });
    expect(run.lines).toEqual([
      'No display is available (DISPLAY and WAYLAND_DISPLAY are unset), so Campaign Planner starts in browser mode instead.',
    ]);
    expect(run.stdout).toContain('dry run: browser mode:');
  });

  it('turns a project file argument into the server’s --open', () => {
    const run = start(['plan.cplan', '--port', '0'], { ...dryRun, CPLAN_ELECTRON_PATH: '/no/such/electron' });
    expect(run.stdout).toContain('"--open" "plan.cplan" "--port" "0"');
  });

  it('really launches the binary and ends with its exit code', () => {
    const binary = fakeBinary(tempDir(), 3);
    const run = start(['--flag'], { CPLAN_START_SKIP_BUILD: '1', CPLAN_ELECTRON_PATH: binary, DISPLAY: ':99' });
    expect(run.code).toBe(3);
    expect(run.stdout.trim()).toBe(`fake electron ${JSON.stringify([`--js-flags=${launchFlags.node.join(' ')}`, root, '--flag'])}`);
  });

  it('starts the host with the launch file\u2019s environment, under the user\u2019s own values', () => {
    const dir = tempDir();
    const binary = join(dir, 'electron');
    const names = Object.keys(launchFlags.env);
    writeFileSync(binary, `#!${process.execPath}\nconsole.log(JSON.stringify(${JSON.stringify(names)}.map((n) => process.env[n] ?? null)));\n`);
    chmodSync(binary, 0o755);
    const [first, ...rest] = names;
    const run = start([], { CPLAN_START_SKIP_BUILD: '1', CPLAN_ELECTRON_PATH: binary, DISPLAY: ':99', [first!]: '7' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['7', ...rest.map((name) => launchFlags.env[name as keyof typeof launchFlags.env])]);
  });

  it('really starts the browser-mode server as the fallback', () => {
    const run = start(['--version'], { CPLAN_START_SKIP_BUILD: '1', CPLAN_ELECTRON_PATH: '/no/such/electron', DISPLAY: ':99' });
    expect(run.code).toBe(0);
    expect(run.lines).toEqual([expect.stringMatching(FALLBACK)]);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('falls back when the binary exists but cannot be started', () => {
    const dir = tempDir();
    const notExecutable = join(dir, 'electron');
    mkdirSync(notExecutable);
    const run = start(['--version'], { CPLAN_START_SKIP_BUILD: '1', CPLAN_ELECTRON_PATH: notExecutable, DISPLAY: ':99' });
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(/\(it could not be started: E[A-Z]+\)/);
    expect(run.code).toBe(0);
  });

  it('passes a stop signal on to browser mode and ends when it has shut down', async () => {
    const child = spawn(process.execPath, [script, '--port', '0'], {
      cwd: root,
      env: {
        ...process.env,
        CPLAN_START_SKIP_BUILD: '1',
        CPLAN_ELECTRON_PATH: '/no/such/electron',
        CPLAN_DATA_DIR: tempDir(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await vi.waitFor(() => expect(output).toContain('Press Ctrl+C to stop.'), { timeout: 20_000 });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
