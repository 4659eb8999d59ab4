import type { AnalysisResult } from '../../../shared/contract/analytics';
import { confidenceText, differenceText, incrementalUnit, incrementalValue, intervalText, levelText, pClause, srmChecks, srmExplanation, srmLine } from '../../../shared/analytics/analysis-text';
import { printMetric } from '../../../shared/analytics/metric-text';
import { formatChange, formatClock, formatCount } from '../../../shared/format';
import { analysisBehindClock, listedWarnings } from '../../store/analytics/selectors';
import type { ShownAnalysis } from '../../store/analytics/slice';
import { estimatesTable, groupsTable, srmTable } from '../../store/analytics/tables';
import { useActions, useApp } from '../../store/react';
import { ResultTable } from '../simulator/result-table';
import { AnalysisDetails } from './analysis-details';

/**
 * An analysis as a marketer and an analyst read it: a sample ratio mismatch first (it puts
 * everything below in doubt), the sentence to act on, the warnings, the uplift with its
 * intervals, the groups, the estimators side by side and the sample ratio check; then the
 * uplift by day, the strata, the GCG and the LCG's age and drift.
 */
export function AnalysisResults({ shown, clock }: { shown: ShownAnalysis; clock: string | null }) {
  const { result } = shown;
  // The explanation once: a second mismatching check (among the profiles with an outcome) adds only its figures.
  const mismatches = srmChecks(result).filter((c) => c.srm.mismatch);
  const warnings = listedWarnings(result);
  const estimates = estimatesTable(result);
  return (
    <div className="analytics-report" data-testid="analytics-results">
      <ResultHead shown={shown} />
      {analysisBehindClock(result, clock) && (
        <p className="callout callout-info" role="status" data-testid="analytics-behind-clock">
          This analysis looked at the project clock of {formatClock(result.clock)}; it is now {formatClock(clock ?? result.clock)}. Analyse again to count what has
          happened since.
        </p>
      )}
      {mismatches.length > 0 && (
        <div className="callout callout-error" role="alert" data-testid="analytics-srm-warning">
          <strong>The groups are not the sizes the split planned.</strong>
          {mismatches.map((c, i) => (
            <p key={c.name}>{i === 0 ? srmExplanation(c.srm, result.plannedLcgShare, c.among) : `Among ${c.among} too: ${srmLine(c.srm)}.`}</p>
          ))}
        </div>
      )}
      <p className="sim-sentence" data-testid="analytics-summary">
        {result.summary}
      </p>
      {warnings.length > 0 && (
        <ul className="analytics-warnings" aria-label="Warnings" data-testid="analytics-warnings">
          {warnings.map((w, i) => (
            <li key={`${w.kind}-${i}`} className="callout callout-warning">
              {w.text}
            </li>
          ))}
        </ul>
      )}
      <UpliftFigures result={result} />
      <ResultTable table={groupsTable(result)} testId="analytics-groups" note={groupsNote(result)} />
      {estimates && (
        <ResultTable
          table={estimates}
          testId="analytics-estimates"
          note="Post-stratified: the strata's uplifts weighted by their sizes. CUPED: the uplift corrected by the covariate. A narrower interval measures the same uplift more precisely."
        />
      )}
      {(result.srm || result.srmWithOutcome) && (
        <ResultTable
          table={srmTable(result)}
          testId="analytics-srm"
          note="The groups’ sizes against the planned split (chi-square, 1 degree of freedom). A mismatch at p < 0.001 is marked: then something other than chance decided who is in which group."
        />
      )}
      <AnalysisDetails result={result} />
    </div>
  );
}

