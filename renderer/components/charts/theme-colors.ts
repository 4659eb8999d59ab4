import { useEffect, useState } from 'react';

/** The theme's colours a chart draws with (SVG attributes cannot read CSS variables). */
export interface ChartColors {
  readonly test: string;
  readonly control: string;
  readonly gcg: string;
  readonly grid: string;
  readonly text: string;
  readonly muted: string;
  readonly surface: string;
  readonly warning: string;
}

const VARIABLES: Readonly<Record<keyof ChartColors, string>> = {
  test: '--chart-test',
  control: '--chart-control',
  gcg: '--chart-gcg',
  grid: '--border',
  text: '--text',
  muted: '--text-muted',
  surface: '--surface',
  warning: '--warning',
};

function read(): ChartColors {
  const style = getComputedStyle(document.documentElement);
  const out = {} as Record<keyof ChartColors, string>;
  for (const [key, variable] of Object.entries(VARIABLES) as [keyof ChartColors, string][]) {
    out[key] = style.getPropertyValue(variable).trim() || '#888888';
  }
  return out;
}

/** The chart colours of the current theme; charts redraw when the system switches light and dark. */
export function useChartColors(): ChartColors {
  const [colors, setColors] = useState<ChartColors>(read);
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const update = () => setColors(read());
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return colors;
}
