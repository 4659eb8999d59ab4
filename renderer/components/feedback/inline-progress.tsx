import { formatBytes, formatCount } from '../../../shared/format';
import { progressView } from '../../store/operations/selectors';
import type { RunningOperation } from '../../store/operations/slice';

/**
 * The progress of an operation inside the dialog that started it: bar, phase, percent,
 * rows and bytes so far, rate and time left.
 */
export function InlineProgress({ op }: { op: RunningOperation | null }) {
  if (!op) {
    return (
      <div className="inline-progress">
        <progress aria-label="Starting" />
        <p className="progress-phase">Starting…</p>
      </div>
    );
  }
  const view = progressView(op);
  const rows = op.doneByUnit.rows;
  const bytes = op.doneByUnit.bytes;
  const details = [
    view.percent === null ? null : `${view.percent}%`,
    rows === undefined ? null : `${formatCount(rows)} rows`,
    bytes === undefined ? null : op.unit === 'bytes' && op.total !== null ? `${formatBytes(bytes)} of ${formatBytes(op.total)}` : formatBytes(bytes),
    view.rate,
    view.timeLeft,
  ].filter((part): part is string => part !== null);
  return (
    <div className="inline-progress" data-testid="inline-progress">
      {view.percent === null ? <progress aria-label={view.label} /> : <progress aria-label={view.label} max={100} value={view.percent} />}
      <p className="progress-phase">
        {view.phase}
        {details.length > 0 && <span className="progress-details"> · {details.join(' · ')}</span>}
      </p>
    </div>
  );
}
