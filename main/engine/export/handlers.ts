import { refreshGcg } from '../gcg/refresh';
import { campaignFingerprint } from '../warehouse/fingerprint';
import { defineHandlers } from '../registry';
import { checkExportTarget, writeCsvFile } from './csv-file';
import { planExport, writeProfilesCsv } from './profile-export';

export const exportHandlers = defineHandlers({
  /** Streams the CSV into place atomically (csv-file.ts); a cancel leaves nothing behind. */
  'export/profiles': async (args, ctx) => {
    const started = performance.now();
    const { db } = ctx.state.requireSession();
    // The GCG first takes in profiles that arrived since it last looked, as gcg/members shows it.
    const scope = args.scope;
    if (scope?.kind === 'gcg' || (scope?.kind === 'campaign' && scope.group === 'gcg')) await refreshGcg(ctx, args.databaseId);
    const plan = planExport(db, args);
    await checkExportTarget(ctx, args.path, args.overwrite);
    const phase = 'Writing profiles';
    ctx.progress(phase, 0, plan.rows, 'rows');
    const result = await writeCsvFile(
      ctx,
      args.path,
      (sink) => writeProfilesCsv(db, plan, sink),
      (rows) => ctx.progress(phase, rows, plan.rows, 'rows'),
    );
    ctx.progress(phase, plan.rows, plan.rows, 'rows');
    // A campaign's groups carry the split's fingerprint, so the file's receiver can confirm they hold the same split.
    const fingerprint = scope?.kind === 'campaign' ? campaignFingerprint(db, scope.campaignId).fingerprint : null;
    return { path: args.path, rows: result.rows, bytes: result.bytes, durationMs: performance.now() - started, ...(fingerprint === null ? {} : { fingerprint }) };
  },
});
