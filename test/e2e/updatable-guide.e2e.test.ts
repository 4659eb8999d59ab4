/**
 * End to end, in Chromium: the guide's example of an updatable segment, walked in the UI on
 * a small hand-made database. "Purchase within the last 7 days", recalculated weekly on
 * Mondays; a profile buys on Sunday 9 April 2023; recalculated on Monday 10 April it joins
 * the segment and the campaign on it (split into Test or LCG); on Monday 17 April it leaves
 * both, with "Campaign exit"; after a new purchase it comes back and is split again.
 *
 * The project is made by a test engine whose wall clock is Saturday 8 April 2023 (a project's
 * clock starts at its creation and only moves forward), saved, then opened by the app.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestEngine } from '../helpers/engine';
import { AxeSweep } from './helpers/axe';
import { engineCall } from './helpers/engine-api';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { EVENTS_CSV, EVENTS_MAPPING, importShop } from './helpers/shop-project';
import { ActivityDialog, CampaignPage } from './pages/campaign-page';
import { CampaignDialog, CampaignsPage } from './pages/campaigns-page';
import { ClockDialog } from './pages/clock-dialog';
import { newSegmentWithCondition, recalculationRow } from './pages/condition-editor';
import { ProjectPage } from './pages/project-page';
import { SegmentPage } from './pages/segments-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

/** The project file: profiles p1..p4; p2-p4 bought 5-7 April, p1 buys on Sunday 9 April (after the clock, so not yet). */
async function makeProject(dir: string): Promise<string> {
  const t = await startTestEngine({ now: () => new Date(2023, 3, 8, 9, 0) });
  try {
    await t.call('project/new', { name: 'Guide example' });
    await importShop(
      t,
      dir,
      'id,name\np1,Ann\np2,Bob\np3,Cy\np4,Dee\n',
      'id,type,time,amount\np1,purchase,2023-04-09 12:00,30\np2,purchase,2023-04-05 09:00,10\np3,purchase,2023-04-06 09:00,10\np4,purchase,2023-04-07 09:00,10\n',
    );
    const path = join(dir, 'guide.cplan');
    await t.call('project/saveAs', { path });
    return path;
  } finally {
    await t.engine.dispose();
  }
}

