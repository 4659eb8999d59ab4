import type { Campaign, GcgState } from '../../../shared/contract/index';
import { formatCount } from '../../../shared/format';
import { hasCode, isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';
import { audienceBuilt } from '../campaigns/selectors';
import type { ConfirmRequest } from '../dialogs/slice';
import { listText } from '../../lib/text';
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
  /** Campaigns whose exemption is being changed now (their audience is rebuilt meanwhile). */
  gcgExemptChanging: readonly number[];
  /**
   * Exempts a campaign from its database's GCG (its audience keeps GCG members), or undoes
   * it. When the campaign has an audience it asks first (GCG members join or leave a live
   * audience); resolves true when changed. A second request while one runs is ignored.
   */
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
      gcgExemptChanging: [],

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
        // The active campaigns that hold the GCG out follow a change of it at once (the engine rebuilds them).
        if (!get().campaigns) await get().loadCampaigns();
        const following = followingText(get().campaigns ?? [], databaseId);
        if (current && current.size > 0) {
          const choice = await get().askConfirm({
            title: removing ? 'Remove the global control group?' : 'Form the global control group anew?',
            message: removing
              ? `All ${formatCount(current.size)} members of the GCG of ${name} go back into campaign audiences${
                  following ? `: the active campaigns that held them out (${following}) take them at once, as new profiles.` : '.'
                }`
              : `A new share or seed re-forms the GCG of ${name} from scratch: its ${formatCount(current.size)} members are chosen again.${
                  following ? ` The active campaigns that hold it out (${following}) follow at once: the new members leave them, and former members join them as new profiles.` : ''
                }`,
            choices: [
              { id: 'apply', label: removing ? 'Remove the GCG' : 'Re-form the GCG', tone: 'danger' },
              { id: 'cancel', label: 'Cancel', tone: 'plain' },
            ],
            defaultChoice: 'cancel',
            cancelChoice: 'cancel',
          });
          if (choice !== 'apply') return false;
        } else if (following && !removing) {
          const choice = await get().askConfirm({
            title: 'Form the global control group?',
            message: `${percent} % of the profiles of ${name} join the GCG now, and leave the active campaigns that hold it out (${following}), each with a "Campaign exit" event.`,
            choices: [
              { id: 'apply', label: 'Form the GCG', tone: 'primary' },
              { id: 'cancel', label: 'Cancel', tone: 'plain' },
            ],
            defaultChoice: 'apply',
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
        if (get().gcgExemptChanging.includes(campaignId)) return false;
        const campaign = get().campaignDetails[campaignId]?.campaign ?? get().campaigns?.find((c) => c.id === campaignId) ?? null;
        if (campaign && audienceBuilt(campaign)) {
          const question = exemptionQuestion(campaign.name, campaign.databaseName, exempt, get().gcg[databaseId] ?? null);
          if ((await get().askConfirm(question)) !== 'apply') return false;
        }
        set({ gcgExemptChanging: [...get().gcgExemptChanging, campaignId] });
        try {
          store(await deps.client.call('gcg/exempt', { campaignId, exempt }));
          await get().campaignChanged(campaignId);
          const after = get().campaignDetails[campaignId]?.campaign ?? null;
          const name = after?.name ?? campaign?.name ?? 'The campaign';
          get().notify({
            tone: 'success',
            title: exempt ? 'Exempt from the global control group' : 'Global control group held out',
            message: `"${name}" ${exempt ? 'keeps GCG members in its audience' : 'holds GCG members out of its audience'}${
              after && audienceBuilt(after) ? `: ${formatCount(after.groups.total)} profiles now (${formatCount(after.groups.control)} in the LCG).` : '.'
            }`,
          });
          return true;
        } catch (error) {
          get().reportError(error);
          void get().loadGcg(databaseId);
          return false;
        } finally {
          set({ gcgExemptChanging: get().gcgExemptChanging.filter((id) => id !== campaignId) });
        }
      },

      resetGcg() {
        epoch += 1;
        set({ gcg: {}, gcgExemptChanging: [] });
      },
    };
  };

/** The active campaigns of the database that hold its GCG out, by name ("A", "B" and 3 more); empty when none. */
function followingText(campaigns: readonly Campaign[], databaseId: number): string {
  const names = campaigns.filter((c) => c.databaseId === databaseId && c.status === 'active' && !c.deleted && !c.gcgExempt).map((c) => `"${c.name}"`);
  const shown = names.slice(0, 3);
  return listText(names.length > shown.length ? [...shown, `${formatCount(names.length - shown.length)} more`] : shown);
}

/** What changing an exemption does to a campaign that has an audience, asked before it happens. */
function exemptionQuestion(name: string, databaseName: string, exempt: boolean, gcg: GcgState | null): ConfirmRequest {
  const members = gcg && gcg.size > 0 ? `up to ${formatCount(gcg.size)} profiles` : 'its members';
  return exempt
    ? {
        title: `Make "${name}" exempt from the global control group?`,
        message: `The GCG of ${databaseName} (${members}) stops being held out: its members who are in the campaign's segment join the audience now and are split into Test and LCG like new profiles.`,
        choices: [
          { id: 'apply', label: 'Make exempt', tone: 'primary' },
          { id: 'cancel', label: 'Cancel', tone: 'plain' },
        ],
        defaultChoice: 'apply',
        cancelChoice: 'cancel',
      }
    : {
        title: `Hold the GCG members out of "${name}"?`,
        message: `Members of the GCG of ${databaseName} (${members}) leave the campaign now, from Test and from the LCG; each leaving is recorded as an event. Nobody else moves.`,
        choices: [
          { id: 'apply', label: 'Hold them out', tone: 'danger' },
          { id: 'cancel', label: 'Cancel', tone: 'plain' },
        ],
        defaultChoice: 'cancel',
        cancelChoice: 'cancel',
      };
}
