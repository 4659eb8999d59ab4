/**
 * `cplan` run in this process (runCli) on real project files: quicker than a child
 * process, for tests of what commands print and refuse. Whether a command ends on its
 * own is tested with real processes (test/main/cli/exits.test.ts).
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../main/cli/cplan';
import { writeCsv } from '../main/engine/import/helpers';
import { tempDir } from './temp-dir';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** Runs a command that must succeed; returns what it printed. */
export async function ok(...args: string[]): Promise<string> {
  const run = await cli(...args);
  expect(run.code, `${args.slice(0, 2).join(' ')}: ${run.stderr}`).toBe(0);
  return run.stdout;
}

/** Runs a command that must succeed with --json; returns its data. */
export async function json<T>(...args: string[]): Promise<T> {
  return JSON.parse(await ok(...args, '--json')) as T;
}

/** Runs a command that must fail with `code`; returns its message (one line on stderr). */
export async function fails(code: 1 | 2, ...args: string[]): Promise<string> {
  const run = await cli(...args);
  expect(run.code, `${args.join(' ')}: ${run.stdout}`).toBe(code);
  expect(run.stderr).toMatch(/^cplan: [^\n]+\n/);
  return run.stderr.slice('cplan: '.length).trimEnd();
}

/** A saved empty project in a fresh folder (`cplan new --clock`), its clock at `clock`. */
export async function emptyProject(clock: string, name = 'Shop'): Promise<{ dir: string; file: string }> {
  const dir = tempDir();
  const file = join(dir, `${name.toLowerCase()}.cplan`);
  await ok('new', file, '--name', name, '--clock', clock);
  return { dir, file };
}

/**
 * The guide's shop on Saturday 8 April 2023, 10:00: profiles C1-C3 of "Shop", purchases
 * (C1 on Sunday 9 April, C2 on 2 April), the updatable segment "Buyers" (a purchase in the
 * last 7 days, weekly on Mondays at 10:00) and the campaign "Spring" on it, not activated.
 */
export async function aprilShop(): Promise<{ dir: string; file: string }> {
  const { dir, file } = await emptyProject('2023-04-08T10:00');
  await ok('import', file, writeCsv(dir, 'people.csv', 'customer_id,name\nC1,Ann\nC2,Bob\nC3,Cy\n'), '--database', 'Shop', '--create');
  await ok('events', 'import', file, writeCsv(dir, 'orders.csv', 'customer_id,at\nC1,2023-04-09 12:00\nC2,2023-04-02 12:00\n'), '--database', 'Shop', '--type', 'purchase', '--time-column', 'at');
  await ok('segment', 'create', file, 'Buyers', '--database', 'Shop', '--type', 'updatable', '--where', 'event purchase in last 7 days', '--schedule', 'weekly mon 10:00');
  await ok('campaign', 'create', file, 'Spring', '--database', 'Shop', '--segment', 'Buyers');
  return { dir, file };
}
