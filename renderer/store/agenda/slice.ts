import type { ResultOf } from '../../../shared/contract/index';
import { loadForProject } from '../load';
import type { SliceCreator, StoreDeps } from '../types';

export type Agenda = ResultOf<'clock/agenda'>;

/** How many items the Agenda page asks for: enough for weeks of a busy plan, quick to draw. */
export const AGENDA_LIMIT = 200;

export interface AgendaSlice {
  /** What is scheduled next, across segments, campaigns and activities; null until loaded. */
  agenda: Agenda | null;
  loadAgenda(): Promise<void>;
  resetAgenda(): void;
}

export const createAgendaSlice =
  (deps: StoreDeps): SliceCreator<AgendaSlice> =>
  (set, get) => {
    // An answer for a project closed meanwhile is dropped.
    let epoch = 0;
    return {
      agenda: null,

      async loadAgenda() {
        await loadForProject(
          get,
          () => epoch,
          () => deps.client.call('clock/agenda', { limit: AGENDA_LIMIT }),
          (agenda) => set({ agenda }),
        );
      },

      resetAgenda() {
        epoch += 1;
        set({ agenda: null });
      },
    };
  };
