/**
 * `cplan clock show|agenda|plan|advance`, in process on real files: what is scheduled, what
 * an advance would run, an advance step by step (saved), and the refusals. Whether the
 * command ends on its own is in exits.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AgendaItem, ClockAdvanceResult, ClockItem } from '../../../shared/contract/clock';
import { aprilShop, cli, fails, json, ok } from '../../helpers/cli-in-process';

/** The shop with a broadcast for Wednesday and a weekly digest launched, and "Spring" waiting for Sunday 08:00. */
async function plannedShop(): Promise<string> {
  const { file } = await aprilShop();
  await ok('activity', 'create', file, 'Blast', '--type', 'broadcast', '--campaign', 'Spring');
  await ok('activity', 'create', file, 'Digest', '--type', 'regular_mailing', '--campaign', 'Spring');
  await ok('activity', 'launch', file, 'Blast', '--at', '2023-04-12T09:30');
  await ok('activity', 'launch', file, 'Digest', '--schedule', 'weekly mon 10:00');
  await ok('campaign', 'activate', file, 'Spring', '--at', '2023-04-09T08:00');
  return file;
}

const kinds = (items: readonly (ClockItem | AgendaItem)[]) => items.map((i) => [i.at, i.kind]);

describe('cplan clock', { timeout: 120_000 }, () => {
  it('agenda lists what is scheduled next; plan lists what an advance would run, and changes nothing', async () => {
    const file = await plannedShop();
    const agenda = await json<{ clock: string; items: AgendaItem[] }>('clock', 'agenda', file);
    expect(agenda.clock).toBe('2023-04-08T10:00');
    expect(kinds(agenda.items)).toEqual(
      expect.arrayContaining([
        ['2023-04-09T08:00', 'activation'],
        ['2023-04-10T10:00', 'recalculation'],
        ['2023-04-10T10:00', 'activity_run'],
        ['2023-04-12T09:30', 'activity_run'],
      ]),
    );
    const agendaText = await ok('clock', 'agenda', file, '--limit', '2');
    expect(agendaText).toMatch(/^Project clock: Sat 8 Apr 2023, 10:00 \(2023-04-08T10:00\)\.\n\n {2}Next +What +Campaign +Detail\n/);
    expect(agendaText.trim().split('\n')).toHaveLength(2 + 2 + 2);
    expect(agendaText).toMatch(/\n {2}2023-04-09 08:00 +.*Spring/);

    const plan = await json<{ from: string; to: string; items: ClockItem[]; truncated: boolean }>('clock', 'plan', file, '--to', '2023-04-13T00:00');
    expect(plan).toMatchObject({ from: '2023-04-08T10:00', to: '2023-04-13T00:00', truncated: false });
    expect(kinds(plan.items)).toEqual([
      ['2023-04-09T08:00', 'activation'],
      ['2023-04-10T10:00', 'recalculation'],
      ['2023-04-10T10:00', 'activity_run'],
      ['2023-04-12T09:30', 'activity_run'],
    ]);
    const planText = await ok('clock', 'plan', file, '--to', '2023-04-13T00:00');
    expect(planText).toMatch(/^Advancing the clock from 2023-04-08 10:00 to 2023-04-13 00:00 would run 4 items\.\n\n {2}At +What +Campaign +Count +Detail\n/);
    // What is known ahead is counted: the activation takes the segment's one profile.
    expect(plan.items[0]!.count).toBe(1);
    expect((await json<{ clock: string }>('clock', 'show', file)).clock).toBe('2023-04-08T10:00');
    expect(await ok('clock', 'plan', file, '--to', '2023-04-09T00:00')).toBe('Advancing the clock from 2023-04-08 10:00 to 2023-04-09 00:00 would run 0 items.\n');
  });

  it('advance runs everything due on the way, reports each step, and saves the file', async () => {
    const file = await plannedShop();
    const run = await cli('clock', 'advance', file, '--to', '2023-04-11T10:00', '--step', '1d');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Project clock: Tue 11 Apr 2023, 10:00 (2023-04-11T10:00), moved from 2023-04-08 10:00 in 3 steps.');
    // Step 1: the activation; step 2: the recalculation (Ann joins, Bob leaves), then the digest; step 3: nothing.
    expect(run.stdout).toMatch(/\n2023-04-08 10:00 to 2023-04-09 10:00:\n {2}At +What +Campaign +Detail\n {2}-+.*\n {2}2023-04-09 08:00 .*Spring/);
    expect(run.stdout).toMatch(/\n2023-04-09 10:00 to 2023-04-10 10:00:\n {2}At +What +Campaign +Detail\n {2}-+.*\n {2}2023-04-10 10:00 .*Buyers.*\n {2}2023-04-10 10:00 .*Digest.*Spring/);
    expect(run.stdout).toMatch(/\n {2}Campaign +Test +LCG +Joined +Left\n {2}-+.*\n {2}Spring +1 +0 +1 +1\n/);
    expect(run.stdout).toMatch(/\n2023-04-10 10:00 to 2023-04-11 10:00: nothing ran\.\n$/);
    expect((await json<{ clock: string }>('clock', 'show', file)).clock).toBe('2023-04-11T10:00');
    // The digest's run on its schedule, as activity show lists it.
    expect(await ok('activity', 'show', file, 'Digest')).toMatch(/\n {2}runs {8}run \d+ at Mon 10 Apr 2023, 10:00 \(on schedule, 1 message\): 1 test\n$/);

    // --json: one report per step; quiet steps are collapsed in the text only.
    const result = await json<ClockAdvanceResult>('clock', 'advance', file, '--to', '2023-04-15T10:00', '--step', '1d');
    expect(result.steps.map((s) => [s.from, s.to, s.items.length])).toEqual([
      ['2023-04-11T10:00', '2023-04-12T10:00', 1],
      ['2023-04-12T10:00', '2023-04-13T10:00', 0],
      ['2023-04-13T10:00', '2023-04-14T10:00', 0],
      ['2023-04-14T10:00', '2023-04-15T10:00', 0],
    ]);
    expect(result.steps[0]!.items[0]).toMatchObject({ at: '2023-04-12T09:30', kind: 'activity_run', count: 1 });
    const quiet = await ok('clock', 'advance', file, '--to', '2023-04-16T10:00', '--step', '6h');
    expect(quiet).toBe('Project clock: Sun 16 Apr 2023, 10:00 (2023-04-16T10:00), moved from 2023-04-15 10:00 in 4 steps.\n\n2023-04-15 10:00 to 2023-04-16 10:00: nothing ran (4 steps).\n');
  });

  it('refuses a bad step or time, options of other actions (exit code 2), and going back (exit code 1, clone to replay)', async () => {
    const { file } = await aprilShop();
    const usage: [string[], RegExp][] = [
      [['advance', file, '--to', '2023-04-20T00:00', '--step', '3x'], /^--step "3x": Write a step as a count and a unit: 30m, 1h, 1d or 1w\.$/],
      [['advance', file, '--to', '2023-04-20T00:00', '--step', '53w'], /^--step "53w": A step is from 1 minute to 52 weeks\.$/],
      [['advance', file, '--to', '2023-04-20T00:00', '--step', '0m'], /^--step "0m": A step is from 1 minute to 52 weeks\.$/],
      [['advance', file], /^--to TIME \(2026-04-10T10:00\) is required$/],
      [['advance', file, '--to', 'tomorrow'], /^--to must be a date-time like 2026-04-10T10:00, not "tomorrow"$/],
      [['advance', file, '--to', '2023-02-30T10:00'], /^--to must be a date-time like 2026-04-10T10:00, not "2023-02-30T10:00"$/],
      [['plan', file, '--to', '2023-04-20T00:00', '--step', '1d'], /^--step does not go with "clock plan"$/],
      [['agenda', file, '--limit', '0'], /^--limit must be a whole number of at least 1, not "0"$/],
      [['agenda', file, '--limit', '1001'], /^--limit can be at most 1000$/],
      [['show', file, '--to', '2023-04-20T00:00'], /^--to does not go with "clock show"$/],
      [['rewind', file], /^unknown action "rewind"; use show, agenda, plan, advance$/],
    ];
    for (const [args, message] of usage) expect(await fails(2, 'clock', ...args), args.join(' ')).toMatch(message);
    expect(await fails(1, 'clock', 'advance', file, '--to', '2023-04-01T10:00')).toMatch(/clone/i);
    expect((await json<{ clock: string }>('clock', 'show', file)).clock).toBe('2023-04-08T10:00');
  });
});
