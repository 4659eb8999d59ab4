import { formatBytes } from '../../../shared/format';
import { formatInstant, selectRecovery } from '../../store/start/selectors';
import { selectIsBusy } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';

/** Unsaved work left by a session that ended without saving. Hidden when there is none. */
export function RecoveryList() {
  const copies = useApp(selectRecovery);
  const busy = useApp(selectIsBusy);
  const { recover, discardRecovery } = useActions();
  if (copies.length === 0) return null;
  return (
    <section className="start-section recovery-section" aria-labelledby="recovery-title">
      <h2 id="recovery-title" className="section-title">
        Recover unsaved work
      </h2>
      <p className="section-note">
        Campaign Planner stopped before these projects were saved. Recover one to continue where you left off, then save it.
      </p>
      <ul className="item-list">
        {copies.map((copy) => (
          <li key={copy.id} className="item-row">
            <span className="item-main">{copy.name}</span>
            <span className="item-path" title={copy.originalPath ?? undefined}>
              {copy.originalPath ?? 'Never saved'}
            </span>
            <span className="item-meta">
              {formatInstant(copy.writtenAt)} · {formatBytes(copy.sizeBytes)}
            </span>
            <span className="item-actions">
              <button
                type="button"
                className="button button-primary button-small"
                disabled={busy}
                aria-label={`Recover ${copy.name}`}
                onClick={() => void recover(copy.id)}
              >
                Recover
              </button>
              <button
                type="button"
                className="button button-plain button-small"
                disabled={busy}
                aria-label={`Discard unsaved work of ${copy.name}`}
                onClick={() => void discardRecovery(copy.id)}
              >
                Discard
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
