/**
 * The theme choice (issue 15): System, Light or Dark, remembered in storage, written to the
 * root element as data-theme; System follows the system's setting as it changes.
 */
import { describe, expect, it } from 'vitest';
import { THEME_STORAGE_KEY, createThemeController, parseThemeChoice, resolveTheme, type ThemeEnvironment } from '../../renderer/lib/theme';

function fakeEnvironment(stored: Record<string, string> = {}, systemDark = false) {
  const items = new Map(Object.entries(stored));
  const listeners: (() => void)[] = [];
  const attributes = new Map<string, string>();
  const media = { matches: systemDark, addEventListener: (_type: string, listener: () => void) => listeners.push(listener) };
  const env: ThemeEnvironment = {
    storage: { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) },
    systemDark: media as unknown as ThemeEnvironment['systemDark'],
    root: { setAttribute: (name, value) => void attributes.set(name, value) },
  };
  const setSystemDark = (dark: boolean) => {
    media.matches = dark;
    for (const listener of listeners) listener();
  };
  return { env, items, attributes, setSystemDark };
}

describe('the theme choice', () => {
  it('reads only System, Light or Dark back; anything else is System', () => {
    expect(parseThemeChoice('light')).toBe('light');
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice('system')).toBe('system');
    for (const other of [null, undefined, '', 'Dark', 'blue', 1]) expect(parseThemeChoice(other)).toBe('system');
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('starts on System, following the system, and applies a choice at once', () => {
    const { env, attributes, setSystemDark } = fakeEnvironment({}, false);
    const theme = createThemeController(env);
    expect(theme.choice()).toBe('system');
    expect(attributes.get('data-theme')).toBe('light');
    setSystemDark(true);
    expect(attributes.get('data-theme')).toBe('dark');
    let calls = 0;
    theme.subscribe(() => calls++);
    theme.choose('light');
    expect(attributes.get('data-theme')).toBe('light');
    expect(theme.theme()).toBe('light');
    // Light overrides the system's dark setting, and stays when the system changes.
    setSystemDark(false);
    setSystemDark(true);
    expect(attributes.get('data-theme')).toBe('light');
    expect(calls).toBe(3);
  });

  it('remembers the choice for the next start', () => {
    const first = fakeEnvironment({}, false);
    createThemeController(first.env).choose('dark');
    expect(first.items.get(THEME_STORAGE_KEY)).toBe('dark');
    const next = fakeEnvironment(Object.fromEntries(first.items), false);
    const theme = createThemeController(next.env);
    expect(theme.choice()).toBe('dark');
    expect(next.attributes.get('data-theme')).toBe('dark');
  });

  it('still applies a choice where storage throws (not remembered then)', () => {
    const { env, attributes } = fakeEnvironment();
    const refusing: ThemeEnvironment = {
      ...env,
      storage: {
        getItem: () => {
          throw new Error('denied');
        },
        setItem: () => {
          throw new Error('quota');
        },
      },
    };
    const theme = createThemeController(refusing);
    expect(theme.choice()).toBe('system');
    theme.choose('dark');
    expect(attributes.get('data-theme')).toBe('dark');
  });
});
