import { EngineError } from '../../../shared/contract/errors';
import { defineHandlers } from '../registry';

// DEVELOPMENT PLACEHOLDER (issue 4, being built).
const notYet = (): never => {
  throw new EngineError('INTERNAL', 'This part of campaigns is being built.');
};

export const campaignHandlers = defineHandlers({
  'attribute/list': notYet,
  'attribute/define': notYet,
  'attribute/remove': notYet,
  'campaign/list': notYet,
  'campaign/get': notYet,
  'campaign/create': notYet,
  'campaign/update': notYet,
  'campaign/previewLcg': notYet,
  'campaign/setLcg': notYet,
  'campaign/activate': notYet,
  'campaign/deactivate': notYet,
  'campaign/complete': notYet,
  'campaign/clone': notYet,
  'campaign/delete': notYet,
  'campaign/restore': notYet,
  'campaign/addProfiles': notYet,
  'campaign/members': notYet,
  'campaign/events': notYet,
  'clock/advance': notYet,
});
