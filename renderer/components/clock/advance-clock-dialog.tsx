import { useEffect, useState, type FormEvent } from 'react';
import { formatClock } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { nextDueAfter } from '../../store/agenda/selectors';
import { ADVANCE_STEPS, advanceProblem, advanceSentence, advanceStepText, clockPlus, planCountText, stepCount, stepProblem } from '../../store/clock/selectors';
import type { ClockAdvance, ClockPlan } from '../../store/clock/slice';
import { selectOperationOf } from '../../store/operations/selectors';
import { useActions, useApp } from '../../store/react';
import { Modal } from '../dialogs/modal';
import { InlineProgress } from '../feedback/inline-progress';
import { ClockItemsTable, StepReports } from './clock-report';

const SHORTCUTS: readonly { label: string; minutes: number }[] = [
  { label: '+1 hour', minutes: 60 },
  { label: '+1 day', minutes: 24 * 60 },
  { label: '+1 week', minutes: 7 * 24 * 60 },
];

/** How long the moment must stay put before the plan is asked for (typing a date changes it often). */
const PLAN_DELAY_MS = 250;

const selectAdvanceOperation = selectOperationOf('clock/advance');

type PlanState = { readonly to: string } & ({ readonly plan: ClockPlan } | { readonly problem: string } | { readonly loading: true });

/**
 * Moves the project clock forward, at once or in steps. Before: what will run on the way
 * (the engine's plan, with counts where known). While it runs: progress and Cancel (a
 * cancelled advance changes nothing). After: what ran and how campaigns changed, per step.
 */
