/** The project clock: delayed activations wait for it and fire in order when it passes them. */
import { describe, expect, it } from 'vitest';
import { expectEngineError } from '../../../helpers/engine';
import { startCampaignProject, type CampaignProject } from './helpers';
import type { ClockAdvanceResult } from '../../../../shared/contract/clock';

/** What an advance did, as [time, what, outcome] of each item, in order. */
const fired = (result: ClockAdvanceResult) => result.steps.flatMap((s) => s.items).map((i) => [i.at, i.campaignId, i.detail]);

async function project(): Promise<{ t: CampaignProject; segmentId: number; now: string }> {
  const t = await startCampaignProject();
  t.generate(500);
  const segmentId = t.segment('All');
  // Start from a known clock.
  t.db().run("UPDATE meta SET value = '2026-04-01T09:00' WHERE key = 'clock'");
  return { t, segmentId, now: '2026-04-01T09:00' };
}

describe('the project clock', () => {
  it('fires delayed activations in time order, each at its own time, and records it', async () => {
    const { t, segmentId } = await project();
    const late = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 'late', 'Late');
    const early = await t.campaign(segmentId, { percent: 20, limit: null, strata: [] }, 'early', 'Early');
    const never = await t.campaign(segmentId, { percent: 20, limit: null, strata: [] }, 'never', 'Never');
    const waiting = await t.call('campaign/activate', { campaignId: late, at: '2026-04-10T10:00' });
    expect(waiting.campaign).toMatchObject({ status: 'waiting', activateAt: '2026-04-10T10:00', groups: { total: 0 } });
    await t.call('campaign/activate', { campaignId: early, at: '2026-04-05T08:30' });
    await t.call('campaign/activate', { campaignId: never, at: '2026-05-01T00:00' });

    // Not there yet: nothing fires.
    expect(await t.call('clock/advance', { to: '2026-04-05T08:29' })).toEqual({
      from: '2026-04-01T09:00',
      clock: '2026-04-05T08:29',
      steps: [{ from: '2026-04-01T09:00', to: '2026-04-05T08:29', items: [], campaigns: [] }],
    });
    expect((await t.call('campaign/get', { campaignId: early })).campaign.status).toBe('waiting');

    const advanced = await t.call('clock/advance', { to: '2026-04-20T00:00' }, 'advance-1');
    expect(advanced.clock).toBe('2026-04-20T00:00');
    expect(fired(advanced)).toEqual([
      ['2026-04-05T08:30', early, 'Activated: 400 test, 100 LCG.'],
      ['2026-04-10T10:00', late, 'Activated: 450 test, 50 LCG.'],
    ]);
    expect(advanced.steps[0]!.campaigns).toEqual([
      { campaignId: late, name: 'Late', test: 450, control: 50, joined: 500, left: 0 },
      { campaignId: early, name: 'Early', test: 400, control: 100, joined: 500, left: 0 },
    ]);
    expect((await t.call('project/state', {})) as { clock: string }).toMatchObject({ clock: '2026-04-20T00:00' });
    for (const [id, at] of [
      [early, '2026-04-05T08:30'],
      [late, '2026-04-10T10:00'],
    ] as const) {
      const detail = await t.call('campaign/get', { campaignId: id });
      expect(detail.campaign).toMatchObject({ status: 'active', activatedClock: at, activateAt: null });
      expect(detail.versions[0]!.clock).toBe(at);
      const activated = await t.call('campaign/events', { campaignId: id, kinds: ['activated'] });
      expect(activated.events[0]).toMatchObject({ clock: at });
      expect(activated.events[0]!.text).toContain('as planned for');
    }
    expect((await t.call('campaign/get', { campaignId: never })).campaign.status).toBe('waiting');
    expect(t.db().all('SELECT campaign_id FROM scheduled_activations')).toEqual([{ campaign_id: never }]);
  });

  it('refuses an activation time in the past, or now, and a clock going back', async () => {
    const { t, segmentId } = await project();
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] });
    const past = await expectEngineError(t.call('campaign/activate', { campaignId: id, at: '2026-03-31T23:59' }), 'REFUSED');
    expect(past.message).toBe('The activation time Tue 31 Mar 2026, 23:59 is in the past: the project clock is at Wed 1 Apr 2026, 09:00. Choose a later time, or activate now.');
    const now = await expectEngineError(t.call('campaign/activate', { campaignId: id, at: '2026-04-01T09:00' }), 'REFUSED');
    expect(now.message).toContain('is not in the future');
    expect((await t.call('campaign/get', { campaignId: id })).campaign.status).toBe('inactive');

    const back = await expectEngineError(t.call('clock/advance', { to: '2026-03-01T00:00' }), 'REFUSED');
    expect(back.message).toMatch(/^The project clock cannot go back: it is at Wed 1 Apr 2026, 09:00, and what happened up to then is recorded\. Choose a later time/);
    await expectEngineError(t.call('clock/advance', { to: '2026-02-30T00:00' }), 'INVALID_ARGUMENT');
  });

  it('a campaign that can no longer start when its time comes stops waiting, and says why', async () => {
    const { t, segmentId } = await project();
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] }, 's', 'Orphan');
    await t.call('campaign/activate', { campaignId: id, at: '2026-04-02T09:00' });
    t.db().run('DELETE FROM activities WHERE campaign_id = ?', [id]);
    const advanced = await t.call('clock/advance', { to: '2026-04-03T00:00' });
    expect(fired(advanced)).toEqual([['2026-04-02T09:00', id, 'Not activated: Add at least one activity before activating the campaign.']]);
    const detail = await t.call('campaign/get', { campaignId: id });
    expect(detail.campaign).toMatchObject({ status: 'inactive', activateAt: null });
  });

  it('deactivating a waiting campaign cancels its activation; rescheduling replaces it', async () => {
    const { t, segmentId } = await project();
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id, at: '2026-04-02T09:00' });
    await t.call('campaign/activate', { campaignId: id, at: '2026-04-03T09:00' });
    expect(t.db().all('SELECT at FROM scheduled_activations')).toEqual([{ at: '2026-04-03T09:00' }]);
    const stopped = await t.call('campaign/deactivate', { campaignId: id });
    expect(stopped).toMatchObject({ status: 'inactive', activateAt: null });
    expect(t.db().all('SELECT at FROM scheduled_activations')).toEqual([]);
    const events = await t.call('campaign/events', { campaignId: id, kinds: ['deactivated'] });
    expect(events.events[0]!.text).toBe('Deactivated: the activation planned for Fri 3 Apr 2026, 09:00 is cancelled.');
    expect(fired(await t.call('clock/advance', { to: '2026-05-01T00:00' }))).toEqual([]);
  });

  it('a cancelled advance leaves the clock and the campaigns as they were', async () => {
    const { t, segmentId } = await project();
    const id = await t.campaign(segmentId, { percent: 10, limit: null, strata: [] });
    await t.call('campaign/activate', { campaignId: id, at: '2026-04-02T09:00' });
    const running = t.call('clock/advance', { to: '2026-04-05T00:00' }, 'advance-cancel');
    await t.call('operation/cancel', { operationId: 'advance-cancel' });
    await expectEngineError(running, 'CANCELLED');
    expect((await t.call('project/state', {})) as { clock: string }).toMatchObject({ clock: '2026-04-01T09:00' });
    expect((await t.call('campaign/get', { campaignId: id })).campaign.status).toBe('waiting');
  });
});
