import { useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react';
import { NoticeList } from '../feedback/notice-area';
import { closeModal, isTopModal, newModalId, openModal, useTopModal } from './modal-stack';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface ModalProps {
  readonly role?: 'dialog' | 'alertdialog';
  readonly labelledBy: string;
  readonly describedBy?: string;
  readonly className?: string;
  /** Escape, or a click on the backdrop. */
  readonly onCancel: () => void;
  readonly children: ReactNode;
}

/**
 * A modal dialog: focus moves in (to the element marked data-autofocus, else the first
 * control), Tab and Shift+Tab stay inside, Escape cancels, and focus returns to where it
 * was when the dialog closes. Keys are handled on the dialog itself, so with two dialogs
 * stacked only the top one (which has focus) reacts; the keyboard guard of modal-stack.ts
 * keeps a submit, an Enter or the rest of a keystroke meant for the top dialog from
 * reaching a form or a handler beneath it. Messages float at the top of the topmost dialog
 * while it is open, over its content, so nothing under the pointer moves when one comes or
 * goes (feedback.css). The dialog fits the window and scrolls inside, its buttons
 * (.modal-actions) always in view (dialogs.css).
 */
export function Modal({ role = 'dialog', labelledBy, describedBy, className, onCancel, children }: ModalProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [id] = useState(newModalId);
  const topmost = useTopModal() === id;

  const cancelRef = useRef(onCancel);
  cancelRef.current = onCancel;

  useEffect(() => {
    openModal(id, ref.current);
    return () => closeModal(id);
  }, [id]);

  // Focus can fall out of the dialog (the focused button became disabled, or was removed):
  // keys then reach the page, not the dialog. The topmost dialog still takes Escape, and
  // Tab brings the focus back into it.
  useEffect(() => {
    if (!topmost) return undefined;
    const onDocumentKey = (event: globalThis.KeyboardEvent) => {
      const dialog = ref.current;
      if (!dialog || event.defaultPrevented || (event.target instanceof Node && dialog.contains(event.target))) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        cancelRef.current();
      } else if (event.key === 'Tab') {
        event.preventDefault();
        (dialog.querySelector<HTMLElement>(FOCUSABLE) ?? dialog).focus();
      }
    };
    document.addEventListener('keydown', onDocumentKey);
    return () => document.removeEventListener('keydown', onDocumentKey);
  }, [topmost]);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    // A marked control that is disabled while the dialog loads (a button waiting for the
    // engine's check) cannot take the focus: the dialog itself takes it, so that the focus is
    // inside and Enter presses nothing by surprise; the dialog moves it on when it is ready.
    const marked = dialog?.querySelector<HTMLElement>('[data-autofocus]');
    const first = marked ? (marked.matches(':disabled') ? dialog : marked) : dialog?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? dialog)?.focus();
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  // A focused control that becomes disabled (a button while the engine works) or is removed
  // (a list item's Remove) drops the focus to the page: the topmost dialog takes it back, so
  // keys and screen readers stay in it. A disabled control still sends focusout to the
  // dialog; a removed one does not (it is no longer inside), so removals are watched too.
  const reclaimFocus = useRef(() => {});
  reclaimFocus.current = () => {
    const dialog = ref.current;
    // On top now, not as of the last render: a dialog just covered by another never takes the focus back from it.
    if (isTopModal(id) && dialog?.isConnected && (document.activeElement === null || document.activeElement === document.body)) dialog.focus();
  };
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (event.relatedTarget === null) queueMicrotask(() => reclaimFocus.current());
  };
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const observer = new MutationObserver(() => reclaimFocus.current());
    observer.observe(dialog, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const focusable = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !ref.current.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !ref.current.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        ref={ref}
        role={role}
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        tabIndex={-1}
        className={`modal ${className ?? ''}`}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      >
        {topmost && <NoticeList className="modal-notices" />}
        {children}
      </div>
    </div>
  );
}
