/**
 * The project clock in the app's store (issue 11): the rules the Advance clock dialog, the
 * Agenda page and the Launch dialog use, then the store on a real engine — a plan, an advance
 * in steps that reloads what depends on the clock, a cancelled advance that changes nothing,
 * launching and stopping activities.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClockAdvanceResult, AgendaItem } from '../../shared/contract/clock';
import { describeTiming } from '../../shared/domain/activity-timing';
import { formatClock } from '../../shared/format';
import { agendaGroups, dayLabel, nextDueAfter } from '../../renderer/store/agenda/selectors';
import { RUN_KIND_LABELS } from '../../shared/domain/activity-timing';
import { launchFromDraft, newLaunchDraft, timingFacts } from '../../renderer/store/activities/timing';
import { advanceProblem, advanceSentence, advanceStepText, clockPlus, planCountText, stepCount, stepProblem } from '../../renderer/store/clock/selectors';
import { addEvents } from '../main/engine/conditions/helpers';
import { waitForState, type StoreHarness } from './helpers/in-process';
import { activityDraft, answerNext, noticeTexts, plannedProject } from './helpers/planning';

let harness: StoreHarness | null = null;
afterEach(async () => {
  harness?.store.dispose();
  await harness?.engine.engine.dispose();
  harness = null;
});

const CLOCK = '2023-04-06T09:00';

describe('the Advance clock dialog rules', () => {
  it('moves only forward, counts the steps it stops at, and refuses more steps than one advance takes', () => {
    expect(advanceProblem('', CLOCK)).toBe('Choose a date and time.');
    expect(advanceProblem('2023-04-06 10:00', CLOCK)).toMatch(/^Expected a date and time/);
    expect(advanceProblem(CLOCK, CLOCK)).toMatch(/only moves forward.*clone the project/);
    expect(advanceProblem('2023-04-11T12:00', CLOCK)).toBeNull();
    // Five whole days and a last, shorter step: six reports, as the engine makes them.
    expect(stepCount(CLOCK, '2023-04-11T12:00', '1d')).toBe(6);
    expect(stepCount(CLOCK, '2023-04-13T09:00', '1w')).toBe(1);
    expect(stepCount(CLOCK, '2023-04-13T09:00', '')).toBe(1);
    expect(stepProblem(CLOCK, '2025-04-06T09:00', '1h')).toMatch(/^That is 17,544 steps; at most 10,000/);
    expect(stepProblem(CLOCK, '2025-04-06T09:00', '1d')).toBeNull();
    expect(clockPlus('2023-04-30T23:30', 60)).toBe('2023-05-01T00:30');
  });

  it('counts the plan and says which step a running advance is at', () => {
    expect(planCountText(1)).toBe('1 thing falls due on the way.');
    expect(planCountText(1234)).toBe('1,234 things fall due on the way, in time order.');
    // The engine counts the steps done before each step starts: the first is step 1; the end stays at the last.
    expect(advanceStepText(0, 168)).toBe('Step 1 of 168.');
    expect(advanceStepText(2, 1200)).toBe('Step 3 of 1,200.');
    expect(advanceStepText(168, 168)).toBe('Step 168 of 168.');
    expect(advanceStepText(0, 1)).toBe('Advancing in one step.');
  });

  it('sums up an advance in one sentence', () => {
    const item = (kind: 'recalculation' | 'activity_run') => ({ at: '2023-04-10T10:00', kind, title: 't', campaignId: 1, activityId: null, segmentId: null, count: 1, detail: '' });
    const result: ClockAdvanceResult = {
      from: CLOCK,
      clock: '2023-04-12T09:00',
      steps: [
        { from: CLOCK, to: '2023-04-11T09:00', items: [item('recalculation'), item('activity_run')], campaigns: [{ campaignId: 1, name: 'S', test: 1, control: 0, joined: 1, left: 0 }] },
        { from: '2023-04-11T09:00', to: '2023-04-12T09:00', items: [item('activity_run')], campaigns: [{ campaignId: 1, name: 'S', test: 1, control: 0, joined: 0, left: 0 }] },
      ],
    };
    expect(advanceSentence(result)).toBe('3 things ran on the way (1 segment recalculation, 2 activity runs); 1 campaign changed.');
    expect(advanceSentence({ ...result, steps: [{ from: CLOCK, to: '2023-04-12T09:00', items: [], campaigns: [] }] })).toBe('Nothing fell due on the way.');
  });

  it('groups the agenda by day in time order, what runs on events apart', () => {
    const at = (when: string | null, title: string): AgendaItem => ({ at: when, kind: 'activity_run', title, campaignId: 1, activityId: 2, segmentId: null, detail: '' });
    const groups = agendaGroups([at('2023-04-11T09:00', 'b'), at(null, 'on events'), at('2023-04-10T10:00', 'a'), at('2023-04-11T09:00', 'c')]);
    expect(groups.days.map((d) => [d.date, d.items.map((i) => i.title)])).toEqual([
      ['2023-04-10', ['a']],
      ['2023-04-11', ['b', 'c']],
    ]);
    expect(groups.onEvents.map((i) => i.title)).toEqual(['on events']);
    expect(dayLabel('2023-04-10')).toBe('Mon 10 Apr 2023');
    expect(nextDueAfter([at(null, 'x'), at('2023-04-11T09:00', 'b'), at('2023-04-10T10:00', 'a')], '2023-04-10T10:00')).toBe('2023-04-11T09:00');
    expect(nextDueAfter([at(null, 'x')], CLOCK)).toBeNull();
  });
});

describe('the Launch dialog reads its controls into the timing the engine takes', () => {
  const draft = newLaunchDraft(CLOCK);

  it('a broadcast or an A/B test at a time (the clock by default, never before it)', () => {
    expect(launchFromDraft('broadcast', draft, CLOCK)).toEqual({ timing: { kind: 'once', at: CLOCK }, words: 'Once at Thu 6 Apr 2023, 09:00.' });
    expect(launchFromDraft('ab_test', { ...draft, at: '2023-04-10T10:00' }, CLOCK)).toMatchObject({ timing: { kind: 'once', at: '2023-04-10T10:00' } });
    expect(launchFromDraft('broadcast', { ...draft, at: '2023-04-01T10:00' }, CLOCK)).toEqual({ problem: 'That moment has passed on the project clock (now Thu 6 Apr 2023, 09:00): choose now or later.' });
  });

  it('a regular mailing on a schedule, chosen or typed, read by the schedule language with the place of a mistake', () => {
    expect(launchFromDraft('regular_mailing', draft, CLOCK)).toEqual({ timing: { kind: 'schedule', schedule: 'weekly mon 10:00' }, words: 'Every Monday at 10:00.' });
    const typed = { ...draft, scheduleMode: 'type' as const };
    expect(launchFromDraft('regular_mailing', { ...typed, scheduleText: 'Weekly Tuesday,FRI 9:00' }, CLOCK)).toEqual({
      timing: { kind: 'schedule', schedule: 'weekly tue,fri 09:00' },
      words: 'Every Tuesday and Friday at 09:00.',
    });
    expect(launchFromDraft('regular_mailing', { ...typed, scheduleText: 'weekly mon,funday 10:00' }, CLOCK)).toEqual({
      problem: '"funday" is not a weekday: use mon, tue, wed, thu, fri, sat or sun. (at character 12)',
    });
    expect(launchFromDraft('regular_mailing', { ...draft, schedule: { ...draft.schedule, weekdays: [] } }, CLOCK)).toEqual({ problem: 'Tick at least one weekday.' });
    // Starting later: the start goes to the engine as `from`.
    expect(launchFromDraft('regular_mailing', { ...draft, from: '2023-04-20T00:00' }, CLOCK)).toMatchObject({ from: '2023-04-20T00:00', words: 'Every Monday at 10:00, from Thu 20 Apr 2023, 00:00.' });
  });

  it('a triggered mailing on an event type with a delay; a scenario for a number of days; a placement with nothing more', () => {
    expect(launchFromDraft('triggered_mailing', draft, CLOCK)).toEqual({ problem: 'Choose the event type that starts it.' });
    expect(launchFromDraft('triggered_mailing', { ...draft, eventType: ' purchase ', delay: '2', delayUnit: 'hours' }, CLOCK)).toEqual({
      timing: { kind: 'trigger', eventType: 'purchase', delayMinutes: 120 },
      words: 'On each purchase event, 2 hours later.',
    });
    expect(launchFromDraft('triggered_mailing', { ...draft, eventType: 'purchase', delay: 'soon' }, CLOCK)).toEqual({ problem: 'The delay is a whole number (0 sends at once).' });
    // The contract's limit, said in words.
    expect(launchFromDraft('triggered_mailing', { ...draft, eventType: 'purchase', delay: '400', delayUnit: 'days' }, CLOCK)).toEqual({ problem: 'The delay is out of range: at most 365 days.' });
    expect(launchFromDraft('scenario', { ...draft, eventType: 'open', days: '30' }, CLOCK)).toMatchObject({ timing: { kind: 'scenario', eventType: 'open', days: 30 } });
    expect(launchFromDraft('scenario', { ...draft, eventType: 'open', days: '0' }, CLOCK)).toEqual({ problem: 'The length is out of range: at least 1 day.' });
    expect(launchFromDraft('placement', draft, CLOCK)).toEqual({ timing: { kind: 'while_active' }, words: 'Shown to the Test group while active.' });
    expect(RUN_KIND_LABELS.trigger).toBe('On events');
  });
});

describe('the clock through the store, on a real engine', () => {
  it('plans, advances in steps and reloads what depends on the clock; the agenda; a cancelled advance changes nothing; launch and stop', { timeout: 60_000 }, async () => {
    const p = await plannedProject(10);
    harness = p.h;
    const { h } = p;
    const s = () => h.store.getState();
    const clock = () => {
      const project = h.state().project;
      return project.open ? project.clock : '';
    };
    const start = clock();
    const day = (n: number, time: string) => `${clockPlus(start, n * 24 * 60).slice(0, 10)}T${time}`;
    // P0000001 buys tomorrow at 08:00: it joins the segment at tomorrow's 10:00 recalculation.
    addEvents(h.engine.engine.state.requireSession().db, p.databaseId, [['P0000001', 'purchase', `${day(1, '08:00')}:00`]]);
    const { segment } = await h.engine.client.call('segment/create', {
      databaseId: p.databaseId,
      name: 'Buyers',
      type: 'updatable',
      schedule: 'daily 10:00',
      from: { kind: 'condition', where: 'event purchase in last 7 days' },
    });
    const campaign = await s().createCampaign({ name: 'Spring', databaseId: p.databaseId, segmentId: segment.id, attributes: {}, lcg: { percent: null, limit: null, strata: [] }, seed: 's' });
    if (!campaign) throw new Error(noticeTexts(h).join('; '));
    const digest = await s().createActivity(p.databaseId, campaign.id, activityDraft('Digest', { type: 'regular_mailing' }));
    const thanks = await s().createActivity(p.databaseId, campaign.id, activityDraft('Thanks', { type: 'triggered_mailing' }));
    if (!digest || !thanks) throw new Error(noticeTexts(h).join('; '));
    await s().activateCampaign(campaign.id, { confirmed: true });

    expect(await s().listEventTypes(p.databaseId)).toEqual([]);
    const typed = { ...newLaunchDraft(start), scheduleMode: 'type' as const, scheduleText: 'daily 11:00', eventType: 'purchase' };
    const schedule = launchFromDraft('regular_mailing', typed, start);
    const trigger = launchFromDraft('triggered_mailing', typed, start);
    if ('problem' in schedule || 'problem' in trigger) throw new Error('not launchable');
    const launched = await s().launchActivity(digest, schedule.timing);
    expect(launched).toMatchObject({ timing: { kind: 'schedule', schedule: 'daily 11:00' }, nextRun: day(start.slice(11) < '11:00' ? 0 : 1, '11:00') });
    expect(noticeTexts(h).at(-1)).toMatch(/^"Digest" launched: Every day at 11:00; next run /);
    await s().launchActivity(thanks, trigger.timing);
    const shown = h.state().activitiesByCampaign[campaign.id] ?? [];
    expect(shown.map((a) => (a.timing ? describeTiming(a.timing) : null))).toEqual(['Every day at 11:00', 'On each purchase event']);
    expect(timingFacts(shown[0]!, start)).toEqual([`Launched ${formatClock(start)}`, `Next run ${formatClock(launched!.nextRun!)}`]);
    // A start still ahead of the clock is not a launch yet; a one-time run's own time is said by "Once at …" already.
    const later = day(3, '08:00');
    expect(timingFacts({ ...shown[0]!, launchAt: later, nextRun: later }, start)).toEqual([`Starts ${formatClock(later)}`, `Next run ${formatClock(later)}`]);
    expect(timingFacts({ ...shown[0]!, timing: { kind: 'once', at: later }, launchAt: later, nextRun: later }, start)).toEqual([]);

    // The agenda: the next recalculation and the mailing by time; the triggered mailing on events.
    s().navigate({ page: 'agenda' });
    const agenda = (await waitForState(h.store, (st) => st.agenda !== null)).agenda!;
    const groups = agendaGroups(agenda.items);
    expect(groups.days.flatMap((d) => d.items.map((i) => i.kind))).toEqual(expect.arrayContaining(['recalculation', 'activity_run']));
    expect(groups.onEvents.map((i) => i.title)).toEqual(['Triggered mailing "Thanks"']);

    // The plan lists tomorrow's recalculation before anything runs; the advance runs it, a report a day.
    const to = day(2, '12:00');
    const plan = await s().planClock(to);
    if ('problem' in plan) throw new Error(plan.problem);
    expect(plan.plan.items.find((i) => i.kind === 'recalculation')).toMatchObject({ at: day(1, '10:00'), segmentId: segment.id });
    const notices = h.state().notices.length;
    s().navigate({ page: 'campaign', campaignId: campaign.id, tab: 'activities' });
    const outcome = await s().advanceClock(to, { step: '1d', shownByCaller: true });
    if (outcome.kind !== 'done') throw new Error(`not advanced: ${noticeTexts(h).join('; ')}`);
    expect(outcome.result.steps).toHaveLength(stepCount(start, to, '1d'));
    expect(h.state().notices.length).toBe(notices);
    expect(outcome.result.steps.flatMap((st) => st.campaigns).find((c) => c.joined > 0)).toMatchObject({ campaignId: campaign.id, joined: 1, test: 1 });
    // Reloaded without asking: the campaign's groups, its activities' runs, the agenda at the new clock.
    expect(h.state().campaignDetails[campaign.id]?.campaign.groups.total).toBe(1);
    expect(h.state().campaigns?.find((c) => c.id === campaign.id)?.groups.total).toBe(1);
    expect(h.state().activitiesByCampaign[campaign.id]?.find((a) => a.id === digest.id)?.runs.map((r) => r.kind)).toEqual(Array<string>(start.slice(11) < '11:00' ? 3 : 2).fill('schedule'));
    expect(h.state().agenda?.clock).toBe(to);
    expect(clock()).toBe(to);

    // Cancelled: the clock and the campaign are as they were.
    const running = s().advanceClock(day(30, '12:00'), { step: '1h', shownByCaller: true });
    await s().cancelClockAdvance();
    expect(await running).toEqual({ kind: 'cancelled' });
    expect((await h.engine.client.call('project/state', {})) as { clock: string }).toMatchObject({ clock: to });
    expect((await h.engine.client.call('campaign/get', { campaignId: campaign.id })).campaign.groups.total).toBe(1);

    // Back in time: refused, with the reason.
    expect(await s().advanceClock(start)).toEqual({ kind: 'failed' });
    expect(noticeTexts(h).at(-1)).toMatch(/cannot go back/);

    // Stop, after a question: it runs no more on the clock, and may be launched again.
    const stopping = s().stopActivity(h.state().activitiesByCampaign[campaign.id]!.find((a) => a.id === thanks.id)!);
    expect(await answerNext(h, 'stop')).toBe('Stop "Thanks"?');
    expect(await stopping).toMatchObject({ timing: null, launchAt: null, nextRun: null });
  });
});
