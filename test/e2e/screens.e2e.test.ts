/**
 * End to end at 1366×768 on the demo project: long names wrap or are cut with the full name
 * on hover and never push columns out of view; a pasted name over the contract's limit stays
 * whole and says so; the profile card belongs to its page and closes with Escape; making a
 * live campaign exempt from the GCG asks first and then shows the new state; a segment made
 * from a CSV names the IDs it did not find; the strata chart stays readable with many
 * strata, and the split history draws the LCG's target and actual size.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { engineCall } from './helpers/engine-api';
import { LAPTOP } from './helpers/layout';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { CampaignPage } from './pages/campaign-page';
import { CampaignDialog, CampaignsPage } from './pages/campaigns-page';
import { openDemoProject } from './pages/demo';
import { FileBrowserDialog } from './pages/file-browser';
import { clearNotices } from './pages/notices';
import { SegmentDialog, SegmentPage, SegmentsPage } from './pages/segments-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${String(locator)} is not shown.`);
  return box;
}

describe('screens at 1366×768', () => {
  it('long names wrap or are cut with the whole name on hover; a pasted name over the limit stays whole and says so', { timeout: 180_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    const { project } = await openDemoProject(page, server.openUrl);
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo database is missing.');
    const segmentName = `Segment${'S'.repeat(93)}`;
    const campaignName = `Campaign${'C'.repeat(192)}`;
    const { segment } = await engineCall(server, 'segment/create', { databaseId: customers.id, name: segmentName, from: { kind: 'all' } });
    const long = await engineCall(server, 'campaign/create', { name: campaignName, databaseId: customers.id, segmentId: segment.id, lcg: { percent: '10', limit: null, strata: [] } });
    const activityName = `Mail${'M'.repeat(196)}`;
    await engineCall(server, 'activity/create', { databaseId: customers.id, campaignId: long.id, type: 'broadcast', name: activityName });
    await engineCall(server, 'campaign/create', { name: 'Short', databaseId: customers.id, segmentId: segment.id, lcg: { percent: '5', limit: null, strata: [] } });

    // The campaigns list: every column in view, the long name wrapped inside its own.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    const row = campaigns.row(campaignName);
    await row.waitFor();
    const fits = await campaigns.table.evaluate((table) => table.scrollWidth <= (table.parentElement?.clientWidth ?? 0));
    expect(fits).toBe(true);
    for (const header of await campaigns.table.getByRole('columnheader').all()) {
      const box = await boxOf(header);
      expect(box.x + box.width).toBeLessThanOrEqual(LAPTOP.width);
    }
    const nameCell = await boxOf(row.getByRole('cell').first());
    expect(nameCell.height).toBeGreaterThan(40);
    expect(nameCell.width).toBeLessThan(LAPTOP.width / 3);
    // At most three lines of it (not nine), the whole name on hover.
    expect(nameCell.height).toBeLessThan(100);
    expect(await row.getByRole('button', { name: campaignName, exact: true }).getAttribute('title')).toBe(campaignName);
    await screenshot(page, '50-long-names');

    // The campaign's page: the title is cut to one line and carries the whole name.
    await row.getByRole('button', { name: campaignName, exact: true }).click();
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign(campaignName);
    expect(await campaign.title.getAttribute('title')).toBe(campaignName);
    expect((await boxOf(campaign.title)).x + (await boxOf(campaign.title)).width).toBeLessThanOrEqual(LAPTOP.width);

    // Its activities: the long name takes three lines at most (whole on hover), and the type beside it is never broken inside a word.
    await campaign.tab('Activities').click();
    const activity = campaign.activityRow(activityName);
    await activity.waitFor();
    expect(await activity.locator('.name-clamp').getAttribute('title')).toBe(activityName);
    expect((await boxOf(activity.getByRole('cell').first())).height).toBeLessThan(100);
    const typeCell = activity.getByRole('cell').nth(1);
    expect(await typeCell.textContent()).toBe('Broadcast');
    const typeLines = await typeCell.evaluate((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    expect(typeLines).toBe(1);

    // The segments list: the long name is clamped with the whole name on hover; the database beside it stays one word.
    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    const segmentRow = new SegmentsPage(page).row(segmentName);
    await segmentRow.waitFor();
    expect(await segmentRow.getByRole('button', { name: segmentName, exact: true }).getAttribute('title')).toBe(segmentName);
    const databaseLines = await segmentRow.getByRole('cell').nth(1).evaluate((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    expect(databaseLines).toBe(1);

    // A pasted name of 230 characters: kept whole, counted, refused in words; nothing is created.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await clearNotices(page);
    await campaigns.newButton.click();
    const dialog = new CampaignDialog(page);
    await dialog.waitUntilShown();
    await dialog.name.focus();
    await page.keyboard.insertText('N'.repeat(230));
    expect((await dialog.name.inputValue()).length).toBe(230);
    await waitForText(dialog.dialog.locator('.field-count'), '230 / 200 characters');
    await waitForText(dialog.dialog.locator('.field-error').first(), 'At most 200 characters; this has 230 (30 too many).');
    await dialog.createButton.click();
    expect(await dialog.dialog.isVisible()).toBe(true);
    await screenshot(page, '51-name-too-long');
    await page.keyboard.press('Escape');
    await dialog.dialog.waitFor({ state: 'detached' });
  });

  it('the profile card closes with Escape and with its page, and never shows on another table', { timeout: 180_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    const { project, database } = await openDemoProject(page, server.openUrl);
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo database is missing.');
    await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Nobody yet', from: { kind: 'empty' } });
    const { card, grid } = database.table;

    // Opened from the keyboard, Escape closes it (focus in the table) and the table keeps the focus.
    await database.table.waitForFirstRow('0000001');
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await waitForText(card.getByRole('heading'), 'Profile 0000002');
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
    expect(await grid.evaluate((el) => el === document.activeElement)).toBe(true);

    // Focus in the card itself: Escape closes it too, and the focus goes back to the table.
    await database.table.row('0000003').click();
    await card.getByRole('button', { name: 'Close the profile card' }).focus();
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
    expect(await grid.evaluate((el) => el === document.activeElement)).toBe(true);

    // Another page closes it; coming back does not bring it back; an empty segment of the same database never shows it.
    await database.table.row('0000004').click();
    await waitForText(card.getByRole('heading'), 'Profile 0000004');
    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    const segments = new SegmentsPage(page);
    await segments.row('Nobody yet').getByRole('button', { name: 'Nobody yet', exact: true }).click();
    await new SegmentPage(page).waitForSegment('Nobody yet');
    await waitForText(page.getByTestId('profile-total'), '0 profiles');
    expect(await page.getByRole('complementary', { name: /^Profile / }).count()).toBe(0);
    await project.goToDatabase('Customers');
    await database.table.waitForFirstRow('0000001');
    expect(await card.count()).toBe(0);
  });

  it('a live campaign is made exempt from the GCG only when confirmed, then shows the new state; the strata and history charts stay readable', { timeout: 240_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    const { project } = await openDemoProject(page, server.openUrl);
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo database is missing.');
    const fields = (await engineCall(server, 'database/get', { databaseId: customers.id })).fields;
    const fieldId = (name: string) => fields.find((f) => f.name === name)?.id ?? 0;
    await engineCall(server, 'gcg/set', { databaseId: customers.id, percent: '5', seed: 'gcg' });
    const { segment } = await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Everyone', from: { kind: 'all' } });
    const strata = [
      { kind: 'values' as const, fieldId: fieldId('city') },
      { kind: 'values' as const, fieldId: fieldId('gender') },
    ];
    const created = await engineCall(server, 'campaign/create', { name: 'Cities', databaseId: customers.id, segmentId: segment.id, lcg: { percent: '10', limit: null, strata }, seed: 'c' });
    await engineCall(server, 'activity/create', { databaseId: customers.id, campaignId: created.id, type: 'broadcast', name: 'Mail' });
    await engineCall(server, 'campaign/activate', { campaignId: created.id });
    const before = await engineCall(server, 'campaign/get', { campaignId: created.id });

    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await new CampaignsPage(page).row('Cities').getByRole('button', { name: 'Cities', exact: true }).click();
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Cities');
    await campaign.groupControl.waitFor();
    await clearNotices(page);

    // Exempt: asked first; Cancel changes nothing.
    const fact = page.getByTestId('gcg-exemption');
    await fact.getByRole('button', { name: 'Make exempt…', exact: true }).click();
    const question = page.getByRole('alertdialog', { name: 'Make "Cities" exempt from the global control group?' });
    await question.waitFor();
    await question.getByRole('button', { name: 'Cancel', exact: true }).click();
    await question.waitFor({ state: 'detached' });
    expect((await engineCall(server, 'campaign/get', { campaignId: created.id })).campaign.gcgExempt).toBe(false);
    // Confirmed: the button says it is working, then the new state shows.
    await fact.getByRole('button', { name: 'Make exempt…', exact: true }).click();
    await question.getByRole('button', { name: 'Make exempt', exact: true }).click();
    await waitForText(fact.locator('span').first(), /^Exempt: GCG members stay in the audience/, 120_000);
    await fact.getByRole('button', { name: 'Hold GCG members out…', exact: true }).waitFor();
    const after = await engineCall(server, 'campaign/get', { campaignId: created.id });
    expect(after.campaign.gcgExempt).toBe(true);
    expect(after.campaign.groups.total).toBeGreaterThan(before.campaign.groups.total);
    await waitForText(campaign.groupTotal, after.campaign.groups.total.toLocaleString('en-US'));
    await screenshot(page, '52-exempt');

    // The strata chart: 24 bars, labels that never overlap, every stratum visible however small.
    const chart = page.locator('.strata-chart');
    await chart.scrollIntoViewIfNeeded();
    const labels = chart.locator('.recharts-yAxis-tick-labels text');
    await labels.first().waitFor();
    const labelBoxes = await labels.evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom, width: r.width })));
    expect(labelBoxes.length).toBe(Math.min(24, after.strata.length));
    for (let i = 1; i < labelBoxes.length; i += 1) expect(labelBoxes[i]!.top).toBeGreaterThanOrEqual(labelBoxes[i - 1]!.bottom - 0.5);
    // Labels end before the bars begin, and a label of up to 56 characters shows whole (strata that differ only at the end stay apart).
    const labelRight = Math.max(...(await labels.evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().right))));
    const barsLeft = Math.min(...(await chart.locator('.recharts-bar-rectangle').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().left))));
    expect(labelRight).toBeLessThanOrEqual(barsLeft);
    // Each label keeps the whole stratum name for hover.
    const titles = await chart.locator('.recharts-yAxis-tick-labels title').allTextContents();
    const largest = [...after.strata].sort((a, b) => b.size - a.size).slice(0, 24);
    expect(titles).toEqual(largest.map((s) => s.label));
    const shownLabels = await labels.evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
    titles.forEach((title, i) => {
      if (title.length <= 56) expect(shownLabels[i]).toBe(title);
    });
    const smallest = largest.at(-1);
    expect(smallest && smallest.size).toBeLessThan(largest[0]!.size / 5);
    // LCG and Test of each stratum fill one full-length bar: the smallest is as long as the largest.
    const perStratum = new Map<number, number>();
    const rows = await chart.locator('.recharts-bar-rectangle').evaluateAll((nodes) => nodes.map((n) => ({ y: Math.round(n.getBoundingClientRect().top), w: n.getBoundingClientRect().width })));
    for (const r of rows) perStratum.set(r.y, (perStratum.get(r.y) ?? 0) + r.w);
    const totals = [...perStratum.values()];
    expect(totals.length).toBe(largest.length);
    expect(Math.min(...totals)).toBeGreaterThan(0.98 * Math.max(...totals));
    await screenshot(page, '53-strata-chart');

    // The split history: the audience on its own axis; the LCG's target and actual size together on theirs.
    await engineCall(server, 'campaign/setLcg', { campaignId: created.id, lcg: { percent: '10', limit: 600, strata } });
    await campaign.tab('Split history').click();
    const history = page.locator('.history-chart');
    await history.locator('.recharts-line').first().waitFor();
    expect(await history.locator('svg.recharts-surface').count()).toBeGreaterThanOrEqual(2);
    expect(await history.locator('.recharts-line').count()).toBe(3);
    const legend = (await history.locator('.recharts-legend-item-text').allTextContents()).map((t) => t.trim());
    expect(legend).toEqual(expect.arrayContaining(['LCG (actual)', 'LCG target']));
    await screenshot(page, '54-history-chart');
  });

  it('a segment made from a CSV names the IDs it did not find, to copy or to save', { timeout: 180_000 }, async () => {
    const { page, server, dir } = session();
    await page.setViewportSize(LAPTOP);
    const { project } = await openDemoProject(page, server.openUrl);
    const files = join(dir, 'files');
    mkdirSync(files);
    const unknown = Array.from({ length: 25 }, (_, i) => `X${String(i + 1).padStart(3, '0')}`);
    writeFileSync(join(files, 'ids.csv'), ['profile_id', '0000001', '0000002', '0000003', ...unknown].join('\n'));

    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    const segments = new SegmentsPage(page);
    await segments.newButton.click();
    const dialog = new SegmentDialog(page);
    await dialog.waitUntilShown();
    await dialog.name.fill('From a list');
    await dialog.from(/^A CSV file of profile IDs/).check();
    await dialog.dialog.getByRole('button', { name: 'Choose file…', exact: true }).click();
    await new FileBrowserDialog(page, 'open-csv').open(files, 'ids.csv');
    await dialog.create();
    const segmentPage = new SegmentPage(page);
    await segmentPage.waitForSegment('From a list');

    const listed = page.getByTestId('not-found-ids');
    await waitForText(listed, `Not in the database: ${unknown.slice(0, 20).join(', ')} and 5 more`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as a text file', exact: true }).click()]);
    const saved = join(dir, 'not-found.txt');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toBe(`${unknown.join('\n')}\n`);
    await screenshot(page, '55-not-found');
  });
});
