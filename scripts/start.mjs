#!/usr/bin/env node
// `npm start`: builds everything, then launches the desktop app in Electron. Where
// Electron's binary cannot be had (its download is blocked, as on the CI machine) or
// cannot open a window (no display), it says so in one line and starts browser mode
// (dist/main/server.cjs, which prints the address to open) instead.
//
//   npm start [-- args...]    extra arguments go to the app (or to the server)
//   npm run serve [-- args...]  browser mode only (start.mjs --browser)
//
// Environment:
//   CPLAN_ELECTRON_PATH             use this Electron binary; no download is attempted
//   CPLAN_ELECTRON_DIR              the electron package (default node_modules/electron)
//   CPLAN_ELECTRON_INSTALL_TIMEOUT_MS  how long the download may take (default 60000)
//   CPLAN_START_SKIP_BUILD=1        launch what is already in dist/
//   CPLAN_START_DRY_RUN=1           print what would be launched instead of launching it
//                                   (skips the build; still looks for, and may download,
//                                   Electron)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
// `--browser` (npm run serve) starts browser mode even where Electron could run.
const browserOnly = process.argv.includes('--browser');
const args = process.argv.slice(2).filter((arg) => arg !== '--browser');
/** V8 flags the engine's host process starts with (why: in the file). */
const launch = JSON.parse(readFileSync(join(root, 'main', 'host', 'launch-flags.json'), 'utf8'));
const hostFlags = launch.node;
/** The host's environment: the launch file's variables (why: in the file) under the user's own. */
const hostEnv = { ...launch.env, ...env };
const dryRun = env.CPLAN_START_DRY_RUN === '1';
const fallbackLine = (reason) =>
  `Electron's binary is not available on this machine (${reason}), so Campaign Planner starts in browser mode instead.`;

if (!dryRun && env.CPLAN_START_SKIP_BUILD !== '1') {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const electron = browserOnly ? { ok: false } : findElectron();
if (browserOnly) {
  startBrowserMode(null);
} else if (!electron.ok) {
  startBrowserMode(fallbackLine(electron.reason));
} else if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
  startBrowserMode(
    'No display is available (DISPLAY and WAYLAND_DISPLAY are unset), so Campaign Planner starts in browser mode instead.',
  );
} else {
  startElectron(electron.path);
}

/** Where the binary is, or why there is none. Tries the package's download once. */
function findElectron() {
  if (env.CPLAN_ELECTRON_PATH) {
    return existsSync(env.CPLAN_ELECTRON_PATH)
      ? { ok: true, path: env.CPLAN_ELECTRON_PATH }
      : { ok: false, reason: `CPLAN_ELECTRON_PATH names no file: ${env.CPLAN_ELECTRON_PATH}` };
  }
  const packageDir = env.CPLAN_ELECTRON_DIR ?? join(root, 'node_modules', 'electron');
  const located = binaryIn(packageDir);
  if (located && existsSync(located)) return { ok: true, path: located };
  const installer = join(packageDir, 'install.js');
  if (!existsSync(installer)) return { ok: false, reason: 'the electron package is not installed' };
  // The package's own installer downloads the binary; its output is kept out of the
  // console, because on failure all the user needs is the one line below.
  const installed = spawnSync(process.execPath, [installer], {
    cwd: packageDir,
    env,
    encoding: 'utf8',
    stdio: 'pipe',
    timeout: Number(env.CPLAN_ELECTRON_INSTALL_TIMEOUT_MS ?? 60_000),
  });
  const after = binaryIn(packageDir);
  if (installed.status === 0 && after && existsSync(after)) return { ok: true, path: after };
  return { ok: false, reason: installed.error?.code === 'ETIMEDOUT' ? 'its download timed out' : 'its download failed' };
}

/** The binary named by the package's path.txt (written by its installer), or null. */
function binaryIn(packageDir) {
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  return join(distDir, readFileSync(pathFile, 'utf8').trim());
}

function startElectron(binary) {
  // The project folder, not the bundle: Electron then reads package.json (name, version,
  // main = dist/main/app.cjs) as it will in the packaged app.
  // Electron's main process reads V8 flags only from its own command line.
  const electronArgs = [`--js-flags=${hostFlags.join(' ')}`, root, ...args];
  if (dryRun) {
    console.log(`dry run: electron ${JSON.stringify(binary)} ${electronArgs.map((a) => JSON.stringify(a)).join(' ')}`);
    console.log(`dry run: environment ${launchEnvLine()}`);
    return;
  }
  const childEnv = { ...hostEnv };
  // Inherited from an Electron-based terminal or tool, it would make Electron run as Node.
  delete childEnv.ELECTRON_RUN_AS_NODE;
  run(binary, electronArgs, childEnv, (error) => {
    startBrowserMode(fallbackLine(`it could not be started: ${error.code ?? error.message}`));
  });
}

function startBrowserMode(line) {
  if (line) console.error(line);
  const server = join(root, 'dist', 'main', 'server.cjs');
  const serverArgs = [...hostFlags, server, ...toServerArgs(args)];
  if (dryRun) {
    console.log(`dry run: browser mode: ${JSON.stringify(process.execPath)} ${serverArgs.map((a) => JSON.stringify(a)).join(' ')}`);
    console.log(`dry run: environment ${launchEnvLine()}`);
    return;
  }
  if (!existsSync(server)) {
    console.error(`Browser mode is not built either (${server} is missing); run npm run build and check its output.`);
    process.exit(1);
  }
  run(process.execPath, serverArgs, hostEnv, (error) => {
    console.error(`Browser mode could not start: ${error.message}`);
    process.exit(1);
  });
}

/** The launch file's variables as the host gets them (the user's own value wins): NAME=value ... */
function launchEnvLine() {
  return Object.keys(launch.env).map((name) => `${name}=${hostEnv[name]}`).join(' ');
}

/**
 * The desktop app takes a project file as a bare argument (`npm start -- plan.cplan`);
 * the server wants `--open plan.cplan`. Everything else passes through unchanged.
 */
function toServerArgs(appArgs) {
  return appArgs.flatMap((arg, i) =>
    !arg.startsWith('-') && arg.toLowerCase().endsWith('.cplan') && appArgs[i - 1] !== '--open' ? ['--open', arg] : [arg],
  );
}

/** Runs a child with the console attached; this process ends with the child's exit code. */
function run(command, commandArgs, childEnv, onSpawnError) {
  const child = spawn(command, commandArgs, { cwd: root, env: childEnv, stdio: 'inherit' });
  // Signals are passed on, and this process waits for the child to finish. (Ctrl+C in a
  // terminal reaches both; npm or a supervisor may signal only this process.)
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  const release = () => signals.forEach((signal) => process.off(signal, forward));
  signals.forEach((signal) => process.on(signal, forward));
  child.once('error', (error) => {
    release();
    onSpawnError(error);
  });
  child.once('exit', (code, signal) => {
    release();
    // A child killed by a signal ends this process the way a shell reports it: 128 + n.
    process.exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
  });
}
