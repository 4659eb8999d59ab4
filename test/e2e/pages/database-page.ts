import type { Locator, Page } from 'playwright-core';
import { waitForText } from './wait';

/** A database's page: name, counts, actions, and the Profiles / Fields / Imports tabs. */
export class DatabasePage {
  readonly main: Locator;
  readonly title: Locator;
  readonly counts: Locator;
  readonly importButton: Locator;
  readonly exportButton: Locator;
  readonly table: ProfileTable;

  constructor(page: Page) {
    this.main = page.getByRole('main', { name: 'Database' });
    this.title = this.main.getByRole('heading', { level: 2 });
    this.counts = page.getByTestId('database-counts');
    const toolbar = this.main.getByRole('toolbar', { name: 'Database' });
    this.importButton = toolbar.getByRole('button', { name: 'Import CSV…', exact: true });
    this.exportButton = toolbar.getByRole('button', { name: 'Export CSV…', exact: true });
    this.table = new ProfileTable(page);
  }

  async waitForDatabase(name: string): Promise<void> {
    await waitForText(this.title, name, 30_000);
  }

  tab(name: 'Profiles' | 'Fields' | 'Imports' | 'Global control group'): Locator {
    return this.main.getByRole('tab', { name: new RegExp(`^${name}`) });
  }
}

/** The virtual profile table with its search box, total and the profile card. */
export class ProfileTable {
  readonly grid: Locator;
  readonly total: Locator;
  readonly searchField: Locator;
  readonly searchIn: Locator;
  readonly card: Locator;

  constructor(private readonly page: Page) {
    this.grid = page.getByRole('grid', { name: 'Profiles' });
    this.total = page.getByTestId('profile-total');
    this.searchField = page.getByRole('searchbox', { name: 'Search' });
    this.searchIn = page.getByRole('combobox', { name: 'Search in' });
    this.card = page.getByRole('complementary', { name: /^Profile / });
  }

  async waitForTotal(text: string | RegExp, timeoutMs = 30_000): Promise<void> {
    await waitForText(this.total, text, timeoutMs);
  }

  /** A loaded row, by its profile ID. */
  row(profileId: string): Locator {
    return this.grid.getByRole('row').filter({ has: this.page.getByRole('gridcell', { name: profileId, exact: true }) });
  }

  /** The profile IDs of the loaded rows on screen, top to bottom. */
  async visibleIds(): Promise<string[]> {
    return (await this.grid.locator('.profile-row:not(.loading) .cell-id').allTextContents()).map((t) => t.trim());
  }

  columnHeader(label: string): Locator {
    return this.grid.getByRole('columnheader', { name: label, exact: true });
  }

  async sortBy(label: string): Promise<void> {
    await this.columnHeader(label).getByRole('button').click();
  }

  /** Waits until the rows shown are of the order asked for (while a new order is built, the old rows stay, and the grid is busy). */
  async waitUntilOrdered(timeoutMs = 30_000): Promise<void> {
    await this.page.locator('[role="grid"][aria-label="Profiles"][aria-busy="false"]').waitFor({ timeout: timeoutMs });
  }

  /** Waits until the first loaded row is `profileId` (after a sort or search). */
  async waitForFirstRow(profileId: string, timeoutMs = 30_000): Promise<void> {
    await waitForText(this.grid.locator('.profile-row[aria-rowindex="2"]:not(.loading) .cell-id'), profileId, timeoutMs);
  }

  /** The card's facts as label -> value text. */
  async cardFacts(): Promise<Record<string, string>> {
    await this.card.locator('dl').first().waitFor();
    const labels = await this.card.locator('dl').first().locator('dt').allTextContents();
    const values = await this.card.locator('dl').first().locator('dd').allTextContents();
    return Object.fromEntries(labels.map((l, i) => [l.trim(), (values[i] ?? '').trim()]));
  }
}
