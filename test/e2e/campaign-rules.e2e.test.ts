/**
 * End to end, in Chromium on the demo project: the guide's rules as the window shows them.
 * The Activate dialog asks before an activation that puts nobody in Test; the Move dialog
 * offers an active campaign and says why a completed one is not offered; a run says who it
 * left out; an activity of a deactivated campaign says it does not run; the audience export
 * offers the GCG members of the campaign's segment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineCall } from './helpers/engine-api';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { ActivateDialog, CampaignPage } from './pages/campaign-page';
import { CampaignsPage } from './pages/campaigns-page';
import { openDemoProject } from './pages/demo';
import { ExportDialog } from './pages/export-dialog';
import { clearNotices } from './pages/notices';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

describe("the guide's campaign rules in the browser UI", () => {
  it('asks before putting nobody in Test, offers what the engine allows, says who a run left out and that activities do not run, exports the GCG of the audience', { timeout: 300_000 }, async () => {
    const { page, server, dir } = session();
    const { project } = await openDemoProject(page, server.openUrl);

    // Set up through the engine: a GCG, a segment of everyone, four campaigns.
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('no database');
    const databaseId = customers.id;
    await engineCall(server, 'gcg/set', { databaseId, percent: '2', seed: 'global' });
    const { segment } = await engineCall(server, 'segment/create', { databaseId, name: 'Everyone', from: { kind: 'all' } });
    const campaign = async (name: string, percent: string) => {
      const created = await engineCall(server, 'campaign/create', { name, databaseId, segmentId: segment.id, lcg: { percent, limit: null, strata: [] }, seed: name });
      await engineCall(server, 'activity/create', { databaseId, campaignId: created.id, type: 'regular_mailing', name: `${name} mail` });
      return created;
    };
    const spring = await campaign('Spring', '10');
    const other = await campaign('Other', '10');
    const done = await campaign('Done', '10');
    await campaign('All held', '100');
    await engineCall(server, 'activity/create', { databaseId, campaignId: spring.id, type: 'broadcast', name: 'Second' });
    for (const c of [spring, other, done]) await engineCall(server, 'campaign/activate', { campaignId: c.id });
    await engineCall(server, 'campaign/complete', { campaignId: done.id });

    // An LCG of 100 %: the Activate dialog says nobody would be in Test, and asks.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.waitUntilShown();
    await campaigns.row('All held').getByRole('button', { name: 'All held', exact: true }).click();
    const page1 = new CampaignPage(page);
    await page1.waitForCampaign('All held');
    await page1.action('Activate now…').click();
    const activate = new ActivateDialog(page, 'now');
    await activate.waitUntilShown();
    const problems = page.getByTestId('activation-problems');
    await waitForText(problems.locator('p').first(), /^The LCG would take the whole audience of "All held" \([\d,]+ of [\d,]+ profiles\): nobody would be in Test/, 30_000);
    const anyway = activate.dialog.getByRole('button', { name: 'Activate anyway', exact: true });
    expect(await anyway.isDisabled()).toBe(true);
    await screenshot(page, '40-activate-nobody-in-test');
    await problems.getByRole('checkbox', { name: /^Activate anyway: nobody would be in Test$/ }).check();
    await anyway.click();
    await activate.dialog.waitFor({ state: 'detached' });
    await page1.waitForStatus('Active');

    // Spring: the Move dialog offers the active campaign, not the completed one, and says why.
    await clearNotices(page);
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await campaigns.row('Spring').getByRole('button', { name: 'Spring', exact: true }).click();
    const springPage = new CampaignPage(page);
    await springPage.waitForCampaign('Spring');
    await springPage.tab('Activities').click();
    await springPage.activityRow('Second').getByRole('button', { name: 'Move…', exact: true }).click();
    const move = page.getByRole('dialog', { name: 'Move "Second"' });
    await move.waitFor();
    const options = await move.getByRole('combobox', { name: 'Move to' }).locator('option').allTextContents();
    expect(options).toEqual(['Out of the campaign, to the external list', 'Other (Active)', 'All held (Active)']);
    expect(await move.textContent()).not.toContain("The guide's rules apply");
    await move.getByText(/campaign is not offered/).click();
    await waitForText(move.getByTestId('move-not-offered').locator('li').first(), '"Second" cannot go to "Done": the campaign is completed: activities cannot be added to it.');
    await screenshot(page, '41-move-dialog');
    await move.getByRole('button', { name: 'Cancel', exact: true }).click();

    // A run: Test only, subscribed only; who it left out, by reason.
    await springPage.activityRow('Spring mail').getByRole('button', { name: 'Run now', exact: true }).click();
    const run = page.getByTestId('run-row').first();
    await run.waitFor({ timeout: 60_000 });
    const [ran] = (await engineCall(server, 'activity/list', { campaignId: spring.id })).flatMap((a) => a.runs);
    if (!ran?.leftOut) throw new Error('no run');
    const count = (n: number) => n.toLocaleString('en-US');
    await waitForText(
      run.getByTestId('run-left-out'),
      new RegExp(`^${count(ran.leftOut.gcg)} in the global control group, ${count(ran.leftOut.lcg)} in the LCG, ${count(ran.leftOut.unsubscribed)} unsubscribed`),
    );
    await run.getByRole('button', { name: 'Recipients…', exact: true }).click();
    await waitForText(page.getByTestId('run-left-out-summary'), /^Left out: [\d,]+ in the global control group, [\d,]+ in the LCG, /, 30_000);
    await screenshot(page, '42-run-recipients');
    // Escape: its buttons may lie below a small window until the dialogs scroll inside (another fix of this issue).
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Recipients of "Spring mail"' }).waitFor({ state: 'detached' });

    // Deactivated: its activities say they do not run.
    await springPage.action('Deactivate').click();
    await springPage.waitForStatus('Inactive');
    await waitForText(springPage.activityRow('Spring mail').getByTestId('activity-not-running'), /^Not running\s+It does not run: the campaign is deactivated\./);
    await screenshot(page, '43-not-running');

    // The audience export offers the GCG members of the campaign's segment.
    await clearNotices(page);
    await springPage.tab('Audience').click();
    await page.getByRole('button', { name: 'Export…', exact: true }).click();
    const exportDialog = new ExportDialog(page);
    await exportDialog.waitUntilShown();
    await exportDialog.group.selectOption('gcg');
    await exportDialog.chooseDestination(dir, 'spring-gcg');
    const held = await engineCall(server, 'gcg/get', { databaseId });
    expect(await exportDialog.run()).toMatch(new RegExp(`^Exported ${held.size.toLocaleString('en-US')} profiles`));
    await exportDialog.close();
    const lines = readFileSync(join(dir, 'spring-gcg.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines).toHaveLength(held.size + 1);
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'gcg')).toBe(true);
  });
});
