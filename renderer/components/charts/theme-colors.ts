import { useEffect, useState, type CSSProperties } from 'react';
import { windowTheme } from '../../lib/theme';

/** The theme's colours a chart draws with (SVG attributes cannot read CSS variables). */
export interface ChartColors {
  readonly test: string;
  readonly control: string;
  /** The group colours darkened for text, legible on the surface (WCAG AA) in either theme. */
  readonly testText: string;
  readonly controlText: string;
  readonly gcg: string;
  readonly grid: string;
  readonly text: string;
  readonly muted: string;
  readonly surface: string;
  readonly warning: string;
  readonly success: string;
  readonly danger: string;
  readonly accent: string;
}

const VARIABLES: Readonly<Record<keyof ChartColors, string>> = {
  test: '--chart-test',
  control: '--chart-control',
  testText: '--chart-test-text',
  controlText: '--chart-control-text',
  gcg: '--chart-gcg',
  grid: '--border',
  text: '--text',
  muted: '--text-muted',
  surface: '--surface',
  warning: '--warning',
  success: '--success',
  danger: '--danger',
  accent: '--accent',
};

function read(): ChartColors {
  const style = getComputedStyle(document.documentElement);
  const out = {} as Record<keyof ChartColors, string>;
  for (const [key, variable] of Object.entries(VARIABLES) as [keyof ChartColors, string][]) {
    out[key] = style.getPropertyValue(variable).trim() || '#888888';
  }
  return out;
}

/** The colour to write a series' name in: the group's text colour, or plain text for other series. */
export function seriesTextColor(colors: ChartColors, seriesColor: string | undefined): string {
  if (seriesColor === colors.control) return colors.controlText;
  if (seriesColor === colors.test) return colors.testText;
  return colors.text;
}

/**
 * A tooltip in the theme's colours. Its lines are written in the text colour: the series'
 * fill colours are only about 3:1 on the surface, too faint for text.
 */
export function tooltipStyles(colors: ChartColors): { contentStyle: CSSProperties; itemStyle: CSSProperties; separator: string } {
  return { contentStyle: { background: colors.surface, borderColor: colors.grid, color: colors.text }, itemStyle: { color: colors.text }, separator: ': ' };
}

/** The chart colours of the current theme; charts redraw when it changes (the user's choice or the system's). */
export function useChartColors(): ChartColors {
  const [colors, setColors] = useState<ChartColors>(read);
  useEffect(() => windowTheme().subscribe(() => setColors(read())), []);
  return colors;
}
