/** Changing the LCG, as the guide says: quota only, removal, other fields, other values. */
import { describe, expect, it } from 'vitest';
import type { LcgSettings } from '../../../../shared/contract/campaigns';
import { controlTotal } from '../../../../shared/split/control-total';
import { md5Hex } from '../../../../shared/split/md5';
import { allocateQuotas, compareText } from '../../../../shared/split/quotas';
import { startCampaignProject, type CampaignProject } from './helpers';

const FIELDS = [
  { name: 'letter', type: 'string' as const },
  { name: 'age', type: 'number' as const },
];

async function activeCampaign(lcg: (t: CampaignProject) => LcgSettings): Promise<{ t: CampaignProject; id: number; segmentId: number }> {
  const t = await startCampaignProject(FIELDS);
  t.generate(2000, { values: { letter: "CASE WHEN i % 4 = 0 THEN 'A' ELSE 'B' END", age: '18 + i % 50' } });
  const segmentId = t.segment('All');
  const id = await t.campaign(segmentId, lcg(t), 'lcg');
  t.activity(id, 'regular_mailing');
  t.activity(id, 'triggered_mailing');
  await t.call('campaign/activate', { campaignId: id });
  return { t, id, segmentId };
}

function addNewProfiles(t: CampaignProject, segmentId: number, count: number, from: number): void {
  t.generate(count, { from, values: { letter: "CASE WHEN i % 4 = 0 THEN 'A' ELSE 'B' END", age: '18 + i % 50' } });
  t.addToSegment(segmentId, Array.from({ length: count }, (_, i) => `p${from + i}`));
}

const controlOf = (groups: Map<string, string>) => [...groups].filter(([, g]) => g === 'control').map(([id]) => id);

