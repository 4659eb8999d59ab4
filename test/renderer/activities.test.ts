import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_VARIANTS, moveRefusal, variantsProblem } from '../../renderer/store/activities/selectors';
import { runSentence } from '../../renderer/store/activities/slice';
import { pickInFileBrowser, waitForState, type StoreHarness } from './helpers/in-process';
import { activityDraft, answerNext, noticeTexts, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const broadcast = activityDraft;

async function twoCampaigns(count: number) {
  const p = await plannedProject(count);
  harness = p.h;
  const s = () => p.h.store.getState();
  const lcg = { percent: '10', limit: null, strata: [] };
  const first = await s().createCampaign({ name: 'First', databaseId: p.databaseId, segmentId: p.segment.id, attributes: {}, lcg, seed: 'one' });
  const second = await s().createCampaign({ name: 'Second', databaseId: p.databaseId, segmentId: p.segment.id, attributes: {}, lcg, seed: 'two' });
  if (!first || !second) throw new Error(noticeTexts(p.h).join('; '));
  return { ...p, first, second };
}

describe('A/B variants as typed', () => {
  it('at least two, named apart, shares above 0 with two decimals at most, adding up to exactly 100', () => {
    expect(variantsProblem(DEFAULT_VARIANTS)).toBeNull();
    expect(variantsProblem([{ name: 'A', percentText: '100' }])).toBe('An A/B test needs at least two variants.');
    expect(variantsProblem([{ name: 'A', percentText: '50' }, { name: 'a', percentText: '50' }])).toBe('Two variants have the same name.');
    expect(variantsProblem([{ name: 'A', percentText: '60' }, { name: 'B', percentText: '30' }])).toBe('The shares add up to 90 %, not 100 %.');
    expect(variantsProblem([{ name: 'A', percentText: '100' }, { name: 'B', percentText: '0' }])).toMatch(/share of 0 %/);
    expect(variantsProblem([{ name: 'A', percentText: '33.333' }, { name: 'B', percentText: '66.667' }])).toMatch(/two decimals/);
    // Each refusal says what is wrong with the share, by the one percent rule.
    expect(variantsProblem([{ name: 'A', percentText: '50' }, { name: 'C', percentText: '' }])).toBe('Variant "C": type a percentage, such as 5 or 2.5.');
    expect(variantsProblem([{ name: 'A', percentText: '101' }, { name: 'B', percentText: '-1' }])).toBe('Variant "A": a percentage cannot be over 100 (101).');
    expect(variantsProblem([{ name: 'A', percentText: '50' }, { name: 'B', percentText: '-1' }])).toMatch(/^Variant "B": a percentage cannot be negative/);
    expect(variantsProblem([{ name: 'A', percentText: '50 %' }, { name: 'B', percentText: '50' }])).toBeNull();
    expect(
      variantsProblem([
        { name: 'A', percentText: '33.33' },
        { name: 'B', percentText: '33.33' },
        { name: 'C', percentText: '33,34' },
      ]),
    ).toBeNull();
  });
});

describe('activities in the store, on a real engine', () => {
  it('created, edited, moved out, attached elsewhere and deleted; the guide refuses a move to another database', async () => {
    const { h, databaseId, first, second } = await twoCampaigns(40);
    const s = () => h.store.getState();
    const a = await s().createActivity(databaseId, first.id, broadcast('Newsletter'));
    if (!a) throw new Error(noticeTexts(h).join('; '));
    await s().loadActivities(first.id);
    expect(h.state().activitiesByCampaign[first.id]?.map((x) => x.name)).toEqual(['Newsletter']);

    const edited = h.state().activitiesByCampaign[first.id]?.[0];
    if (!edited) throw new Error('missing');
    expect(await s().updateActivity(edited, { name: 'Weekly newsletter', segmentId: null, ignoreLcg: true, ignoreSubscription: false, audienceExpansion: false, variants: [] })).toBe(true);
    expect(h.state().activitiesByCampaign[first.id]?.[0]).toMatchObject({ name: 'Weekly newsletter', ignoreLcg: true });

    // Out to the external list, then attached to the second campaign.
    const current = h.state().activitiesByCampaign[first.id]?.[0];
    if (!current) throw new Error('missing');
    expect(await s().moveActivity(current, null)).toBe(true);
    expect(h.state().activitiesByCampaign[first.id]).toEqual([]);
    await s().loadExternalActivities(databaseId);
    const external = h.state().externalActivities[databaseId]?.[0];
    expect(external).toMatchObject({ name: 'Weekly newsletter', campaignId: null });
    if (!external) throw new Error('missing');
    expect(await s().moveActivity(external, second.id)).toBe(true);
    expect(noticeTexts(h).at(-1)).toBe('Activity attached: "Weekly newsletter" is now in "Second".');
    await waitForState(h.store, (st) => st.activitiesByCampaign[second.id]?.length === 1 && st.externalActivities[databaseId]?.length === 0);
    expect(h.state().campaigns?.find((c) => c.id === second.id)?.activityCount).toBe(1);

    // Another database's campaign: the engine refuses, in the guide's words.
    const other = await s().createDatabase('Other');
    await s().addField(other?.id ?? 0, { name: 'x', type: 'string' });
    const otherSegment = await s().createSegment({ databaseId: other?.id ?? 0, name: 'None', from: { kind: 'empty' } });
    const foreign = await s().createCampaign({ name: 'Foreign', databaseId: other?.id ?? 0, segmentId: otherSegment?.segment.id ?? 0, attributes: {}, lcg: { percent: null, limit: null, strata: [] }, seed: 'f' });
    const moving = h.state().activitiesByCampaign[second.id]?.[0];
    if (!moving || !foreign) throw new Error('missing');
    expect(await s().moveActivity(moving, foreign.id)).toBe(false);
    expect(h.state().notices.at(-1)).toMatchObject({ code: 'REFUSED', message: expect.stringMatching(/only be part of a campaign of its own database/) });

    const deleting = s().deleteActivity(moving);
    expect(await answerNext(h, 'delete')).toBe('Delete the activity "Weekly newsletter"?');
    expect(await deleting).toBe(true);
    await waitForState(h.store, (st) => st.activitiesByCampaign[second.id]?.length === 0);
  });

  it('writing an activity or a campaign name shows at once and reads nothing of the audience again (no campaign/get, no profiles)', async () => {
    const { h, databaseId, first } = await twoCampaigns(40);
    const s = () => h.store.getState();
    s().navigate({ page: 'campaign', campaignId: first.id, tab: 'activities' });
    await s().loadCampaign(first.id);
    await s().loadActivities(first.id);
    const methods: string[] = [];
    const engine = h.engine.engine;
    const call = engine.call.bind(engine);
    engine.call = (request) => {
      methods.push(request.method);
      return call(request);
    };

    const created = await s().createActivity(databaseId, first.id, broadcast('Newsletter'));
    // The row is there as soon as the engine has written it.
    expect(h.state().activitiesByCampaign[first.id]?.map((a) => a.name)).toEqual(['Newsletter']);
    await waitForState(h.store, (st) => st.campaignDetails[first.id]?.campaign.activityCount === 1);
    if (!created) throw new Error(noticeTexts(h).join('; '));
    expect(await s().updateActivity(created, { name: 'Weekly', segmentId: null, ignoreLcg: false, ignoreSubscription: false, audienceExpansion: false, variants: [] })).toBe(true);
    expect(h.state().activitiesByCampaign[first.id]?.map((a) => a.name)).toEqual(['Weekly']);
    expect(await s().updateCampaign(first.id, { name: 'First, renamed' })).toBe(true);
    expect(h.state().campaignDetails[first.id]?.campaign.name).toBe('First, renamed');
    expect(h.state().campaigns?.find((c) => c.id === first.id)?.name).toBe('First, renamed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(methods).not.toContain('campaign/get');
    expect(methods).not.toContain('profile/list');
    expect(methods).toContain('activity/create');
  });

  it('an activity on a segment shows in the segments list as a user of it', async () => {
    const { h, databaseId, first, segment } = await twoCampaigns(40);
    const s = () => h.store.getState();
    await s().loadSegments();
    expect(await s().createActivity(databaseId, first.id, broadcast('On the segment', { segmentId: segment.id }))).not.toBeNull();
    await waitForState(h.store, (st) => st.segments?.find((x) => x.id === segment.id)?.usedBy.activities === 1);
  });

  it('a new campaign shows at once: its page does not wait for the campaign list to be read again', async () => {
    const { h, databaseId, segment } = await twoCampaigns(40);
    const s = () => h.store.getState();
    await s().loadCampaigns();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const engine = h.engine.engine;
    const call = engine.call.bind(engine);
    engine.call = async (request) => {
      if (request.method === 'campaign/list') await held;
      return call(request);
    };
    const created = await s().createCampaign({ name: 'Third', databaseId, segmentId: segment.id, attributes: {}, lcg: { percent: '10', limit: null, strata: [] }, seed: 'three' });
    expect(created?.name).toBe('Third');
    expect(h.state().route).toMatchObject({ page: 'campaign', campaignId: created?.id });
    expect(h.state().campaigns?.map((c) => c.name)).toContain('Third');
    release();
  });

  it('a run at the clock reaches Test only (the LCG too when it ignores it); its recipients page and export to CSV', async () => {
    const { h, databaseId, first } = await twoCampaigns(200);
    const s = () => h.store.getState();
    await s().createActivity(databaseId, first.id, broadcast('Promo'));
    await s().createActivity(databaseId, first.id, broadcast('Receipt', { ignoreLcg: true }));
    await s().activateCampaign(first.id);
    const [promo, receipt] = h.state().activitiesByCampaign[first.id] ?? [];
    if (!promo || !receipt) throw new Error('missing');

    // Test only, and subscribed only: a fifth of the generated profiles are unsubscribed or bounced.
    const run = await s().runActivity(promo);
    if (!run?.leftOut) throw new Error('no run');
    const { unsubscribed, bounced } = run.leftOut;
    const reached = 180 - unsubscribed - bounced;
    expect(unsubscribed).toBeGreaterThan(0);
    expect(bounced).toBeGreaterThan(0);
    expect(run).toMatchObject({ test: reached, control: 0, expanded: 0, leftOut: { gcg: 0, outsideSegment: 0, lcg: 20, unconfirmed: 0 } });
    const sentence = `${reached} recipients: ${reached} in Test, none in the LCG; left out: 20 in the LCG, ${unsubscribed} unsubscribed, ${bounced} bounced.`;
    expect(runSentence(run)).toBe(sentence);
    expect(noticeTexts(h)).toContain(`"Promo" ran: ${sentence}`);
    const ran = h.state().activitiesByCampaign[first.id]?.find((a) => a.id === promo.id);
    expect(ran).toMatchObject({ launched: true, runs: [{ id: run.id, test: reached, control: 0 }] });
    if (!ran) throw new Error('missing');
    expect(moveRefusal(ran)).toMatch(/cannot be moved|stays with the campaign it ran in/);
    // Ignoring the LCG reaches both groups, subscribed only still.
    const receiptRun = await s().runActivity(receipt);
    if (!receiptRun?.leftOut) throw new Error('no run');
    expect(receiptRun.leftOut.lcg).toBe(0);
    expect(receiptRun.control).toBeGreaterThan(0);
    expect(receiptRun.test + receiptRun.control).toBe(200 - receiptRun.leftOut.unsubscribed - receiptRun.leftOut.bounced);

    h.store.getState().openProfileTable(databaseId, { kind: 'run', runId: run.id });
    const table = (await waitForState(h.store, (st) => st.profileTable?.total === reached)).profileTable;
    expect(table?.pages[0]?.every((r) => r.group === 'test')).toBe(true);

    s().openExportDialog(databaseId, { scope: { kind: 'run', runId: run?.id ?? 0 }, subject: 'Promo' });
    const exporting = s().runExport();
    await waitForState(h.store, (st) => st.fileBrowser?.kind === 'save-csv');
    expect(h.state().fileBrowser?.fileName).toBe('Promo - recipients.csv');
    await pickInFileBrowser(h.store, h.engine.dir, 'promo.csv');
    expect((await exporting)?.rows).toBe(reached);
    const lines = readFileSync(join(h.engine.dir, 'promo.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('profile_id,subscription_status,group,n,city,gender');
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'test')).toBe(true);
  });

  it('an A/B test splits its recipients between the variants', async () => {
    const { h, databaseId, first } = await twoCampaigns(100);
    const s = () => h.store.getState();
    const ab = await s().createActivity(databaseId, first.id, {
      ...broadcast('Subject lines'),
      type: 'ab_test',
      variants: [
        { name: 'Short', percent: 30 },
        { name: 'Long', percent: 70 },
      ],
    });
    expect(ab?.variants).toEqual([
      { name: 'Short', percent: 30 },
      { name: 'Long', percent: 70 },
    ]);
    await s().activateCampaign(first.id);
    const run = await s().runActivity(h.state().activitiesByCampaign[first.id]?.[0] ?? (ab as never));
    const reached = 90 - (run?.leftOut?.unsubscribed ?? 0) - (run?.leftOut?.bounced ?? 0);
    expect(run?.test).toBe(reached);
    expect(Object.values(run?.variants ?? {}).reduce((a, b) => a + b, 0)).toBe(reached);
    h.store.getState().openProfileTable(databaseId, { kind: 'run', runId: run?.id ?? 0, abTest: true });
    const table = (await waitForState(h.store, (st) => st.profileTable?.total === reached)).profileTable;
    expect(new Set(table?.pages[0]?.map((r) => r.variant))).toEqual(new Set(['Short', 'Long']));
  });
});
