import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Screenshots for a person to look at, only when CPLAN_E2E_SCREENSHOTS names a folder;
 * CPLAN_E2E_COLOR_SCHEME=dark runs the same tests in the dark theme.
 */
export const SCREENSHOT_DIR = process.env.CPLAN_E2E_SCREENSHOTS ?? null;
export const COLOR_SCHEME: 'light' | 'dark' = process.env.CPLAN_E2E_COLOR_SCHEME === 'dark' ? 'dark' : 'light';

/** `scheme`: the theme the page is in when a test switched it itself (emulateMedia); the run's theme by default. */
export async function screenshot(page: Page, name: string, scheme: 'light' | 'dark' = COLOR_SCHEME): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${scheme}.png`) });
}
