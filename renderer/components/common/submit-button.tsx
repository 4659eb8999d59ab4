import type { ReactNode } from 'react';

/**
 * A dialog's submit button. While the engine works on what it asked for, the button says
 * so ("Saving…") instead of just going grey: no dialog waits without saying what for. A
 * busy button keeps the keyboard focus (a disabled one would drop it, and a screen reader
 * would not hear what the dialog waits for): it is aria-disabled and refuses a second
 * submit (a click, or Enter in a field, which clicks the default button).
 */
export function SubmitButton({ busy, busyLabel, disabled, small, children }: { busy: boolean; busyLabel: string; disabled?: boolean; small?: boolean; children: ReactNode }) {
  return (
    <button
      type="submit"
      className={small ? 'button button-primary button-small' : 'button button-primary'}
      disabled={!busy && disabled === true}
      aria-disabled={busy || undefined}
      aria-busy={busy}
      onClick={busy ? (event) => event.preventDefault() : undefined}
    >
      {busy ? busyLabel : children}
    </button>
  );
}
