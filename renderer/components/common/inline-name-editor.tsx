import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useFieldNotes } from './text-field';
import { SubmitButton } from './submit-button';

interface InlineNameEditorProps {
  readonly label: string;
  readonly initial: string;
  /** The problem with a name as typed; null when it is fine. */
  readonly validate: (name: string) => string | null;
  /** Resolves true when saved (the editor then closes). */
  readonly onSave: (name: string) => Promise<boolean>;
  readonly onCancel: () => void;
  /** The contract's limit: counted against, never cut at (see TextField). */
  readonly limit: number;
}

/** A name edited in place: checked as it is typed, Enter saves, Escape puts it back. */
export function InlineNameEditor({ label, initial, validate, onSave, onCancel, limit }: InlineNameEditorProps) {
  const [name, setName] = useState(initial);
  const [saving, setSaving] = useState(false);
  const problem = name.trim() === initial.trim() ? null : validate(name);
  const { describedBy, notes } = useFieldNotes(problem, name, limit, 'inline-editor-note');

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (problem || saving) return;
    if (name.trim() === initial.trim()) {
      onCancel();
      return;
    }
    setSaving(true);
    const saved = await onSave(name.trim());
    setSaving(false);
    if (saved) onCancel();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  };

  return (
    <form className="inline-editor" onSubmit={(e) => void submit(e)}>
      <input
        type="text"
        aria-label={label}
        value={name}
        // A field that opens for typing takes the focus at once.
        autoFocus
        aria-invalid={problem !== null}
        aria-describedby={describedBy}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <SubmitButton small busy={saving} busyLabel="Saving…" disabled={problem !== null}>
        Save
      </SubmitButton>
      <button type="button" className="button button-plain button-small" onClick={onCancel}>
        Cancel
      </button>
      {notes}
    </form>
  );
}
