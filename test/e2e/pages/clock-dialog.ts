import type { Locator, Page } from 'playwright-core';

/** The Advance clock… dialog: the moment and the steps, what will run on the way, progress and Cancel, then the report per step. */
export class ClockDialog {
  readonly openButton: Locator;
  readonly dialog: Locator;
  readonly to: Locator;
  readonly step: Locator;
  /** The plan's table (what will run), or the note instead of it (nothing, working out, a problem). */
  readonly plan: Locator;
  readonly planNote: Locator;
  readonly planTruncated: Locator;
  /** After the advance: the summary sentence and the report, step by step. */
  readonly summary: Locator;
  readonly report: Locator;
  readonly cancelled: Locator;
  readonly advanceButton: Locator;
  readonly cancelAdvanceButton: Locator;
  readonly closeButton: Locator;

  constructor(page: Page) {
    this.openButton = page.getByRole('contentinfo', { name: 'Status bar' }).getByRole('button', { name: 'Advance clock…', exact: true });
    this.dialog = page.getByRole('dialog', { name: /^(Advance the project clock|The clock is at .*)$/ });
    this.to = this.dialog.getByLabel('Advance to');
    this.step = this.dialog.getByRole('combobox', { name: 'Steps' });
    this.plan = this.dialog.getByTestId('clock-plan');
    this.planNote = this.dialog.getByTestId('clock-plan-note');
    this.planTruncated = this.dialog.getByTestId('clock-plan-truncated');
    this.summary = this.dialog.getByTestId('clock-summary');
    this.report = this.dialog.getByTestId('clock-report');
    this.cancelled = this.dialog.getByTestId('clock-cancelled');
    this.advanceButton = this.dialog.getByRole('button', { name: 'Advance', exact: true });
    this.cancelAdvanceButton = this.dialog.getByRole('button', { name: 'Cancel advance', exact: true });
    this.closeButton = this.dialog.getByRole('button', { name: 'Close', exact: true });
  }

  async open(): Promise<void> {
    await this.openButton.click();
    await this.dialog.waitFor();
  }

  /** Until the plan for the moment shown has come: its table, or the note that says nothing falls due (or why not). */
  async waitForPlan(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (await this.plan.isVisible()) return;
      const note = (await this.planNote.textContent().catch(() => null)) ?? '';
      if (note !== '' && !note.startsWith('Working out')) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('The plan of the advance did not come within 30 s.');
  }

  /** The plan's rows as shown: [when, what, count, detail]. */
  async planRows(): Promise<string[][]> {
    await this.plan.waitFor({ timeout: 30_000 });
    return this.plan.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
  }

  /** One step of the report (1-based). */
  stepReport(n: number): Locator {
    return this.report.getByRole('region', { name: `Step ${n}`, exact: true });
  }

  async advance(): Promise<void> {
    await this.advanceButton.click();
    await this.closeButton.waitFor({ timeout: 60_000 });
  }

  async close(): Promise<void> {
    await this.closeButton.click();
    await this.dialog.waitFor({ state: 'detached' });
  }
}
