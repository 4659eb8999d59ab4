import { useSyncExternalStore } from 'react';
import { THEME_CHOICES, parseThemeChoice, windowTheme } from '../../lib/theme';

/** The status bar's Theme list: System (the system's setting), Light or Dark, remembered for the next start. */
export function ThemePicker() {
  const theme = windowTheme();
  const choice = useSyncExternalStore(theme.subscribe, theme.choice);
  return (
    <label className="status-item status-theme" title="System follows your computer's light or dark setting">
      <span className="status-caption">Theme</span>
      <select className="status-select" data-testid="theme-choice" value={choice} onChange={(e) => theme.choose(parseThemeChoice(e.target.value))}>
        {THEME_CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
