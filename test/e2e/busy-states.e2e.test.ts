/**
 * End to end at 1366×768, in real Chromium: what the window shows while the engine works on
 * what the user asked (issue 14, item 6). A submit button says "Creating…" ("Adding…") while
 * its call runs, and the profile table says "sorting…" (the old rows staying) while a new
 * order is read; each state is checked with axe-core in the light and the dark theme, and by
 * keyboard: the focus stays where the user was. The engine's answer is held back (the
 * browser's request waits) so the state lasts long enough to look at.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { AxeSweep } from './helpers/axe';
import { engineCall } from './helpers/engine-api';
import { LAPTOP } from './helpers/layout';
import { useBrowserSession } from './helpers/session';
import { ActivityDialog, CampaignPage } from './pages/campaign-page';
import { CampaignDialog, CampaignsPage } from './pages/campaigns-page';
import { openDemoProject } from './pages/demo';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

interface Held {
  /** Resolves once the page has asked for the method. */
  readonly asked: Promise<void>;
  /** Lets the held call through to the engine. */
  release(): void;
}

/** Holds the page's next call of `method` (with arguments that `when` accepts) until released; the other calls go through. */
async function holdNext(page: Page, method: string, when: (args: Record<string, unknown>) => boolean = () => true): Promise<Held> {
  let seen: () => void = () => undefined;
  const asked = new Promise<void>((resolve) => {
    seen = resolve;
  });
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let holding = true;
  await page.route('**/api/invoke', async (route) => {
    const body = route.request().postDataJSON() as { method?: unknown; args?: Record<string, unknown> } | null;
    if (holding && body?.method === method && when(body.args ?? {})) {
      holding = false;
      seen();
      await released;
    }
    await route.continue();
  });
  return { asked, release };
}

/**
 * Presses Enter where the focus is, the page's next `method` call held back; waits for the
 * busy button `label` in `scope` and checks that it says it is busy. Release what it returns.
 */
async function submitHeld(page: Page, method: string, scope: Locator, label: string): Promise<Held> {
  const held = await holdNext(page, method);
  await page.keyboard.press('Enter');
  await held.asked;
  const busy = scope.getByRole('button', { name: label, exact: true });
  await busy.waitFor();
  expect(await busy.getAttribute('aria-busy')).toBe('true');
  return held;
}

/** The methods the page calls from now on (counted as the requests leave it). */
function watchCalls(page: Page): string[] {
  const methods: string[] = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/api/invoke')) return;
    const body = request.postDataJSON() as { method?: unknown } | null;
    if (typeof body?.method === 'string') methods.push(body.method);
  });
  return methods;
}

/** Where the keyboard focus is: inside `selector`, and the focused element's text. */
const focusIn = (page: Page, selector: string) =>
  page.evaluate((sel) => ({ inside: document.activeElement?.closest(sel) !== null && document.activeElement !== document.body, text: document.activeElement?.textContent ?? '' }), selector);

describe('busy states of buttons and the profile table', () => {
  it('"sorting…" and "Creating…" say what the window waits for, pass axe in both themes, and keep the keyboard focus', { timeout: 240_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    const axe = new AxeSweep(page);
    const { project, database } = await openDemoProject(page, server.openUrl);
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo project has no database.');
    await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Everyone', from: { kind: 'all' } });
    await database.table.waitForFirstRow('0000001');

    // A sort, by keyboard: the old rows stay, the total says "sorting…", the focus stays on the header.
    const sort = await holdNext(page, 'profile/list', (args) => args.sort !== undefined);
    await database.table.columnHeader('email').getByRole('button').click({ trial: true });
    await database.table.columnHeader('email').getByRole('button').focus();
    await page.keyboard.press('Enter');
    await sort.asked;
    await waitForText(database.table.total, '50,000 profiles · sorting…');
    expect(await page.locator('[role="grid"][aria-label="Profiles"]').getAttribute('aria-busy')).toBe('true');
    expect(await database.table.grid.locator('.profile-row:not(.loading)').count()).toBeGreaterThan(0);
    expect((await focusIn(page, '[role="columnheader"]')).inside).toBe(true);
    await axe.check('Profile table, sorting');
    sort.release();
    await database.table.waitUntilOrdered();
    await waitForText(database.table.total, '50,000 profiles');
    await page.unrouteAll();

    // A field added by keyboard (Enter in its name): "Adding…".
    await database.tab('Fields').click();
    const addField = page.getByRole('region', { name: 'Add a field' }).or(page.locator('section[aria-labelledby="add-field-title"]')).first();
    await addField.getByRole('textbox', { name: 'Field name' }).fill('loyalty_tier');
    await addField.getByRole('textbox', { name: 'Field name' }).focus();
    const add = await submitHeld(page, 'field/add', addField, 'Adding…');
    await axe.check('Database: Fields, adding a field');
    add.release();
    await addField.getByRole('button', { name: 'Add field', exact: true }).waitFor();
    await page.getByRole('tabpanel').getByRole('cell', { name: 'loyalty_tier', exact: true }).first().waitFor();
    await page.unrouteAll();

    // New campaign, by keyboard. The database's details were read by its page: the dialog does
    // not read them again (a pass over every profile that "Create" would wait behind).
    const calls = watchCalls(page);
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.waitUntilShown();
    // Enabled once the segments are read (a campaign takes its audience from one).
    await campaigns.newButton.click({ trial: true });
    await campaigns.newButton.focus();
    await page.keyboard.press('Enter');
    const dialog = new CampaignDialog(page);
    await dialog.dialog.waitFor();
    await page.keyboard.type('Spring sale');
    expect(await dialog.name.inputValue()).toBe('Spring sale');
    await waitForText(dialog.segment, /Everyone/);
    if ((await dialog.segment.inputValue()) === '') await dialog.segment.selectOption({ label: (await dialog.segment.locator('option', { hasText: 'Everyone' }).textContent()) ?? '' });
    await dialog.percent.fill('10');
    await dialog.createButton.focus();
    const create = await submitHeld(page, 'campaign/create', dialog.dialog, 'Creating…');
    // The focus stays in the dialog (on its busy button), and Tab keeps it there.
    expect(await focusIn(page, '[role="dialog"]')).toEqual({ inside: true, text: 'Creating…' });
    await page.keyboard.press('Tab');
    expect((await focusIn(page, '[role="dialog"]')).inside).toBe(true);
    await axe.check('New campaign, creating');
    create.release();
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Spring sale');
    expect(calls.filter((m) => m === 'database/get')).toEqual([]);
    await page.unrouteAll();

    // New activity, by keyboard: "Creating…" too.
    await campaign.tab('Activities').click();
    const newActivity = page.getByRole('toolbar', { name: 'Activities' }).getByRole('button', { name: 'New activity…' });
    await newActivity.click({ trial: true });
    await newActivity.focus();
    await page.keyboard.press('Enter');
    const activity = new ActivityDialog(page);
    await activity.dialog.waitFor();
    await activity.name.fill('Welcome mail');
    await activity.type.selectOption({ label: 'Broadcast' });
    await activity.name.focus();
    const createActivity = await submitHeld(page, 'activity/create', activity.dialog, 'Creating…');
    expect((await focusIn(page, '[role="dialog"]')).inside).toBe(true);
    await axe.check('New activity, creating');
    createActivity.release();
    await activity.dialog.waitFor({ state: 'detached' });
    await campaign.activityRow('Welcome mail').waitFor();
    await page.unrouteAll();

    axe.assertClean();
  });
});
