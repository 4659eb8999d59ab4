import { defineHandlers } from '../registry';
import { splitCsv } from './csv-split';

export const splitHandlers = defineHandlers({
  /** The stand-alone split of a CSV file's IDs (csv-split.ts); needs no open project. */
  'split/csv': (args, ctx) => splitCsv(args, ctx),
});