describe('changing the LCG of an active campaign', () => {
  it('a new percentage moves nobody; the shortfall fills only from new profiles', async () => {
    const { t, id, segmentId } = await activeCampaign(() => ({ percent: 10, limit: null, strata: [] }));
    const before = t.groups(id);
    const lcg = { percent: 15, limit: null, strata: [] };
    const preview = await t.call('campaign/previewLcg', { campaignId: id, lcg });
    expect(preview.kind).toBe('quota');
    expect(preview.consequences).toContain('Nobody moves now: only new profiles may enter the LCG.');
    expect(preview.consequences.join(' ')).toContain('100 more can come only from new profiles');
    expect(t.groups(id)).toEqual(before);

    const detail = await t.call('campaign/setLcg', { campaignId: id, lcg });
    expect(t.groups(id)).toEqual(before);
    expect(detail.campaign.status).toBe('active');
    expect(detail.versions[0]).toMatchObject({ reason: 'lcg_change', controlTotal: 300, shortfall: 100, joined: 0 });

    addNewProfiles(t, segmentId, 200, 2001);
    await t.call('campaign/deactivate', { campaignId: id });
    await t.call('campaign/activate', { campaignId: id });
    const after = t.groups(id);
    for (const [profileId, grp] of before) expect(after.get(profileId)).toBe(grp);
    // Target 15 % of 2,200 = 330: 200 in control already, all 130 new ones needed... only from the 200 new.
    expect(controlOf(after)).toHaveLength(controlTotal(2200, { percent: 15 }));
    expect(controlOf(after).filter((p) => Number(p.slice(1)) > 2000)).toHaveLength(130);
  });

  it('removing the LCG moves everyone to Test, with one event; broadcasts and regular mailings pause meanwhile', async () => {
    const { t, id } = await activeCampaign(() => ({ percent: 10, limit: null, strata: [] }));
    const preview = await t.call('campaign/previewLcg', { campaignId: id, lcg: { percent: null, limit: null, strata: [] } });
    expect(preview.kind).toBe('removed');
    expect(preview.consequences).toContain('The LCG is removed: all 200 LCG profiles move to Test.');
    expect(preview.consequences.join(' ')).toContain('regular mailing');

    const detail = await t.call('campaign/setLcg', { campaignId: id, lcg: { percent: null, limit: null, strata: [] } });
    expect(detail.campaign.groups).toEqual({ test: 2000, control: 0, total: 2000 });
    const events = await t.call('campaign/events', { campaignId: id, limit: 10 });
    expect(events.events.map((e) => e.kind)).toEqual(['activities_resumed', 'audience_built', 'moved_to_test', 'activities_paused', 'lcg_changed', 'activated', 'audience_built', 'audience_building', 'created']);
    expect(events.events.find((e) => e.kind === 'moved_to_test')!.text).toBe('200 LCG profiles moved to Test: the LCG was removed.');
    expect(events.events.find((e) => e.kind === 'activities_paused')!.text).toBe('2 broadcast and regular mailing activities paused while the audience is rebuilt.');
    // Statuses back as they were (the triggered mailing was never paused).
    expect(t.db().all('SELECT type, status FROM activities WHERE campaign_id = ? ORDER BY id', [id])).toEqual([
      { type: 'broadcast', status: 'inactive' },
      { type: 'regular_mailing', status: 'inactive' },
      { type: 'triggered_mailing', status: 'inactive' },
    ]);
  });

  it('another set of stratification fields moves the whole LCG to Test and re-forms it from new profiles only', async () => {
    const { t, id, segmentId } = await activeCampaign((p) => ({ percent: 10, limit: null, strata: [{ kind: 'values', fieldId: p.field('letter').id }] }));
    const lcg: LcgSettings = { percent: 10, limit: null, strata: [{ kind: 'ranges', fieldId: t.field('age').id, bounds: [30, 50] }] };
    const preview = await t.call('campaign/previewLcg', { campaignId: id, lcg });
    expect(preview.kind).toBe('fields');
    expect(preview.strata.map((s) => [s.label, s.control])).toEqual([
      ['age < 30', 0],
      ['age 30 to under 50', 0],
      ['age ≥ 50', 0],
    ]);
    const detail = await t.call('campaign/setLcg', { campaignId: id, lcg });
    expect(detail.campaign.groups.control).toBe(0);
    expect(detail.strata.map((s) => s.key)).toEqual(['<30', '30..50', '>=50']);
    expect(detail.versions[0]).toMatchObject({ reason: 'lcg_change', shortfall: 200 });
    const moved = await t.call('campaign/events', { campaignId: id, kinds: ['moved_to_test'] });
    expect(moved.events[0]!.text).toContain('200 LCG profiles moved to Test');

    addNewProfiles(t, segmentId, 500, 2001);
    await t.call('campaign/deactivate', { campaignId: id });
    const again = await t.call('campaign/activate', { campaignId: id });
    // Quotas on 2,500 profiles: 250, all of them from the 500 new ones.
    const control = controlOf(t.groups(id));
    expect(control).toHaveLength(250);
    expect(control.every((p) => Number(p.slice(1)) > 2000)).toBe(true);
    for (const row of again.strata) expect(Math.abs(row.control - row.quota)).toBeLessThan(1);
  });

  it('other values inside the same fields: quotas recomputed; strata over quota move their excess LCG members (highest hash first) to Test, as the preview said', async () => {
    const { t, id, segmentId } = await activeCampaign((p) => ({ percent: 20, limit: null, strata: [{ kind: 'ranges', fieldId: p.field('age').id, bounds: [30, 50] }] }));
    const before = t.groups(id);
    const ages = new Map(t.db().all<{ id: string; a: number }>(`SELECT profile_id AS id, ${'f_' + t.field('age').id} AS a FROM profiles_${t.databaseId}`).map((r) => [String(r.id), Number(r.a)]));
    // Fewer in the LCG (10 %) and other cut points: every new stratum is over its quota.
    const lcg: LcgSettings = { percent: 10, limit: null, strata: [{ kind: 'ranges', fieldId: t.field('age').id, bounds: [40] }] };
    const keyOf = (pid: string) => (ages.get(pid)! < 40 ? '<40' : '>=40');
    const keys = ['<40', '>=40'];
    const sizes = keys.map((k) => [...before.keys()].filter((pid) => keyOf(pid) === k).length);
    const quotas = allocateQuotas(keys.map((key, i) => ({ key, size: sizes[i]! })), controlTotal(2000, { percent: 10 }), 'lcg');
    const lcgBefore = keys.map((k) => controlOf(before).filter((pid) => keyOf(pid) === k));
    const expectedMoves = keys.map((k, i) => ({ key: k, label: `age ${k === '<40' ? '< 40' : '≥ 40'}`, count: lcgBefore[i]!.length - quotas[i]!.control }));
    expect(expectedMoves.every((m) => m.count > 0)).toBe(true);

    const preview = await t.call('campaign/previewLcg', { campaignId: id, lcg });
    expect(preview).toMatchObject({ kind: 'values', homogeneityWarning: true });
    expect(preview.moves).toEqual(expectedMoves);
    expect(preview.consequences[0]).toBe(
      `The strata and their quotas are recomputed for everyone: ${expectedMoves[0]!.count + expectedMoves[1]!.count} LCG profiles move to Test from the strata over their new quota: age < 40 (${expectedMoves[0]!.count}), age ≥ 40 (${expectedMoves[1]!.count}).`,
    );
    expect(preview.consequences).toContain('Changing values inside the stratification fields may break the homogeneity of the LCG.');
    expect(preview.strata.map((s) => [s.key, s.control])).toEqual(keys.map((k, i) => [k, quotas[i]!.control]));
    expect(t.groups(id)).toEqual(before);

    const detail = await t.call('campaign/setLcg', { campaignId: id, lcg });
    expect(detail.strata.map((s) => [s.key, s.size, s.control])).toEqual(keys.map((k, i) => [k, sizes[i], quotas[i]!.control]));
    expect(t.db().scalar('SELECT COUNT(*) FROM campaign_strata WHERE campaign_id = ?', [id])).toBe(2);
    const after = t.groups(id);
    // Nobody enters the LCG; in each stratum the LCG members with the lowest md5 stay.
    keys.forEach((k, i) => {
      const byHash = [...lcgBefore[i]!].sort((a, b) => compareText(md5Hex(`lcg:${a}`), md5Hex(`lcg:${b}`)) || compareText(a, b));
      const stayed = controlOf(after).filter((pid) => keyOf(pid) === k);
      expect(stayed.sort()).toEqual(byHash.slice(0, quotas[i]!.control).sort());
    });
    for (const [pid, grp] of after) if (before.get(pid) === 'test') expect(grp).toBe('test');
    const moved = await t.call('campaign/events', { campaignId: id, kinds: ['moved_to_test'] });
    expect(moved.events[0]!.text).toBe(`${preview.consequences[0]!.slice(preview.consequences[0]!.indexOf(': ') + 2).replace(' move to Test', ' moved to Test')} The stratification values changed.`);

    // A stratum under its quota fills from new profiles only.
    addNewProfiles(t, segmentId, 300, 2001);
    await t.call('campaign/deactivate', { campaignId: id });
    const grown = await t.call('campaign/activate', { campaignId: id });
    const again = t.groups(id);
    for (const [pid, grp] of after) expect(again.get(pid)).toBe(grp);
    expect(controlOf(again)).toHaveLength(controlTotal(2300, { percent: 10 }));
    for (const row of grown.strata) expect(Math.abs(row.control - row.quota)).toBeLessThan(1);
  });

  it('other values that keep every stratum within its quota move nobody', async () => {
    const { t, id } = await activeCampaign((p) => ({ percent: 10, limit: null, strata: [{ kind: 'values', fieldId: p.field('letter').id }] }));
    // Gather the letters: B alone, A with everything else (nothing else exists): one stratum of
    // 2,000 with the same LCG: nobody is over quota.
    const lcg: LcgSettings = { percent: 10, limit: null, strata: [{ kind: 'subset', fieldId: t.field('letter').id, values: ['B'] }] };
    const preview = await t.call('campaign/previewLcg', { campaignId: id, lcg });
    expect(preview.moves).toEqual([]);
    expect(preview.consequences[0]).toBe('The strata and their quotas are recomputed for everyone; no stratum is over its new quota, so nobody changes group.');
    const before = t.groups(id);
    const detail = await t.call('campaign/setLcg', { campaignId: id, lcg });
    expect(t.groups(id)).toEqual(before);
    expect(detail.strata.map((s) => [s.key, s.label, s.size])).toEqual([
      ['B', 'letter = B', 1500],
      ['Other', 'letter: Other', 500],
    ]);
  });

  it('a new percentage with the same named intervals is a quota change, however the rule is written', async () => {
    const { t, id } = await activeCampaign((p) => ({
      percent: 10,
      limit: null,
      strata: [{ kind: 'intervals', fieldId: p.field('age').id, intervals: [{ label: 'Young', from: 18, to: 30 }] }],
    }));
    // The rule as the app sends it back (read from the campaign), and with its keys in another order.
    const stored = (await t.call('campaign/get', { campaignId: id })).campaign.lcg;
    for (const strata of [stored.strata, [{ intervals: [{ to: 30, from: 18, label: 'Young' }], fieldId: t.field('age').id, kind: 'intervals' as const }]]) {
      const preview = await t.call('campaign/previewLcg', { campaignId: id, lcg: { percent: 12, limit: null, strata } });
      expect(preview.kind).toBe('quota');
      expect(preview.homogeneityWarning).toBe(false);
      expect(preview.consequences).toContain('Nobody moves now: only new profiles may enter the LCG.');
    }
  });

  it('a preview changes nothing', async () => {
    const { t, id } = await activeCampaign(() => ({ percent: 10, limit: null, strata: [] }));
    const count = () => t.db().all('SELECT (SELECT COUNT(*) FROM campaign_events) AS e, (SELECT COUNT(*) FROM split_versions) AS v, (SELECT lcg FROM campaigns WHERE id = 1) AS l');
    const before = count();
    await t.call('campaign/previewLcg', { campaignId: id, lcg: { percent: null, limit: null, strata: [{ kind: 'values', fieldId: t.field('letter').id }] } });
    expect(count()).toEqual(before);
  });
});

