import { useEffect } from 'react';

/**
 * Keeps the keyboard's place when the focused control goes away under it: a button that is
 * disabled while its action runs (every action disables the toolbars meanwhile), one that
 * the new state replaces (Activate becomes Deactivate), a link that opens another page, a
 * dialog's control that a new step replaces. The browser then drops the focus to the
 * document's body, and the next Tab starts again at the window's first control.
 *
 * Instead the focus goes to the nearest place that still exists: the first control of the
 * toolbar or group it was in (Deactivate's place after Activate), else the open dialog it was
 * in, else the page's main region (both take focus by script only, tabIndex -1); and when
 * the control itself comes back enabled (its action is done) and the focus was not moved
 * meanwhile, the focus returns to it. A pointer press means the person chose where the focus
 * goes: nothing is moved then.
 */
export function useFocusKeeper(): void {
  useEffect(() => {
    let pointerPressed = false;
    let fallback: HTMLElement | null = null;
    let watcher: MutationObserver | null = null;

    const stopWatching = () => {
      watcher?.disconnect();
      watcher = null;
      fallback = null;
    };

    // Lost inside the page: the document still has the focus, on its body. Focus that left the
    // page (Tab past its last control to the browser's own bar, another window) is not lost:
    // pulling it back would trap the keyboard in the page (WCAG 2.1.2).
    const focusLost = () => document.hasFocus() && (document.activeElement === null || document.activeElement === document.body);

    const onPointerDown = () => {
      pointerPressed = true;
      stopWatching();
      // The focus change a press causes happens in the same task; the flag lasts only that long.
      setTimeout(() => {
        pointerPressed = false;
      }, 0);
    };

    const onFocusIn = (event: FocusEvent) => {
      if (fallback !== null && event.target !== fallback) stopWatching();
    };

    const onFocusOut = (event: FocusEvent) => {
      if (pointerPressed || event.relatedTarget !== null || !(event.target instanceof HTMLElement)) return;
      const lost = event.target;
      const dialog = lost.closest<HTMLElement>('[aria-modal="true"]');
      const group = lost.closest<HTMLElement>('[role="toolbar"], [role="group"]');
      // The browser moves the focus to the body after this event: check once it has.
      setTimeout(() => {
        if (pointerPressed || !focusLost()) return;
        const sibling = group?.isConnected ? group.querySelector<HTMLElement>('button:not(:disabled), a[href], input:not(:disabled), select:not(:disabled)') : null;
        const place = sibling ?? (dialog?.isConnected ? dialog : document.querySelector<HTMLElement>('main'));
        if (!place) return;
        stopWatching();
        fallback = place;
        place.focus({ preventScroll: true });
        if (!lost.isConnected) {
          fallback = null;
          return;
        }
        // Disabled while its action runs: back to it once enabled, unless the focus moved on.
        watcher = new MutationObserver(() => {
          if (!lost.isConnected) {
            stopWatching();
          } else if (!lost.matches(':disabled') && document.activeElement === place) {
            stopWatching();
            lost.focus({ preventScroll: true });
          }
        });
        watcher.observe(lost, { attributes: true, attributeFilter: ['disabled'] });
      }, 0);
    };

    document.addEventListener('pointerdown', onPointerDown, true);
    document.addEventListener('focusin', onFocusIn, true);
    document.addEventListener('focusout', onFocusOut, true);
    return () => {
      stopWatching();
      document.removeEventListener('pointerdown', onPointerDown, true);
      document.removeEventListener('focusin', onFocusIn, true);
      document.removeEventListener('focusout', onFocusOut, true);
    };
  }, []);
}
