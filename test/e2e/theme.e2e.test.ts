/**
 * End to end, in Chromium: the Theme list in the status bar (issue 15). Dark while the
 * system is light makes the page dark, stays after a reload and in an opened project;
 * System follows the system's setting; Light stays light on a dark system. axe-core finds
 * nothing serious in either chosen theme, and the list fits a laptop's screen.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeFindings, formatFindings, type ColorScheme } from './helpers/axe';
import { LAPTOP } from './helpers/layout';
import { screenshot } from './helpers/screenshots';
import { useBrowserSession } from './helpers/session';
import { openDemoProject } from './pages/demo';
import { StartPage } from './pages/start-page';

const session = useBrowserSession();

/** How light the page's background is, 0 (black) to 255 (white), as the browser paints it now. */
async function backgroundLightness(page: Page): Promise<number> {
  const colour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const match = /rgba?\((\d+), (\d+), (\d+)/.exec(colour);
  if (!match) throw new Error(`Unexpected background colour: ${colour}`);
  const [r, g, b] = match.slice(1, 4).map(Number) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function expectTheme(page: Page, theme: ColorScheme): Promise<void> {
  // Let a change of the system's setting reach the page before measuring.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const lightness = await backgroundLightness(page);
  if (theme === 'dark') expect(lightness).toBeLessThan(60);
  else expect(lightness).toBeGreaterThan(200);
  // The charts read their colours from the same variables: they follow the theme too.
  const chartTest = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--chart-test').trim());
  expect(chartTest).toBe(theme === 'dark' ? '#6b98ff' : '#4a78d6');
}

async function expectAxeClean(page: Page, screen: string, scheme: ColorScheme): Promise<void> {
  const findings = await axeFindings(page, screen, scheme);
  expect(findings, formatFindings(findings)).toEqual([]);
}

describe('the theme in the browser UI', () => {
  it('Dark on a light system is dark and stays after a reload; System follows the system; Light stays light', { timeout: 180_000 }, async () => {
    const { page, server } = session();
    await page.setViewportSize(LAPTOP);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(server.openUrl);
    await new StartPage(page).waitUntilShown();
    const themeList = page.getByRole('combobox', { name: 'Theme' });
    expect(await themeList.inputValue()).toBe('system');
    await expectTheme(page, 'light');

    // Chosen by keyboard: focus the list and pick Dark with the arrow keys.
    await themeList.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await themeList.inputValue()).toBe('dark');
    await expectTheme(page, 'dark');
    await expectAxeClean(page, 'Start screen, Dark chosen', 'dark');

    await page.reload();
    await new StartPage(page).waitUntilShown();
    expect(await themeList.inputValue()).toBe('dark');
    await expectTheme(page, 'dark');

    // In a project too, where the status bar is full: the list is in the window and axe is clean.
    await openDemoProject(page, server.openUrl);
    await expectTheme(page, 'dark');
    const box = await themeList.boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= LAPTOP.width && box.y + box.height <= LAPTOP.height).toBe(true);
    await expectAxeClean(page, 'Database, Dark chosen', 'dark');
    await screenshot(page, 'theme-dark-chosen', 'dark');

    // System follows the system's setting, both ways.
    await themeList.selectOption('system');
    await expectTheme(page, 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectTheme(page, 'dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expectTheme(page, 'light');

    // Light on a dark system stays light.
    await themeList.selectOption('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectTheme(page, 'light');
    await expectAxeClean(page, 'Database, Light chosen on a dark system', 'light');
    await screenshot(page, 'theme-light-chosen', 'light');
  });
});
