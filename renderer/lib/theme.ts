/**
 * The app's theme: the user's choice (System, Light or Dark), remembered in localStorage
 * (the same in browser mode and in Electron), and the theme it gives, written to the root
 * element as data-theme="light" | "dark". theme.css colours the page from that attribute
 * alone, so the choice, the system's setting and the charts can never disagree.
 */

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

/** The choices in the order the settings list them, with their labels. */
export const THEME_CHOICES: readonly { readonly value: ThemeChoice; readonly label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export const THEME_STORAGE_KEY = 'cplan.theme';

/** A stored value as a choice; anything else (nothing stored, an old or edited value) is System. */
export function parseThemeChoice(value: unknown): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Light or Dark as chosen; System follows the system's setting. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}

/** What the controller needs from the window (fakes in unit tests). */
export interface ThemeEnvironment {
  /** Null when the page may not use storage: the choice then lasts until the page closes. */
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** The "(prefers-color-scheme: dark)" query. */
  readonly systemDark: Pick<MediaQueryList, 'matches' | 'addEventListener'>;
  readonly root: Pick<HTMLElement, 'setAttribute'>;
}

export interface ThemeController {
  choice(): ThemeChoice;
  theme(): Theme;
  /** Applies the choice at once and remembers it for the next start. */
  choose(choice: ThemeChoice): void;
  /** Called after the theme or the choice changed (the root's attribute is already set). */
  subscribe(listener: () => void): () => void;
}

export function createThemeController(env: ThemeEnvironment): ThemeController {
  let choice = parseThemeChoice(readStored(env.storage));
  let theme: Theme = 'light';
  const listeners = new Set<() => void>();
  const apply = () => {
    theme = resolveTheme(choice, env.systemDark.matches);
    env.root.setAttribute('data-theme', theme);
    for (const listener of [...listeners]) listener();
  };
  env.systemDark.addEventListener('change', apply);
  apply();
  return {
    choice: () => choice,
    theme: () => theme,
    choose(next) {
      choice = next;
      try {
        env.storage?.setItem(THEME_STORAGE_KEY, next);
      } catch {
        // Storage full or refused: the choice still applies now, it is only not remembered.
      }
      apply();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function readStored(storage: ThemeEnvironment['storage']): string | null {
  try {
    return storage?.getItem(THEME_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

let appTheme: ThemeController | null = null;

/** The window's theme, started on first use (main.tsx uses it before the first render: no flash). */
export function windowTheme(): ThemeController {
  appTheme ??= createThemeController({
    storage: safeLocalStorage(),
    systemDark: window.matchMedia('(prefers-color-scheme: dark)'),
    root: document.documentElement,
  });
  return appTheme;
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Reading localStorage throws where the page may not store anything.
    return null;
  }
}
