/**
 * End to end at 1366×768, in real Chromium: what is meant for the topmost dialog stays
 * with it. A form beneath a dialog never submits on an Enter (the focus having fallen onto
 * it) nor on a submit of its own; a message that comes or goes at the top of a dialog does
 * not move the dialog's controls.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineCall } from './helpers/engine-api';
import { LAPTOP } from './helpers/layout';
import { useBrowserSession } from './helpers/session';
import { openDemoProject } from './pages/demo';
import { ExportDialog } from './pages/export-dialog';
import { FileBrowserDialog } from './pages/file-browser';
import { Notices } from './pages/notices';

const session = useBrowserSession();

describe('keys and messages of stacked dialogs', () => {
  it('a form beneath the file browser does not submit on an Enter aimed at it', { timeout: 180_000 }, async () => {
    const { page, server, dir } = session();
    await page.setViewportSize(LAPTOP);
    const { database } = await openDemoProject(page, server.openUrl);
    const files = join(dir, 'files');
    mkdirSync(files);
    writeFileSync(join(files, 'taken.csv'), 'x\n');

    await database.exportButton.click();
    const exportDialog = new ExportDialog(page);
    await exportDialog.waitUntilShown();
    await exportDialog.chooseButton.click();
    const browser = new FileBrowserDialog(page, 'save-csv');
    await browser.waitUntilShown();
    await browser.goToFolder(files);

    // The focus falls onto the export form beneath (as when a control of the browser goes away), and Enter is pressed.
    const submits = await page.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>('.export-form');
      const field = form?.querySelector<HTMLInputElement>('input[type="text"]');
      if (!form || !field) throw new Error('The export form has no text field.');
      (window as unknown as { submits: number }).submits = 0;
      // Counted in the capture phase at the form: it sees a submit before any handler could stop it.
      form.addEventListener('submit', () => ((window as unknown as { submits: number }).submits += 1), true);
      field.focus();
      return 0;
    });
    expect(submits).toBe(0);
    await page.keyboard.press('Enter');
    // A submit triggered by the form beneath, programmatically, is refused too.
    await page.evaluate(() => document.querySelector<HTMLFormElement>('.export-form')?.requestSubmit());
    expect(await page.evaluate(() => (window as unknown as { submits: number }).submits)).toBe(0);
    await browser.dialog.waitFor();
    expect(await page.getByTestId('export-outcome').count()).toBe(0);
    await browser.cancelButton.click();
    await browser.waitUntilClosed();
  });

  it('a message at the top of a dialog floats over it: when it goes, nothing in the dialog moves', { timeout: 180_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    const { project } = await openDemoProject(page, server.openUrl);
    const notices = new Notices(page);
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo database is missing.');
    const { segment } = await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Everyone', from: { kind: 'all' } });
    await engineCall(server, 'campaign/create', { name: 'Uses it', databaseId: customers.id, segmentId: segment.id });

    // An error that stays until dismissed (a segment in use cannot be deleted), then a dialog.
    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    const row = page.getByRole('table', { name: 'Segments' }).getByRole('row').filter({ has: page.getByRole('button', { name: 'Everyone', exact: true }) });
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await notices.region.locator('.notice').first().waitFor();
    await row.getByRole('button', { name: 'Everyone', exact: true }).click();
    await page.getByRole('main', { name: 'Segment' }).getByRole('button', { name: 'Export CSV…', exact: true }).click();
    const exportDialog = new ExportDialog(page);
    await exportDialog.waitUntilShown();
    const inDialog = exportDialog.dialog.getByRole('region', { name: 'Messages' });
    await inDialog.locator('.notice').first().waitFor();

    const controls = [exportDialog.dialog.getByRole('heading', { level: 2 }), exportDialog.bomCheckbox, exportDialog.chooseButton];
    const boxes = async () => Promise.all(controls.map(async (c) => JSON.stringify(await c.boundingBox())));
    const withMessage = await boxes();
    await inDialog.getByRole('button', { name: /^Dismiss message/ }).click();
    await inDialog.locator('.notice').waitFor({ state: 'detached' });
    expect(await boxes()).toEqual(withMessage);
  });
});
