import type { Locator, Page } from 'playwright-core';

/** The Databases page: the list with counts and actions, and the form for a new database. */
export class DatabasesPage {
  readonly heading: Locator;
  readonly table: Locator;
  readonly nameField: Locator;
  readonly createButton: Locator;
  readonly createFromCsvButton: Locator;

  constructor(private readonly page: Page) {
    const main = page.getByRole('main', { name: 'Databases' });
    this.heading = main.getByRole('heading', { level: 2, name: 'Databases' });
    this.table = main.getByRole('table');
    this.nameField = main.getByRole('textbox', { name: 'Database name', exact: true });
    this.createButton = main.getByRole('button', { name: 'Create database', exact: true });
    this.createFromCsvButton = main.getByRole('button', { name: 'Create from a CSV file…', exact: true });
  }

  async waitUntilShown(): Promise<void> {
    await this.heading.waitFor();
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('button', { name, exact: true }) });
  }

  /** The row's cells as text: name, profiles, fields, created. */
  async rowTexts(name: string): Promise<string[]> {
    return (await this.row(name).getByRole('cell').allTextContents()).map((t) => t.trim());
  }

  action(name: string, label: 'Import CSV…' | 'Export CSV…' | 'Rename' | 'Delete'): Locator {
    return this.row(name).getByRole('button', { name: label, exact: true });
  }
}
