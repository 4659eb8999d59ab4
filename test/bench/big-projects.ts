/**
 * The big projects of the benchmarks (big-project, ceiling): made once with the CLI
 * (`cplan demo --csv` + `cplan new` + `cplan import`, the benchmark's 8 columns) and kept in
 * BIG_PROJECT_DIR (default: the system temp folder's cplan-big-projects) for the next run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt } from './bench-engine';

export const BIG_PROJECT_DIR = process.env.BIG_PROJECT_DIR ?? join(tmpdir(), 'cplan-big-projects');
export const CPLAN = join(process.cwd(), 'dist', 'cli', 'cplan.cjs');

/** The sizes to run (BIG_SIZES, comma-separated), or `fallback`. */
export function bigSizes(fallback: string): number[] {
  return (process.env.BIG_SIZES ?? fallback).split(',').map(Number);
}

/** The project of `profiles` profiles, made once. */
export function bigProject(profiles: number): string {
  mkdirSync(BIG_PROJECT_DIR, { recursive: true });
  const path = join(BIG_PROJECT_DIR, `p${profiles}.cplan`);
  if (existsSync(path)) return path;
  const csv = join(BIG_PROJECT_DIR, `p${profiles}.csv`);
  const temp = join(BIG_PROJECT_DIR, `p${profiles}.tmp.cplan`);
  const started = performance.now();
  const run = (...args: string[]) => execFileSync(process.execPath, [CPLAN, ...args], { stdio: 'inherit' });
  run('demo', '--csv', csv, '--profiles', String(profiles), '--columns', 'benchmark', '--today', '2026-01-05', '--force');
  run('new', temp, '--force');
  run('import', temp, csv, '--database', 'Customers', '--create');
  renameSync(temp, path);
  rmSync(csv, { force: true });
  console.log(`made ${path} in ${fmt(performance.now() - started)}`);
  return path;
}
