import type { Locator, Page } from 'playwright-core';

/** The start screen: New project, Open project…, recent projects, recovery. */
export class StartPage {
  readonly heading: Locator;
  readonly newProjectButton: Locator;
  readonly openProjectButton: Locator;
  readonly recentSection: Locator;
  readonly demoButton: Locator;

  constructor(page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Campaign Planner' });
    this.newProjectButton = page.getByRole('button', { name: 'New project', exact: true });
    this.openProjectButton = page.getByRole('button', { name: 'Open project…', exact: true });
    this.recentSection = page.getByRole('region', { name: 'Recent projects' });
    this.demoButton = page.getByRole('button', { name: 'Open the demo project', exact: true });
  }

  async waitUntilShown(): Promise<void> {
    await this.heading.waitFor();
    await this.newProjectButton.waitFor();
  }

  async isShown(): Promise<boolean> {
    return (await this.heading.isVisible()) && (await this.newProjectButton.isVisible());
  }

  recentProject(name: string): Locator {
    return this.recentSection.getByRole('button', { name, exact: true });
  }

  async newProject(): Promise<void> {
    await this.newProjectButton.click();
  }

  async openDemo(): Promise<void> {
    await this.demoButton.click();
  }

  async openProject(): Promise<void> {
    await this.openProjectButton.click();
  }
}
