import type { AnalysisResult } from '../../../shared/contract/analytics';
import { formatClock, formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { peekingWarnings } from '../../store/analytics/selectors';
import { daysText, estimateText } from '../../../shared/analytics/analysis-text';
import { dailyTable, driftTable, gcgTable, STRATA_NOTE, strataTable } from '../../store/analytics/tables';
import { ResultTable } from '../simulator/result-table';
import { UpliftChart } from './uplift-chart';

/** Over time, per stratum, against the GCG, and the LCG's age and drift. */
export function AnalysisDetails({ result }: { result: AnalysisResult }) {
  return (
    <>
      <section className="analytics-section" aria-labelledby="analytics-daily-title">
        <h3 id="analytics-daily-title" className="sim-subtitle">
          Over time
        </h3>
        {result.daily.length > 0 ? (
          <>
            <UpliftChart result={result} />
            {peekingWarnings(result).map((w, i) => (
              <p key={i} className="callout callout-warning" data-testid="analytics-peeking-note">
                {w.text}
              </p>
            ))}
            <details className="analytics-days">
              <summary>The uplift by day, as a table</summary>
              <ResultTable table={dailyTable(result)} testId="analytics-days" />
            </details>
          </>
        ) : (
          <p className="field-hint">No day on the project clock has profiles in both groups yet.</p>
        )}
      </section>
      {result.strata.length > 0 && (
        <section className="analytics-section" aria-label="Strata">
          <ResultTable table={strataTable(result)} testId="analytics-strata" note={strataNote(result)} />
        </section>
      )}
      <GcgSection result={result} />
      <DriftSection result={result} />
    </>
  );
}

function strataNote(result: AnalysisResult): string {
  const small = result.strata.filter((s) => s.tooSmall).length;
  return `${STRATA_NOTE}${small > 0 ? ` ${countOf(small, 'stratum', 'strata')} marked here.` : ''}`;
}

function GcgSection({ result }: { result: AnalysisResult }) {
  const { gcg } = result;
  const table = gcgTable(result);
  if (!gcg || !table) return null;
  return (
    <section className="analytics-section" aria-labelledby="analytics-gcg-title" data-testid="analytics-gcg">
      <h3 id="analytics-gcg-title" className="sim-subtitle">
        All campaigns against the GCG
      </h3>
      <p className="field-hint">
        Everyone any campaign of this database reached against its global control group, on the same metric, from {formatClock(gcg.from)} to {formatClock(gcg.to)} (the GCG
        has no entry to count from).
      </p>
      <ResultTable table={table} testId="analytics-gcg-table" />
      <p data-testid="analytics-gcg-uplift">{gcg.uplift ? `Uplift of all campaigns together: ${estimateText(result.binary, gcg.uplift.absolute, result.confidence)}.` : 'No uplift against the GCG: a group has no profile with an outcome.'}</p>
    </section>
  );
}

function DriftSection({ result }: { result: AnalysisResult }) {
  const { lcgAge } = result;
  const flagged = lcgAge.rows.filter((r) => r.flagged).length;
  return (
    <section className="analytics-section" aria-labelledby="analytics-drift-title" data-testid="analytics-drift">
      <h3 id="analytics-drift-title" className="sim-subtitle">
        The LCG’s age and drift
      </h3>
      <p data-testid="analytics-lcg-age">
        {lcgAge.since === null
          ? 'The LCG has not been held out yet.'
          : `The LCG has been held out since ${formatClock(lcgAge.since)}${lcgAge.days === null ? '' : `: ${daysText(lcgAge.days)} days`}. The longer a control group is held out, the more it can drift from Test: check the balance below.`}
      </p>
      {lcgAge.rows.length > 0 ? (
        <ResultTable
          table={driftTable(result)}
          testId="analytics-drift-table"
          note={`SMD: the difference of the means in pooled standard deviations, on the fields as they are today; ${formatCount(flagged)} of ${formatCount(lcgAge.rows.length)} rows over 0.1 are marked.`}
        />
      ) : (
        <p className="field-hint">No field to compare Test and the LCG on.</p>
      )}
    </section>
  );
}
