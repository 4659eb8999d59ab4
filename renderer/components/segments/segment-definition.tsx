import { useEffect } from 'react';
import type { Segment } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { recalcHead, recalcSummary } from '../../store/segments/recalc-slice';
import { scheduleWords } from '../../store/segments/selectors';
import { InlineProgress } from '../feedback/inline-progress';

const selectRecalcOperation = selectOperationOf('segment/recalculate');

/** An updatable or dynamic segment's condition, schedule and recalculations, in words. */
export function SegmentDefinition({ segment }: { segment: Segment }) {
  return (
    <section className="panel" aria-labelledby="segment-definition-title">
      <h3 id="segment-definition-title" className="panel-title">
        {segment.kind === 'updatable' ? 'Updatable segment' : 'Dynamic segment'}
      </h3>
      <dl className="facts" data-testid="segment-definition">
        <dt>Condition</dt>
        <dd>
          <code className="condition-code">{segment.where ?? '—'}</code>
        </dd>
        {segment.kind === 'updatable' ? (
          <>
            <dt>Recalculated</dt>
            <dd>{segment.schedule ? `${scheduleWords(segment.schedule)}, on the project clock` : '—'}</dd>
            <dt>Next recalculation</dt>
            <dd data-testid="segment-next">{segment.nextRecalculation ? formatClock(segment.nextRecalculation) : '—'}</dd>
            <dt>Last recalculation</dt>
            <dd>
              {segment.lastRecalculation
                ? `${formatClock(segment.lastRecalculation.clock)}: ${recalcSummary(segment.lastRecalculation)}`
                : '—'}
            </dd>
          </>
        ) : (
          <>
            <dt>Evaluated</dt>
            <dd>At each use (preview, campaign build, activity run, export){segment.evaluatedClock ? `; last on ${formatClock(segment.evaluatedClock)}` : ''}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** "Recalculate now" running, then what it did: size, joined, left, the campaigns that followed. */
export function RecalcStatus({ segmentId }: { segmentId: number }) {
  const recalc = useApp((s) => s.segmentRecalc);
  const op = useApp(selectRecalcOperation);
  const { dismissSegmentRecalc, cancelOperation } = useActions();
  if (!recalc || recalc.segmentId !== segmentId) return null;
  if (recalc.running) {
    return (
      <section className="panel" aria-label="Recalculating">
        <InlineProgress op={op} />
        <button type="button" className="button button-plain button-small" disabled={!op || op.cancelling} onClick={() => op && void cancelOperation(op.id)}>
          Cancel
        </button>
      </section>
    );
  }
  return (
    <section className="panel membership-panel" aria-labelledby="recalc-title">
      <div className="panel-heading">
        <h3 id="recalc-title" className="panel-title">
          {recalc.result ? 'Recalculated' : 'Not recalculated'}
        </h3>
        <button type="button" className="icon-button" aria-label="Close" onClick={dismissSegmentRecalc}>
          ×
        </button>
      </div>
      {recalc.result ? (
        <>
          <p data-testid="recalc-result">{recalcHead(recalc.result)}</p>
          {recalc.result.campaigns.length > 0 && (
            <ul className="recalc-result" data-testid="recalc-campaigns">
              {recalc.result.campaigns.map((c) => (
                <li key={c.campaignId}>
                  Campaign “{c.name}” followed: {formatCount(c.joined)} joined and were split, {formatCount(c.left)} left with “Campaign exit”
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="field-error" role="alert">
          {recalc.error}
        </p>
      )}
    </section>
  );
}

/** Every recalculation (newest first): its time on the project clock, size, joined, left; a row's members can be listed and exported. */
export function SegmentHistory({ segment, viewing, onView }: { segment: Segment; viewing: number | null; onView: (n: number | null) => void }) {
  const history = useApp((s) => s.segmentHistory);
  const { loadSegmentHistory, openExportDialog } = useActions();
  const lastNumber = segment.lastRecalculation?.number ?? null;
  useEffect(() => {
    void loadSegmentHistory(segment.id);
  }, [segment.id, lastNumber, loadSegmentHistory]);
  const rows = history?.segmentId === segment.id ? history.rows : null;
  if (history?.error) return <p className="field-error">{history.error}</p>;
  if (rows === null) return <p className="empty-note">Loading…</p>;
  if (rows.length === 0) return <p className="empty-note">No recalculations yet.</p>;
  return (
    <div className="segment-history-table">
      <table className="data-table" aria-label="Recalculations">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Project clock</th>
            <th scope="col">Why</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col" className="numeric">
              Joined
            </th>
            <th scope="col" className="numeric">
              Left
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.number} aria-current={viewing === r.number ? 'true' : undefined}>
              <td>{r.number}</td>
              <td className="cell-nowrap">{formatClock(r.clock)}</td>
              <td>{r.reason === 'created' ? 'Created' : r.reason === 'manual' ? 'Recalculate now' : 'Schedule'}</td>
              <td className="numeric">{formatCount(r.size)}</td>
              <td className="numeric">{formatCount(r.joined)}</td>
              <td className="numeric">{formatCount(r.left)}</td>
              <td className="cell-actions">
                <div className="row-actions" role="group" aria-label={`Recalculation ${r.number}`}>
                  <button type="button" className="button button-plain button-small" aria-pressed={viewing === r.number} onClick={() => onView(viewing === r.number ? null : r.number)}>
                    {viewing === r.number ? 'Hide members' : 'Members'}
                  </button>
                  <button
                    type="button"
                    className="button button-plain button-small"
                    disabled={r.size === 0}
                    onClick={() =>
                      openExportDialog(segment.databaseId, {
                        scope: { kind: 'segment', segmentId: segment.id, recalculation: r.number },
                        subject: `${segment.name}, recalculation ${r.number} (${formatClock(r.clock)})`,
                      })
                    }
                  >
                    Export…
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
