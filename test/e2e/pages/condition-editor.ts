import type { Locator, Page } from 'playwright-core';
import type { ProjectPage } from './project-page';
import { SegmentDialog, SegmentsPage } from './segments-page';
import { waitForText } from './wait';

/** The condition editor inside a dialog: its tree of groups and tests, the text mode, the live count. */
export class ConditionEditor {
  readonly root: Locator;
  readonly addCondition: Locator;
  readonly addGroup: Locator;
  readonly count: Locator;
  readonly text: Locator;
  readonly textArea: Locator;
  readonly syntaxError: Locator;

  constructor(page: Page, within: Locator) {
    this.root = within.getByRole('region', { name: 'Condition', exact: true });
    this.addCondition = this.root.getByRole('button', { name: 'Add condition', exact: true });
    this.addGroup = this.root.getByRole('button', { name: 'Add group', exact: true });
    this.count = page.getByTestId('condition-count');
    this.text = page.getByTestId('condition-text');
    this.textArea = this.root.getByRole('textbox', { name: 'Condition as text' });
    this.syntaxError = page.getByTestId('condition-syntax-error');
  }

  /** The n-th test in reading order ("Condition n"). */
  leaf(n: number): Locator {
    return this.root.getByRole('group', { name: `Condition ${n}`, exact: true });
  }

  /** A control of the n-th test by what it sets ("field", "test", "value", "event type", …). */
  control(n: number, what: string): Locator {
    return this.leaf(n).getByLabel(`Condition ${n}: ${what}`, { exact: true });
  }

  mode(name: 'Build' | 'Text'): Locator {
    return this.root.getByRole('radio', { name, exact: true });
  }

  /** Waits for the count of this condition text, and returns the number shown. */
  async waitForCount(where: string, timeoutMs = 30_000): Promise<number> {
    await waitForText(this.text, where, timeoutMs);
    const shown = await waitForText(this.count, /^[\d,]+ profiles? match/, timeoutMs);
    return Number(/^([\d,]+)/.exec(shown)![1]!.replace(/,/g, ''));
  }
}

/** The history of an updatable segment on its page. */
export function recalculationRow(page: Page, n: number): Locator {
  return page.getByRole('table', { name: 'Recalculations' }).getByRole('row').filter({ has: page.getByRole('group', { name: `Recalculation ${n}`, exact: true }) });
}

/** Segments page → New segment…, named and of a type: the dialog and its condition editor. */
export async function newSegmentWithCondition(page: Page, project: ProjectPage, name: string, type: 'Static' | 'Updatable' | 'Dynamic'): Promise<{ segments: SegmentsPage; dialog: SegmentDialog; editor: ConditionEditor }> {
  await project.navigation.getByRole('button', { name: /^Segments/ }).click();
  const segments = new SegmentsPage(page);
  await segments.waitUntilShown();
  await segments.newButton.click();
  const dialog = new SegmentDialog(page);
  await dialog.waitUntilShown();
  await dialog.name.fill(name);
  await dialog.dialog.getByRole('radio', { name: new RegExp(`^${type}`) }).check();
  return { segments, dialog, editor: new ConditionEditor(page, dialog.dialog) };
}
