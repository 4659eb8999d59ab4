/** The engine's answers about a split's fingerprint and its checks (issue 13). */
import { defineHandlers } from '../registry';
import { campaignFingerprint } from './fingerprint';
import { verifyAssignment } from './verify-assignment';
import { verifyProject } from './verify-project';

export const warehouseVerifyHandlers = defineHandlers({
  'warehouse/fingerprint': ({ campaignId }, ctx) => ({ campaignId, ...campaignFingerprint(ctx.state.requireSession().db, campaignId) }),
  'warehouse/verifyAssignment': (args, ctx) => verifyAssignment(args, ctx),
  'warehouse/verifyProject': (_args, ctx) => verifyProject(ctx),
});
