import { useId, type InputHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldFrameProps {
  readonly label: string;
  /** Shown under the control and linked to it; null when the value is fine. */
  readonly error: string | null;
  readonly className?: string;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-invalid' | 'aria-describedby' | 'className'>;
type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'aria-invalid' | 'aria-describedby' | 'className'>;

/**
 * A labelled text field with its problem below it. The problem is outside the <label>, so
 * the field's name stays its label while the problem is read as its description.
 */
export function TextField({ label, error, className, ...input }: FieldFrameProps & InputProps) {
  const id = useId();
  const errorId = useId();
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input id={id} type="text" aria-invalid={error !== null} aria-describedby={error ? errorId : undefined} {...input} />
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

export function TextAreaField({ label, error, className, ...textarea }: FieldFrameProps & TextAreaProps) {
  const id = useId();
  const errorId = useId();
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <textarea id={id} aria-invalid={error !== null} aria-describedby={error ? errorId : undefined} {...textarea} />
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