export function AdvanceClockDialog({ clock, onClose }: { clock: string; onClose: () => void }) {
  const { advanceClock, cancelClockAdvance, planClock, loadAgenda } = useActions();
  const op = useApp(selectAdvanceOperation);
  const next = useApp((s) => nextDueAfter(s.agenda?.items ?? [], clock));
  const [to, setTo] = useState(() => clockPlus(clock, 24 * 60));
  const [step, setStep] = useState('');
  const [plan, setPlan] = useState<PlanState | null>(null);
  const [running, setRunning] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const [result, setResult] = useState<ClockAdvance | null>(null);
  const problem = advanceProblem(to, clock);
  const stepError = stepProblem(clock, to, step);

  // The agenda knows the next due time: a shortcut to it.
  useEffect(() => {
    void loadAgenda();
  }, [loadAgenda]);

  useEffect(() => {
    if (problem !== null) return undefined;
    let live = true;
    setPlan({ to, loading: true });
    const timer = setTimeout(() => {
      void planClock(to).then((answer) => {
        if (live) setPlan({ to, ...answer });
      });
    }, PLAN_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [to, problem, planClock]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem !== null || stepError !== null || running) return;
    setCancelled(false);
    setRunning(true);
    const outcome = await advanceClock(to, { ...(step ? { step } : {}), shownByCaller: true });
    setRunning(false);
    if (outcome.kind === 'done') setResult(outcome.result);
    else if (outcome.kind === 'cancelled') setCancelled(true);
  };

  if (result) {
    return (
      <Modal labelledBy="clock-title" className="clock-dialog" onCancel={onClose}>
        <div className="dialog-form">
          <h2 id="clock-title" className="modal-title">
            The clock is at {formatClock(result.clock)}
          </h2>
          <p className="modal-message" data-testid="clock-summary">
            From {formatClock(result.from)}
            {result.steps.length > 1 ? `, in ${countOf(result.steps.length, 'step')}` : ''}: {advanceSentence(result)}
          </p>
          <StepReports steps={result.steps} />
          <div className="modal-actions">
            {/* The same dialog showed the form until now: the focus moves here when the report replaces it. */}
            <button type="button" className="button button-primary" autoFocus onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      </Modal>
    );
  }

  const shownPlan = plan !== null && plan.to === to && problem === null ? plan : null;
  return (
    // While it runs, Escape does not close the dialog: Cancel says what cancelling does.
    <Modal labelledBy="clock-title" className="clock-dialog" onCancel={running ? () => undefined : onClose}>
      <form className="dialog-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id="clock-title" className="modal-title">
          Advance the project clock
        </h2>
        <p className="modal-message">
          Now {formatClock(clock)}. Everything that falls due on the way runs in time order, each at its own time: segment recalculations (and the
          campaigns that follow them), scheduled activations, launched activities. The clock never goes back.
        </p>
        <fieldset className="clock-fields" disabled={running}>
          <legend className="visually-hidden">When to</legend>
          <div className="form-row">
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
                aria-describedby={problem ? 'clock-to-problem' : undefined}
                onChange={(e) => setTo(e.target.value)}
              />
              {problem && (
                <span id="clock-to-problem" className="field-error" role="alert">
                  {problem}
                </span>
              )}
            </div>
            <div className="field">
              <label className="field-label" htmlFor="clock-step">
                Steps
              </label>
              <select id="clock-step" value={step} aria-describedby="clock-step-hint" onChange={(e) => setStep(e.target.value)}>
                {ADVANCE_STEPS.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
              <span id="clock-step-hint" className={stepError ? 'field-error' : 'field-hint'}>
                {stepError ??
                  (step === '' || problem !== null ? 'The report covers the whole stretch.' : `The clock stops ${countOf(stepCount(clock, to, step), 'time')}, with a report each.`)}
              </span>
            </div>
          </div>
          <div className="inline-actions">
            {SHORTCUTS.map((s) => (
              <button key={s.label} type="button" className="button button-plain button-small" onClick={() => setTo(clockPlus(clock, s.minutes))}>
                {s.label}
              </button>
            ))}
            {next !== null && (
              <button type="button" className="button button-plain button-small" onClick={() => setTo(next)}>
                To the next due time ({formatClock(next)})
              </button>
            )}
          </div>
        </fieldset>
        <section aria-labelledby="plan-title" className="due-section">
          <h3 id="plan-title" className="section-title">
            Will run on the way
          </h3>
          {shownPlan === null || 'loading' in shownPlan ? (
            <p className="empty-note" data-testid="clock-plan-note">
              {problem === null ? 'Working out what falls due…' : 'Choose a later moment to see what will run.'}
            </p>
          ) : 'problem' in shownPlan ? (
            <p className="field-error" role="alert" data-testid="clock-plan-note">
              {shownPlan.problem}
            </p>
          ) : shownPlan.plan.items.length === 0 ? (
            <p className="empty-note" data-testid="clock-plan-note">
              Nothing falls due between now and {formatClock(shownPlan.plan.to)}: only the clock moves.
            </p>
          ) : (
            <>
              <ClockItemsTable items={shownPlan.plan.items} label="Will run on the way" testId="clock-plan" countLabel="Count (now)" />
              {shownPlan.plan.truncated ? (
                <p className="field-hint" data-testid="clock-plan-truncated">
                  Only the first {countOf(shownPlan.plan.items.length, 'item')} are listed: more falls due before {formatClock(shownPlan.plan.to)}.
                </p>
              ) : (
                <p className="field-hint" data-testid="clock-plan-count">
                  {planCountText(shownPlan.plan.items.length)}
                </p>
              )}
            </>
          )}
        </section>
        {running && (
          <div className="clock-running">
            <p className="clock-step-progress" data-testid="clock-step-progress">
              {advanceStepText(op?.doneByUnit.items ?? 0, step ? stepCount(clock, to, step) : 1)}
            </p>
            <InlineProgress op={op} />
            <p className="field-hint">Cancel leaves the project exactly as it was before the advance: the clock, the campaigns and the runs.</p>
          </div>
        )}
        {cancelled && (
          <p className="callout callout-info" role="status" data-testid="clock-cancelled">
            The advance was cancelled: nothing ran, and the clock is still at {formatClock(clock)}. The project is as it was before.
          </p>
        )}
        <div className="modal-actions">
          {running ? (
            <button type="button" className="button button-plain" disabled={op?.cancelling ?? false} onClick={() => void cancelClockAdvance()}>
              Cancel advance
            </button>
          ) : (
            <>
              <button type="button" className="button button-plain" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className="button button-primary" disabled={problem !== null || stepError !== null}>
                Advance
              </button>
            </>
          )}
        </div>
      </form>
    </Modal>
  );
}
