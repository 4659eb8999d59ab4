/**
 * The guide's example from the command line, in process on real files: an updatable
 * segment "purchase within the last 7 days", weekly on Mondays; a profile that bought on
 * Sunday 9 April joins the segment and the active campaign when it is recalculated on
 * Monday 10 April, leaves both with a "Campaign exit" on Monday 17 April, and after a new
 * purchase comes back and is split again as a new profile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/cplan';
import type { CampaignEvent } from '../../../shared/contract/campaigns';
import type { ProfilePage } from '../../../shared/contract/profiles';
import type { Segment } from '../../../shared/contract/segments';
import { startTestEngine } from '../../helpers/engine';
import { writeCsv } from '../engine/import/helpers';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

async function ok(...args: string[]): Promise<string> {
  const run = await cli(...args);
  expect(run.code, `${args.slice(0, 2).join(' ')}: ${run.stderr}`).toBe(0);
  return run.stdout;
}

const json = async <T>(...args: string[]): Promise<T> => JSON.parse(await ok(...args, '--json')) as T;

/** A saved empty project whose clock is Saturday 8 April 2023, 10:00 (the CLI moves the clock forward only). */
async function emptyProject(): Promise<{ dir: string; file: string }> {
  const t = await startTestEngine({ now: () => new Date(2023, 3, 8, 10, 0) });
  await t.call('project/new', { name: 'Shop' });
  const file = join(t.dir, 'shop.cplan');
  await t.call('project/saveAs', { path: file });
  await t.call('project/close', {});
  return { dir: t.dir, file };
}

