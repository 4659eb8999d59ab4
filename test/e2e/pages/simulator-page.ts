import type { Locator, Page } from 'playwright-core';
import { waitForText } from './wait';

/** The LCG simulator, on its own page or in a campaign's Simulate tab: inputs on the left, answers on the right. */
export class SimulatorPage {
  readonly root: Locator;
  readonly inputs: Locator;
  readonly results: Locator;
  readonly audience: Locator;
  readonly metricField: Locator;
  readonly share: Locator;
  readonly limit: Locator;
  readonly alpha: Locator;
  readonly power: Locator;
  readonly effect: Locator;
  readonly target: Locator;
  readonly seed: Locator;
  readonly sentence: Locator;
  readonly mde: Locator;
  readonly control: Locator;
  readonly test: Locator;
  readonly reps: Locator;
  readonly runMonteCarlo: Locator;
  readonly monteCarloResults: Locator;
  readonly falsePositive: Locator;
  readonly checkBalance: Locator;
  readonly balanceTable: Locator;
  readonly saveName: Locator;
  readonly saveButton: Locator;
  readonly savedTable: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('simulator');
    this.inputs = this.root.getByRole('complementary', { name: 'Simulation settings' });
    this.results = this.root.getByRole('region', { name: 'Simulation results' });
    this.audience = this.inputs.getByRole('combobox', { name: 'Audience' });
    this.metricField = this.inputs.getByRole('group', { name: 'Metric' }).getByRole('combobox', { name: 'Field' });
    this.share = this.inputs.getByRole('textbox', { name: 'LCG share, %' });
    this.limit = this.inputs.getByRole('textbox', { name: 'Audience limit' });
    this.alpha = this.inputs.getByRole('textbox', { name: 'α', exact: true });
    this.power = this.inputs.getByRole('textbox', { name: 'Power', exact: true });
    this.effect = this.inputs.getByRole('textbox', { name: 'True effect, %' });
    this.target = this.inputs.getByRole('textbox', { name: 'Target MDE, %' });
    this.seed = this.inputs.getByRole('textbox', { name: 'Seed of the split' });
    this.sentence = this.results.getByTestId('sim-sentence');
    this.mde = this.results.getByTestId('sim-mde');
    this.control = this.results.getByTestId('sim-control');
    this.test = this.results.getByTestId('sim-test');
    this.reps = this.results.getByRole('textbox', { name: 'Replicates' });
    this.runMonteCarlo = this.results.getByRole('button', { name: 'Run Monte Carlo', exact: true });
    this.monteCarloResults = this.results.getByTestId('sim-mc-results');
    this.falsePositive = this.results.getByTestId('sim-mc-false-positive');
    this.checkBalance = this.results.getByRole('button', { name: 'Check the balance', exact: true });
    this.balanceTable = this.results.getByRole('table', { name: 'Standardised mean differences' });
    this.saveName = this.results.getByTestId('sim-saved').getByRole('textbox', { name: 'Name' });
    this.saveButton = this.results.getByRole('button', { name: 'Save the simulation', exact: true });
    this.savedTable = this.results.getByRole('table', { name: 'Saved simulations' });
  }

  /** Waits until the answers for the current settings are shown (the scan done, the sentence written). */
  async waitForAnswers(timeoutMs = 60_000): Promise<void> {
    await this.sentence.waitFor({ timeout: timeoutMs });
    await waitForText(this.sentence, /\S/, timeoutMs);
  }

  /** Scrolls the answers so that `locator` is at their top (for a screenshot of that part). */
  async scrollTo(locator: Locator): Promise<void> {
    // Only the answers' own column scrolls (scrollIntoView would also move the window, which never scrolls).
    await locator.evaluate((element) => {
      const column = element.closest('.sim-results');
      if (column) column.scrollTop += element.getBoundingClientRect().top - column.getBoundingClientRect().top;
    });
  }

  /**
   * Presses Tab (or Shift+Tab) until the focused control's accessible name is `name`, and
   * returns the names passed on the way. Every control of the simulator focused on the way
   * must show its focus: an outline drawn, and the control inside the window and inside the
   * column that scrolls it (the browser scrolls it into view). Throws when `name` is not reached.
   */
  async tabTo(name: string, { back = false, max = 60 } = {}): Promise<string[]> {
    const passed: string[] = [];
    for (let i = 0; i < max; i += 1) {
      await this.page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      const focused = await this.page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const input = el as HTMLInputElement;
        const label = el.getAttribute('aria-label') ?? input.labels?.[0]?.textContent ?? el.textContent ?? '';
        const style = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        // Only the simulator's own controls are held to it (the walk may start on another screen).
        if (!el.closest('[data-testid="simulator"]')) return { name: label.trim(), outline: true, inView: true };
        const scroller = el.closest('.sim-inputs, .sim-results');
        const box = scroller?.getBoundingClientRect();
        const inView =
          rect.top >= 0 && rect.bottom <= window.innerHeight && rect.left >= 0 && rect.right <= window.innerWidth && (!box || (rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1));
        return { name: label.trim(), outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0, inView };
      });
      // Past the last control the focus leaves the page, and the next Tab brings it back to the first.
      if (!focused) {
        passed.push('(the window)');
        continue;
      }
      if (!focused.outline) throw new Error(`"${focused.name}" has the focus but shows no focus ring.`);
      if (!focused.inView) throw new Error(`"${focused.name}" has the focus but is out of view.`);
      if (focused.name === name) return passed;
      passed.push(focused.name);
    }
    throw new Error(`"${name}" was not reached in ${max} presses of Tab: ${passed.join(' → ')}`);
  }

  async text(locator: Locator): Promise<string> {
    return ((await locator.textContent()) ?? '').trim();
  }
}
