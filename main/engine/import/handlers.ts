import { defineHandlers } from '../registry';
import { previewImport } from './preview';
import { findRun, reportCsv } from './report';
import { runImport } from './run';

export const importHandlers = defineHandlers({
  'import/preview': (args, ctx) => previewImport(args, ctx),

  'import/run': (args, ctx) => runImport(args, ctx),

  'import/report': ({ runId }, { state }) => reportCsv(findRun(state.requireSession(), runId)),
});
