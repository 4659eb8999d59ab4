/**
 * End to end: "Open the demo project" on the start screen shows the Customers database
 * with its 50,000 profiles; the table pages as it scrolls and sorts by a header.
 */
import { describe, expect, it } from 'vitest';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { openDemoProject } from './pages/demo';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

describe('the demo project in the browser UI', () => {
  it('opens at its database of 50,000 profiles; the table pages and sorts', { timeout: 120_000 }, async () => {
    const { page, server } = session();
    const { project, database } = await openDemoProject(page, server.openUrl);
    await waitForText(database.counts, /^50,000 profiles · \d+ fields · 0 imports$/);
    // An untouched demo has nothing to lose: it is not "unsaved".
    await project.waitForSaveState('No changes');
    await database.table.waitForFirstRow('0000001');
    await screenshot(page, '10-demo');

    // Scroll to the end: the last rows load.
    await database.table.grid.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await database.table.row('0050000').waitFor({ timeout: 30_000 });
    const ids = await database.table.visibleIds();
    expect(ids.at(-1)).toBe('0050000');
    expect(ids.length).toBeLessThan(100);

    // Keyboard: Home goes back to the top, and Enter opens the card of the current row.
    await database.table.grid.focus();
    await page.keyboard.press('Home');
    await database.table.waitForFirstRow('0000001');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await waitForText(database.table.card.getByRole('heading'), 'Profile 0000002');

    // Sort by revenue: descending on the second click; the order shows in the header.
    await database.table.sortBy('revenue');
    await waitForText(database.table.columnHeader('revenue').locator('.sort-mark'), '▲');
    await database.table.sortBy('revenue');
    await waitForText(database.table.columnHeader('revenue').locator('.sort-mark'), '▼');
    expect(await database.table.columnHeader('revenue').getAttribute('aria-sort')).toBe('descending');
    await database.table.waitUntilOrdered();
    await database.table.grid.locator('.profile-row[aria-rowindex="6"]:not(.loading)').waitFor();
    const headers = (await database.table.grid.getByRole('columnheader').allTextContents()).map((t) => t.replace(/[▲▼]/g, '').trim());
    const column = headers.indexOf('revenue');
    const top: number[] = [];
    for (let row = 2; row <= 6; row += 1) {
      const text = await database.table.grid.locator(`.profile-row[aria-rowindex="${row}"] [role="gridcell"]`).nth(column).textContent();
      top.push(Number((text ?? '').replace(/,/g, '')));
    }
    expect(top.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(top).toEqual([...top].sort((a, b) => b - a));
    await screenshot(page, '11-demo-sorted');

    // Search by a field: a city.
    await database.table.searchIn.selectOption({ label: 'city — choice from a list' });
    await database.table.searchField.fill('Kazan');
    await database.table.waitForTotal(/^[\d,]+ profiles match$/);
  });
});
