import type { Locator, Page } from 'playwright-core';

/** A laptop's screen: every screen and dialog must fit it. */
export const LAPTOP = { width: 1366, height: 768 } as const;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function describeBox(box: Box | null): string {
  return box ? `${Math.round(box.width)}×${Math.round(box.height)} at (${Math.round(box.x)}, ${Math.round(box.y)})` : 'not shown';
}

function inside(box: Box | null, width: number, height: number): boolean {
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5;
}

/**
 * Asserts that a dialog fits the window and that its buttons can be clicked where they
 * are, without scrolling anything: each button's box is inside the window and inside the
 * dialog's visible box, and the topmost element at its centre is the button itself (not
 * content scrolled over it, nor a message lying on it).
 */
export async function expectDialogFits(page: Page, dialog: Locator, buttons: readonly Locator[]): Promise<void> {
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('The page has no viewport size.');
  // The page itself never scrolls to show a dialog.
  const scrolled = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
  if (scrolled.x !== 0 || scrolled.y !== 0) throw new Error(`The page scrolled to (${scrolled.x}, ${scrolled.y}) to show the dialog.`);
  const dialogBox = await dialog.boundingBox();
  if (!inside(dialogBox, viewport.width, viewport.height)) {
    throw new Error(`The dialog is ${describeBox(dialogBox)}, outside the ${viewport.width}×${viewport.height} window.`);
  }
  for (const button of buttons) {
    const box = await button.boundingBox();
    const name = (await button.textContent())?.trim() ?? String(button);
    if (!inside(box, viewport.width, viewport.height) || !box || !dialogBox) {
      throw new Error(`The button "${name}" is ${describeBox(box)}, outside the ${viewport.width}×${viewport.height} window.`);
    }
    if (box.y < dialogBox.y || box.y + box.height > dialogBox.y + dialogBox.height + 0.5) {
      throw new Error(`The button "${name}" is ${describeBox(box)}, outside its dialog (${describeBox(dialogBox)}).`);
    }
    const onTop = await button.evaluate((element) => {
      const rect = element.getBoundingClientRect();
      const hit = document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
      return hit !== null && (hit === element || element.contains(hit));
    });
    if (!onTop) throw new Error(`The button "${name}" at ${describeBox(box)} is covered by something else.`);
  }
}
