/**
 * The LCG settings tab shows a change only when there is one: a campaign's settings as the
 * engine sends them (keys in the contract schema's order) and the editor's draft of them
 * (keys in the order the checks give) are the same settings. Found in the app: a campaign
 * stratified by named intervals showed "Apply…", "Undo changes" and a preview of LCG members
 * moving to Test before anything was edited. The question before a change of values says once
 * that the LCG may no longer be homogeneous (it said it twice).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LcgSettings, type LcgSettings as Settings } from '../../shared/contract/campaigns';
import type { Field } from '../../shared/contract/index';
import { draftFromLcg, lcgFromDraft, sameLcg } from '../../renderer/store/campaigns/lcg-draft';
import { waitForState, type StoreHarness } from './helpers/in-process';
import { activityDraft, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const field = (id: number, name: string, type: Field['type'], enumValues: string[] = []): Field => ({ id, databaseId: 1, name, type, enumValues, position: id });
const FIELDS = [field(1, 'gender', 'enum', ['female', 'male']), field(2, 'city', 'string'), field(3, 'age', 'number'), field(4, 'born', 'date')];

describe('unchanged LCG settings in the editor', () => {
  it('a draft of the settings the engine sent is the same settings, for every kind of rule', () => {
    // As the engine sends them: parsed by the contract's schema.
    const sent: Settings = LcgSettings.parse({
      percent: '10',
      limit: 5000,
      strata: [
        { fieldId: 1, kind: 'values' },
        { intervals: [{ to: '2005-01-01', label: 'Young', from: '2000-01-01' }], fieldId: 4, kind: 'intervals' },
        { values: ['Moscow'], fieldId: 2, kind: 'subset' },
        { bounds: [18, 35], fieldId: 3, kind: 'ranges' },
      ],
    });
    const { lcg } = lcgFromDraft(draftFromLcg(sent), FIELDS);
    expect(lcg).not.toBeNull();
    expect(sameLcg(lcg!, sent)).toBe(true);
    expect(sameLcg({ ...lcg!, percent: '12' }, sent)).toBe(false);
    expect(sameLcg({ ...lcg!, strata: lcg!.strata.slice(1) }, sent)).toBe(false);
  });
});

describe('the question before a change of values inside the stratification fields', () => {
  it('says once that the LCG may no longer be homogeneous', async () => {
    const p = await plannedProject(1000);
    harness = p.h;
    const s = () => p.h.store.getState();
    const lcg = (bound: number): Settings => ({ percent: '10', limit: null, strata: [{ kind: 'ranges', fieldId: p.n.id, bounds: [bound] }] });
    const campaign = await s().createCampaign({ name: 'Spring', databaseId: p.databaseId, segmentId: p.segment.id, attributes: {}, lcg: lcg(500), seed: 's' });
    if (!campaign) throw new Error('campaign not created');
    await s().createActivity(p.databaseId, campaign.id, activityDraft('News'));
    await s().activateCampaign(campaign.id);
    const changing = s().changeLcg(campaign.id, lcg(300));
    const asked = await waitForState(p.h.store, (st) => st.confirm !== null);
    const homogeneity = (asked.confirm?.details ?? []).filter((d) => d.includes('homogeneity'));
    expect(homogeneity).toEqual(['Changing values inside the stratification fields may break the homogeneity of the LCG.']);
    asked.answerConfirm('cancel');
    expect(await changing).toBe(false);
  });
});
