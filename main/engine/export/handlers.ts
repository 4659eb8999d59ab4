import { EngineError } from '../../../shared/contract/errors';
import { defineHandlers } from '../registry';

// DEVELOPMENT PLACEHOLDER (issue 3, being built): replaced by the CSV export.
const notYet = (): never => {
  throw new EngineError('INTERNAL', 'CSV export is being built.');
};

export const exportHandlers = defineHandlers({
  'export/profiles': notYet,
});
