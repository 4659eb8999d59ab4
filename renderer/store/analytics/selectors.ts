import type { AnalysisResult, AnalysisWarning, SampleRatio } from '../../../shared/contract/analytics';
import { formatCount, formatShare, formatValue } from '../../../shared/format';
import type { AppState } from '../types';
import { covariateFromDraft, metricFromDraft, type CovariateReading, type MetricReading } from './form';
import type { AnalyticsState } from './slice';
import { pPhrase } from './tables';

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

/** The warnings listed under the summary: the sample ratio mismatch has its own place above the results. */
export function listedWarnings(result: AnalysisResult): AnalysisWarning[] {
  return result.warnings.filter((w) => w.kind !== 'srm');
}

const sizes = (srm: SampleRatio) => `Test has ${formatCount(srm.observed[0])} and the LCG ${formatCount(srm.observed[1])}`;
const expected = (srm: SampleRatio) => `about ${formatValue(srm.expected[0])} and ${formatValue(srm.expected[1])}`;

/**
 * The sample ratio mismatch in words, when there is one: the sizes against the plan, how
 * unlikely that is by chance, what usually causes it and what it means for the uplift.
 * Null when both checks pass (or none could run).
 */
export function srmWarningText(result: AnalysisResult): string | null {
  const all = result.srm?.mismatch ? result.srm : null;
  const withOutcome = result.srmWithOutcome?.mismatch ? result.srmWithOutcome : null;
  const srm = all ?? withOutcome;
  if (!srm) return null;
  const among = all ? '' : ' among the profiles with an outcome';
  return [
    `The group sizes do not match the planned split${among}: ${sizes(srm)}, where an LCG of ${formatShare(result.plannedLcgShare)} should give ${expected(srm)} (χ² = ${srm.chiSquare.toFixed(1)}, ${pPhrase(srm.p)}).`,
    'A difference this large happens by chance less than once in a thousand analyses, so something else decided who is in which group or who has an outcome: the LCG settings changed during the campaign, profiles left one group more than the other, or outcome rows are missing for one group.',
    'Until the cause is found the uplift below may be biased: do not act on it.',
  ].join(' ');
}

/** Whether the analysis shown looked at an earlier project clock than now (events have happened since). */
export function analysisBehindClock(result: AnalysisResult, clock: string | null): boolean {
  return clock !== null && clock > result.clock;
}
