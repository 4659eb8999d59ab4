/**
 * End to end, in Chromium at 1366×768 on the demo project: flows a user follows by keyboard
 * and by mouse, checked on screen and in the engine, where a review found them wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ArgsOf, LcgSettings } from '../../shared/contract/index';
import { engineCall } from './helpers/engine-api';
import { LAPTOP } from './helpers/layout';
import { useBrowserSession } from './helpers/session';
import { ActivateDialog, ActivityDialog, CampaignPage, RecipientsDialog } from './pages/campaign-page';
import { CampaignDialog, CampaignsPage } from './pages/campaigns-page';
import { DatabasePage } from './pages/database-page';
import { ExportDialog } from './pages/export-dialog';
import { FileBrowserDialog } from './pages/file-browser';
import { openDemoProject } from './pages/demo';
import { ClockDialog } from './pages/clock-dialog';
import { clearNotices, Notices } from './pages/notices';
import { SegmentDialog, SegmentPage, SegmentsPage } from './pages/segments-page';
import { StartPage } from './pages/start-page';
import type { ProjectPage } from './pages/project-page';

const session = useBrowserSession();

/**
 * Presses Tab (Shift+Tab with `back`) until the focused element's name is `name`, as a
 * keyboard user looks for a control; fails after `max` presses.
 */
async function tabTo(page: Page, name: string | RegExp, max = 60, back = false): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return '';
      if (e instanceof HTMLSelectElement) return e.selectedOptions[0]?.textContent?.trim() ?? '';
      return (e.getAttribute('aria-label') ?? (e instanceof HTMLInputElement ? '' : (e.textContent ?? ''))).trim();
    });
    seen.push(focused);
    if (typeof name === 'string' ? focused === name : name.test(focused)) return;
  }
  throw new Error(`No control named ${String(name)} within ${max} presses of Tab; focus went through: ${seen.join(' | ')}`);
}

/** Whether the focused element is inside `selector`'s element. */
const focusInside = (page: Page, selector: string) =>
  page.evaluate((s) => document.querySelector(s)?.contains(document.activeElement) ?? false, selector);

/** The demo project open at a laptop's size, with a segment "Everyone" of all its 50,000 profiles. */
async function demoWithEveryone() {
  const { page, server } = session();
  await page.setViewportSize(LAPTOP);
  const { project } = await openDemoProject(page, server.openUrl);
  const [customers] = await engineCall(server, 'database/list', {});
  if (!customers) throw new Error('The demo database is missing.');
  const { segment } = await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Everyone', from: { kind: 'all' } });
  /** A campaign on "Everyone" (10 % by default) with the given activities. */
  const newCampaign = async (name: string, activities: readonly ArgsOf<'activity/create'>['type'][], lcg: LcgSettings = TEN_PERCENT) => {
    const created = await engineCall(server, 'campaign/create', { name, databaseId: customers.id, segmentId: segment.id, lcg, seed: name });
    for (const [i, type] of activities.entries()) {
      await engineCall(server, 'activity/create', { databaseId: customers.id, campaignId: created.id, type, name: ACTIVITY_NAMES[i]!, ...(type === 'triggered_mailing' ? { ignoreLcg: true } : {}) });
    }
    return created;
  };
  return { page, server, project, databaseId: customers.id, newCampaign };
}

const TEN_PERCENT: LcgSettings = { percent: '10', limit: null, strata: [] };
/** The names of a test campaign's activities, in order. */
const ACTIVITY_NAMES = ['News', 'Receipts'];

async function openCampaign(page: Page, project: ProjectPage, name: string): Promise<CampaignPage> {
  await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
  const campaigns = new CampaignsPage(page);
  await campaigns.waitUntilShown();
  await campaigns.row(name).getByRole('button', { name, exact: true }).click();
  const campaign = new CampaignPage(page);
  await campaign.waitForCampaign(name);
  await clearNotices(page);
  return campaign;
}

