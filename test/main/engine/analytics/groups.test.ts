/**
 * The analysis beyond Test and the LCG: the GCG members of the campaign's segment as a third
 * group, all campaigns of the database against the GCG, the anchors a window counts from,
 * and the LCG's age and drift — each recounted from what the test wrote.
 */
import { describe, expect, it } from 'vitest';
import { smd } from '../../../../shared/stats/balance';
import { addEvents, setClock } from '../conditions/helpers';
import { startCampaignProject } from '../campaigns/helpers';

async function withGcg() {
  const t = await startCampaignProject([{ name: 'score', type: 'number' }, { name: 'vip', type: 'boolean' }]);
  t.generate(1000, { values: { score: 'i % 40', vip: 'i % 4 = 0' } });
  setClock(t.db(), '2026-03-02T10:00');
  await t.call('gcg/set', { databaseId: t.databaseId, percent: '10', seed: 'g' });
  const campaignId = await t.campaign(t.segment('All'), { percent: '25', limit: null, strata: [] });
  await t.call('campaign/activate', { campaignId });
  const gcg = new Set(t.db().all<{ id: string }>(`SELECT p.profile_id AS id FROM gcg_members g JOIN profiles_${t.databaseId} p ON p.rowid = g.profile_key`).map((r) => String(r.id)));
  const groups = t.groups(campaignId);
  // Everyone buys once on 4 March, some twice on 10 March.
  const events: [string, string, string, number][] = [];
  for (let i = 1; i <= 1000; i += 1) {
    events.push([`p${i}`, 'purchase', '2026-03-04T12:00:00', 10]);
    if (i % 5 === 0) events.push([`p${i}`, 'purchase', '2026-03-10T12:00:00', 30]);
  }
  addEvents(t.db(), t.databaseId, events);
  setClock(t.db(), '2026-03-20T10:00');
  return { t, campaignId, gcg, groups };
}

