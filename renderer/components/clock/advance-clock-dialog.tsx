import { useEffect, useState, type FormEvent } from 'react';
import { formatClock } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { dueActivations, selectCampaigns, waitingCampaigns } from '../../store/campaigns/selectors';
import { advanceProblem, clockPlus } from '../../store/clock/selectors';
import type { ClockAdvance } from '../../store/clock/slice';
import { useActions, useApp } from '../../store/react';
import { Modal } from '../dialogs/modal';

const STEPS: readonly { label: string; minutes: number }[] = [
  { label: '+1 hour', minutes: 60 },
  { label: '+1 day', minutes: 24 * 60 },
  { label: '+1 week', minutes: 7 * 24 * 60 },
];

/** Moves the project clock forward; shows which scheduled activations will fire, then which did. */
export function AdvanceClockDialog({ clock, onClose }: { clock: string; onClose: () => void }) {
  const { advanceClock, loadCampaigns } = useActions();
  const campaigns = useApp(selectCampaigns);
  const [to, setTo] = useState(() => clockPlus(clock, 24 * 60));
  const [result, setResult] = useState<ClockAdvance | null>(null);
  const [working, setWorking] = useState(false);
  useEffect(() => {
    void loadCampaigns();
  }, [loadCampaigns]);
  const problem = advanceProblem(to, clock);
  const due = problem === null ? dueActivations(campaigns, clock, to) : [];
  const waiting = waitingCampaigns(campaigns);
  const next = waiting.find((c) => (c.activateAt ?? '') > clock);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem !== null || working) return;
    setWorking(true);
    const done = await advanceClock(to, { shownByCaller: true });
    setWorking(false);
    if (done) setResult(done);
  };

  if (result) {
    return (
      <Modal labelledBy="clock-title" onCancel={onClose}>
        <div className="dialog-form">
          <h2 id="clock-title" className="modal-title">
            The clock is at {formatClock(result.clock)}
          </h2>
          {result.fired.length === 0 ? (
            <p className="modal-message">No scheduled activation fell due.</p>
          ) : (
            <>
              <p className="modal-message">{countOf(result.fired.length, 'scheduled activation')} fired, in this order:</p>
              <ol className="fired-list" data-testid="fired-list">
                {result.fired.map((f) => (
                  <li key={`${f.campaignId}-${f.at}`}>
                    <span className="cell-strong">{f.name}</span> <span className="cell-muted">at {formatClock(f.at)}</span> — {f.outcome}
                  </li>
                ))}
              </ol>
            </>
          )}
          <div className="modal-actions">
            {/* The same dialog showed the form until now: the focus moves here when the result replaces it. */}
            <button type="button" className="button button-primary" autoFocus onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      </Modal>
    );
  }

  return (
    <Modal labelledBy="clock-title" onCancel={onClose}>
      <form className="dialog-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id="clock-title" className="modal-title">
          Advance the project clock
        </h2>
        <p className="modal-message">
          Now {formatClock(clock)}. The plan moves to the new moment: delayed activations that fall due run in order, and what they do is
          recorded as events.
        </p>
        <div className="field">
          <label className="field-label" htmlFor="clock-to">
            Advance to
          </label>
          <input
            id="clock-to"
            type="datetime-local"
            value={to}
            min={clockPlus(clock, 1)}
            data-autofocus=""
            aria-invalid={problem !== null}
            onChange={(e) => setTo(e.target.value)}
          />
          {problem && (
            <span className="field-error" role="alert">
              {problem}
            </span>
          )}
        </div>
        <div className="inline-actions">
          {STEPS.map((s) => (
            <button key={s.label} type="button" className="button button-plain button-small" onClick={() => setTo(clockPlus(clock, s.minutes))}>
              {s.label}
            </button>
          ))}
          {next?.activateAt && (
            <button type="button" className="button button-plain button-small" onClick={() => setTo(next.activateAt ?? to)}>
              To the next activation ({formatClock(next.activateAt)})
            </button>
          )}
        </div>
        <section aria-labelledby="due-title" className="due-section">
          <h3 id="due-title" className="section-title">
            Will fire
          </h3>
          {due.length === 0 ? (
            <p className="empty-note" data-testid="due-list">
              {waiting.length === 0 ? 'No campaign is waiting for a scheduled activation.' : 'No scheduled activation falls due by then.'}
            </p>
          ) : (
            <ol className="fired-list" data-testid="due-list">
              {due.map((c) => (
                <li key={c.id}>
                  <span className="cell-strong">{c.name}</span> <span className="cell-muted">at {formatClock(c.activateAt ?? '')}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
        <div className="modal-actions">
          <button type="button" className="button button-plain" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={problem !== null || working}>
            Advance
          </button>
        </div>
      </form>
    </Modal>
  );
}
