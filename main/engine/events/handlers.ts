import { checkExportTarget, writeCsvFile } from '../export/csv-file';
import { defineHandlers } from '../registry';
import { importEvents } from './import';
import { countEvents, listEvents, writeEventsCsv } from './read';

export const eventsHandlers = defineHandlers({
  'events/import': (args, ctx) => importEvents(args, ctx),

  'events/list': ({ databaseId, profileId, type, offset, limit }, { state }) => listEvents(state.requireSession().db, { databaseId, profileId, type }, offset, limit),

  'events/export': async (args, ctx) => {
    const started = performance.now();
    const { db } = ctx.state.requireSession();
    const filter = { databaseId: args.databaseId, type: args.type };
    const total = countEvents(db, filter);
    await checkExportTarget(ctx, args.path, args.overwrite);
    const phase = 'Writing events';
    ctx.progress(phase, 0, total, 'rows');
    const result = await writeCsvFile(
      ctx,
      args.path,
      (sink) => writeEventsCsv(db, filter, { delimiter: args.delimiter, bom: args.bom }, sink),
      (rows) => ctx.progress(phase, rows, total, 'rows'),
    );
    return { path: args.path, rows: result.rows, bytes: result.bytes, durationMs: performance.now() - started };
  },
});
