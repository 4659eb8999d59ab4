import { EngineError } from '../../../shared/contract/errors';
import { defineHandlers } from '../registry';

// DEVELOPMENT PLACEHOLDER (issue 3, being built): replaced by the import pipeline.
const notYet = (): never => {
  throw new EngineError('INTERNAL', 'CSV import is being built.');
};

export const importHandlers = defineHandlers({
  'import/preview': notYet,
  'import/run': notYet,
  'import/report': notYet,
});
