import type { Locator, Page } from 'playwright-core';
import { FileBrowserDialog } from './file-browser';
import { waitForText } from './wait';

/** The export dialog: columns, statuses, limit, delimiter, BOM, destination, run. */
export class ExportDialog {
  readonly dialog: Locator;
  readonly chooseButton: Locator;
  readonly exportButton: Locator;
  readonly bomCheckbox: Locator;
  readonly delimiter: Locator;
  readonly limit: Locator;
  readonly path: Locator;
  readonly outcome: Locator;
  /** A campaign export's group: Test, LCG, both, or the database's GCG. */
  readonly group: Locator;

  constructor(private readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Export .* to CSV$/ });
    this.chooseButton = this.dialog.getByRole('button', { name: 'Choose…', exact: true });
    this.exportButton = this.dialog.getByRole('button', { name: 'Export', exact: true });
    this.bomCheckbox = this.dialog.getByRole('checkbox', { name: 'Add a byte order mark (for Excel)' });
    this.delimiter = this.dialog.getByRole('combobox', { name: 'Delimiter' });
    this.limit = this.dialog.getByRole('textbox', { name: 'Row limit' });
    this.path = page.getByTestId('export-path');
    this.outcome = page.getByTestId('export-outcome');
    this.group = this.dialog.getByRole('combobox', { name: 'Group' });
  }

  async waitUntilShown(): Promise<void> {
    await this.dialog.waitFor();
  }

  /** Chooses the destination in the in-app file browser (browser mode). */
  async chooseDestination(folder: string, fileName: string): Promise<void> {
    await this.chooseButton.click();
    await new FileBrowserDialog(this.page, 'save-csv').saveAs(folder, fileName);
    // The whole destination: a file saved to another folder fails here, saying where, not later as a missing file.
    const expected = `${folder}/${fileName.endsWith('.csv') ? fileName : `${fileName}.csv`}`;
    await waitForText(this.path, expected).catch(async (error: unknown) => {
      // Say what the window shows instead: the dialog gone, or another one on top.
      const dialogs = await this.page.getByRole('dialog').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-labelledby') && document.getElementById(n.getAttribute('aria-labelledby')!)?.textContent));
      const main = await this.page.getByRole('main').first().getAttribute('aria-label').catch(() => null);
      const shown = ((await this.dialog.textContent().catch(() => null)) ?? '').replace(/\s+/g, ' ').slice(0, 400);
      throw new Error(`${error instanceof Error ? error.message : String(error)} Open dialogs: ${JSON.stringify(dialogs)}; page: ${main ?? 'none'}; the export dialog shows: ${shown}`);
    });
  }

  async run(timeoutMs = 60_000): Promise<string> {
    await this.exportButton.click();
    await this.outcome.waitFor({ timeout: timeoutMs });
    return ((await this.outcome.textContent()) ?? '').trim();
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await this.dialog.waitFor({ state: 'detached' });
  }
}