describe('LCG settings before the first build', () => {
  it('are saved as they are; the warning and the strata show what activation would do', async () => {
    const t = await startCampaignProject(FIELDS);
    t.generate(100, { values: { letter: "CASE WHEN i <= 3 THEN 'rare' ELSE 'common' END" } });
    const created = await t.call('campaign/create', { name: 'Later', databaseId: t.databaseId, segmentId: t.segment('All') });
    const lcg: LcgSettings = { percent: 10, limit: null, strata: [{ kind: 'values', fieldId: t.field('letter').id }] };
    const preview = await t.call('campaign/previewLcg', { campaignId: created.id, lcg });
    expect(preview.kind).toBe('first');
    expect(preview.warning?.strata.map((s) => s.label)).toEqual(['letter = rare']);
    expect(preview.warning?.suggestedPercent).toBe(33.5);
    const detail = await t.call('campaign/setLcg', { campaignId: created.id, lcg });
    expect(detail.campaign.lcg).toEqual(lcg);
    expect(detail.versions).toEqual([]);
    expect(detail.strata.map((s) => [s.label, s.size, s.control])).toEqual([
      ['letter = common', 97, 10],
      ['letter = rare', 3, 0],
    ]);
  });

  it('refuses rules that do not fit the fields, saying why', async () => {
    const t = await startCampaignProject(FIELDS);
    const created = await t.call('campaign/create', { name: 'Bad', databaseId: t.databaseId, segmentId: t.segment('All') });
    const set = (lcg: LcgSettings) => t.call('campaign/setLcg', { campaignId: created.id, lcg });
    await expect(set({ percent: 10, limit: null, strata: [{ kind: 'ranges', fieldId: t.field('letter').id, bounds: [1] }] })).rejects.toThrow(
      '"letter" is a string field: ranges are for numbers and dates; stratify it by values or groups.',
    );
    await expect(set({ percent: 10, limit: null, strata: [{ kind: 'ranges', fieldId: t.field('age').id, bounds: [50, 30] }] })).rejects.toThrow('must go up');
    await expect(set({ percent: 10, limit: null, strata: [{ kind: 'values', fieldId: 999 }] })).rejects.toThrow('There is no field with id 999');
    await expect(
      set({ percent: 10, limit: null, strata: [{ kind: 'groups', fieldId: t.field('letter').id, groups: [{ label: 'X', values: ['a'] }, { label: 'Y', values: ['a'] }] }] }),
    ).rejects.toThrow('is in two groups');
  });

  it('groups of values: values in no group are "Other", no value is its own stratum', async () => {
    const t = await startCampaignProject(FIELDS);
    t.generate(60, { values: { letter: "CASE i % 4 WHEN 0 THEN 'a' WHEN 1 THEN 'b' WHEN 2 THEN 'c' ELSE NULL END" } });
    const id = await t.campaign(t.segment('All'), {
      percent: 50,
      limit: null,
      strata: [{ kind: 'groups', fieldId: t.field('letter').id, groups: [{ label: 'Early', values: ['a', 'b'] }] }],
    });
    const detail = await t.call('campaign/activate', { campaignId: id });
    // 'Other' and '' have equal remainders: the leftover goes by md5(seed ":stratum:" key).
    const otherFirst = md5Hex('s1:stratum:Other') < md5Hex('s1:stratum:');
    expect(detail.strata.map((s) => [s.key, s.label, s.size, s.control])).toEqual([
      ['Early', 'letter: Early', 30, 15],
      ['Other', 'letter: Other', 15, otherFirst ? 8 : 7],
      ['', 'letter: (no value)', 15, otherFirst ? 7 : 8],
    ]);
  });
});
