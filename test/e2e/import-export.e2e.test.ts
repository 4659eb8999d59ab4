/**
 * End to end, in Chromium against the real browser-mode server: import a CSV file through
 * the wizard (two bad rows skipped), see the counts and the problems, download the error
 * report, browse the profiles, export them, and import the export into a new database:
 * the same profiles come back.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PEOPLE_GOOD_COUNT, writePeopleCsv } from '../renderer/helpers/people-csv';
import { engineCall, profilesByName } from './helpers/engine-api';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { DatabasePage } from './pages/database-page';
import { DatabasesPage } from './pages/databases-page';
import { ExportDialog } from './pages/export-dialog';
import { ImportWizard } from './pages/import-wizard';
import { Notices } from './pages/notices';
import { ProjectPage } from './pages/project-page';
import { StartPage } from './pages/start-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

describe('CSV import, browsing and export in the browser UI', () => {
  it('imports through the wizard, reports bad rows, browses, exports, and re-imports to the same profiles', { timeout: 180_000 }, async () => {
    const { page, server, dir } = session();
    const files = join(dir, 'files');
    mkdirSync(files);
    writePeopleCsv(files);
    const start = new StartPage(page);
    const project = new ProjectPage(page);
    const databases = new DatabasesPage(page);
    const wizard = new ImportWizard(page);
    const database = new DatabasePage(page);

    await page.goto(server.openUrl);
    await start.waitUntilShown();
    await screenshot(page, '01-start');
    await start.newProject();
    await project.waitForProject('Untitled project');

    // Databases -> "Create from a CSV file…" opens the wizard for a new database.
    await project.goToDatabases();
    await databases.waitUntilShown();
    await databases.createFromCsvButton.click();
    await wizard.waitUntilShown();
    await wizard.waitForStep('File');
    await screenshot(page, '02-import-file');
    await wizard.chooseFile(files, 'people.csv');

    // Preview: what was detected, and the first rows as read.
    expect(await wizard.selectedText(wizard.option('Encoding'))).toBe('UTF-8, with BOM (detected)');
    expect(await wizard.selectedText(wizard.option('Delimiter'))).toBe('Semicolon ( ; ) (detected)');
    await waitForText(wizard.previewGrid.locator('tbody tr').first(), /00123\s*Анна\s*34/);
    await screenshot(page, '03-import-preview');
    await wizard.nextButton.click();

    // Columns: the suggestions are right; "abc" made the age look like text, so change its type.
    await wizard.waitForStep('Columns');
    expect(await wizard.columnTarget('customer_id').inputValue()).toBe('profileId');
    expect(await wizard.columnTarget('subscription_status').inputValue()).toBe('subscription');
    expect(await wizard.columnTarget('age').inputValue()).toBe('newField');
    expect(await wizard.newFieldType('age').inputValue()).toBe('string');
    expect(await wizard.newFieldType('vip').inputValue()).toBe('boolean');
    await wizard.newFieldType('age').selectOption('number');
    await screenshot(page, '04-import-columns');
    await wizard.nextButton.click();

    // Options: a new database named after the file; skip bad rows.
    await wizard.waitForStep('Options');
    expect(await wizard.newNameField.inputValue()).toBe('people');
    await wizard.radio('Skip them and import the rest').check();
    await screenshot(page, '05-import-options');
    const outcome = await wizard.run();
    expect(outcome).toMatch(/^Import into people done: 12 rows read/);
    expect(await wizard.count('Added')).toBe(String(PEOPLE_GOOD_COUNT));
    expect(await wizard.count('Skipped')).toBe('2');
    expect(await wizard.count('Updated')).toBe('0');
    const problems = await wizard.problemRows();
    expect(problems.map((p) => p.slice(0, 3))).toEqual([
      ['4', 'age', 'abc'],
      ['10', 'customer_id', '00124'],
    ]);
    await screenshot(page, '06-import-result');

    // The error report downloads as a CSV file with every problem.
    const download = await wizard.downloadReport();
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const report = readFileSync(await download.path(), 'utf8');
    const reportLines = report.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(reportLines).toHaveLength(3);
    expect(reportLines[1]).toMatch(/^4[,;]"?age"?[,;]"?abc"?[,;]/);
    expect(reportLines[2]).toMatch(/^10[,;]"?customer_id"?[,;]"?00124"?[,;]/);

    // Browse: the IDs keep their leading zeros; the card shows every field, typed.
    await wizard.viewProfiles();
    await database.waitForDatabase('people');
    await database.table.waitForTotal('10 profiles');
    await waitForText(database.counts, /^10 profiles · 4 fields · 1 import$/);
    await database.table.row('00123').waitFor();
    expect((await database.table.visibleIds()).slice(0, 3)).toEqual(['00123', '00124', '00126']);
    await database.table.row('00123').click();
    await database.table.card.waitFor();
    await waitForText(database.table.card.getByRole('heading'), 'Profile 00123');
    const facts = await database.table.cardFacts();
    expect(facts).toMatchObject({ 'Profile ID': '00123', Subscription: 'Subscribed', name: 'Анна', age: '34', signup_date: '8 Mar 2024', vip: 'Yes' });
    await screenshot(page, '07-profiles-card');

    // The Fields and Imports tabs: the types the import created, and its record.
    await database.tab('Fields').click();
    const fieldsTable = database.main.getByRole('table').first();
    await waitForText(fieldsTable.getByRole('row').filter({ hasText: /^age/ }), /^age\s*Number/);
    await screenshot(page, '07b-fields');
    await database.tab('Imports').click();
    await waitForText(database.main.getByRole('table').locator('tbody tr').first(), /^people\.csv.*Add new profiles only\s*12\s*10\s*0\s*0\s*2$/);
    await screenshot(page, '07c-imports');
    await database.tab('Profiles').click();
    await database.table.row('00123').waitFor();

    // Sort by age, descending on the second click; search by ID prefix.
    await database.table.sortBy('age');
    await database.table.waitForFirstRow('00130');
    await database.table.sortBy('age');
    await database.table.waitForFirstRow('00132');
    await database.table.searchField.fill('0013');
    await database.table.waitForTotal('4 profiles match');
    await database.table.searchField.fill('');
    await database.table.waitForTotal('10 profiles');

    // Export to CSV through the in-app file browser.
    await database.exportButton.click();
    const exportDialog = new ExportDialog(page);
    await exportDialog.waitUntilShown();
    expect(await exportDialog.bomCheckbox.isChecked()).toBe(true);
    await exportDialog.chooseDestination(files, 'people-export');
    await screenshot(page, '08-export');
    expect(await exportDialog.run()).toMatch(/^Exported 10 profiles \(.+\) to people-export\.csv/);
    await exportDialog.close();
    const exported = readFileSync(join(files, 'people-export.csv'), 'utf8');
    expect(exported.startsWith('\uFEFF')).toBe(true);
    expect(exported).toContain('00123');

    // The export, imported into a new database, gives the same profiles.
    await database.importButton.click();
    await wizard.waitUntilShown();
    await wizard.targetSelect.selectOption({ label: 'A new database…' });
    await wizard.newNameField.fill('people again');
    await wizard.chooseFile(files, 'people-export.csv');
    await wizard.nextButton.click();
    await wizard.waitForStep('Columns');
    expect(await wizard.columnTarget('profile_id').inputValue()).toBe('profileId');
    expect(await wizard.newFieldType('age').inputValue()).toBe('number');
    await wizard.nextButton.click();
    await wizard.waitForStep('Options');
    expect(await wizard.run()).toMatch(/^Import into people again done: 10 rows read/);
    expect(await wizard.count('Added')).toBe('10');
    expect(await wizard.count('Skipped')).toBe('0');
    await wizard.viewProfiles();
    await database.waitForDatabase('people again');
    await database.table.waitForTotal('10 profiles');

    const list = await engineCall(server, 'database/list', {});
    const [first, second] = [list.find((d) => d.name === 'people'), list.find((d) => d.name === 'people again')];
    if (!first || !second) throw new Error(`databases missing: ${JSON.stringify(list)}`);
    const original = await profilesByName(server, first.id);
    expect(Object.keys(original)).toHaveLength(10);
    expect(original['00123']).toEqual({ subscription: 'subscribed', name: 'Анна', age: 34, signup_date: '2024-03-08', vip: true });
    expect(await profilesByName(server, second.id)).toEqual(original);
    expect(await new Notices(page).count()).toBe(0);
  });

  it('a database is created, renamed and deleted, with the counts of what goes', { timeout: 90_000 }, async () => {
    const { page, server } = session();
    const start = new StartPage(page);
    const project = new ProjectPage(page);
    const databases = new DatabasesPage(page);
    await page.goto(server.openUrl);
    await start.waitUntilShown();
    await start.newProject();
    await project.goToDatabases();
    await databases.waitUntilShown();
    await databases.nameField.fill('Leads');
    await databases.createButton.click();
    const database = new DatabasePage(page);
    await database.waitForDatabase('Leads');
    await database.tab('Fields').waitFor();
    expect(await project.navigationEntries()).toEqual(['Overview', 'Databases', 'Leads0', 'Segments', 'Campaigns', 'Agenda', 'Simulator']);

    await project.goToDatabases();
    await databases.nameField.fill('leads');
    await waitForText(page.getByText('A database named "Leads" already exists.'), 'A database named "Leads" already exists.');
    await databases.nameField.fill('');
    await databases.action('Leads', 'Rename').click();
    const renameField = page.getByRole('textbox', { name: 'New name for Leads' });
    await renameField.fill('Prospects');
    await renameField.press('Enter');
    await databases.row('Prospects').waitFor();
    await screenshot(page, '09-databases');

    await databases.action('Prospects', 'Delete').click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete "Prospects"?' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('Deletes no profiles, no fields and no imports.');
    await confirm.getByRole('button', { name: 'Delete database' }).click();
    await waitForText(page.getByRole('main', { name: 'Databases' }).locator('.empty-note'), /^No profile databases yet/);
  });

  it('a CSV file dropped on the window is uploaded and opens in the wizard', { timeout: 90_000 }, async () => {
    const { page, server, dir } = session();
    const start = new StartPage(page);
    const project = new ProjectPage(page);
    const wizard = new ImportWizard(page);
    const bytes = readFileSync(writePeopleCsv(dir, 'dropped people.csv'));
    await page.goto(server.openUrl);
    await start.waitUntilShown();
    await start.newProject();
    await project.waitForProject('Untitled project');

    // What a drop from the file manager looks like to the page.
    await page.evaluate(
      ({ name, data }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], name, { type: 'text/csv' }));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }
      },
      { name: 'dropped people.csv', data: [...bytes] },
    );
    await wizard.waitUntilShown();
    await wizard.waitForStep('Preview');
    expect(await wizard.selectedText(wizard.option('Delimiter'))).toBe('Semicolon ( ; ) (detected)');
    await waitForText(wizard.previewGrid.locator('tbody tr').first(), /00123\s*Анна/);
    await wizard.backButton.click();
    await wizard.waitForStep('File');
    await waitForText(page.getByTestId('import-file-name'), /^dropped people\.csv · 565 bytes$/);
    expect(await wizard.newNameField.inputValue()).toBe('dropped people');
  });
});
