import { useSyncExternalStore } from 'react';

/**
 * The open modal dialogs, oldest first. Only the top one takes keys, and messages show
 * inside it: outside, they would lie on the backdrop, out of reach of the keyboard (focus
 * stays in the dialog) and of screen readers (aria-modal hides the rest of the page).
 *
 * What belongs to the top dialog stays with it (the keyboard guard below): a form or a key
 * handler beneath it never receives a submit, an Enter or a Space. The focus can land
 * beneath the top dialog (a control of it went away, a dialog beneath took the focus back);
 * an Enter there submitted the export form under an open file browser.
 */
interface OpenModal {
  readonly id: number;
  readonly element: HTMLElement | null;
}

let stack: readonly OpenModal[] = [];
let lastId = 0;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of [...listeners]) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const top = (): number | null => stack[stack.length - 1]?.id ?? null;
const topElement = (): HTMLElement | null => stack[stack.length - 1]?.element ?? null;

export function newModalId(): number {
  lastId += 1;
  return lastId;
}

export function openModal(id: number, element: HTMLElement | null = null): void {
  installKeyboardGuard();
  stack = [...stack, { id, element }];
  emit();
}

export function closeModal(id: number): void {
  stack = stack.filter((open) => open.id !== id);
  emit();
}

/** The id of the topmost open dialog, or null when none is open. */
export function useTopModal(): number | null {
  return useSyncExternalStore(subscribe, top, top);
}

/** Whether the dialog is on top now (not as of the last render). */
export const isTopModal = (id: number): boolean => top() === id;

/** Keys that press a button or submit a form by default. */
const ACTIVATING_KEYS: ReadonlySet<string> = new Set(['Enter', ' ']);

let guarded = false;

/** Outside the top dialog: the dialog is open and the event's target is not in it. */
function outsideTopDialog(event: Event): boolean {
  const dialog = topElement();
  return dialog !== null && event.target instanceof Node && !dialog.contains(event.target);
}

function stop(event: Event): void {
  event.preventDefault();
  event.stopImmediatePropagation();
}

/**
 * Capture listeners on the window, ahead of React's (on its root) and of every form: they
 * see each key and submit first. Installed once, with the first dialog; they act only
 * while a dialog is open. Escape and Tab aimed beneath are the top dialog's (Modal).
 */
function installKeyboardGuard(): void {
  if (guarded || typeof window === 'undefined') return;
  guarded = true;
  window.addEventListener(
    'keydown',
    (event) => {
      // An Enter or a Space aimed beneath the top dialog presses nothing there (no keypress, no click, no submit).
      if (ACTIVATING_KEYS.has(event.key) && outsideTopDialog(event)) stop(event);
    },
    true,
  );
  window.addEventListener(
    'submit',
    (event) => {
      if (outsideTopDialog(event)) stop(event);
    },
    true,
  );
}
