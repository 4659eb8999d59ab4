/**
 * The app answers at the speed of what changed (issue 14, items 4, 5 and 6): the real UI in
 * browser mode, in Debian's Chromium at 1366x768, on the demo project of 1,000,000 profiles
 * saved to a file. Each figure is the median of 3, from the click to the result on screen:
 * open the project, its first rows, a first sort by the text column (first page shown, and
 * whether the table ever showed no rows meanwhile), a segment of all profiles, a campaign,
 * an activity, renaming an activity / a campaign / a segment, a project setting, the Activate
 * dialog's exact LCG, activating, exporting the LCG, and a segment's members page (in a
 * second tab) while a sort runs. Server memory (RSS of the server process, all threads) with
 * the project open, after three campaigns built, its peak, and after closing the project.
 *   npm run bench -- ui-responsive        (BENCH_PROFILES=100000 for a quick run)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCount } from '../../shared/format';
import { launchChromium } from '../e2e/helpers/browser';
import { startBrowserModeServer } from '../e2e/helpers/server';
import { ActivateDialog, ActivityDialog, CampaignPage } from '../e2e/pages/campaign-page';
import { CampaignDialog, CampaignsPage } from '../e2e/pages/campaigns-page';
import { DatabasePage } from '../e2e/pages/database-page';
import { ExportDialog } from '../e2e/pages/export-dialog';
import { FileBrowserDialog } from '../e2e/pages/file-browser';
import { clearNotices } from '../e2e/pages/notices';
import { ProjectPage } from '../e2e/pages/project-page';
import { SegmentDialog, SegmentPage, SegmentsPage } from '../e2e/pages/segments-page';
import { StartPage } from '../e2e/pages/start-page';
import { LAPTOP } from '../e2e/helpers/layout';
import { BENCH_PROFILES, median } from './bench-engine';
import { report, runBench, type Target } from './report';
import { firstRowId, scrollGrid, serverMemory, timed, waitRowsLoadedBeyond, waitText, watchEmptyTable } from './ui-probe';

const ROOT = process.cwd();
const ROUNDS = 3;
const count = (n: number) => n.toLocaleString('en-US');

const figures = new Map<string, number[]>();
const EMPTY_FRAMES = 'frames the table showed no rows during the sort';
const unitOf = (name: string) => (name === EMPTY_FRAMES ? 'frames' : 'ms');
const record = (name: string, value: number) => {
  figures.set(name, [...(figures.get(name) ?? []), value]);
  console.log(`  ${name}: ${value.toFixed(0)} ${unitOf(name)}`);
};
const medianOf = (name: string) => median(figures.get(name) ?? [NaN]);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cplan-ui-bench-'));
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  // The demo file is made once a day per size (the same seed and day give the same project).
  const made = join(tmpdir(), `cplan-ui-bench-demo-${BENCH_PROFILES}-${new Date().toISOString().slice(0, 10)}.cplan`);
  if (!existsSync(made)) {
    const t = performance.now();
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli/cplan.cjs'), 'demo', `${made}.part.cplan`, '--profiles', String(BENCH_PROFILES), '--force'], { stdio: 'inherit' });
    if (run.status !== 0) throw new Error('cplan demo failed');
    renameSync(`${made}.part.cplan`, made);
    console.log(`demo project of ${formatCount(BENCH_PROFILES)} profiles saved in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  copyFileSync(made, join(home, 'demo.cplan'));

  const server = await startBrowserModeServer(dir, { cwd: ROOT, entry: join(ROOT, 'dist/main/server.cjs') });
  const browser = await launchChromium();
  const memory: Record<string, number> = {};
  try {
    const context = await browser.newContext({ viewport: LAPTOP, locale: 'en-GB' });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
    const start = new StartPage(page);
    const project = new ProjectPage(page);
    const database = new DatabasePage(page);
    await page.goto(server.openUrl);
    await start.waitUntilShown();
    memory.beforeOpen = serverMemory(server.pid).rssMiB;
    const total = `${count(BENCH_PROFILES)} profiles`;

    // Open, first rows, first sort by the text column: a fresh project each round.
    for (let round = 1; round <= ROUNDS; round += 1) {
      console.log(`round ${round}: open, first rows, first sort`);
      await start.openProject();
      const browserDialog = new FileBrowserDialog(page, 'open');
      await browserDialog.waitUntilShown();
      await browserDialog.goToFolder(home);
      await browserDialog.entry('demo.cplan').click();
      record('open the project', await timed(() => browserDialog.confirmButton.click(), () => waitText(project.title, 'Demo project')));
      const databaseButton = project.navigation.getByRole('list', { name: 'Profile databases' }).getByRole('button').first();
      record('first rows', await timed(() => databaseButton.click(), () => firstRowId(database.table.grid).waitFor({ timeout: 120_000 })));
      await database.table.waitForTotal(total, 120_000);
      if (round === 1) memory.open = serverMemory(server.pid).rssMiB;
      const before = (await firstRowId(database.table.grid).textContent())?.trim() ?? '';
      const empty = await watchEmptyTable(page, 'Profiles');
      record(
        'first sort by a text column (email): first page',
        await timed(
          () => database.table.sortBy('email'),
          () => page.waitForFunction((id) => (document.querySelector('[role="grid"][aria-label="Profiles"] .profile-row[aria-rowindex="2"]:not(.loading) .cell-id')?.textContent?.trim() ?? id) !== id, before, { timeout: 120_000, polling: 'raf' }),
        ),
      );
      record(EMPTY_FRAMES, await empty.stop());
      if (round < ROUNDS) {
        await project.closeButton.click();
        await start.waitUntilShown();
      }
    }

    // Segments of all profiles.
    const segments = new SegmentsPage(page);
    const segmentDialog = new SegmentDialog(page);
    const segmentPage = new SegmentPage(page);
    for (let round = 1; round <= ROUNDS; round += 1) {
      await project.navigation.getByRole('button', { name: 'Segments', exact: true }).click();
      await segments.waitUntilShown();
      await segments.newButton.click();
      await segmentDialog.waitUntilShown();
      await segmentDialog.name.fill(`All ${round}`);
      await segmentDialog.from(/^All profiles of the database/).check();
      record(
        'segment of all profiles',
        await timed(() => segmentDialog.createButton.click(), () => waitText(segmentPage.facts, new RegExp(`^${count(BENCH_PROFILES)} profiles`))),
      );
    }

    // A members page (second tab) while a sort runs (first tab).
    const other = await context.newPage();
    await other.goto(server.openUrl);
    await waitText(new ProjectPage(other).title, 'Demo project');
    await new ProjectPage(other).navigation.getByRole('button', { name: 'Segments', exact: true }).click();
    await new SegmentsPage(other).row('All 1').getByRole('button', { name: 'All 1', exact: true }).click();
    const members = other.getByRole('grid').first();
    const membersName = (await members.getAttribute('aria-label')) ?? 'Profiles';
    await firstRowId(members).waitFor({ timeout: 120_000 });
    await databaseAndWait(project, database);
    for (const [round, column] of [[1, 'revenue'], [2, 'birth_date'], [3, 'registered_at']] as const) {
      await database.table.sortBy(column);
      const ms = await timed(
        () => scrollGrid(members, round / 4),
        () => waitRowsLoadedBeyond(other, membersName, Math.floor(BENCH_PROFILES / 8)),
      );
      record('a members page while a sort runs', ms);
      await firstRowId(database.table.grid).waitFor({ timeout: 120_000 });
    }
    await other.close();

    // Three campaigns: create, an activity, renames, a setting, the exact LCG, activate, export.
    const campaigns = new CampaignsPage(page);
    const campaignDialog = new CampaignDialog(page);
    const campaign = new CampaignPage(page);
    for (let round = 1; round <= ROUNDS; round += 1) {
      console.log(`campaign ${round}`);
      await clearNotices(page);
      await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
      await campaigns.waitUntilShown();
      await campaigns.newButton.click();
      await campaignDialog.waitUntilShown();
      await campaignDialog.name.fill(`Bench ${round}`);
      const option = campaignDialog.segment.locator('option', { hasText: `All ${round} (` });
      await campaignDialog.segment.selectOption((await option.getAttribute('value')) ?? '');
      await campaignDialog.percent.fill('10');
      record('create a campaign', await timed(() => campaignDialog.createButton.click(), () => waitText(campaign.title, `Bench ${round}`)));

      await campaign.tab('Activities').click();
      await page.getByRole('toolbar', { name: 'Activities' }).getByRole('button', { name: 'New activity…' }).click();
      const activityDialog = new ActivityDialog(page);
      await activityDialog.dialog.waitFor();
      await activityDialog.name.fill(`Mail ${round}`);
      await activityDialog.type.selectOption({ label: 'Broadcast' });
      record('create an activity', await timed(() => activityDialog.createButton.click(), () => campaign.activityRow(`Mail ${round}`).waitFor({ timeout: 120_000 })));

      await campaign.activityRow(`Mail ${round}`).getByRole('button', { name: 'Edit…', exact: true }).click();
      const edit = page.getByRole('dialog', { name: `Edit "Mail ${round}"` });
      await edit.getByRole('textbox', { name: 'Activity name' }).fill(`Letter ${round}`);
      record('rename an activity', await timed(() => edit.getByRole('button', { name: 'Save', exact: true }).click(), () => campaign.activityRow(`Letter ${round}`).waitFor({ timeout: 120_000 })));

      await campaign.action('Edit…').click();
      const editCampaign = page.getByRole('dialog', { name: `Edit "Bench ${round}"` });
      await editCampaign.getByRole('textbox', { name: 'Campaign name' }).fill(`Sale ${round}`);
      record('rename a campaign', await timed(() => editCampaign.getByRole('button', { name: 'Save', exact: true }).click(), () => waitText(campaign.title, `Sale ${round}`)));

      await clearNotices(page);
      const activate = new ActivateDialog(page, 'now');
      record('the Activate dialog: exact LCG', await timed(() => campaign.action('Activate now…').click(), () => waitText(activate.dialog.getByTestId('activate-lcg'), /profiles, as of now$/)));
      await activate.confirmButton.waitFor();
      record('activate', await timed(() => activate.confirm(), () => campaign.waitForStatus('Active', 300_000)));

      await campaign.tab('Audience').click();
      await page.getByRole('group', { name: 'Group' }).getByRole('button', { name: /^LCG/ }).click();
      await page.getByRole('grid', { name: 'Campaign audience' }).locator('.profile-row:not(.loading)').first().waitFor({ timeout: 120_000 });
      await clearNotices(page);
      await page.getByRole('button', { name: 'Export…', exact: true }).click();
      const exportDialog = new ExportDialog(page);
      await exportDialog.waitUntilShown();
      await exportDialog.chooseDestination(dir, `lcg-${round}`);
      record('export the LCG', await timed(() => exportDialog.exportButton.click(), () => exportDialog.outcome.waitFor({ timeout: 300_000 })));
      await exportDialog.close();

      // A segment's rename and a project setting (its name), each a write of one row.
      await project.navigation.getByRole('button', { name: 'Segments', exact: true }).click();
      await segments.waitUntilShown();
      await segments.row(`All ${round}`).getByRole('button', { name: 'Rename', exact: true }).click();
      const renameField = segments.table.getByRole('textbox', { name: `New name for All ${round}` });
      await renameField.fill(`Everyone ${round}`);
      record('rename a segment', await timed(() => renameField.press('Enter'), () => segments.row(`Everyone ${round}`).waitFor({ timeout: 120_000 })));
      await project.navigation.getByRole('button', { name: 'Overview', exact: true }).click();
      await project.nameField.fill(`Demo project ${round}`);
      record('change a setting (the project name)', await timed(() => project.nameField.press('Enter'), () => waitText(project.title, `Demo project ${round}`)));
      await project.nameField.fill('Demo project');
      await project.nameField.press('Enter');
      await waitText(project.title, 'Demo project');
    }
    memory.threeCampaigns = serverMemory(server.pid).rssMiB;
    memory.peak = serverMemory(server.pid).peakMiB;

    await project.closeButton.click();
    await page.getByRole('button', { name: "Don't save", exact: true }).click();
    await start.waitUntilShown();
    // The engine lets go once idle (a fresh thread): the lowest RSS within 10 s of the start page.
    memory.closed = serverMemory(server.pid).rssMiB;
    for (let i = 0; i < 20; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      memory.closed = Math.min(memory.closed, serverMemory(server.pid).rssMiB);
    }
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  console.log('\nmedians of 3:');
  for (const [name, values] of figures) console.log(`  ${name.padEnd(52)} ${median(values).toFixed(0).padStart(6)} ${unitOf(name)}   (${values.map((v) => v.toFixed(0)).join(', ')})`);
  console.log(`server memory (RSS, MiB): before opening ${memory.beforeOpen?.toFixed(0)}, project open ${memory.open?.toFixed(0)}, three campaigns built ${memory.threeCampaigns?.toFixed(0)}, peak ${memory.peak?.toFixed(0)}, after closing ${memory.closed?.toFixed(0)}`);
  const write = (name: string): Target => ({ name: `${name} (a few rows)`, value: medianOf(name), unit: 'ms', max: 300 });
  report([
    { name: 'open the 1M project', value: medianOf('open the project'), unit: 'ms', max: 2000 },
    { name: 'first sort by a text column: first page', value: medianOf('first sort by a text column (email): first page'), unit: 'ms', max: 500 },
    { name: 'frames the table showed no rows during a first sort', value: Math.max(...(figures.get(EMPTY_FRAMES) ?? [0])), unit: 'frames', max: 0 },
    write('create a campaign'),
    write('create an activity'),
    write('rename an activity'),
    write('rename a campaign'),
    write('rename a segment'),
    write('change a setting (the project name)'),
    { name: 'the Activate dialog: exact LCG', value: medianOf('the Activate dialog: exact LCG'), unit: 'ms', max: 1000 },
    { name: 'a members page while a sort runs', value: medianOf('a members page while a sort runs'), unit: 'ms', max: 300 },
    { name: 'server memory, three campaigns built', value: memory.threeCampaigns ?? NaN, unit: 'MiB', max: 600 },
    { name: 'server memory, peak', value: memory.peak ?? NaN, unit: 'MiB', max: 600 },
    { name: 'server memory kept after closing (over before opening)', value: (memory.closed ?? NaN) - (memory.beforeOpen ?? NaN), unit: 'MiB', max: 100 },
  ]);
}

/** Shows the database page's table and waits for its first rows. */
async function databaseAndWait(project: ProjectPage, database: DatabasePage): Promise<void> {
  await project.navigation.getByRole('list', { name: 'Profile databases' }).getByRole('button').first().click();
  await firstRowId(database.table.grid).waitFor({ timeout: 120_000 });
}

runBench(main);
