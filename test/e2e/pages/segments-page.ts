import type { Locator, Page } from 'playwright-core';
import { waitForText } from './wait';

/** The Segments page: the list and its New segment button. */
export class SegmentsPage {
  readonly main: Locator;
  readonly heading: Locator;
  readonly newButton: Locator;
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.main = page.getByRole('main', { name: 'Segments' });
    this.heading = this.main.getByRole('heading', { level: 2, name: 'Segments' });
    this.newButton = this.main.getByRole('button', { name: 'New segment…', exact: true });
    this.table = this.main.getByRole('table', { name: 'Segments' });
  }

  async waitUntilShown(): Promise<void> {
    await this.heading.waitFor();
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('button', { name, exact: true }) });
  }
}

/** The New segment dialog. */
export class SegmentDialog {
  readonly dialog: Locator;
  readonly database: Locator;
  readonly name: Locator;
  readonly createButton: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'New segment' });
    this.database = this.dialog.getByRole('combobox', { name: 'Database' });
    this.name = this.dialog.getByRole('textbox', { name: 'Segment name' });
    this.createButton = this.dialog.getByRole('button', { name: 'Create segment', exact: true });
  }

  async waitUntilShown(): Promise<void> {
    await this.dialog.waitFor();
  }

  from(label: RegExp): Locator {
    return this.dialog.getByRole('radio', { name: label });
  }

  async create(): Promise<void> {
    await this.createButton.click();
    await this.dialog.waitFor({ state: 'detached', timeout: 60_000 });
  }
}

/** A segment's page: its facts, actions and member table. */
export class SegmentPage {
  readonly main: Locator;
  readonly title: Locator;
  readonly facts: Locator;
  readonly total: Locator;

  constructor(page: Page) {
    this.main = page.getByRole('main', { name: 'Segment' });
    this.title = this.main.getByRole('heading', { level: 2 });
    this.facts = page.getByTestId('segment-facts');
    this.total = page.getByTestId('profile-total');
  }

  async waitForSegment(name: string): Promise<void> {
    await waitForText(this.title, name, 30_000);
  }
}
