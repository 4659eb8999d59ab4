import type { Locator, Page } from 'playwright-core';
import { FileBrowserDialog } from './file-browser';
import { waitForText } from './wait';

/** Export as SQL: dialect, query kind, table and column names, the live preview, Copy and Save…. */
export class ExportSqlDialog {
  readonly dialog: Locator;
  readonly dialect: Locator;
  readonly table: Locator;
  readonly idColumn: Locator;
  readonly assignmentTable: Locator;
  readonly preview: Locator;
  readonly error: Locator;
  readonly saved: Locator;
  readonly copyButton: Locator;
  readonly saveButton: Locator;
  readonly closeButton: Locator;

  constructor(private readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Export “.*” as SQL$/ });
    this.dialect = this.dialog.getByRole('combobox', { name: 'Dialect' });
    this.table = this.dialog.getByRole('textbox', { name: 'Audience table', exact: true });
    this.idColumn = this.dialog.getByRole('textbox', { name: 'ID column', exact: true });
    this.assignmentTable = this.dialog.getByRole('textbox', { name: 'Assignment table (ID and group)', exact: true });
    this.preview = this.dialog.getByTestId('sql-preview');
    this.error = this.dialog.getByTestId('sql-error');
    this.saved = this.dialog.getByTestId('sql-saved');
    this.copyButton = this.dialog.getByRole('button', { name: 'Copy', exact: true });
    this.saveButton = this.dialog.getByRole('button', { name: 'Save…', exact: true });
    this.closeButton = this.dialog.getByRole('button', { name: 'Close', exact: true });
  }

  column(field: string): Locator {
    return this.dialog.getByRole('textbox', { name: `Column of “${field}”`, exact: true });
  }

  kind(label: 'First split of an audience' | 'Growth of an existing assignment'): Locator {
    return this.dialog.getByRole('radio', { name: label, exact: true });
  }

  /** Waits until the preview shows exactly `sql` (it follows the form after a short pause). */
  async waitForPreview(sql: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let shown = '';
    while (Date.now() <= deadline) {
      shown = (await this.preview.textContent()) ?? '';
      if (shown === sql && (await this.preview.getAttribute('aria-busy')) === 'false') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`The preview shows ${JSON.stringify(shown.slice(0, 300))}…, not the engine's query ${JSON.stringify(sql.slice(0, 300))}….`);
  }

  async saveAs(folder: string, fileName: string): Promise<void> {
    await this.saveButton.click();
    await new FileBrowserDialog(this.page, 'save-sql').saveAs(folder, fileName);
    await this.saved.waitFor();
  }
}

/** Verify a warehouse's output: choose its CSV, see the verdict, the counts, the differing IDs and both fingerprints. */
export class VerifyDialog {
  readonly dialog: Locator;
  readonly chooseButton: Locator;
  readonly chooseAnotherButton: Locator;
  readonly closeButton: Locator;
  readonly verdict: Locator;
  readonly counts: Locator;
  readonly differences: Locator;
  readonly fingerprints: Locator;

  constructor(private readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Verify a warehouse’s output for “.*”$/ });
    this.chooseButton = this.dialog.getByRole('button', { name: 'Choose CSV file…', exact: true });
    this.chooseAnotherButton = this.dialog.getByRole('button', { name: 'Choose another file…', exact: true });
    this.closeButton = this.dialog.getByRole('button', { name: 'Close', exact: true });
    this.verdict = this.dialog.getByTestId('verify-verdict');
    this.counts = this.dialog.getByRole('table', { name: 'Counts per group and stratum' });
    this.differences = this.dialog.getByRole('table', { name: 'IDs that differ' });
    this.fingerprints = this.dialog.getByTestId('verify-fingerprints');
  }

  /** Chooses the file in the in-app browser and waits for the comparison's verdict (the file's name shows at once, and an earlier verdict goes). */
  async verify(button: Locator, folder: string, fileName: string): Promise<string> {
    await button.click();
    await new FileBrowserDialog(this.page, 'open-csv').open(folder, fileName);
    await waitForText(this.dialog.getByTestId('verify-file'), fileName);
    await this.verdict.waitFor({ timeout: 60_000 });
    return ((await this.verdict.textContent()) ?? '').trim();
  }

  async rows(table: Locator): Promise<string[][]> {
    return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')));
  }
}

/** Check all splits: each campaign OK or not, with its counts and problems. */
export class CheckSplitsDialog {
  readonly dialog: Locator;
  readonly verdict: Locator;
  readonly table: Locator;
  readonly closeButton: Locator;
  readonly againButton: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Check all splits' });
    this.verdict = this.dialog.getByTestId('check-splits-verdict');
    this.table = this.dialog.getByRole('table', { name: 'Splits per campaign' });
    this.closeButton = this.dialog.getByRole('button', { name: 'Close', exact: true });
    this.againButton = this.dialog.getByRole('button', { name: 'Check again', exact: true });
  }
}
