/**
 * The same stratification is the same change whatever the order of its keys: a rule read
 * back from the project (through the contract's schema) lists its keys in the schema's
 * order, a rule checked by the engine in another. Found in the app: the LCG settings tab of
 * a campaign stratified by named intervals showed "Values inside the stratification fields
 * change" and LCG members moving to Test before anything was edited, and a new percentage
 * alone was applied as a change of values.
 */
import { describe, expect, it } from 'vitest';
import type { LcgSettings } from '../../../../shared/contract/campaigns';
import { startCampaignProject } from './helpers';

const FIELDS = [
  { name: 'age', type: 'number' as const },
  { name: 'born', type: 'date' as const },
  { name: 'city', type: 'string' as const },
];

async function stratifiedCampaign() {
  const t = await startCampaignProject(FIELDS);
  t.generate(2000, {
    values: {
      age: '18 + i % 50',
      born: "date('1980-01-01', '+' || (i % 9000) || ' days')",
      city: "CASE i % 3 WHEN 0 THEN 'Moscow' WHEN 1 THEN 'Kazan' ELSE 'Perm' END",
    },
  });
  const lcg: LcgSettings = {
    percent: '10',
    limit: null,
    strata: [
      { kind: 'ranges', fieldId: t.field('age').id, bounds: [30, 50] },
      { kind: 'intervals', fieldId: t.field('born').id, intervals: [{ label: 'Young', from: '01.01.2000', to: '01.01.2005' }, { label: 'Adult', from: '1985-01-01', to: '1999-12-31' }] },
      { kind: 'subset', fieldId: t.field('city').id, values: ['Moscow'] },
    ],
  };
  const id = await t.call('campaign/create', { name: 'Stratified', databaseId: t.databaseId, segmentId: t.segment('All'), lcg, seed: 's' }).then((c) => c.id);
  t.activity(id, 'regular_mailing');
  await t.call('campaign/activate', { campaignId: id });
  return { t, id };
}

describe('an unchanged stratification is no change', () => {
  it('previewing the campaign\'s own settings changes nothing; a new percentage alone is a change of size, moving nobody', async () => {
    const { t, id } = await stratifiedCampaign();
    const saved = (await t.call('campaign/get', { campaignId: id })).campaign.lcg;
    const same = await t.call('campaign/previewLcg', { campaignId: id, lcg: saved });
    expect(same.kind).toBe('none');
    expect(same.moves).toEqual([]);

    const before = t.groups(id);
    const smaller = { ...saved, percent: '8' };
    const preview = await t.call('campaign/previewLcg', { campaignId: id, lcg: smaller });
    expect(preview).toMatchObject({ kind: 'quota', homogeneityWarning: false, moves: [] });
    expect(preview.consequences).toContain('Nobody moves now: only new profiles may enter the LCG.');
    await t.call('campaign/setLcg', { campaignId: id, lcg: smaller });
    expect(t.groups(id)).toEqual(before);
    expect((await t.call('campaign/events', { campaignId: id, kinds: ['moved_to_test'] })).events).toEqual([]);
  });
});
