/**
 * End to end, in Chromium against the real browser-mode server, on the demo project: a
 * segment of all profiles, a campaign on it with a broadcast and a 10 % LCG stratified by
 * gender, activated; the groups and the strata as the engine has them; a run that reaches
 * Test only; the LCG exported to CSV through the in-app file browser. Then a second
 * campaign scheduled on the project clock, refused in the past, fired by advancing it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlTotal } from '../../shared/split/control-total';
import { engineCall } from './helpers/engine-api';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { ActivateDialog, ActivityDialog, CampaignPage } from './pages/campaign-page';
import { CampaignDialog, CampaignsPage } from './pages/campaigns-page';
import { ClockDialog } from './pages/clock-dialog';
import { openDemoProject } from './pages/demo';
import { ExportDialog } from './pages/export-dialog';
import { clearNotices, Notices } from './pages/notices';
import { SegmentDialog, SegmentPage, SegmentsPage } from './pages/segments-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

/** "2026-11-29T10:15" plus some days, as the project clock writes it. */
function plusDays(clock: string, days: number): string {
  const date = new Date(`${clock}:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 16);
}

describe('campaigns, activities and the LCG split in the browser UI', () => {
  it('a stratified 10 % LCG on the demo: activate, see groups and strata, run, export the LCG; a scheduled start fires with the clock', { timeout: 300_000 }, async () => {
    const { page, server, dir } = session();
    const { project } = await openDemoProject(page, server.openUrl);
    expect(await project.navigationEntries()).toEqual(['Overview', 'Databases', 'Customers50k', 'Segments', 'Campaigns', 'Agenda', 'Simulator']);

    // A segment of all profiles.
    await project.navigation.getByRole('button', { name: 'Segments' }).click();
    const segments = new SegmentsPage(page);
    await segments.waitUntilShown();
    await segments.newButton.click();
    const segmentDialog = new SegmentDialog(page);
    await segmentDialog.waitUntilShown();
    expect(await segmentDialog.database.inputValue()).not.toBe('');
    await segmentDialog.name.fill('All customers');
    await segmentDialog.from(/^All profiles of the database/).check();
    await screenshot(page, '20-segment-dialog');
    await segmentDialog.create();
    const segmentPage = new SegmentPage(page);
    await segmentPage.waitForSegment('All customers');
    await waitForText(segmentPage.total, '50,000 profiles', 30_000);
    await waitForText(segmentPage.facts, /^50,000 profiles · Customers · All profiles/);
    await screenshot(page, '21-segment-page');

    // A campaign on it: 10 % LCG stratified by gender.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.waitUntilShown();
    await clearNotices(page);
    await campaigns.newButton.click();
    const campaignDialog = new CampaignDialog(page);
    await campaignDialog.waitUntilShown();
    await campaignDialog.name.fill('Spring sale');
    expect(await campaignDialog.segment.inputValue()).not.toBe('');
    await campaignDialog.percent.fill('10');
    await waitForText(campaignDialog.preview, /^LCG 5,000 of 50,000 \(10\.00 %\)/);
    await campaignDialog.addStratum.selectOption({ label: 'gender' });
    expect(await campaignDialog.stratumKind('gender').inputValue()).toBe('values');
    await campaignDialog.seed.fill('spring-2026');
    await screenshot(page, '22-campaign-dialog');
    await campaignDialog.create();
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Spring sale');
    await campaign.waitForStatus('Inactive');

    // Activation needs an activity: the button says why, on hover and (it stays clickable) on a click.
    const refused = campaign.action('Activate now…');
    expect(await refused.getAttribute('aria-disabled')).toBe('true');
    expect(await refused.getAttribute('title')).toBe('Add at least one activity before activating the campaign.');
    await refused.click({ force: true });
    await waitForText(campaign.refusal, 'Add at least one activity before activating the campaign.');

    // A broadcast activity.
    await campaign.tab('Activities').click();
    await page.getByRole('toolbar', { name: 'Activities' }).getByRole('button', { name: 'New activity…' }).click();
    await new ActivityDialog(page).create('Spring newsletter', 'Broadcast');
    await campaign.activityRow('Spring newsletter').waitFor();

    // Activate now.
    await clearNotices(page);
    await campaign.action('Activate now…').click();
    const activate = new ActivateDialog(page, 'now');
    await activate.waitUntilShown();
    await screenshot(page, '23-activate-dialog');
    await activate.confirm();
    await campaign.waitForStatus('Active');
    await campaign.tab('Overview').click();
    await campaign.groupControl.waitFor();

    // The groups and the strata, exactly as the engine has them.
    const campaignsNow = await engineCall(server, 'campaign/list', {});
    const spring = campaignsNow.find((c) => c.name === 'Spring sale');
    if (!spring) throw new Error('campaign missing');
    const detail = await engineCall(server, 'campaign/get', { campaignId: spring.id });
    const { groups } = detail.campaign;
    expect(groups.control).toBe(controlTotal(groups.total, { percent: 10 }));
    expect(groups.total).toBe(50_000);
    await waitForText(campaign.groupControl, groups.control.toLocaleString('en-US'));
    await waitForText(campaign.groupTest, groups.test.toLocaleString('en-US'));
    await waitForText(campaign.groupTotal, groups.total.toLocaleString('en-US'));
    const strata = await campaign.strataRows();
    expect(strata).toHaveLength(detail.strata.length);
    expect(detail.strata.length).toBeGreaterThanOrEqual(2);
    for (const s of detail.strata) {
      const row = strata.find((r) => r[0]?.startsWith(s.label));
      expect(row?.slice(1, 4)).toEqual([s.size.toLocaleString('en-US'), s.quota.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }), s.control.toLocaleString('en-US')]);
    }
    await screenshot(page, '24-campaign-overview');

    // Run the activity: Test only.
    await clearNotices(page);
    await campaign.tab('Activities').click();
    await campaign.activityRow('Spring newsletter').getByRole('button', { name: 'Run now', exact: true }).click();
    const run = page.getByTestId('run-row').first();
    await run.waitFor({ timeout: 60_000 });
    await waitForText(run.getByTestId('run-control'), '0');
    // Test only, and subscribed only: the others are counted out by reason.
    const [ran] = (await engineCall(server, 'activity/list', { campaignId: spring.id })).flatMap((a) => a.runs);
    if (!ran?.leftOut) throw new Error('run missing');
    expect(ran.test + ran.leftOut.unsubscribed + ran.leftOut.bounced + ran.leftOut.unconfirmed).toBe(groups.test);
    await waitForText(run.getByTestId('run-test'), ran.test.toLocaleString('en-US'));
    await waitForText(run.getByTestId('run-left-out'), new RegExp(`^${ran.leftOut.lcg.toLocaleString('en-US')} in the LCG, ${ran.leftOut.unsubscribed.toLocaleString('en-US')} unsubscribed`));
    await screenshot(page, '25-activities');

    // The LCG, exported to CSV through the in-app file browser.
    await campaign.tab('Audience').click();
    await page.getByRole('group', { name: 'Group' }).getByRole('button', { name: /^LCG/ }).click();
    await waitForText(page.getByTestId('profile-total'), `${groups.control.toLocaleString('en-US')} profiles`, 30_000);
    await page.getByRole('grid', { name: 'Campaign audience' }).locator('.profile-row:not(.loading)').first().waitFor();
    await screenshot(page, '26-audience');
    await clearNotices(page);
    await page.getByRole('button', { name: 'Export…', exact: true }).click();
    const exportDialog = new ExportDialog(page);
    await exportDialog.waitUntilShown();
    expect(await exportDialog.group.inputValue()).toBe('control');
    await exportDialog.chooseDestination(dir, 'spring-lcg');
    await screenshot(page, '27-export-lcg');
    expect(await exportDialog.run()).toMatch(new RegExp(`^Exported ${groups.control.toLocaleString('en-US')} profiles .* to spring-lcg\\.csv`));
    // The export names the split it comes from: the campaign's fingerprint, whichever group was written.
    const { fingerprint } = await engineCall(server, 'warehouse/fingerprint', { campaignId: spring.id });
    expect(await page.getByTestId('export-fingerprint').textContent()).toContain(`Split fingerprint ${fingerprint}`);
    await exportDialog.close();
    const lines = readFileSync(join(dir, 'spring-lcg.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r\n/);
    const header = (lines[0] ?? '').split(',');
    expect(header.slice(0, 3)).toEqual(['profile_id', 'subscription_status', 'group']);
    expect(lines).toHaveLength(groups.control + 1);
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'control')).toBe(true);

    await campaign.tab('Split history').click();
    await page.getByRole('table', { name: 'Split versions' }).waitFor();
    await screenshot(page, '28-history');
    await campaign.tab('Events').click();
    await page.getByRole('table', { name: 'Campaign events' }).waitFor();
    await screenshot(page, '29-events');

    // A second campaign, scheduled on the project clock: the past is refused, the future waits.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await campaigns.waitUntilShown();
    await clearNotices(page);
    await campaigns.newButton.click();
    await campaignDialog.waitUntilShown();
    await campaignDialog.name.fill('Autumn promo');
    await campaignDialog.percent.fill('5');
    await campaignDialog.create();
    await campaign.waitForCampaign('Autumn promo');
    await campaign.tab('Activities').click();
    await page.getByRole('toolbar', { name: 'Activities' }).getByRole('button', { name: 'New activity…' }).click();
    await new ActivityDialog(page).create('Autumn banner', 'Placement');
    await campaign.activityRow('Autumn banner').waitFor();
    const state = await engineCall(server, 'project/state', {});
    if (!state.open) throw new Error('no project');
    await clearNotices(page);
    await campaign.action('Schedule…').click();
    const schedule = new ActivateDialog(page, 'later');
    await schedule.waitUntilShown();
    await schedule.at.fill(plusDays(state.clock, -1));
    await waitForText(schedule.problem, /^That moment has passed on the project clock/);
    expect(await schedule.confirmButton.isDisabled()).toBe(true);
    const startAt = plusDays(state.clock, 2);
    await schedule.at.fill(startAt);
    await schedule.problem.waitFor({ state: 'detached' });
    await schedule.confirm();
    await campaign.waitForStatus('Waiting');

    const clock = new ClockDialog(page);
    await clearNotices(page);
    await clock.open();
    await clock.to.fill(plusDays(state.clock, 3));
    expect((await clock.planRows()).map(([, what]) => what)).toEqual(['Activate "Autumn promo"']);
    await screenshot(page, '30-advance-clock');
    await clock.advance();
    await waitForText(clock.stepReport(1).getByTestId('clock-item'), /^.* Activate "Autumn promo" \([\d,]+\) — Activated: [\d,]+ test, [\d,]+ LCG\.$/);
    await screenshot(page, '31-clock-fired');
    await clock.close();
    await campaign.waitForStatus('Active');
    await waitForText(project.statusClock, /^Project clock /);
    const after = await engineCall(server, 'project/state', {});
    expect(after.open && after.clock).toBe(plusDays(state.clock, 3));

    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    await campaigns.row('Autumn promo').waitFor();
    await screenshot(page, '32-campaigns');
    expect(await new Notices(page).count()).toBe(0);
  });

  it("an LCG change of an active campaign: the engine's consequences, a stratification warning and its fix, confirmation; the GCG of the database", { timeout: 240_000 }, async () => {
    const { page, server } = session();
    const { project, database } = await openDemoProject(page, server.openUrl);

    // Set up through the engine: a campaign stratified by city, active.
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('no database');
    const detail = await engineCall(server, 'database/get', { databaseId: customers.id });
    const city = detail.fields.find((f) => f.name === 'city');
    if (!city) throw new Error('no city field');
    const { segment } = await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Everyone', from: { kind: 'all' } });
    const created = await engineCall(server, 'campaign/create', {
      name: 'City test',
      databaseId: customers.id,
      segmentId: segment.id,
      lcg: { percent: '10', limit: null, strata: [{ kind: 'values', fieldId: city.id }] },
      seed: 'cities',
    });
    await engineCall(server, 'activity/create', { databaseId: customers.id, campaignId: created.id, type: 'regular_mailing', name: 'Weekly' });
    await engineCall(server, 'campaign/activate', { campaignId: created.id });

    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.waitUntilShown();
    await campaigns.row('City test').getByRole('button', { name: 'City test', exact: true }).click();
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('City test');
    await campaign.waitForStatus('Active');
    await campaign.tab('LCG settings').click();

    // A limit of 40 leaves the small cities below one expected LCG profile.
    const limit = page.getByRole('textbox', { name: 'Audience limit' });
    await limit.fill('40');
    const preview = page.getByTestId('lcg-change-preview');
    await preview.waitFor({ timeout: 30_000 });
    const warning = preview.getByTestId('stratification-warning');
    await waitForText(warning.locator('.strat-warning-title'), /^Stratification violation: \d+ strata expect less than one LCG profile$/);
    expect(await warning.textContent()).toContain('city = Tyumen');
    await screenshot(page, '33-lcg-preview');
    const suggestion = await engineCall(server, 'campaign/previewLcg', {
      campaignId: created.id,
      lcg: { percent: '10', limit: 40, strata: [{ kind: 'values', fieldId: city.id }] },
    });
    const suggested = suggestion.warning?.suggestedLimit ?? 0;
    expect(suggested).toBeGreaterThan(40);
    await warning.getByRole('button', { name: `Use a limit of ${suggested.toLocaleString('en-US')}` }).click();
    await waitForText(preview.locator('.cell-strong').first(), /^The LCG size changes/);
    expect(await limit.inputValue()).toBe(String(suggested));
    await preview.getByTestId('stratification-warning').waitFor({ state: 'detached' });

    // Apply: the consequences again, and a question.
    await page.getByRole('button', { name: 'Apply…', exact: true }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Change the LCG of "City test"?' });
    await confirm.waitFor();
    expect((await confirm.locator('.confirm-details li').allTextContents()).length).toBeGreaterThan(0);
    await screenshot(page, '34-lcg-confirm');
    await confirm.getByRole('button', { name: 'Apply the change', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await waitForText(page.getByRole('region', { name: 'Messages' }).locator('.notice-title').last(), 'LCG changed', 60_000);
    const after = await engineCall(server, 'campaign/get', { campaignId: created.id });
    expect(after.campaign.lcg.limit).toBe(suggested);
    expect(after.versions.map((v) => v.reason)).toEqual(expect.arrayContaining(['activation', 'lcg_change']));
    await campaign.tab('Split history').click();
    await page.getByRole('table', { name: 'Split versions' }).getByRole('button', { name: '#2', exact: true }).click();
    await page.getByRole('table', { name: 'Strata of version 2' }).waitFor();
    await screenshot(page, '35-history-expanded');

    // The database's global control group: 2.5 % of 50,000.
    await clearNotices(page);
    await project.goToDatabase('Customers');
    await database.tab('Global control group').click();
    await page.getByRole('textbox', { name: 'Share, %' }).fill('2.5');
    await page.getByRole('textbox', { name: 'Seed' }).fill('global-2026');
    await page.getByRole('button', { name: 'Form the group', exact: true }).click();
    // The active campaigns that hold it out lose its members: asked first.
    const formConfirm = page.getByRole('alertdialog', { name: 'Form the global control group?' });
    await formConfirm.getByRole('button', { name: 'Form the GCG', exact: true }).click();
    await formConfirm.waitFor({ state: 'detached' });
    await waitForText(page.getByTestId('gcg-facts').locator('dd').first(), /^1,250 of 50,000 profiles \(2\.5\s%\)$/, 60_000);
    await waitForText(page.getByRole('grid', { name: 'Global control group members' }).locator('.profile-row:not(.loading) .cell-id').first(), /^\d+$/, 30_000);
    await screenshot(page, '36-gcg');

    await project.navigation.getByRole('button', { name: /^Segments/ }).click();
    const segments = new SegmentsPage(page);
    await segments.waitUntilShown();
    await waitForText(segments.row('Everyone').getByRole('cell').nth(4), '1 campaign');
    await screenshot(page, '37-segments');
    expect(await new Notices(page).count()).toBe(0);
  });
});
