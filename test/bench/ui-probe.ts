/**
 * What the UI benchmark measures with: the clock from a click to what shows on screen, the
 * server's memory from /proc, and a watch on the profile table that tells whether it ever
 * showed no rows while a new order was built.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

/** Runs `act` (the click) and then `shown` (what to wait for); the time between the two, in ms. */
export async function timed(act: () => Promise<unknown>, shown: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await act();
  await shown();
  return performance.now() - started;
}

/** The server process's resident memory now and its peak so far (VmRSS, VmHWM), in MiB: all its threads, the engine's included. */
export function serverMemory(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

/** Waits until `locator` is attached and its text matches. */
export async function waitText(locator: Locator, expected: RegExp | string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = (await locator.first().textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null))?.trim() ?? null;
    if (text !== null && (typeof expected === 'string' ? text === expected : expected.test(text))) return;
    if (Date.now() > deadline) throw new Error(`${String(locator)} did not show ${String(expected)} (it showed ${JSON.stringify(text)})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Watches the grid in the page, every frame, until `stop`: the number of frames in which it
 * showed no loaded row at all (the table "emptied").
 */
export async function watchEmptyTable(page: Page, gridName: string): Promise<{ stop(): Promise<number> }> {
  await page.evaluate((name) => {
    const w = window as unknown as { __emptyFrames: number; __watching: boolean };
    w.__emptyFrames = 0;
    w.__watching = true;
    const tick = () => {
      if (!w.__watching) return;
      const grid = document.querySelector(`[role="grid"][aria-label="${name}"]`);
      if (!grid || grid.querySelectorAll('.profile-row:not(.loading)').length === 0) w.__emptyFrames += 1;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, gridName);
  return {
    stop: () =>
      page.evaluate(() => {
        const w = window as unknown as { __emptyFrames: number; __watching: boolean };
        w.__watching = false;
        return w.__emptyFrames;
      }),
  };
}

/** The grid's first data row (aria-rowindex 2) once loaded: its profile ID. */
export function firstRowId(grid: Locator): Locator {
  return grid.locator('.profile-row[aria-rowindex="2"]:not(.loading) .cell-id');
}

/** Scrolls a virtual grid to `fraction` of its height. */
export async function scrollGrid(grid: Locator, fraction: number): Promise<void> {
  await grid.evaluate((el, f) => {
    const scroller = [el, ...Array.from(el.querySelectorAll('*'))].find((e) => e.scrollHeight > e.clientHeight + 10) ?? el;
    scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * f;
    scroller.dispatchEvent(new Event('scroll'));
  }, fraction);
}

/** Waits until the rows on screen past row `minIndex` are all loaded (none shown as loading), at least one. */
export async function waitRowsLoadedBeyond(page: Page, gridName: string, minIndex: number, timeoutMs = 120_000): Promise<void> {
  await page.waitForFunction(
    ([name, min]) => {
      const grid = document.querySelector(`[role="grid"][aria-label="${name}"]`);
      if (!grid) return false;
      const rows = Array.from(grid.querySelectorAll('.profile-row[aria-rowindex]')).filter((r) => Number(r.getAttribute('aria-rowindex')) > Number(min));
      return rows.length > 0 && rows.every((r) => !r.classList.contains('loading'));
    },
    [gridName, String(minIndex)] as const,
    { timeout: timeoutMs, polling: 'raf' },
  );
}
