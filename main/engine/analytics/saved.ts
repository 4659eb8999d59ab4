/**
 * Analyses kept with their campaign (table campaign_analyses, format 12): the metric, the
 * project clock and wall time of the analysis and its whole result, so a shared project
 * file carries its results. A body read back from a file is untrusted: it is validated
 * against AnalysisResult; one that does not pass is still listed (its summary says it cannot
 * be read), and opening it fails with a clear message.
 */
import { AnalysisResult, type SavedAnalysisSummary } from '../../../shared/contract/analytics';
import { EngineError } from '../../../shared/contract/errors';
import type { SqlDb, SqlValue } from '../sqlite/database';
import { fileText, storedJson } from '../sqlite/stored-values';

const where = (id: number) => `the kept analysis ${id}`;

function summaryOf(row: Record<string, SqlValue>): SavedAnalysisSummary {
  return {
    id: Number(row.id),
    campaignId: Number(row.campaign_id),
    metricLabel: fileText(row.metric, 300),
    clock: fileText(row.clock, 16),
    analyzedAt: fileText(row.created_at, 40),
    summary: fileText(row.summary, 2000),
  };
}

export function saveAnalysis(db: SqlDb, result: AnalysisResult): SavedAnalysisSummary {
  db.run('INSERT INTO campaign_analyses (campaign_id, clock, created_at, metric, summary, body) VALUES (?, ?, ?, ?, ?, ?)', [
    result.campaignId,
    result.clock,
    result.analyzedAt,
    result.metricLabel,
    result.summary,
    JSON.stringify(result),
  ]);
  return summaryOf(db.get('SELECT * FROM campaign_analyses WHERE id = last_insert_rowid()')!);
}

/** Newest first. */
export function listAnalyses(db: SqlDb, campaignId: number): SavedAnalysisSummary[] {
  return db.all('SELECT id, campaign_id, clock, created_at, metric, summary FROM campaign_analyses WHERE campaign_id = ? ORDER BY id DESC', [campaignId]).map(summaryOf);
}

export function getAnalysis(db: SqlDb, id: number): { summary: SavedAnalysisSummary; result: AnalysisResult } {
  const row = db.get('SELECT * FROM campaign_analyses WHERE id = ?', [id]);
  if (!row) throw new EngineError('NOT_FOUND', `There is no kept analysis with id ${id}.`, { id });
  return { summary: summaryOf(row), result: storedJson(AnalysisResult, row.body, where(id)) };
}

export function deleteAnalysis(db: SqlDb, id: number): boolean {
  return db.run('DELETE FROM campaign_analyses WHERE id = ?', [id]) > 0;
}
