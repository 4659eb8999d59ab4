/**
 * What moves a campaign through its life: activation now or later, deactivation,
 * completion, manual additions and LCG changes. The long ones show progress with Cancel
 * (the operations slice); a cancelled build leaves the campaign as it was.
 */
import type { ActivationPreview, Campaign, CampaignDetail, LcgChangePreview, LcgSettings, ResultOf, StratificationWarning } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { countOf, listText } from '../../lib/text';
import { isCancelled } from '../notices/messages';
import type { AppState, StoreDeps } from '../types';

export type AddProfilesResult = ResultOf<'campaign/addProfiles'>;

export interface ActivateOptions {
  /** The user saw what previewActivation warned of (nobody in Test) and goes ahead. */
  readonly confirmed?: boolean;
}

export interface LifecycleActions {
  /** What an activation would give now, and what to confirm first; null when the engine refused to say. */
  previewActivation(campaignId: number): Promise<ActivationPreview | null>;
  /** Builds the audience and splits it now. */
  activateCampaign(campaignId: number, options?: ActivateOptions): Promise<CampaignDetail | null>;
  /** Waits until `at` on the project clock (a past moment is refused). */
  scheduleCampaign(campaignId: number, at: string, options?: ActivateOptions): Promise<CampaignDetail | null>;
  deactivateCampaign(campaignId: number): Promise<boolean>;
  /** Asks first, with the name typed to confirm: completion removes everyone and can never be undone. */
  completeCampaign(campaignId: number): Promise<boolean>;
  addCampaignProfiles(campaignId: number, profileIds: readonly string[], forceTest: boolean): Promise<AddProfilesResult | null>;
  /** What a change of the LCG would do; null when the engine refused to say (the notice says why). */
  previewLcg(campaignId: number, lcg: LcgSettings): Promise<LcgChangePreview | null>;
  /** Shows what the change does and asks before it is made (when it moves anyone); then rebuilds. */
  changeLcg(campaignId: number, lcg: LcgSettings): Promise<boolean>;
}

/** "Stratification violation: 2 strata expect less than one LCG profile: gender = other (0.4), ..." */
export function warningText(warning: StratificationWarning): string {
  const named = warning.strata.slice(0, 6).map((s) => `${s.label} (${s.expected.toFixed(2)})`);
  const more = warning.strata.length > 6 ? ` and ${warning.strata.length - 6} more` : '';
  const fix =
    warning.suggestedLimit === null
      ? 'No LCG size gives each of them a profile and still leaves anyone in Test: use coarser strata.'
      : `A limit of ${formatCount(warning.suggestedLimit)}${warning.suggestedPercent === null ? '' : ` (or ${warning.suggestedPercent} %)`} gives each at least one.`;
  return `${countOf(warning.strata.length, 'stratum expects', 'strata expect')} less than one LCG profile: ${listText(named)}${more}. ${fix}`;
}

