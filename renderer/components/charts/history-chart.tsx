import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SplitVersion } from '../../../shared/contract/index';
import { formatClock, formatCount } from '../../../shared/format';
import { VERSION_REASON_LABELS, versionControl } from '../../store/campaigns/selectors';
import { seriesTextColor, useChartColors, type ChartColors } from './theme-colors';

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
      <VersionChart data={data} colors={colors} title="Audience" height={150}>
        <Line type="monotone" dataKey="Audience" stroke={colors.test} strokeWidth={2} dot isAnimationActive={false} />
      </VersionChart>
      <VersionChart data={data} colors={colors} title="LCG" height={170} legend>
        <Line type="monotone" dataKey="LCG" name="LCG (actual)" stroke={colors.control} strokeWidth={2} dot isAnimationActive={false} />
        <Line type="monotone" dataKey="LCG target" stroke={colors.text} strokeWidth={1.5} strokeDasharray="5 4" dot={false} isAnimationActive={false} />
      </VersionChart>
    </div>
  );
}

interface VersionChartProps {
  readonly data: readonly VersionPoint[];
  readonly colors: ChartColors;
  readonly title: string;
  readonly height: number;
  readonly legend?: boolean;
  readonly children: React.ReactNode;
}

/** One of the history's charts: the versions along the bottom, counts from zero on the left. */
function VersionChart({ data, colors, title, height, legend = false, children }: VersionChartProps) {
  const tick = { fill: colors.muted, fontSize: 11 };
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={[...data]} syncId="split-history" margin={{ top: 20, right: 16, bottom: 4, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid stroke={colors.grid} />
        <XAxis dataKey="name" tick={tick} stroke={colors.grid} />
        <YAxis
          domain={[0, 'auto']}
          tick={tick}
          stroke={colors.grid}
          tickFormatter={(v: number) => formatCount(v)}
          width={72}
          label={{ value: title, position: 'insideTopLeft', offset: -16, dx: 8, fill: colors.text, fontSize: 12 }}
        />
        <Tooltip
          contentStyle={{ background: colors.surface, borderColor: colors.grid, color: colors.text }}
          formatter={(value) => formatCount(Number(value))}
          labelFormatter={(label, payload) => `${String(label)} · ${String((payload[0]?.payload as VersionPoint | undefined)?.clock ?? '')}`}
        />
        {legend && (
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string, entry) => <span style={{ color: seriesTextColor(colors, entry.color) }}>{value}</span>} />
        )}
        {children}
      </LineChart>
    </ResponsiveContainer>
  );
}
