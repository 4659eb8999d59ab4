import type { Locator, Page } from 'playwright-core';
import { waitForText } from './wait';

export type CampaignTabName = 'Overview' | 'LCG settings' | 'Activities' | 'Audience' | 'Timeline' | 'Events' | 'Split history' | 'Simulate' | 'Analytics';

/** A campaign's page: header, actions, tabs and what they show. */
export class CampaignPage {
  readonly main: Locator;
  readonly title: Locator;
  readonly status: Locator;
  readonly toolbar: Locator;
  readonly groupTest: Locator;
  readonly groupControl: Locator;
  readonly groupTotal: Locator;
  readonly strataTable: Locator;
  readonly activitiesTable: Locator;
  readonly refusal: Locator;

  constructor(private readonly page: Page) {
    this.main = page.getByRole('main', { name: 'Campaign' });
    this.title = this.main.getByRole('heading', { level: 2 });
    this.status = this.main.getByTestId('campaign-status').first();
    this.toolbar = this.main.getByRole('toolbar', { name: 'Campaign' });
    this.groupTest = page.getByTestId('group-test');
    this.groupControl = page.getByTestId('group-control');
    this.groupTotal = page.getByTestId('group-total');
    this.strataTable = page.getByTestId('strata-table');
    this.activitiesTable = this.main.getByRole('table', { name: 'Activities' });
    this.refusal = page.getByTestId('action-refusal');
  }

  async waitForCampaign(name: string): Promise<void> {
    await waitForText(this.title, name, 30_000);
  }

  async waitForStatus(label: string, timeoutMs = 60_000): Promise<void> {
    await waitForText(this.status, label, timeoutMs);
  }

  action(label: string): Locator {
    return this.toolbar.getByRole('button', { name: label, exact: true });
  }

  tab(name: CampaignTabName): Locator {
    return this.main.getByRole('tab', { name: new RegExp(`^${name}`) });
  }

  /** A number shown with thousands separators, as a number. */
  static count(text: string): number {
    return Number(text.replace(/[^\d]/g, ''));
  }

  activityRow(name: string): Locator {
    return this.activitiesTable.getByRole('row').filter({ has: this.page.getByRole('button', { name, exact: true }) });
  }

  async strataRows(): Promise<string[][]> {
    const rows = this.strataTable.locator('tbody tr');
    const out: string[][] = [];
    for (let i = 0; i < (await rows.count()); i += 1) {
      out.push((await rows.nth(i).getByRole('cell').allTextContents()).map((t) => t.trim()));
    }
    return out;
  }
}

/** Activate now / Schedule: a date-time on the project clock, the stratification warning, the button. */
export class ActivateDialog {
  readonly dialog: Locator;
  readonly at: Locator;
  readonly problem: Locator;
  readonly confirmButton: Locator;

  constructor(page: Page, mode: 'now' | 'later') {
    this.dialog = page.getByRole('dialog', { name: mode === 'now' ? /^Activate ".*" now$/ : /^Schedule ".*"$/ });
    this.at = this.dialog.getByLabel('Starts at (project clock)');
    this.problem = this.dialog.getByRole('alert');
    this.confirmButton = this.dialog.getByRole('button', { name: mode === 'now' ? 'Activate now' : 'Schedule', exact: true });
  }

  async waitUntilShown(): Promise<void> {
    await this.dialog.waitFor();
  }

  async confirm(): Promise<void> {
    await this.confirmButton.click();
    await this.dialog.waitFor({ state: 'detached' });
  }
}

/** New activity / Edit: name, type, segment, switches, A/B variants. */
export class ActivityDialog {
  readonly dialog: Locator;
  readonly name: Locator;
  readonly type: Locator;
  readonly createButton: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^New activity in / });
    this.name = this.dialog.getByRole('textbox', { name: 'Activity name' });
    this.type = this.dialog.getByRole('combobox', { name: 'Type' });
    this.createButton = this.dialog.getByRole('button', { name: 'Create activity', exact: true });
  }

  async create(name: string, typeLabel: string): Promise<void> {
    await this.dialog.waitFor();
    await this.name.fill(name);
    await this.type.selectOption({ label: typeLabel });
    await this.createButton.click();
    await this.dialog.waitFor({ state: 'detached' });
  }
}

/** Who one run of an activity reached: the paged table and its buttons. */
export class RecipientsDialog {
  readonly dialog: Locator;
  readonly grid: Locator;
  readonly total: Locator;
  readonly exportButton: Locator;
  readonly closeButton: Locator;

  constructor(page: Page) {
    this.dialog = page.getByRole('dialog', { name: /^Recipients of / });
    this.grid = this.dialog.getByRole('grid', { name: 'Recipients' });
    this.total = this.dialog.getByTestId('profile-total');
    this.exportButton = this.dialog.getByRole('button', { name: 'Export recipients…', exact: true });
    this.closeButton = this.dialog.getByRole('button', { name: 'Close', exact: true });
  }

  /** Opens the recipients of the activity's newest run (its runs shown) and waits for the first rows. */
  async open(campaign: CampaignPage, activity: string): Promise<void> {
    const row = campaign.activityRow(activity);
    const runs = this.dialog.page().getByRole('table', { name: `Runs of ${activity}` });
    if (!(await runs.isVisible())) await row.getByRole('button', { name: activity, exact: true }).click();
    await runs.getByRole('button', { name: 'Recipients…', exact: true }).first().click();
    await this.grid.locator('.profile-row:not(.loading)').first().waitFor({ timeout: 30_000 });
  }
}
