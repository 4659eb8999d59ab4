/**
 * End to end, in Chromium: a long advance of the clock shows its progress in the dialog and
 * can be cancelled there; the project is then as it was (the clock, the campaign's groups),
 * and the dialog says so.
 */
import { describe, expect, it } from 'vitest';
import { engineCall } from './helpers/engine-api';
import { LAPTOP } from './helpers/layout';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { ClockDialog } from './pages/clock-dialog';
import { openDemoProject } from './pages/demo';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

describe('a long advance of the clock in the browser UI', () => {
  it('shows progress and Cancel; cancelled, nothing changed', { timeout: 240_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    await openDemoProject(page, server.openUrl);
    const [customers] = await engineCall(server, 'database/list', {});
    if (!customers) throw new Error('The demo database is missing.');
    // An hourly recalculation of a segment the campaign follows: every step of the advance has work.
    const { segment } = await engineCall(server, 'segment/create', {
      databaseId: customers.id,
      name: 'Hourly',
      type: 'updatable',
      schedule: 'every 1 hour',
      from: { kind: 'condition', where: 'event purchase in last 30 days' },
    });
    const campaign = await engineCall(server, 'campaign/create', { name: 'Busy', databaseId: customers.id, segmentId: segment.id, lcg: { percent: '10', limit: null, strata: [] } });
    await engineCall(server, 'activity/create', { databaseId: customers.id, campaignId: campaign.id, type: 'broadcast', name: 'News' });
    await engineCall(server, 'campaign/activate', { campaignId: campaign.id, confirmed: true });
    const before = await engineCall(server, 'project/state', {});
    const groups = (await engineCall(server, 'campaign/get', { campaignId: campaign.id })).campaign.groups;
    if (!before.open) throw new Error('no project');

    const clock = new ClockDialog(page);
    await clock.open();
    await clock.dialog.getByRole('button', { name: '+1 week', exact: true }).click();
    await clock.step.selectOption({ label: 'Every hour' });
    await clock.waitForPlan();
    await clock.advanceButton.click();
    await clock.cancelAdvanceButton.waitFor();
    await clock.dialog.getByTestId('inline-progress').waitFor();
    await screenshot(page, 'clock-running');
    await clock.cancelAdvanceButton.click();
    await waitForText(clock.cancelled, /^The advance was cancelled: nothing ran, and the clock is still at .*\. The project is as it was before\.$/, 60_000);
    const after = await engineCall(server, 'project/state', {});
    expect(after.open && after.clock).toBe(before.clock);
    expect((await engineCall(server, 'campaign/get', { campaignId: campaign.id })).campaign.groups).toEqual(groups);
    // The form is back, ready for another try.
    expect(await clock.advanceButton.isEnabled()).toBe(true);
  });
});
