/**
 * Campaign handlers: attributes, campaigns and their life, the LCG and its split, the
 * project clock. The work lives in the modules beside this file; here each method checks
 * its campaign, opens the transaction and shapes the answer.
 */
import { defineHandlers } from '../registry';
import { defineAttribute, listAttributes, removeAttribute } from './attributes';
import { campaignDetail } from './detail';
import { eventPage } from './events';
import { changeLcg, previewLcg } from './lcg-change';
import {
  activateCampaign,
  cloneCampaign,
  completeCampaign,
  createCampaign,
  deactivateCampaign,
  deleteCampaign,
  restoreCampaign,
  scheduleActivation,
  updateCampaign,
} from './lifecycle';
import { addProfiles, memberPage } from './members';
import { listCampaigns, requireAllowed, requireCampaign } from './repository';
import { activationPreview, requireActivationConfirmed } from './activation';
import { campaignTimeline } from './timeline';
import { showWork, showWorkInDetail, workElsewhere } from './work';

export const campaignHandlers = defineHandlers({
  'attribute/list': (_args, { state }) => listAttributes(state.requireSession().db),

  'attribute/define': (draft, { state }) => defineAttribute(state.requireSession().db, draft),

  'attribute/remove': ({ attributeId }, { state }) => removeAttribute(state.requireSession().db, attributeId),

  'campaign/list': async ({ databaseId, includeDeleted }, ctx) => {
    const note = await workElsewhere(ctx);
    return listCampaigns(ctx.state.requireSession().db, { databaseId, includeDeleted }).map((c) => showWork(c, note));
  },

  'campaign/get': async ({ campaignId }, ctx) => {
    const db = ctx.state.requireSession().db;
    const detail = campaignDetail(db, requireCampaign(db, campaignId));
    return showWorkInDetail(detail, await workElsewhere(ctx));
  },

  'campaign/create': (args, ctx) => createCampaign(ctx, args),

  'campaign/update': ({ campaignId, name, attributes }, ctx) => updateCampaign(ctx, campaignId, { name, attributes }),

  'campaign/previewLcg': ({ campaignId, lcg }, { state }) => previewLcg(state.requireSession().db, campaignId, lcg),

  'campaign/setLcg': async ({ campaignId, lcg }, ctx) => {
    const db = ctx.state.requireSession().db;
    const kind = await db.transactionAsync(() => changeLcg(ctx, campaignId, lcg));
    if (kind === 'none') ctx.unchanged?.();
    return campaignDetail(db, requireCampaign(db, campaignId));
  },

  'campaign/previewActivation': ({ campaignId }, { state }) => {
    const db = state.requireSession().db;
    return activationPreview(db, requireCampaign(db, campaignId));
  },

  'campaign/activate': async ({ campaignId, at, confirmed }, ctx) => {
    const db = ctx.state.requireSession().db;
    const campaign = requireCampaign(db, campaignId);
    if (at !== undefined) scheduleActivation(ctx, campaign, at, confirmed === true);
    else {
      requireAllowed(db, campaign, 'activate');
      requireActivationConfirmed(db, campaign, confirmed === true);
      await db.transactionAsync(() => activateCampaign(ctx, campaign, { method: 'campaign/activate' }));
    }
    return campaignDetail(db, requireCampaign(db, campaignId));
  },

  'campaign/deactivate': ({ campaignId }, ctx) => deactivateCampaign(ctx, campaignId),

  'campaign/complete': ({ campaignId }, ctx) => completeCampaign(ctx, campaignId),

  'campaign/clone': ({ campaignId, name, segmentId }, ctx) => cloneCampaign(ctx, campaignId, { name, segmentId }),

  'campaign/delete': ({ campaignId }, ctx) => deleteCampaign(ctx, campaignId),

  'campaign/restore': ({ campaignId }, ctx) => restoreCampaign(ctx, campaignId),

  'campaign/addProfiles': ({ campaignId, profileIds, forceTest }, ctx) => addProfiles(ctx, campaignId, profileIds, forceTest ?? false),

  'campaign/members': ({ campaignId, group, offset, limit, search }, ctx) => memberPage(ctx, campaignId, { group, offset, limit, search }),

  'campaign/events': ({ campaignId, kinds, clock, offset, limit }, { state }) => {
    const db = state.requireSession().db;
    const campaign = requireCampaign(db, campaignId);
    return eventPage(db, campaignId, campaign.databaseId, { kinds, clock, offset, limit });
  },

  'campaign/timeline': ({ campaignId }, { state }) => {
    const db = state.requireSession().db;
    return campaignTimeline(db, requireCampaign(db, campaignId));
  },
});