describe('updatable segments from the command line', () => {
  it("the guide's example: joins on Monday 10 April, leaves with a Campaign exit on 17 April, comes back after a new purchase", async () => {
    const { dir, file } = await emptyProject();
    await ok('import', file, writeCsv(dir, 'people.csv', 'customer_id,name\nC1,Ann\nC2,Bob\nC3,Cy\n'), '--database', 'Shop', '--create');
    // C1 buys on Sunday 9 April; C2 bought on 2 April (in the last 7 days on the 8th, no longer on the 10th).
    await ok('events', 'import', file, writeCsv(dir, 'orders.csv', 'customer_id,at\nC1,2023-04-09 12:00\nC2,2023-04-02 12:00\n'), '--database', 'Shop', '--type', 'purchase', '--time-column', 'at');

    const where = 'event purchase in last 7 days';
    const created = await cli('segment', 'create', file, 'Buyers', '--database', 'Shop', '--type', 'updatable', '--where', where, '--schedule', 'weekly mon 10:00');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toBe('Created the updatable segment "Buyers" in "Shop" with 1 profile (the condition on 2023-04-08 10:00). Next recalculation: 2023-04-10 10:00.\n');
    const shown = await ok('segment', 'show', file, 'Buyers');
    expect(shown.split('\n').map((l) => l.trim().split(/:\s+/))).toEqual([
      ['Segment "Buyers"'],
      ['Type', 'updatable'],
      ['Condition', where],
      ['Schedule', 'Every Monday at 10:00 (weekly mon 10:00)'],
      ['Next recalculation', '2023-04-10 10:00'],
      ['Last recalculation', '#1 on 2023-04-08 10:00 (created)', '1 profile, 1 joined, 0 left'],
      ['Profiles', '1'],
      ['Used by', '-'],
      ['Created', '2023-04-08 10:00'],
      [''],
    ]);
    expect((await json<Segment>('segment', 'show', file, 'Buyers')).schedule).toBe('weekly mon 10:00');

    await ok('campaign', 'create', file, 'Spring', '--database', 'Shop', '--segment', 'Buyers');
    await ok('activity', 'create', file, 'Mail', '--type', 'broadcast', '--campaign', 'Spring');
    await ok('campaign', 'activate', file, 'Spring');
    const audience = async () => (await json<ProfilePage>('campaign', 'members', file, 'Spring')).rows.map((r) => r.profileId).sort();
    expect(await audience()).toEqual(['C2']);

    // Monday 10 April, the clock recalculates on the schedule: C1 joins the segment and the campaign; C2 leaves both.
    await ok('clock', 'advance', file, '--to', '2023-04-10T10:00');
    expect((await json<Segment>('segment', 'show', file, 'Buyers')).lastRecalculation).toMatchObject({ number: 2, clock: '2023-04-10T10:00', reason: 'schedule', joined: 1, left: 1 });
    expect(await audience()).toEqual(['C1']);

    // Monday 17 April: the purchase is more than 7 days old; C1 leaves both, with a Campaign exit.
    await ok('clock', 'advance', file, '--to', '2023-04-17T10:00');
    expect((await json<Segment>('segment', 'show', file, 'Buyers')).lastRecalculation).toMatchObject({ number: 3, size: 0, joined: 0, left: 1 });
    expect(await audience()).toEqual([]);
    const exits = await json<{ events: CampaignEvent[] }>('campaign', 'events', file, 'Spring', '--kind', 'campaign_exit');
    expect(exits.events.map((e) => [e.profileId, e.clock])).toEqual([
      ['C1', '2023-04-17T10:00'],
      ['C2', '2023-04-10T10:00'],
    ]);

    // A new purchase on Tuesday 18 April: C1 comes back and is split again, as a new profile.
    await ok('events', 'import', file, writeCsv(dir, 'more.csv', 'customer_id,at\nC1,2023-04-18 09:00\n'), '--database', 'Shop', '--type', 'purchase', '--time-column', 'at');
    // Recalculated by hand on Tuesday, between its scheduled times.
    await ok('clock', 'advance', file, '--to', '2023-04-18T10:00');
    const tuesday = await cli('segment', 'recalculate', file, 'Buyers');
    expect(tuesday.code, tuesday.stderr).toBe(0);
    expect(tuesday.stdout).toMatch(/^Recalculated "Buyers" on 2023-04-18 10:00 \(recalculation #4\): 1 joined, 0 left; it has 1 profile\.\nActive campaigns that followed:\n.*Campaign\s+Joined\s+Left\n.*Spring\s+1\s+0\n$/s);
    expect(await audience()).toEqual(['C1']);
    const joins = await json<{ events: CampaignEvent[] }>('campaign', 'events', file, 'Spring', '--kind', 'profile_joined');
    expect(joins.events.map((e) => [e.profileId, e.clock])).toEqual([
      ['C1', '2023-04-18T10:00'],
      ['C1', '2023-04-10T10:00'],
    ]);

    // The history, and the members of a past recalculation listed and exported.
    const history = await ok('segment', 'history', file, 'Buyers');
    expect(history.trim().split('\n').slice(4).map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['4', '2023-04-18 10:00', 'manual', '1', '1', '0'],
      ['3', '2023-04-17 10:00', 'schedule', '0', '0', '1'],
      ['2', '2023-04-10 10:00', 'schedule', '1', '1', '1'],
      ['1', '2023-04-08 10:00', 'created', '1', '1', '0'],
    ]);
    expect((await json<ProfilePage>('segment', 'members', file, 'Buyers', '--recalculation', '1')).rows.map((r) => r.profileId)).toEqual(['C2']);
    expect(await ok('segment', 'members', file, 'Buyers', '--recalculation', '2')).toMatch(/^Segment "Buyers" as of recalculation #2\n\n.*C1/s);
    const out = join(dir, 'buyers-2.csv');
    expect(await ok('export', file, out, '--database', 'Shop', '--segment', 'Buyers', '--recalculation', '2', '--no-bom')).toMatch(
      /^Exported 1 profile of "Shop" in the segment "Buyers" as of recalculation #2 to /,
    );
    expect(readFileSync(out, 'utf8').split('\r\n').slice(1, 2)).toEqual(['C1,subscribed,Ann']);
  });

  it('a schedule that does not read stops with exit code 2 and a caret; the refusals say why', async () => {
    const { dir, file } = await emptyProject();
    await ok('import', file, writeCsv(dir, 'people.csv', 'customer_id\nC1\n'), '--database', 'Shop', '--create');
    const bad = await cli('segment', 'create', file, 'X', '--database', 'Shop', '--type', 'updatable', '--where', 'event purchase', '--schedule', 'weekly mon,funday 10:00');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('cplan: The schedule in --schedule does not read at column 12: "funday" is not a weekday: use mon, tue, wed, thu, fri, sat or sun.\n  weekly mon,funday 10:00\n             ^\n');
    const cases: [string[], RegExp][] = [
      [['--type', 'updatable', '--where', 'event purchase'], /needs --schedule WHEN/],
      [['--type', 'dynamic', '--where', 'event purchase', '--schedule', 'daily 09:00'], /--schedule goes with --type updatable only/],
      [['--type', 'updatable', '--from', 'all', '--schedule', 'daily 09:00'], /An updatable segment is made from a condition: give --where COND/],
      [['--type', 'sometimes', '--where', 'event purchase'], /--type must be static, updatable or dynamic/],
    ];
    for (const [extra, message] of cases) {
      const run = await cli('segment', 'create', file, 'X', '--database', 'Shop', ...extra);
      expect(run.code, extra.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    await ok('segment', 'create', file, 'Now', '--database', 'Shop', '--type', 'dynamic', '--where', 'no event purchase');
    const recalc = await cli('segment', 'recalculate', file, 'Now');
    expect(recalc.code).toBe(1);
    expect(recalc.stderr).toMatch(/"Now" is a dynamic segment: only an updatable segment is recalculated/);
    const add = await cli('segment', 'add', file, 'Now', 'C1');
    expect(add.code).toBe(1);
    expect(add.stderr).toMatch(/A dynamic segment is its condition, evaluated anew at each use, and cannot be edited by hand/);
    expect(await ok('segment', 'show', file, 'Now')).toMatch(/Type:\s+dynamic\n\s+Condition:\s+no event purchase\n\s+Evaluated:\s+on 2023-04-08 10:00 \(anew at each use\)\n\s+Profiles:\s+1/);
  });
});
