import { useId, useMemo, type ReactNode } from 'react';
import type { ImportPreview } from '../../../shared/contract/index';
import { MAX_EVENT_TYPE } from '../../../shared/contract/index';
import { EVENTS_ROLE_LABELS, eventsMappingIssues, type EventsDraft, type EventsRole } from '../../store/import-wizard/events-mapping';
import type { ImportWizardState } from '../../store/import-wizard/slice';
import { useActions } from '../../store/react';
import { TextField } from '../common/text-field';
import { DateOrderChoice } from './columns-step';
import { DATE_ORDER_LABELS } from './csv-labels';

const NONE = '';

/**
 * Step 3 of an events import: the column of the profile ID, the type (a column, or one type
 * for every row), the time, and optionally the amount and a note; problems shown at once.
 */
export function EventsColumnsStep({ wizard }: { wizard: ImportWizardState }) {
  const { setEventsMapping } = useActions();
  const draft = wizard.events;
  const issues = useMemo(() => eventsMappingIssues(draft), [draft]);
  const preview = wizard.preview;
  if (!preview) return null;
  const order = preview.options.dateOrder ?? 'iso';

  return (
    <div className="wizard-step columns-step events-columns-step">
      <DateOrderChoice wizard={wizard} />
      <p className="wizard-note">
        One event per row. Rows of IDs that are not in the database are reported, never added as profiles. Dates are read as chosen in
        Preview: {DATE_ORDER_LABELS[order]}. A date alone means its midnight; a time zone written after the time (Z, +03:00) is dropped: times
        are wall time, like the project clock.
      </p>
      <div className="events-mapping">
        <ColumnChoice role="idColumn" preview={preview} draft={draft} problem={issues.idColumn} required />
        <fieldset className="option-group events-type">
          <legend>Event type</legend>
          <label className="radio">
            <input type="radio" name="event-type-from" checked={draft.typeFrom === 'column'} onChange={() => setEventsMapping({ typeFrom: 'column' })} />
            From a column
          </label>
          {draft.typeFrom === 'column' && <ColumnChoice role="typeColumn" preview={preview} draft={draft} problem={issues.typeColumn} required />}
          <label className="radio">
            <input type="radio" name="event-type-from" checked={draft.typeFrom === 'fixed'} onChange={() => setEventsMapping({ typeFrom: 'fixed' })} />
            The same type for every row
          </label>
          {draft.typeFrom === 'fixed' && (
            <TextField
              label="Type of every event (purchase, open, click, …)"
              error={issues.fixedType ?? null}
              value={draft.fixedType}
              limit={MAX_EVENT_TYPE}
              onChange={(e) => setEventsMapping({ fixedType: e.target.value })}
            />
          )}
        </fieldset>
        <ColumnChoice role="timeColumn" preview={preview} draft={draft} problem={issues.timeColumn} required />
        <ColumnChoice role="amountColumn" preview={preview} draft={draft} problem={issues.amountColumn} hint="A number, read with the decimal separator of Preview." />
        <ColumnChoice role="noteColumn" preview={preview} draft={draft} problem={issues.noteColumn} hint="Text such as an order ID." />
      </div>
    </div>
  );
}

interface ColumnChoiceProps {
  readonly role: EventsRole;
  readonly preview: ImportPreview;
  readonly draft: EventsDraft;
  readonly problem: string | undefined;
  readonly required?: boolean;
  readonly hint?: ReactNode;
}

/** A select of the file's columns for one role, with the chosen column's examples. */
function ColumnChoice({ role, preview, draft, problem, required = false, hint }: ColumnChoiceProps) {
  const { setEventsMapping } = useActions();
  const id = useId();
  const describedBy = useId();
  const chosen = preview.columns.find((c) => c.index === draft[role]) ?? null;
  const label = EVENTS_ROLE_LABELS[role];
  return (
    <div className="field events-column" data-testid={`events-${role}`}>
      <label className="field-label" htmlFor={id}>
        {role === 'typeColumn' ? 'Column of the event type' : required ? `${label} column` : `${label} column (optional)`}
      </label>
      <select
        id={id}
        value={chosen === null ? NONE : String(chosen.index)}
        aria-invalid={problem !== undefined}
        aria-describedby={describedBy}
        onChange={(e) => setEventsMapping({ [role]: e.target.value === NONE ? null : Number(e.target.value) })}
      >
        <option value={NONE}>{required ? 'Choose a column…' : 'None'}</option>
        {preview.columns.map((c) => (
          <option key={c.index} value={String(c.index)}>
            {c.name}
          </option>
        ))}
      </select>
      <span id={describedBy} className={problem ? 'field-error' : 'field-hint'}>
        {problem ?? (chosen ? `For example: ${chosen.examples.length > 0 ? chosen.examples.join(' · ') : 'no values in the sample'}` : hint)}
      </span>
    </div>
  );
}
