/**
 * End to end, in Chromium against the browser-mode server, on the demo project: a new sort
 * keeps rows on screen while the engine orders them (the table never empties), and a dialog
 * that writes says what it waits for ("Creating…", "Saving…") until the engine answers; the
 * new activity's row and the campaign's new name show when the dialog closes.
 */
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { firstRowId, watchEmptyTable } from '../bench/ui-probe';
import { useBrowserSession } from './helpers/session';
import { ActivityDialog, CampaignPage } from './pages/campaign-page';
import { CampaignDialog, CampaignsPage } from './pages/campaigns-page';
import { openDemoProject } from './pages/demo';
import { SegmentDialog, SegmentPage, SegmentsPage } from './pages/segments-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

/** Records every text the element shows from now on (a MutationObserver in the page). */
async function recordTexts(locator: Locator): Promise<() => Promise<string[]>> {
  const key = `__texts_${Math.random().toString(36).slice(2)}`;
  await locator.evaluate((el, k) => {
    const seen: string[] = [el.textContent ?? ''];
    (window as unknown as Record<string, string[]>)[k] = seen;
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  }, key);
  return () => locator.page().evaluate((k) => (window as unknown as Record<string, string[]>)[k] ?? [], key);
}

describe('the app answers at the speed of what changed', () => {
  it('a sort keeps rows on screen; writing dialogs say what they wait for; the written rows show when they close', { timeout: 240_000 }, async () => {
    const { page, server } = session();
    const { project, database } = await openDemoProject(page, server.openUrl);

    // A new order: the rows never go while it is built, and the first row changes.
    const before = ((await firstRowId(database.table.grid).textContent()) ?? '').trim();
    const empty = await watchEmptyTable(page, 'Profiles');
    await database.table.sortBy('email');
    await page.waitForFunction((id) => (document.querySelector('[role="grid"][aria-label="Profiles"] .profile-row[aria-rowindex="2"]:not(.loading) .cell-id')?.textContent?.trim() ?? id) !== id, before);
    expect(await empty.stop()).toBe(0);
    await database.table.waitForTotal('50,000 profiles');
    expect(await database.table.grid.getAttribute('aria-busy')).toBe('false');

    // A segment of all and a campaign on it.
    await project.navigation.getByRole('button', { name: 'Segments', exact: true }).click();
    const segments = new SegmentsPage(page);
    await segments.newButton.click();
    const segmentDialog = new SegmentDialog(page);
    await segmentDialog.name.fill('Everyone');
    await segmentDialog.from(/^All profiles of the database/).check();
    await segmentDialog.create();
    await new SegmentPage(page).waitForSegment('Everyone');
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await new CampaignsPage(page).newButton.click();
    const campaignDialog = new CampaignDialog(page);
    await campaignDialog.name.fill('Quick');
    await campaignDialog.percent.fill('10');
    const createTexts = await recordTexts(campaignDialog.createButton);
    await campaignDialog.create();
    expect(await createTexts()).toContain('Creating…');
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Quick');

    // An activity: "Creating…" while the engine writes it; its row is there when the dialog closes.
    await campaign.tab('Activities').click();
    await page.getByRole('toolbar', { name: 'Activities' }).getByRole('button', { name: 'New activity…' }).click();
    const activity = new ActivityDialog(page);
    await activity.dialog.waitFor();
    const activityTexts = await recordTexts(activity.createButton);
    await activity.create('Letter', 'Broadcast');
    expect(await activityTexts()).toContain('Creating…');
    expect(await campaign.activityRow('Letter').count()).toBe(1);

    // A new name: "Saving…", then the title.
    await campaign.action('Edit…').click();
    const edit = page.getByRole('dialog', { name: 'Edit "Quick"' });
    await edit.getByRole('textbox', { name: 'Campaign name' }).fill('Quicker');
    const save = edit.getByRole('button', { name: 'Save', exact: true });
    const saveTexts = await recordTexts(save);
    await save.click();
    await edit.waitFor({ state: 'detached' });
    expect(await saveTexts()).toContain('Saving…');
    await waitForText(campaign.title, 'Quicker');
  });
});
