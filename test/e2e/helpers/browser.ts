import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium; CI installs it with apt. Never a browser downloaded by Playwright. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the end-to-end tests need Debian's Chromium. Install it with "apt-get install chromium" ` +
        '(never "npx playwright install").',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A fresh, cookie-less context (its own profile): nothing carries over between tests. */
export function newContext(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  return browser.newContext({ colorScheme, viewport: { width: 1200, height: 780 }, locale: 'en-GB' });
}
