import { EngineError } from '../../../shared/contract/errors';
import { defineHandlers } from '../registry';

// DEVELOPMENT PLACEHOLDER (issue 4, being built).
const notYet = (): never => {
  throw new EngineError('INTERNAL', 'This part of campaigns is being built.');
};

export const splitHandlers = defineHandlers({
  'split/csv': notYet,
});
