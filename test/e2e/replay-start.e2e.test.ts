/**
 * End to end (issue 11): a plan that starts in the past, to replay it — a new project whose
 * clock starts at a chosen time, and the demo with its clock a year back.
 */
import { describe, it } from 'vitest';
import { AxeSweep } from './helpers/axe';
import { useBrowserSession } from './helpers/session';
import { ProjectPage } from './pages/project-page';
import { StartPage } from './pages/start-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

describe('starting a plan in the past', () => {
  it('a new project starts its clock at the chosen time; the demo can start a year back', { timeout: 120_000 }, async () => {
    const { page, server } = session();
    const start = new StartPage(page);
    const project = new ProjectPage(page);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(server.openUrl);
    await start.waitUntilShown();
    await page.getByRole('button', { name: 'Start in the past…' }).click();
    const field = page.getByLabel('Project clock starts at');
    await field.fill('');
    await waitForText(page.getByTestId('start-clock-hint'), /^Choose a date and time\. /);
    await field.fill('2023-04-03T09:00');
    // Said back as the status bar writes the clock.
    await waitForText(page.getByTestId('start-clock-hint'), /^The clock starts at Mon 3 Apr 2023, 09:00\. /);
    const axe = new AxeSweep(page);
    await axe.check('start in the past');
    axe.assertClean();
    await page.getByRole('button', { name: 'Create the project' }).click();
    await waitForText(project.statusClock, /Mon 3 Apr 2023, 09:00/);

    // Back to the start screen; the demo to replay: its clock a year before today, no event yet.
    // An empty new project has nothing to lose: it closes without a question.
    await project.closeButton.click();
    await start.waitUntilShown();
    await page.getByRole('button', { name: 'Replay a year with the demo' }).click();
    await page.getByRole('heading', { name: 'Customers' }).first().waitFor({ timeout: 60_000 });
    const year = new Date().getFullYear();
    await waitForText(project.statusClock, new RegExp(`${year - 1}, \\d\\d:\\d\\d`));
  });
});
