import type { Locator, Page } from 'playwright-core';
import { waitForValue } from './wait';

export type FileBrowserKind = 'open' | 'save' | 'open-csv' | 'save-csv' | 'save-html' | 'save-sql';

const TITLES: Readonly<Record<FileBrowserKind, string>> = {
  open: 'Open project',
  save: 'Save project as',
  'open-csv': 'Choose a CSV file',
  'save-csv': 'Export to CSV file',
  'save-html': 'Export HTML report',
  'save-sql': 'Save SQL query',
};
const CONFIRM: Readonly<Record<FileBrowserKind, string>> = { open: 'Open', save: 'Save', 'open-csv': 'Choose', 'save-csv': 'Save', 'save-html': 'Save', 'save-sql': 'Save' };

/** The in-app file browser of browser mode (Open project, Save project as, CSV files). */
export class FileBrowserDialog {
  readonly dialog: Locator;
  readonly folderField: Locator;
  readonly fileNameField: Locator;
  readonly confirmButton: Locator;
  readonly cancelButton: Locator;

  constructor(page: Page, kind: FileBrowserKind) {
    this.dialog = page.getByRole('dialog', { name: TITLES[kind] });
    this.folderField = this.dialog.getByRole('textbox', { name: 'Folder', exact: true });
    this.fileNameField = this.dialog.getByRole('textbox', { name: 'File name', exact: true });
    this.confirmButton = this.dialog.getByRole('button', { name: CONFIRM[kind], exact: true });
    this.cancelButton = this.dialog.getByRole('button', { name: 'Cancel', exact: true });
  }

  async waitUntilShown(): Promise<void> {
    await this.dialog.waitFor();
  }

  async waitUntilClosed(): Promise<void> {
    await this.dialog.waitFor({ state: 'detached' });
  }

  /**
   * Types a folder into the folder field and clicks Go, then waits for its listing. A message
   * that appears or fades at the top of the dialog meanwhile can move Go from under the
   * click: then it is typed and clicked again (at most three times).
   */
  async goToFolder(folder: string): Promise<void> {
    const listing = this.dialog.getByRole('group', { name: `Contents of ${folder}` });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await this.folderField.fill(folder);
      await this.dialog.getByRole('button', { name: 'Go', exact: true }).click();
      if (await listing.waitFor({ timeout: 10_000 }).then(() => true, () => false)) return;
    }
    await listing.waitFor();
  }

  entry(name: string): Locator {
    return this.dialog.getByRole('button', { name, exact: true });
  }

  async saveAs(folder: string, fileName: string): Promise<void> {
    await this.waitUntilShown();
    await this.goToFolder(folder);
    await this.fileNameField.fill(fileName);
    await this.confirmButton.click();
    await this.waitUntilClosed();
  }

  /** Opens a file by clicking it in the list, then Open. */
  async open(folder: string, fileName: string): Promise<void> {
    await this.waitUntilShown();
    await this.goToFolder(folder);
    await this.entry(fileName).click();
    await waitForValue(this.fileNameField, fileName);
    await this.confirmButton.click();
    await this.waitUntilClosed();
  }
}
