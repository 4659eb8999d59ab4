/**
 * End to end: the LCG simulator in Chromium on the demo project. A campaign's Simulate tab
 * shows the closed form's answers for the campaign's own split; changing the LCG share
 * changes the MDE and the sentence at once, exactly as the engine's scan and the shared
 * closed form say (both computed here, in the test, and compared with the screen); a small
 * Monte Carlo run shows its A/A figures; a saved simulation is listed with its summary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimSettings, SimSource } from '../../shared/contract/index';
import { formatChange, formatCount } from '../../shared/format';
import { planSimulation } from '../../shared/simulate/plan';
import { engineCall } from './helpers/engine-api';
import { LAPTOP } from './helpers/layout';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { CampaignPage } from './pages/campaign-page';
import { CampaignsPage } from './pages/campaigns-page';
import { openDemoProject } from './pages/demo';
import { clearNotices } from './pages/notices';
import { SimulatorPage } from './pages/simulator-page';
import { waitForText } from './pages/wait';

const session = useBrowserSession();

/** The demo project at laptop size, with a segment of all its customers. */
async function demoWithSegment() {
  const { page, server } = session();
  await page.setViewportSize(LAPTOP);
  const { project } = await openDemoProject(page, server.openUrl);
  const [customers] = await engineCall(server, 'database/list', {});
  if (!customers) throw new Error('The demo database is missing.');
  const { segment } = await engineCall(server, 'segment/create', { databaseId: customers.id, name: 'Everyone', from: { kind: 'all' } });
  return { project, customers, segment };
}

