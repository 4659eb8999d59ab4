import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { formatCount } from '../../../shared/format';

interface FieldFrameProps {
  readonly label: string;
  /** Shown under the control and linked to it; null when the value is fine. */
  readonly error: string | null;
  readonly className?: string;
}

/**
 * A text field never cuts what is typed or pasted (no maxLength): a text over the
 * contract's `limit` stays whole, the count shows, and the form's problem says how much
 * too long it is. The count appears near the limit, so it is not noise on short names.
 */
interface LimitProps {
  readonly limit?: number;
}

/** The count is shown from this share of the limit on. */
const COUNT_FROM = 0.8;

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-invalid' | 'aria-describedby' | 'className' | 'maxLength'>;
type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'aria-invalid' | 'aria-describedby' | 'className' | 'maxLength'>;

/**
 * The problem and the length count under a field, and the ids the control is described
 * by. `noteClass` adds a class to both (an inline editor lays them out on their own line).
 */
export function useFieldNotes(error: string | null, value: unknown, limit: number | undefined, noteClass = ''): { describedBy: string | undefined; notes: ReactNode } {
  const errorId = useId();
  const countId = useId();
  const count = lengthCount(value, limit);
  const extra = noteClass === '' ? '' : ` ${noteClass}`;
  const describedBy = [error ? errorId : null, count ? countId : null].filter((x) => x !== null).join(' ') || undefined;
  const notes = (
    <>
      {count && (
        <span id={countId} className={`field-count${count.over ? ' field-count-over' : ''}${extra}`}>
          {count.text}
        </span>
      )}
      {error && (
        <span id={errorId} className={`field-error${extra}`}>
          {error}
        </span>
      )}
    </>
  );
  return { describedBy, notes };
}

/** "180 / 200 characters" once a value nears its limit; null before, or without a limit. */
export function lengthCount(value: unknown, limit: number | undefined): { text: string; over: boolean } | null {
  if (limit === undefined || typeof value !== 'string') return null;
  const length = value.trim().length;
  if (length < limit * COUNT_FROM) return null;
  return { text: `${formatCount(length)} / ${formatCount(limit)} characters`, over: length > limit };
}

/**
 * A labelled text field with its problem below it. The problem is outside the <label>, so
 * the field's name stays its label while the problem is read as its description.
 */
export function TextField({ label, error, className, limit, ...input }: FieldFrameProps & LimitProps & InputProps) {
  const id = useId();
  const { describedBy, notes } = useFieldNotes(error, input.value, limit);
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input id={id} type="text" aria-invalid={error !== null} aria-describedby={describedBy} {...input} />
      {notes}
    </div>
  );
}

export function TextAreaField({ label, error, className, limit, ...textarea }: FieldFrameProps & LimitProps & TextAreaProps) {
  const id = useId();
  const { describedBy, notes } = useFieldNotes(error, textarea.value, limit);
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <textarea id={id} aria-invalid={error !== null} aria-describedby={describedBy} {...textarea} />
      {notes}
    </div>
  );
}
