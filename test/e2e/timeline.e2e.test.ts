/**
 * End to end, in Chromium at 1366×768: a campaign's Timeline tab after the project clock
 * played it forward. The guide's updatable segment ("purchase within the last 7 days",
 * weekly on Mondays at 10:00) and a weekly regular mailing; the clock advanced week by week
 * from Thursday 6 April 2023 to 25 April. The chart draws a point per moment, a click on one
 * (or Enter on its date in the table of moments) shows that moment's events and runs, axe
 * finds nothing serious in either theme, and the tab fits the window in light and dark; a
 * campaign never activated says so.
 *
 * The project is made by a test engine, its clock started on that Thursday, saved, then
 * opened by the app.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TimelinePoint, TimelineRun } from '../../shared/contract/clock';
import { formatClock } from '../../shared/format';
import { startTestEngine } from '../helpers/engine';
import { AxeSweep } from './helpers/axe';
import { engineCall } from './helpers/engine-api';
import { LAPTOP } from './helpers/layout';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { importShop } from './helpers/shop-project';
import { CampaignPage } from './pages/campaign-page';
import { CampaignsPage } from './pages/campaigns-page';
import { ProjectPage } from './pages/project-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

/**
 * p2 and p3 bought on 5 April, p1 and p4 on Sunday 9 April, p1 again on 20 April. "Spring"
 * (LCG 50 %) is activated on 6 April with a weekly mailing on Tuesdays at 09:00; "Autumn" on
 * the same segment is never activated. The clock is advanced a week at a time to 25 April.
 */
async function makeProject(dir: string): Promise<string> {
  const t = await startTestEngine();
  try {
    await t.call('project/new', { name: 'Timeline example', clock: '2023-04-06T09:00' });
    await importShop(
      t,
      dir,
      'id,name\np1,Ann\np2,Bob\np3,Cy\np4,Dee\np5,Eve\np6,Fay\n',
      'id,type,time,amount\np2,purchase,2023-04-05 10:00,10\np3,purchase,2023-04-05 11:00,10\np1,purchase,2023-04-09 12:00,30\np4,purchase,2023-04-09 13:00,20\np1,purchase,2023-04-20 10:00,25\n',
    );
    const { segment } = await t.call('segment/create', {
      databaseId: 1,
      name: 'Bought this week',
      type: 'updatable',
      schedule: 'weekly mon 10:00',
      from: { kind: 'condition', where: 'event purchase in last 7 days' },
    });
    const spring = await t.call('campaign/create', { name: 'Spring', databaseId: 1, segmentId: segment.id, seed: 'timeline', lcg: { percent: '50', limit: null, strata: [] } });
    const weekly = await t.call('activity/create', { databaseId: 1, campaignId: spring.id, type: 'regular_mailing', name: 'Weekly digest' });
    await t.call('campaign/create', { name: 'Autumn', databaseId: 1, segmentId: segment.id, seed: 'later', lcg: { percent: '10', limit: null, strata: [] } });
    await t.call('campaign/activate', { campaignId: spring.id });
    await t.call('activity/launch', { activityId: weekly.id, timing: { kind: 'schedule', schedule: 'weekly tue 09:00' } });
    await t.call('clock/advance', { to: '2023-04-25T00:00', step: '1w' }, 'advance');
    const path = join(dir, 'timeline.cplan');
    await t.call('project/saveAs', { path });
    return path;
  } finally {
    await t.engine.dispose();
  }
}

/** Nothing sticks out of the window sideways, and the chart is whole on the first screen. */
async function expectFits(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const wide = [...document.querySelectorAll<HTMLElement>('.timeline-panel, .timeline-panel *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5);
    return { pageScrolls: document.documentElement.scrollWidth > window.innerWidth, wide: wide.map((el) => el.className || el.tagName).slice(0, 5) };
  });
  expect(overflow).toEqual({ pageScrolls: false, wide: [] });
  const chart = await page.getByTestId('timeline-chart').boundingBox();
  expect(chart).not.toBeNull();
  expect(chart!.x + chart!.width).toBeLessThanOrEqual(LAPTOP.width);
  expect(chart!.y + chart!.height).toBeLessThanOrEqual(LAPTOP.height);
}

