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

/** The warnings listed under the summary: the sample ratio mismatch has its own place above the results, the one on looking every day goes with the chart. */
export function listedWarnings(result: AnalysisResult): AnalysisWarning[] {
  return result.warnings.filter((w) => w.kind !== 'srm' && w.kind !== 'peeking');
}

/** What looking at the uplift every day does, in the engine's words: shown under the chart. */
export function peekingWarnings(result: AnalysisResult): AnalysisWarning[] {
  return result.warnings.filter((w) => w.kind === 'peeking');
}

/** The sample ratio mismatch, in the engine's words (they say what it means): shown above the results. */
export function srmWarnings(result: AnalysisResult): AnalysisWarning[] {
  return result.warnings.filter((w) => w.kind === 'srm');
}

/** Whether the analysis shown looked at an earlier project clock than now (events have happened since). */
export function analysisBehindClock(result: AnalysisResult, clock: string | null): boolean {
  return clock !== null && clock > result.clock;
}
