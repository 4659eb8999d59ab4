import { ProjectSession } from '../project/session';
import { defineHandlers } from '../registry';
import { buildDemoProject } from './demo-project';

export const demoHandlers = defineHandlers({
  /**
   * A new, unsaved project, like project/new, but with the demo audience in it. It starts
   * without unsaved changes: everything in it can be made again from the seed, so closing
   * it untouched loses nothing and needs no question; the first edit makes it unsaved as
   * usual. A cancel leaves the open project as it was.
   */
  'demo/create': async ({ profiles, seed, replay, discard }, ctx) => {
    const { state, deps } = ctx;
    state.ensureCanDrop(discard);
    const db = await buildDemoProject({
      sql: deps.sql,
      count: profiles,
      seed,
      now: deps.now(),
      appVersion: deps.appVersion,
      replay,
      step: async (done, total) => {
        ctx.progress('Generating the audience', done, total, 'rows');
        await ctx.checkpoint();
      },
    });
    const session = new ProjectSession(deps.randomId(), db, null, null, false);
    await state.replaceSession(session);
    return session.state();
  },
});
