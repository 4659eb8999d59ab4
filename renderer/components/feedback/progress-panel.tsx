import { progressView, selectPanelOperations } from '../../store/operations/selectors';
import { useActions, useAppShallow } from '../../store/react';

/**
 * Long operations under way (open, save, recover): phase, bar, amount, rate, time left,
 * and Cancel. It fades in after a moment (CSS), so quick saves do not flash.
 */
export function ProgressPanel() {
  const operations = useAppShallow(selectPanelOperations);
  const { cancelOperation } = useActions();
  if (operations.length === 0) return null;
  return (
    <section className="progress-panel" aria-label="Operations in progress">
      {operations.map((op) => {
        const view = progressView(op);
        const details = [view.percent === null ? null : `${view.percent}%`, view.amount, view.rate, view.timeLeft].filter(
          (part): part is string => part !== null,
        );
        return (
          <div key={op.id} className="progress-item">
            <div className="progress-heading">
              <span className="progress-label">{view.label}</span>
              <button
                type="button"
                className="button button-plain button-small"
                disabled={op.cancelling}
                aria-label={`Cancel: ${view.label}`}
                onClick={() => void cancelOperation(op.id)}
              >
                Cancel
              </button>
            </div>
            {view.percent === null ? (
              <progress aria-label={view.label} />
            ) : (
              <progress aria-label={view.label} max={100} value={view.percent} />
            )}
            <p className="progress-phase">
              {view.phase}
              {details.length > 0 && <span className="progress-details"> · {details.join(' · ')}</span>}
            </p>
          </div>
        );
      })}
    </section>
  );
}
