import { useId } from 'react';
import { describeSchedule, WEEKDAYS, type Schedule } from '../../../shared/domain/schedule';
import { CheckList } from '../conditions/check-list';
import { SCHEDULE_KIND_LABELS, scheduleFromDraft, type ScheduleDraft } from '../../store/segments/schedule-draft';

const DAY_LABELS = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' } as const;

/** A schedule (an updatable segment's, a regular mailing's), built with controls and said back in words (or what is wrong). */
export function ScheduleEditor({
  draft,
  disabled,
  onChange,
  legend = 'Recalculated',
}: {
  draft: ScheduleDraft;
  disabled: boolean;
  onChange: (draft: ScheduleDraft) => void;
  legend?: string;
}) {
  const id = useId();
  const read = scheduleFromDraft(draft);
  const set = (change: Partial<ScheduleDraft>) => onChange({ ...draft, ...change });
  return (
    <fieldset className="option-group" disabled={disabled}>
      <legend>{legend}</legend>
      <div className="schedule-row">
        <label className="field">
          <span className="field-label">How often</span>
          <select value={draft.kind} onChange={(e) => set({ kind: e.target.value as Schedule['kind'] })}>
            {(Object.keys(SCHEDULE_KIND_LABELS) as Schedule['kind'][]).map((k) => (
              <option key={k} value={k}>
                {SCHEDULE_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {draft.kind === 'hourly' && (
          <label className="field field-narrow">
            <span className="field-label">Hours (1–168)</span>
            <input inputMode="numeric" value={draft.hours} onChange={(e) => set({ hours: e.target.value })} />
          </label>
        )}
        {draft.kind === 'monthly' && (
          <label className="field field-narrow">
            <span className="field-label">Day of the month</span>
            <input inputMode="numeric" value={draft.day} onChange={(e) => set({ day: e.target.value })} />
          </label>
        )}
        {draft.kind !== 'hourly' && (
          <label className="field">
            <span className="field-label">At</span>
            <input type="time" value={draft.time} onChange={(e) => set({ time: e.target.value })} />
          </label>
        )}
      </div>
      {draft.kind === 'weekly' && (
        <CheckList
          label="On these weekdays"
          lead="On"
          options={WEEKDAYS.map((d) => ({ value: d, label: DAY_LABELS[d] }))}
          checked={draft.weekdays}
          onChange={(weekdays) => set({ weekdays })}
        />
      )}
      {'problem' in read ? (
        <p className="field-error" id={`${id}-problem`}>
          {read.problem}
        </p>
      ) : (
        <p className="field-hint" data-testid="schedule-words">
          {describeSchedule(read.schedule)}, on the project clock.
        </p>
      )}
    </fieldset>
  );
}
