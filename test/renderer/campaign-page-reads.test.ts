/**
 * What the campaign page reads again (issue 14, item 6): a write of a few rows, or a click
 * on another tab, must not start reads that pass over the audience (the campaign's strata,
 * the segments' member counts): on a big project the next write would wait behind them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodName } from '../../shared/contract/index';
import type { StoreHarness } from './helpers/in-process';
import { noticeTexts, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

/** Records the methods the store calls from now on. */
function recordCalls(h: StoreHarness): MethodName[] {
  const calls: MethodName[] = [];
  const engine = h.engine.engine;
  const call = engine.call.bind(engine);
  engine.call = (request) => {
    calls.push(request.method as MethodName);
    return call(request);
  };
  return calls;
}

/** Lets every call the store started finish. */
const settle = async (h: StoreHarness) => {
  for (let i = 0; i < 5; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await h.engine.engine.call({ method: 'project/info', args: {} });
  }
};

describe('the campaign page', () => {
  it('a click on another tab reads neither the campaign nor the segments again; a rename reads no segment', async () => {
    const p = await plannedProject(40);
    harness = p.h;
    const s = () => p.h.store.getState();
    const campaign = await s().createCampaign({ name: 'Spring', databaseId: p.databaseId, segmentId: p.segment.id, attributes: {}, lcg: { percent: '10', limit: null, strata: [] }, seed: 'x' });
    if (!campaign) throw new Error(noticeTexts(p.h).join('; '));
    await settle(p.h);
    expect(s().route).toEqual({ page: 'campaign', campaignId: campaign.id, tab: 'overview' });
    expect(s().campaignDetails[campaign.id]?.strata.map((x) => x.size)).toEqual([40]);

    const calls = recordCalls(p.h);
    s().navigate({ page: 'campaign', campaignId: campaign.id, tab: 'activities' });
    s().navigate({ page: 'campaign', campaignId: campaign.id, tab: 'lcg' });
    await settle(p.h);
    expect(calls).toContain('activity/list');
    expect(calls).not.toContain('campaign/get');
    expect(calls).not.toContain('segment/list');

    calls.length = 0;
    expect(await s().updateCampaign(campaign.id, { name: 'Summer' })).toBe(true);
    await settle(p.h);
    expect(s().campaigns?.find((c) => c.id === campaign.id)?.name).toBe('Summer');
    expect(calls).not.toContain('segment/list');
    expect(calls).not.toContain('campaign/get');

    // Another page and back: the campaign is read afresh.
    calls.length = 0;
    s().navigate({ page: 'campaigns', bin: false });
    s().navigate({ page: 'campaign', campaignId: campaign.id, tab: 'overview' });
    await settle(p.h);
    expect(calls).toContain('campaign/get');
  });

  it('creating a campaign reads the segments once', async () => {
    const p = await plannedProject(10);
    harness = p.h;
    const s = () => p.h.store.getState();
    await settle(p.h);
    const calls = recordCalls(p.h);
    const campaign = await s().createCampaign({ name: 'Spring', databaseId: p.databaseId, segmentId: p.segment.id, attributes: {}, lcg: { percent: '10', limit: null, strata: [] }, seed: 'x' });
    expect(campaign).not.toBeNull();
    await settle(p.h);
    expect(calls.filter((m) => m === 'segment/list')).toHaveLength(1);
    expect(calls.filter((m) => m === 'campaign/get')).toHaveLength(1);
  });
});
