import type { Locator, Page } from 'playwright-core';
import { CampaignPage } from './campaign-page';

/** The Campaigns page: the list, the recycle bin, and New campaign. */
export class CampaignsPage {
  readonly main: Locator;
  readonly heading: Locator;
  readonly newButton: Locator;
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.main = page.getByRole('main', { name: 'Campaigns' });
    this.heading = this.main.getByRole('heading', { level: 2, name: 'Campaigns' });
    this.newButton = this.main.getByRole('button', { name: 'New campaign…', exact: true });
    this.table = this.main.getByRole('table', { name: 'Campaigns' });
  }

  async waitUntilShown(): Promise<void> {
    await this.heading.waitFor();
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('button', { name, exact: true }) });
  }

  /** Opens the campaign from its row and waits for its page. */
  async open(name: string): Promise<CampaignPage> {
    await this.waitUntilShown();
    await this.row(name).getByRole('button', { name, exact: true }).click();
    const campaign = new CampaignPage(this.page);
    await campaign.waitForCampaign(name);
    return campaign;
  }
}

/** The New campaign dialog: name, database, segment, LCG and its stratification, seed. */
export class CampaignDialog {
  readonly dialog: Locator;
  readonly name: Locator;
  readonly database: Locator;
  readonly segment: Locator;
  readonly percent: Locator;
  readonly limit: Locator;
  readonly addStratum: Locator;
  readonly seed: Locator;
  readonly preview: Locator;
  readonly createButton: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'New campaign' });
    this.name = this.dialog.getByRole('textbox', { name: 'Campaign name' });
    this.database = this.dialog.getByRole('combobox', { name: 'Database' });
    this.segment = this.dialog.getByRole('combobox', { name: 'Segment' });
    this.percent = this.dialog.getByRole('textbox', { name: 'LCG share, %' });
    this.limit = this.dialog.getByRole('textbox', { name: 'Audience limit' });
    this.addStratum = this.dialog.getByRole('combobox', { name: 'Add a stratification field' });
    this.seed = this.dialog.getByRole('textbox', { name: 'Seed of the split' });
    this.preview = page.getByTestId('lcg-preview');
    this.createButton = this.dialog.getByRole('button', { name: 'Create campaign', exact: true });
  }

  async waitUntilShown(): Promise<void> {
    await this.dialog.waitFor();
  }

  /** How a stratification field splits: "Each value", "Groups of values" or "Ranges". */
  stratumKind(field: string): Locator {
    return this.dialog.getByRole('combobox', { name: `How ${field} stratifies` });
  }

  async create(): Promise<void> {
    await this.createButton.click();
    await this.dialog.waitFor({ state: 'detached' });
  }
}
