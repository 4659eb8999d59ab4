import type { ActivityTiming } from '../../../shared/contract/clock';
import type { Activity, ActivityRun, ActivityType, ResultOf } from '../../../shared/contract/index';
import { leftOutText } from '../../../shared/domain/left-out';
import { ACTIVITY_TYPE_LABELS } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { countOf } from '../../lib/text';
import { isCancelled } from '../notices/messages';
import type { SliceCreator, StoreDeps } from '../types';
import { loadForProject } from '../load';
import { describeTiming } from '../../../shared/domain/activity-timing';

type Variant = { readonly name: string; readonly percent: number };

export interface ActivityDraft {
  readonly name: string;
  readonly type: ActivityType;
  /** Null: the whole campaign audience. */
  readonly segmentId: number | null;
  readonly ignoreLcg: boolean;
  /** With ignoreLcg only (transactional): reach every subscription status. */
  readonly ignoreSubscription: boolean;
  readonly audienceExpansion: boolean;
  readonly variants: readonly Variant[];
}

export interface ActivitiesSlice {
  /** The activities of each campaign loaded so far, by campaign id. */
  activitiesByCampaign: Readonly<Record<number, readonly Activity[]>>;
  /** The external list (activities in no campaign) of each database loaded so far. */
  externalActivities: Readonly<Record<number, readonly Activity[]>>;
  loadActivities(campaignId: number): Promise<void>;
  loadExternalActivities(databaseId: number): Promise<void>;
  /** In a campaign, or (campaignId null) in the database's external list. */
  createActivity(databaseId: number, campaignId: number | null, draft: ActivityDraft): Promise<Activity | null>;
  updateActivity(activity: Activity, draft: Omit<ActivityDraft, 'type'>): Promise<boolean>;
  /** Attach to a campaign, move to another, or (null) out to the external list; the engine refuses as the guide says. */
  moveActivity(activity: Activity, campaignId: number | null): Promise<boolean>;
  /** Asks first. */
  deleteActivity(activity: Activity): Promise<boolean>;
  /**
   * Runs it at the project clock's time; resolves with the run's counts. When its audience
   * expansion would add profiles to the campaign's segment, says so first (other active
   * campaigns on that segment take them too) and runs only if the user goes ahead.
   */
  runActivity(activity: Activity): Promise<ActivityRun | null>;
  /** Launches it on the clock by its type's timing (from `from`, else from now); nothing runs until its campaign is active. */
  launchActivity(activity: Activity, timing: ActivityTiming, from?: string): Promise<Activity | null>;
  /** Asks first; then it runs no more (a scenario lets its profiles go). */
  stopActivity(activity: Activity): Promise<Activity | null>;
  /** The event types of a database (those before the clock), for a trigger's choice; empty when they cannot be read. */
  listEventTypes(databaseId: number): Promise<string[]>;
  resetActivities(): void;
}

const variantsOf = (draft: Pick<ActivityDraft, 'type' | 'variants'>): Variant[] =>
  draft.type === 'ab_test' ? draft.variants.map((v) => ({ name: v.name.trim(), percent: v.percent })) : [];

