/**
 * The import wizard by keyboard, in Chromium against the real browser-mode server: after a
 * file is chosen focus is in the wizard, Escape closes it at every step, every setup step
 * has Cancel, axe-core finds nothing serious in it; and values a list field lacks are shown
 * in the Columns step and added to the list on request, while an import that added nothing
 * is never shown as done.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { engineCall } from './helpers/engine-api';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { DatabasesPage } from './pages/databases-page';
import { FileBrowserDialog } from './pages/file-browser';
import { ImportWizard } from './pages/import-wizard';
import { ProjectPage } from './pages/project-page';
import { StartPage } from './pages/start-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/**
 * axe-core's serious and critical findings in the wizard, and the page-level landmark rules
 * (a dialog's header or footer would be a second banner or contentinfo of the page). Colours
 * are left to the theme's own sweep.
 */
async function axeFindings(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the page's CSP does not restrict.
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    type Axe = { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> };
    const axe = (window as unknown as { axe: Axe }).axe;
    const dialog = document.querySelector('[role="dialog"]');
    const inDialog = await axe.run(dialog, { rules: { 'color-contrast': { enabled: false } } });
    const landmarks = await axe.run(document, {
      runOnly: {
        type: 'rule',
        values: ['landmark-no-duplicate-banner', 'landmark-no-duplicate-contentinfo', 'landmark-banner-is-top-level', 'landmark-contentinfo-is-top-level', 'landmark-unique'],
      },
    });
    return [...inDialog.violations, ...landmarks.violations].map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id.startsWith('landmark-'))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Whether the keyboard's focus is inside the open dialog (not left on the page behind it). */
const focusInDialog = (page: Page) =>
  page.waitForFunction(() => {
    const active = document.activeElement;
    return active !== null && active !== document.body && active.closest('[role="dialog"]') !== null;
  });

