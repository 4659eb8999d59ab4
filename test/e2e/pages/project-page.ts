import type { Locator, Page } from 'playwright-core';
import { waitForText } from './wait';

/** The main layout of an open project: header, navigation, Overview page, status bar. */
export class ProjectPage {
  readonly title: Locator;
  readonly navigation: Locator;
  readonly nameField: Locator;
  readonly descriptionField: Locator;
  readonly saveButton: Locator;
  readonly saveAsButton: Locator;
  readonly closeButton: Locator;
  readonly statusFile: Locator;
  readonly statusSaveState: Locator;
  readonly statusClock: Locator;

  constructor(page: Page) {
    this.title = page.getByRole('banner').getByRole('heading', { level: 1 });
    this.navigation = page.getByRole('navigation', { name: 'Project pages' });
    this.nameField = page.getByRole('textbox', { name: 'Project name', exact: true });
    this.descriptionField = page.getByRole('textbox', { name: 'Description', exact: true });
    const toolbar = page.getByRole('toolbar', { name: 'Project' });
    this.saveButton = toolbar.getByRole('button', { name: 'Save', exact: true });
    this.saveAsButton = toolbar.getByRole('button', { name: 'Save as…', exact: true });
    this.closeButton = toolbar.getByRole('button', { name: 'Close project', exact: true });
    this.statusFile = page.getByTestId('status-file');
    this.statusSaveState = page.getByTestId('status-save-state');
    this.statusClock = page.getByTestId('status-clock');
  }

  async waitForProject(name: string): Promise<void> {
    await waitForText(this.title, name);
  }

  /** Types a new name and presses Enter, as a user renames the project. */
  async rename(name: string): Promise<void> {
    await this.nameField.fill(name);
    await this.nameField.press('Enter');
    await this.waitForProject(name);
  }

  async waitForSaveState(label: string): Promise<void> {
    await waitForText(this.statusSaveState, label);
  }

  async waitForFileName(label: string): Promise<void> {
    await waitForText(this.statusFile, label);
  }

  /** Shows the Databases page from the navigation. */
  async goToDatabases(): Promise<void> {
    await this.navigation.getByRole('button', { name: 'Databases', exact: true }).click();
  }

  /** Shows a database's page from the navigation (databases are listed under "Databases"). */
  async goToDatabase(name: string): Promise<void> {
    await this.navigation.getByRole('list', { name: 'Profile databases' }).getByRole('button', { name, exact: true }).click();
  }

  /** The names of the navigation's entries, in order. */
  async navigationEntries(): Promise<string[]> {
    return (await this.navigation.getByRole('button').allTextContents()).map((t) => t.trim());
  }
}
