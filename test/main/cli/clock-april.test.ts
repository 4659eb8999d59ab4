/**
 * The guide's April example run from the project clock alone, through the command line, in
 * process on real files (issue 11's "Done when"): a campaign with an LCG on the updatable
 * segment "purchase within the last 7 days" (weekly on Mondays at 10:00), a weekly regular
 * mailing, a purchase-triggered mailing and a scenario launched in it. Ann (C1) buys on
 * Sunday 9 April: advancing to Tuesday 11 April shows her joined at the Monday
 * recalculation; advancing to 18 April shows her left with a "Campaign exit" and her
 * scenario detached; a new purchase and the next Monday bring her back as a new profile,
 * split again. On every step the audience and both mailings' recipients are checked against
 * a recount from the events themselves.
 */
import { describe, expect, it } from 'vitest';
import type { Activity, ActivityRun } from '../../../shared/contract/activities';
import type { CampaignEvent } from '../../../shared/contract/campaigns';
import type { ClockAdvanceResult } from '../../../shared/contract/clock';
import type { ProfilePage } from '../../../shared/contract/profiles';
import { cli, emptyProject, json, ok } from '../../helpers/cli-in-process';
import { writeCsv } from '../engine/import/helpers';

const DAY = 86_400_000;
const toMs = (clock: string) => Date.parse(`${clock}Z`);
const toClock = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** Profiles P01-P30 and Ann (C1); P05, P10 and P15 unsubscribed. */
const PEOPLE = ['C1', ...Array.from({ length: 30 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`)];
const UNSUBSCRIBED = new Set(['P05', 'P10', 'P15']);

/**
 * Purchases of P01-P30 from 1 April to 2 May 2023, at odd minutes (never on a Monday's
 * 10:00 or at a step's end, so no purchase is on a boundary), from a fixed generator.
 */
function purchases(): { id: string; at: string }[] {
  let seed = 20230409;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const start = toMs('2023-04-01T00:00');
  return Array.from({ length: 70 }, () => {
    const id = PEOPLE[1 + Math.floor(next() * 30)]!;
    const minute = Math.floor(next() * 31 * 24 * 30) * 2 + 1;
    return { id, at: `${toClock(start + minute * 60_000)}:00` };
  });
}

interface Purchase {
  readonly id: string;
  readonly at: string;
}

/** The recount: who has a purchase in the 7 days up to `clock` (the segment's condition). */
const buyersAt = (events: readonly Purchase[], clock: string) =>
  new Set(events.filter((e) => toMs(e.at.slice(0, 16)) >= toMs(clock) - 7 * DAY && e.at.slice(0, 16) <= clock).map((e) => e.id));

const sorted = (ids: Iterable<string>) => [...ids].sort();

describe("the guide's April example, on the clock alone", { timeout: 180_000 }, () => {
  it('joins at the Monday recalculation, leaves with a Campaign exit (scenario detached), comes back split again; mailings reach the right Test members on every step', async () => {
    const { dir, file } = await emptyProject('2023-04-08T10:00');
    const people = PEOPLE.map((id) => `${id},${UNSUBSCRIBED.has(id) ? 'unsubscribed' : 'subscribed'}`).join('\n');
    await ok('import', file, writeCsv(dir, 'people.csv', `customer_id,subscription_status\n${people}\n`), '--database', 'Shop', '--create');
    const events: Purchase[] = [{ id: 'C1', at: '2023-04-09T12:00:00' }, ...purchases()];
    const importPurchases = async (name: string, rows: readonly Purchase[]) =>
      ok('events', 'import', file, writeCsv(dir, name, `customer_id,at\n${rows.map((e) => `${e.id},${e.at}`).join('\n')}\n`), '--database', 'Shop', '--type', 'purchase', '--time-column', 'at');
    await importPurchases('purchases.csv', events);
    // Ann opens a mail on Wednesday 12 April: the scenario takes her in.
    await ok('events', 'import', file, writeCsv(dir, 'opens.csv', 'customer_id,at\nC1,2023-04-12 09:01\n'), '--database', 'Shop', '--type', 'open', '--time-column', 'at');

    await ok('segment', 'create', file, 'Buyers', '--database', 'Shop', '--type', 'updatable', '--where', 'event purchase in last 7 days', '--schedule', 'weekly mon 10:00');
    await ok('campaign', 'create', file, 'Spring', '--database', 'Shop', '--segment', 'Buyers', '--percent', '30', '--seed', 'guide');
    await ok('activity', 'create', file, 'Digest', '--type', 'regular_mailing', '--campaign', 'Spring');
    await ok('activity', 'create', file, 'Thanks', '--type', 'triggered_mailing', '--campaign', 'Spring');
    await ok('activity', 'create', file, 'Journey', '--type', 'scenario', '--campaign', 'Spring');
    await ok('activity', 'launch', file, 'Digest', '--schedule', 'weekly mon 10:00');
    await ok('activity', 'launch', file, 'Thanks', '--trigger', 'purchase');
    await ok('activity', 'launch', file, 'Journey', '--trigger', 'open', '--days', '30');
    await ok('campaign', 'activate', file, 'Spring');

    const members = async (group: 'test' | 'control') => new Set((await json<ProfilePage>('campaign', 'members', file, 'Spring', '--group', group, '--limit', '1000')).rows.map((r) => r.profileId));
    /** The Test group after each recalculation (membership changes only then), in time order. */
    const testFrom: { clock: string; test: Set<string> }[] = [];
    const takeSnapshot = async (clock: string) => {
      const [test, control] = [await members('test'), await members('control')];
      // The audience recount: the campaign holds exactly the segment's buyers of that moment.
      expect(sorted([...test, ...control]), `audience at ${clock}`).toEqual(sorted(buyersAt(events, clock)));
      testFrom.push({ clock, test });
    };
    const inTestAt = (id: string, at: string) => [...testFrom].reverse().find((s) => s.clock <= at.slice(0, 16))?.test.has(id) ?? false;
    await takeSnapshot('2023-04-08T10:00');

    const runsOf = async (name: string) => (await json<Activity>('activity', 'show', file, name)).runs;
    const recipients = async (run: ActivityRun) => {
      const page = await json<ProfilePage & { groups: string[] }>('activity', 'recipients', file, String(run.activityId), '--run', String(run.id), '--limit', '1000');
      expect(new Set(page.groups), `run ${run.id} reaches Test only`).toEqual(new Set(page.rows.length === 0 ? [] : ['test']));
      return sorted(page.rows.map((r) => r.profileId));
    };
    /** Every run of both mailings, checked against the recount; returns how many there were. */
    const checkMailings = async () => {
      const digest = await runsOf('Digest');
      for (const run of digest) {
        expect(run.kind).toBe('schedule');
        expect(new Date(`${run.clock}Z`).getUTCDay(), `${run.clock} is a Monday`).toBe(1);
        expect(run.clock.slice(11)).toBe('10:00');
        const expected = sorted([...testFrom.find((s) => s.clock === run.clock)!.test].filter((id) => !UNSUBSCRIBED.has(id)));
        expect(await recipients(run), `Digest on ${run.clock}`).toEqual(expected);
        expect(run.messages).toBe(expected.length);
        expect(run.control).toBe(0);
      }
      const thanks = await runsOf('Thanks');
      let messages = 0;
      for (const run of thanks) {
        expect(run.kind).toBe('trigger');
        expect(run.window).not.toBeNull();
        const answered = events.filter((e) => e.at.slice(0, 16) >= run.window!.from && e.at.slice(0, 16) <= run.window!.to && inTestAt(e.id, e.at) && !UNSUBSCRIBED.has(e.id));
        expect(await recipients(run), `Thanks run ${run.id} (${run.window!.from} to ${run.window!.to})`).toEqual(sorted(new Set(answered.map((e) => e.id))));
        expect(run.messages).toBe(answered.length);
        messages += run.messages;
      }
      // No purchase of a Test member (after the launch, up to the clock) went unanswered.
      const clock = (await json<{ clock: string }>('clock', 'show', file)).clock;
      const due = events.filter((e) => e.at.slice(0, 16) > '2023-04-08T10:00' && e.at.slice(0, 16) <= clock && inTestAt(e.id, e.at) && !UNSUBSCRIBED.has(e.id));
      expect(messages, `purchase-triggered messages up to ${clock}`).toBe(due.length);
      return { digest: digest.length, thanks: thanks.length };
    };
    const joinedAt = async () => (await json<{ events: CampaignEvent[] }>('campaign', 'events', file, 'Spring', '--kind', 'profile_joined', '--limit', '1000')).events.filter((e) => e.profileId === 'C1').map((e) => e.clock).sort();
    const holding = async () => (await json<Activity>('activity', 'show', file, 'Journey')).holding;

    // To Tuesday 11 April, a day at a time: Ann joins at Monday's recalculation.
    const toTuesday = await cli('clock', 'advance', file, '--to', '2023-04-11T00:00', '--step', '1d');
    expect(toTuesday.code, toTuesday.stderr).toBe(0);
    expect(toTuesday.stdout).toMatch(/^Project clock: Tue 11 Apr 2023, 00:00 \(2023-04-11T00:00\), moved from 2023-04-08 10:00 in 3 steps\.\n/);
    expect(toTuesday.stdout).toMatch(/\n2023-04-09 10:00 to 2023-04-10 10:00:\n(.*\n)*? {2}2023-04-10 10:00 {2}.*Buyers/);
    expect(toTuesday.stdout).toMatch(/\n {2}Spring +\d+ +\d+ +\d+ +\d+\n/);
    expect(await joinedAt()).toEqual(['2023-04-10T10:00']);
    await takeSnapshot('2023-04-10T10:00');
    // With the seed "guide" Ann falls in Test, so the scenario can take her in.
    expect(testFrom[1]!.test.has('C1')).toBe(true);
    expect((await checkMailings()).digest).toBe(1);

    // To Tuesday 18 April: Ann's purchase is more than 7 days old on Monday 17 April; she
    // leaves with a "Campaign exit", and the scenario she entered on Wednesday lets her go.
    const week = await json<ClockAdvanceResult>('clock', 'advance', file, '--to', '2023-04-18T00:00', '--step', '1d');
    expect(week.steps.map((s) => s.to)).toEqual(['2023-04-12T00:00', '2023-04-13T00:00', '2023-04-14T00:00', '2023-04-15T00:00', '2023-04-16T00:00', '2023-04-17T00:00', '2023-04-18T00:00']);
    const monday = week.steps[6]!;
    expect(monday.items.map((i) => [i.at, i.kind])).toEqual(expect.arrayContaining([['2023-04-17T10:00', 'recalculation'], ['2023-04-17T10:00', 'activity_run']]));
    expect(monday.campaigns).toEqual([expect.objectContaining({ name: 'Spring', left: expect.any(Number), joined: expect.any(Number) })]);
    expect(week.steps[1]!.items.filter((i) => i.kind === 'scenario_entries').map((i) => i.count)).toEqual([1]);
    const exits = (await json<{ events: CampaignEvent[] }>('campaign', 'events', file, 'Spring', '--kind', 'campaign_exit', '--limit', '1000')).events.filter((e) => e.profileId === 'C1');
    expect(exits.map((e) => e.clock)).toEqual(['2023-04-17T10:00']);
    expect(exits[0]!.text).toMatch(/Campaign exit/);
    expect(exits[0]!.text).toMatch(/All active campaign scenarios for this profile are deactivated/);
    expect(await holding()).toBe(0);
    await takeSnapshot('2023-04-17T10:00');
    expect((await checkMailings()).digest).toBe(2);

    // A new purchase on Wednesday 19 April; the next Monday brings Ann back, split again.
    const again = { id: 'C1', at: '2023-04-19T15:01:00' };
    events.push(again);
    await importPurchases('more.csv', [again]);
    await ok('clock', 'advance', file, '--to', '2023-04-25T00:00', '--step', '1w');
    expect(await joinedAt()).toEqual(['2023-04-10T10:00', '2023-04-24T10:00']);
    await takeSnapshot('2023-04-24T10:00');
    // Her purchase on the 19th came while she was out of the campaign: no message for it.
    for (const run of await runsOf('Thanks')) if (run.window!.from <= '2023-04-19T15:01' && run.window!.to >= '2023-04-19T15:01') expect(await recipients(run)).not.toContain('C1');

    // One more week, in a single step: the recount holds.
    await ok('clock', 'advance', file, '--to', '2023-05-02T00:00');
    await takeSnapshot('2023-05-01T10:00');
    const counted = await checkMailings();
    expect(counted.digest).toBe(4);
    expect(counted.thanks).toBeGreaterThan(0);
  });
});
