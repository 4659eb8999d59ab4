import { useEffect, useState } from 'react';

/** How long "Copied." stays next to the button. */
const SHOWN_MS = 2500;

/**
 * Copies a text to the clipboard and says so beside the button (announced politely); where
 * the page may not use the clipboard, it says what to do instead.
 */
interface CopyButtonProps {
  readonly text: string | null;
  readonly label: string;
  readonly accessibleLabel?: string;
  readonly describedBy?: string;
  readonly title?: string;
  readonly disabled?: boolean;
  readonly small?: boolean;
}

export function CopyButton({ text, label, accessibleLabel, describedBy, title, disabled = false, small = false }: CopyButtonProps) {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    if (message === null) return undefined;
    const timer = setTimeout(() => setMessage(null), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [message]);
  const copy = async () => {
    if (text === null) return;
    try {
      await navigator.clipboard.writeText(text);
      setMessage('Copied.');
    } catch {
      setMessage('The clipboard is not available here: select the text and copy it with the keyboard.');
    }
  };
  return (
    <>
      <button
        type="button"
        className={`button button-plain${small ? ' button-small' : ''}`}
        aria-label={accessibleLabel}
        aria-describedby={describedBy}
        title={title}
        disabled={disabled || text === null}
        onClick={() => void copy()}
      >
        {label}
      </button>
      <span className="copy-status" role="status">
        {message}
      </span>
    </>
  );
}
