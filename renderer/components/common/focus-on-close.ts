import { useEffect, useRef, type RefObject } from 'react';

/**
 * The button that opened an editor in place (Rename, Edit values) takes the focus back when
 * the editor closes, by Save, Cancel or Escape: the editor's field goes away with it, and the
 * keyboard would otherwise start again from the page. Only when the focus went with the
 * editor (or was parked on the page or a dialog meanwhile): never taken from where the
 * person moved it.
 */
export function useFocusOnClose<T extends HTMLElement>(open: boolean): RefObject<T | null> {
  const opener = useRef<T>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) {
      const active = document.activeElement;
      if (active === null || active === document.body || active.matches('main, [role="dialog"]')) opener.current?.focus();
    }
    wasOpen.current = open;
  }, [open]);
  return opener;
}