describe('the import wizard by keyboard', () => {
  it('keeps focus and Escape in the wizard, has Cancel on every setup step, and shows what a list lacks', { timeout: 180_000 }, async () => {
    const { page, server, dir } = session();
    const files = join(dir, 'files');
    mkdirSync(files);
    // 30 rows whose tiers are all missing from the list.
    writeFileSync(join(files, 'tiers.csv'), `id,tier\n${Array.from({ length: 30 }, (_, i) => `${i + 1},${['platinum', 'bronze'][i % 2]}`).join('\n')}\n`);
    const start = new StartPage(page);
    const project = new ProjectPage(page);
    const databases = new DatabasesPage(page);
    const wizard = new ImportWizard(page);
    const cancel = wizard.dialog.getByRole('button', { name: 'Cancel', exact: true });

    await page.goto(server.openUrl);
    await start.waitUntilShown();
    await start.newProject();
    await project.waitForProject('Untitled project');
    await engineCall(server, 'database/create', { name: 'Customers', fields: [{ name: 'tier', type: 'enum', enumValues: ['gold', 'silver'] }] });
    await project.goToDatabases();
    await databases.waitUntilShown();
    await databases.row('Customers').waitFor();

    // File step: Escape closes the wizard.
    await databases.action('Customers', 'Import CSV…').click();
    await wizard.waitForStep('File');
    await cancel.waitFor();
    await page.keyboard.press('Escape');
    await wizard.dialog.waitFor({ state: 'detached' });

    // After the file is chosen, focus is in the wizard (not on the page), so Escape works.
    await databases.action('Customers', 'Import CSV…').click();
    await wizard.chooseFile(files, 'tiers.csv');
    await focusInDialog(page);
    await cancel.waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'wizard-01-preview');
    await page.keyboard.press('Escape');
    await wizard.dialog.waitFor({ state: 'detached' });

    // Columns: the values the list lacks, with their counts; Cancel and Escape there too.
    await databases.action('Customers', 'Import CSV…').click();
    await wizard.chooseFile(files, 'tiers.csv');
    await wizard.nextButton.click();
    await wizard.waitForStep('Columns');
    await focusInDialog(page);
    const lacking = page.getByTestId('list-values-tier');
    await waitForText(lacking.locator('p'), '2 values are not in the list: "bronze" (15 rows), "platinum" (15 rows). Rows with them are not imported.');
    await cancel.waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'wizard-02-columns');

    // Imported as they are, every row has a problem: nothing is imported, and not shown as done.
    await wizard.nextButton.click();
    await wizard.waitForStep('Options');
    await cancel.waitFor();
    const refused = await wizard.run();
    expect(refused).toBe('Nothing was imported: every row (30) has a problem. Back in Columns, you can add the values a list lacks to it.');
    expect(await wizard.outcome.getAttribute('class')).toContain('callout-error');
    expect(await axeFindings(page)).toEqual([]);
    await screenshot(page, 'wizard-03-nothing-imported');

    // Back in Columns, the values are added to the list by the import.
    await wizard.dialog.getByRole('button', { name: 'Back to the columns', exact: true }).click();
    await wizard.waitForStep('Columns');
    await lacking.getByRole('checkbox', { name: 'Add these values to the list' }).check();
    await waitForText(lacking.locator('p'), /They are added to the list\.$/);
    await wizard.nextButton.click();
    await wizard.waitForStep('Options');
    expect(await wizard.run()).toMatch(/^Import into Customers done: 30 rows read/);
    expect(await wizard.outcome.getAttribute('class')).toContain('callout-success');
    expect(await wizard.count('Added')).toBe('30');
    await waitForText(wizard.dialog.getByText(/^Added to the list of/), 'Added to the list of “tier”: “platinum”, “bronze”.');
    const [customers] = await engineCall(server, 'database/list', {});
    expect((await engineCall(server, 'database/get', { databaseId: customers!.id })).fields[0]!.enumValues).toEqual(['gold', 'silver', 'platinum', 'bronze']);

    // The result step starts on its next step, View profiles; it closes with Escape too.
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'View profiles');
    await page.keyboard.press('Escape');
    await wizard.dialog.waitFor({ state: 'detached' });
  });

  it('leaves the focus where the user typed a folder while the first listing loaded', { timeout: 120_000 }, async () => {
    const { page, server, dir } = session();
    const files = join(dir, 'files');
    mkdirSync(files);
    writeFileSync(join(files, 'tiers.csv'), 'id,tier\n1,gold\n');
    // The start folder has a subfolder, whose button the first listing would focus.
    mkdirSync(join(server.home, 'archive'));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let lists = 0;
    await page.route('**/api/invoke', async (route) => {
      const body = route.request().postDataJSON() as { method?: string } | null;
      if (body?.method === 'files/list' && (lists += 1) === 1) await held;
      await route.continue();
    });
    const start = new StartPage(page);
    const project = new ProjectPage(page);
    const databases = new DatabasesPage(page);
    const wizard = new ImportWizard(page);
    await page.goto(server.openUrl);
    await start.waitUntilShown();
    await start.newProject();
    await project.waitForProject('Untitled project');
    await project.goToDatabases();
    await databases.waitUntilShown();
    await databases.createFromCsvButton.click();
    await wizard.waitForStep('File');
    await wizard.chooseFileButton.click();

    // The user types a folder while the start folder is still loading; it loads before Enter.
    const browser = new FileBrowserDialog(page, 'open-csv');
    await browser.waitUntilShown();
    await browser.folderField.click();
    await page.keyboard.type(files);
    release();
    await browser.dialog.getByRole('group', { name: `Contents of ${server.home}` }).waitFor();
    await page.keyboard.press('Enter');
    await browser.dialog.getByRole('group', { name: `Contents of ${files}` }).waitFor();
    expect(await browser.folderField.inputValue()).toBe(files);
    await browser.cancelButton.click();
    await browser.waitUntilClosed();
  });
});