describe('flows by keyboard and mouse', () => {
  it('a dialog whose main button waits for the engine still takes the focus: the Activate dialog by keyboard', { timeout: 180_000 }, async () => {
    const { page, server, project, newCampaign } = await demoWithEveryone();
    const created = await newCampaign('Spring', ['broadcast']);

    const campaign = await openCampaign(page, project, 'Spring');
    // One stratum, in words.
    await campaign.strataTable.waitFor();
    expect(await page.locator('.strata-table-box .field-hint').textContent()).toMatch(/^1 stratum · 50,000 profiles · 5,000 in the LCG\. /);
    await campaign.action('Activate now…').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Activate "Spring" now' });
    await dialog.waitFor();
    // Focus moves into the dialog at once (its Activate button is disabled until the engine has checked the activation).
    expect(await focusInside(page, '.activate-dialog')).toBe(true);
    await dialog.getByRole('button', { name: 'Activate now', exact: true }).waitFor();
    while (await dialog.getByRole('button', { name: 'Activate now', exact: true }).isDisabled()) await page.waitForTimeout(50);
    await page.keyboard.press('Tab');
    expect(await focusInside(page, '.activate-dialog')).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await engineCall(server, 'campaign/get', { campaignId: created.id })).campaign.status).toBe('inactive');
  });

  it('the LCG settings of a campaign stratified by named intervals show no change until one is made; the guide\'s example gives its strata', { timeout: 180_000 }, async () => {
    const { page, server, project, databaseId, newCampaign } = await demoWithEveryone();
    const fields = (await engineCall(server, 'database/get', { databaseId })).fields;
    const fieldId = (name: string) => fields.find((f) => f.name === name)!.id;
    const lcg: LcgSettings = {
      percent: '10',
      limit: null,
      strata: [
        { kind: 'values', fieldId: fieldId('gender') },
        {
          kind: 'intervals',
          fieldId: fieldId('birth_date'),
          intervals: [
            { label: 'Young', from: '01.01.2000', to: '01.01.2005' },
            { label: 'Adult', from: '01.01.1985', to: '31.12.1999' },
          ],
        },
      ],
    };
    const created = await newCampaign('Guide', ['broadcast'], lcg);
    await engineCall(server, 'campaign/activate', { campaignId: created.id });

    const campaign = await openCampaign(page, project, 'Guide');
    await campaign.strataTable.locator('tbody tr').nth(3).waitFor();
    const labels = (await campaign.strataRows()).map((r) => r[0]);
    for (const gender of ['female', 'male']) {
      for (const interval of ['Young', 'Adult']) expect(labels).toContain(`gender = ${gender} · birth_date: ${interval}`);
    }
    await campaign.tab('LCG settings').click();
    const apply = campaign.main.getByRole('button', { name: 'Apply…', exact: true });
    await apply.waitFor();
    await campaign.main.getByRole('textbox', { name: 'Interval 1 from' }).waitFor();
    expect(await apply.isDisabled()).toBe(true);
    expect(await campaign.main.getByRole('button', { name: 'Undo changes', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByTestId('lcg-change-preview').count()).toBe(0);

    // A new percentage alone: a change of size, nobody moves.
    await campaign.main.getByRole('textbox', { name: 'LCG share, %' }).fill('8');
    const preview = page.getByTestId('lcg-change-preview');
    await preview.waitFor();
    await preview.getByText('Nobody moves now: only new profiles may enter the LCG.').waitFor();
    expect(await preview.textContent()).not.toContain('Values inside the stratification fields change');
  });

  it('Clone says it copies the activities, and does; Add profiles with "Send them to Test" moves an LCG member to Test', { timeout: 180_000 }, async () => {
    const { page, server, project, newCampaign } = await demoWithEveryone();
    const created = await newCampaign('Spring', ['broadcast', 'triggered_mailing']);
    await engineCall(server, 'campaign/activate', { campaignId: created.id });
    const news = (await engineCall(server, 'activity/list', { campaignId: created.id })).find((a) => a.name === 'News')!;
    await engineCall(server, 'activity/run', { activityId: news.id });

    const campaign = await openCampaign(page, project, 'Spring');
    await campaign.action('Clone…').click();
    const clone = page.getByRole('dialog', { name: 'Clone "Spring"' });
    await clone.waitFor();
    expect(await clone.locator('.modal-message').textContent()).toBe(
      'The copy is Inactive, with the same attributes, LCG settings and seed, and copies of its 2 activities (new ones that have never run).',
    );
    await clone.getByRole('textbox', { name: 'Name of the copy' }).fill('Summer');
    await page.keyboard.press('Enter');
    await campaign.waitForCampaign('Summer');
    const copy = (await engineCall(server, 'campaign/list', {})).find((c) => c.name === 'Summer')!;
    const copied = await engineCall(server, 'activity/list', { campaignId: copy.id });
    expect(copied.map((a) => [a.name, a.type, a.status, a.runs.length]).sort()).toEqual([
      ['News', 'broadcast', 'inactive', 0],
      ['Receipts', 'triggered_mailing', 'inactive', 0],
    ]);

    // Back in Spring: an LCG member added by hand with "Send them to Test" moves to Test.
    const member = (await engineCall(server, 'campaign/members', { campaignId: created.id, group: 'control', offset: 0, limit: 1 })).rows[0]!.profileId;
    const spring = await openCampaign(page, project, 'Spring');
    await spring.action('Add profiles…').click();
    const add = page.getByRole('dialog', { name: 'Add profiles to "Spring"' });
    await add.waitFor();
    await add.getByRole('textbox', { name: 'Profile IDs, one per line' }).fill(member);
    await add.getByRole('checkbox', { name: /^Send them to Test even if they are in the LCG/ }).check();
    await add.getByRole('button', { name: 'Add profiles', exact: true }).click();
    await add.getByText('Moved from the LCG to Test').waitFor();
    const moved = await engineCall(server, 'campaign/events', { campaignId: created.id, kinds: ['moved_to_test'] });
    expect(moved.events.map((e) => e.profileId)).toEqual([member]);
    const found = await engineCall(server, 'campaign/members', { campaignId: created.id, offset: 0, limit: 1, search: { in: 'profileId', text: member } });
    expect([found.rows[0]?.profileId, found.groups[0]]).toEqual([member, 'test']);
  });

  it('the Activate dialog of a campaign activated before counts the audience without the GCG formed meanwhile', { timeout: 180_000 }, async () => {
    const { page, server, project, databaseId, newCampaign } = await demoWithEveryone();
    const created = await newCampaign('Again', ['regular_mailing']);
    await engineCall(server, 'campaign/activate', { campaignId: created.id });
    await engineCall(server, 'campaign/deactivate', { campaignId: created.id });
    // The GCG is formed while the campaign is Inactive: its members leave at the next activation.
    await engineCall(server, 'gcg/set', { databaseId, percent: '20', seed: 'g' });
    const expected = await engineCall(server, 'campaign/previewActivation', { campaignId: created.id });
    expect(expected.audience).toBe(40_000);

    const campaign = await openCampaign(page, project, 'Again');
    await campaign.action('Activate now…').click();
    const dialog = page.getByRole('dialog', { name: 'Activate "Again" now' });
    await dialog.waitFor();
    const lcgRow = page.getByTestId('activate-lcg');
    await lcgRow.getByText(/of 40,000 profiles/).waitFor({ timeout: 30_000 });
    expect(await lcgRow.textContent()).toBe(`about ${expected.control.toLocaleString('en-US')} of 40,000 profiles`);
    await dialog.getByRole('button', { name: 'Activate now', exact: true }).click();
    await campaign.waitForStatus('Active');
    expect((await engineCall(server, 'campaign/get', { campaignId: created.id })).campaign.groups.total).toBe(40_000);
  });

  it('news fades 7 s after it was given, however often a dialog opens and closes meanwhile', { timeout: 180_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    await page.clock.install();
    const { project } = await openDemoProject(page, server.openUrl);
    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    const segments = new SegmentsPage(page);
    await segments.waitUntilShown();
    await segments.newButton.click();
    const dialog = new SegmentDialog(page);
    await dialog.waitUntilShown();
    await dialog.name.fill('Everyone');
    await dialog.create();
    const news = new Notices(page).region.getByText('Segment created');
    await news.waitFor();
    // From here the page's time moves only when the test says so.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 100);
    // A dialog shows the messages inside it while it is open: each open and close shows them anew.
    const clock = new ClockDialog(page);
    for (let i = 0; i < 2; i += 1) {
      await clock.open();
      await news.waitFor();
      await page.keyboard.press('Escape');
      await clock.dialog.waitFor({ state: 'detached' });
      await page.clock.runFor(4000);
    }
    // 8 s of the page's time since it was given.
    await news.waitFor({ state: 'detached', timeout: 2000 });
  });

  it('Tab past the last control leaves the page and comes back at its start: the keyboard is never trapped', { timeout: 120_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    await openDemoProject(page, server.openUrl);
    await page.getByRole('button', { name: 'Advance clock…' }).focus();
    const places: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      // The focus keeper looks a task later: give it the time to (wrongly) pull the focus back.
      await page.waitForTimeout(50);
      const place = await page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return 'outside';
        return e.closest('header') ? 'header' : e.closest('nav') ? 'nav' : e.closest('main') ? 'main' : e.closest('footer') ? 'footer' : 'other';
      });
      places.push(place);
      if (place === 'header' || place === 'nav') break;
    }
    // Out of the page to the browser's own controls, then the page's first controls; never back into the page's main region.
    expect(places.at(-1), places.join(' → ')).toMatch(/^(header|nav)$/);
    expect(places).not.toContain('main');
  });

  it('the main flow by keyboard alone: segment, campaign, activity, activation, run, export of its recipients', { timeout: 240_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    await page.goto(server.openUrl);
    const start = new StartPage(page);
    await start.waitUntilShown();
    await tabTo(page, 'Open the demo project');
    await page.keyboard.press('Enter');
    await new DatabasePage(page).table.waitForTotal('50,000 profiles', 60_000);

    // A segment of everyone.
    await tabTo(page, /^Segments/);
    await page.keyboard.press('Enter');
    await tabTo(page, 'New segment…');
    await page.keyboard.press('Enter');
    const segmentDialog = new SegmentDialog(page);
    await segmentDialog.waitUntilShown();
    expect(await focusInside(page, '[role="dialog"]')).toBe(true);
    await segmentDialog.name.focus();
    await page.keyboard.type('Everyone');
    await page.keyboard.press('Enter');
    await segmentDialog.dialog.waitFor({ state: 'detached', timeout: 60_000 });
    await new SegmentPage(page).waitForSegment('Everyone');

    // A campaign on it, 10 %.
    await tabTo(page, /^Campaigns/);
    await page.keyboard.press('Enter');
    await tabTo(page, 'New campaign…');
    await page.keyboard.press('Enter');
    const campaignDialog = new CampaignDialog(page);
    await campaignDialog.waitUntilShown();
    await page.keyboard.type('By keyboard');
    await tabTo(page, /^(Choose a segment…|Everyone \(50,000 profiles\))$/);
    if ((await campaignDialog.segment.inputValue()) === '') await page.keyboard.press('ArrowDown');
    expect(await campaignDialog.segment.locator('option:checked').textContent()).toBe('Everyone (50,000 profiles)');
    // The next field is the LCG share.
    await tabTo(page, '', 3);
    expect(await campaignDialog.percent.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.type('10');
    await page.keyboard.press('Enter');
    await campaignDialog.dialog.waitFor({ state: 'detached' });
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('By keyboard');

    // An activity.
    await tabTo(page, /^Overview$/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await tabTo(page, 'New activity…');
    await page.keyboard.press('Enter');
    const activityDialog = new ActivityDialog(page);
    await activityDialog.dialog.waitFor();
    await page.keyboard.type('News');
    await page.keyboard.press('Enter');
    await activityDialog.dialog.waitFor({ state: 'detached' });
    await campaign.activityRow('News').waitFor();

    // Activate: the dialog has the focus; its button once the engine has checked.
    await tabTo(page, 'Activate now…', 30, true);
    await page.keyboard.press('Enter');
    const activate = new ActivateDialog(page, 'now');
    await activate.waitUntilShown();
    expect(await focusInside(page, '.activate-dialog')).toBe(true);
    while (await activate.confirmButton.isDisabled()) await page.waitForTimeout(50);
    await tabTo(page, 'Activate now', 5);
    await page.keyboard.press('Enter');
    await campaign.waitForStatus('Active');

    // Run, and export who it reached.
    await campaign.activityRow('News').getByRole('button', { name: 'Run now', exact: true }).focus();
    await page.keyboard.press('Enter');
    while ((await page.getByTestId('run-row').count()) === 0) await page.waitForTimeout(50);
    await tabTo(page, 'Recipients…');
    await page.keyboard.press('Enter');
    const recipients = new RecipientsDialog(page);
    await recipients.grid.locator('.profile-row:not(.loading)').first().waitFor({ timeout: 30_000 });
    await tabTo(page, 'Export recipients…', 10);
    await page.keyboard.press('Enter');
    const exportDialog = new ExportDialog(page);
    await exportDialog.waitUntilShown();
    await tabTo(page, 'Choose…', 40);
    await page.keyboard.press('Enter');
    const browser = new FileBrowserDialog(page, 'save-csv');
    await browser.waitUntilShown();
    expect(await browser.fileNameField.evaluate((e) => e === document.activeElement)).toBe(true);
    // The folder: typed into its field (Shift+Tab from the name), then back to the name.
    await tabTo(page, 'Go', 3, true);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(session().dir);
    await page.keyboard.press('Enter');
    await browser.dialog.getByRole('group', { name: `Contents of ${session().dir}` }).waitFor();
    // Past Go and the folder's entries to the file name.
    await tabTo(page, '', 10);
    expect(await browser.fileNameField.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.type('news-recipients');
    await page.keyboard.press('Enter');
    await browser.waitUntilClosed();
    // The whole destination, not only its name: a file written elsewhere is found here, not as ENOENT below.
    expect(await exportDialog.path.textContent()).toBe(join(session().dir, 'news-recipients.csv'));
    await tabTo(page, 'Export', 10);
    await page.keyboard.press('Enter');
    await exportDialog.outcome.waitFor({ timeout: 60_000 });
    const ran = (await engineCall(server, 'activity/list', { campaignId: (await engineCall(server, 'campaign/list', {}))[0]!.id }))[0]!.runs[0]!;
    const lines = readFileSync(join(session().dir, 'news-recipients.csv'), 'utf8').trim().split(/\r\n/);
    expect(lines).toHaveLength(ran.test + ran.control + 1);
    await page.keyboard.press('Escape');
    await exportDialog.dialog.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await recipients.dialog.waitFor({ state: 'detached' });
  });

  it('focus stays in a dialog when its focused button is disabled or removed: a refused New campaign, a removed stratification field', { timeout: 180_000 }, async () => {
    const { page, project } = await demoWithEveryone();
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.waitUntilShown();
    await campaigns.newButton.click();
    const dialog = new CampaignDialog(page);
    await dialog.waitUntilShown();
    await dialog.name.fill('Too many strata');
    await dialog.percent.fill('10');
    await dialog.addStratum.selectOption({ label: 'email' });
    // Created by keyboard: the engine refuses (49,000 emails), the dialog keeps the focus.
    await dialog.createButton.focus();
    await page.keyboard.press('Enter');
    await dialog.dialog.getByText(/^"email" has [\d,]+ different values, too many to stratify by one each/).waitFor({ timeout: 30_000 });
    expect(await focusInside(page, '.campaign-dialog')).toBe(true);
    // Removing the field by keyboard: its Remove button goes, the focus stays.
    await dialog.dialog.getByRole('button', { name: 'Remove the stratification by email', exact: true }).focus();
    await page.keyboard.press('Enter');
    await dialog.stratumKind('email').waitFor({ state: 'detached' });
    expect(await focusInside(page, '.campaign-dialog')).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.dialog.waitFor({ state: 'detached' });
  });
});
