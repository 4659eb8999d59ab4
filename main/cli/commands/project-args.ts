/** Command-line pieces shared by the commands that work on a project's databases. */
import { basename, resolve } from 'node:path';
import type { DatabaseSummary } from '../../../shared/contract/databases';
import { EngineError } from '../../../shared/contract/errors';
import type { ProgressEvent } from '../../../shared/contract/events';
import type { OpenProjectState } from '../../../shared/contract/project';
import { formatBytes, formatCount } from '../../../shared/format';
import { sameName } from '../../../shared/names';
import type { CliEngine } from '../cli-engine';
import { UsageError, type CommandInput } from '../command';

/** FILE.cplan resolved against the working folder; anything else is a usage error. */
export function projectPath(argument: string | undefined): string {
  if (argument === undefined) throw new UsageError('a project file (FILE.cplan) is required');
  if (!argument.toLowerCase().endsWith('.cplan')) throw new UsageError(`the project file name must end in .cplan: ${argument}`);
  return resolve(argument);
}

/** The option of every command that opens a FILE.cplan (its help is CLEAN_HELP). */
export const CLEAN_OPTION = { clean: { type: 'boolean' } } as const;

export const CLEAN_HELP = `A project file changed outside Campaign Planner (triggers, views, unknown tables or
indexes: SQL that would run inside the app) is refused, naming what it holds. With --clean
the command works on a cleaned copy without them (missing indexes rebuilt) and says what it
removed on stderr; a command that saves then writes the cleaned project to FILE.cplan.
  --clean       open a cleaned copy of a project file changed outside Campaign Planner`;

/**
 * Opens FILE.cplan for a command: a cleaned copy with --clean (what cleaning did goes to
 * stderr); without it, a refusal of a file that can be cleaned says how.
 */
export async function openProjectFile(engine: CliEngine, file: string, values: CommandInput['values']): Promise<OpenProjectState> {
  const clean = values.clean === true;
  try {
    const state = await engine.call('project/open', clean ? { path: file, clean } : { path: file });
    if (state.cleaned) process.stderr.write(`cplan: opened a cleaned copy of ${basename(file)}: ${state.cleaned.join('; ')}.\n`);
    return state;
  } catch (error) {
    if (clean || !(error instanceof EngineError) || error.code !== 'FOREIGN_SCHEMA' || error.details?.cleanable !== true) throw error;
    throw new EngineError(error.code, `${error.message} Add --clean to work on a cleaned copy.`, error.details);
  }
}

/** Names compare as the engine compares them: without case, in any script (shared/names.ts). */
export { sameName };

/** The database called `name` in the open project, or NOT_FOUND listing the ones there are. */
export async function findDatabase(engine: CliEngine, name: string): Promise<DatabaseSummary> {
  const databases = await engine.call('database/list', {});
  const found = databases.find((d) => sameName(d.name, name));
  if (found) return found;
  const known = databases.length === 0 ? 'the project has none' : `it has ${databases.map((d) => `"${d.name}"`).join(', ')}`;
  throw new EngineError('NOT_FOUND', `There is no database "${name}" in the project; ${known}.`, { name });
}

/** "a,b , c" -> ["a", "b", "c"]; an empty value gives an empty list. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** A whole number >= 1 given as an option value. */
export function positiveInteger(option: string, value: string): number {
  const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1) throw new UsageError(`--${option} must be a whole number of at least 1, not "${value}"`);
  return number;
}

/** Turns "already exists" into a hint at --force, as `cplan new` does. */
export function suggestForce(path: string) {
  return (error: unknown): never => {
    if (error instanceof EngineError && error.code === 'ALREADY_EXISTS') {
      throw new EngineError('ALREADY_EXISTS', `${path} already exists; add --force to replace it.`, error.details);
    }
    throw error;
  };
}

/**
 * Shows a long operation's progress on one terminal line, only when stderr is a terminal:
 * the phase, the share done, bytes or rows, the rate and the time left.
 */
export async function withTerminalProgress<T>(engine: CliEngine, work: () => Promise<T>): Promise<T> {
  if (!process.stderr.isTTY) return work();
  const started = Date.now();
  let shown = false;
  const unsubscribe = engine.onProgress((event: ProgressEvent) => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    const parts = [event.phase];
    if (event.total) {
      const share = event.done / event.total;
      const amount =
        event.unit === 'bytes'
          ? `${formatBytes(event.done)} of ${formatBytes(event.total)}`
          : `${formatCount(event.done)} of ${formatCount(event.total)} ${event.unit}`;
      parts.push(`${Math.floor(share * 100)}%`, amount);
      if (event.rows !== undefined) parts.push(`${formatCount(event.rows)} rows (${formatCount(Math.round(event.rows / seconds))}/s)`);
      if (share > 0.02 && share < 1) parts.push(`about ${Math.ceil((seconds / share) * (1 - share))} s left`);
    }
    process.stderr.write(`\r\u001b[2K${parts.join(', ')}`);
    shown = true;
  });
  try {
    return await work();
  } finally {
    unsubscribe();
    if (shown) process.stderr.write('\r\u001b[2K');
  }
}
