/**
 * `analytics/report`: a kept analysis written as a self-contained HTML page or as CSV
 * (shared/analytics/report-html.ts, report-csv.ts). The file is refused onto a folder, or
 * onto an existing file unless `overwrite` (the exports' rule and error), and written
 * atomically: the target is the old file or the whole new one, never a part.
 */
import { analysisCsv } from '../../../shared/analytics/report-csv';
import { analysisHtml } from '../../../shared/analytics/report-html';
import { checkExportTarget } from '../export/csv-file';
import { UTF8_BOM } from '../export/csv-builder';
import { writeFileAtomic } from '../project/atomic-write';
import { defineHandlers } from '../registry';
import { getAnalysis } from './saved';

const encoder = new TextEncoder();

/** The file's bytes: HTML as UTF-8 (its meta says so); CSV with a byte order mark, so spreadsheets read UTF-8, as the exports do. */
function reportBytes(format: 'html' | 'csv', text: string): Uint8Array {
  const body = encoder.encode(text);
  if (format === 'html') return body;
  const bytes = new Uint8Array(UTF8_BOM.byteLength + body.byteLength);
  bytes.set(UTF8_BOM, 0);
  bytes.set(body, UTF8_BOM.byteLength);
  return bytes;
}

export const reportHandlers = defineHandlers({
  'analytics/report': async ({ id, format, path, overwrite }, ctx) => {
    const { result } = getAnalysis(ctx.state.requireSession().db, id);
    await checkExportTarget(ctx, path, overwrite);
    const bytes = reportBytes(format, format === 'html' ? analysisHtml(result) : analysisCsv(result));
    await writeFileAtomic(ctx.deps.fs, path, bytes, { signal: ctx.signal, randomId: ctx.deps.randomId, sleep: ctx.deps.sleep });
    return { path, bytes: bytes.byteLength };
  },
});
