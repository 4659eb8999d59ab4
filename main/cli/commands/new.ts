import { resolve } from 'node:path';
import { EngineError } from '../../../shared/contract/errors';
import type { Command } from '../command';
import { UsageError } from '../command';
import { isClockTime } from '../../../shared/domain/clock';

/** A new project's name when none is given: its file name without `.cplan`. */
export const projectNameOf = (file: string) => file.replace(/^.*[\\/]/, '').replace(/\.cplan$/i, '');

export const newCommand: Command = {
  name: 'new',
  summary: 'Create an empty project file',
  usage: 'new FILE.cplan [--name NAME] [--clock TIME] [--force]',
  help: `Options:
  --name NAME   the project's name (default: the file name)
  --clock TIME  where the project clock starts (default: now), such as 2025-01-01T00:00:
                to replay events of a past year; the clock never goes back later
  --force       replace FILE if it exists

Example:
  cplan new spring.cplan --name "Spring campaigns"
  cplan new replay.cplan --clock 2025-01-01T00:00`,
  options: {
    name: { type: 'string' },
    clock: { type: 'string' },
    force: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, engine }) {
    const file = resolve(String(positionals[0]));
    if (!file.toLowerCase().endsWith('.cplan')) {
      throw new UsageError(`the project file name must end in .cplan: ${positionals[0]}`);
    }
    const name = typeof values.name === 'string' ? values.name : projectNameOf(file);
    const clock = typeof values.clock === 'string' ? values.clock : undefined;
    if (clock !== undefined && !isClockTime(clock)) throw new UsageError(`--clock must be a date-time like 2025-01-01T00:00, not "${clock}"`);
    await engine.call('project/new', { name, ...(clock === undefined ? {} : { clock }) });
    const state = await engine
      .call('project/saveAs', { path: file, overwrite: values.force === true })
      .catch((error: unknown) => {
        if (error instanceof EngineError && error.code === 'ALREADY_EXISTS') {
          throw new EngineError('ALREADY_EXISTS', `${file} already exists; add --force to replace it.`, error.details);
        }
        throw error;
      });
    const data = { path: file, name: state.name, schemaVersion: state.schemaVersion, clock: state.clock };
    return { data, text: `Created ${file} ("${state.name}", file format ${state.schemaVersion}, project clock ${state.clock}).` };
  },
};
