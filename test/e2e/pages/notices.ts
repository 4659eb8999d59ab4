import type { Locator, Page } from 'playwright-core';

/** The message area: errors (role alert) and other notices, each dismissible. */
export class Notices {
  readonly region: Locator;
  readonly alerts: Locator;

  constructor(page: Page) {
    this.region = page.getByRole('region', { name: 'Messages' });
    this.alerts = this.region.getByRole('alert');
  }

  /** Waits for exactly one error and returns its text. */
  async waitForOneError(): Promise<{ title: string; text: string }> {
    const alert = this.alerts.first();
    await alert.waitFor();
    const title = ((await alert.locator('.notice-title').textContent()) ?? '').trim();
    const text = ((await alert.textContent()) ?? '').trim();
    return { title, text };
  }

  async count(): Promise<number> {
    return this.alerts.count();
  }

  async dismissAll(): Promise<void> {
    const buttons = this.region.getByRole('button', { name: /^Dismiss message/ });
    while ((await buttons.count()) > 0) await buttons.first().click();
  }
}

/** Dismisses every message (news fades by itself, but may sit over a button meanwhile). */
export async function clearNotices(page: Page): Promise<void> {
  await new Notices(page).dismissAll();
}
