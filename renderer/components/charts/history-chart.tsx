import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SplitVersion } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { VERSION_REASON_LABELS, versionControl } from '../../store/campaigns/selectors';
import { seriesTextColor, tooltipStyles, useChartColors, type ChartColors } from './theme-colors';

interface VersionPoint {
  readonly name: string;
  readonly clock: string;
  readonly Audience: number;
  readonly 'LCG target': number;
  readonly LCG: number;
}

/**
 * The audience, and the LCG's target and actual size, at each build, oldest first: how the
 * split grew. Two charts on the same versions, each with its own axis from zero: the LCG is
 * a small share of the audience, so on the audience's axis it would lie flat, and a second
 * axis on one chart drew it above the audience it is part of. Target and actual differ when
 * new profiles could not fill the LCG (shortfall) or profiles left it (surplus).
 */
export function HistoryChart({ versions }: { versions: readonly SplitVersion[] }) {
  const colors = useChartColors();
  const data: VersionPoint[] = [...versions]
    .sort((a, b) => a.id - b.id)
    .map((v, i) => ({
      name: `#${i + 1} ${VERSION_REASON_LABELS[v.reason]}`,
      clock: formatClock(v.clock),
      Audience: v.audience,
      'LCG target': v.controlTotal,
      LCG: versionControl(v),
    }));
  return (
    <div className="chart-box history-chart" aria-hidden="true">
      <p className="chart-title">Audience</p>
      <VersionChart data={data} colors={colors} height={120} ticks={false}>
        <Line type="linear" dataKey="Audience" stroke={colors.test} strokeWidth={2} dot isAnimationActive={false} />
      </VersionChart>
      <p className="chart-title">LCG: actual and target</p>
      <VersionChart data={data} colors={colors} height={170} ticks>
        <Line type="linear" dataKey="LCG" name="LCG (actual)" stroke={colors.control} strokeWidth={2} dot isAnimationActive={false} />
        <Line type="linear" dataKey="LCG target" stroke={colors.text} strokeWidth={1.5} strokeDasharray="5 4" dot={false} isAnimationActive={false} />
      </VersionChart>
    </div>
  );
}

interface VersionChartProps {
  readonly data: readonly VersionPoint[];
  readonly colors: ChartColors;
  readonly height: number;
  /** The versions' names along the bottom (and the legend): on the lower chart only, the upper shares them. */
  readonly ticks: boolean;
  readonly children: ReactNode;
}

/** One of the history's charts: the versions along the bottom, counts from zero on the left. */
function VersionChart({ data, colors, height, ticks, children }: VersionChartProps) {
  const tick = { fill: colors.muted, fontSize: 11 };
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={[...data]} syncId="split-history" margin={{ top: 6, right: 24, bottom: 4, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid stroke={colors.grid} />
        <XAxis dataKey="name" tick={ticks ? tick : false} height={ticks ? 30 : 4} stroke={colors.grid} />
        <YAxis domain={[0, 'auto']} tick={tick} stroke={colors.grid} tickFormatter={(v: number) => formatCount(v)} width={72} />
        <Tooltip
          {...tooltipStyles(colors)}
          formatter={(value) => formatCount(Number(value))}
          labelFormatter={(label, payload) => `${String(label)} · ${String((payload[0]?.payload as VersionPoint | undefined)?.clock ?? '')}`}
        />
        {ticks && (
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string, entry) => <span style={{ color: seriesTextColor(colors, entry.color) }}>{value}</span>} />
        )}
        {children}
      </LineChart>
    </ResponsiveContainer>
  );
}
