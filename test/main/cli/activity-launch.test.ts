/**
 * `cplan activity launch|stop|show|list`, in process on real files: each activity type is
 * launched with the timing it takes, shown with its timing, launch and next run; a missing
 * or extra timing option is refused naming the type, with exit code 2.
 */
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../../shared/contract/activities';
import { aprilShop, cli, fails, json, ok } from '../../helpers/cli-in-process';

const TYPES: [string, string][] = [
  ['Blast', 'broadcast'],
  ['Subject test', 'ab_test'],
  ['Digest', 'regular_mailing'],
  ['Thanks', 'triggered_mailing'],
  ['Journey', 'scenario'],
  ['Banner', 'placement'],
];

async function shopWithActivities(): Promise<string> {
  const { file } = await aprilShop();
  for (const [name, type] of TYPES) await ok('activity', 'create', file, name, '--type', type, '--campaign', 'Spring');
  return file;
}

describe('cplan activity launch', { timeout: 120_000 }, () => {
  it('launches each type with its timing; show and list say how and when it runs', async () => {
    const file = await shopWithActivities();
    const launched: [string, string[], Activity['timing']][] = [
      ['Blast', ['--at', '2023-04-12T09:30'], { kind: 'once', at: '2023-04-12T09:30' }],
      ['Subject test', ['--at', 'now'], { kind: 'once', at: '2023-04-08T10:00' }],
      ['Digest', ['--schedule', 'Weekly  MON 10:00'], { kind: 'schedule', schedule: 'weekly mon 10:00' }],
      ['Thanks', ['--trigger', 'purchase', '--delay', '2h'], { kind: 'trigger', eventType: 'purchase', delayMinutes: 120 }],
      ['Journey', ['--trigger', 'purchase', '--days', '14'], { kind: 'scenario', eventType: 'purchase', days: 14 }],
      ['Banner', [], { kind: 'while_active' }],
    ];
    for (const [name, options, timing] of launched) {
      const activity = await json<Activity>('activity', 'launch', file, name, ...options);
      expect(activity.timing, name).toEqual(timing);
      expect(activity.launchAt, name).not.toBeNull();
    }

    // The campaign is not active yet: the launch says that nothing runs until it is.
    const thanks = await ok('activity', 'show', file, 'Thanks');
    expect(thanks).toMatch(/^Triggered mailing "Thanks" \(id \d+\): .*\n/);
    expect(thanks).toContain('  timing      on each purchase event, 2 hours later\n');
    expect(thanks).toContain('  launched    Sat 8 Apr 2023, 10:00\n');
    expect(thanks).toContain('  next run    on each event\n');
    const digest = await ok('activity', 'show', file, 'Digest');
    expect(digest).toContain('  timing      every Monday at 10:00 (weekly mon 10:00)\n');
    expect(digest).toContain('  next run    Mon 10 Apr 2023, 10:00\n');
    expect(await ok('activity', 'show', file, 'Journey')).toMatch(/ {2}timing {6}takes in profiles on each purchase event and holds them 14 days\n[\s\S]* {2}holding {5}0 profiles\n/);
    expect(await ok('activity', 'show', file, 'Blast')).toContain('  timing      once at Wed 12 Apr 2023, 09:30\n');

    const list = await ok('activity', 'list', file, '--campaign', 'Spring');
    const rows = new Map(list.trim().split('\n').slice(2).map((line) => { const cells = line.trim().split(/\s{2,}/); return [cells[1], cells]; }));
    expect(rows.get('Digest')).toEqual(expect.arrayContaining(['weekly mon 10:00', '2023-04-10 10:00']));
    expect(rows.get('Thanks')).toEqual(expect.arrayContaining(['on purchase +2 hours']));
    expect(rows.get('Journey')).toEqual(expect.arrayContaining(['on purchase, 14 days']));
    expect(rows.get('Banner')).toEqual(expect.arrayContaining(['while active']));

    // Launched, then stopped: it runs no more.
    const stop = await cli('activity', 'stop', file, 'Digest');
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/^Stopped the regular mailing "Digest": it runs no more\.\n/);
    expect((await json<Activity>('activity', 'show', file, 'Digest')).nextRun).toBeNull();
  });

  it('the launch of an activity that is not launched yet says it runs only by hand; a launch in an inactive campaign says it waits', async () => {
    const file = await shopWithActivities();
    expect(await ok('activity', 'show', file, 'Digest')).toContain('  timing      not launched: it runs only by hand (activity run) until it is launched\n');
    const launch = await ok('activity', 'launch', file, 'Digest', '--schedule', 'daily 09:00', '--from', '2023-04-20T00:00');
    expect(launch).toMatch(/^Launched the regular mailing "Digest": every day at 09:00\. Nothing runs yet: it does not run until the campaign is activated\.\n/);
    expect((await json<Activity>('activity', 'show', file, 'Digest')).nextRun).toBe('2023-04-20T09:00');
  });

  it('a timing option the type does not take, or a missing one, is refused naming the type (exit code 2)', async () => {
    const file = await shopWithActivities();
    const cases: [string, string[], RegExp][] = [
      ['Blast', [], /^a broadcast runs once, at a time: give --at TIME; --at TIME is missing$/],
      ['Blast', ['--schedule', 'daily 09:00'], /^--schedule does not go with a broadcast: it runs once, at a time: give --at TIME$/],
      ['Subject test', ['--at', 'tomorrow'], /^--at must be a date-time like 2026-04-10T10:00 \(or now\), not "tomorrow"$/],
      ['Blast', ['--at', 'now', '--from', '2023-04-20T00:00'], /^--from does not go with a broadcast/],
      ['Digest', [], /^a regular mailing runs on a schedule: give --schedule 'weekly mon 10:00'; --schedule WHEN is missing$/],
      ['Digest', ['--at', 'now'], /^--at does not go with a regular mailing/],
      ['Thanks', [], /^a triggered mailing runs on each event of a type: give --trigger TYPE/],
      ['Thanks', ['--trigger', 'purchase', '--days', '3'], /^--days does not go with a triggered mailing/],
      ['Thanks', ['--trigger', 'purchase', '--delay', '3x'], /^--delay must be a count and a unit, such as 30m, 2h or 1d, not "3x"$/],
      ['Thanks', ['--trigger', 'purchase', '--delay', '400d'], /^--delay can be at most 365 days, not "400d"$/],
      ['Journey', ['--trigger', 'purchase'], /^a scenario takes profiles in on each event of a type and holds them: give --trigger TYPE --days N; --days N is missing$/],
      ['Journey', ['--trigger', 'purchase', '--days', '0'], /^--days must be a whole number of at least 1, not "0"$/],
      ['Journey', ['--days', '7'], /--trigger TYPE is missing$/],
      ['Journey', ['--trigger', 'purchase', '--delay', '1h', '--days', '7'], /^--delay does not go with a scenario/],
      ['Banner', ['--at', 'now'], /^--at does not go with a placement: it is shown to the Test group while it is active: it takes no timing options$/],
      ['Banner', ['--from', 'Monday'], /^--from must be a date-time like 2026-04-10T10:00 \(or now\), not "Monday"$/],
    ];
    for (const [name, options, message] of cases) expect(await fails(2, 'activity', 'launch', file, name, ...options), `${name} ${options.join(' ')}`).toMatch(message);

    // A schedule that does not read: the same located message as a segment's, with a caret.
    const bad = await cli('activity', 'launch', file, 'Digest', '--schedule', 'weekly mon 25:00');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('cplan: The schedule in --schedule does not read at column 12: "25:00" is not a time: use HH:MM, from 00:00 to 23:59.\n  weekly mon 25:00\n             ^\n');
    // Options of launch do not go with other actions, and nothing was launched by the refusals.
    expect(await fails(2, 'activity', 'run', file, 'Digest', '--schedule', 'daily 09:00')).toBe('--schedule does not go with "activity run"');
    expect(await fails(1, 'activity', 'launch', file, 'Nobody', '--at', 'now')).toMatch(/^There is no activity "Nobody"/);
    for (const [name] of TYPES) expect((await json<Activity>('activity', 'show', file, name)).timing, name).toBeNull();

    // The engine's refusals: one line, exit code 1.
    expect(await fails(1, 'activity', 'launch', file, 'Blast', '--at', '2023-04-01T10:00')).toMatch(/is before the project clock/);
    expect(await fails(1, 'activity', 'stop', file, 'Blast')).toBe('"Blast" is not launched: there is nothing to stop.');
    await ok('activity', 'launch', file, 'Blast', '--at', 'now');
    expect(await fails(1, 'activity', 'launch', file, 'Blast', '--at', 'now')).toMatch(/^"Blast" is already launched \(.*\)\. Stop it first to launch it with other settings\.$/);
  });
});
