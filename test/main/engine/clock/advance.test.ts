/**
 * The project clock runs the plan (issue 11): the guide's April example from the clock
 * alone — an updatable segment "purchase within the last 7 days", weekly on Mondays at
 * 10:00, a campaign on it with a weekly regular mailing, a purchase-triggered mailing and a
 * scenario — with every run's recipients checked against a recount; then the refusals,
 * the plan, the agenda and a cancelled advance.
 */
import { describe, expect, it } from 'vitest';
import { contract } from '../../../../shared/contract/index';
import { EngineError } from '../../../../shared/contract/errors';
import { addMinutes } from '../../../../shared/domain/clock';
import { advanceClock } from '../../../../main/engine/clock/advance';
import { expectEngineError } from '../../../helpers/engine';
import { addEvents, setClock } from '../conditions/helpers';
import { directContext, startCampaignProject, type CampaignProject } from '../campaigns/helpers';

/**
 * Ten profiles; the clock on Thursday 6 April 2023, 09:00. Events already in the file,
 * most of them still in the future: they happen as the clock passes them.
 */
async function april() {
  const t = await startCampaignProject();
  t.generate(10);
  setClock(t.db(), '2023-04-06T09:00');
  addEvents(t.db(), t.databaseId, [
    ['p2', 'purchase', '2023-04-05T10:00:00'],
    ['p1', 'purchase', '2023-04-09T12:00:00'], // Sunday 9 April
    ['p1', 'open', '2023-04-11T10:00:00'],
    ['p2', 'purchase', '2023-04-12T15:00:00'],
    ['p2', 'purchase', '2023-04-12T16:00:00'],
    ['p3', 'purchase', '2023-04-13T08:00:00'],
    ['p1', 'purchase', '2023-04-20T10:00:00'],
  ]);
  const segment = (
    await t.call('segment/create', {
      databaseId: t.databaseId,
      name: 'Buyers',
      type: 'updatable',
      schedule: 'weekly mon 10:00',
      from: { kind: 'condition', where: 'event purchase in last 7 days' },
    })
  ).segment;
  const campaign = await t.call('campaign/create', { name: 'Spring', databaseId: t.databaseId, segmentId: segment.id, seed: 'april', lcg: { percent: '10', limit: null, strata: [] } });
  const activity = async (type: 'regular_mailing' | 'triggered_mailing' | 'scenario', name: string) =>
    (await t.call('activity/create', { databaseId: t.databaseId, campaignId: campaign.id, type, name })).id;
  const weekly = await activity('regular_mailing', 'Weekly digest');
  const thanks = await activity('triggered_mailing', 'Thank you');
  const welcome = await activity('scenario', 'Welcome');
  await t.call('campaign/activate', { campaignId: campaign.id });
  await t.call('activity/launch', { activityId: weekly, timing: { kind: 'schedule', schedule: 'Weekly Tuesday 09:00' } });
  await t.call('activity/launch', { activityId: thanks, timing: { kind: 'trigger', eventType: 'purchase', delayMinutes: 120 } });
  await t.call('activity/launch', { activityId: welcome, timing: { kind: 'scenario', eventType: 'open', days: 30 } });
  return { t, segmentId: segment.id, campaignId: campaign.id, weekly, thanks, welcome };
}

type April = Awaited<ReturnType<typeof april>>;

const keyOf = (t: CampaignProject, id: string) => Number(t.db().scalar(`SELECT rowid FROM profiles_${t.databaseId} WHERE profile_id = ?`, [id]));
const idsOf = (t: CampaignProject, sql: string, params: (string | number)[]) =>
  t
    .db()
    .all<{ id: string }>(`SELECT p.profile_id AS id FROM profiles_${t.databaseId} p WHERE p.rowid IN (${sql}) ORDER BY p.profile_id`, params)
    .map((r) => r.id);

/** Who each run of an activity reached, by run clock. */
const recipientsByRun = (a: April, activityId: number) =>
  a.t
    .db()
    .all<{ id: number; clock: string }>('SELECT id, clock FROM activity_runs WHERE activity_id = ? ORDER BY id', [activityId])
    .map((r) => ({ clock: String(r.clock), ids: idsOf(a.t, 'SELECT profile_key FROM activity_recipients WHERE run_id = ?', [Number(r.id)]) }));

