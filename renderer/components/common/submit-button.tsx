import type { ReactNode } from 'react';

/**
 * A dialog's submit button. While the engine works on what it asked for, the button says
 * so ("Saving…") instead of just going grey: no dialog waits without saying what for.
 */
export function SubmitButton({ busy, busyLabel, disabled, small, children }: { busy: boolean; busyLabel: string; disabled?: boolean; small?: boolean; children: ReactNode }) {
  return (
    <button type="submit" className={small ? 'button button-primary button-small' : 'button button-primary'} disabled={busy || disabled === true} aria-busy={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}
