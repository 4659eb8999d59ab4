import type { EngineInfo, EngineRestartedEvent } from '../../../shared/contract/index';
import type { ConnectionStatus } from '../../client/platform';
import type { SliceCreator, StoreDeps } from '../types';

/** What the banner says after the engine was restarted. */
export interface RestartNotice {
  readonly reason: string;
  readonly lostUnsavedChanges: boolean;
  /** The project reopened after the restart; null when none was open or it could not be reopened. */
  readonly restoredName: string | null;
  readonly restoredFromRecovery: boolean;
}

export interface EngineSlice {
  connection: ConnectionStatus;
  engineInfo: EngineInfo | null;
  restart: RestartNotice | null;
  /** The first state has been loaded: until then the window shows neither screen. */
  ready: boolean;
  /** Loads everything the window shows from the engine (at start and after a reconnect). */
  initialize(): Promise<void>;
  setConnection(status: ConnectionStatus): void;
  applyEngineRestarted(event: EngineRestartedEvent): void;
  dismissRestart(): void;
}

export const createEngineSlice =
  (deps: StoreDeps): SliceCreator<EngineSlice> =>
  (set, get) => ({
    connection: deps.platform.connection.status(),
    engineInfo: null,
    restart: null,
    ready: false,

    async initialize() {
      try {
        const [engineInfo, project] = await Promise.all([
          deps.client.call('engine/ping', {}),
          deps.client.call('project/state', {}),
        ]);
        set({ engineInfo });
        const shown = get().project;
        get().applyProjectState(project);
        if (!project.open) await get().loadStart();
        // The same project as before a reconnect: its pages may be stale (another one is loaded afresh anyway).
        else if (shown.open && shown.sessionId === project.sessionId) get().refreshProjectViews();
      } catch (error) {
        get().reportError(error);
      } finally {
        set({ ready: true });
      }
    },

    setConnection(status) {
      const previous = get().connection;
      if (status === previous) return;
      set({ connection: status });
      // The server may have restarted meanwhile: what this window shows may be stale.
      if (status === 'connected' && previous === 'lost') void get().initialize();
    },

    applyEngineRestarted(event) {
      get().clearOperations();
      set({
        restart: {
          reason: event.reason,
          lostUnsavedChanges: event.lostUnsavedChanges,
          restoredName: event.restored.open ? event.restored.name : null,
          restoredFromRecovery: event.restored.open && event.restored.recovered,
        },
      });
      get().applyProjectState(event.restored);
    },

    dismissRestart() {
      set({ restart: null });
    },
  });
