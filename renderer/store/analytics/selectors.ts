import { hasSrmMismatch } from '../../../shared/analytics/analysis-text';
import type { AnalysisResult, AnalysisWarning } from '../../../shared/contract/analytics';
import type { AppState } from '../types';
import { covariateFromDraft, metricFromDraft, type CovariateReading, type MetricReading } from './form';
import type { AnalyticsState } from './slice';

export const selectAnalytics = (state: AppState): AnalyticsState => state.analytics;

export interface AnalyticsView {
  readonly metric: MetricReading;
  readonly covariate: CovariateReading;
  /** The form makes a metric (and a valid covariate, if one is chosen). */
  readonly ready: boolean;
}

export function analyticsView(state: AnalyticsState): AnalyticsView {
  const metric = metricFromDraft(state.form.metric);
  const covariate = covariateFromDraft(state.form.covariate, state.form.metric);
  return { metric, covariate, ready: metric.metric !== null && covariate.problem === null };
}

/**
 * The engine's warnings listed under the summary: a sample ratio mismatch is explained above
 * the results instead (as the report does), and the one on looking every day goes with the chart.
 */
export function listedWarnings(result: AnalysisResult): AnalysisWarning[] {
  const mismatch = hasSrmMismatch(result);
  return result.warnings.filter((w) => !(w.kind === 'srm' && mismatch) && w.kind !== 'peeking');
}

/** What looking at the uplift every day does, in the engine's words: shown under the chart. */
export function peekingWarnings(result: AnalysisResult): AnalysisWarning[] {
  return result.warnings.filter((w) => w.kind === 'peeking');
}

/** Whether the analysis shown looked at an earlier project clock than now (events have happened since). */
export function analysisBehindClock(result: AnalysisResult, clock: string | null): boolean {
  return clock !== null && clock > result.clock;
}