export const createActivitiesSlice =
  (deps: StoreDeps): SliceCreator<ActivitiesSlice> =>
  (set, get) => {
    const { client } = deps;
    let epoch = 0;

    /** What shows an activity changed: its campaign(s) and the external list of its database. */
    const changed = async (databaseId: number, ...campaignIds: (number | null)[]) => {
      const tasks: Promise<unknown>[] = [];
      for (const id of new Set(campaignIds)) {
        if (id !== null) tasks.push(get().campaignChanged(id));
      }
      if (get().externalActivities[databaseId] || campaignIds.includes(null)) tasks.push(get().loadExternalActivities(databaseId));
      await Promise.all(tasks);
    };

    /**
     * A write of one activity (create, edit, launch): shown at once from what the engine
     * returned; then only the few things it changes are read again (see campaignTouched), in
     * the background: the dialog that asked for it closes as soon as the row is written.
     */
    const touched = (activity: Activity, before?: Activity) => {
      // The segments list counts the activities that use each segment.
      if (activity.segmentId !== null || (before?.segmentId ?? null) !== null) void get().loadSegments();
      const list = activity.campaignId === null ? get().externalActivities[activity.databaseId] : get().activitiesByCampaign[activity.campaignId];
      if (list) {
        const next = list.some((a) => a.id === activity.id) ? list.map((a) => (a.id === activity.id ? activity : a)) : [...list, activity];
        if (activity.campaignId === null) set({ externalActivities: { ...get().externalActivities, [activity.databaseId]: next } });
        else set({ activitiesByCampaign: { ...get().activitiesByCampaign, [activity.campaignId]: next } });
      }
      if (activity.campaignId === null) void get().loadExternalActivities(activity.databaseId);
      else void get().campaignTouched(activity.campaignId);
    };

    return {
      activitiesByCampaign: {},
      externalActivities: {},

      async loadActivities(campaignId) {
        // A campaign gone meanwhile is not an error here: its page says so.
        await loadForProject(
          get,
          () => epoch,
          () => client.call('activity/list', { campaignId }),
          (list) => set({ activitiesByCampaign: { ...get().activitiesByCampaign, [campaignId]: list } }),
          ['NOT_FOUND'],
        );
      },

      async loadExternalActivities(databaseId) {
        await loadForProject(
          get,
          () => epoch,
          () => client.call('activity/list', { databaseId, external: true }),
          (list) => set({ externalActivities: { ...get().externalActivities, [databaseId]: list } }),
        );
      },

      async createActivity(databaseId, campaignId, draft) {
        try {
          const activity = await client.call('activity/create', {
            databaseId,
            ...(campaignId === null ? {} : { campaignId }),
            type: draft.type,
            name: draft.name.trim(),
            segmentId: draft.segmentId,
            ignoreLcg: draft.ignoreLcg,
            ignoreSubscription: draft.ignoreLcg && draft.ignoreSubscription,
            audienceExpansion: draft.audienceExpansion,
            variants: variantsOf(draft),
          });
          touched(activity);
          return activity;
        } catch (error) {
          get().reportError(error);
          return null;
        }
      },

      async updateActivity(activity, draft) {
        try {
          const updated = await client.call('activity/update', {
            activityId: activity.id,
            name: draft.name.trim(),
            segmentId: draft.segmentId,
            ignoreLcg: draft.ignoreLcg,
            ignoreSubscription: draft.ignoreLcg && draft.ignoreSubscription,
            audienceExpansion: draft.audienceExpansion,
            ...(activity.type === 'ab_test' ? { variants: variantsOf({ type: activity.type, variants: draft.variants }) } : {}),
          });
          touched(updated, activity);
          return true;
        } catch (error) {
          get().reportError(error);
          return false;
        }
      },

      async moveActivity(activity, campaignId) {
        try {
          // From the external list into a campaign is an attachment: refused when another campaign uses it.
          const attach = activity.campaignId === null && campaignId !== null;
          const moved = await client.call('activity/move', { activityId: activity.id, campaignId, ...(attach ? { attach: true } : {}) });
          await changed(activity.databaseId, activity.campaignId, campaignId);
          const target = campaignId === null ? 'the external list' : `"${get().campaigns?.find((c) => c.id === campaignId)?.name ?? 'the campaign'}"`;
          get().notify({
            tone: 'success',
            title: activity.campaignId === null ? 'Activity attached' : 'Activity moved',
            message: `"${moved.name}" is now in ${target}.`,
          });
          return true;
        } catch (error) {
          // The guide's refusals (another database, active or completed, used elsewhere, launched before) come as the engine's words.
          get().reportError(error);
          return false;
        }
      },

      async deleteActivity(activity) {
        const choice = await get().askConfirm({
          title: `Delete the activity "${activity.name}"?`,
          message: `The ${ACTIVITY_TYPE_LABELS[activity.type].toLowerCase()} goes for good. An activity that has run cannot be deleted; move it out instead.`,
          choices: [
            { id: 'delete', label: 'Delete activity', tone: 'danger' },
            { id: 'cancel', label: 'Cancel', tone: 'plain' },
          ],
          defaultChoice: 'cancel',
          cancelChoice: 'cancel',
        });
        if (choice !== 'delete') return false;
        try {
          await client.call('activity/delete', { activityId: activity.id });
          await changed(activity.databaseId, activity.campaignId);
          return true;
        } catch (error) {
          get().reportError(error);
          return false;
        }
      },

      async runActivity(activity) {
        if (activity.audienceExpansion) {
          let preview: ResultOf<'activity/previewRun'>;
          try {
            preview = await client.call('activity/previewRun', { activityId: activity.id });
          } catch (error) {
            get().reportError(error);
            return null;
          }
          if (preview.warning !== null) {
            const choice = await get().askConfirm({
              title: `Run "${activity.name}" with audience expansion?`,
              message: preview.warning,
              choices: [
                { id: 'run', label: 'Run and expand', tone: 'primary' },
                { id: 'cancel', label: 'Cancel', tone: 'plain' },
              ],
              defaultChoice: 'cancel',
              cancelChoice: 'cancel',
            });
            if (choice !== 'run') return null;
          }
        }
        try {
          const run = await get().runOperation('activity/run', { activityId: activity.id }, `Running "${activity.name}"`);
          await changed(activity.databaseId, activity.campaignId, ...run.gainedCampaigns.map((g) => g.campaignId));
          get().notify({ tone: 'success', title: `"${activity.name}" ran`, message: runSentence(run) });
          return run;
        } catch (error) {
          if (isCancelled(error)) get().notify({ tone: 'info', title: 'Cancelled', message: `The run of "${activity.name}" was cancelled; nothing was recorded.` });
          else get().reportError(error);
          return null;
        }
      },

      async launchActivity(activity, timing, from) {
        try {
          const launched = await client.call('activity/launch', { activityId: activity.id, timing, ...(from === undefined ? {} : { from }) });
          touched(launched);
          get().notify({ tone: 'success', title: `"${activity.name}" launched`, message: launchSentence(launched) });
          return launched;
        } catch (error) {
          get().reportError(error);
          return null;
        }
      },

      async stopActivity(activity) {
        const choice = await get().askConfirm({
          title: `Stop "${activity.name}"?`,
          message:
            activity.type === 'scenario'
              ? 'It runs no more on the clock, and the scenario lets go of the profiles it holds. Its runs so far are kept; you can launch it again.'
              : 'It runs no more on the clock. Its runs so far are kept; you can launch it again.',
          choices: [
            { id: 'stop', label: 'Stop activity', tone: 'danger' },
            { id: 'cancel', label: 'Cancel', tone: 'plain' },
          ],
          defaultChoice: 'cancel',
          cancelChoice: 'cancel',
        });
        if (choice !== 'stop') return null;
        try {
          const stopped = await client.call('activity/stop', { activityId: activity.id });
          // A stopped scenario lets go of its profiles: more than a few rows change.
          await changed(activity.databaseId, activity.campaignId);
          get().notify({ tone: 'info', title: `"${activity.name}" stopped`, message: 'It runs no more on the project clock.' });
          return stopped;
        } catch (error) {
          get().reportError(error);
          return null;
        }
      },

      async listEventTypes(databaseId) {
        try {
          return (await client.call('events/list', { databaseId, limit: 1 })).types.map((t) => t.type);
        } catch {
          // The choice then offers no types; a type can still be typed.
          return [];
        }
      },

      resetActivities() {
        epoch += 1;
        set({ activitiesByCampaign: {}, externalActivities: {} });
      },
    };
  };

