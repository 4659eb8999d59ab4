import { useEffect, useId, useState, type FormEvent } from 'react';
import { ACTIVITY_TYPE_LABELS, type Activity, type Campaign } from '../../../shared/contract/index';
import { formatClock } from '../../../shared/format';
import { TIMING_OF_TYPE } from '../../../shared/domain/activity-timing';
import { DELAY_UNIT_LABELS, launchFromDraft, newLaunchDraft, type DelayUnit, type LaunchDraft } from '../../store/activities/timing';
import { useActions, useApp } from '../../store/react';
import { Modal } from '../dialogs/modal';
import { ScheduleEditor } from '../segments/schedule-editor';

/**
 * Launches an activity on the project clock with the timing its type takes: a broadcast or
 * an A/B test at a time; a regular mailing on a schedule; a triggered mailing on an event
 * type with a delay; a scenario on an event type for a number of days; a placement while
 * the campaign is active. What it will do is said back in words as it is typed.
 */
export function LaunchDialog({ activity, campaign, onClose }: { activity: Activity; campaign: Campaign; onClose: () => void }) {
  const { launchActivity, listEventTypes } = useActions();
  const clock = useApp((s) => (s.project.open ? s.project.clock : ''));
  const [draft, setDraft] = useState<LaunchDraft>(() => newLaunchDraft(clock));
  const [eventTypes, setEventTypes] = useState<readonly string[]>([]);
  const [working, setWorking] = useState(false);
  const kind = TIMING_OF_TYPE[activity.type];
  const reading = launchFromDraft(activity.type, draft, clock);
  const set = (change: Partial<LaunchDraft>) => setDraft({ ...draft, ...change });
  const id = useId();

  useEffect(() => {
    if (kind !== 'trigger' && kind !== 'scenario') return undefined;
    let live = true;
    void listEventTypes(activity.databaseId).then((types) => {
      if (!live) return;
      setEventTypes(types);
      // One type in the database: it is the obvious choice.
      setDraft((d) => (d.eventType === '' && types.length === 1 ? { ...d, eventType: types[0] ?? '' } : d));
    });
    return () => {
      live = false;
    };
  }, [kind, activity.databaseId, listEventTypes]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if ('problem' in reading || working) return;
    setWorking(true);
    const launched = await launchActivity(activity, reading.timing, reading.from);
    setWorking(false);
    if (launched) onClose();
  };

  return (
    <Modal labelledBy="launch-title" className="activity-dialog" onCancel={onClose}>
      <form className="dialog-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id="launch-title" className="modal-title">
          Launch "{activity.name}"
        </h2>
        <p className="modal-message">
          {ACTIVITY_TYPE_LABELS[activity.type]} in "{campaign.name}". Once launched it runs on the project clock by itself as the clock is advanced
          {campaign.status === 'active' ? '' : '; nothing runs until the campaign is active'}. Now {formatClock(clock)}.
        </p>
        {kind === 'once' && (
          <div className="field">
            <label className="field-label" htmlFor={`${id}-at`}>
              Runs at (project clock)
            </label>
            <input id={`${id}-at`} type="datetime-local" value={draft.at} min={clock} data-autofocus="" onChange={(e) => set({ at: e.target.value })} />
            <span className="field-hint">At the clock's own time (now), it runs as it is launched when the campaign is active.</span>
          </div>
        )}
        {kind === 'schedule' && (
          <>
            <fieldset className="option-group">
              <legend>Schedule</legend>
              <label className="radio">
                <input type="radio" name={`${id}-mode`} checked={draft.scheduleMode === 'pick'} onChange={() => set({ scheduleMode: 'pick' })} />
                Choose
              </label>
              <label className="radio">
                <input type="radio" name={`${id}-mode`} checked={draft.scheduleMode === 'type'} onChange={() => set({ scheduleMode: 'type' })} />
                Type it
              </label>
            </fieldset>
            {draft.scheduleMode === 'pick' ? (
              <ScheduleEditor legend="Runs" draft={draft.schedule} disabled={working} onChange={(schedule) => set({ schedule })} />
            ) : (
              <div className="field">
                <label className="field-label" htmlFor={`${id}-schedule`}>
                  Schedule
                </label>
                <input
                  id={`${id}-schedule`}
                  type="text"
                  className="schedule-text"
                  value={draft.scheduleText}
                  spellCheck={false}
                  aria-describedby={`${id}-schedule-hint`}
                  onChange={(e) => set({ scheduleText: e.target.value })}
                />
                <span id={`${id}-schedule-hint`} className="field-hint">
                  "daily 09:00", "weekly mon,thu 10:00", "monthly 1 08:00" or "every 6 hours".
                </span>
              </div>
            )}
          </>
        )}
        {(kind === 'trigger' || kind === 'scenario') && (
          <div className="form-row">
            <div className="field">
              <label className="field-label" htmlFor={`${id}-type`}>
                On each event of type
              </label>
              <input
                id={`${id}-type`}
                type="text"
                list={`${id}-types`}
                value={draft.eventType}
                data-autofocus=""
                onChange={(e) => set({ eventType: e.target.value })}
              />
              <datalist id={`${id}-types`}>
                {eventTypes.map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
              <span className="field-hint">{eventTypes.length > 0 ? `In this database: ${eventTypes.join(', ')}.` : 'No events in this database before the clock yet: type the event type.'}</span>
            </div>
            {kind === 'trigger' ? (
              <div className="field">
                <span className="field-label" id={`${id}-delay-label`}>
                  Sent after
                </span>
                <div className="inline-actions" role="group" aria-labelledby={`${id}-delay-label`}>
                  <input type="text" inputMode="numeric" className="field-narrow" aria-label="Delay" value={draft.delay} onChange={(e) => set({ delay: e.target.value })} />
                  <select aria-label="Delay unit" value={draft.delayUnit} onChange={(e) => set({ delayUnit: e.target.value as DelayUnit })}>
                    {(Object.keys(DELAY_UNIT_LABELS) as DelayUnit[]).map((u) => (
                      <option key={u} value={u}>
                        {DELAY_UNIT_LABELS[u]}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            ) : (
              <div className="field">
                <label className="field-label" htmlFor={`${id}-days`}>
                  Holds each profile for (days)
                </label>
                <input id={`${id}-days`} type="text" inputMode="numeric" value={draft.days} onChange={(e) => set({ days: e.target.value })} />
              </div>
            )}
          </div>
        )}
        {kind !== 'once' && kind !== 'while_active' && (
          <div className="field">
            <label className="field-label" htmlFor={`${id}-from`}>
              Starts (project clock)
            </label>
            <input id={`${id}-from`} type="datetime-local" value={draft.from} min={clock} onChange={(e) => set({ from: e.target.value })} />
          </div>
        )}
        {kind === 'while_active' && <p className="field-hint">Nothing more to choose: it runs when launched and after each change of the campaign's audience.</p>}
        {'problem' in reading ? (
          <p className="field-error" aria-live="polite" data-testid="launch-problem">
            {reading.problem}
          </p>
        ) : (
          <p className="callout callout-info" data-testid="launch-words">
            {reading.words}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="button button-plain" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" data-autofocus={kind === 'while_active' || kind === 'schedule' ? '' : undefined} disabled={working || 'problem' in reading}>
            Launch
          </button>
        </div>
      </form>
    </Modal>
  );
}
