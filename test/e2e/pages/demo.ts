import type { Page } from 'playwright-core';
import { DatabasePage } from './database-page';
import { ProjectPage } from './project-page';
import { StartPage } from './start-page';

/** Opens the app at `url`, opens the demo project from the start screen, and waits for its 50,000 profiles. */
export async function openDemoProject(page: Page, url: string): Promise<{ start: StartPage; project: ProjectPage; database: DatabasePage }> {
  const start = new StartPage(page);
  const project = new ProjectPage(page);
  const database = new DatabasePage(page);
  await page.goto(url);
  await start.waitUntilShown();
  await start.openDemo();
  await database.waitForDatabase('Customers');
  await database.table.waitForTotal('50,000 profiles');
  return { start, project, database };
}
