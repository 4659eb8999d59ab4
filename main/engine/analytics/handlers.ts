/** The analytics methods (shared/contract/analytics.ts) but the outcome file's and the report's. */
import { requireCampaign } from '../campaigns/repository';
import { defineHandlers } from '../registry';
import { analyzeCampaign } from './analyze';
import { deleteAnalysis, getAnalysis, listAnalyses, saveAnalysis } from './saved';

export const analyticsHandlers = defineHandlers({
  'analytics/run': async (args, ctx) => {
    const result = await analyzeCampaign(ctx, args);
    const db = ctx.state.requireSession().db;
    if (!args.save) {
      ctx.unchanged?.();
      return { id: null, result };
    }
    return { id: saveAnalysis(db, result).id, result };
  },
  'analytics/list': ({ campaignId }, ctx) => {
    const db = ctx.state.requireSession().db;
    requireCampaign(db, campaignId);
    return listAnalyses(db, campaignId);
  },
  'analytics/get': ({ id }, ctx) => getAnalysis(ctx.state.requireSession().db, id),
  'analytics/delete': ({ id }, ctx) => {
    const deleted = deleteAnalysis(ctx.state.requireSession().db, id);
    if (!deleted) ctx.unchanged?.();
    return { deleted };
  },
});
