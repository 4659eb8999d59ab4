/**
 * End to end, in Chromium: the guide's April example run from the project clock alone (issue
 * 11), driven through the UI. An updatable segment "purchase within the last 7 days", weekly
 * on Mondays at 10:00; a campaign on it with a weekly regular mailing and a purchase-triggered
 * mailing, launched from the Activities tab, then activated. The Advance clock dialog lists
 * the Monday recalculation before it runs; after it, the profile that bought on Sunday 9
 * April is in the campaign, and the weekly mailing reached the Test group only; a week later
 * it has left with "Campaign exit"; its purchase on 20 April brings it back at the next
 * Monday, split again. The Agenda shows what comes next and advances the clock too. The
 * dialog and the Agenda pass axe and fit 1366x768, light and dark. The project comes from
 * helpers/april-project.ts, its clock on Saturday 8 April 2023.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeAprilProject } from './helpers/april-project';
import { AxeSweep } from './helpers/axe';
import { engineCall } from './helpers/engine-api';
import { expectDialogFits, LAPTOP } from './helpers/layout';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { ActivateDialog, ActivityDialog, CampaignPage } from './pages/campaign-page';
import { CampaignDialog, CampaignsPage } from './pages/campaigns-page';
import { ClockDialog } from './pages/clock-dialog';
import { newSegmentWithCondition } from './pages/condition-editor';
import { Notices } from './pages/notices';
import { ProjectPage } from './pages/project-page';
import { SegmentPage } from './pages/segments-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

/** The dialog fits the laptop's screen with its buttons in reach, in the light and the dark theme. */
async function fitsBothThemes(page: Page, dialog: Locator, buttons: readonly Locator[]): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectDialogFits(page, dialog, buttons);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe("the guide's April example on the project clock, in the browser UI", () => {
  it('launched activities and the Monday recalculations run from the Advance clock dialog; the Agenda shows what comes next', { timeout: 300_000 }, async () => {
    const { page, server, dir } = session();
    await page.setViewportSize(LAPTOP);
    const file = await makeAprilProject(dir, 'Guide on the clock', ['p1,purchase,2023-04-20 10:00,25']);
    await engineCall(server, 'project/open', { path: file });
    await page.goto(server.openUrl);
    const project = new ProjectPage(page);
    await project.waitForProject('Guide on the clock');
    const axe = new AxeSweep(page);

    // The segment, weekly on Mondays at 10:00 (the dialog's default weekly choice).
    const { dialog, editor } = await newSegmentWithCondition(page, project, 'Bought this week', 'Updatable');
    await editor.mode('Text').check();
    await editor.textArea.fill('event purchase in last 7 days');
    await waitForText(editor.count, /^3 profiles match/, 30_000);
    await waitForText(page.getByTestId('schedule-words'), 'Every Monday at 10:00, on the project clock.');
    await dialog.create();
    await new SegmentPage(page).waitForSegment('Bought this week');

    // A campaign on it, with a weekly regular mailing and a purchase-triggered mailing.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.waitUntilShown();
    await campaigns.newButton.click();
    const campaignDialog = new CampaignDialog(page);
    await campaignDialog.dialog.waitFor();
    await campaignDialog.name.fill('Spring');
    await campaignDialog.percent.fill('50');
    await campaignDialog.seed.fill('guide');
    await campaignDialog.create();
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Spring');
    await campaign.tab('Activities').click();
    const newActivity = page.getByRole('toolbar', { name: 'Activities' }).getByRole('button', { name: 'New activity…' });
    await newActivity.click();
    await new ActivityDialog(page).create('Weekly mail', 'Regular mailing');
    await newActivity.click();
    await new ActivityDialog(page).create('Thank you', 'Triggered mailing');

    // Launch… each with the timing its type takes, said back in words before it is launched.
    const launch = page.getByRole('dialog', { name: /^Launch "/ });
    const notices = new Notices(page);
    await notices.dismissAll();
    await campaign.activityRow('Weekly mail').getByRole('button', { name: 'Launch…', exact: true }).click();
    await launch.waitFor();
    await waitForText(launch.getByTestId('launch-words'), 'Every Monday at 10:00.');
    await launch.getByRole('radio', { name: 'Type it' }).check();
    await launch.getByRole('textbox', { name: 'Schedule' }).fill('weekly mon,funday 10:00');
    await waitForText(launch.getByTestId('launch-problem'), /^"funday" is not a weekday.*\(at character 12\)$/);
    expect(await launch.getByRole('button', { name: 'Launch', exact: true }).isDisabled()).toBe(true);
    await launch.getByRole('textbox', { name: 'Schedule' }).fill('weekly mon 10:00');
    await waitForText(launch.getByTestId('launch-words'), 'Every Monday at 10:00.');
    await axe.check('Launch dialog: regular mailing');
    await launch.getByRole('button', { name: 'Launch', exact: true }).click();
    await launch.waitFor({ state: 'detached' });
    await waitForText(campaign.activityRow('Weekly mail').getByTestId('activity-timing'), /^Every Monday at 10:00Launched Sat 8 Apr 2023, 09:00Next run Mon 10 Apr 2023, 10:00$/);

    await notices.dismissAll();
    await campaign.activityRow('Thank you').getByRole('button', { name: 'Launch…', exact: true }).click();
    await launch.waitFor();
    // The database's one event type is offered, and taken.
    await waitForText(launch.getByTestId('launch-words'), 'On each purchase event.', 30_000);
    await launch.getByRole('textbox', { name: 'Delay' }).fill('2');
    await waitForText(launch.getByTestId('launch-words'), 'On each purchase event, 2 hours later.');
    await axe.check('Launch dialog: triggered mailing');
    await screenshot(page, 'clock-launch');
    await launch.getByRole('button', { name: 'Launch', exact: true }).click();
    await launch.waitFor({ state: 'detached' });
    await waitForText(campaign.activityRow('Thank you').getByTestId('activity-timing'), /^On each purchase event, 2 hours later/);

    // Activated: p2-p4 are the audience now.
    await campaign.action('Activate now…').click();
    const activate = new ActivateDialog(page, 'now');
    await activate.waitUntilShown();
    await activate.confirm();
    await campaign.waitForStatus('Active');
    const [spring] = await engineCall(server, 'campaign/list', {});
    if (!spring) throw new Error('no campaign');
    const members = async () => {
      const rows = await engineCall(server, 'campaign/members', { campaignId: spring.id, offset: 0, limit: 100 });
      return Object.fromEntries(rows.rows.map((r, i) => [r.profileId, rows.groups[i]]));
    };
    expect(Object.keys(await members()).sort()).toEqual(['p2', 'p3', 'p4']);

    await screenshot(page, 'clock-00-activities');
    // Advance clock…: to Tuesday 11 April, a day at a time. The plan shows Monday's recalculation, then the mailing, before anything runs.
    const clock = new ClockDialog(page);
    await notices.dismissAll();
    await clock.open();
    await clock.to.fill('2023-04-11T00:00');
    await clock.step.selectOption({ label: 'Every day' });
    await waitForText(clock.dialog.getByText(/^The clock stops/), 'The clock stops 3 times, with a report each.');
    const planned = await clock.planRows();
    expect(planned.map(([when, what]) => [when, what])).toEqual([
      ['Mon 10 Apr 2023, 10:00', 'Recalculate "Bought this week"'],
      ['Mon 10 Apr 2023, 10:00', 'Regular mailing "Weekly mail"'],
      ...planned.slice(2).map(([when, what]) => [when, what]),
    ]);
    expect(planned.slice(2).every(([, what]) => /Triggered mailing "Thank you"/.test(what ?? ''))).toBe(true);
    await waitForText(clock.dialog.getByTestId('clock-plan-count'), `${planned.length} things fall due on the way, in time order.`);
    await axe.check('Advance clock dialog: the plan');
    await fitsBothThemes(page, clock.dialog, [clock.advanceButton, clock.dialog.getByRole('button', { name: 'Cancel', exact: true })]);
    await screenshot(page, 'clock-01-plan');
    await clock.advance();
    await waitForText(clock.summary, /^From Sat 8 Apr 2023, 09:00, in 3 steps: .* ran on the way .*; 1 campaign changed\.$/);
    const monday = clock.stepReport(3);
    await waitForText(monday.getByRole('heading'), 'Step 3 of 3: Mon 10 Apr 2023, 09:00 → Tue 11 Apr 2023, 00:00');
    await waitForText(monday.getByTestId('clock-item').first(), /^Mon 10 Apr 2023, 10:00 Recalculate "Bought this week" \(4\) — /);
    const row = await monday.getByTestId('clock-campaigns').locator('tbody tr').first().evaluate((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim()));
    expect(row[0]).toBe('Spring');
    expect(row.slice(3)).toEqual(['1', '0']);
    await axe.check('Advance clock dialog: the report');
    await fitsBothThemes(page, clock.dialog, [clock.closeButton]);
    await screenshot(page, 'clock-02-report');
    await clock.close();
    await waitForText(project.statusClock, /Tue 11 Apr 2023, 00:00$/);

    // p1 joined at Monday's recalculation, split; the mailing ran on its schedule (the page reloaded by itself).
    const afterJoin = await members();
    expect(Object.keys(afterJoin).sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    await campaign.activityRow('Weekly mail').getByRole('button', { name: 'Weekly mail', exact: true }).click();
    const runs = page.getByRole('table', { name: 'Runs of Weekly mail' });
    await waitForText(runs.getByTestId('run-kind'), 'On schedule');
    // It reached the Test group only: as many as are in Test after the recalculation, none of the LCG.
    await waitForText(runs.getByTestId('run-test'), String(Object.values(afterJoin).filter((g) => g === 'test').length));
    await waitForText(runs.getByTestId('run-control'), '0');
    await waitForText(campaign.activityRow('Weekly mail').getByTestId('activity-timing'), /Next run Mon 17 Apr 2023, 10:00$/);
    await campaign.tab('Events').click();
    const eventsTable = page.getByRole('table', { name: 'Campaign events' });
    await waitForText(eventsTable.getByRole('row').filter({ hasText: 'p1' }).first(), /Profile joined/, 30_000);

    // To Tuesday 18 April: every purchase is older than 7 days at Monday's recalculation; p1 leaves with "Campaign exit".
    await clock.open();
    await clock.to.fill('2023-04-18T00:00');
    expect((await clock.planRows()).map(([, what]) => what)[0]).toBe('Recalculate "Bought this week"');
    await clock.advance();
    await waitForText(clock.stepReport(1).getByRole('heading'), 'Tue 11 Apr 2023, 00:00 → Tue 18 Apr 2023, 00:00');
    await clock.close();
    expect(await members()).toEqual({});
    await waitForText(eventsTable.getByRole('row').filter({ hasText: 'p1' }).first(), /Campaign exit/, 30_000);

    // The Agenda: the next recalculation and the mailing by time, the triggered mailing on events, with links.
    await project.navigation.getByRole('button', { name: 'Agenda', exact: true }).click();
    const agenda = page.getByRole('main', { name: 'Agenda' });
    const timed = agenda.getByTestId('agenda-timed');
    await timed.waitFor({ timeout: 30_000 });
    const rows = await timed.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')));
    expect(rows.slice(0, 3)).toEqual([
      ['Mon 24 Apr 2023'],
      ['10:00', 'Recalculate "Bought this week"', '', '', 'Bought this week', expect.stringMatching(/^Every Monday at 10:00/)],
      ['10:00', 'Regular mailing "Weekly mail"', 'Spring', 'Weekly mail', '', expect.any(String)],
    ]);
    await waitForText(agenda.getByTestId('agenda-on-events').locator('tbody tr').first(), /^Triggered mailing "Thank you"/);
    await axe.check('Agenda page');
    await screenshot(page, 'clock-03-agenda');
    // Its button advances the clock: p1's purchase on Thursday 20 April brings it back at the next Monday, split again as a new profile.
    await agenda.getByRole('button', { name: 'Advance clock…', exact: true }).click();
    await clock.dialog.waitFor();
    // A shortcut to the next due time on the agenda.
    await clock.dialog.getByRole('button', { name: 'To the next due time (Mon 24 Apr 2023, 10:00)', exact: true }).click();
    await waitForText(clock.planNote.or(clock.plan), /Recalculate "Bought this week"/, 30_000);
    await clock.to.fill('2023-04-25T00:00');
    expect((await clock.planRows()).map(([when, what]) => `${when} ${what}`).slice(0, 2)).toEqual([
      'Mon 24 Apr 2023, 10:00 Recalculate "Bought this week"',
      'Mon 24 Apr 2023, 10:00 Regular mailing "Weekly mail"',
    ]);
    await clock.advance();
    const back = await clock.report.getByTestId('clock-campaigns').locator('tbody tr').first().evaluate((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim()));
    expect([back[0], back[3], back[4]]).toEqual(['Spring', '1', '0']);
    await clock.close();
    const returned = await members();
    expect(Object.keys(returned)).toEqual(['p1']);
    expect(['test', 'control']).toContain(returned.p1);
    // The agenda moved on with the clock by itself.
    await waitForText(timed.locator('tbody tr').first(), 'Mon 1 May 2023');
    // Its links lead to the activity's campaign.
    await timed.getByRole('button', { name: 'Weekly mail', exact: true }).click();
    await campaign.waitForCampaign('Spring');
    axe.assertClean();
  });
});