describe("the guide's updatable segment in the browser UI", () => {
  it('purchase within the last 7 days, weekly on Mondays: joins on 10 April, leaves with Campaign exit on 17 April, comes back and is split again', { timeout: 300_000 }, async () => {
    const { page, server, dir } = session();
    const file = await makeProject(dir);
    await engineCall(server, 'project/open', { path: file });
    await page.goto(server.openUrl);
    const project = new ProjectPage(page);
    await project.waitForProject('Guide example');
    const axe = new AxeSweep(page);

    // The segment, typed in the condition language, weekly on Mondays at 10:00 (the dialog's default weekly choice).
    const { segments, dialog, editor } = await newSegmentWithCondition(page, project, 'Bought this week', 'Updatable');
    await editor.mode('Text').check();
    await editor.textArea.fill('event purchase in last 7 days');
    await waitForText(editor.count, /^3 profiles match/, 30_000);
    await waitForText(page.getByTestId('schedule-words'), 'Every Monday at 10:00, on the project clock.');
    await dialog.create();
    const segmentPage = new SegmentPage(page);
    await segmentPage.waitForSegment('Bought this week');
    await waitForText(page.getByTestId('segment-next'), /10 Apr 2023|2023-04-10|Apr 10/);

    // A campaign on it, made in the dialog (which says what an updatable segment means), activated.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.waitUntilShown();
    await campaigns.newButton.click();
    const campaignDialog = new CampaignDialog(page);
    await campaignDialog.dialog.waitFor();
    await campaignDialog.name.fill('Spring');
    await waitForText(campaignDialog.segment.locator('option:checked'), /^Bought this week \(updatable, 3 profiles\)$/);
    await waitForText(page.getByTestId('campaign-segment-kind'), /audience tagging is triggered with each recalculation/);
    await campaignDialog.percent.fill('50');
    await campaignDialog.seed.fill('guide');
    await axe.check('new campaign dialog on an updatable segment');
    await campaignDialog.create();
    const [campaign] = await engineCall(server, 'campaign/list', {});
    if (!campaign) throw new Error('no campaign');
    await engineCall(server, 'activity/create', { databaseId: 1, campaignId: campaign.id, type: 'regular_mailing', name: 'Weekly mail' });
    await engineCall(server, 'campaign/activate', { campaignId: campaign.id });
    const members = async () => {
      const page1 = await engineCall(server, 'campaign/members', { campaignId: campaign.id, offset: 0, limit: 100 });
      return Object.fromEntries(page1.rows.map((r, i) => [r.profileId, page1.groups[i]]));
    };
    expect(Object.keys(await members()).sort()).toEqual(['p2', 'p3', 'p4']);

    // Manual addition is unavailable on the campaign's page, with the guide's reason.
    const campaignPage = new CampaignPage(page);
    await campaignPage.waitForCampaign('Spring');
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await campaigns.waitUntilShown();
    await campaigns.row('Spring').getByRole('button', { name: 'Spring', exact: true }).click();
    await campaignPage.waitForCampaign('Spring');
    await campaignPage.waitForStatus('Active');
    const add = campaignPage.action('Add profiles…');
    expect(await add.getAttribute('aria-disabled')).toBe('true');
    expect(await add.getAttribute('title')).toMatch(/the campaign audience is the current composition of the segment/);
    // So is audience expansion in a new activity.
    await campaignPage.tab('Activities').click();
    await page.getByRole('toolbar', { name: 'Activities' }).getByRole('button', { name: 'New activity…' }).click();
    const activityDialog = new ActivityDialog(page);
    await activityDialog.dialog.waitFor();
    expect(await activityDialog.dialog.getByRole('checkbox', { name: /^Audience expansion/ }).isDisabled()).toBe(true);
    await waitForText(page.getByTestId('expansion-unavailable'), /^Audience expansion is unavailable in a campaign on an updatable segment/);
    await axe.check('new activity in a campaign on an updatable segment');
    await page.keyboard.press('Escape');
    await activityDialog.dialog.waitFor({ state: 'detached' });

    const recalculate = async (clock: string, expected: RegExp) => {
      const clockDialog = new ClockDialog(page);
      await clockDialog.open();
      await clockDialog.to.fill(clock);
      await clockDialog.advance();
      await clockDialog.close();
      await project.navigation.getByRole('button', { name: /^Segments/ }).click();
      await segments.row('Bought this week').getByRole('button', { name: 'Bought this week', exact: true }).click();
      await segmentPage.waitForSegment('Bought this week');
      await segmentPage.main.getByRole('button', { name: 'Recalculate now', exact: true }).click();
      return waitForText(page.getByTestId('recalc-result'), expected, 60_000);
    };

    // Monday 10 April: p1's Sunday purchase counts; p1 joins the segment and the campaign, split.
    await recalculate('2023-04-10T10:00', /^Recalculation 2 on .*: 4 profiles, 1 joined, 0 left\.$/);
    await waitForText(page.getByTestId('recalc-campaigns'), 'Campaign “Spring” followed: 1 joined and were split, 0 left with “Campaign exit”');
    const afterJoin = await members();
    expect(Object.keys(afterJoin).sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(['test', 'control']).toContain(afterJoin.p1);
    await screenshot(page, 'guide-01-joined');
    await axe.check('updatable segment after a recalculation');

    // Monday 17 April: every purchase is older than 7 days; all leave, the campaign with them.
    await recalculate('2023-04-17T10:00', /^Recalculation 3 on .*: 0 profiles, 0 joined, 4 left\.$/);
    await waitForText(page.getByTestId('recalc-campaigns'), 'Campaign “Spring” followed: 0 joined and were split, 4 left with “Campaign exit”');
    expect(await members()).toEqual({});
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await campaigns.row('Spring').getByRole('button', { name: 'Spring', exact: true }).click();
    await campaignPage.waitForCampaign('Spring');
    await campaignPage.tab('Events').click();
    const eventsTable = page.getByRole('table', { name: 'Campaign events' });
    await waitForText(eventsTable.getByRole('row').filter({ hasText: 'p1' }).first(), /Campaign exit/, 30_000);
    await axe.check('campaign events with Campaign exit');

    // A new purchase on Monday morning; recalculated, p1 comes back as a new profile and is split again.
    const more = join(dir, 'more.csv');
    writeFileSync(more, 'id,type,time,amount\np1,purchase,2023-04-17 09:00,25\n');
    await engineCall(server, 'events/import', { databaseId: 1, path: more, csv: EVENTS_CSV, mapping: EVENTS_MAPPING });
    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    await segments.row('Bought this week').getByRole('button', { name: 'Bought this week', exact: true }).click();
    await segmentPage.waitForSegment('Bought this week');
    await segmentPage.main.getByRole('button', { name: 'Recalculate now', exact: true }).click();
    await waitForText(page.getByTestId('recalc-result'), /^Recalculation 4 on .*: 1 profile, 1 joined, 0 left\.$/, 60_000);
    await waitForText(page.getByTestId('recalc-campaigns'), 'Campaign “Spring” followed: 1 joined and were split, 0 left with “Campaign exit”');
    const back = await members();
    expect(Object.keys(back)).toEqual(['p1']);
    expect(['test', 'control']).toContain(back.p1);

    // The History keeps every recalculation; the members of 10 April's are listed.
    await segmentPage.main.getByRole('tab', { name: 'History' }).click();
    await recalculationRow(page, 4).waitFor();
    const rows = await page
      .getByRole('table', { name: 'Recalculations' })
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent?.trim() ?? '')));
    expect(rows.map(([n, , why, size, joined, left]) => [n, why, size, joined, left])).toEqual([
      ['4', 'Recalculate now', '1', '1', '0'],
      ['3', 'Recalculate now', '0', '0', '4'],
      ['2', 'Recalculate now', '4', '1', '0'],
      ['1', 'Created', '3', '3', '0'],
    ]);
    expect(rows.map((r) => r[1])).toEqual([expect.stringMatching(/17 Apr|Apr 17|04-17/), expect.stringMatching(/17 Apr|Apr 17|04-17/), expect.stringMatching(/10 Apr|Apr 10|04-10/), expect.stringMatching(/8 Apr|Apr 8|04-08/)]);
    await recalculationRow(page, 2).getByRole('button', { name: 'Members', exact: true }).click();
    await waitForText(page.getByTestId('profile-total'), /^4 profiles/, 30_000);
    await screenshot(page, 'guide-02-history');
    await axe.check('segment history');
    axe.assertClean();
  });
});
