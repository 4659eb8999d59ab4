import { useEffect, useMemo } from 'react';
import type { CampaignDetail } from '../../../shared/contract/index';
import { analyticsView, selectAnalytics } from '../../store/analytics/selectors';
import { selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { RunProgress } from '../feedback/run-progress';
import { AnalysisResults } from './analysis-results';
import { CovariateEditor, MetricEditor } from './metric-editor';
import { OutcomeFileSection } from './outcome-file';
import { SavedAnalyses } from './saved-analyses';

/**
 * A campaign's Analytics tab: what to measure on the left (scrolling on its own), the
 * analysis on the right. Analyse runs on the engine with progress and Cancel, and keeps the
 * analysis with the campaign; the kept ones can be opened again. It loads again when the
 * project clock moves (new event types, and the analysis shown says it is behind).
 */
export function AnalyticsPanel({ detail }: { detail: CampaignDetail }) {
  const { campaign } = detail;
  const analytics = useApp(selectAnalytics);
  const clock = useApp((s) => (s.project.open ? s.project.clock : null));
  const running = useApp(selectOperationOf('analytics/run')) !== null;
  const { openAnalytics, runAnalysis } = useActions();
  useEffect(() => {
    void openAnalytics(campaign.id, campaign.databaseId);
  }, [campaign.id, campaign.databaseId, clock, openAnalytics]);
  const view = useMemo(() => analyticsView(analytics), [analytics]);
  const mine = analytics.campaignId === campaign.id;
  const shown = mine ? analytics.shown : null;
  const neverRun = detail.versions.length === 0;

  return (
    <div className="simulator analytics" data-testid="analytics">
      <aside className="sim-inputs" aria-label="Analysis settings">
        <form
          className="sim-inputs-body"
          onSubmit={(e) => {
            e.preventDefault();
            if (view.ready && !running) void runAnalysis();
          }}
        >
          <MetricEditor form={analytics.form} view={view} eventTypes={analytics.eventTypes} outcomes={analytics.outcomes} />
          <CovariateEditor form={analytics.form} view={view} outcomes={analytics.outcomes} />
          <div className="analytics-run">
            <button type="submit" className="button button-primary" disabled={!view.ready || running || !mine}>
              Analyse
            </button>
            <RunProgress method="analytics/run" label="the analysis" />
            {mine && analytics.runError && (
              <p className="callout callout-warning" role="alert" data-testid="analytics-run-error">
                {analytics.runError}
              </p>
            )}
          </div>
        </form>
        <OutcomeFileSection outcomes={analytics.outcomes} error={mine ? analytics.outcomesError : null} />
        <SavedAnalyses saved={mine ? analytics.saved : null} shownId={shown?.id ?? null} />
      </aside>
      <div className="sim-results" role="region" aria-label="Analysis results">
        {shown ? (
          <AnalysisResults shown={shown} clock={clock} />
        ) : (
          <p className="empty-note sim-empty" data-testid="analytics-empty">
            {running && mine
              ? 'Analysing… The figures appear here when the analysis is done; the progress and Cancel are under Analyse.'
              : neverRun
              ? `"${campaign.name}" has not split an audience yet: activate it and move the project clock on, then measure here what it changed against its LCG.`
              : 'Choose a metric on the left and press Analyse: the uplift of Test over the LCG, with its interval, the sample ratio check, the strata and the uplift day by day.'}
          </p>
        )}
      </div>
    </div>
  );
}
