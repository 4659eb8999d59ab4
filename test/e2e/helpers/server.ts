import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import launchFlags from '../../../main/host/launch-flags.json';
import { ROOT, SERVER_ENTRY } from './app-paths';

export interface BrowserModeServer {
  /** The address to open, with the token in its fragment. */
  readonly openUrl: string;
  /** The server's origin, without the token. */
  readonly origin: string;
  /** The engine's home folder: where the in-app file browser starts. */
  readonly home: string;
  /** The server process (its memory is read from /proc by the UI benchmark). */
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `node <host flags> dist/main/server.cjs --port 0` with the host's environment (as `npm run serve` does) with its own data folder and home folder in
 * `dir`, and waits for the address it prints. `root`: where the built server is (the benchmarks run from dist/bench).
 */
export async function startBrowserModeServer(dir: string, root = { cwd: ROOT, entry: SERVER_ENTRY }): Promise<BrowserModeServer> {
  const home = join(dir, 'home');
  const dataDir = join(dir, 'data');
  mkdirSync(home, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, [...launchFlags.node, root.entry, '--port', '0'], {
    cwd: root.cwd,
    env: { ...launchFlags.env, ...process.env, CPLAN_DATA_DIR: dataDir, HOME: home, USERPROFILE: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const openUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server printed no address within 20 s. Output:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with code ${code} before printing its address. Output:\n${output}`));
    });
  });
  return {
    openUrl,
    origin: new URL(openUrl).origin,
    home,
    pid: child.pid ?? 0,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