export function createLifecycleActions(deps: StoreDeps, get: () => AppState): LifecycleActions {
  const { client } = deps;
  const campaignOf = (id: number): Campaign | null =>
    get().campaignDetails[id]?.campaign ?? get().campaigns?.find((c) => c.id === id) ?? null;
  const nameOf = (id: number) => campaignOf(id)?.name ?? 'the campaign';

  /** A cancelled long action is news, not an error; the campaign is reloaded either way. */
  const failed = async (campaignId: number, error: unknown, cancelledText: string) => {
    if (isCancelled(error)) get().notify({ tone: 'info', title: 'Cancelled', message: cancelledText });
    else get().reportError(error);
    await get().campaignChanged(campaignId);
  };

  const warnIfViolated = (detail: CampaignDetail) => {
    if (detail.warning) get().notify({ tone: 'warning', title: 'Stratification violation', message: warningText(detail.warning) });
  };

  const activate = async (campaignId: number, at: string | undefined, options: ActivateOptions = {}): Promise<CampaignDetail | null> => {
    const name = nameOf(campaignId);
    try {
      const detail = await get().runOperation(
        'campaign/activate',
        { campaignId, ...(at === undefined ? {} : { at }), ...(options.confirmed ? { confirmed: true } : {}) },
        at === undefined ? `Activating "${name}"` : `Scheduling "${name}"`,
      );
      await get().campaignChanged(campaignId, detail);
      const { groups } = detail.campaign;
      get().notify(
        at === undefined || detail.campaign.status === 'active'
          ? {
              tone: 'success',
              title: 'Campaign activated',
              message: `"${detail.campaign.name}": ${formatCount(groups.test)} in Test, ${formatCount(groups.control)} in the LCG.`,
            }
          : { tone: 'success', title: 'Campaign scheduled', message: `"${detail.campaign.name}" starts at ${formatClock(at)} on the project clock.` },
      );
      warnIfViolated(detail);
      return detail;
    } catch (error) {
      await failed(campaignId, error, `The activation of "${name}" was cancelled; the campaign is as it was.`);
      return null;
    }
  };

  return {
    async previewActivation(campaignId) {
      try {
        return await client.call('campaign/previewActivation', { campaignId });
      } catch (error) {
        get().reportError(error);
        return null;
      }
    },
    activateCampaign: (campaignId, options) => activate(campaignId, undefined, options),
    scheduleCampaign: (campaignId, at, options) => activate(campaignId, at, options),

    async deactivateCampaign(campaignId) {
      try {
        const campaign = await client.call('campaign/deactivate', { campaignId });
        await get().campaignChanged(campaignId, campaign);
        get().notify({ tone: 'success', title: 'Campaign deactivated', message: `"${campaign.name}" is Inactive; its groups are kept.` });
        return true;
      } catch (error) {
        get().reportError(error);
        await get().campaignChanged(campaignId);
        return false;
      }
    },

    async completeCampaign(campaignId) {
      const campaign = campaignOf(campaignId);
      const name = campaign?.name ?? 'the campaign';
      const members = campaign?.groups.total ?? 0;
      const choice = await get().askConfirm({
        title: `Complete "${name}" for good?`,
        message: `Completion can never be undone: the campaign never runs again. ${
          members > 0 ? `All ${countOf(members, 'profile')} leave it, each with a "Campaign exit" event.` : 'Nobody is allocated to it.'
        } Clone it later to run it again.`,
        choices: [
          { id: 'complete', label: 'Complete for good', tone: 'danger' },
          { id: 'cancel', label: 'Cancel', tone: 'plain' },
        ],
        defaultChoice: 'cancel',
        cancelChoice: 'cancel',
        typeToConfirm: { label: 'Type the campaign name to confirm', expected: name, choice: 'complete' },
      });
      if (choice !== 'complete') return false;
      try {
        const done = await get().runOperation('campaign/complete', { campaignId }, `Completing "${name}"`);
        await get().campaignChanged(campaignId, done);
        get().notify({
          tone: 'success',
          title: 'Campaign completed',
          message: `"${done.name}" is completed${members > 0 ? `; ${countOf(members, 'profile')} left it` : ''}.`,
        });
        return true;
      } catch (error) {
        await failed(campaignId, error, `Completing "${name}" was cancelled; nobody left the campaign.`);
        return false;
      }
    },

    async addCampaignProfiles(campaignId, profileIds, forceTest) {
      const name = nameOf(campaignId);
      try {
        const result = await get().runOperation(
          'campaign/addProfiles',
          { campaignId, profileIds: [...profileIds], ...(forceTest ? { forceTest: true } : {}) },
          `Adding profiles to "${name}"`,
        );
        await get().campaignChanged(campaignId, result.campaign);
        return result;
      } catch (error) {
        await failed(campaignId, error, `Adding profiles to "${name}" was cancelled; nobody was added.`);
        return null;
      }
    },

    async previewLcg(campaignId, lcg) {
      try {
        return await client.call('campaign/previewLcg', { campaignId, lcg });
      } catch (error) {
        get().reportError(error);
        return null;
      }
    },

    async changeLcg(campaignId, lcg) {
      const campaign = campaignOf(campaignId);
      const name = campaign?.name ?? 'the campaign';
      const preview = await get().previewLcg(campaignId, lcg);
      if (!preview) return false;
      const moves = preview.consequences.length > 0 || preview.homogeneityWarning || (campaign?.groups.total ?? 0) > 0;
      if (moves) {
        // The engine's consequences name the homogeneity risk already; said once.
        const details = [
          // The engine's consequences already carry the homogeneity warning when it applies.
          ...preview.consequences,
          ...(preview.warning ? [`Stratification violation: ${warningText(preview.warning)}`] : []),
        ];
        const choice = await get().askConfirm({
          title: `Change the LCG of "${name}"?`,
          message: details.length > 0 ? 'This is what the change does:' : 'The new settings apply to the next build; nobody moves now.',
          details,
          choices: [
            { id: 'apply', label: 'Apply the change', tone: 'primary' },
            { id: 'cancel', label: 'Cancel', tone: 'plain' },
          ],
          defaultChoice: 'cancel',
          cancelChoice: 'cancel',
        });
        if (choice !== 'apply') return false;
      }
      try {
        const detail = await get().runOperation('campaign/setLcg', { campaignId, lcg }, `Changing the LCG of "${name}"`);
        await get().campaignChanged(campaignId, detail);
        get().notify({ tone: 'success', title: 'LCG changed', message: `"${detail.campaign.name}": ${formatCount(detail.campaign.groups.control)} in the LCG.` });
        warnIfViolated(detail);
        return true;
      } catch (error) {
        await failed(campaignId, error, `The LCG change of "${name}" was cancelled; the campaign is as it was.`);
        return false;
      }
    },
  };
}
