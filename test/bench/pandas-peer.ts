/** The analyst's usual route the import benchmarks compare with: Debian's python3-pandas. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

function hasPandas(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure pandas can run: null when it can, else why not. Installed on the spot when we
 * may (root with apt-get).
 */
export function ensurePandas(): string | null {
  if (hasPandas()) return null;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return 'python3-pandas is not installed and this user cannot install it (apt-get install python3-pandas)';
  console.log('installing python3-pandas for the comparison (apt-get) ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
  spawnSync('apt-get', ['install', '-y', '-qq', 'python3-pandas'], { stdio: 'ignore', env });
  return hasPandas() ? null : 'python3-pandas could not be installed (apt-get install python3-pandas failed)';
}

/**
 * pandas read_csv (profile IDs as text, as they are in a CRM export) and DataFrame.to_sql
 * into a fresh SQLite file. Prints: total ms, read_csv ms, rows (timed inside Python).
 * argv: CSV, SQLite file.
 */
export const PANDAS_IMPORT_SCRIPT = `
import sys, time, sqlite3
import pandas as pd
started = time.perf_counter()
frame = pd.read_csv(sys.argv[1], dtype={'profile_id': str})
read = time.perf_counter()
connection = sqlite3.connect(sys.argv[2])
frame.to_sql('profiles', connection, index=False)
connection.commit()
connection.close()
done = time.perf_counter()
print(f"{(done - started) * 1000:.0f} {(read - started) * 1000:.0f} {len(frame)}")
`;
