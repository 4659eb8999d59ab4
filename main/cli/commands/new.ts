import { resolve } from 'node:path';
import { EngineError } from '../../../shared/contract/errors';
import type { Command } from '../command';
import { UsageError } from '../command';

export const newCommand: Command = {
  name: 'new',
  summary: 'Create an empty project file',
  usage: 'new FILE.cplan [--name NAME] [--force]',
  help: `Options:
  --name NAME   the project's name (default: the file name)
  --force       replace FILE if it exists

Example:
  cplan new spring.cplan --name "Spring campaigns"`,
  options: {
    name: { type: 'string' },
    force: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, engine }) {
    const file = resolve(String(positionals[0]));
    if (!file.toLowerCase().endsWith('.cplan')) {
      throw new UsageError(`the project file name must end in .cplan: ${positionals[0]}`);
    }
    const fallbackName = file.replace(/^.*[\\/]/, '').replace(/\.cplan$/i, '');
    const name = typeof values.name === 'string' ? values.name : fallbackName;
    await engine.call('project/new', { name });
    const state = await engine
      .call('project/saveAs', { path: file, overwrite: values.force === true })
      .catch((error: unknown) => {
        if (error instanceof EngineError && error.code === 'ALREADY_EXISTS') {
          throw new EngineError('ALREADY_EXISTS', `${file} already exists; add --force to replace it.`, error.details);
        }
        throw error;
      });
    const data = { path: file, name: state.name, schemaVersion: state.schemaVersion };
    return { data, text: `Created ${file} ("${state.name}", file format ${state.schemaVersion}).` };
  },
};
