import type { Campaign, CampaignDetail, CampaignEvent, LcgSettings, ProgressEvent } from '../../../shared/contract/index';
import { hasCode } from '../notices/messages';
import { formatCount } from '../../../shared/format';
import type { SliceCreator, StoreDeps } from '../types';
import { createLifecycleActions, type LifecycleActions } from './lifecycle';
import { loadForProject } from '../load';

export type CampaignEventKind = CampaignEvent['kind'];

/** One page of a campaign's events, newest first, optionally of some kinds only. */
export interface CampaignEventsState {
  readonly campaignId: number;
  readonly kinds: readonly CampaignEventKind[];
  readonly offset: number;
  readonly limit: number;
  readonly total: number | null;
  readonly events: readonly CampaignEvent[];
  readonly loading: boolean;
  readonly error: string | null;
}

export interface CampaignDraft {
  readonly name: string;
  readonly databaseId: number;
  readonly segmentId: number;
  readonly attributes: Readonly<Record<string, string>>;
  readonly lcg: LcgSettings;
  /** Empty: a random one. */
  readonly seed: string;
}

export const EVENTS_PAGE_SIZE = 50;

export interface CampaignsSlice extends LifecycleActions {
  /** Campaigns not in the recycle bin; null until loaded. */
  campaigns: readonly Campaign[] | null;
  /** Campaigns in the recycle bin; null until looked at. */
  recycleBin: readonly Campaign[] | null;
  /** Campaigns loaded in full (strata, warning, split history), by id. */
  campaignDetails: Readonly<Record<number, CampaignDetail>>;
  campaignEvents: CampaignEventsState | null;
  loadCampaigns(): Promise<void>;
  loadRecycleBin(): Promise<void>;
  loadCampaign(campaignId: number): Promise<CampaignDetail | null>;
  /** A page of events; kinds and offset default to those shown. */
  loadCampaignEvents(campaignId: number, options?: { offset?: number; kinds?: readonly CampaignEventKind[] }): Promise<void>;
  /** Creates an Inactive campaign and shows it. */
  createCampaign(draft: CampaignDraft): Promise<Campaign | null>;
  updateCampaign(campaignId: number, change: { name?: string; attributes?: Record<string, string> }): Promise<boolean>;
  /** An Inactive copy (its segment may change); shows it. */
  cloneCampaign(campaignId: number, options: { name?: string; segmentId?: number }): Promise<Campaign | null>;
  /** Asks first, then moves the campaign to the recycle bin. */
  deleteCampaign(campaignId: number): Promise<boolean>;
  restoreCampaign(campaignId: number): Promise<boolean>;
  /**
   * A progress event that puts a campaign in a transient status (Audience building, Audience
   * exclusion): shown at once, until the operation ends and the campaign is read again.
   */
  applyCampaignWork(event: ProgressEvent): void;
  /** Stores what an action returned, then reloads what shows the campaign (list, page, events, activities, table). */
  campaignChanged(campaignId: number, detail?: CampaignDetail | Campaign): Promise<void>;
  /**
   * A write of a few rows of a campaign that leaves its audience as it is (its name, its
   * attributes, an activity): stores what the engine returned and reads again only what such
   * a write changes (the campaign's entry in the list, its activities and events when shown),
   * never its strata, groups or profiles, which cost a pass over the audience.
   */
  campaignTouched(campaignId: number, campaign?: Campaign): Promise<void>;
  resetCampaigns(): void;
}

