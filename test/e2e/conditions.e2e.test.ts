/**
 * End to end, in Chromium on the demo project: the condition editor builds a three-leaf
 * condition (a field, a date range, "purchase at least 2 times in the last 30 days"), its
 * count matches the engine's own segment/preview of the same text; the text mode points at
 * a mistake and fills the tree when it reads; an updatable segment is created through the
 * dialog with a weekly schedule, and its page shows the condition, the schedule in words,
 * Recalculate now and the History with members and export per recalculation. axe checks
 * the dialog and the page in both themes, and the dialog fits 1366x768.
 */
import { describe, expect, it } from 'vitest';
import { AxeSweep } from './helpers/axe';
import { engineCall } from './helpers/engine-api';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { newSegmentWithCondition, recalculationRow } from './pages/condition-editor';
import { openDemoProject } from './pages/demo';
import { SegmentPage } from './pages/segments-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

/** "2026-11-29T10:15" less `days`, as a date. */
const daysBefore = (clock: string, days: number) => new Date(Date.parse(`${clock.slice(0, 10)}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

describe('the condition editor and the segment types in the browser UI', () => {
  it('builds a three-leaf condition whose count is the engine’s, reads text with located errors, creates an updatable segment and recalculates it', { timeout: 300_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize({ width: 1366, height: 768 });
    const { project } = await openDemoProject(page, server.openUrl);
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('no database');
    const { clock } = await engineCall(server, 'segment/preview', { databaseId: customers.id, where: 'purchases >= 0', limit: 0 });
    const [from, to] = [daysBefore(clock, 365), daysBefore(clock, 0)];
    const axe = new AxeSweep(page);

    const { dialog, editor } = await newSegmentWithCondition(page, project, 'Loyal buyers', 'Dynamic');
    await waitForText(editor.count, /Finish the condition/);

    // Leaf 1: a number field. A leaf just added is not yet a mistake: its missing value is
    // said once the user has been in it and left it empty.
    await editor.addCondition.click();
    expect(await editor.leaf(1).locator('.condition-problem').count()).toBe(0);
    await editor.control(1, 'field').selectOption('purchases');
    await editor.control(1, 'test').selectOption({ label: '≥' });
    await editor.control(1, 'value').focus();
    await editor.addCondition.focus();
    await waitForText(editor.leaf(1).locator('.condition-problem'), /Give a number/);
    await editor.control(1, 'value').fill('2');
    expect(await editor.leaf(1).locator('.condition-problem').count()).toBe(0);
    // Leaf 2: a date range on a date field.
    await editor.addCondition.click();
    await editor.control(2, 'field').selectOption('last_purchase');
    await editor.control(2, 'test').selectOption({ label: 'is between' });
    await editor.control(2, 'from').fill(from);
    await editor.control(2, 'to').fill(to);
    // Leaf 3: events, offered from the database's event types.
    await editor.addCondition.click();
    await editor.control(3, 'kind').selectOption({ label: 'Events' });
    // The types arrive from the engine after the leaf appears: wait for them (a busy machine answers later).
    await expect
      .poll(() => editor.leaf(3).locator('datalist option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['purchase', 'open', 'click']));
    await editor.control(3, 'event type').fill('purchase');
    await editor.control(3, 'at least how many times').fill('2');
    await editor.control(3, 'how many').fill('30');

    const where = `purchases >= 2 and last_purchase between ${from} and ${to} and event purchase count >= 2 in last 30 days`;
    const shown = await editor.waitForCount(where);
    const engine = await engineCall(server, 'segment/preview', { databaseId: customers.id, where, limit: 0 });
    expect(shown).toBe(engine.total);
    expect(engine.total).toBeGreaterThan(0);
    // The engine's count of the same condition given as text, not as a tree, agrees too.
    expect((await engineCall(server, 'segment/preview', { databaseId: customers.id, where: where.replace('purchases >= 2', 'purchases >= 2.0'), limit: 0 })).total).toBe(shown);

    // The dialog fits 1366x768: its buttons stay in view, the tree scrolls inside.
    const box = await dialog.dialog.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 768).toBe(true);
    expect(await dialog.createButton.isVisible()).toBe(true);
    await screenshot(page, 'conditions-01-editor');
    await axe.check('new dynamic segment dialog with a condition');

    // Text mode: the same text; a mistake is pointed at; a fix becomes the tree.
    await editor.mode('Text').check();
    expect(await editor.textArea.inputValue()).toBe(where);
    await editor.textArea.fill('purchases >= 2 and city is');
    await waitForText(editor.syntaxError, /\(line 1, column 27\)/);
    // On a long line, the excerpt is cut around the mistake: the caret is in view, nothing scrolls sideways.
    await editor.textArea.fill(`${'purchases >= 1 and '.repeat(12)}city is`);
    await waitForText(editor.syntaxError, /\(line 1, column 236\)/);
    const excerpt = editor.syntaxError.locator('pre');
    expect(await excerpt.evaluate((pre) => pre.scrollWidth <= pre.clientWidth)).toBe(true);
    expect((await excerpt.textContent())?.split('\n')[1]?.endsWith('^')).toBe(true);
    await editor.textArea.fill('purchases >= 2 and city is');
    await waitForText(editor.syntaxError, /\(line 1, column 27\)/);
    await axe.check('condition text mode with an error');
    // The switch is refused while the text does not read (the radio stays on Text).
    await editor.mode('Build').click();
    await waitForText(dialog.dialog.getByRole('alert').first(), /Fix the text first/);
    await editor.textArea.fill('purchases >= 2 and city in ("Moscow", "Kazan")');
    await editor.mode('Build').check();
    await waitForText(editor.control(2, 'test'), /./);
    expect(await editor.control(2, 'field').inputValue()).toBe('city');
    const cityCount = await editor.waitForCount('purchases >= 2 and city in ("Moscow", "Kazan")');
    expect(cityCount).toBe((await engineCall(server, 'segment/preview', { databaseId: customers.id, where: 'purchases >= 2 and city in ("Moscow", "Kazan")', limit: 0 })).total);

    // A refusal that came while in Text mode is put next to its leaf once the tree is shown.
    await editor.mode('Text').check();
    await editor.textArea.fill('purchases >= 2 and in segment "Nowhere"');
    await waitForText(editor.count, /^Cannot count/);
    await editor.mode('Build').check();
    await waitForText(editor.leaf(2).locator('.condition-problem'), /"Nowhere"/);
    expect(await page.getByTestId('condition-count-error').count()).toBe(0);
    // A test the field does not take stays what the text says in the tree (not the menu's first test), refused next to it.
    await editor.mode('Text').check();
    await editor.textArea.fill('purchases >= 2 and city contains "Mos"');
    await waitForText(editor.count, /^Cannot count/);
    await editor.mode('Build').check();
    await waitForText(editor.control(2, 'test').locator('option:checked'), 'contains (not for this field)');
    await waitForText(editor.leaf(2).locator('.condition-problem'), /"city" is/);

    // Back to the three leaves (remove the city leaf and build the others again through the text).
    await editor.mode('Text').check();
    await editor.textArea.fill(where);
    await editor.mode('Build').check();
    await editor.waitForCount(where);

    // Updatable, weekly on Monday at 10:00, said in words.
    await dialog.dialog.getByRole('radio', { name: /^Updatable/ }).check();
    await dialog.dialog.getByRole('combobox', { name: 'How often' }).selectOption('weekly');
    await waitForText(page.getByTestId('schedule-words'), 'Every Monday at 10:00, on the project clock.');
    await dialog.dialog.getByRole('checkbox', { name: 'Thu', exact: true }).check();
    await waitForText(page.getByTestId('schedule-words'), 'Every Monday and Thursday at 10:00, on the project clock.');
    await dialog.dialog.getByRole('checkbox', { name: 'Thu', exact: true }).uncheck();
    await axe.check('new updatable segment dialog');
    await dialog.create();

    const segmentPage = new SegmentPage(page);
    await segmentPage.waitForSegment('Loyal buyers');
    await waitForText(page.getByTestId('segment-kind'), 'updatable');
    const created = (await engineCall(server, 'segment/list', { databaseId: customers.id })).find((s) => s.name === 'Loyal buyers');
    expect(created).toMatchObject({ kind: 'updatable', where, schedule: 'weekly mon 10:00', size: shown });
    const definition = page.getByTestId('segment-definition');
    expect(await definition.textContent()).toContain(where);
    expect(await definition.textContent()).toContain('Every Monday at 10:00, on the project clock');
    await waitForText(page.getByTestId('segment-next'), /Mon/);

    // Hand edits are refused with the reason.
    const edit = segmentPage.main.getByRole('button', { name: 'Add or remove profiles…', exact: true });
    expect(await edit.getAttribute('aria-disabled')).toBe('true');
    // Still focusable: Enter says why.
    await edit.focus();
    await page.keyboard.press('Enter');
    await waitForText(segmentPage.main.getByRole('alert').first(), /cannot be edited by hand/);

    // Recalculate now: the result, then two rows in the History with members and export.
    await segmentPage.main.getByRole('button', { name: 'Recalculate now', exact: true }).click();
    await waitForText(page.getByTestId('recalc-result'), new RegExp(`^Recalculation 2 on .*: ${shown.toLocaleString('en-US')} profiles?, 0 joined, 0 left\\.$`), 60_000);
    await axe.check('updatable segment page after Recalculate now');
    await segmentPage.main.getByRole('tab', { name: 'History' }).click();
    await recalculationRow(page, 2).waitFor();
    const rows = await page.getByRole('table', { name: 'Recalculations' }).getByRole('row').allTextContents();
    expect(rows.slice(1).map((r) => r.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(new RegExp(`^2.*Recalculate now${shown.toLocaleString('en-US')}00`)),
      expect.stringMatching(new RegExp(`^1.*Created${shown.toLocaleString('en-US')}${shown.toLocaleString('en-US')}0`)),
    ]);
    await recalculationRow(page, 1).getByRole('button', { name: 'Members', exact: true }).click();
    await waitForText(page.getByTestId('profile-total'), new RegExp(`^${shown.toLocaleString('en-US')} profiles?`), 30_000);
    // The member table is virtual: only the rows in view exist, not all of them.
    expect(await page.locator('.profile-row').count()).toBeLessThan(100);
    await axe.check('segment history with the members of a recalculation');
    await recalculationRow(page, 1).getByRole('button', { name: 'Export…', exact: true }).click();
    const exportDialog = page.getByRole('dialog', { name: /Export/ });
    await exportDialog.waitFor();
    expect(await exportDialog.textContent()).toContain('recalculation 1');
    await page.keyboard.press('Escape');
    await exportDialog.waitFor({ state: 'detached' });
    await screenshot(page, 'conditions-02-history');
    axe.assertClean();
  });
});
