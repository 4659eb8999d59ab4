import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { launchChromium, newContext } from './browser';
import { COLOR_SCHEME } from './screenshots';
import { startBrowserModeServer, type BrowserModeServer } from './server';
import { ensureRendererBuilt } from './ui-build';

/** What each test gets: a fresh server (own home and data folders), browser context and page. */
export interface BrowserSession {
  readonly dir: string;
  readonly server: BrowserModeServer;
  readonly page: Page;
}

/**
 * Registers the hooks of an end-to-end test file: Chromium once, then per test a temp
 * folder, a browser-mode server and a page; afterwards everything goes, and the test fails
 * if the page threw or logged an error.
 */
export function useBrowserSession(): () => BrowserSession {
  let browser: Browser;
  let context: BrowserContext | null = null;
  let current: BrowserSession | null = null;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureRendererBuilt();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cplan-e2e-'));
    const server = await startBrowserModeServer(dir);
    context = await newContext(browser, COLOR_SCHEME);
    const page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/favicon|Failed to load resource|ERR_CONNECTION_REFUSED/.test(message.text())) {
        pageErrors.push(message.text());
      }
    });
    current = { dir, server, page };
  });

  afterEach(async () => {
    await context?.close();
    await current?.server.stop();
    if (current) rmSync(current.dir, { recursive: true, force: true });
    current = null;
    expect(pageErrors).toEqual([]);
  });

  return () => {
    if (!current) throw new Error('No browser session: call this inside a test.');
    return current;
  };
}
