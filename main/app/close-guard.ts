import type { MessageBoxOptions } from 'electron';
import type { Envelope } from '../../shared/contract/errors';
import type { EngineRequest } from '../../shared/contract/index';
import type { OpenProjectState, ProjectState } from '../../shared/contract/project';
import { fileNameOf } from '../../shared/format';
import type { PickedSavePath } from './dialogs';

export type CloseChoice = 'save' | 'discard' | 'cancel';

/** Button order of the unsaved-changes box; the indexes are what showMessageBox returns. */
export const UNSAVED_BUTTONS = ['Save', "Don't Save", 'Cancel'] as const;

/** Closing loses work only when a project is open with unsaved changes. */
export function needsConfirmation(state: ProjectState): state is OpenProjectState {
  return state.open && state.dirty;
}

export function unsavedChangesBox(state: OpenProjectState): MessageBoxOptions {
  const what = state.path === null ? `“${state.name}”` : `“${state.name}” (${fileNameOf(state.path)})`;
  return {
    type: 'warning',
    buttons: [...UNSAVED_BUTTONS],
    defaultId: 0,
    // Esc and the window's own close button mean Cancel, never Don't Save.
    cancelId: 2,
    noLink: true,
    message: `Do you want to save the changes to ${what}?`,
    detail: "Your changes will be lost if you don't save them.",
  };
}

export function choiceFromResponse(response: number): CloseChoice {
  if (response === 0) return 'save';
  if (response === 1) return 'discard';
  return 'cancel';
}

export interface CloseGuardDeps {
  readonly host: {
    readonly projectState: ProjectState;
    invoke(request: EngineRequest): Promise<Envelope<unknown>>;
  };
  /** dialog.showMessageBox on the window; resolves to the button index. */
  readonly ask: (options: MessageBoxOptions) => Promise<number>;
  /** dialog.showMessageBox with an error; resolves when dismissed. */
  readonly showError: (message: string, detail: string) => Promise<void>;
  /** The native save dialog, for a project that has never been saved. */
  readonly pickSavePath: (defaultName: string) => Promise<PickedSavePath | null>;
  /** The close was called off (Cancel, or a failed save): a pending quit is off too. */
  readonly onCancelled?: () => void;
  readonly log?: (line: string) => void;
}

/**
 * Asks what to do with unsaved changes before the window closes (or the app quits) and
 * does it. Resolves to true when closing may go ahead: nothing to save, saved, or the
 * user chose not to save. A failed save keeps the window open: nothing is lost silently.
 */
export async function confirmClose(deps: CloseGuardDeps): Promise<boolean> {
  const state = deps.host.projectState;
  if (!needsConfirmation(state)) return true;
  const choice = choiceFromResponse(await deps.ask(unsavedChangesBox(state)));
  if (choice === 'cancel') return false;
  if (choice === 'discard') {
    const closed = await deps.host.invoke({ method: 'project/close', args: { discard: true } });
    // The user chose to lose the changes; a failure here must not trap them in the app.
    if (!closed.ok) deps.log?.(`close: project/close failed: ${closed.error.message}`);
    return true;
  }
  let request: EngineRequest;
  if (state.path !== null) {
    request = { method: 'project/save', args: {} };
  } else {
    const picked = await deps.pickSavePath(state.name);
    if (!picked) return false;
    request = { method: 'project/saveAs', args: { path: picked.path, overwrite: picked.overwriteConfirmed } };
  }
  const saved = await deps.host.invoke(request);
  if (saved.ok) return true;
  await deps.showError('Campaign Planner could not save the project.', saved.error.message);
  return false;
}

/** The part of BrowserWindow the guard hooks into. */
export interface GuardedWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  close(): void;
  isDestroyed(): boolean;
}

/**
 * Holds the window's close (and with it, a quit) until unsaved changes are dealt with.
 * The first close is prevented while the question is open; a second close in the
 * meantime (Cmd+Q pressed twice) is swallowed rather than asking twice.
 */
export function guardWindowClose(window: GuardedWindow, deps: CloseGuardDeps): void {
  let confirmed = false;
  let asking = false;
  window.on('close', (event) => {
    if (confirmed || !needsConfirmation(deps.host.projectState)) return;
    event.preventDefault();
    if (asking) return;
    asking = true;
    confirmClose(deps)
      .catch((error: unknown) => {
        deps.log?.(`close: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      })
      .then((proceed) => {
        asking = false;
        if (!proceed) {
          deps.onCancelled?.();
          return;
        }
        if (window.isDestroyed()) return;
        confirmed = true;
        window.close();
      });
  });
}