function ResultHead({ shown }: { shown: ShownAnalysis }) {
  const { result, id } = shown;
  const exporting = useApp((s) => s.analytics.exporting);
  const { exportAnalysis } = useActions();
  const canExport = id !== null && exporting === null;
  return (
    <div className="analytics-result-head">
      <div className="analytics-result-title">
        <h3 className="analytics-result-metric" data-testid="analytics-result-metric">
          {result.metricLabel}
        </h3>
        <p className="field-hint">
          <code data-testid="analytics-result-text">{printMetric(result.metric)}</code>
          {result.covariateLabel ? ` · CUPED covariate: ${result.covariateLabel}` : ''} · analysed at {formatClock(result.clock)} on the project clock
        </p>
      </div>
      <div className="inline-actions" role="group" aria-label="Export the analysis">
        <button type="button" className="button" disabled={!canExport} onClick={() => void exportAnalysis('html')}>
          {exporting === 'html' ? 'Exporting…' : 'Export HTML…'}
        </button>
        <button type="button" className="button" disabled={!canExport} onClick={() => void exportAnalysis('csv')}>
          {exporting === 'csv' ? 'Exporting…' : 'Export CSV…'}
        </button>
      </div>
    </div>
  );
}

/** The headline figures: both groups' rate or mean, the uplift (absolute and relative) with intervals and p-values, the incremental effect. */
function UpliftFigures({ result }: { result: AnalysisResult }) {
  const { uplift, binary } = result;
  const group = (name: 'test' | 'lcg') => result.groups.find((g) => g.group === name);
  const test = group('test');
  const lcg = group('lcg');
  const what = binary ? 'rate' : 'mean';
  const level = confidenceText(result.confidence);
  return (
    <dl className="sim-figures" data-testid="analytics-figures">
      {[test, lcg].map(
        (g) =>
          g && (
            <div key={g.group} className="sim-figure">
              <dt>
                {g.group === 'test' ? 'Test' : 'LCG'} {what}
              </dt>
              <dd className="sim-figure-value">{levelText(binary, g.mean)}</dd>
              <dd className="sim-figure-detail">of {formatCount(g.withOutcome)} profiles with an outcome</dd>
            </div>
          ),
      )}
      {uplift ? (
        <>
          <div className="sim-figure">
            <dt>Uplift</dt>
            <dd className="sim-figure-value" data-testid="analytics-uplift">
              {differenceText(binary, uplift.absolute.estimate)}
            </dd>
            <dd className="sim-figure-detail" data-testid="analytics-uplift-interval">
              {level} interval {intervalText(binary, uplift.absolute.low, uplift.absolute.high)}
              ; {pClause(uplift.absolute.p)}
            </dd>
          </div>
          <div className="sim-figure">
            <dt>Relative uplift</dt>
            <dd className="sim-figure-value" data-testid="analytics-relative">
              {uplift.relative ? formatChange(uplift.relative.estimate) : '–'}
            </dd>
            <dd className="sim-figure-detail">
              {uplift.relative
                ? `${level} interval ${formatChange(uplift.relative.low)} to ${formatChange(uplift.relative.high)}; ${pClause(uplift.relative.p)}`
                : `None: the LCG’s ${what} is 0.`}
            </dd>
          </div>
          <div className="sim-figure">
            <dt>Incremental {incrementalUnit(result.metric, binary)}</dt>
            <dd className="sim-figure-value" data-testid="analytics-incremental">
              {incrementalValue(result.metric, binary, uplift.incremental.estimate)}
            </dd>
            <dd className="sim-figure-detail">
              {level} interval {incrementalValue(result.metric, binary, uplift.incremental.low)} to {incrementalValue(result.metric, binary, uplift.incremental.high)}
            </dd>
          </div>
        </>
      ) : (
        <div className="sim-figure">
          <dt>Uplift</dt>
          <dd className="sim-figure-value">–</dd>
          <dd className="sim-figure-detail">Not measurable: the warnings above say why.</dd>
        </div>
      )}
    </dl>
  );
}

function groupsNote(result: AnalysisResult): string {
  const partial = result.groups.some((g) => g.partial > 0);
  return [
    'Missing: profiles without an outcome (their window has not begun, or the outcome file has no row for them).',
    partial ? 'Partial window: profiles whose window ends after the project clock; their outcome so far is counted.' : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
}