/** "Every Monday at 10:00; next run Mon 10 Apr 2023, 10:00." or why it does not run yet. */
export function launchSentence(activity: Activity): string {
  const timing = activity.timing === null ? 'By hand only' : describeTiming(activity.timing);
  const next = activity.nextRun === null ? '' : `; next run ${formatClock(activity.nextRun)}`;
  const waiting = activity.notRunning === null ? '' : ` ${activity.notRunning}`;
  return `${timing}${next}.${waiting}`;
}

/**
 * "12,000 recipients: 12,000 in Test, none in the LCG; left out: 1,300 in the LCG, 40
 * unsubscribed; 50 added by audience expansion; "Summer" gained 50 of them too."
 */
export function runSentence(run: ActivityRun): string {
  const total = run.test + run.control;
  const parts = [`${countOf(total, 'recipient')}: ${formatCount(run.test)} in Test, ${run.control === 0 ? 'none' : formatCount(run.control)} in the LCG`];
  const left = run.leftOut === null ? '' : leftOutText(run.leftOut);
  if (left !== '') parts.push(`left out: ${left}`);
  if (run.expanded > 0) parts.push(`${countOf(run.expanded, 'profile')} added by audience expansion`);
  if (run.gainedCampaigns.length > 0) parts.push(`${gainedText(run.gainedCampaigns)} too`);
  return `${parts.join('; ')}.`;
}

/** '"Summer" gained 50 profiles, "Autumn" gained 3' */
export function gainedText(gained: ActivityRun['gainedCampaigns']): string {
  return gained.map((g) => `"${g.name}" gained ${countOf(g.joined, 'profile')}`).join(', ');
}
