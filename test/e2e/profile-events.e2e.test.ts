/**
 * End to end at 1366×768 in Chromium against the browser-mode server: events imported
 * through the import wizard's Events target (a file with an unknown profile and a bad time
 * is refused with its report; a good file is imported, the unknown profile reported, not
 * invented), then a profile card with its events newest first and its segments and
 * campaigns with its group. axe-core in light and dark on the new screens; by keyboard.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AxeSweep } from './helpers/axe';
import { engineCall } from './helpers/engine-api';
import { expectDialogFits, LAPTOP } from './helpers/layout';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { DatabasePage } from './pages/database-page';
import { DatabasesPage } from './pages/databases-page';
import { ImportWizard } from './pages/import-wizard';
import { ProjectPage } from './pages/project-page';
import { StartPage } from './pages/start-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();
const CSV = { encoding: 'utf-8', delimiter: ',', hasHeader: true, decimalSeparator: '.', dateOrder: null } as const;

describe('profile events in the app', () => {
  it('imports events through the wizard (refused, then imported) and shows them with the interactions on the profile card', { timeout: 300_000 }, async () => {
    const { page, server, dir } = session();
    await page.setViewportSize(LAPTOP);
    const files = join(dir, 'files');
    mkdirSync(files);
    const head = 'customer_id,event,ordered_at,total,order_id';
    writeFileSync(join(files, 'people.csv'), 'id,name\nC1,Ann\nC2,Bob\nC3,Cy\nC4,Dee\n');
    writeFileSync(join(files, 'bad.csv'), `${head}\nC1,purchase,2026-03-01 10:00,10,o-1\nX9,purchase,2026-03-02 11:00,3,o-2\nC2,open,yesterday,,\n`);
    writeFileSync(
      join(files, 'good.csv'),
      `${head}\nC1,purchase,2026-03-01 10:00,10,o-1\nX9,purchase,2026-03-02 11:00,3,o-2\nC1,open,2026-03-05,,\nC1,click,2026-03-03 08:30,,\nC2,open,2026-03-04,,\n`,
    );
    const axe = new AxeSweep(page);
    const start = new StartPage(page);
    const project = new ProjectPage(page);
    const databases = new DatabasesPage(page);
    const wizard = new ImportWizard(page);

    await page.goto(server.openUrl);
    await start.waitUntilShown();
    await start.newProject();
    await project.waitForProject('Untitled project');
    const imported = await engineCall(server, 'import/run', {
      path: join(files, 'people.csv'),
      target: { newDatabase: 'Shop' },
      csv: CSV,
      mapping: [
        { column: 0, target: { kind: 'profileId' } },
        { column: 1, target: { kind: 'newField', field: { name: 'name', type: 'string' } } },
      ],
      mode: 'add',
      emptyCells: 'keep',
      onBadRows: 'stop',
    });
    const databaseId = imported.database!.id;
    const { segment } = await engineCall(server, 'segment/create', { databaseId, name: 'Everyone', from: { kind: 'all' } });
    const spring = await engineCall(server, 'campaign/create', { name: 'Spring', databaseId, segmentId: segment.id, lcg: { percent: '50', limit: null, strata: [] } });
    await engineCall(server, 'activity/create', { databaseId, campaignId: spring.id, type: 'broadcast', name: 'Newsletter' });
    await engineCall(server, 'campaign/activate', { campaignId: spring.id });
    await engineCall(server, 'campaign/create', { name: 'Autumn', databaseId, segmentId: segment.id });

    // The wizard, Events chosen by keyboard (the arrow key moves along the radio group).
    await project.goToDatabases();
    await databases.waitUntilShown();
    await databases.action('Shop', 'Import CSV…').click();
    await wizard.waitForStep('File');
    await wizard.radio('Profiles: their IDs and fields').focus();
    await page.keyboard.press('ArrowDown');
    await waitForText(wizard.dialog.getByRole('heading', { level: 2 }), 'Import events from a CSV file');
    expect(await wizard.radio("Events: purchases, opens, clicks… of the database's profiles").isChecked()).toBe(true);
    expect(await wizard.targetSelect.locator('option').allTextContents()).toEqual(['Shop (4 profiles)']);
    await axe.check('Import wizard: events, file');

    // The bad file: the columns are guessed from the headers; the import is refused.
    await wizard.chooseFile(files, 'bad.csv');
    await wizard.nextButton.click();
    await wizard.waitForStep('Columns');
    const column = (label: string) => wizard.dialog.getByRole('combobox', { name: label, exact: true });
    expect(await wizard.selectedText(column('Profile ID column'))).toBe('customer_id');
    expect(await wizard.selectedText(column('Column of the event type'))).toBe('event');
    expect(await wizard.selectedText(column('Time column'))).toBe('ordered_at');
    expect(await wizard.selectedText(column('Amount column (optional)'))).toBe('total');
    expect(await wizard.selectedText(column('Note column (optional)'))).toBe('order_id');
    await expectDialogFits(page, wizard.dialog, [wizard.nextButton]);
    await axe.check('Import wizard: events, columns');
    await screenshot(page, 'events-01-columns');
    await wizard.nextButton.click();
    await wizard.waitForStep('Options');
    expect(await wizard.radio('Stop and import nothing').isChecked()).toBe(true);
    const refused = await wizard.run();
    expect(refused).toBe(
      'Nothing was imported: 1 row has a problem (below, with the row, column and value). Fix the file and import it again, or go back to the options and choose to skip bad rows.',
    );
    expect(await wizard.outcome.getAttribute('class')).toContain('callout-error');
    const problems = await wizard.problemRows();
    expect(problems.map((p) => p.slice(0, 3))).toEqual([['4', 'ordered_at', 'yesterday']]);
    expect((await engineCall(server, 'events/list', { databaseId })).total).toBe(0);
    await axe.check('Import wizard: events refused');
    await screenshot(page, 'events-02-refused');

    // Back to the file step, the good file: imported; the unknown profile reported, not added.
    await wizard.dialog.getByRole('button', { name: 'Back to the options', exact: true }).click();
    await wizard.waitForStep('Options');
    for (const step of ['Columns', 'Preview', 'File'] as const) {
      await wizard.backButton.click();
      await wizard.waitForStep(step);
    }
    await wizard.chooseFile(files, 'good.csv');
    await wizard.nextButton.click();
    await wizard.waitForStep('Columns');
    await wizard.nextButton.click();
    await wizard.waitForStep('Options');
    expect(await wizard.run()).toMatch(/^4 events imported into Shop in /);
    const count = async (key: string) => ((await page.getByTestId(`count-${key}`).locator('dd').textContent()) ?? '').trim();
    expect([await count('rows-read'), await count('imported'), await count('unknown'), await count('skipped')]).toEqual(['5', '4', '1', '0']);
    const unknown = wizard.dialog.getByRole('region', { name: '1 row of 1 profile ID not in the database' });
    expect((await unknown.locator('tbody td').allTextContents()).map((t) => t.trim())).toEqual(['3', 'X9']);
    expect((await engineCall(server, 'database/get', { databaseId })).profileCount).toBe(4);
    await expectDialogFits(page, wizard.dialog, [wizard.dialog.getByRole('button', { name: 'Close', exact: true })]);
    await axe.check('Import wizard: events imported');
    await screenshot(page, 'events-03-imported');
    await page.keyboard.press('Escape');
    await wizard.dialog.waitFor({ state: 'detached' });

    // The profile card, opened by keyboard: events newest first, then the interactions.
    await project.goToDatabase('Shop');
    const database = new DatabasePage(page);
    await database.table.waitForFirstRow('C1');
    await database.table.grid.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await waitForText(database.table.card.getByRole('heading'), 'Profile C1');
    const events = database.table.card.getByRole('list', { name: 'Events, newest first' });
    await events.waitFor();
    const items = (await events.locator('li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(items).toEqual(['open5 Mar 2026, 00:00', 'click3 Mar 2026, 08:30', 'purchase1 Mar 2026, 10:0010 · o-1']);

    const engine = await engineCall(server, 'profile/interactions', { databaseId, profileId: 'C1' });
    const place = engine.campaigns.find((c) => c.name === 'Spring')?.group;
    expect(place === 'test' || place === 'lcg').toBe(true);
    const campaigns = database.table.card.getByRole('list', { name: 'Campaigns' });
    expect((await database.table.card.getByRole('list', { name: 'Segments' }).locator('li').allTextContents()).map((t) => t.trim())).toEqual(['Everyone']);
    const rows = (await campaigns.locator('li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^AutumnAudience, not split yetInactive$/);
    expect(rows[1]).toMatch(new RegExp(`^Spring${place === 'lcg' ? 'LCG' : 'Test'}Active · since `));
    await axe.check('Profile card: events and interactions');
    await screenshot(page, 'events-04-profile-card');
    axe.assertClean();
  });
});
