/**
 * End to end at a laptop's 1366×768: every dialog with its largest content fits the window,
 * scrolls inside, and keeps its buttons where they can be clicked without scrolling the
 * page; the recipients of a run of 45,000 are paged inside their dialog; messages never
 * lie on the page's rows or on a dialog's backdrop.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { engineCall } from './helpers/engine-api';
import { expectDialogFits, LAPTOP } from './helpers/layout';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { ActivityDialog, CampaignPage, RecipientsDialog } from './pages/campaign-page';
import { CampaignDialog, CampaignsPage } from './pages/campaigns-page';
import { openDemoProject } from './pages/demo';
import { ExportDialog } from './pages/export-dialog';
import { FileBrowserDialog } from './pages/file-browser';
import { clearNotices, Notices } from './pages/notices';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

/** The focused element's text (or the tag of a container), once it is `expected`; the page's body never counts. */
async function waitForFocus(page: Page, expected: string | RegExp): Promise<void> {
  const source = typeof expected === 'string' ? `^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : expected.source;
  await page
    .waitForFunction(
      (pattern) => {
        const active = document.activeElement;
        if (!active || active === document.body) return false;
        const text = active.matches('main, [role="dialog"]') ? active.tagName : (active.textContent ?? '').trim();
        return new RegExp(pattern).test(text);
      },
      source,
      { timeout: 15_000 },
    )
    .catch(async () => {
      const active = await page.evaluate(() => `${document.activeElement?.tagName ?? 'none'} "${(document.activeElement?.textContent ?? '').trim().slice(0, 60)}"`);
      throw new Error(`The focus should be on ${String(expected)}, but it is on ${active}.`);
    });
}

describe('dialogs at 1366×768', () => {
  it('each fits the window with its largest content, its buttons in view; recipients page inside their dialog', { timeout: 300_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    const { project } = await openDemoProject(page, server.openUrl);

    // Set up through the engine: required attributes (the New campaign dialog asks for each),
    // 150 more fields in the demo's database (the export dialog lists each), an active
    // campaign whose broadcast reached 45,000 profiles.
    for (let i = 1; i <= 6; i += 1) await engineCall(server, 'attribute/define', { name: `Attribute ${i}`, required: true });
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo database is missing.');
    for (let i = 1; i <= 150; i += 1) {
      await engineCall(server, 'field/add', { databaseId: customers.id, field: { name: `extra_${String(i).padStart(3, '0')}`, type: 'string' } });
    }
    const { segment } = await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Everyone', from: { kind: 'all' } });
    const attributes = Object.fromEntries((await engineCall(server, 'attribute/list', {})).map((a) => [String(a.id), 'x']));
    const created = await engineCall(server, 'campaign/create', {
      name: 'Big run',
      databaseId: customers.id,
      segmentId: segment.id,
      attributes,
      lcg: { percent: '10', limit: null, strata: [] },
    });
    const broadcast = await engineCall(server, 'activity/create', { databaseId: customers.id, campaignId: created.id, type: 'broadcast', name: 'Newsletter' });
    await engineCall(server, 'campaign/activate', { campaignId: created.id });
    const run = await engineCall(server, 'activity/run', { activityId: broadcast.id });
    // 90 % of the 50,000 demo profiles are Test; the subscribed ones among them (about 35,000) are reached.
    expect(run.test).toBeGreaterThan(30_000);

    // The recipients of the big run: the dialog fits, its table pages inside it, Export is reachable.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.row('Big run').getByRole('button', { name: 'Big run', exact: true }).click();
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Big run');
    await clearNotices(page);
    await campaign.tab('Activities').click();
    const recipients = new RecipientsDialog(page);
    await recipients.open(campaign, 'Newsletter');
    await waitForText(recipients.total, `${(run.test + run.control).toLocaleString('en-US')} profiles`);
    await expectDialogFits(page, recipients.dialog, [recipients.exportButton, recipients.closeButton]);
    // Paged, not rendered: a window of rows, whatever the run's size.
    expect(await recipients.grid.locator('.profile-row').count()).toBeLessThan(200);
    await screenshot(page, '40-recipients-fit');
    await recipients.exportButton.click();
    const runExport = new ExportDialog(page);
    await runExport.waitUntilShown();
    await expectDialogFits(page, runExport.dialog, [runExport.exportButton, runExport.dialog.getByRole('button', { name: 'Cancel', exact: true })]);
    await runExport.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await runExport.dialog.waitFor({ state: 'detached' });
    await recipients.closeButton.click();
    await recipients.dialog.waitFor({ state: 'detached' });

    // A/B test with 26 variants.
    await page.getByRole('toolbar', { name: 'Activities' }).getByRole('button', { name: 'New activity…' }).click();
    const activityDialog = new ActivityDialog(page);
    await activityDialog.dialog.waitFor();
    await activityDialog.type.selectOption({ label: 'A/B test' });
    const addVariant = activityDialog.dialog.getByRole('button', { name: 'Add a variant', exact: true });
    while (await addVariant.isEnabled()) await addVariant.click();
    expect(await activityDialog.dialog.getByRole('textbox', { name: /^Name of variant / }).count()).toBe(26);
    await expectDialogFits(page, activityDialog.dialog, [activityDialog.createButton, activityDialog.dialog.getByRole('button', { name: 'Cancel', exact: true })]);
    await screenshot(page, '41-activity-fit');
    await page.keyboard.press('Escape');
    await activityDialog.dialog.waitFor({ state: 'detached' });

    // The New campaign dialog: six required attributes and five stratification fields.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await campaigns.waitUntilShown();
    await campaigns.newButton.click();
    const campaignDialog = new CampaignDialog(page);
    await campaignDialog.waitUntilShown();
    await campaignDialog.database.selectOption({ label: 'Customers' });
    await campaignDialog.percent.fill('10');
    for (const field of ['gender', 'city', 'birth_date', 'purchases', 'revenue']) await campaignDialog.addStratum.selectOption({ label: field });
    await campaignDialog.createButton.click();
    await expectDialogFits(page, campaignDialog.dialog, [campaignDialog.createButton, campaignDialog.dialog.getByRole('button', { name: 'Cancel', exact: true })]);
    await screenshot(page, '42-new-campaign-fit');
    await page.keyboard.press('Escape');
    await campaignDialog.dialog.waitFor({ state: 'detached' });

    // The export dialog of a database of 158 fields.
    await project.goToDatabase('Customers');
    await page.getByRole('main', { name: 'Database' }).getByRole('toolbar', { name: 'Database' }).getByRole('button', { name: 'Export CSV…', exact: true }).click();
    const exportDialog = new ExportDialog(page);
    await exportDialog.waitUntilShown();
    // The fields were added outside the UI: the dialog lists them once the page has read the database again.
    await expect.poll(() => exportDialog.dialog.getByRole('checkbox').count(), { timeout: 20_000 }).toBeGreaterThan(150);
    await expectDialogFits(page, exportDialog.dialog, [exportDialog.exportButton, exportDialog.dialog.getByRole('button', { name: 'Cancel', exact: true })]);
    await screenshot(page, '43-export-fit');
    await page.keyboard.press('Escape');
    await exportDialog.dialog.waitFor({ state: 'detached' });

    // A question about a campaign with a 200-character name.
    const longName = `Campaign${'L'.repeat(192)}`;
    await engineCall(server, 'campaign/update', { campaignId: created.id, name: longName });
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await campaigns.row(longName).getByRole('button', { name: longName, exact: true }).click();
    await campaign.waitForCampaign(longName);
    await campaign.action('Complete…').click();
    const question = page.getByRole('alertdialog');
    await question.waitFor();
    await expectDialogFits(page, question, [question.getByRole('button', { name: 'Cancel', exact: true }), question.getByRole('button', { name: 'Complete for good', exact: true })]);
    await question.getByRole('button', { name: 'Cancel', exact: true }).click();
    await question.waitFor({ state: 'detached' });
  });

  it('messages take their own strip, never over the rows; with a dialog open they show inside it', { timeout: 180_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    const { project } = await openDemoProject(page, server.openUrl);
    const notices = new Notices(page);
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo database is missing.');
    const { segment } = await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Everyone', from: { kind: 'all' } });
    await engineCall(server, 'campaign/create', { name: 'Uses it', databaseId: customers.id, segmentId: segment.id, lcg: { percent: '10', limit: null, strata: [] } });

    // An error that stays (a segment in use cannot be deleted), then the segment's table of 50,000.
    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    const row = page.getByRole('table', { name: 'Segments' }).getByRole('row').filter({ has: page.getByRole('button', { name: 'Everyone', exact: true }) });
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await notices.region.locator('.notice').first().waitFor();
    await row.getByRole('button', { name: 'Everyone', exact: true }).click();
    const grid = page.getByRole('grid', { name: 'Segment members' });
    await grid.locator('.profile-row:not(.loading)').first().waitFor({ timeout: 30_000 });

    // The message sits between the table and the status bar: no row lies under it.
    const gridBox = await grid.boundingBox();
    const noticeBox = await notices.region.boundingBox();
    if (!gridBox || !noticeBox) throw new Error('The table or the messages are not shown.');
    expect(noticeBox.y).toBeGreaterThanOrEqual(gridBox.y + gridBox.height - 0.5);
    expect(noticeBox.y + noticeBox.height).toBeLessThanOrEqual(LAPTOP.height);
    await screenshot(page, '44-message-strip');

    // With a dialog open the message shows inside it, not on its backdrop; the keyboard reaches it.
    await page.getByRole('main', { name: 'Segment' }).getByRole('button', { name: 'Export CSV…', exact: true }).click();
    const exportDialog = new ExportDialog(page);
    await exportDialog.waitUntilShown();
    expect(await page.getByRole('region', { name: 'Messages' }).count()).toBe(1);
    const inDialog = exportDialog.dialog.getByRole('region', { name: 'Messages' });
    await inDialog.locator('.notice').first().waitFor();
    await expectDialogFits(page, exportDialog.dialog, [exportDialog.exportButton, inDialog.getByRole('button', { name: /^Dismiss message/ })]);
    await screenshot(page, '45-message-in-dialog');
    for (let i = 0; i < 60 && !(await inDialog.getByRole('button', { name: /^Dismiss message/ }).evaluate((b) => b === document.activeElement)); i += 1) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    expect(await page.locator('.notice').count()).toBe(0);
    await page.keyboard.press('Escape');
    await exportDialog.dialog.waitFor({ state: 'detached' });
  });

  it('by keyboard the focus never falls to the page: it stays on what comes next when a control goes away', { timeout: 240_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    const { project } = await openDemoProject(page, server.openUrl);
    mkdirSync(join(server.home, 'lists'));
    writeFileSync(join(server.home, 'lists', 'ids.csv'), 'profile_id\n0000001\n');
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo database is missing.');
    const { segment } = await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Everyone', from: { kind: 'all' } });
    const created = await engineCall(server, 'campaign/create', { name: 'Keys', databaseId: customers.id, segmentId: segment.id, lcg: { percent: '10', limit: null, strata: [] } });
    await engineCall(server, 'activity/create', { databaseId: customers.id, campaignId: created.id, type: 'broadcast', name: 'Mail' });

    // An editor in place gives the focus back to its button when Escape closes it.
    await project.goToDatabase('Customers');
    await page.getByRole('main', { name: 'Database' }).getByRole('tab', { name: /^Fields/ }).click();
    const editValues = page.getByRole('group', { name: 'Actions for the field city' }).getByRole('button', { name: 'Edit values', exact: true });
    await editValues.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Values of city, one per line' }).waitFor();
    await page.keyboard.press('Escape');
    await waitForFocus(page, 'Edit values');

    // A segment's Add or remove profiles: after a change the list has the focus; Escape closes it and goes back to its button.
    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    await page.getByRole('main', { name: 'Segments' }).getByRole('button', { name: 'Everyone', exact: true }).click();
    const segmentPage = page.getByRole('main', { name: 'Segment' });
    await segmentPage.getByRole('button', { name: 'Add or remove profiles…', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('0000001');
    await segmentPage.getByRole('button', { name: 'Add to the segment', exact: true }).focus();
    await page.keyboard.press('Enter');
    await segmentPage.getByText('Already members').waitFor();
    await waitForFocus(page, '');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.press('Escape');
    await waitForFocus(page, 'Add or remove profiles…');

    // Export: the suggested file name is selected (typing replaces it), and the done dialog's Close has the focus.
    await segmentPage.getByRole('button', { name: 'Export CSV…', exact: true }).click();
    const exportDialog = new ExportDialog(page);
    await exportDialog.waitUntilShown();
    await exportDialog.chooseButton.click();
    const saveAs = new FileBrowserDialog(page, 'save-csv');
    await saveAs.waitUntilShown();
    await waitForFocus(page, '');
    expect(await saveAs.fileNameField.evaluate((input) => input === document.activeElement)).toBe(true);
    await page.keyboard.type('everyone');
    expect(await saveAs.fileNameField.inputValue()).toBe('everyone.csv');
    await page.keyboard.press('Enter');
    await saveAs.waitUntilClosed();
    await exportDialog.exportButton.click();
    await exportDialog.outcome.waitFor({ timeout: 60_000 });
    await waitForFocus(page, 'Close');
    await page.keyboard.press('Enter');
    await exportDialog.dialog.waitFor({ state: 'detached' });

    // The file browser: Enter opens a folder and the focus goes to its first entry.
    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    await page.getByRole('main', { name: 'Segments' }).getByRole('button', { name: 'New segment…', exact: true }).click();
    await page.getByRole('dialog', { name: 'New segment' }).getByRole('radio', { name: /CSV file of profile IDs/ }).check();
    await page.getByRole('dialog', { name: 'New segment' }).getByRole('button', { name: 'Choose file…', exact: true }).click();
    const open = new FileBrowserDialog(page, 'open-csv');
    await open.waitUntilShown();
    await waitForFocus(page, 'lists');
    await page.keyboard.press('Enter');
    await waitForFocus(page, 'ids.csv');
    await page.keyboard.press('Escape');
    await open.waitUntilClosed();
    await page.keyboard.press('Escape');

    // Activate: the dialog has the focus at once, and Activate once the engine has checked; afterwards the focus stays on the page.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await page.getByRole('main', { name: 'Campaigns' }).getByRole('button', { name: 'Keys', exact: true }).click();
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Keys');
    await campaign.action('Activate now…').focus();
    await page.keyboard.press('Enter');
    await waitForFocus(page, 'Activate now');
    await page.keyboard.press('Enter');
    await campaign.waitForStatus('Active');
    await waitForFocus(page, /^(MAIN|Deactivate)$/);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
  });
});
