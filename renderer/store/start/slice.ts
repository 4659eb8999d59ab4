import { DEMO_DEFAULT_PROFILES, type RecentProject, type RecoveryCopy } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';

export interface StartSlice {
  recent: readonly RecentProject[];
  recovery: readonly RecoveryCopy[];
  /** The lists have been loaded at least once. */
  startLoaded: boolean;
  loadStart(): Promise<void>;
  forgetRecent(path: string): Promise<void>;
  /** Opens a recovery copy as an unsaved project. */
  recover(id: string): Promise<boolean>;
  /** Deletes a recovery copy after the user confirmed. */
  discardRecovery(id: string): Promise<boolean>;
  /** A new, unsaved project with a generated audience, shown at its database's profiles. */
  /** The demo project; `replay` sets its clock a year back, its events ahead. */
  openDemoProject(options?: { readonly replay?: boolean }): Promise<boolean>;
}

export const createStartSlice =
  (deps: StoreDeps): SliceCreator<StartSlice> =>
  (set, get) => ({
    recent: [],
    recovery: [],
    startLoaded: false,

    async loadStart() {
      try {
        const [recent, recovery] = await Promise.all([
          deps.client.call('recent/list', {}),
          deps.client.call('recovery/list', {}),
        ]);
        set({ recent, recovery, startLoaded: true });
      } catch (error) {
        set({ startLoaded: true });
        get().reportError(error);
      }
    },

    async forgetRecent(path) {
      try {
        set({ recent: await deps.client.call('recent/forget', { path }) });
      } catch (error) {
        get().reportError(error);
      }
    },

    async recover(id) {
      const copy = get().recovery.find((c) => c.id === id);
      try {
        const state = await get().withUnsavedGuard('recover other work', (discard) =>
          get().runOperation('project/recover', discard ? { id, discard } : { id }, `Recovering ${copy?.name ?? 'unsaved work'}`),
        );
        if (!state) return false;
        get().applyProjectState(state);
        return true;
      } catch (error) {
        if (isCancelled(error)) {
          get().notify({ tone: 'info', title: 'Cancelled', message: 'Recovery was cancelled; the copy is still there.' });
        } else {
          get().reportError(error);
        }
        // A copy that has gone meanwhile should not stay on the list.
        await get().loadStart();
        return false;
      }
    },

    async openDemoProject(options = {}) {
      try {
        const replay = options.replay === true ? { replay: true } : {};
        const state = await get().withUnsavedGuard('open the demo project', (discard) =>
          get().runOperation(
            'demo/create',
            discard ? { profiles: DEMO_DEFAULT_PROFILES, ...replay, discard } : { profiles: DEMO_DEFAULT_PROFILES, ...replay },
            `Creating the demo project (${formatCount(DEMO_DEFAULT_PROFILES)} profiles)`,
          ),
        );
        if (!state) return false;
        get().applyProjectState(state);
        await get().loadDatabases();
        const first = get().databases?.[0];
        if (first) get().navigate({ page: 'database', databaseId: first.id, tab: 'profiles' });
        return true;
      } catch (error) {
        if (isCancelled(error)) {
          get().notify({ tone: 'info', title: 'Cancelled', message: 'The demo project was not created.' });
        } else {
          get().reportError(error);
        }
        return false;
      }
    },

    async discardRecovery(id) {
      const copy = get().recovery.find((c) => c.id === id);
      const choice = await get().askConfirm({
        title: 'Discard unsaved work?',
        message: `The unsaved work of "${copy?.name ?? 'this project'}" will be deleted for good.`,
        choices: [
          { id: 'discard', label: 'Discard', tone: 'danger' },
          { id: 'cancel', label: 'Cancel', tone: 'plain' },
        ],
        defaultChoice: 'cancel',
        cancelChoice: 'cancel',
      });
      if (choice !== 'discard') return false;
      try {
        set({ recovery: await deps.client.call('recovery/discard', { id }) });
        return true;
      } catch (error) {
        get().reportError(error);
        return false;
      }
    },
  });
