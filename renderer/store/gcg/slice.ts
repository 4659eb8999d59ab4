import type { GcgState } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { hasCode, isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';
import { normalisePercent } from './selectors';

export interface GcgSlice {
  /** The global control group of each database loaded so far, by database id. */
  gcg: Readonly<Record<number, GcgState>>;
  loadGcg(databaseId: number): Promise<GcgState | null>;
  /**
   * Sets the share and seed; a new share or seed forms the group anew, so it asks first.
   * Resolves true when changed.
   */
  setGcg(databaseId: number, percent: string, seed: string): Promise<boolean>;
  /** Exempts a campaign from its database's GCG (its audience keeps GCG members), or undoes it. */
  setGcgExempt(campaignId: number, databaseId: number, exempt: boolean): Promise<boolean>;
  resetGcg(): void;
}

export const createGcgSlice =
  (deps: StoreDeps): SliceCreator<GcgSlice> =>
  (set, get) => {
    let epoch = 0;
    const store = (state: GcgState) => set({ gcg: { ...get().gcg, [state.databaseId]: state } });

    return {
      gcg: {},

      async loadGcg(databaseId) {
        const at = epoch;
        try {
          const state = await deps.client.call('gcg/get', { databaseId });
          if (at !== epoch) return null;
          store(state);
          return state;
        } catch (error) {
          if (at === epoch && !hasCode(error, 'NO_PROJECT')) get().reportError(error);
          return null;
        }
      },

      async setGcg(databaseId, percentText, seedText) {
        const current = get().gcg[databaseId] ?? (await get().loadGcg(databaseId));
        const percent = normalisePercent(percentText);
        const seed = seedText.trim();
        if (current && Number(percent) === current.percent && (seed === '' || seed === current.seed)) return true;
        const name = get().databases?.find((d) => d.id === databaseId)?.name ?? 'the database';
        const removing = Number(percent) === 0;
        if (current && current.size > 0) {
          const choice = await get().askConfirm({
            title: removing ? 'Remove the global control group?' : 'Form the global control group anew?',
            message: removing
              ? `All ${formatCount(current.size)} members of the GCG of ${name} go back into campaign audiences.`
              : `A new share or seed re-forms the GCG of ${name} from scratch: its ${formatCount(current.size)} members are chosen again, and campaigns built on the old group keep their audiences until new profiles arrive.`,
            choices: [
              { id: 'apply', label: removing ? 'Remove the GCG' : 'Re-form the GCG', tone: 'danger' },
              { id: 'cancel', label: 'Cancel', tone: 'plain' },
            ],
            defaultChoice: 'cancel',
            cancelChoice: 'cancel',
          });
          if (choice !== 'apply') return false;
        }
        try {
          const state = await get().runOperation(
            'gcg/set',
            { databaseId, percent, ...(seed === '' ? {} : { seed }) },
            `Forming the global control group of ${name}`,
          );
          store(state);
          get().refreshProfileTable(databaseId);
          void get().loadCampaigns();
          get().notify({
            tone: 'success',
            title: 'Global control group set',
            message: state.percent === 0 ? `${name} has no global control group now.` : `${formatCount(state.size)} profiles of ${name} are in the GCG (${state.percent} %).`,
          });
          return true;
        } catch (error) {
          if (isCancelled(error)) {
            get().notify({ tone: 'info', title: 'Cancelled', message: 'The global control group was left as it was.' });
          } else {
            get().reportError(error);
          }
          return false;
        }
      },

      async setGcgExempt(campaignId, databaseId, exempt) {
        try {
          store(await deps.client.call('gcg/exempt', { campaignId, exempt }));
          await get().campaignChanged(campaignId);
          void get().loadCampaigns();
          return true;
        } catch (error) {
          get().reportError(error);
          void get().loadGcg(databaseId);
          return false;
        }
      },

      resetGcg() {
        epoch += 1;
        set({ gcg: {} });
      },
    };
  };
