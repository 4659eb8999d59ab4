/**
 * End to end: the HTML analysis report opened from a file in Chromium, as a user opens it,
 * with every network request blocked and recorded: it makes none, logs no error, draws its
 * chart, and passes axe in the light and the dark theme.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisHtml } from '../../shared/analytics/report-html';
import { analysisFixture, analysisFixtureWithSrmMismatch } from '../helpers/analysis-fixture';
import { tempDir } from '../helpers/temp-dir';
import { axeFindings, formatFindings } from './helpers/axe';
import { launchChromium } from './helpers/browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  readonly page: Page;
  /** Every request after the file itself (blocked), and every error logged or thrown. */
  readonly requests: string[];
  readonly errors: string[];
  close(): Promise<void>;
}

/** Opens `html` from a file, offline, with every request but the file itself blocked and recorded. */
async function openFile(html: string, colorScheme: 'light' | 'dark'): Promise<Opened> {
  const file = join(tempDir('cplan-report-e2e-'), 'analysis report.html');
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ colorScheme, viewport: { width: 1366, height: 768 }, offline: true });
  const requests: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  const page = await context.newPage();
  // Every request the page starts is seen here, the blocked ones too.
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return { page, requests, errors, close: () => context.close() };
}

describe('the HTML analysis report in Chromium', () => {
  it('the recorder sees a load: a page without the report’s policy that loads an image is caught', async () => {
    const opened = await openFile('<!doctype html><html lang="en"><title>x</title><img alt="x" src="http://192.0.2.1/x.png"></html>', 'light');
    try {
      await expect.poll(() => opened.requests).toEqual(['http://192.0.2.1/x.png']);
    } finally {
      await opened.close();
    }
  });

  it('the report’s policy refuses a load that slipped in; the refusal is logged as an error and the attempt recorded', async () => {
    const html = analysisHtml(analysisFixture()).replace('</main>', '<img alt="x" src="http://192.0.2.1/x.png"></main>');
    const opened = await openFile(html, 'light');
    try {
      await expect.poll(() => opened.errors.join('\n')).toMatch(/Content Security Policy/);
      expect(opened.requests).toEqual(['http://192.0.2.1/x.png']);
    } finally {
      await opened.close();
    }
  });

  it('opens offline with no request and no console error; the chart is drawn; axe finds nothing serious, light and dark', { timeout: 120_000 }, async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const result of [analysisFixture(), analysisFixtureWithSrmMismatch()]) {
        const opened = await openFile(analysisHtml(result), colorScheme);
        try {
          const { page } = opened;
          await expect(page.title()).resolves.toContain('Campaign analysis: Spring <b>"sale"</b> & friends');
          const chart = page.locator('#daily-chart');
          const box = await chart.boundingBox();
          expect(box?.width).toBeGreaterThan(300);
          expect(box?.height).toBeGreaterThan(100);
          // The drawing itself has a size: the band, the sequential band and the line.
          const drawn = await page.evaluate(() =>
            ['.chart-band', '.chart-seq', '.chart-line', '.chart-zero'].map((selector) => {
              const shape = document.querySelector<SVGGraphicsElement>(`#daily-chart ${selector}`);
              const b = shape?.getBBox();
              return { selector, width: b?.width ?? 0, height: b?.height ?? 0 };
            }),
          );
          for (const shape of drawn) expect(shape.width, shape.selector).toBeGreaterThan(0);
          expect(drawn.find((s) => s.selector === '.chart-band')!.height).toBeGreaterThan(0);
          // The theme follows the system's.
          const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
          expect(background).toBe(colorScheme === 'dark' ? 'rgb(21, 25, 29)' : 'rgb(255, 255, 255)');
          await expect(page.locator('#srm-warning').count()).resolves.toBe(result.srm!.mismatch ? 1 : 0);
          const findings = await axeFindings(page, 'Analysis report', colorScheme);
          expect(findings, formatFindings(findings)).toEqual([]);
          expect(opened.requests).toEqual([]);
          expect(opened.errors).toEqual([]);
        } finally {
          await opened.close();
        }
      }
    }
  });
});
