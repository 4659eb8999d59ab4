/** `cplan activity` as a real process on real files. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Activity, ActivityRun } from '../../../shared/contract/activities';
import type { ResultOf } from '../../../shared/contract/index';
import { cplanWorkspace, expectOneLineError, parseJson, type CplanWorkspace, type JsonFailure } from '../../helpers/cplan-process';

const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(7, '0'));

let template: string;
let w: CplanWorkspace;

// The guide's setup: a campaign on profiles 1-100 (LCG 10 %), segments of profiles 61-120
// (40 shared) and 101-160 (none shared).
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-cli-activity-'));
  const t = cplanWorkspace(dir);
  const steps: string[][] = [
    ['demo', 'demo.cplan', '--profiles', '300', '--seed', 'activities'],
    ['segment', 'create', 'demo.cplan', 'Campaign audience', '--database', 'Customers', '--from', 'empty'],
    ['segment', 'add', 'demo.cplan', 'Campaign audience', ids(1, 100).join(',')],
    ['segment', 'create', 'demo.cplan', 'Overlap', '--database', 'Customers', '--from', 'empty'],
    ['segment', 'add', 'demo.cplan', 'Overlap', ids(61, 120).join(',')],
    ['segment', 'create', 'demo.cplan', 'Apart', '--database', 'Customers', '--from', 'empty'],
    ['segment', 'add', 'demo.cplan', 'Apart', ids(101, 160).join(',')],
    ['campaign', 'create', 'demo.cplan', 'Spring', '--database', 'Customers', '--segment', 'Campaign audience', '--percent', '10', '--seed', 'guide'],
  ];
  for (const step of steps) {
    const run = await t.run(...step);
    expect(run.code, `${step.join(' ')}: ${run.stderr}`).toBe(0);
  }
  template = join(dir, 'demo.cplan');
}, 180_000);

afterAll(() => {
  if (template) rmSync(join(template, '..'), { recursive: true, force: true });
});

beforeEach(() => {
  w = cplanWorkspace();
  copyFileSync(template, join(w.dir, 'p.cplan'));
});

const ok = async (...args: string[]) => {
  const run = await w.run(...args);
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run;
};
const json = async <T>(...args: string[]) => parseJson<T>((await ok(...args, '--json')).stdout);
const failed = async (code: number, ...args: string[]) => {
  const run = await w.run(...args);
  expect(run.code, args.join(' ')).toBe(code);
  return expectOneLineError(run);
};

describe('cplan activity', { timeout: 180_000 }, () => {
  it("reaches the guide's 40 shared profiles: all of them ignoring the LCG, their Test part otherwise, nobody without overlap", async () => {
    // Transactional: the LCG and every subscription status; Promo, a marketing one: Test, subscribed only.
    await ok('activity', 'create', 'p.cplan', 'Receipt', '--type', 'triggered', '--campaign', 'Spring', '--segment', 'Overlap', '--ignore-lcg', '--ignore-subscription');
    await ok('activity', 'create', 'p.cplan', 'Promo', '--type', 'regular_mailing', '--campaign', 'Spring', '--segment', 'Overlap');
    await ok('activity', 'create', 'p.cplan', 'Elsewhere', '--type', 'broadcast', '--campaign', 'Spring', '--segment', 'Apart');
    await ok('campaign', 'activate', 'p.cplan', 'Spring');
    const receipt = await json<ActivityRun>('activity', 'run', 'p.cplan', 'Receipt');
    expect(receipt.test + receipt.control).toBe(40);
    expect(receipt.control).toBeGreaterThan(0);
    const promo = await json<ActivityRun>('activity', 'run', 'p.cplan', 'Promo');
    const notSubscribed = (r: ActivityRun) => r.leftOut!.unsubscribed + r.leftOut!.bounced + r.leftOut!.unconfirmed;
    expect(notSubscribed(promo)).toBeGreaterThan(0); // the demo's profiles have every status
    expect(promo).toMatchObject({ test: receipt.test - notSubscribed(promo), control: 0, leftOut: { lcg: receipt.control, outsideSegment: 60 } });
    const text = await ok('activity', 'run', 'p.cplan', 'Elsewhere');
    expect(text.stdout).toMatch(/^Ran broadcast "Elsewhere": run \d+ at .*: 0 test; left out: (.*, )?100 outside the activity's segment\.\n$/);

    await ok('activity', 'recipients', 'p.cplan', 'Receipt', '--out', 'receipt.csv');
    const lines = readFileSync(join(w.dir, 'receipt.csv'), 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(41);
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).toEqual(ids(61, 100));
    const page = await json<ResultOf<'activity/recipients'>>('activity', 'recipients', 'p.cplan', 'Promo', '--limit', '5');
    expect(page.total).toBe(promo.test);
    expect(page.groups).toEqual(['test', 'test', 'test', 'test', 'test']);
    const shown = await ok('activity', 'recipients', 'p.cplan', 'Promo', '--limit', '2');
    expect(shown.stdout).toMatch(/Profile ID\s+Group\s+Status/);
  });

  it('expands the audience: the other 20 are added to the campaign and split, then reached', async () => {
    await ok('activity', 'create', 'p.cplan', 'Grow', '--type', 'scenario', '--campaign', 'Spring', '--segment', 'Overlap', '--expansion');
    await ok('campaign', 'activate', 'p.cplan', 'Spring');
    const run = await json<ActivityRun>('activity', 'run', 'p.cplan', 'Grow');
    expect(run.expanded).toBe(20);
    const shown = await ok('campaign', 'show', 'p.cplan', 'Spring');
    expect(shown.stdout).toMatch(/groups {6}108 test, 12 LCG \(120 in all\)/);
    // The 60 of the segment, less the LCG (at most 12), less those not subscribed.
    expect(run.test + run.leftOut!.lcg + run.leftOut!.unsubscribed + run.leftOut!.bounced + run.leftOut!.unconfirmed).toBe(60);
    expect(run.leftOut!.lcg).toBeLessThanOrEqual(12);
    expect(run.control).toBe(0);
  });

  it('shares an A/B test among its variants, exactly and reproducibly', async () => {
    await ok('activity', 'create', 'p.cplan', 'Subject', '--type', 'ab', '--campaign', 'Spring', '--variant', 'A=50', '--variant', 'B=30', '--variant', 'C=20%');
    await ok('campaign', 'activate', 'p.cplan', 'Spring');
    const run = await json<ActivityRun>('activity', 'run', 'p.cplan', 'Subject');
    // 90 in Test, 70 of them subscribed: 50/30/20 % of 70.
    expect(run.test + run.leftOut!.unsubscribed + run.leftOut!.bounced + run.leftOut!.unconfirmed).toBe(90);
    expect(run.variants).toEqual({ A: 35, B: 21, C: 14 });
    const page = await json<ResultOf<'activity/recipients'>>('activity', 'recipients', 'p.cplan', 'Subject', '--limit', '1000');
    expect(page.variants.filter((v) => v === 'B')).toHaveLength(21);
    const shown = await ok('activity', 'recipients', 'p.cplan', 'Subject', '--limit', '3');
    expect(shown.stdout).toMatch(/Profile ID\s+Group\s+Variant\s+Status/);
    const again = cplanWorkspace();
    copyFileSync(template, join(again.dir, 'p.cplan'));
    for (const step of [
      ['activity', 'create', 'p.cplan', 'Subject', '--type', 'ab_test', '--campaign', 'Spring', '--variant', 'A=50', '--variant', 'B=30', '--variant', 'C=20'],
      ['campaign', 'activate', 'p.cplan', 'Spring'],
      ['activity', 'run', 'p.cplan', 'Subject'],
    ]) expect((await again.run(...step)).code).toBe(0);
    const repeat = parseJson<ResultOf<'activity/recipients'>>((await again.run('activity', 'recipients', 'p.cplan', 'Subject', '--limit', '1000', '--json')).stdout);
    expect(repeat.variants).toEqual(page.variants);
  });

  it('attaches, moves and detaches, with the refusals of the guide as one-line errors', async () => {
    await ok('campaign', 'create', 'p.cplan', 'Autumn', '--database', 'Customers', '--segment', 'Campaign audience');
    await ok('activity', 'create', 'p.cplan', 'Banner', '--type', 'placement', '--database', 'Customers');
    const external = await json<Activity[]>('activity', 'list', 'p.cplan', '--database', 'Customers');
    expect(external.map((a) => a.name)).toEqual(['Banner']);
    expect((await ok('activity', 'attach', 'p.cplan', 'Banner', '--to', 'Spring')).stdout).toBe('Attached "Banner" to the campaign "Spring".\n');
    expect(await failed(1, 'activity', 'attach', 'p.cplan', 'Banner', '--to', 'Autumn')).toBe(
      '"Banner" is used by another campaign ("Spring"): only activities in the external list can be attached. Move it from "Spring" instead.',
    );
    expect((await ok('activity', 'move', 'p.cplan', 'Banner', '--to', 'autumn')).stdout).toBe('Moved "Banner" to the campaign "Autumn".\n');
    expect((await json<Activity>('activity', 'move', 'p.cplan', 'Banner', '--to', 'external')).campaignId).toBeNull();

    await ok('activity', 'create', 'p.cplan', 'Once', '--type', 'broadcast', '--campaign', 'Spring');
    await ok('campaign', 'activate', 'p.cplan', 'Spring');
    await ok('activity', 'run', 'p.cplan', 'Once');
    expect(await failed(1, 'activity', 'move', 'p.cplan', 'Once', '--to', 'Autumn')).toBe('"Once" is completed: a completed activity cannot be moved.');
    expect(await failed(1, 'activity', 'run', 'p.cplan', 'Once')).toBe('"Once" is a broadcast and has already been sent: a broadcast runs once.');
    expect(await failed(1, 'activity', 'delete', 'p.cplan', 'Once')).toMatch(/has run/);
    await ok('campaign', 'complete', 'p.cplan', 'Spring');
    expect(await failed(1, 'activity', 'attach', 'p.cplan', 'Banner', '--to', 'Spring')).toBe('"Banner" cannot go to "Spring": the campaign is completed: activities cannot be added to it.');
    expect((await ok('activity', 'delete', 'p.cplan', 'Banner')).stdout).toBe('Deleted the activity "Banner".\n');
    const all = await ok('activity', 'list', 'p.cplan');
    expect(all.stdout).toMatch(/Once\s+Broadcast\s+completed\s+Spring\s+not launched\s+-\s+1\s+respected/);
  });

  it('updates an activity, and refuses wrong command lines with exit code 2', async () => {
    await ok('activity', 'create', 'p.cplan', 'Draft', '--type', 'broadcast', '--campaign', 'Spring');
    const updated = await json<Activity>('activity', 'update', 'p.cplan', 'draft', '--name', 'Final', '--segment', 'Overlap', '--ignore-lcg');
    expect(updated).toMatchObject({ name: 'Final', ignoreLcg: true });
    expect((await json<Activity>('activity', 'update', 'p.cplan', 'Final', '--segment', 'none', '--respect-lcg')).segmentId).toBeNull();
    const bad = await w.run('activity', 'create', 'p.cplan', 'AB', '--type', 'ab_test', '--campaign', 'Spring', '--variant', 'A=60', '--variant', 'B=30', '--json');
    expect(bad.code).toBe(1);
    expect(parseJson<JsonFailure>(bad.stdout).error).toMatchObject({ code: 'INVALID_ARGUMENT', message: "The variants' shares add up to 90 %, not 100 %." });
    for (const args of [
      ['activity', 'create', 'p.cplan', 'X', '--campaign', 'Spring'],
      ['activity', 'create', 'p.cplan', 'X', '--type', 'fax', '--campaign', 'Spring'],
      ['activity', 'create', 'p.cplan', 'X', '--type', 'broadcast'],
      ['activity', 'create', 'p.cplan', 'X', '--type', 'ab_test', '--campaign', 'Spring', '--variant', 'A'],
      ['activity', 'update', 'p.cplan', 'Final'],
      ['activity', 'update', 'p.cplan', 'Final', '--ignore-lcg', '--respect-lcg'],
      ['activity', 'move', 'p.cplan', 'Final'],
      ['activity', 'run', 'p.cplan', 'Final', '--to', 'Spring'],
      ['activity', 'launch', 'p.cplan', 'Final'],
    ]) await failed(2, ...args);
    expect(await failed(1, 'activity', 'run', 'p.cplan', 'Ghost')).toBe('There is no activity "Ghost"; there are "Final".');
    expect(await failed(1, 'activity', 'recipients', 'p.cplan', 'Final')).toBe('"Final" has not run yet: it has no recipients.');
  });
});