describe('the Timeline tab of a campaign played forward on the clock', () => {
  it('draws a point per moment; a click or Enter on a moment shows its events and runs; fits 1366×768 in light and dark; axe is clean', { timeout: 300_000 }, async () => {
    const { page, server, dir } = session();
    const file = await makeProject(dir);
    await engineCall(server, 'project/open', { path: file });
    await page.setViewportSize(LAPTOP);
    await page.goto(server.openUrl);
    const project = new ProjectPage(page);
    await project.waitForProject('Timeline example');
    const axe = new AxeSweep(page);
    const campaigns = await engineCall(server, 'campaign/list', {});
    const spring = campaigns.find((c) => c.name === 'Spring');
    if (!spring) throw new Error('no campaign Spring');
    const timeline: { points: TimelinePoint[]; runs: TimelineRun[] } = await engineCall(server, 'campaign/timeline', { campaignId: spring.id });
    // The clock ran the plan: the Monday recalculations are points, the Tuesday mailings runs.
    expect(timeline.points.map((p) => [p.clock, p.test + p.control, p.joined, p.left])).toEqual([
      ['2023-04-06T09:00', 2, 2, 0],
      ['2023-04-10T10:00', 4, 2, 0],
      ['2023-04-17T10:00', 0, 0, 4],
      ['2023-04-24T10:00', 1, 1, 0],
    ]);
    expect(timeline.runs.some((r) => r.clock === '2023-04-11T09:00' && r.kind === 'schedule')).toBe(true);
    const moments = new Set([...timeline.points.map((p) => p.clock), ...timeline.runs.map((r) => r.clock)]);

    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const list = new CampaignsPage(page);
    await list.waitUntilShown();
    await list.row('Spring').getByRole('button', { name: 'Spring', exact: true }).click();
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Spring');
    await campaign.tab('Timeline').click();

    // A point per moment, the runs as marks with a legend.
    const chart = page.getByTestId('timeline-chart');
    await chart.locator('.timeline-dot').first().waitFor({ timeout: 30_000 });
    expect((await chart.locator('.timeline-dot').evaluateAll((dots) => dots.map((d) => d.getAttribute('data-clock')))).sort()).toEqual([...moments].sort());
    expect(await chart.locator('.timeline-run-schedule .recharts-symbols').count()).toBe(timeline.runs.filter((r) => r.kind === 'schedule').length);
    await waitForText(chart.locator('.recharts-legend-wrapper').last(), /On schedule/);
    await waitForText(
      page.getByTestId('timeline-summary'),
      `${moments.size} moments from ${formatClock('2023-04-06T09:00')} to ${formatClock('2023-04-24T10:00')} · ${timeline.runs.length} activity runs`,
    );

    // A click on 17 April: the four who left, with "Campaign exit".
    await chart.locator('.timeline-dot[data-clock="2023-04-17T10:00"]').click();
    const moment = page.getByTestId('timeline-moment');
    await waitForText(moment.getByRole('heading'), formatClock('2023-04-17T10:00'));
    const eventsTable = moment.getByRole('table', { name: 'Events at this moment' });
    await eventsTable.waitFor();
    const exits = await eventsTable.locator('tbody tr').filter({ hasText: 'Campaign exit' }).evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[1]?.textContent ?? ''));
    expect(exits.sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(await eventsTable.locator('tbody tr').filter({ hasText: 'Profile joined' }).count()).toBe(0);
    await screenshot(page, 'timeline-01-clicked');
    await axe.check('campaign timeline, a moment picked');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expectFits(page);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    // By keyboard: the date of 10 April in the table of moments, Enter: the two who joined; then the mailing of 11 April and its reach.
    const table = page.getByTestId('timeline-moments');
    const tenth = table.getByRole('button', { name: formatClock('2023-04-10T10:00'), exact: true });
    await tenth.focus();
    await page.keyboard.press('Enter');
    await waitForText(moment.getByRole('heading'), formatClock('2023-04-10T10:00'));
    expect(await tenth.getAttribute('aria-pressed')).toBe('true');
    await eventsTable.locator('tbody tr').filter({ hasText: 'Profile joined' }).first().waitFor();
    const joined = await eventsTable.locator('tbody tr').filter({ hasText: 'Profile joined' }).evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[1]?.textContent ?? ''));
    expect(joined.sort()).toEqual(['p1', 'p4']);
    const mailing = timeline.runs.find((r) => r.clock === '2023-04-11T09:00')!;
    await table.getByRole('button', { name: formatClock('2023-04-11T09:00'), exact: true }).press('Enter');
    await waitForText(moment.getByRole('list', { name: 'Activity runs at this moment' }), `Weekly digest (Regular mailing) · On schedule · Test ${mailing.test}, LCG ${mailing.control} reached`);

    await moment.scrollIntoViewIfNeeded();
    await screenshot(page, 'timeline-02-keyboard');

    // A campaign never activated has an empty timeline that says why.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await list.row('Autumn').getByRole('button', { name: 'Autumn', exact: true }).click();
    await campaign.waitForCampaign('Autumn');
    await campaign.tab('Timeline').click();
    await waitForText(page.getByTestId('timeline-empty'), /^Nothing on the timeline yet: "Autumn" has never been activated\..*: activate it \(Activate now… or Schedule… above\), then move the clock on with Advance clock… in the status bar\.$/);
    await axe.check('campaign timeline, never activated');
    axe.assertClean();
  });
});