export const createCampaignsSlice =
  (deps: StoreDeps): SliceCreator<CampaignsSlice> =>
  (set, get) => {
    const { client } = deps;
    let epoch = 0;

    const storeCampaign = (campaign: Campaign) => {
      const detail = get().campaignDetails[campaign.id];
      if (detail) set({ campaignDetails: { ...get().campaignDetails, [campaign.id]: { ...detail, campaign } } });
      const list = get().campaigns;
      if (list) {
        const others = list.filter((c) => c.id !== campaign.id);
        set({ campaigns: campaign.deleted ? others : list.some((c) => c.id === campaign.id) ? list.map((c) => (c.id === campaign.id ? campaign : c)) : [...others, campaign] });
      }
    };

    const storeDetail = (detail: CampaignDetail) => {
      set({ campaignDetails: { ...get().campaignDetails, [detail.campaign.id]: detail } });
      storeCampaign(detail.campaign);
    };

    return {
      ...createLifecycleActions(deps, get),
      campaigns: null,
      recycleBin: null,
      campaignDetails: {},
      campaignEvents: null,

      async loadCampaigns() {
        await loadForProject(get, () => epoch, () => client.call('campaign/list', {}), (campaigns) => {
          // A campaign loaded in full shows the list's newer facts too (its name, activity count).
          const details = { ...get().campaignDetails };
          for (const c of campaigns) {
            const detail = details[c.id];
            if (detail) details[c.id] = { ...detail, campaign: c };
          }
          set({ campaigns: campaigns.filter((c) => !c.deleted), campaignDetails: details });
        });
      },

      async loadRecycleBin() {
        await loadForProject(
          get,
          () => epoch,
          () => client.call('campaign/list', { includeDeleted: true }),
          (all) => set({ recycleBin: all.filter((c) => c.deleted), campaigns: all.filter((c) => !c.deleted) }),
        );
      },

      async loadCampaign(campaignId) {
        const at = epoch;
        try {
          const detail = await client.call('campaign/get', { campaignId });
          if (at !== epoch) return null;
          storeDetail(detail);
          return detail;
        } catch (error) {
          if (at !== epoch) return null;
          if (hasCode(error, 'NOT_FOUND')) {
            const { [campaignId]: _gone, ...rest } = get().campaignDetails;
            set({ campaignDetails: rest });
            const { route } = get();
            if (route.page === 'campaign' && route.campaignId === campaignId) get().navigate({ page: 'campaigns', bin: false });
          }
          get().reportError(error);
          return null;
        }
      },

      async loadCampaignEvents(campaignId, options = {}) {
        const previous = get().campaignEvents;
        const same = previous?.campaignId === campaignId;
        const kinds = options.kinds ?? (same ? previous.kinds : []);
        const kindsChanged = same && JSON.stringify(kinds) !== JSON.stringify(previous.kinds);
        const offset = options.offset ?? (same && !kindsChanged ? previous.offset : 0);
        const at = epoch;
        set({
          campaignEvents: {
            campaignId,
            kinds: [...kinds],
            offset,
            limit: EVENTS_PAGE_SIZE,
            total: same && !kindsChanged ? previous.total : null,
            events: same && !kindsChanged ? previous.events : [],
            loading: true,
            error: null,
          },
        });
        const isCurrent = () => {
          const now = get().campaignEvents;
          return at === epoch && now?.campaignId === campaignId && now.offset === offset && JSON.stringify(now.kinds) === JSON.stringify(kinds);
        };
        try {
          const page = await client.call('campaign/events', {
            campaignId,
            offset,
            limit: EVENTS_PAGE_SIZE,
            ...(kinds.length > 0 ? { kinds: [...kinds] } : {}),
          });
          const current = get().campaignEvents;
          if (isCurrent() && current) set({ campaignEvents: { ...current, total: page.total, events: page.events, loading: false } });
        } catch (error) {
          const current = get().campaignEvents;
          if (isCurrent() && current) set({ campaignEvents: { ...current, loading: false, error: error instanceof Error ? error.message : String(error) } });
        }
      },

      async createCampaign(draft) {
        try {
          const attributes = Object.keys(draft.attributes).length > 0 ? { attributes: { ...draft.attributes } } : {};
          const campaign = await client.call('campaign/create', {
            name: draft.name.trim(),
            databaseId: draft.databaseId,
            segmentId: draft.segmentId,
            ...attributes,
            lcg: draft.lcg,
            ...(draft.seed.trim() === '' ? {} : { seed: draft.seed.trim() }),
          });
          // Shown at once from what the engine returned; the list is read again behind it.
          storeCampaign(campaign);
          const listed = get().campaigns !== null;
          const reload = get().loadCampaigns();
          if (!listed) await reload;
          void get().refreshInfo();
          // The campaign's page reads the segments again (they name the campaigns using them).
          get().navigate({ page: 'campaign', campaignId: campaign.id, tab: 'overview' });
          return campaign;
        } catch (error) {
          get().reportError(error);
          return null;
        }
      },

      async updateCampaign(campaignId, change) {
        try {
          const campaign = await client.call('campaign/update', { campaignId, ...change });
          // A segment counts the campaigns using it, named from the campaigns list: nothing of the segments changes.
          await get().campaignTouched(campaignId, campaign);
          return true;
        } catch (error) {
          get().reportError(error);
          return false;
        }
      },

      async cloneCampaign(campaignId, options) {
        try {
          const clone = await client.call('campaign/clone', {
            campaignId,
            ...(options.name?.trim() ? { name: options.name.trim() } : {}),
            ...(options.segmentId === undefined ? {} : { segmentId: options.segmentId }),
          });
          storeCampaign(clone);
          await get().loadCampaigns();
          void get().loadSegments();
          void get().refreshInfo();
          get().notify({ tone: 'success', title: 'Campaign cloned', message: `"${clone.name}" is an Inactive copy, ready to change.` });
          get().navigate({ page: 'campaign', campaignId: clone.id, tab: 'overview' });
          return clone;
        } catch (error) {
          get().reportError(error);
          return null;
        }
      },

      async deleteCampaign(campaignId) {
        const campaign = get().campaignDetails[campaignId]?.campaign ?? get().campaigns?.find((c) => c.id === campaignId);
        const name = campaign?.name ?? 'the campaign';
        const choice = await get().askConfirm({
          title: `Delete "${name}"?`,
          message:
            'It goes to the recycle bin of the Campaigns page; restoring it brings it back as Completed.' +
            // The engine frees the activities of an Inactive campaign (none ran): say so before, not only in an event.
            (campaign?.status === 'inactive' && campaign.activityCount > 0
              ? ` ${campaign.activityCount === 1 ? 'Its activity moves' : `Its ${formatCount(campaign.activityCount)} activities move`} to the external list of ${campaign.databaseName}, free to be attached to another campaign.`
              : ''),
          choices: [
            { id: 'delete', label: 'Move to the recycle bin', tone: 'danger' },
            { id: 'cancel', label: 'Cancel', tone: 'plain' },
          ],
          defaultChoice: 'cancel',
          cancelChoice: 'cancel',
        });
        if (choice !== 'delete') return false;
        try {
          const deleted = await client.call('campaign/delete', { campaignId });
          await get().campaignChanged(campaignId, deleted);
          void get().loadRecycleBin();
          get().notify({ tone: 'success', title: 'Campaign deleted', message: `"${deleted.name}" is in the recycle bin.` });
          return true;
        } catch (error) {
          get().reportError(error);
          void get().loadCampaign(campaignId);
          return false;
        }
      },

      async restoreCampaign(campaignId) {
        try {
          const restored = await client.call('campaign/restore', { campaignId });
          await get().campaignChanged(campaignId, restored);
          void get().loadRecycleBin();
          get().notify({ tone: 'success', title: 'Campaign restored', message: `"${restored.name}" is back, as Completed.` });
          return true;
        } catch (error) {
          get().reportError(error);
          return false;
        }
      },

      applyCampaignWork(event) {
        const work = event.campaign;
        if (!work) return;
        const shown = get().campaignDetails[work.campaignId]?.campaign ?? get().campaigns?.find((c) => c.id === work.campaignId);
        if (shown) storeCampaign({ ...shown, status: work.status });
      },

      async campaignChanged(campaignId, result) {
        if (result && 'campaign' in result) storeDetail(result);
        else if (result) storeCampaign(result);
        const campaign = get().campaignDetails[campaignId]?.campaign ?? (result && 'campaign' in result ? result.campaign : result);
        const { route } = get();
        const shown = route.page === 'campaign' && route.campaignId === campaignId;
        const tasks: Promise<unknown>[] = [get().loadCampaigns()];
        if (shown || get().campaignDetails[campaignId]) tasks.push(get().loadCampaign(campaignId));
        if (shown || get().activitiesByCampaign[campaignId]) tasks.push(get().loadActivities(campaignId));
        if (get().campaignEvents?.campaignId === campaignId) tasks.push(get().loadCampaignEvents(campaignId));
        if (get().recycleBin !== null) tasks.push(get().loadRecycleBin());
        const table = get().profileTable;
        if (campaign && table?.databaseId === campaign.databaseId) get().refreshProfileTable(campaign.databaseId);
        void get().loadSegments();
        void get().refreshInfo();
        await Promise.all(tasks);
      },

      async campaignTouched(campaignId, campaign) {
        if (campaign) storeCampaign(campaign);
        const tasks: Promise<unknown>[] = [get().loadCampaigns()];
        const { route } = get();
        const shown = route.page === 'campaign' && route.campaignId === campaignId;
        if (shown || get().activitiesByCampaign[campaignId]) tasks.push(get().loadActivities(campaignId));
        if (get().campaignEvents?.campaignId === campaignId) tasks.push(get().loadCampaignEvents(campaignId));
        void get().refreshInfo();
        await Promise.all(tasks);
      },

      resetCampaigns() {
        epoch += 1;
        set({ campaigns: null, recycleBin: null, campaignDetails: {}, campaignEvents: null });
      },
    };
  };
