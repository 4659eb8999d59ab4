import { EngineError } from '../../../shared/contract/errors';
import { defineHandlers } from '../registry';

// DEVELOPMENT PLACEHOLDER (issue 3, being built): replaced by the demo generator.
const notYet = (): never => {
  throw new EngineError('INTERNAL', 'The demo project is being built.');
};

export const demoHandlers = defineHandlers({
  'demo/create': notYet,
});
