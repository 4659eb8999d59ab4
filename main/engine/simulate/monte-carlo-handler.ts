/**
 * The engine method 'simulate/monteCarlo': the audience of the source in memory (scan.ts's
 * loadSimData, cached per source), then the replicates on the engine's worker pool with
 * progress and cancel.
 */
import { defineHandlers } from '../registry';
import { loadSimData } from './scan';
import { runMonteCarlo } from './monte-carlo';

export const monteCarloHandlers = defineHandlers({
  'simulate/monteCarlo': async (args, ctx) => {
    const data = await loadSimData(ctx, args.source);
    await ctx.checkpoint();
    return runMonteCarlo(data, args.settings, args.reps, {
      pool: ctx.deps.splitPool,
      progress: (done, total) => ctx.progress('Replicating the split', done, total, 'items'),
      checkpoint: () => ctx.checkpoint(),
    });
  },
});
