/**
 * End to end: the real UI (dist/renderer) in Debian's Chromium, served by the real
 * browser-mode server (dist/main/server.cjs) with the real engine in its worker thread.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeBadProjectFiles, type BadProjectFileKind } from '../helpers/bad-files';
import { startTestEngine } from '../helpers/engine';
import { launchChromium, newContext } from './helpers/browser';
import { startBrowserModeServer, type BrowserModeServer } from './helpers/server';
import { ensureRendererBuilt } from './helpers/ui-build';
import { FileBrowserDialog } from './pages/file-browser';
import { Notices } from './pages/notices';
import { ProjectPage } from './pages/project-page';
import { StartPage } from './pages/start-page';
import { waitForText } from './pages/wait';

let browser: Browser;
let dir: string;
let server: BrowserModeServer;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  await ensureRendererBuilt();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cplan-e2e-'));
  server = await startBrowserModeServer(dir);
  context = await newContext(browser);
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // The browser's own network notes (a missing favicon, a stopped server) are not the UI's errors.
    if (message.type() === 'error' && !/favicon|Failed to load resource|ERR_CONNECTION_REFUSED/.test(message.text())) {
      pageErrors.push(message.text());
    }
  });
});

afterEach(async () => {
  await context?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  // The UI must not throw or log errors while it is driven.
  expect(pageErrors).toEqual([]);
});

describe('a project in the browser UI', () => {
  it('create, rename, save as, close, reopen: name and saved state come back', { timeout: 90_000 }, async () => {
    const start = new StartPage(page);
    const project = new ProjectPage(page);
    const plans = join(dir, 'plans');
    mkdirSync(plans);

    await page.goto(server.openUrl);
    await start.waitUntilShown();
    // The token left the visible address (it stays in this tab's sessionStorage).
    expect(page.url()).toBe(`${server.origin}/`);
    expect(await page.title()).toBe('Campaign Planner');
    await waitForText(page.getByTestId('status-connection'), 'Connected');

    await start.newProject();
    await project.waitForProject('Untitled project');
    expect(await project.navigationEntries()).toEqual(['Overview', 'Databases', 'Segments', 'Campaigns', 'Agenda', 'Simulator']);
    await project.waitForFileName('Not saved yet');

    await project.rename('Spring plan');
    await project.waitForSaveState('Unsaved changes');
    expect(await page.title()).toBe('Spring plan — not saved yet • (unsaved) — Campaign Planner');
    await waitForText(project.statusClock, /^Project clock \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2}$/);

    await project.saveAsButton.click();
    await new FileBrowserDialog(page, 'save').saveAs(plans, 'spring.cplan');
    await project.waitForSaveState('Saved');
    await project.waitForFileName('spring.cplan');
    expect(existsSync(join(plans, 'spring.cplan'))).toBe(true);
    expect(await page.title()).toBe('Spring plan — spring.cplan — Campaign Planner');

    // A reload keeps working: the token is taken from sessionStorage.
    await page.reload();
    await project.waitForProject('Spring plan');
    await project.waitForSaveState('Saved');

    await project.closeButton.click();
    await start.waitUntilShown();
    await start.recentProject('Spring plan').waitFor();

    await start.openProject();
    await new FileBrowserDialog(page, 'open').open(plans, 'spring.cplan');
    await project.waitForProject('Spring plan');
    await project.waitForSaveState('Saved');
    await project.waitForFileName('spring.cplan');
    expect(await project.nameField.inputValue()).toBe('Spring plan');
    expect(await new Notices(page).count()).toBe(0);
  });

  it('keyboard: Ctrl+S saves, and unsaved changes are confirmed before closing', { timeout: 90_000 }, async () => {
    const start = new StartPage(page);
    const project = new ProjectPage(page);
    await page.goto(server.openUrl);
    await start.waitUntilShown();
    await start.newProject();
    await project.rename('Keyboard plan');
    await page.keyboard.press('Control+s');
    // Never saved: Ctrl+S goes through Save As, in the folder the browser starts in (home).
    const saveDialog = new FileBrowserDialog(page, 'save');
    await saveDialog.waitUntilShown();
    expect(await saveDialog.fileNameField.inputValue()).toBe('Keyboard plan.cplan');
    await page.keyboard.press('Escape');
    await saveDialog.waitUntilClosed();
    await project.waitForSaveState('Unsaved changes');

    await project.closeButton.click();
    const confirm = page.getByRole('alertdialog', { name: 'Save changes?' });
    await confirm.waitFor();
    // Escape is Cancel: the project stays open with its changes.
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await project.waitForSaveState('Unsaved changes');

    await project.closeButton.click();
    await confirm.getByRole('button', { name: "Don't save" }).click();
    await start.waitUntilShown();
  });
});

describe('when the server goes away', () => {
  it('the status bar says the connection is lost, and an action says what to do', { timeout: 90_000 }, async () => {
    const start = new StartPage(page);
    await page.goto(server.openUrl);
    await start.waitUntilShown();
    await waitForText(page.getByTestId('status-connection'), 'Connected');
    await server.stop();
    await waitForText(page.getByTestId('status-connection'), 'Connection lost — reconnecting…');
    await start.newProject();
    const error = await new Notices(page).waitForOneError();
    expect(error.title).toBe('The engine cannot be reached');
    expect(error.text).toMatch(/Check that it is still running/);
    expect(await start.isShown()).toBe(true);
  });
});

describe('bad files in the browser UI', () => {
  const cases: { kind: BadProjectFileKind; title: string }[] = [
    { kind: 'textFile', title: 'Not a Campaign Planner project' },
    { kind: 'truncatedHalf', title: 'The project file is damaged' },
    { kind: 'foreignSqlite', title: "Another application's database" },
    { kind: 'foreignApplicationId', title: "Another application's database" },
    { kind: 'newerVersion', title: 'Saved by a newer version' },
    { kind: 'tooLarge', title: 'The file is too large' },
  ];

  /** What the engine itself says about each file: the UI must show exactly that sentence. */
  async function engineMessages(paths: readonly string[]): Promise<string[]> {
    const t = await startTestEngine();
    try {
      const messages: string[] = [];
      for (const path of paths) {
        const envelope = await t.raw('project/open', { path });
        if (envelope.ok) throw new Error(`The engine opened ${path}, which should be refused.`);
        messages.push(envelope.error.message);
      }
      return messages;
    } finally {
      await t.engine.dispose();
    }
  }

  it('each bad file gets its own message, and the user stays on the start screen', { timeout: 120_000 }, async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    const files = await makeBadProjectFiles(bad);
    const expectedMessages = await engineMessages(cases.map((c) => files[c.kind].path));
    const start = new StartPage(page);
    const notices = new Notices(page);
    await page.goto(server.openUrl);
    await start.waitUntilShown();

    const shown = new Set<string>();
    for (const [index, { kind, title }] of cases.entries()) {
      const file = files[kind];
      const name = basename(file.path);
      const expected = expectedMessages[index] ?? '';
      await start.openProject();
      await new FileBrowserDialog(page, 'open').open(bad, name);
      const error = await notices.waitForOneError();
      expect(error.title, kind).toBe(title);
      expect(error.text, kind).toContain(expected);
      expect(expected, kind).toContain(name);
      shown.add(expected);
      expect(await start.isShown(), kind).toBe(true);
      expect(await page.getByRole('banner').count(), kind).toBe(0);
      await notices.dismissAll();
    }
    // Every kind of bad file has a message of its own.
    expect(shown.size).toBe(cases.length);
  });
});
