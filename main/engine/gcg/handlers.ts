import { followAudienceChange } from '../campaigns/audience';
import { profileViews } from '../databases/handlers';
import { requireDatabase } from '../databases/repository';
import { readMeta } from '../project/project-file';
import { defineHandlers } from '../registry';
import { gcgMembersSql, poolHash } from './membership';
import { growthHooks, refreshGcg } from './refresh';
import { gcgState, setExempt, setGcg } from './settings';

export const gcgHandlers = defineHandlers({
  'gcg/get': async ({ databaseId }, ctx) => {
    const { db } = ctx.state.requireSession();
    requireDatabase(db, databaseId);
    await refreshGcg(ctx, databaseId);
    return gcgState(db, databaseId);
  },

  'gcg/set': async ({ databaseId, percent, seed }, ctx) => {
    const { db } = ctx.state.requireSession();
    // One transaction: the group and the database's active campaigns that follow it (new GCG
    // members leave them, former ones join) are kept together, or not at all (cancel, error).
    const changed = await db.transactionAsync(async () => {
      const set = await setGcg(
        db,
        { databaseId, percent, seed },
        { clock: readMeta(db).clock, randomSeed: ctx.deps.randomId, hash: poolHash(ctx.deps.splitPool), hooks: growthHooks(ctx) },
      );
      if (set) await followAudienceChange(ctx, { databaseId });
      return set;
    });
    if (!changed) ctx.unchanged?.();
    return gcgState(db, databaseId);
  },

  'gcg/exempt': async ({ campaignId, exempt }, ctx) => {
    const { db } = ctx.state.requireSession();
    const { databaseId, changed } = await db.transactionAsync(async () => {
      const result = setExempt(db, campaignId, exempt);
      if (result.changed) await followAudienceChange(ctx, { campaignId });
      return result;
    });
    if (!changed) ctx.unchanged?.();
    return gcgState(db, databaseId);
  },

  'gcg/members': async ({ databaseId, offset, limit, search }, ctx) => {
    const session = ctx.state.requireSession();
    requireDatabase(session.db, databaseId);
    await refreshGcg(ctx, databaseId);
    return profileViews(session).page({ databaseId, search, within: gcgMembersSql(databaseId) }, offset, limit);
  },
});
