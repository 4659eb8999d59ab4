// TEMPORARY while issue 12 is built in parallel: answers the analytics methods whose real
// handlers land from other branches (outcomes.ts, report.ts), so the engine starts. Each
// branch deletes its method from here as it registers the real one; the file goes with the last.
import { EngineError } from '../../../shared/contract/errors';
import { defineHandlers } from '../registry';

const notYet = (): never => {
  throw new EngineError('REFUSED', 'This analytics method is still being built.', { reason: 'not_built' });
};

export const pendingAnalyticsHandlers = defineHandlers({
  'analytics/report': notYet,
});
