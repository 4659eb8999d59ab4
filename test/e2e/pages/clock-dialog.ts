import type { Locator, Page } from 'playwright-core';

/** The status bar's Advance clock… dialog: the moment, what will fire, then what fired. */
export class ClockDialog {
  readonly openButton: Locator;
  readonly dialog: Locator;
  readonly to: Locator;
  readonly dueList: Locator;
  readonly firedList: Locator;
  readonly advanceButton: Locator;
  readonly closeButton: Locator;

  constructor(page: Page) {
    this.openButton = page.getByRole('contentinfo', { name: 'Status bar' }).getByRole('button', { name: 'Advance clock…', exact: true });
    this.dialog = page.getByRole('dialog', { name: /^(Advance the project clock|The clock is at .*)$/ });
    this.to = this.dialog.getByLabel('Advance to');
    this.dueList = page.getByTestId('due-list');
    this.firedList = page.getByTestId('fired-list');
    this.advanceButton = this.dialog.getByRole('button', { name: 'Advance', exact: true });
    this.closeButton = this.dialog.getByRole('button', { name: 'Close', exact: true });
  }

  async open(): Promise<void> {
    await this.openButton.click();
    await this.dialog.waitFor();
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
