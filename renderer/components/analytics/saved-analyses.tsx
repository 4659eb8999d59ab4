import type { SavedAnalysisSummary } from '../../../shared/contract/analytics';
import { formatClock } from '../../../shared/format';
import { useActions } from '../../store/react';

/** The analyses kept with the campaign, newest first: open one to see it as it was, or delete it (asked first). */
export function SavedAnalyses({ saved, shownId }: { saved: readonly SavedAnalysisSummary[] | null; shownId: number | null }) {
  const { openAnalysis, deleteAnalysis } = useActions();
  return (
    <section className="sim-group" aria-labelledby="analytics-saved-title" data-testid="analytics-saved">
      <h3 id="analytics-saved-title" className="sim-group-title">
        Kept analyses
      </h3>
      {saved === null && <p className="empty-note">Loading…</p>}
      {saved !== null && saved.length === 0 && <p className="field-hint">None yet. Each analysis is kept with the campaign in the project file, so whoever opens the file sees it.</p>}
      {saved !== null && saved.length > 0 && (
        <ul className="analytics-saved-list">
          {saved.map((s) => (
            <li key={s.id} className="analytics-saved-item" aria-current={s.id === shownId ? 'true' : undefined}>
              <button type="button" className="link-button analytics-saved-open" aria-label={`Open the analysis of ${s.metricLabel}, ${formatClock(s.clock)}`} onClick={() => void openAnalysis(s.id)}>
                {s.metricLabel}
              </button>
              <span className="field-hint">
                {formatClock(s.clock)}
                {s.id === shownId ? ' · shown' : ''}
              </span>
              <button type="button" className="button button-plain button-small" aria-label={`Delete the analysis of ${s.metricLabel}, ${formatClock(s.clock)}`} onClick={() => void deleteAnalysis(s.id)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
