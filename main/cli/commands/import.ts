import { EngineError } from '../../../shared/contract/errors';
import type { Command } from '../command';

// DEVELOPMENT PLACEHOLDER (issue 3, being built): replaced by the import command.
export const importCommand: Command = {
  name: 'import',
  summary: 'Import a CSV file into a profile database',
  usage: 'import FILE.cplan DATA.csv',
  help: '',
  options: {},
  positionals: { min: 2, max: 2 },
  run() {
    throw new EngineError('INTERNAL', 'cplan import is being built.');
  },
};
