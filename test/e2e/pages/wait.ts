import type { Locator } from 'playwright-core';

/**
 * Waits until the element's text matches (playwright-core has no auto-retrying `expect`);
 * a failure names what was expected and what the page showed.
 */
export async function waitForText(locator: Locator, expected: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: string | null = null;
  for (;;) {
    last = (await locator.first().textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null))?.trim() ?? null;
    if (last !== null && (typeof expected === 'string' ? last === expected : expected.test(last))) return last;
    if (Date.now() > deadline) {
      throw new Error(`Expected ${String(locator)} to show ${String(expected)}, but it showed ${JSON.stringify(last)}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until an input's value is `expected`. */
export async function waitForValue(locator: Locator, expected: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() <= deadline) {
    last = await locator.inputValue();
    if (last === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Expected ${String(locator)} to hold ${JSON.stringify(expected)}, but it held ${JSON.stringify(last)}.`);
}