/** The recount: Test members of the campaign who had an event of `type` in (from, to] — a member at the event's time. */
function recountTriggered(a: April, type: string, from: string, to: string, testAtTheTime: readonly string[]): string[] {
  const had = idsOf(a.t, `SELECT profile_key FROM events_${a.t.databaseId} WHERE type = ? AND at > ? AND at <= ?`, [type, `${from}:59`, `${to}:59`]);
  return had.filter((id) => testAtTheTime.includes(id));
}

describe('the guide\'s April example from the clock alone', () => {
  it('joins at the Monday recalculation, leaves with "Campaign exit" and its scenario detached, comes back split anew; mailings reach Test members at their times', async () => {
    const a = await april();
    const { t, campaignId } = a;
    expect([...t.groups(campaignId).keys()]).toEqual(['p2']);

    const plan = await t.call('clock/plan', { to: '2023-04-11T12:00' });
    expect(contract['clock/plan'].result.safeParse(plan).success).toBe(true);
    expect(plan.items.map((i) => [i.at, i.kind, i.title])).toEqual([
      ['2023-04-10T10:00', 'recalculation', 'Recalculate "Buyers"'],
      ['2023-04-11T09:00', 'activity_run', 'Regular mailing "Weekly digest"'],
      ['2023-04-11T12:00', 'trigger_run', 'Triggered mailing "Thank you"'],
      ['2023-04-11T12:00', 'scenario_entries', 'Scenario "Welcome"'],
    ]);
    expect(plan.items[2]!.count).toBe(1); // p1's Sunday purchase is in the file already

    // To Tuesday 11 April: p1 bought on Sunday, and joins at Monday's recalculation.
    const first = await t.call('clock/advance', { to: '2023-04-11T12:00', step: '1d' });
    expect(contract['clock/advance'].result.safeParse(first).success).toBe(true);
    expect(first.steps.map((s) => s.to)).toEqual(['2023-04-07T09:00', '2023-04-08T09:00', '2023-04-09T09:00', '2023-04-10T09:00', '2023-04-11T09:00', '2023-04-11T12:00']);
    const monday = first.steps.flatMap((s) => s.items).find((i) => i.kind === 'recalculation')!;
    expect(monday).toMatchObject({ at: '2023-04-10T10:00', count: 2 });
    expect([...t.groups(campaignId).keys()].sort()).toEqual(['p1', 'p2']);
    const joinedAt = t.db().scalar("SELECT clock FROM campaign_events WHERE campaign_id = ? AND kind = 'profile_joined' AND profile_key = ?", [campaignId, keyOf(t, 'p1')]);
    expect(joinedAt).toBe('2023-04-10T10:00');
    const step5 = first.steps[5 - 1]!;
    expect(step5.campaigns).toEqual([{ campaignId, name: 'Spring', test: 2, control: 0, joined: 1, left: 0 }]);
    // p1's Sunday purchase came before it joined: none of the campaign's business, no run.
    expect(recipientsByRun(a, a.thanks)).toEqual([]);
    expect(recipientsByRun(a, a.weekly)).toEqual([{ clock: '2023-04-11T09:00', ids: ['p1', 'p2'] }]);
    // p1 opened on Tuesday 10:00 as a member: the scenario holds it.
    expect((await t.call('activity/list', { campaignId })).find((x) => x.id === a.welcome)).toMatchObject({ holding: 1, timing: { kind: 'scenario' } });

    // To Tuesday 18 April: p1 has not bought for a week and leaves at Monday's recalculation.
    const second = await t.call('clock/advance', { to: '2023-04-18T12:00' });
    expect(second.steps).toHaveLength(1);
    expect([...t.groups(campaignId).keys()].sort()).toEqual(['p2', 'p3']);
    const exits = (await t.call('campaign/events', { campaignId, kinds: ['campaign_exit'] })).events.filter((e) => e.profileId === 'p1');
    expect(exits).toEqual([
      expect.objectContaining({ clock: '2023-04-17T10:00', text: 'Campaign exit: no longer in the segment (was in Test). All active campaign scenarios for this profile are deactivated.' }),
    ]);
    const hold = t.db().get<{ ended: string; reason: string }>('SELECT ended, reason FROM scenario_holds WHERE activity_id = ? AND profile_key = ?', [a.welcome, keyOf(t, 'p1')])!;
    expect(hold).toEqual({ ended: '2023-04-17T10:00', reason: 'campaign_exit' });
    // p2's two purchases on Wednesday: two messages, sent two hours later; p3 (not a member then) none.
    const thanks = t.db().all<{ clock: string; messages: number; window_from: string }>('SELECT clock, messages, window_from FROM activity_runs WHERE activity_id = ? ORDER BY id', [a.thanks]);
    expect(thanks).toEqual([{ clock: '2023-04-17T10:00', messages: 2, window_from: '2023-04-11T12:00' }]);
    expect(recipientsByRun(a, a.thanks)[0]!.ids).toEqual(recountTriggered(a, 'purchase', '2023-04-11T12:00', '2023-04-17T10:00', ['p1', 'p2']));
    expect(recipientsByRun(a, a.weekly)[1]).toEqual({ clock: '2023-04-18T09:00', ids: ['p2', 'p3'] });

    // p1 buys again on Thursday 20 April: the next Monday brings it back, split again as a new profile.
    await t.call('clock/advance', { to: '2023-04-24T10:00' });
    expect([...t.groups(campaignId).keys()]).toEqual(['p1']);
    const kinds = t
      .db()
      .all<{ kind: string; clock: string }>('SELECT kind, clock FROM campaign_events WHERE campaign_id = ? AND profile_key = ? ORDER BY id', [campaignId, keyOf(t, 'p1')])
      .map((r) => `${r.kind} ${r.clock}`);
    expect(kinds).toEqual(['profile_joined 2023-04-10T10:00', 'campaign_exit 2023-04-17T10:00', 'profile_joined 2023-04-24T10:00']);
    // Its purchase on Thursday came while it was out: no message.
    expect(recipientsByRun(a, a.thanks).flatMap((r) => r.ids)).not.toContain('p1');
    expect(await t.call('project/state', {})).toMatchObject({ open: true, clock: '2023-04-24T10:00' });
  });

  it('the agenda lists what comes next; the clock never goes back; steps are checked', async () => {
    const a = await april();
    const { items, clock } = await a.t.call('clock/agenda', {});
    expect(clock).toBe('2023-04-06T09:00');
    expect(items.map((i) => [i.at, i.kind, i.title])).toEqual([
      ['2023-04-10T10:00', 'recalculation', 'Recalculate "Buyers"'],
      ['2023-04-11T09:00', 'activity_run', 'Regular mailing "Weekly digest"'],
      [null, 'trigger_run', 'Triggered mailing "Thank you"'],
      [null, 'scenario_entries', 'Scenario "Welcome"'],
    ]);
    expect(items[2]!.detail).toBe('On each purchase event, 2 hours later');
    const back = await expectEngineError(a.t.call('clock/advance', { to: '2023-04-01T00:00' }), 'REFUSED');
    expect(back.message).toMatch(/cannot go back: it is at .*copy of the project/);
    await expectEngineError(a.t.call('clock/advance', { to: '2023-04-11T00:00', step: '3x' } as never), 'INVALID_ARGUMENT');
  });

  it('a new project may start its clock in the past, to replay a year of events', async () => {
    const a = await april();
    const state = await a.t.call('project/new', { name: 'Replay', clock: '2022-01-01T00:00', discard: true });
    expect(state).toMatchObject({ open: true, clock: '2022-01-01T00:00' });
    await expectEngineError(a.t.call('project/new', { clock: '2022-02-30T00:00', discard: true }), 'INVALID_ARGUMENT');
  });

  it('a cancelled advance leaves the project as it was', async () => {
    const a = await april();
    const { t } = a;
    const before = t.db().export();
    let calls = 0;
    const ctx = { ...directContext(t), checkpoint: async () => {
      calls += 1;
      if (calls === 6) throw new EngineError('CANCELLED', 'Cancelled.');
    } };
    await expect(advanceClock(ctx, '2023-04-25T00:00', '1d')).rejects.toThrow('Cancelled.');
    expect(Buffer.from(t.db().export()).equals(Buffer.from(before))).toBe(true);
  });

  it('refuses a timing that does not fit the type, a time in the past, and launching twice', async () => {
    const a = await april();
    const other = (await a.t.call('activity/create', { databaseId: a.t.databaseId, campaignId: a.campaignId, type: 'regular_mailing', name: 'Monthly' })).id;
    const refused = await expectEngineError(a.t.call('activity/launch', { activityId: other, timing: { kind: 'once', at: '2023-04-07T10:00' } }), 'REFUSED');
    expect(refused.message).toBe('"Monthly" is a regular mailing: it runs on a schedule.');
    const schedule = await expectEngineError(a.t.call('activity/launch', { activityId: other, timing: { kind: 'schedule', schedule: 'weekly mon 25:00' } }), 'REFUSED');
    expect(schedule.message).toMatch(/^The schedule "weekly mon 25:00" does not read: "25:00" is not a time/);
    expect((await expectEngineError(a.t.call('activity/launch', { activityId: a.weekly, timing: { kind: 'schedule', schedule: 'daily 10:00' } }), 'REFUSED')).message).toBe(
      '"Weekly digest" is already launched (every Tuesday at 09:00). Stop it first to launch it with other settings.',
    );
    // Stopped, it runs no more on the clock, and may be launched again with other settings.
    const stopped = await a.t.call('activity/stop', { activityId: a.thanks });
    expect(stopped).toMatchObject({ timing: null, launchAt: null, nextRun: null, status: 'inactive' });
    const again = await a.t.call('activity/launch', { activityId: a.thanks, timing: { kind: 'trigger', eventType: 'open', delayMinutes: 0 } });
    expect(again.timing).toEqual({ kind: 'trigger', eventType: 'open', delayMinutes: 0 });
    const broadcast = (await a.t.call('activity/create', { databaseId: a.t.databaseId, campaignId: a.campaignId, type: 'broadcast', name: 'News' })).id;
    expect((await expectEngineError(a.t.call('activity/launch', { activityId: broadcast, timing: { kind: 'once', at: '2023-04-01T10:00' } }), 'REFUSED')).message).toMatch(/is before the project clock/);
    const bad = await expectEngineError(a.t.call('activity/launch', { activityId: a.welcome, timing: { kind: 'scenario', eventType: 'open', days: 0 } } as never), 'INVALID_ARGUMENT');
    expect(bad.message).toMatch(/days/);
    // A broadcast launched now runs at once on the active campaign, and only once.
    const now = await a.t.call('activity/launch', { activityId: broadcast, timing: { kind: 'once', at: '2023-04-06T09:00' } });
    expect(now.runs.map((r) => [r.kind, r.clock, r.test])).toEqual([['launch', '2023-04-06T09:00', 1]]);
    expect(now.status).toBe('completed');
  });
});

describe('the demo, to replay', () => {
  it('starts its clock a year back: its events lie ahead and happen as the clock moves', async () => {
    const t = await startCampaignProject();
    const state = await t.call('demo/create', { profiles: 300, seed: 'replay', replay: true, discard: true });
    const [database] = await t.call('database/list', {});
    const all = Number(t.db().scalar(`SELECT COUNT(*) FROM events_${database!.id}`));
    expect(all).toBeGreaterThan(300);
    expect((await t.call('events/list', { databaseId: database!.id })).total).toBe(0);
    const later = addMinutes(state.clock, 7 * 24 * 60);
    await t.call('clock/advance', { to: later });
    const week = Number(t.db().scalar(`SELECT COUNT(*) FROM events_${database!.id} WHERE at <= ?`, [`${later}:59`]));
    expect(week).toBeGreaterThan(0);
    expect((await t.call('events/list', { databaseId: database!.id })).total).toBe(week);
  });
});