describe('analytics/run beyond Test and the LCG', () => {
  it('adds the GCG members of the segment as a group, and compares all campaigns with the GCG', async () => {
    const { t, campaignId, gcg, groups } = await withGcg();
    expect(gcg.size).toBe(100);
    const { result } = await t.call('analytics/run', { campaignId, metric: { kind: 'event', measure: 'count', eventType: 'purchase', days: 14 }, save: false });
    const third = result.groups.find((g) => g.group === 'gcg')!;
    expect(third.profiles).toBe(100);
    const count = (ids: Iterable<string>) => [...ids].reduce((n, id) => n + 1 + (Number(id.slice(1)) % 5 === 0 ? 1 : 0), 0);
    expect(third.sum).toBe(count(gcg));
    expect(result.groups[0]!.profiles + result.groups[1]!.profiles).toBe(900);
    expect(result.gcg).not.toBeNull();
    const reached = [...groups].filter(([, g]) => g === 'test').map(([id]) => id);
    expect(result.gcg!.reached.profiles).toBe(reached.length);
    expect(result.gcg!.reached.sum).toBe(count(reached));
    expect(result.gcg!.gcg).toMatchObject({ group: 'gcg', profiles: 100, sum: count(gcg) });
    expect(result.gcg!.from).toBe('2026-03-02T10:00');
    expect(result.gcg!.to).toBe('2026-03-20T10:00');

    const exempt = await t.call('gcg/exempt', { campaignId, exempt: true });
    expect(exempt).toBeTruthy();
    const again = await t.call('analytics/run', { campaignId, metric: { kind: 'event', measure: 'count', eventType: 'purchase', days: 14 }, gcg: false, save: false });
    expect(again.result.groups.map((g) => g.group)).toEqual(['test', 'lcg']);
    expect(again.result.gcg).toBeNull();
  });

  it('counts a GCG member that a campaign exempt from the GCG put in Test as GCG only', async () => {
    const t = await startCampaignProject();
    t.generate(400);
    setClock(t.db(), '2026-03-02T10:00');
    await t.call('gcg/set', { databaseId: t.databaseId, percent: '10', seed: 'g' });
    const campaignId = await t.campaign(t.segment('All'), { percent: '10', limit: null, strata: [] });
    await t.call('gcg/exempt', { campaignId, exempt: true });
    await t.call('campaign/activate', { campaignId });
    addEvents(t.db(), t.databaseId, Array.from({ length: 400 }, (_, i) => [`p${i + 1}`, 'open', '2026-03-03T10:00:00'] as [string, string, string]));
    setClock(t.db(), '2026-03-10T10:00');
    const { result } = await t.call('analytics/run', { campaignId, metric: { kind: 'event', measure: 'converted', eventType: 'open', days: 7 }, save: false });
    const inTest = [...t.groups(campaignId).values()].filter((g) => g === 'test').length;
    expect(result.gcg!.gcg.profiles).toBe(40);
    expect(result.gcg!.reached.profiles).toBe(inTest - 40 + Number(t.db().scalar(`SELECT COUNT(*) FROM campaign_members m JOIN gcg_members g ON g.profile_key = m.profile_key WHERE m.campaign_id = ? AND m.grp = 'control'`, [campaignId])));
    expect(result.gcg!.reached.sum + result.gcg!.gcg.sum).toBe(result.gcg!.reached.profiles + 40);
  });

  it('counts windows from entry, activation or the first run that reached the audience', async () => {
    const { t, campaignId, groups } = await withGcg();
    const metric = (anchor: 'entry' | 'activation' | 'first_run') => ({ kind: 'event' as const, measure: 'sum' as const, eventType: 'purchase', days: 7, anchor });
    // Entry and activation are the same moment here (2 March 10:00): the 4 March purchase is in, 10 March out.
    const entry = (await t.call('analytics/run', { campaignId, metric: metric('entry'), save: false })).result;
    const activation = (await t.call('analytics/run', { campaignId, metric: metric('activation'), save: false })).result;
    expect(entry.groups.map((g) => g.sum)).toEqual(activation.groups.map((g) => g.sum));
    expect(entry.groups[0]!.sum).toBe(entry.groups[0]!.profiles * 10);
    // No run yet: no anchor, no outcome.
    const none = (await t.call('analytics/run', { campaignId, metric: metric('first_run'), save: false })).result;
    expect(none.groups[0]!.withOutcome).toBe(0);
    expect(none.warnings.map((w) => w.kind)).toContain('empty_group');
    // A broadcast run on 5 March 10:00: the 4 March purchase is before it, the 10 March one after.
    setClock(t.db(), '2026-03-05T10:00');
    const broadcast = Number(t.db().scalar('SELECT id FROM activities WHERE campaign_id = ?', [campaignId]));
    await t.call('activity/run', { activityId: broadcast });
    setClock(t.db(), '2026-03-20T10:00');
    const run = (await t.call('analytics/run', { campaignId, metric: metric('first_run'), save: false })).result;
    expect(run.groups[0]!.withOutcome).toBe(run.groups[0]!.profiles);
    expect(run.groups[1]!.withOutcome).toBe(run.groups[1]!.profiles);
    const twice = (g: number) => run.groups[g]!.sum / 30;
    expect(Number.isInteger(twice(0)) && Number.isInteger(twice(1))).toBe(true);
    const twiceBuyers = [...groups.keys()].filter((id) => Number(id.slice(1)) % 5 === 0).length;
    expect(run.groups[0]!.sum + run.groups[1]!.sum).toBe(30 * twiceBuyers);
  });

  it('says how long the LCG has been held out and how alike the groups are on the fields', async () => {
    const { t, campaignId } = await withGcg();
    const { result } = await t.call('analytics/run', { campaignId, metric: { kind: 'event', measure: 'converted', eventType: 'purchase', days: 14 }, save: false });
    expect(result.lcgAge.since).toBe('2026-03-02T10:00');
    expect(result.lcgAge.days).toBe(18);
    const rows = t.db().all<{ grp: string; score: number; vip: number }>(`SELECT m.grp, p.f_${t.field('score').id} AS score, p.f_${t.field('vip').id} AS vip FROM campaign_members m JOIN profiles_${t.databaseId} p ON p.rowid = m.profile_key WHERE m.campaign_id = ?`, [campaignId]);
    const stats = (grp: string, pick: (r: { score: number; vip: number }) => number) => {
      const v = rows.filter((r) => r.grp === grp).map((r) => Number(pick(r)));
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1) };
    };
    const [st, sc] = [stats('test', (r) => r.score), stats('control', (r) => r.score)];
    const score = result.lcgAge.rows.find((r) => r.field === 'score')!;
    expect(score.meanTest).toBeCloseTo(st.mean, 9);
    expect(score.smd!).toBeCloseTo(smd(st.mean, st.variance, sc.mean, sc.variance)!, 9);
    const vip = result.lcgAge.rows.find((r) => r.field === 'vip')!;
    expect(vip.level).toBe('yes');
    expect(vip.meanTest).toBeCloseTo(stats('test', (r) => r.vip).mean, 9);
  });
});
