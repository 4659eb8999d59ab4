import type { Download, Locator, Page } from 'playwright-core';
import { FileBrowserDialog } from './file-browser';
import { waitForText } from './wait';

/** The import wizard (profiles or events): file, preview, columns, options, run and result. */
export class ImportWizard {
  readonly dialog: Locator;
  readonly currentStep: Locator;
  readonly nextButton: Locator;
  readonly backButton: Locator;
  readonly chooseFileButton: Locator;
  readonly targetSelect: Locator;
  readonly newNameField: Locator;
  readonly previewGrid: Locator;
  readonly outcome: Locator;
  readonly problems: Locator;

  constructor(private readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Import (profiles|events) from a CSV file$/ });
    this.currentStep = this.dialog.locator('.steps [aria-current="step"]');
    this.nextButton = this.dialog.getByRole('button', { name: 'Next', exact: true });
    this.backButton = this.dialog.getByRole('button', { name: 'Back', exact: true });
    this.chooseFileButton = this.dialog.getByRole('button', { name: /^Choose (another )?file…$/ });
    this.targetSelect = this.dialog.getByRole('combobox', { name: 'Import into' });
    this.newNameField = this.dialog.getByRole('textbox', { name: /^(Name of the new database|Into a new database named)$/ });
    this.previewGrid = this.dialog.getByRole('table', { name: 'The first rows of the file' });
    this.outcome = page.getByTestId('import-outcome');
    this.problems = this.dialog.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Reason' }) });
  }

  async waitUntilShown(): Promise<void> {
    await this.dialog.waitFor();
  }

  async waitForStep(label: 'File' | 'Preview' | 'Columns' | 'Options' | 'Import', timeoutMs = 30_000): Promise<void> {
    await waitForText(this.currentStep, new RegExp(`${label}$`), timeoutMs);
  }

  /** Browser mode: "Choose file…" opens the in-app file browser. */
  async chooseFile(folder: string, fileName: string): Promise<void> {
    await this.chooseFileButton.click();
    await new FileBrowserDialog(this.page, 'open-csv').open(folder, fileName);
    await this.waitForStep('Preview');
  }

  option(label: 'Encoding' | 'Delimiter' | 'Decimal separator' | 'Dates'): Locator {
    return this.dialog.getByRole('combobox', { name: label, exact: true });
  }

  /** The text of the chosen option of a select. */
  async selectedText(select: Locator): Promise<string> {
    return (await select.locator('option:checked').textContent())?.trim() ?? '';
  }

  columnTarget(column: string): Locator {
    return this.dialog.getByRole('combobox', { name: `Target of column ${column}`, exact: true });
  }

  newFieldType(column: string): Locator {
    return this.dialog.getByRole('combobox', { name: `Type of the new field for column ${column}`, exact: true });
  }

  radio(label: string): Locator {
    return this.dialog.getByRole('radio', { name: label, exact: true });
  }

  importButton(): Locator {
    return this.dialog.getByRole('button', { name: /^Import\b/ });
  }

  /** Runs the import and waits for its result page. */
  async run(timeoutMs = 60_000): Promise<string> {
    await this.importButton().click();
    await this.outcome.waitFor({ timeout: timeoutMs });
    return ((await this.outcome.textContent()) ?? '').trim();
  }

  async count(label: 'Added' | 'Updated' | 'Unchanged' | 'Skipped' | 'Left alone'): Promise<string> {
    const cell = this.page.getByTestId(`count-${label.toLowerCase().replace(' ', '-')}`).locator('dd');
    return ((await cell.textContent()) ?? '').trim();
  }

  /** The problems table as rows of [row, column, value, reason]. */
  async problemRows(): Promise<string[][]> {
    const rows = this.problems.locator('tbody tr');
    const out: string[][] = [];
    for (let i = 0; i < (await rows.count()); i += 1) {
      out.push((await rows.nth(i).locator('td').allTextContents()).map((t) => t.trim()));
    }
    return out;
  }

  async downloadReport(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.dialog.getByRole('button', { name: 'Download error report (CSV)', exact: true }).click(),
    ]);
    return download;
  }

  async viewProfiles(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'View profiles', exact: true }).click();
    await this.dialog.waitFor({ state: 'detached' });
  }
}
