import { useSyncExternalStore } from 'react';

/**
 * The open modal dialogs, oldest first. Only the top one takes keys, and messages show
 * inside it: outside, they would lie on the backdrop, out of reach of the keyboard (focus
 * stays in the dialog) and of screen readers (aria-modal hides the rest of the page).
 */
let stack: readonly number[] = [];
let lastId = 0;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of [...listeners]) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const top = (): number | null => stack[stack.length - 1] ?? null;

export function newModalId(): number {
  lastId += 1;
  return lastId;
}

export function openModal(id: number): void {
  stack = [...stack, id];
  emit();
}

export function closeModal(id: number): void {
  stack = stack.filter((open) => open !== id);
  emit();
}

/** The id of the topmost open dialog, or null when none is open. */
export function useTopModal(): number | null {
  return useSyncExternalStore(subscribe, top, top);
}
