import type { ActionCheck } from '../../../shared/domain/campaign-status';

interface CheckedButtonProps {
  readonly label: string;
  readonly check: ActionCheck;
  readonly onClick: () => void;
  /** Shows why the action is not possible (a click on a refused button). */
  readonly onRefused: (reason: string) => void;
  readonly tone?: 'primary' | 'plain' | 'danger';
  readonly small?: boolean;
  /** Another reason to wait (an operation is running): a plain disabled button. */
  readonly busy?: boolean;
}

/**
 * A button the status machine may refuse. A refused one stays focusable and says why: on
 * hover (its title), to screen readers (its description), and on a click (inline, by the
 * caller). The engine checks again, and its refusal is shown too.
 */
export function CheckedButton({ label, check, onClick, onRefused, tone = 'plain', small = false, busy = false }: CheckedButtonProps) {
  const reason = check.allowed ? null : check.reason;
  return (
    <button
      type="button"
      className={`button button-${tone}${small ? ' button-small' : ''}`}
      aria-disabled={reason !== null || busy}
      disabled={busy && reason === null}
      title={reason ?? undefined}
      data-reason={reason ?? undefined}
      onClick={() => (reason === null ? onClick() : onRefused(reason))}
    >
      {label}
    </button>
  );
}