describe('the LCG simulator', () => {
  it('answers for the campaign’s split, follows the LCG share as the engine says, runs a Monte Carlo and saves the simulation', { timeout: 240_000 }, async () => {
    const { page, server } = session();
    const { project, customers, segment } = await demoWithSegment();
    // A GCG of 5 %: the campaign's audience is what it leaves, and the simulator says what it takes.
    await engineCall(server, 'gcg/set', { databaseId: customers.id, percent: '5', seed: 'gcg' });
    const spring = await engineCall(server, 'campaign/create', { name: 'Spring sale', databaseId: customers.id, segmentId: segment.id, lcg: { percent: '10', limit: null, strata: [] } });

    // Demo project → the campaign → Simulate.
    await project.navigation.getByRole('button', { name: /^Campaigns/ }).click();
    const campaigns = new CampaignsPage(page);
    await campaigns.row('Spring sale').getByRole('button', { name: 'Spring sale', exact: true }).click();
    const campaign = new CampaignPage(page);
    await campaign.waitForCampaign('Spring sale');
    await campaign.main.getByRole('tab', { name: /^Simulate/ }).click();
    const sim = new SimulatorPage(page);
    await sim.waitForAnswers();
    expect(await sim.share.inputValue()).toBe('10');
    expect(await sim.seed.inputValue()).toBe(spring.seed);
    expect(await sim.metricField.inputValue()).toBe('purchases');

    // The engine's figures for the same source, and the shared closed form on them.
    const source: SimSource = { audience: { kind: 'campaign', campaignId: spring.id }, metric: { field: 'purchases', threshold: 0 }, strata: [] };
    const scan = await engineCall(server, 'simulate/scan', source);
    const settings: SimSettings = { alpha: 0.05, power: 0.8, sided: 'two-sided', percent: '10', limit: null, seed: spring.seed, effect: null, targetMde: null };
    const at10 = planSimulation(scan, settings);
    if (!at10.mde?.relative) throw new Error('The demo audience should give a relative MDE at 10 %.');
    await waitForText(sim.sentence, at10.sentence);
    expect(await sim.text(sim.control)).toBe(formatCount(at10.sizes.control));
    expect(await sim.text(sim.test)).toBe(formatCount(at10.sizes.test));
    expect(await sim.text(sim.mde)).toBe(formatChange(at10.mde.relative));
    expect(at10.gcg?.removed).toBeGreaterThan(0);
    expect(await sim.text(sim.results.getByTestId('sim-gcg'))).toBe(`${formatCount(at10.gcg?.removed ?? 0)} removed`);
    // The answers scroll in their own column; the window itself never does.
    expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
    await screenshot(page, '80-simulate-tab');

    // A larger LCG: the MDE and the sentence change at once, to the closed form's figures.
    await sim.share.fill('20');
    const at20 = planSimulation(scan, { ...settings, percent: '20' });
    if (!at20.mde?.relative) throw new Error('The demo audience should give a relative MDE at 20 %.');
    await waitForText(sim.sentence, at20.sentence);
    expect(at20.sentence).not.toBe(at10.sentence);
    expect(await sim.text(sim.mde)).toBe(formatChange(at20.mde.relative));
    expect(at20.mde.relative).toBeLessThan(at10.mde.relative);
    expect(await sim.text(sim.control)).toBe(formatCount(at20.sizes.control));

    // A true effect and a target: the power and the LCG needed, as the closed form says.
    await sim.effect.fill('10');
    await sim.target.fill('5');
    const typed = planSimulation(scan, { ...settings, percent: '20', effect: 0.1, targetMde: 0.05 });
    await waitForText(sim.sentence, typed.sentence);
    await sim.scrollTo(sim.results.getByTestId('sim-mde-chart'));
    await screenshot(page, '81-simulate-settings');

    // Each chart downloads as SVG and PNG, each table as CSV, from the page itself.
    const { dir } = session();
    const download = async (name: string): Promise<{ fileName: string; bytes: Buffer }> => {
      const [file] = await Promise.all([page.waitForEvent('download'), sim.results.getByRole('button', { name, exact: true }).click()]);
      const path = join(dir, file.suggestedFilename());
      await file.saveAs(path);
      return { fileName: file.suggestedFilename(), bytes: readFileSync(path) };
    };
    const svg = await download('Download Relative MDE by LCG share as SVG');
    expect(svg.fileName).toBe('simulation-mde-by-share.svg');
    expect(svg.bytes.toString('utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const png = await download('Download Power by true effect as PNG');
    expect(png.fileName).toBe('simulation-power-by-effect.png');
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const csv = await download('Download Strata of the simulation as CSV');
    expect(csv.bytes.toString('utf8').split(/\r?\n/)[0]).toBe('Stratum,Size,LCG,Test,Rate,MDE in the stratum,"MDE, relative"');

    // A bad α says why and shows no figure computed from it (never NaN or Infinity).
    await sim.alpha.fill('0.7');
    await waitForText(sim.results.getByTestId('sim-settings-problem'), /α must be at most 0\.5\./);
    expect(await sim.results.textContent()).not.toMatch(/NaN|Infinity/);
    await sim.scrollTo(sim.results.getByTestId('sim-settings-problem'));
    await screenshot(page, '81b-simulate-bad-alpha');
    await sim.alpha.fill('0.05');
    await waitForText(sim.sentence, typed.sentence);

    // A long Monte Carlo run shows its progress and stops on Cancel.
    await sim.reps.fill('100000');
    await sim.runMonteCarlo.click();
    const cancel = sim.results.getByRole('button', { name: 'Cancel: the Monte Carlo run', exact: true });
    await cancel.waitFor();
    await sim.scrollTo(sim.results.getByTestId('sim-monte-carlo'));
    await screenshot(page, '82a-simulate-monte-carlo-running');
    await cancel.click();
    await waitForText(sim.results.getByTestId('sim-monte-carlo').getByRole('status'), 'Cancelled before the replicates were done.', 60_000);

    // A small Monte Carlo run: the A/A false-positive rate with its interval, the empirical power, two histograms.
    await sim.reps.fill('200');
    await sim.runMonteCarlo.click();
    await sim.monteCarloResults.waitFor({ timeout: 120_000 });
    await waitForText(sim.falsePositive, /^\d+(\.\d)? %$/);
    await sim.results.getByTestId('sim-mc-power').waitFor();
    await sim.results.getByTestId('sim-aa-histogram').waitFor();
    await sim.results.getByTestId('sim-effect-histogram').waitFor();
    expect(await sim.results.getByTestId('sim-mc-results').textContent()).toMatch(/200 · 95 % interval/);
    await sim.scrollTo(sim.results.getByTestId('sim-monte-carlo'));
    await screenshot(page, '82-simulate-monte-carlo');

    // The balance of this seed's split.
    await sim.checkBalance.click();
    await sim.balanceTable.waitFor({ timeout: 60_000 });
    expect(await sim.balanceTable.getByRole('row').count()).toBeGreaterThan(2);
    await sim.scrollTo(sim.results.getByTestId('sim-balance'));
    await screenshot(page, '83-simulate-balance');

    // Saved with the campaign: listed with the project clock and its summary.
    await clearNotices(page);
    await sim.saveName.fill('LCG 20 % for spring');
    await sim.saveButton.click();
    const row = sim.savedTable.getByRole('row').filter({ hasText: 'LCG 20 % for spring' });
    await row.waitFor();
    const listed = await engineCall(server, 'simulate/list', { campaignId: spring.id });
    expect(listed.map((s) => s.name)).toEqual(['LCG 20 % for spring']);
    expect(await row.textContent()).toContain(listed[0]?.summary ?? '?');
    const saved = await engineCall(server, 'simulate/get', { id: listed[0]?.id ?? 0 });
    expect(saved.body.settings).toMatchObject({ percent: '20', effect: 0.1, targetMde: 0.05, seed: spring.seed });
    expect(saved.body.monteCarlo?.reps).toBe(200);
    expect(saved.body.balance).not.toBeNull();
    await sim.scrollTo(sim.results.getByTestId('sim-saved'));
    await screenshot(page, '84-simulate-saved');

    // Opening it again after a change brings back what was decided.
    await sim.share.fill('5');
    await waitForText(sim.sentence, planSimulation(scan, { ...settings, percent: '5', effect: 0.1, targetMde: 0.05 }).sentence);
    await row.getByRole('button', { name: 'Open LCG 20 % for spring', exact: true }).click();
    await waitForText(sim.sentence, typed.sentence);
    expect(await sim.share.inputValue()).toBe('20');
    await sim.results.getByTestId('sim-opened').waitFor();
  });

  it('the Simulator page simulates a segment picked there', { timeout: 120_000 }, async () => {
    const { page, server } = session();
    const { project, segment } = await demoWithSegment();
    await project.navigation.getByRole('button', { name: 'Simulator', exact: true }).click();
    const sim = new SimulatorPage(page);
    await sim.audience.waitFor();
    await screenshot(page, '85-simulator-empty');
    await sim.audience.selectOption({ label: 'Everyone (50,000)' });
    await sim.waitForAnswers();
    const scan = await engineCall(server, 'simulate/scan', { audience: { kind: 'segment', segmentId: segment.id }, metric: { field: 'purchases', threshold: 0 }, strata: [] });
    const plan = planSimulation(scan, { alpha: 0.05, power: 0.8, sided: 'two-sided', percent: '10', limit: null, seed: 'simulation', effect: null, targetMde: null });
    await waitForText(sim.sentence, plan.sentence);
    expect(await sim.text(sim.control)).toBe(formatCount(plan.sizes.control));
    await screenshot(page, '86-simulator-segment');
  });

  it('works by keyboard alone: Tab to the controls, a new LCG share typed, the Monte Carlo run with Enter, the balance checked', { timeout: 180_000 }, async () => {
    const { page, server } = session();
    const { segment } = await demoWithSegment();
    const sim = new SimulatorPage(page);
    // From the top of the window to the Simulator of the navigation, every stop showing its focus.
    await page.locator('body').focus();
    await sim.tabTo('Simulator');
    await page.keyboard.press('Enter');
    await sim.audience.waitFor();
    // The project's segments and campaigns are listed once loaded; an arrow key before that has nothing to move to.
    await sim.audience.locator(`option[value="segment:${segment.id}"]`).waitFor({ state: 'attached' });
    await sim.tabTo('Audience');
    await page.keyboard.press('ArrowDown');
    await sim.waitForAnswers();
    expect(await sim.audience.inputValue()).toBe(`segment:${segment.id}`);
    const scan = await engineCall(server, 'simulate/scan', { audience: { kind: 'segment', segmentId: segment.id }, metric: { field: 'purchases', threshold: 0 }, strata: [] });
    const settings: SimSettings = { alpha: 0.05, power: 0.8, sided: 'two-sided', percent: '10', limit: null, seed: 'simulation', effect: null, targetMde: null };
    await waitForText(sim.sentence, planSimulation(scan, settings).sentence);

    // The settings column in order, to the LCG share; a new share typed changes the answer at once.
    // The metric first, then the LCG to try (the question asked), before the test's finer settings.
    const before = await sim.tabTo('LCG share, %');
    expect(before.some((name) => name.startsWith('Field'))).toBe(true);
    expect(before).not.toContain('α');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('20');
    await waitForText(sim.sentence, planSimulation(scan, { ...settings, percent: '20' }).sentence);

    // On to the answers' column and its Replicates: a number typed and Enter runs the Monte Carlo.
    await sim.tabTo('Replicates');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('200');
    await page.keyboard.press('Enter');
    await sim.monteCarloResults.waitFor({ timeout: 120_000 });
    await waitForText(sim.falsePositive, /^\d+(\.\d)? %$/);
    await sim.scrollTo(sim.results.getByTestId('sim-monte-carlo'));
    await screenshot(page, '87-simulator-keyboard');

    // Shift+Tab goes back (no trap), Tab on reaches the balance, and Enter presses it.
    await sim.tabTo('LCG share, %', { back: true });
    await sim.tabTo('Check the balance', { max: 80 });
    await page.keyboard.press('Enter');
    await sim.balanceTable.waitFor({ timeout: 60_000 });
  });

  it('says plainly what it cannot compute: strata too small, a metric that does not vary, the A/A interval as shown', { timeout: 180_000 }, async () => {
    const { page } = session();
    await demoWithSegment();
    const sim = new SimulatorPage(page);
    await page.getByRole('navigation').getByRole('button', { name: 'Simulator', exact: true }).click();
    await sim.audience.selectOption({ label: 'Everyone (50,000)' });
    await sim.waitForAnswers();

    // Stratified by city with a tiny LCG: most cities get one LCG profile; the list reads as a sentence.
    await sim.inputs.getByRole('combobox', { name: 'Add a stratification field' }).selectOption({ label: 'city' });
    await sim.share.fill('0.1');
    const unanalysable = sim.results.getByTestId('sim-unanalysable');
    await waitForText(unanalysable, /^\d+ strata are too small to analyse on their own: city = [^.]+, city = [^.]+ and \d+ more\.$/, 60_000);
    // The settings column is as wide as it shows: the stratification does not push the LCG fields out of it.
    const overflow = await sim.inputs.evaluate((column) => column.scrollWidth - column.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await sim.scrollTo(unanalysable);
    await screenshot(page, '88-simulator-strata-too-small');

    // The A/A line says of the 95 % interval it shows whether α is in it.
    await sim.share.fill('10');
    await sim.reps.fill('300');
    await sim.runMonteCarlo.click();
    await sim.monteCarloResults.waitFor({ timeout: 120_000 });
    const detail = await sim.text(sim.results.getByTestId('sim-mc-results').locator('.sim-figure-detail').first());
    const match = /95 % interval ([\d.]+) %–([\d.]+) %, which (contains|misses) α = 0\.05/.exec(detail);
    if (!match) throw new Error(`The A/A detail reads: ${detail}`);
    const inside = Number(match[1]) <= 5 && 5 <= Number(match[2]);
    expect(match[3]).toBe(inside ? 'contains' : 'misses');

    // A metric no profile has: the reason in the sentence's place, once; no empty charts or tables; nothing to run.
    await sim.effect.fill('2');
    await sim.inputs.getByRole('textbox', { name: 'Threshold' }).fill('100000');
    await waitForText(sim.sentence, /^No variation: no profile has purchases above 100,000/, 60_000);
    expect(await sim.results.getByText(/^No variation/).count()).toBe(1);
    expect(await sim.results.getByTestId('sim-mde-chart').count()).toBe(0);
    expect(await sim.results.getByTestId('sim-strata').count()).toBe(0);
    expect(await sim.results.textContent()).not.toMatch(/Type a true effect|NaN|Infinity|undefined/);
    expect(await sim.runMonteCarlo.isDisabled()).toBe(true);
    await sim.results.evaluate((column) => (column.scrollTop = 0));
    await screenshot(page, '89-simulator-no-variation');
  });
});
