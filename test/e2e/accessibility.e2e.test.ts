/**
 * End to end: axe-core on every screen of the app, in the light and the dark theme, at a
 * laptop's 1366×768. One walk through the demo project visits each screen and dialog once
 * and checks it in both themes; the test fails on any serious or critical violation, with
 * the list of all of them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePeopleCsv } from '../renderer/helpers/people-csv';
import { AxeSweep } from './helpers/axe';
import { engineCall } from './helpers/engine-api';
import { LAPTOP } from './helpers/layout';
import { useBrowserSession } from './helpers/session';
import { ActivateDialog, ActivityDialog, CampaignPage, type CampaignTabName } from './pages/campaign-page';
import { CampaignDialog, CampaignsPage } from './pages/campaigns-page';
import { ClockDialog } from './pages/clock-dialog';
import { openDemoProject } from './pages/demo';
import { ExportDialog } from './pages/export-dialog';
import { FileBrowserDialog } from './pages/file-browser';
import { ImportWizard } from './pages/import-wizard';
import { clearNotices } from './pages/notices';
import { SegmentDialog, SegmentPage, SegmentsPage } from './pages/segments-page';
import { SimulatorPage } from './pages/simulator-page';
import { StartPage } from './pages/start-page';
import { waitForText, waitForValue } from './pages/wait';

const session = useBrowserSession();

describe('accessibility of every screen (axe-core, light and dark)', () => {
  it('finds no serious or critical violation anywhere', { timeout: 420_000 }, async () => {
    const { page, server, dir } = session();
    await page.setViewportSize(LAPTOP);
    const files = join(dir, 'files');
    mkdirSync(files);
    writePeopleCsv(files);
    const axe = new AxeSweep(page);

    // The start screen, then the demo's database: profiles, a profile card, fields, imports, GCG.
    await page.goto(server.openUrl);
    await new StartPage(page).waitUntilShown();
    await axe.check('Start screen');
    const { project, database } = await openDemoProject(page, server.openUrl);
    await project.navigation.getByRole('button', { name: 'Overview', exact: true }).click();
    await project.nameField.waitFor();
    await axe.check('Project overview');
    await project.goToDatabase('Customers');
    await database.table.waitForFirstRow('0000001');
    await axe.check('Database: Profiles');
    await database.table.row('0000002').click();
    await waitForText(database.table.card.getByRole('heading'), 'Profile 0000002');
    await database.table.card.locator('dl').first().waitFor();
    await axe.check('Profile card');
    await database.tab('Fields').click();
    await page.getByRole('tabpanel').getByRole('table').first().waitFor();
    await axe.check('Database: Fields');
    await database.tab('Imports').click();
    await page.getByRole('tabpanel').waitFor();
    await axe.check('Database: Imports');
    await database.tab('Global control group').click();
    await page.getByRole('textbox', { name: 'Share, %' }).waitFor();
    await axe.check('Database: Global control group');

    // The export dialog with its file browser.
    await database.exportButton.click();
    const exportDialog = new ExportDialog(page);
    await exportDialog.waitUntilShown();
    await axe.check('Export dialog');
    await exportDialog.chooseButton.click();
    const saveBrowser = new FileBrowserDialog(page, 'save-csv');
    await saveBrowser.waitUntilShown();
    await saveBrowser.goToFolder(files);
    await axe.check('File browser (save)');
    await saveBrowser.cancelButton.click();
    await saveBrowser.waitUntilClosed();
    await exportDialog.dialog.getByRole('button', { name: /^(Cancel|Close)$/ }).click();
    await exportDialog.dialog.waitFor({ state: 'detached' });

    // The databases list, and the import wizard step by step into a new database.
    await project.goToDatabases();
    await page.getByRole('main', { name: 'Databases' }).getByRole('table').waitFor();
    await axe.check('Databases list');
    await page.getByRole('button', { name: 'Create from a CSV file…', exact: true }).click();
    const wizard = new ImportWizard(page);
    await wizard.waitForStep('File');
    await axe.check('Import wizard: File');
    await wizard.chooseFileButton.click();
    const openBrowser = new FileBrowserDialog(page, 'open-csv');
    await openBrowser.waitUntilShown();
    await openBrowser.goToFolder(files);
    await axe.check('File browser (open)');
    await openBrowser.entry('people.csv').click();
    await openBrowser.confirmButton.click();
    await openBrowser.waitUntilClosed();
    await wizard.waitForStep('Preview');
    await wizard.previewGrid.waitFor();
    await axe.check('Import wizard: Preview');
    await wizard.nextButton.click();
    await wizard.waitForStep('Columns');
    await axe.check('Import wizard: Columns');
    await wizard.nextButton.click();
    await wizard.waitForStep('Options');
    await wizard.radio('Skip them and import the rest').check();
    await axe.check('Import wizard: Options');
    await wizard.run();
    await wizard.problems.waitFor();
    await axe.check('Import wizard: Result');
    await wizard.viewProfiles();
    await database.waitForDatabase('people');
    await clearNotices(page);

    // Segments: the list, the New segment dialog, a segment's page.
    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    const segments = new SegmentsPage(page);
    await segments.waitUntilShown();
    await axe.check('Segments list (empty)');
    await segments.newButton.click();
    const segmentDialog = new SegmentDialog(page);
    await segmentDialog.waitUntilShown();
    await segmentDialog.database.selectOption({ label: 'Customers (50,000 profiles)' });
    await segmentDialog.name.fill('All customers');
    await segmentDialog.from(/^All profiles of the database/).check();
    await axe.check('New segment dialog');
    await segmentDialog.create();
    const segmentPage = new SegmentPage(page);
    await segmentPage.waitForSegment('All customers');
    await waitForText(segmentPage.total, '50,000 profiles', 30_000);
    await axe.check('Segment page');
    await segmentPage.main.getByRole('button', { name: 'Add or remove profiles…', exact: true }).click();
    await page.keyboard.type('0000001\nZZZ');
    await segmentPage.main.getByRole('button', { name: 'Add to the segment', exact: true }).click();
    await segmentPage.main.getByText('Already members').waitFor();
    await axe.check('Segment page: add or remove profiles');
    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    await segments.row('All customers').waitFor();
    await axe.check('Segments list');

    // Campaigns: the empty list, attributes, the New campaign dialog with two stratification fields.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.waitUntilShown();
    await clearNotices(page);
    await axe.check('Campaigns list (empty)');
    await page.getByRole('button', { name: 'Campaign attributes…', exact: true }).click();
    await axe.check('Campaign attributes');
    await page.getByRole('button', { name: 'Campaign attributes…', exact: true }).click();
    await campaigns.newButton.click();
    const campaignDialog = new CampaignDialog(page);
    await campaignDialog.waitUntilShown();
    await campaignDialog.name.fill('Spring sale');
    await campaignDialog.database.selectOption({ label: 'Customers' });
    await waitForValue(campaignDialog.segment, await campaignDialog.segment.locator('option', { hasText: 'All customers' }).getAttribute('value').then((v) => v ?? ''));
    await campaignDialog.percent.fill('10');
    await campaignDialog.addStratum.selectOption({ label: 'gender' });
    await campaignDialog.addStratum.selectOption({ label: 'city' });
    await waitForText(campaignDialog.preview, /^LCG 5,000 of 50,000/);
    await axe.check('New campaign dialog');
    await campaignDialog.addStratum.selectOption({ label: 'birth_date' });
    await campaignDialog.stratumKind('birth_date').selectOption('intervals');
    await campaignDialog.dialog.getByRole('textbox', { name: 'Name of interval 1' }).fill('Born 2000-2005');
    await axe.check('New campaign dialog: named intervals');
    await campaignDialog.dialog.getByRole('button', { name: 'Remove the stratification by birth_date', exact: true }).click();
    await campaignDialog.create();

    // A campaign's page, tab by tab, with its dialogs.
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Spring sale');
    await campaign.waitForStatus('Inactive');
    await axe.check('Campaign: Overview (inactive)');
    await campaign.tab('Activities').click();
    await page.getByRole('toolbar', { name: 'Activities' }).getByRole('button', { name: 'New activity…' }).click();
    const activityDialog = new ActivityDialog(page);
    await activityDialog.dialog.waitFor();
    await activityDialog.type.selectOption({ label: 'A/B test' });
    await axe.check('Activity dialog');
    await activityDialog.type.selectOption({ label: 'Broadcast' });
    await activityDialog.name.fill('Spring newsletter');
    await activityDialog.createButton.click();
    await activityDialog.dialog.waitFor({ state: 'detached' });
    await campaign.activityRow('Spring newsletter').waitFor();
    await clearNotices(page);
    await campaign.action('Activate now…').click();
    const activate = new ActivateDialog(page, 'now');
    await activate.waitUntilShown();
    await axe.check('Activate dialog');
    await activate.confirm();
    await campaign.waitForStatus('Active');
    await clearNotices(page);

    // A second build (the LCG grows), so the split history has a chart.
    const listed = await engineCall(server, 'campaign/list', {});
    const spring = listed.find((c) => c.name === 'Spring sale');
    if (!spring) throw new Error('The campaign is missing.');
    await engineCall(server, 'campaign/setLcg', { campaignId: spring.id, lcg: { ...spring.lcg, percent: '12' } });

    const tabs: readonly CampaignTabName[] = ['Overview', 'LCG settings', 'Audience', 'Timeline', 'Events', 'Split history'];
    for (const tab of tabs) {
      await campaign.tab(tab).click();
      await settleTab(tab);
      await axe.check(`Campaign: ${tab}`);
    }
    // The Simulate tab: the answers, then with a (small) Monte Carlo run and the balance shown.
    await campaign.tab('Simulate').click();
    const simulator = new SimulatorPage(page);
    await simulator.waitForAnswers();
    await axe.check('Campaign: Simulate');
    await simulator.reps.fill('100');
    await simulator.runMonteCarlo.click();
    await simulator.monteCarloResults.waitFor({ timeout: 120_000 });
    await simulator.checkBalance.click();
    await simulator.balanceTable.waitFor({ timeout: 60_000 });
    await clearNotices(page);
    await axe.check('Campaign: Simulate (Monte Carlo and balance)');
    await campaign.tab('Activities').click();
    await campaign.activityRow('Spring newsletter').getByRole('button', { name: 'Run now', exact: true }).click();
    const run = page.getByTestId('run-row').first();
    await run.waitFor({ timeout: 60_000 });
    await clearNotices(page);
    await axe.check('Campaign: Activities');
    await run.getByRole('button', { name: 'Recipients…', exact: true }).click();
    const recipients = page.getByRole('dialog', { name: /^Recipients of / });
    await recipients.locator('.profile-row:not(.loading)').first().waitFor({ timeout: 30_000 });
    await axe.check('Recipients dialog');
    await recipients.getByRole('button', { name: 'Close', exact: true }).click();
    await recipients.waitFor({ state: 'detached' });

    // The campaign's other dialogs, each opened, checked and closed with Escape.
    const dialogs: readonly (readonly [string, () => Promise<void>])[] = [
      ['Attach existing dialog', () => page.getByRole('toolbar', { name: 'Activities' }).getByRole('button', { name: 'Attach existing…', exact: true }).click()],
      ['Add profiles dialog', () => campaign.action('Add profiles…').click()],
      ['Edit campaign dialog', () => campaign.action('Edit…').click()],
      ['Clone campaign dialog', () => campaign.action('Clone…').click()],
    ];
    for (const [screen, open] of dialogs) {
      await open();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await axe.check(screen);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }

    // The project clock's dialog, and a question (Complete…), answered with Cancel.
    const clock = new ClockDialog(page);
    await clock.open();
    await clock.waitForPlan();
    await axe.check('Advance clock dialog');
    await clock.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await clock.dialog.waitFor({ state: 'detached' });
    await campaign.action('Complete…').click();
    const question = page.getByRole('alertdialog');
    await question.waitFor();
    await axe.check('Confirm dialog');
    await question.getByRole('button', { name: 'Cancel', exact: true }).click();
    await question.waitFor({ state: 'detached' });

    // The campaigns list and the recycle bin with a deleted campaign in it.
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo database is missing.');
    const doomed = await engineCall(server, 'campaign/create', {
      name: 'Old idea',
      databaseId: customers.id,
      segmentId: spring.segmentId,
      lcg: { percent: '5', limit: null, strata: [] },
    });
    await engineCall(server, 'campaign/delete', { campaignId: doomed.id });
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await campaigns.row('Spring sale').waitFor();
    await axe.check('Campaigns list');
    await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: /^Recycle bin/ }).click();
    await page.getByRole('table', { name: 'Deleted campaigns' }).waitFor();
    await axe.check('Recycle bin');
    await project.navigation.getByRole('button', { name: 'Agenda', exact: true }).click();
    await page.getByRole('main', { name: 'Agenda' }).getByRole('heading', { name: 'Agenda', level: 2 }).waitFor();
    await page.getByRole('main', { name: 'Agenda' }).getByText(/^(Nothing is on the agenda|Next on the clock|On events and audience changes)$/).first().waitFor();
    await axe.check('Agenda page');
    await project.navigation.getByRole('button', { name: 'Simulator', exact: true }).click();
    await new SimulatorPage(page).waitForAnswers();
    await axe.check('Simulator page');

    expect(axe.checked().length).toBeGreaterThanOrEqual(30);
    axe.assertClean();

    async function settleTab(tab: CampaignTabName): Promise<void> {
      if (tab === 'Overview') await campaign.groupControl.waitFor();
      if (tab === 'LCG settings') await page.getByRole('textbox', { name: 'Audience limit' }).waitFor();
      if (tab === 'Audience') await page.getByRole('grid', { name: 'Campaign audience' }).locator('.profile-row:not(.loading)').first().waitFor({ timeout: 30_000 });
      if (tab === 'Timeline') await page.getByTestId('timeline-chart').locator('.timeline-dot').first().waitFor({ timeout: 30_000 });
      if (tab === 'Events') await page.getByRole('table', { name: 'Campaign events' }).waitFor();
      if (tab === 'Split history') await page.getByRole('table', { name: 'Split versions' }).waitFor();
    }
  });
});
