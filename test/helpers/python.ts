/**
 * Debian's python3 as a peer for the statistics tests (scipy, statsmodels): a test compares
 * with it when the modules are installed and skips cleanly when they are not.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';

/** Whether python3 is there and imports every module named ("scipy", "statsmodels"). */
export function pythonHas(...modules: string[]): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a script that prints one JSON value, and returns it parsed; throws with Python's error when the script fails. */
export function runPython<T>(script: string): T {
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 failed (${run.status ?? run.signal}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
